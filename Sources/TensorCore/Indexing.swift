/// PyTorch's basic indexing: `x[1, :, ::2, ...]`, `x[None]`, and the
/// advanced forms `x[mask]` / `x[idx]` (copies), with assignment through them.
public enum IndexItem: Equatable, Sendable {
    case int(Int)
    case slice(start: Int?, stop: Int?, step: Int?)
    case ellipsis
    case newAxis
    case tensor(Tensor)

    public static func == (a: IndexItem, b: IndexItem) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case let (.slice(a1, b1, c1), .slice(a2, b2, c2)): return a1 == a2 && b1 == b2 && c1 == c2
        case (.ellipsis, .ellipsis), (.newAxis, .newAxis): return true
        case (.tensor(let x), .tensor(let y)): return x === y
        default: return false
        }
    }
}

extension Tensor {
    /// `x[items]`: a view for ints, slices, `...` and `None`; a copy when a
    /// tensor index (bool mask or int64 indices) is present, as PyTorch.
    /// `negativeSteps`: NumPy's `a[::-1]` (PyTorch refuses negative steps).
    public func index(_ items: [IndexItem], negativeSteps: Bool = false) throws -> Tensor {
        if Tensor.tensorItemCount(items) > 1 { return try multiAdvancedIndex(items) }
        if let (pos, idx) = items.enumerated().compactMap({ i, it -> (Int, Tensor)? in
            if case .tensor(let t) = it { return (i, t) } else { return nil } }).first {
            return try advancedIndex(items, tensorAt: pos, idx)
        }
        return try basicIndex(items, negativeSteps: negativeSteps)
    }

    func basicIndex(_ items: [IndexItem], negativeSteps: Bool = false) throws -> Tensor {
        let consuming = items.filter { if case .int = $0 { return true }; if case .slice = $0 { return true }; return false }.count
        if items.filter({ $0 == .ellipsis }).count > 1 { throw TensorError.index("an index can only have a single ellipsis ('...')") }
        guard consuming <= rank else {
            throw TensorError.index("too many indices for tensor of dimension \(rank)")
        }
        var shape = self.shape, strides = self.strides, offset = self.offset
        var outShape: [Int] = [], outStrides: [Int] = []
        var dim = 0
        for item in items {
            switch item {
            case .int(let i):
                let size = shape[dim]
                guard i >= -size && i < size else {
                    throw TensorError.index("index \(i) is out of bounds for dimension \(dim) with size \(size)")
                }
                offset += (i < 0 ? i + size : i) * strides[dim]
                dim += 1
            case .slice(let start, let stop, let step):
                let st = step ?? 1
                if st < 0 && negativeSteps {
                    // Python's slice.indices for a negative step.
                    let size = shape[dim]
                    func clamp(_ v: Int?, _ def: Int) -> Int {
                        guard var v else { return def }
                        if v < 0 { v += size }
                        return v < 0 ? -1 : Swift.min(v, size - 1)
                    }
                    let s = clamp(start, size - 1), e = clamp(stop, -1)
                    let len = s > e ? (s - e - 1) / (-st) + 1 : 0
                    if len > 0 { offset += s * strides[dim] }
                    outShape.append(len); outStrides.append(strides[dim] * st)
                    dim += 1
                    continue
                }
                guard st > 0 else { throw TensorError.value(st == 0 ? "slice step cannot be zero" : "step must be greater than zero") }
                let v = try Tensor(storage: storage, shape: [shape[dim]], strides: [strides[dim]], offset: offset)
                    .slice(dim: 0, start: start, stop: stop, step: st)
                offset = v.offset
                outShape.append(v.shape[0]); outStrides.append(v.strides[0])
                dim += 1
            case .ellipsis:
                let skip = rank - consuming
                for _ in 0..<skip { outShape.append(shape[dim]); outStrides.append(strides[dim]); dim += 1 }
            case .newAxis:
                outShape.append(1); outStrides.append(dim < rank ? strides[dim] * shape[dim] : 1)
            case .tensor:
                throw TensorError.index("unexpected tensor index")
            }
        }
        while dim < rank { outShape.append(shape[dim]); outStrides.append(strides[dim]); dim += 1 }
        shape = outShape; strides = outStrides
        return Tensor(storage: storage, shape: shape, strides: strides, offset: offset)
    }

    /// Output dims that the basic items before a tensor index produce.
    func leadingDims(_ before: [IndexItem], all items: [IndexItem], tensor idx: Tensor) -> Int {
        let consumed = items.reduce(0) { acc, it in
            switch it {
            case .int, .slice: return acc + 1
            case .tensor(let t): return acc + (t.dtype == .bool ? t.rank : 1)
            default: return acc
            }
        }
        return before.reduce(0) { acc, it in
            switch it {
            case .slice, .newAxis: return acc + 1
            case .ellipsis: return acc + max(rank - consumed, 0)
            default: return acc
            }
        }
    }

