import TensorCore

/// Views and shape ops: their gradients are the inverse reshaping of the
/// output's gradient (expand's is a sum, which the engine does for any op).
extension Functional {
    public static func view(_ x: Tensor, _ shape: [Int]) throws -> Tensor {
        Autograd.record(try x.view(shape), "ViewBackward0", [x]) { g in [try reshape(g, x.shape)] }
    }

    /// `reshape`: a view when possible (`ViewBackward0`), else a copy (`UnsafeViewBackward0`).
    public static func reshape(_ x: Tensor, _ shape: [Int]) throws -> Tensor {
        reshaped(x, try x.reshape(shape))
    }

    public static func flatten(_ x: Tensor, startDim: Int = 0, endDim: Int = -1) throws -> Tensor {
        reshaped(x, try x.flatten(startDim: startDim, endDim: endDim))
    }

    /// A reshape's result; the input itself when nothing changed (no node, as PyTorch's alias).
    static func reshaped(_ x: Tensor, _ y: Tensor) -> Tensor {
        if y === x { return y }
        return Autograd.record(y, y.sharesStorage(with: x) ? "ViewBackward0" : "UnsafeViewBackward0", [x]) { g in
            [try reshape(g, x.shape)]
        }
    }

    public static func permute(_ x: Tensor, _ dims: [Int]) throws -> Tensor {
        let y = try x.permute(dims)
        return Autograd.record(y, "PermuteBackward0", [x]) { g in
            var inverse = [Int](repeating: 0, count: dims.count)
            for (i, d) in dims.enumerated() { inverse[d < 0 ? d + dims.count : d] = i }
            return [try permute(g, inverse)]
        }
    }

    public static func transpose(_ x: Tensor, _ d0: Int, _ d1: Int) throws -> Tensor {
        Autograd.record(try x.transpose(d0, d1), "TransposeBackward0", [x]) { g in [try transpose(g, d0, d1)] }
    }

    /// `t()`: a 2-D transpose (0-D and 1-D unchanged).
    public static func t(_ x: Tensor) throws -> Tensor {
        guard x.rank <= 2 else { throw TensorError.shape("t() expects a tensor with <= 2 dimensions, but self is \(x.rank)D") }
        let y = x.rank < 2 ? x.detach() : try x.transpose(0, 1)
        return Autograd.record(y, "TBackward0", [x]) { g in [try t(g)] }
    }

    /// `squeeze(dim=None)`; dims may be an int or several.
    public static func squeeze(_ x: Tensor, dims: [Int]? = nil) throws -> Tensor {
        var y: Tensor
        let name: String
        if let dims {
            y = x
            for d in dims.map({ $0 < 0 ? $0 + Swift.max(x.rank, 1) : $0 }).sorted(by: >) { y = try y.squeeze(d) }
            name = dims.count > 1 ? "SqueezeBackward2" : "SqueezeBackward1"
        } else {
            y = try x.squeeze()
            name = "SqueezeBackward0"
        }
        if y === x { y = x.detach() }
        return Autograd.record(y, name, [x]) { g in [try reshape(g, x.shape)] }
    }

    public static func unsqueeze(_ x: Tensor, _ dim: Int) throws -> Tensor {
        Autograd.record(try x.unsqueeze(dim), "UnsqueezeBackward0", [x]) { g in [try reshape(g, x.shape)] }
    }

    /// `expand(*sizes)`: a broadcast view; the gradient is summed back by the engine.
    public static func expand(_ x: Tensor, _ sizes: [Int]) throws -> Tensor {
        Autograd.record(try x.expand(sizes), "ExpandBackward0", [x]) { g in [g] }
    }

    /// `contiguous()`: the tensor itself when already contiguous.
    public static func contiguous(_ x: Tensor) throws -> Tensor {
        x.isContiguous ? x : try clone(x)
    }

    public static func clone(_ x: Tensor) throws -> Tensor {
        Autograd.record(try x.clone(), "CloneBackward0", [x]) { g in [g] }
    }

