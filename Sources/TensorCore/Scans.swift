/// Products and running sums along a dim (`prod`, `cumsum`), and the exclusive
/// products a product's gradient needs (exact when elements are zero).
extension Tensor {
    /// This tensor with `dim` moved last, contiguous, as (groups, length) plus the moved shape.
    func movedLast(_ d: Int) throws -> (Tensor, [Int]) {
        var perm = Array(0..<rank).filter { $0 != d }
        perm.append(d)
        let moved = try permute(perm).contiguous()
        return (moved, perm.map { shape[$0] })
    }

    /// Undoes `movedLast`: a contiguous tensor in the moved layout back to this dim order.
    static func movedBack(_ t: Tensor, dim d: Int, rank: Int) throws -> Tensor {
        var perm = [Int](repeating: 0, count: rank)
        var order = Array(0..<rank).filter { $0 != d }
        order.append(d)
        for (i, o) in order.enumerated() { perm[o] = i }
        return try t.permute(perm).contiguous()
    }

    /// `cumsum(dim)`: float tensors stay float, integers and bools sum to int64.
    public func cumsum(dim: Int) throws -> Tensor {
        if rank == 0 { return try to(dtype == .float32 ? .float32 : .int64).clone() }
        let d = try Shape.wrapDim(dim, rank: rank)
        let src = dtype == .float32 ? self : try to(.int64)
        let (moved, movedShape) = try src.movedLast(d)
        let n = shape[d], groups = n == 0 ? 0 : moved.numel / n
        let out = try Tensor(zeros: movedShape, dtype: src.dtype)
        if src.dtype == .float32 {
            let x = moved.floatPtr, o = out.floatPtr
            for g in 0..<groups { var acc: Float = 0; for j in 0..<n { acc += x[g * n + j]; o[g * n + j] = acc } }
        } else {
            let x = moved.intPtr, o = out.intPtr
            for g in 0..<groups { var acc: Int64 = 0; for j in 0..<n { acc &+= x[g * n + j]; o[g * n + j] = acc } }
        }
        return try Tensor.movedBack(out, dim: d, rank: rank)
    }

    /// `prod(dim=None, keepdim=False)`.
    public func prod(dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        let (src, outShape, block) = try (dtype == .float32 ? self : try to(.int64))
            .reductionLayout(dim.map { [$0] }, keepdim: keepdim)
        let groups = block == 0 ? Shape.count(outShape) : src.numel / block
        let out = try Tensor(zeros: outShape, dtype: src.dtype)
        if src.dtype == .float32 {
            let x = src.floatPtr, o = out.floatPtr
            for g in 0..<groups { var acc: Float = 1; for j in 0..<block { acc *= x[g * block + j] }; o[g] = acc }
        } else {
            let x = src.intPtr, o = out.intPtr
            for g in 0..<groups { var acc: Int64 = 1; for j in 0..<block { acc &*= x[g * block + j] }; o[g] = acc }
        }
        return out
    }

    /// For each element, the product of the others in its group along `dim` (all when nil):
    /// prefix·suffix products, so zeros give exact results.
    public func exclusiveProducts(dim: Int?) throws -> Tensor {
        let flat = dim == nil
        let base = flat ? try reshape([-1]) : self
        let d = flat ? 0 : try Shape.wrapDim(dim ?? 0, rank: rank)
        let (moved, movedShape) = try base.movedLast(d)
        let n = base.shape[d], groups = n == 0 ? 0 : moved.numel / n
        let out = try Tensor(zeros: movedShape)
        let x = moved.floatPtr, o = out.floatPtr
        for g in 0..<groups {
            var acc: Float = 1
            for j in 0..<n { o[g * n + j] = acc; acc *= x[g * n + j] }
            acc = 1
            for j in stride(from: n - 1, through: 0, by: -1) { o[g * n + j] *= acc; acc *= x[g * n + j] }
        }
        let back = try Tensor.movedBack(out, dim: d, rank: base.rank)
        return flat ? try back.reshape(shape) : back
    }
}
