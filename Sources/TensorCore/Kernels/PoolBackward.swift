/// Backward kernels of the poolings: max pooling (plain and adaptive) sends each output
/// gradient to its argmax (the forward's indices, h·W + w within each plane), average
/// pooling spreads it evenly over the window with the forward's divisor, and unpooling
/// gathers it back from where the forward scattered.
extension Kernels {
    /// Gradient of `max_pool2d(input, ..., return_indices=True)` (and `adaptive_max_pool2d`):
    /// `gradOutput` and `indices` are the pooled shape, (N, C, oh, ow) or (C, oh, ow);
    /// the result has `inputShape`. Elements that were the max of several windows get the sum.
    /// For training, run the forward through `maxPool2d` (values and indices), not `maxPool2dValues`.
    public static func maxPool2dBackward(_ gradOutput: Tensor, indices: Tensor, inputShape: [Int]) throws -> Tensor {
        guard inputShape.count == 3 || inputShape.count == 4 else {
            throw TensorError.shape("max_pool2d backward: expected 3D or 4D input shape, but got \(sizes(inputShape))")
        }
        guard indices.dtype == .int64, gradOutput.shape == indices.shape, gradOutput.rank == inputShape.count,
              Array(gradOutput.shape.dropLast(2)) == Array(inputShape.dropLast(2)) else {
            throw TensorError.shape("max_pool2d backward: grad_output of size \(sizes(gradOutput.shape)) and indices of size \(sizes(indices.shape)) do not match input of size \(sizes(inputShape))")
        }
        let gy = try floatContiguous(gradOutput), idx = try indices.contiguous()
        let out = try Tensor(zeros: inputShape)
        let planes = Shape.count(Array(inputShape.dropLast(2)))
        let inPlane = inputShape[inputShape.count - 2] * inputShape[inputShape.count - 1]
        let outPlane = gy.shape[gy.rank - 2] * gy.shape[gy.rank - 1]
        defer { withExtendedLifetime((gy, idx)) {} }
        let gp = gy.floatPtr, ip = idx.intPtr, op = out.floatPtr
        for i in 0..<gy.numel where ip[i] < 0 || ip[i] >= Int64(inPlane) {
            throw TensorError.runtime("Found an invalid max index: \(ip[i]) (input volumes are of size \(inputShape[inputShape.count - 2])x\(inputShape[inputShape.count - 1]))")
        }
        Parallel.forEach(planes, minPerThread: max(1, 16_384 / max(outPlane, 1))) { plane in
            let g = gp + plane * outPlane, q = ip + plane * outPlane, d = op + plane * inPlane
            for i in 0..<outPlane { d[Int(q[i])] += g[i] }
        }
        return out
    }

    /// Gradient of `adaptive_max_pool2d(input, output_size, return_indices=True)`: as max pooling's.
    public static func adaptiveMaxPool2dBackward(_ gradOutput: Tensor, indices: Tensor, inputShape: [Int]) throws -> Tensor {
        try maxPool2dBackward(gradOutput, indices: indices, inputShape: inputShape)
    }

    /// Gradient of `avg_pool2d(input, p, count_include_pad, divisor_override)` (the same
    /// arguments as the forward): each output gradient divided by that window's divisor and
    /// added to every input element of the window.
    public static func avgPool2dBackward(_ gradOutput: Tensor, inputShape: [Int], _ p: Pool2dParams,
                                         countIncludePad: Bool = true, divisorOverride: Int? = nil) throws -> Tensor {
        guard inputShape.count == 3 || inputShape.count == 4 else {
            throw TensorError.shape("avg_pool2d backward: expected 3D or 4D input shape, but got \(sizes(inputShape))")
        }
        if let d = divisorOverride, d == 0 { throw TensorError.value("divisor must be not zero") }
        let h = inputShape[inputShape.count - 2], w = inputShape[inputShape.count - 1]
        let oh = try poolOutputSize(input: h, kernel: p.kernel.0, pad: p.padding.0, stride: p.stride.0, dilation: 1, ceilMode: p.ceilMode)
        let ow = try poolOutputSize(input: w, kernel: p.kernel.1, pad: p.padding.1, stride: p.stride.1, dilation: 1, ceilMode: p.ceilMode)
        let rows = PoolAxis(input: h, output: oh, kernel: p.kernel.0, stride: p.stride.0, pad: p.padding.0, dilation: 1)
        let cols = PoolAxis(input: w, output: ow, kernel: p.kernel.1, stride: p.stride.1, pad: p.padding.1, dilation: 1)
        return try spreadPoolGradient(gradOutput, inputShape: inputShape, rows: rows, cols: cols,
                                      countIncludePad: countIncludePad, divisor: divisorOverride, name: "avg_pool2d")
    }

