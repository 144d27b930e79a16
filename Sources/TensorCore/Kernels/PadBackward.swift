extension Kernels {
    /// Gradient of `pad(input, pads, mode)`: every element of `gradOutput` (the padded shape)
    /// is added to the input element it was copied from; constant padding drops the border
    /// (and a negative pad, which cropped, gives zeros there). Reflect, replicate and
    /// circular sum the copies, as PyTorch's `reflection_pad2d_backward` and friends.
    public static func padBackward(_ gradOutput: Tensor, inputShape: [Int], _ pads: [Int],
                                   mode: PadMode = .constant) throws -> Tensor {
        let rank = inputShape.count, k = pads.count / 2
        guard pads.count % 2 == 0, k <= rank, gradOutput.rank == rank else {
            throw TensorError.value("pad backward: padding \(sizes(pads)) does not fit input of size \(sizes(inputShape))")
        }
        var maps: [[Int]?] = Array(repeating: nil, count: rank)
        var outShape = inputShape
        for i in 0..<k {
            let d = rank - 1 - i, n = inputShape[d], l = pads[2 * i], r = pads[2 * i + 1]
            outShape[d] = n + l + r
            if n == 0 && mode != .constant { continue }
            let m = padIndexMap(input: n, before: l, size: outShape[d], mode: mode)
            // The forward rejected pads that would read outside the input; so does its backward.
            if let j = m.first(where: { $0 >= n || $0 < (mode == .constant ? -1 : 0) }) {
                throw TensorError.value("pad backward: padding (\(l), \(r)) reads index \(j) of dimension \(d) of size \(n)")
            }
            maps[d] = m
        }
        guard gradOutput.shape == outShape else {
            throw TensorError.shape("pad backward: expected grad_output of size \(sizes(outShape)), but got \(sizes(gradOutput.shape))")
        }
        let gy = try floatContiguous(gradOutput)
        let out = try Tensor(zeros: inputShape)
        if out.numel == 0 || gy.numel == 0 { return out }
        if rank == 0 { out.floatPtr[0] = gy.floatPtr[0]; return out }
        defer { withExtendedLifetime(gy) {} }
        var src = UnsafePointer(gy.floatPtr)
        PadScatter(shape: outShape, strides: Shape.contiguousStrides(inputShape), maps: maps)
            .level(0, dst: out.floatPtr, src: &src)
        return out
    }
}

/// Adds a contiguous padded gradient back through per-dim index maps (−1: padding, dropped;
/// nil: identity) into a contiguous input gradient.
struct PadScatter {
    let shape: [Int]
    let strides: [Int]
    let maps: [[Int]?]

    func level(_ dim: Int, dst: UnsafeMutablePointer<Float>, src: inout UnsafePointer<Float>) {
        let n = shape[dim], st = strides[dim]
        if dim == shape.count - 1 {
            if let m = maps[dim] {
                for o in 0..<n { let j = m[o]; if j >= 0 { dst[j * st] += src[o] } }
            } else {
                for o in 0..<n { dst[o * st] += src[o] }
            }
            src += n
            return
        }
        let inner = Shape.count(Array(shape[(dim + 1)...]))
        for o in 0..<n {
            let j = maps[dim].map { $0[o] } ?? o
            if j < 0 {
                src += inner
            } else {
                level(dim + 1, dst: dst + j * st, src: &src)
            }
        }
    }
}
