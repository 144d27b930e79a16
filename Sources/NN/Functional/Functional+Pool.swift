import TensorCore

/// Pooling and unpooling.
extension Functional {
    /// `F.max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False)`: values and indices.
    public static func maxPool2d(_ x: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0],
                                 dilation: [Int] = [1], ceilMode: Bool = false) throws -> (Tensor, Tensor) {
        let k = try pair(kernelSize, "kernel_size")
        let p = Pool2dParams(kernel: k, stride: try stride.flatMap { $0.isEmpty ? nil : try pair($0, "stride") },
                             padding: try pair(padding, "padding"), dilation: try pair(dilation, "dilation"),
                             ceilMode: ceilMode)
        try checkPoolPadding(p)
        let r = try Kernels.maxPool2d(x, p)
        return (History.record(r.values, "MaxPool2DWithIndicesBackward0", [x]), r.indices)
    }

    /// `F.max_pool2d(...)` values only: no indices are computed.
    public static func maxPool2dValues(_ x: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0],
                                       dilation: [Int] = [1], ceilMode: Bool = false) throws -> Tensor {
        let p = Pool2dParams(kernel: try pair(kernelSize, "kernel_size"),
                             stride: try stride.flatMap { $0.isEmpty ? nil : try pair($0, "stride") },
                             padding: try pair(padding, "padding"), dilation: try pair(dilation, "dilation"),
                             ceilMode: ceilMode)
        try checkPoolPadding(p)
        return History.record(try Kernels.maxPool2dValues(x, p), "MaxPool2DWithIndicesBackward0", [x])
    }

    /// `F.avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
    /// count_include_pad=True, divisor_override=None)`.
    public static func avgPool2d(_ x: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0],
                                 ceilMode: Bool = false, countIncludePad: Bool = true,
                                 divisorOverride: Int? = nil) throws -> Tensor {
        let p = Pool2dParams(kernel: try pair(kernelSize, "kernel_size"),
                             stride: try stride.flatMap { $0.isEmpty ? nil : try pair($0, "stride") },
                             padding: try pair(padding, "padding"), ceilMode: ceilMode)
        try checkPoolPadding(p)
        return History.record(try Kernels.avgPool2d(x, p, countIncludePad: countIncludePad, divisorOverride: divisorOverride),
                              "AvgPool2DBackward0", [x])
    }

    /// PyTorch's rule: padding at most half the effective kernel.
    static func checkPoolPadding(_ p: Pool2dParams) throws {
        let ek = (p.dilation.0 * (p.kernel.0 - 1) + 1, p.dilation.1 * (p.kernel.1 - 1) + 1)
        if p.padding.0 * 2 > ek.0 || p.padding.1 * 2 > ek.1 {
            throw TensorError.value("pad should be at most half of effective kernel size, but got pad=\(max(p.padding.0, p.padding.1)), kernel_size=\(max(p.kernel.0, p.kernel.1)) and dilation=\(max(p.dilation.0, p.dilation.1))")
        }
    }

    /// `F.max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None)`.
    public static func maxUnpool2d(_ x: Tensor, indices: Tensor, kernelSize: [Int], stride: [Int]? = nil,
                                   padding: [Int] = [0], outputSize: [Int]? = nil) throws -> Tensor {
        let y = try Kernels.maxUnpool2d(x, indices, kernel: try pair(kernelSize, "kernel_size"),
                                        stride: try stride.flatMap { $0.isEmpty ? nil : try pair($0, "stride") },
                                        padding: try pair(padding, "padding"), outputSize: outputSize)
        return History.record(y, "MaxUnpool2DBackward0", [x])
    }

    /// `F.adaptive_avg_pool2d(input, output_size)`.
    public static func adaptiveAvgPool2d(_ x: Tensor, outputSize: AdaptiveSize) throws -> Tensor {
        let o = try outputSize.resolve(inputHW: Array(x.shape.suffix(2)))
        // PyTorch computes a (1, 1) adaptive average as a mean over the last two dims.
        return History.record(try Kernels.adaptiveAvgPool2d(x, outputSize: (o[0], o[1])),
                              o == [1, 1] ? "MeanBackward1" : "AdaptiveAvgPool2DBackward0", [x])
    }

    /// `F.adaptive_max_pool2d(input, output_size, return_indices)`: values and indices.
    public static func adaptiveMaxPool2d(_ x: Tensor, outputSize: AdaptiveSize) throws -> (Tensor, Tensor) {
        let o = try outputSize.resolve(inputHW: Array(x.shape.suffix(2)))
        let r = try Kernels.adaptiveMaxPool2d(x, outputSize: (o[0], o[1]))
        return (History.record(r.values, "AdaptiveMaxPool2DBackward0", [x]), r.indices)
    }
}
