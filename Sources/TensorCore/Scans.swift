/// The exclusive products a product's gradient needs (exact when elements are zero).
/// `prod` and running sums/products are in Sorting.swift.
extension Tensor {
    /// For each element, the product of the others in its group along `dim` (all when nil):
    /// prefix·suffix products, so zeros give exact results. Floating tensors only.
    public func exclusiveProducts(dim: Int?) throws -> Tensor {
        let flat = dim == nil
        let base = flat ? try reshape([-1]) : self
        let d = flat ? 0 : try Shape.wrapDim(dim ?? 0, rank: rank)
        let (moved, back) = try base.movedLast(d)
        let n = base.shape[d], groups = n == 0 ? 0 : moved.numel / n
        let out = try Tensor(zeros: moved.shape, dtype: dtype)
        let start = moved.offset
        if dtype == .float32 {
            let x = moved.floatPtr, o = out.floatPtr
            for g in 0..<groups {
                var acc: Float = 1
                for j in 0..<n { o[g * n + j] = acc; acc *= x[g * n + j] }
                acc = 1
                for j in stride(from: n - 1, through: 0, by: -1) { o[g * n + j] *= acc; acc *= x[g * n + j] }
            }
        } else {
            for g in 0..<groups {
                var prefix = [Double](repeating: 1, count: n)
                var acc: Double = 1
                for j in 0..<n { prefix[j] = acc; acc *= moved.double(atStorageOffset: start + g * n + j) }
                acc = 1
                for j in stride(from: n - 1, through: 0, by: -1) {
                    out.setDouble(prefix[j] * acc, atStorageOffset: g * n + j)
                    acc *= moved.double(atStorageOffset: start + g * n + j)
                }
            }
        }
        let result = try out.permute(back).contiguous()
        return flat ? try result.reshape(shape) : result
    }
}