    /// `to(dtype)`: float to float is the tensor itself; other conversions end the graph
    /// (PyTorch allows gradients for floating results only).
    public static func to(_ x: Tensor, _ dtype: DType) throws -> Tensor {
        if x.dtype == dtype { return x }
        let y = try x.to(dtype)
        return Autograd.record(y, "ToCopyBackward0", [x]) { g in [try g.to(x.dtype)] }
    }

    /// `narrow(dim, start, length)` and the pieces of `split`/`chunk` (views).
    public static func narrow(_ x: Tensor, dim: Int, start: Int, length: Int, name: String = "SliceBackward0") throws -> Tensor {
        let d = try Shape.wrapDim(dim, rank: x.rank)
        let y = try x.narrow(dim: d, start: start, length: length)
        return Autograd.record(y, name, [x]) { g in
            var pads = [Int](repeating: 0, count: 2 * x.rank)
            // F.pad's order: last dim first, (before, after) for each.
            let k = 2 * (x.rank - 1 - d)
            pads[k] = start; pads[k + 1] = x.shape[d] - start - length
            return [try pad(g, pads)]
        }
    }

    /// `select(dim, index)`: a view with one dim removed.
    public static func select(_ x: Tensor, dim: Int, index: Int) throws -> Tensor {
        let d = try Shape.wrapDim(dim, rank: x.rank)
        let i = index < 0 ? index + x.shape[d] : index
        let y = try x.select(dim: d, index: index)
        guard Autograd.needsGrad(x) else { return y }
        return Autograd.record(y, "SelectBackward0", [x]) { g in
            try narrowBackward(g, x.shape, dim: d, start: i)
        }
    }

    /// The gradient of a one-index select: g placed at `start` along `dim` in zeros.
    static func narrowBackward(_ g: Tensor, _ shape: [Int], dim d: Int, start: Int) throws -> [Tensor?] {
        var pads = [Int](repeating: 0, count: 2 * shape.count)
        let k = 2 * (shape.count - 1 - d)
        pads[k] = start; pads[k + 1] = shape[d] - start - 1
        return [try pad(try unsqueeze(g, d), pads)]
    }

    // MARK: indexing

    /// `x[items]`: a view for ints, slices, `...` and `None`; a copy with a tensor index.
    public static func index(_ x: Tensor, _ items: [IndexItem]) throws -> Tensor {
        let y = try x.index(items)
        // The interpreter's hot path (`x[i, j]` in a loop): no closure is made without a gradient.
        guard Autograd.needsGrad(x) else { return y }
        return Autograd.record(y, indexName(items), [x]) { g in [try indexBackward(g, x.shape, items)] }
    }

    /// The gradient of `x[items]`: g written into zeros of x's shape at the indexed
    /// places (added up where a tensor index repeats a position).
    static func indexBackward(_ g: Tensor, _ shape: [Int], _ items: [IndexItem]) throws -> Tensor {
        let advanced = items.contains { if case .tensor = $0 { return true }; return false }
        if !advanced {
            let z = try Tensor.zeros(shape)
            try z.indexAssign(items, try g.detach().contiguous())
            // Double backward: the gradient of this scatter is indexing again.
            return Autograd.record(z, "IndexPutBackward0", [g]) { gg in [try index(gg, items)] }
        }
        // Any mix of indices: the flat position of each selected element, then a scatter-add.
        let n = Shape.count(shape)
        let ids = try Tensor.arange(start: 0, end: Double(n), step: 1, dtype: .int64).reshape(shape)
        let picked = try ids.index(items).contiguous()
        let z = try Tensor.zeros([n])
        let src = try g.detach().contiguous()
        guard picked.numel == src.numel else { throw TensorError.shape("index backward: gradient has \(src.numel) elements for \(picked.numel) positions") }
        let o = z.floatPtr, p = picked.intPtr, s = src.floatPtr
        for k in 0..<picked.numel { o[Int(p[k])] += s[k] }
        let r = try z.reshape(shape)
        return Autograd.record(r, "IndexPutBackward0", [g]) { gg in [try index(gg, items)] }
    }

