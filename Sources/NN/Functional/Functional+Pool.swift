import TensorCore

/// Pooling and unpooling.
extension Functional {
    static func poolParams(_ kernelSize: [Int], _ stride: [Int]?, _ padding: [Int], _ dilation: [Int] = [1],
                           ceilMode: Bool) throws -> Pool2dParams {
        // PyTorch's pooling kernels take C ints.
        for v in kernelSize + (stride ?? []) + padding + dilation where v > Int(Int32.max) || v < Int(Int32.min) {
            throw TensorError.runtime("value cannot be converted to type int without overflow")
        }
        let p = Pool2dParams(kernel: try pair(kernelSize, "kernel_size"),
                             stride: try stride.flatMap { $0.isEmpty ? nil : try pair($0, "stride") },
                             padding: try pair(padding, "padding"), dilation: try pair(dilation, "dilation"),
                             ceilMode: ceilMode)
        try checkPoolPadding(p)
        return p
    }

    /// `F.max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False)`: values and indices.
    public static func maxPool2d(_ x: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0],
                                 dilation: [Int] = [1], ceilMode: Bool = false) throws -> (Tensor, Tensor) {
        let r = try Kernels.maxPool2d(x, try poolParams(kernelSize, stride, padding, dilation, ceilMode: ceilMode))
        return (recordMaxPool(r.values, r.indices, x, "MaxPool2DWithIndicesBackward0"), r.indices)
    }

    /// `F.max_pool2d(...)` values only: no indices are computed unless a gradient needs them.
    public static func maxPool2dValues(_ x: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0],
                                       dilation: [Int] = [1], ceilMode: Bool = false) throws -> Tensor {
        let p = try poolParams(kernelSize, stride, padding, dilation, ceilMode: ceilMode)
        guard Autograd.needsGrad(x) else { return try Kernels.maxPool2dValues(x, p) }
        let r = try Kernels.maxPool2d(x, p)
        return recordMaxPool(r.values, r.indices, x, "MaxPool2DWithIndicesBackward0")
    }

    static func recordMaxPool(_ y: Tensor, _ indices: Tensor, _ x: Tensor, _ name: String) -> Tensor {
        Autograd.record(y, name, [x]) { g in
            [try Kernels.maxPool2dBackward(g.detach(), indices: indices, inputShape: x.shape)]
        }
    }

    /// `F.avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
    /// count_include_pad=True, divisor_override=None)`.
    public static func avgPool2d(_ x: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0],
                                 ceilMode: Bool = false, countIncludePad: Bool = true,
                                 divisorOverride: Int? = nil) throws -> Tensor {
        let p = try poolParams(kernelSize, stride, padding, ceilMode: ceilMode)
        let y = try Kernels.avgPool2d(x, p, countIncludePad: countIncludePad, divisorOverride: divisorOverride)
        return Autograd.record(y, "AvgPool2DBackward0", [x]) { g in
            [try Kernels.avgPool2dBackward(g.detach(), inputShape: x.shape, p, countIncludePad: countIncludePad,
                                           divisorOverride: divisorOverride)]
        }
    }

    /// PyTorch's rule: padding at most half the effective kernel.
    static func checkPoolPadding(_ p: Pool2dParams) throws {
        let ek = (p.dilation.0 * (p.kernel.0 - 1) + 1, p.dilation.1 * (p.kernel.1 - 1) + 1)
        if p.padding.0 * 2 > ek.0 || p.padding.1 * 2 > ek.1 {
            throw TensorError.value("pad should be at most half of effective kernel size, but got pad=\(Swift.max(p.padding.0, p.padding.1)), kernel_size=\(Swift.max(p.kernel.0, p.kernel.1)) and dilation=\(Swift.max(p.dilation.0, p.dilation.1))")
        }
    }

    /// `F.max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None)`:
    /// the gradient of each input element is the output gradient at its index.
    public static func maxUnpool2d(_ x: Tensor, indices: Tensor, kernelSize: [Int], stride: [Int]? = nil,
                                   padding: [Int] = [0], outputSize: [Int]? = nil) throws -> Tensor {
        let y = try Kernels.maxUnpool2d(x, indices, kernel: try pair(kernelSize, "kernel_size"),
                                        stride: try stride.flatMap { $0.isEmpty ? nil : try pair($0, "stride") },
                                        padding: try pair(padding, "padding"), outputSize: outputSize)
        return Autograd.record(y, "MaxUnpool2DBackward0", [x]) { g in
            // Gather along the flattened plane.
            let lead = Array(x.shape.dropLast(2))
            let gp = try g.detach().contiguous().reshape(lead + [-1])
            let ip = try indices.contiguous().reshape(lead + [-1])
            let r = try gatherAlong(gp, ip, dim: gp.rank - 1)
            return [try r.reshape(x.shape)]
        }
    }

    /// `F.adaptive_avg_pool2d(input, output_size)`.
    public static func adaptiveAvgPool2d(_ x: Tensor, outputSize: AdaptiveSize) throws -> Tensor {
        let o = try outputSize.resolve(inputHW: Array(x.shape.suffix(2)))
        // PyTorch computes a (1, 1) adaptive average as a mean over the last two dims.
        let y = try Kernels.adaptiveAvgPool2d(x, outputSize: (o[0], o[1]))
        return Autograd.record(y, o == [1, 1] ? "MeanBackward1" : "AdaptiveAvgPool2DBackward0", [x]) { g in
            [try Kernels.adaptiveAvgPool2dBackward(g.detach(), inputShape: x.shape)]
        }
    }

    /// `F.adaptive_max_pool2d(input, output_size, return_indices)`: values and indices.
    public static func adaptiveMaxPool2d(_ x: Tensor, outputSize: AdaptiveSize) throws -> (Tensor, Tensor) {
        let o = try outputSize.resolve(inputHW: Array(x.shape.suffix(2)))
        let r = try Kernels.adaptiveMaxPool2d(x, outputSize: (o[0], o[1]))
        return (recordMaxPool(r.values, r.indices, x, "AdaptiveMaxPool2DBackward0"), r.indices)
    }
}