    /// Positions selected along dim d of base by a bool mask or an int64 index tensor.
    func selectedPositions(_ idx: Tensor, in base: Tensor, at d: Int) throws -> [Int] {
        if idx.dtype == .bool {
            guard d + idx.rank <= base.rank else { throw TensorError.index("too many indices for tensor of dimension \(base.rank)") }
            for k in 0..<idx.rank where idx.shape[k] != base.shape[d + k] {
                throw TensorError.index("The shape of the mask \(Shape.describe(idx.shape)) at index \(k) does not match the shape of the indexed tensor \(Shape.describe(base.shape)) at index \(d + k)")
            }
            return try idx.contiguous().toFloats().enumerated().filter { $0.element != 0 }.map { $0.offset }
        }
        guard idx.dtype.isIntegral else { throw TensorError.index("tensors used as indices must be long, int, byte or bool tensors") }
        guard d < base.rank else { throw TensorError.index("too many indices for tensor of dimension \(base.rank)") }
        let size = base.shape[d]
        return try idx.toInt64s().map { v in
            let i = Int(v)
            guard i >= -size && i < size else {
                throw TensorError.index("index \(i) is out of bounds for dimension \(d) with size \(size)")
            }
            return i < 0 ? i + size : i
        }
    }

    /// base with the mask's dims folded into one (a bool mask over several dims).
    func foldedForMask(_ base: Tensor, _ idx: Tensor, at d: Int) throws -> Tensor {
        guard idx.dtype == .bool, idx.rank != 1 else { return base }
        let lead = Array(base.shape[..<d]), trail = Array(base.shape[(d + idx.rank)...])
        return try base.reshape(lead + [idx.numel] + trail)
    }

    /// One tensor index among basic ones: `x[mask]`, `x[:, idx]` (a copy).
    func advancedIndex(_ items: [IndexItem], tensorAt pos: Int, _ idx: Tensor) throws -> Tensor {
        let before = Array(items[..<pos])
        let d = leadingDims(before, all: items, tensor: idx)
        let base = try basicIndex(before)
        let positions = try selectedPositions(idx, in: base, at: d)
        var gathered = try foldedForMask(base, idx, at: d).gather(dim: d, positions: positions)
        if idx.dtype != .bool {
            var newShape = Array(base.shape[..<d]); newShape += idx.shape; newShape += base.shape[(d + 1)...]
            gathered = try gathered.reshape(newShape)
        }
        let rest = Array(items[(pos + 1)...])
        if rest.isEmpty { return gathered }
        let kept = d + (idx.dtype == .bool ? 1 : idx.rank)
        return try gathered.basicIndex([IndexItem](repeating: .slice(start: nil, stop: nil, step: nil), count: kept) + rest)
    }

    /// A copy holding the given positions along one dim (in order).
    func gather(dim d: Int, positions: [Int]) throws -> Tensor {
        var outShape = shape
        outShape[d] = positions.count
        let out = try Tensor(zeros: outShape, dtype: dtype)
        for (j, p) in positions.enumerated() {
            let src = try select(dim: d, index: p)
            let dst = try out.select(dim: d, index: j)
            copyStrided(from: src, into: dst)
        }
        return out
    }

    /// `x[items] = value`: writes through the view (or, for a bool mask /
    /// index tensor, into the selected positions), broadcasting value.
    /// `accumulate` adds instead (`index_put_(..., accumulate=True)`): repeated
    /// indices add up, as an indexing op's gradient needs.
    public func indexAssign(_ items: [IndexItem], _ value: Tensor, accumulate: Bool = false) throws {
        if Tensor.tensorItemCount(items) > 1 { return try multiAdvancedAssign(items, value, accumulate: accumulate) }
        guard let (pos, idx) = items.enumerated().compactMap({ i, it -> (Int, Tensor)? in
            if case .tensor(let t) = it { return (i, t) } else { return nil } }).first else {
            if accumulate { try basicIndex(items).add_(value) } else { try basicIndex(items).copy_(value) }
            return
        }
        let full = IndexItem.slice(start: nil, stop: nil, step: nil)
        guard items[(pos + 1)...].allSatisfy({ $0 == full || $0 == .ellipsis }) else {
            throw TensorError.index("assignment through a tensor index followed by other indices is not supported")
        }
        let before = Array(items[..<pos])
        let d = leadingDims(before, all: items, tensor: idx)
        let base = try basicIndex(before)
        let positions = try selectedPositions(idx, in: base, at: d)
        let target = try foldedForMask(base, idx, at: d)
        guard target.sharesStorage(with: base) else {
            throw TensorError.index("mask assignment needs a tensor whose masked dims are contiguous")
        }
        var selShape = Array(target.shape); selShape[d] = positions.count
        let vals = try value.expand(selShape)
        for (j, p) in positions.enumerated() {
            let dst = try target.select(dim: d, index: p), src = try vals.select(dim: d, index: j)
            if accumulate { try dst.add_(src) } else { try dst.copy_(src) }
        }
    }
}
