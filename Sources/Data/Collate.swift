import TensorCore

/// PyTorch's `default_collate` (torch/utils/data/_utils/collate.py): turns a
/// list of items into one batch by the type of the first item.
/// - tensors are stacked along a new first dim (`torch.stack(batch, 0)`);
/// - ints become an int64 tensor, floats a float tensor, bools a bool tensor;
/// - strings stay a list;
/// - dicts collate per key (keys of the first item);
/// - tuples and lists collate position by position into a *list* (PyTorch
///   returns a list for tuples too), after checking equal lengths.
public enum Collate {
    /// The dtype of a batch of Python floats: float64, as PyTorch's `torch.tensor(batch, dtype=torch.float64)`.
    static let floatBatchDType: DType = .float64

    public static func collate(_ batch: [Sample]) throws -> Sample {
        guard let first = batch.first else {
            throw DataError.index("list index out of range")
        }
        switch first {
        case .tensor:
            var ts: [Tensor] = []
            ts.reserveCapacity(batch.count)
            for s in batch {
                guard case .tensor(let t) = s else { throw mixed(first, s) }
                ts.append(t)
            }
            return .tensor(try Tensor.stack(ts, dim: 0))
        case .float:
            let out = try Tensor(zeros: [batch.count], dtype: floatBatchDType)
            let p = out.storage.doubles
            for (i, s) in batch.enumerated() {
                switch s {
                case .float(let d): p[i] = d
                case .int(let x): p[i] = Double(x)
                case .bool(let b): p[i] = b ? 1 : 0
                default: throw mixed(first, s)
                }
            }
            return .tensor(out)
        case .int:
            var xs: [Int64] = []
            xs.reserveCapacity(batch.count)
            for s in batch {
                switch s {
                case .int(let i): xs.append(Int64(i))
                case .bool(let b): xs.append(b ? 1 : 0)
                case .float:
                    // torch.tensor([1, 2.5]) infers a float tensor.
                    return try collate(batch.map { if case .int(let i) = $0 { return .float(Double(i)) }; return $0 })
                default: throw mixed(first, s)
                }
            }
            return .tensor(try Tensor(ints: xs, shape: [xs.count]))
        case .bool:
            var xs: [Bool] = []
            for s in batch {
                guard case .bool(let b) = s else { throw mixed(first, s) }
                xs.append(b)
            }
            return .tensor(try Tensor(bools: xs, shape: [xs.count]))
        case .string:
            return .list(batch)
        case .dict(let pairs):
            var out: [(key: Sample, value: Sample)] = []
            for (k, _) in pairs {
                var column: [Sample] = []
                column.reserveCapacity(batch.count)
                for s in batch {
                    guard let v = s.value(forKey: k) else { throw DataError.key(k) }
                    column.append(v)
                }
                out.append((k, try collate(column)))
            }
            return .dict(out)
        case .tuple(let items), .list(let items):
            let n = items.count
            var columns = [[Sample]](repeating: [], count: n)
            for s in batch {
                let row: [Sample]
                switch s {
                case .tuple(let r), .list(let r): row = r
                default: throw mixed(first, s)
                }
                guard row.count == n else {
                    throw DataError.runtime("each element in list of batch should be of equal size")
                }
                for i in 0..<n { columns[i].append(row[i]) }
            }
            return .list(try columns.map(collate))
        case .none, .other:
            throw unsupported(first)
        }
    }

    static func unsupported(_ s: Sample) -> DataError {
        .type("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found \(s.className)")
    }

    /// A batch whose items differ in kind: PyTorch fails inside the collate function of the first.
    static func mixed(_ first: Sample, _ other: Sample) -> DataError {
        if case .tensor = first {
            return .type("expected Tensor as element 1 in argument 0, but got \(other.typeName)")
        }
        return unsupported(other)
    }
}
