import TensorCore

/// Convolutions and padding.
extension Functional {
    /// `F.conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)`,
    /// plus `nn.Conv2d`'s `padding_mode`.
    public static func conv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: [Int] = [1, 1],
                              padding: ConvPadding = .sizes([0]), dilation: [Int] = [1, 1], groups: Int = 1,
                              paddingMode: PaddingMode = .zeros) throws -> Tensor {
        let s = try pair(stride, "stride"), d = try pair(dilation, "dilation")
        let y = try Kernels.conv2d(x, w, b, stride: s, padding: padding, dilation: d, groups: groups,
                                   paddingMode: PadMode(convMode: paddingMode.rawValue) ?? .constant)
        // Unbatched input: PyTorch convolves a batch of one and squeezes it.
        return History.record(y, x.rank == 3 ? "SqueezeBackward1" : "ConvolutionBackward0", [x, w, b])
    }

    /// `F.conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)`.
    public static func conv1d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: [Int] = [1],
                              padding: ConvPadding = .sizes([0]), dilation: [Int] = [1], groups: Int = 1,
                              paddingMode: PaddingMode = .zeros) throws -> Tensor {
        guard stride.count == 1, dilation.count == 1 else {
            throw TensorError.value("expected stride and dilation to be a single integer value or a list of 1 values")
        }
        let y = try Kernels.conv1d(x, w, b, stride: stride[0], padding: padding, dilation: dilation[0], groups: groups,
                                   paddingMode: PadMode(convMode: paddingMode.rawValue) ?? .constant)
        return History.record(y, x.rank == 2 ? "SqueezeBackward1" : "ConvolutionBackward0", [x, w, b])
    }

    /// `F.conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1)`.
    public static func convTranspose2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: [Int] = [1, 1],
                                       padding: [Int] = [0, 0], outputPadding: [Int] = [0, 0], groups: Int = 1,
                                       dilation: [Int] = [1, 1]) throws -> Tensor {
        let y = try Kernels.convTranspose2d(x, w, b, ConvTranspose2dParams(
            stride: try pair(stride, "stride"), padding: try pair(padding, "padding"),
            outputPadding: try pair(outputPadding, "output_padding"), groups: groups,
            dilation: try pair(dilation, "dilation")))
        return History.record(y, x.rank == 3 ? "SqueezeBackward1" : "ConvolutionBackward0", [x, w, b])
    }

    /// `F.pad(input, pad, mode='constant', value=None)`.
    public static func pad(_ x: Tensor, _ pads: [Int], mode: String = "constant", value: Double = 0) throws -> Tensor {
        guard let m = PadMode(rawValue: mode) else {
            throw TensorError.value("Unrecognised padding mode \(mode)")
        }
        let names: [PadMode: String] = [.constant: "ConstantPadNdBackward0", .reflect: "ReflectionPad2DBackward0",
                                        .replicate: "ReplicationPad2DBackward0", .circular: "CopySlices"]
        return History.record(try Kernels.pad(x, pads, mode: m, value: value), names[m] ?? "ConstantPadNdBackward0", [x])
    }

    /// An int-or-pair argument as a pair (`_pair`).
    static func pair(_ v: [Int], _ name: String) throws -> (Int, Int) {
        if v.count == 1 { return (v[0], v[0]) }
        guard v.count == 2 else { throw TensorError.value("\(name) must be an int or a tuple of 2 ints, but got \(PyFormat.tuple(v))") }
        return (v[0], v[1])
    }
}
