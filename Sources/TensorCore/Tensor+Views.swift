/// Views: new shapes and strides over the same storage, as PyTorch's are.
extension Tensor {
    /// `view(shape)`: needs compatible strides; `-1` infers one size.
    public func view(_ newShape: [Int]) throws -> Tensor {
        let target = try inferShape(newShape)
        guard let st = Tensor.computeViewStrides(oldShape: shape, oldStrides: strides, newShape: target) else {
            throw TensorError.shape("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
        }
        return view(shape: target, strides: st, offset: offset)
    }

    /// `reshape(shape)`: a view when strides allow, otherwise a copy.
    public func reshape(_ newShape: [Int]) throws -> Tensor {
        let target = try inferShape(newShape)
        if let st = Tensor.computeViewStrides(oldShape: shape, oldStrides: strides, newShape: target) {
            return view(shape: target, strides: st, offset: offset)
        }
        let c = try copyContiguous()
        return c.view(shape: target, strides: Shape.contiguousStrides(target), offset: 0)
    }

    func inferShape(_ newShape: [Int]) throws -> [Int] {
        var target = newShape
        var infer = -1, known = 1
        for (i, s) in newShape.enumerated() {
            if s == -1 {
                if infer >= 0 { throw TensorError.runtime("only one dimension can be inferred") }
                infer = i
            } else if s < 0 {
                throw TensorError.value("invalid shape dimension \(s)")
            } else { known &*= s }
        }
        let n = numel
        if infer >= 0 {
            if known == 0 || n % known != 0 {
                throw TensorError.shape("shape '\(Shape.describe(newShape))' is invalid for input of size \(n)")
            }
            target[infer] = n / known
        } else if known != n {
            throw TensorError.shape("shape '\(Shape.describe(newShape))' is invalid for input of size \(n)")
        }
        // As PyTorch: the wrapped product can match (`zeros(0).view(2**62, 4)`); the count cannot.
        try Shape.checkNumel(target)
        return target
    }

    /// PyTorch's `computeStride`: strides for a view with a new shape, or nil.
    static func computeViewStrides(oldShape: [Int], oldStrides: [Int], newShape: [Int]) -> [Int]? {
        if oldShape.isEmpty { return [Int](repeating: 1, count: newShape.count) }
        let numel = Shape.count(oldShape)
        if numel == 0 && oldShape == newShape { return oldStrides }
        var newStrides = [Int](repeating: 0, count: newShape.count)
        if numel == 0 {
            return Shape.contiguousStrides(newShape)
        }
        var viewD = newShape.count - 1
        var chunkBase = oldStrides[oldStrides.count - 1]
        var tensorNumel = 1, viewNumel = 1
        var tensorD = oldShape.count - 1
        while tensorD >= 0 {
            tensorNumel *= oldShape[tensorD]
            if tensorD == 0 || (oldShape[tensorD - 1] != 1 && oldStrides[tensorD - 1] != tensorNumel * chunkBase) {
                while viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1) {
                    newStrides[viewD] = viewNumel * chunkBase
                    viewNumel *= newShape[viewD]
                    viewD -= 1
                }
                if viewNumel != tensorNumel { return nil }
                if tensorD > 0 {
                    chunkBase = oldStrides[tensorD - 1]
                    tensorNumel = 1
                    viewNumel = 1
                }
            }
            tensorD -= 1
        }
        if viewD != -1 { return nil }
        return newStrides
    }

    /// `flatten(start_dim=0, end_dim=-1)`.
    public func flatten(startDim: Int = 0, endDim: Int = -1) throws -> Tensor {
        if rank == 0 { return try reshape([1]) }
        let s = try Shape.wrapDim(startDim, rank: rank), e = try Shape.wrapDim(endDim, rank: rank)
        guard s <= e else { throw TensorError.value("flatten() has invalid args: start_dim cannot come after end_dim") }
        if s == e { return self }
        var ns = Array(shape[..<s])
        ns.append(shape[s...e].reduce(1, *))
        ns.append(contentsOf: shape[(e + 1)...])
        return try reshape(ns)
    }

    /// `permute(dims)`.
    public func permute(_ dims: [Int]) throws -> Tensor {
        guard dims.count == rank else {
            throw TensorError.shape("permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = \(rank) is not equal to len(dims) = \(dims.count)")
        }
        var seen = Set<Int>()
        var ns = [Int](), st = [Int]()
        for d in dims {
            let w = try Shape.wrapDim(d, rank: rank)
            if !seen.insert(w).inserted { throw TensorError.runtime("permute(): duplicate dims are not allowed.") }
            ns.append(shape[w]); st.append(strides[w])
        }
        return view(shape: ns, strides: st, offset: offset)
    }

    /// `transpose(dim0, dim1)`.
    public func transpose(_ d0: Int, _ d1: Int) throws -> Tensor {
        if rank == 0 { return self }
        let a = try Shape.wrapDim(d0, rank: rank), b = try Shape.wrapDim(d1, rank: rank)
        var ns = shape, st = strides
        ns.swapAt(a, b); st.swapAt(a, b)
        return view(shape: ns, strides: st, offset: offset)
    }

