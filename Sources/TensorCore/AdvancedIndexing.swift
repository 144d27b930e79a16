/// Several tensor indices at once (`x[rows, cols]`, `a[np.arange(3), [0, 1, 2]]`):
/// the index tensors broadcast together; their dims go where the first one
/// stood when they are adjacent, and first otherwise (NumPy's and PyTorch's rule).
extension Tensor {
    /// The base view (basic items applied, each tensor item kept as a full dim),
    /// the base dims the tensor items index, and the broadcast index tensors.
    struct MultiIndex {
        let base: Tensor
        let dims: [Int]
        let indices: [[Int]]
        let shape: [Int]
        var adjacent: Bool { zip(dims, dims.dropFirst()).allSatisfy { $1 == $0 + 1 } }
    }

    static func tensorItemCount(_ items: [IndexItem]) -> Int {
        items.filter { if case .tensor = $0 { return true }; return false }.count
    }

    func multiIndex(_ items: [IndexItem]) throws -> MultiIndex {
        let full = IndexItem.slice(start: nil, stop: nil, step: nil)
        var basic: [IndexItem] = [], tensorDims: [Int] = [], tensors: [Tensor] = []
        // Dims of the base view produced before each item: count as basicIndex does.
        let consuming = items.filter { switch $0 { case .int, .slice, .tensor: return true; default: return false } }.count
        var outDim = 0
        for item in items {
            switch item {
            case .tensor(let t):
                guard t.dtype != .bool else {
                    throw TensorError.index("a bool mask together with other tensor indices is not supported; use mask.nonzero()")
                }
                guard t.dtype.isIntegral else { throw TensorError.index("tensors used as indices must be long, int, byte or bool tensors") }
                basic.append(full); tensorDims.append(outDim); tensors.append(t); outDim += 1
            case .int: basic.append(item)
            case .slice, .newAxis: basic.append(item); outDim += 1
            case .ellipsis: basic.append(item); outDim += Swift.max(rank - consuming, 0)
            }
        }
        let base = try basicIndex(basic)
        var shape: [Int] = []
        for t in tensors { shape = try Shape.broadcast(shape, t.shape) }
        var indices: [[Int]] = []
        for (k, t) in tensors.enumerated() {
            let d = tensorDims[k], size = base.shape[d]
            indices.append(try t.expand(shape).toInt64s().map { v in
                let i = Int(v)
                guard i >= -size && i < size else {
                    throw TensorError.index("index \(i) is out of bounds for dimension \(d) with size \(size)")
                }
                return i < 0 ? i + size : i
            })
        }
        return MultiIndex(base: base, dims: tensorDims, indices: indices, shape: shape)
    }

    /// The base with its indexed dims first (in order): a view.
    static func indexedFirst(_ m: MultiIndex) throws -> Tensor {
        let rest = (0..<m.base.rank).filter { !m.dims.contains($0) }
        return try m.base.permute(m.dims + rest)
    }

    /// The element block at one broadcast position of a dims-first view.
    static func block(_ front: Tensor, _ m: MultiIndex, _ j: Int) throws -> Tensor {
        var v = front
        for k in 0..<m.dims.count { v = try v.select(dim: 0, index: m.indices[k][j]) }
        return v
    }

    func multiAdvancedIndex(_ items: [IndexItem]) throws -> Tensor {
        let m = try multiIndex(items)
        let front = try Tensor.indexedFirst(m)
        let restShape = Array(front.shape[m.dims.count...])
        let n = Shape.count(m.shape)
        let flat = try Tensor(zeros: [n] + restShape, dtype: dtype)
        for j in 0..<n { copyStrided(from: try Tensor.block(front, m, j), into: try flat.select(dim: 0, index: j)) }
        let out = try flat.reshape(m.shape + restShape)
        guard m.adjacent, let first = m.dims.first, first > 0 else { return out }
        // Adjacent indices: the broadcast dims stand where the first index stood.
        let b = m.shape.count
        let order = Array(b..<(b + first)) + Array(0..<b) + Array((b + first)..<out.rank)
        return try out.permute(order).contiguous()
    }

    func multiAdvancedAssign(_ items: [IndexItem], _ value: Tensor, accumulate: Bool) throws {
        let m = try multiIndex(items)
        guard m.base.sharesStorage(with: self) else { throw TensorError.index("index assignment needs a view of this tensor") }
        let front = try Tensor.indexedFirst(m)
        let restShape = Array(front.shape[m.dims.count...])
        var selShape = m.shape + restShape
        var vals = value
        if m.adjacent, let first = m.dims.first, first > 0 {
            // The value is shaped like x[items]: move its broadcast dims to the front.
            let b = m.shape.count
            selShape = Array(restShape[..<first]) + m.shape + Array(restShape[first...])
            vals = try value.expand(selShape)
            vals = try vals.permute(Array(first..<(first + b)) + Array(0..<first) + Array((first + b)..<selShape.count))
        } else {
            vals = try value.expand(selShape)
        }
        let n = Shape.count(m.shape)
        let flatVals = try vals.reshape([n] + restShape)
        for j in 0..<n {
            let dst = try Tensor.block(front, m, j), src = try flatVals.select(dim: 0, index: j)
            if accumulate { try dst.add_(src) } else { try dst.copy_(src) }
        }
    }
}
