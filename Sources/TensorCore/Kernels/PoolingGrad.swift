/// Gradients of the pooling kernels: each output gradient goes back to the
/// input elements its window read (the chosen one for max, all of them, divided
/// as the forward divided, for average).
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

    /// `avg_pool2d`'s gradient: each window's gradient divided by the forward's divisor
    /// and added to every input element of the window.
    public static func avgPool2dBackward(_ g: Tensor, inputShape: [Int], _ p: Pool2dParams, countIncludePad: Bool = true,
                                         divisorOverride: Int? = nil) throws -> Tensor {
        let h = inputShape[inputShape.count - 2], w = inputShape[inputShape.count - 1]
        let oh = g.shape[g.rank - 2], ow = g.shape[g.rank - 1]
        let rows = PoolAxis(input: h, output: oh, kernel: p.kernel.0, stride: p.stride.0, pad: p.padding.0, dilation: 1)
        let cols = PoolAxis(input: w, output: ow, kernel: p.kernel.1, stride: p.stride.1, pad: p.padding.1, dilation: 1)
        return try spreadWindows(g, inputShape: inputShape, rows: rows, cols: cols) { oy, ox, y0, y1, x0, x1 in
            divisorOverride ?? (countIncludePad ? rows.padded[oy] * cols.padded[ox] : (y1 - y0) * (x1 - x0))
        }
    }

    /// `adaptive_avg_pool2d`'s gradient.
    public static func adaptiveAvgPool2dBackward(_ g: Tensor, inputShape: [Int]) throws -> Tensor {
        let h = inputShape[inputShape.count - 2], w = inputShape[inputShape.count - 1]
        let rows = PoolAxis(adaptiveInput: h, output: g.shape[g.rank - 2])
        let cols = PoolAxis(adaptiveInput: w, output: g.shape[g.rank - 1])
        return try spreadWindows(g, inputShape: inputShape, rows: rows, cols: cols) { _, _, y0, y1, x0, x1 in
            (y1 - y0) * (x1 - x0)
        }
    }

    static func spreadWindows(_ g: Tensor, inputShape: [Int], rows: PoolAxis, cols: PoolAxis,
                              divisor: (Int, Int, Int, Int, Int, Int) -> Int) throws -> Tensor {
        let gc = try floatContiguous(g)
        let out = try Tensor(zeros: inputShape)
        let h = inputShape[inputShape.count - 2], w = inputShape[inputShape.count - 1]
        let oh = rows.start.count, ow = cols.start.count
        let planes = h * w == 0 ? 0 : out.numel / (h * w)
        let gp = gc.floatPtr, op = out.floatPtr
        // The divisor of each window is the same in every plane.
        var scale = [Float](repeating: 0, count: oh * ow)
        for oy in 0..<oh {
            for ox in 0..<ow {
                let d = divisor(oy, ox, rows.start[oy], rows.end[oy], cols.start[ox], cols.end[ox])
                scale[oy * ow + ox] = d == 0 ? 0 : 1 / Float(d)
            }
        }
        scale.withUnsafeBufferPointer { sc in
            Parallel.forEach(planes, minPerThread: max(1, 16_384 / max(1, h * w))) { k in
                let dst = op + k * h * w, src = gp + k * oh * ow
                for oy in 0..<oh {
                    let y0 = rows.start[oy], y1 = rows.end[oy]
                    for ox in 0..<ow {
                        let x0 = cols.start[ox], x1 = cols.end[ox]
                        guard y0 < y1, x0 < x1 else { continue }
                        let v = src[oy * ow + ox] * sc[oy * ow + ox]
                        for y in y0..<y1 { let row = dst + y * w; for x in x0..<x1 { row[x] += v } }
                    }
                }
            }
        }
        return out
    }
}