    /// Gradient of `adaptive_avg_pool2d(input, output_size)`: windows
    /// [⌊i·In/Out⌋, ⌈(i+1)·In/Out⌉), each divided by its own size.
    public static func adaptiveAvgPool2dBackward(_ gradOutput: Tensor, inputShape: [Int]) throws -> Tensor {
        guard inputShape.count == 3 || inputShape.count == 4, gradOutput.rank == inputShape.count else {
            throw TensorError.shape("adaptive_avg_pool2d backward: expected 3D or 4D input shape, but got \(sizes(inputShape))")
        }
        let h = inputShape[inputShape.count - 2], w = inputShape[inputShape.count - 1]
        let oh = gradOutput.shape[gradOutput.rank - 2], ow = gradOutput.shape[gradOutput.rank - 1]
        return try spreadPoolGradient(gradOutput, inputShape: inputShape, rows: PoolAxis(adaptiveInput: h, output: oh),
                                      cols: PoolAxis(adaptiveInput: w, output: ow), countIncludePad: false, divisor: nil,
                                      name: "adaptive_avg_pool2d")
    }

    /// The average-pooling adjoint over given windows (step 1), one plane per iteration.
    static func spreadPoolGradient(_ gradOutput: Tensor, inputShape: [Int], rows: PoolAxis, cols: PoolAxis,
                                   countIncludePad: Bool, divisor: Int?, name: String) throws -> Tensor {
        let oh = rows.start.count, ow = cols.start.count
        let expected = Array(inputShape.dropLast(2)) + [oh, ow]
        guard gradOutput.shape == expected else {
            throw TensorError.shape("\(name) backward: expected grad_output of size \(sizes(expected)), but got \(sizes(gradOutput.shape))")
        }
        let gy = try floatContiguous(gradOutput)
        let out = try Tensor(zeros: inputShape)
        let h = inputShape[inputShape.count - 2], w = inputShape[inputShape.count - 1]
        let planes = Shape.count(Array(inputShape.dropLast(2)))
        if out.numel == 0 || gy.numel == 0 { return out }
        defer { withExtendedLifetime(gy) {} }
        let gp = gy.floatPtr, op = out.floatPtr
        Parallel.forEach(planes, minPerThread: max(1, 16_384 / max(h * w, 1))) { plane in
            let g = gp + plane * oh * ow, d = op + plane * h * w
            for oy in 0..<oh {
                let y0 = rows.start[oy], y1 = rows.end[oy]
                if y0 >= y1 { continue }
                for ox in 0..<ow {
                    let x0 = cols.start[ox], x1 = cols.end[ox]
                    if x0 >= x1 { continue }
                    let count = divisor ?? (countIncludePad ? rows.padded[oy] * cols.padded[ox] : (y1 - y0) * (x1 - x0))
                    let v = g[oy * ow + ox] / Float(count)
                    for y in y0..<y1 {
                        let row = d + y * w
                        for x in x0..<x1 { row[x] += v }
                    }
                }
            }
        }
        return out
    }

    /// Gradient of `max_unpool2d(input, indices, ...)`: each input element's gradient is the
    /// output gradient where the forward put it. `gradOutput` is the unpooled shape
    /// (N, C, H', W') or (C, H', W'); the result has `indices`' shape.
    public static func maxUnpool2dBackward(_ gradOutput: Tensor, indices: Tensor) throws -> Tensor {
        guard indices.dtype == .int64, indices.rank == 3 || indices.rank == 4, gradOutput.rank == indices.rank,
              Array(gradOutput.shape.dropLast(2)) == Array(indices.shape.dropLast(2)) else {
            throw TensorError.shape("max_unpool2d backward: grad_output of size \(sizes(gradOutput.shape)) does not match indices of size \(sizes(indices.shape))")
        }
        let gy = try floatContiguous(gradOutput), idx = try indices.contiguous()
        let out = try Tensor(zeros: indices.shape)
        let planes = Shape.count(Array(indices.shape.dropLast(2)))
        let inPlane = indices.shape[indices.rank - 2] * indices.shape[indices.rank - 1]
        let oh = gy.shape[gy.rank - 2], ow = gy.shape[gy.rank - 1], outPlane = oh * ow
        defer { withExtendedLifetime((gy, idx)) {} }
        let gp = gy.floatPtr, ip = idx.intPtr, op = out.floatPtr
        for i in 0..<idx.numel where ip[i] < 0 || ip[i] >= Int64(outPlane) {
            throw TensorError.runtime("Found an invalid max index: \(ip[i]) (output volumes are of size \(oh)x\(ow))")
        }
        for plane in 0..<planes {
            let g = gp + plane * outPlane, q = ip + plane * inPlane, d = op + plane * inPlane
            for i in 0..<inPlane { d[i] = g[Int(q[i])] }
        }
        return out
    }
}