    /// `.T`: reverses all dimensions.
    public var T: Tensor {
        view(shape: shape.reversed(), strides: strides.reversed(), offset: offset)
    }

    /// `squeeze()` / `squeeze(dim)`.
    public func squeeze(_ dim: Int? = nil) throws -> Tensor {
        var ns = [Int](), st = [Int]()
        if let dim {
            if rank == 0 { _ = try Shape.wrapDim(dim, rank: 0); return self }
            let d = try Shape.wrapDim(dim, rank: rank)
            for i in 0..<rank where !(i == d && shape[i] == 1) { ns.append(shape[i]); st.append(strides[i]) }
        } else {
            for i in 0..<rank where shape[i] != 1 { ns.append(shape[i]); st.append(strides[i]) }
        }
        return view(shape: ns, strides: st, offset: offset)
    }

    /// `unsqueeze(dim)`.
    public func unsqueeze(_ dim: Int) throws -> Tensor {
        let d = try Shape.wrapDim(dim, rank: rank + 1)
        var ns = shape, st = strides
        let s = d < rank ? strides[d] * shape[d] : 1
        ns.insert(1, at: d); st.insert(s, at: d)
        return view(shape: ns, strides: st, offset: offset)
    }

    /// `expand(sizes)`: broadcast view with zero strides; `-1` keeps a size.
    public func expand(_ sizes: [Int]) throws -> Tensor {
        guard sizes.count >= rank else {
            throw TensorError.shape("expand(torch.FloatTensor{\(Shape.describe(shape))}, size=\(Shape.describe(sizes))): the number of sizes provided (\(sizes.count)) must be greater or equal to the number of dimensions in the tensor (\(rank))")
        }
        let lead = sizes.count - rank
        var ns = [Int](repeating: 0, count: sizes.count), st = [Int](repeating: 0, count: sizes.count)
        for i in 0..<sizes.count {
            if i < lead {
                guard sizes[i] >= 0 else { throw TensorError.value("expand: the expanded size of the tensor (\(sizes[i])) isn't allowed in a leading, non-existing dimension \(i)") }
                ns[i] = sizes[i]; st[i] = 0
            } else {
                let cur = shape[i - lead]
                let want = sizes[i] == -1 ? cur : sizes[i]
                if cur == want { ns[i] = cur; st[i] = strides[i - lead] }
                else if cur == 1 { ns[i] = want; st[i] = 0 }
                else {
                    throw TensorError.shape("The expanded size of the tensor (\(want)) must match the existing size (\(cur)) at non-singleton dimension \(i).  Target sizes: \(Shape.describe(sizes)).  Tensor sizes: \(Shape.describe(shape))")
                }
            }
        }
        try Shape.checkNumel(ns)
        return view(shape: ns, strides: st, offset: offset)
    }

    /// `x[i]` along a dim: removes that dim.
    public func select(dim: Int, index: Int) throws -> Tensor {
        let d = try Shape.wrapDim(dim, rank: rank)
        if rank == 0 { throw TensorError.index("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number") }
        let size = shape[d]
        guard index >= -size && index < size else {
            throw TensorError.index("index \(index) is out of bounds for dimension \(d) with size \(size)")
        }
        let i = index < 0 ? index + size : index
        var ns = shape, st = strides
        ns.remove(at: d); st.remove(at: d)
        return view(shape: ns, strides: st, offset: offset + i * strides[d])
    }

    /// `x[start:stop:step]` along a dim, with Python's clamping of bounds.
    public func slice(dim: Int, start: Int?, stop: Int?, step: Int = 1) throws -> Tensor {
        let d = try Shape.wrapDim(dim, rank: rank)
        guard step > 0 else { throw TensorError.value("step must be greater than zero") }
        let size = shape[d]
        func clampIndex(_ v: Int?, _ def: Int) -> Int {
            guard var v else { return def }
            if v < 0 { v += size }
            return min(max(v, 0), size)
        }
        let s = clampIndex(start, 0), e = clampIndex(stop, size)
        let len = e > s ? (e - s + step - 1) / step : 0
        var ns = shape, st = strides
        ns[d] = len; st[d] = strides[d] * step
        return view(shape: ns, strides: st, offset: offset + (len > 0 ? s * strides[d] : 0))
    }

    /// `narrow(dim, start, length)`.
    public func narrow(dim: Int, start: Int, length: Int) throws -> Tensor {
        let d = try Shape.wrapDim(dim, rank: rank)
        guard start >= 0, length >= 0, start + length <= shape[d] else {
            throw TensorError.index("start (\(start)) + length (\(length)) exceeds dimension size (\(shape[d])).")
        }
        return try slice(dim: d, start: start, stop: start + length)
    }

    /// `size(dim)`, with negative dims.
    public func size(_ dim: Int) throws -> Int { shape[try Shape.wrapDim(dim, rank: rank)] }

    /// A tensor that shares nothing: `clone()`.
    public func clone() throws -> Tensor { try copyContiguous() }

    /// The tensor converted to another dtype (a copy unless already that dtype).
    public func to(_ dt: DType) throws -> Tensor {
        if dt == dtype { return self }
        let out = try Tensor(zeros: shape, dtype: dt)
        copyStrided(from: self, into: out)
        return out
    }
}
