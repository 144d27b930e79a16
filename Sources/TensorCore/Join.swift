/// `torch.cat` and `torch.stack`.
extension Tensor {
    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        // PyTorch skips 1-D empty tensors in cat.
        let parts = tensors.filter { !($0.rank == 1 && $0.numel == 0) }
        guard let first = parts.first else {
            if let t = tensors.first { return t }
            throw TensorError.value("torch.cat(): expected a non-empty list of Tensors")
        }
        if first.rank == 0 { throw TensorError.value("zero-dimensional tensor (at position 0) cannot be concatenated") }
        let d = try Shape.wrapDim(dim, rank: first.rank)
        var dt = first.dtype
        var total = 0
        for (i, t) in parts.enumerated() {
            guard t.rank == first.rank else {
                throw TensorError.shape("Tensors must have same number of dimensions: got \(first.rank) and \(t.rank)")
            }
            for k in 0..<t.rank where k != d && t.shape[k] != first.shape[k] {
                throw TensorError.shape("Sizes of tensors must match except in dimension \(d). Expected size \(first.shape[k]) but got size \(t.shape[k]) for tensor number \(i) in the list.")
            }
            total += t.shape[d]
            dt = DType.promote(dt, t.dtype)
        }
        var outShape = first.shape
        outShape[d] = total
        let out = try Tensor(zeros: outShape, dtype: dt)
        var start = 0
        for t in parts {
            let dst = try out.slice(dim: d, start: start, stop: start + t.shape[d])
            copyStrided(from: t.dtype == dt ? t : try t.to(dt), into: dst)
            start += t.shape[d]
        }
        return out
    }

    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError.value("stack expects a non-empty TensorList") }
        for (i, t) in tensors.enumerated() where t.shape != first.shape {
            throw TensorError.shape("stack expects each tensor to be equal size, but got \(Shape.describe(first.shape)) at entry 0 and \(Shape.describe(t.shape)) at entry \(i)")
        }
        let d = try Shape.wrapDim(dim, rank: first.rank + 1)
        return try cat(tensors.map { try $0.unsqueeze(d) }, dim: d)
    }
}