    /// The last op PyTorch applies for `x[items]`.
    public static func indexName(_ items: [IndexItem]) -> String {
        var name: String?
        var sawSlice = false
        for it in items {
            switch it {
            case .tensor: return "IndexBackward0"
            case .int: name = "SelectBackward0"
            case .newAxis: name = "UnsqueezeBackward0"
            case .slice(let a, let b, let c):
                sawSlice = true
                if a != nil || b != nil || (c != nil && c != 1) { name = "SliceBackward0" }
            case .ellipsis: break
            }
        }
        return name ?? (sawSlice ? "SliceBackward0" : "AliasBackward0")
    }

    /// `x[items] = value`, in place (`CopySlices`): the old value's gradient is the
    /// output's with the written places zeroed; value's is the output's at those places.
    public static func indexAssign(_ x: Tensor, _ items: [IndexItem], _ value: Tensor) throws {
        let advanced = items.contains { if case .tensor = $0 { return true }; return false }
        if advanced { try Autograd.checkInPlace(x) } else { try Autograd.checkViewInPlace(x) }
        try x.indexAssign(items, value.dtype == x.dtype ? value : try value.to(x.dtype))
        Autograd.recordInPlace(x, "CopySlices", [value]) { g in
            let rest = try g.detach().clone()
            try rest.indexAssign(items, .scalar(0))
            return [rest, value.requiresGrad ? try index(g, items) : nil]
        }
    }

    // MARK: joins and splits

    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        let y = try Tensor.cat(tensors, dim: dim)
        guard Autograd.needsGrad(tensors) else { return y }
        let d = try Shape.wrapDim(dim, rank: y.rank)
        return Autograd.record(y, "CatBackward0", tensors) { g in
            var start = 0
            return try tensors.map { t in
                if t.rank == 1 && t.numel == 0 && y.rank != 1 { return nil }
                defer { start += t.shape[d] }
                return t.requiresGrad ? try narrow(g, dim: d, start: start, length: t.shape[d]) : nil
            }
        }
    }

    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        let y = try Tensor.stack(tensors, dim: dim)
        guard Autograd.needsGrad(tensors) else { return y }
        let d = try Shape.wrapDim(dim, rank: y.rank)
        return Autograd.record(y, "StackBackward0", tensors) { g in
            try tensors.indices.map { i in tensors[i].requiresGrad ? try select(g, dim: d, index: i) : nil }
        }
    }

    /// `split(split_size_or_sections, dim=0)`: views along dim.
    /// `evenly`: pieces of one size (`split(int)`, `chunk`), PyTorch's `SplitBackward0`.
    public static func split(_ x: Tensor, sizes: [Int], dim: Int = 0, evenly: Bool = false) throws -> [Tensor] {
        let d = try Shape.wrapDim(dim, rank: x.rank)
        guard sizes.reduce(0, +) == x.shape[d], sizes.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.runtime("split_with_sizes expects split_sizes to sum exactly to \(x.shape[d]) (input tensor's size at dimension \(d)), but got split_sizes=[\(sizes.map(String.init).joined(separator: ", "))]")
        }
        var start = 0
        return try sizes.map { n in
            defer { start += n }
            return try narrow(x, dim: d, start: start, length: n, name: evenly ? "SplitBackward0" : "SplitWithSizesBackward0")
        }
    }

    /// `split(int)` / `chunk(chunks)` piece sizes.
    public static func splitSizes(total: Int, piece: Int) throws -> [Int] {
        guard piece > 0 || total == 0 else { throw TensorError.runtime("split_size can only be 0 if dimension size is 0, but got dimension size of \(total)") }
        if total == 0 { return [0] }
        var sizes: [Int] = [], left = total
        while left > 0 { sizes.append(Swift.min(piece, left)); left -= piece }
        return sizes
    }
}
