/// Gradients of the pooling kernels: each output gradient goes back to the
/// input elements its window read (the chosen one for max). Average pooling's
/// (`avgPool2dBackward`, `adaptiveAvgPool2dBackward`) are in PoolBackward.swift.
extension Kernels {
    /// Max pools (plain, adaptive): adds each output gradient to the input element its
    /// plane-flat index (h·W + w) names.
    public static func maxPoolBackward(_ g: Tensor, indices: Tensor, inputShape: [Int]) throws -> Tensor {
        let gc = try floatContiguous(g), ic = try indices.contiguous()
        let out = try Tensor(zeros: inputShape)
        let plane = inputShape.count >= 2 ? inputShape[inputShape.count - 1] * inputShape[inputShape.count - 2] : 1
        let planes = plane == 0 ? 0 : out.numel / plane
        let per = planes == 0 ? 0 : gc.numel / planes
        let gp = gc.floatPtr, ip = ic.intPtr, op = out.floatPtr
        Parallel.forEach(planes, minPerThread: max(1, 16_384 / max(1, per))) { k in
            let dst = op + k * plane, src = gp + k * per, idx = ip + k * per
            for j in 0..<per {
                let i = Int(idx[j])
                if i >= 0 && i < plane { dst[i] += src[j] }
            }
        }
        return out
    }
}
