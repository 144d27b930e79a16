import TensorCore

/// `padding_mode` of the convolution layers.
public enum PaddingMode: String, Sendable {
    case zeros, reflect, replicate, circular
}

/// Shared by Conv1d, Conv2d and ConvTranspose2d: hyper-parameters, the
/// weight and bias, PyTorch's checks, default init and repr.
public class ConvNd: Module {
    public let inChannels: Int, outChannels: Int
    public let kernelSize: [Int], stride: [Int], dilation: [Int], outputPadding: [Int]
    public let padding: ConvPadding
    public let groups: Int
    public let paddingMode: PaddingMode
    let transposed: Bool

    init(dims: Int, inChannels: Int, outChannels: Int, kernelSize: IntOrTuple, stride: IntOrTuple,
         padding: ConvPadding, dilation: IntOrTuple, groups: Int, bias: Bool, paddingMode: String,
         transposed: Bool, outputPadding: IntOrTuple = .int(0)) throws {
        guard groups > 0 else { throw TensorError.value("groups must be a positive integer") }
        guard inChannels % groups == 0 else { throw TensorError.value("in_channels must be divisible by groups") }
        guard outChannels % groups == 0 else { throw TensorError.value("out_channels must be divisible by groups") }
        guard let mode = PaddingMode(rawValue: paddingMode) else {
            throw TensorError.value("padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got padding_mode='\(paddingMode)'")
        }
        if transposed && mode != .zeros {
            throw TensorError.value("Only \"zeros\" padding mode is supported for ConvTranspose\(dims)d")
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = try kernelSize.checked(dims, name: "kernel_size")
        self.stride = try stride.checked(dims, name: "stride")
        self.dilation = try dilation.checked(dims, name: "dilation")
        self.outputPadding = try outputPadding.checked(dims, name: "output_padding")
        if case .sizes(let p) = padding, p.count != 1 && p.count != dims {
            throw TensorError.value("padding must be an int or a tuple of \(dims) ints, but got \(PyFormat.tuple(p))")
        }
        if padding == .same && self.stride.contains(where: { $0 != 1 }) {
            throw TensorError.value("padding='same' is not supported for strided convolutions")
        }
        for k in self.kernelSize where k <= 0 { throw TensorError.value("kernel_size must be positive, but got \(kernelSize)") }
        for s in self.stride where s <= 0 { throw TensorError.value("non-positive stride is not supported") }
        self.padding = padding
        self.groups = groups
        self.paddingMode = mode
        self.transposed = transposed
        super.init()
        let wshape = transposed ? [inChannels, outChannels / groups] + self.kernelSize
                                : [outChannels, inChannels / groups] + self.kernelSize
        let w = try Tensor(zeros: wshape)
        let b = bias ? try Tensor(zeros: [outChannels]) : nil
        try Init.defaultLayerInit(weight: w, bias: b, conv: true)
        registerParameter("weight", w)
        registerParameter("bias", b)
    }

    public var weight: Tensor? { parameter("weight") }
    public var bias: Tensor? { parameter("bias") }

    /// Explicit padding amounts per spatial dim (for 'same', the left/top amount).
    public var paddingAmounts: [Int] {
        switch padding {
        case .sizes(let p): return p.count == 1 ? [Int](repeating: p[0], count: kernelSize.count) : p
        case .valid: return [Int](repeating: 0, count: kernelSize.count)
        case .same: return zip(kernelSize, dilation).map { (k, d) in d * (k - 1) / 2 }
        }
    }

    public override func extraRepr() -> String {
        var s = "\(inChannels), \(outChannels), kernel_size=\(PyFormat.tuple(kernelSize)), stride=\(PyFormat.tuple(stride))"
        switch padding {
        case .sizes:
            if paddingAmounts.contains(where: { $0 != 0 }) { s += ", padding=\(PyFormat.tuple(paddingAmounts))" }
        case .same: s += ", padding=same"
        case .valid: s += ", padding=valid"
        }
        if dilation.contains(where: { $0 != 1 }) { s += ", dilation=\(PyFormat.tuple(dilation))" }
        if outputPadding.contains(where: { $0 != 0 }) { s += ", output_padding=\(PyFormat.tuple(outputPadding))" }
        if groups != 1 { s += ", groups=\(groups)" }
        if bias == nil { s += ", bias=False" }
        if paddingMode != .zeros { s += ", padding_mode=\(paddingMode.rawValue)" }
        return s
    }

    func requireWeight() throws -> Tensor {
        guard let w = weight else { throw TensorError.type("\(typeName) has no weight") }
        return w
    }
}

/// `nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0,
/// dilation=1, groups=1, bias=True, padding_mode='zeros')`.
public final class Conv2d: ConvNd {
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: IntOrTuple, stride: IntOrTuple = .int(1),
                padding: ConvPadding = .sizes([0]), dilation: IntOrTuple = .int(1), groups: Int = 1,
                bias: Bool = true, paddingMode: String = "zeros") throws {
        try super.init(dims: 2, inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize,
                       stride: stride, padding: padding, dilation: dilation, groups: groups, bias: bias,
                       paddingMode: paddingMode, transposed: false)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.conv2d(input, try requireWeight(), bias, stride: stride, padding: padding,
                              dilation: dilation, groups: groups, paddingMode: paddingMode)
    }
}

/// `nn.Conv1d(...)`, same arguments as Conv2d for one spatial dim.
public final class Conv1d: ConvNd {
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: IntOrTuple, stride: IntOrTuple = .int(1),
                padding: ConvPadding = .sizes([0]), dilation: IntOrTuple = .int(1), groups: Int = 1,
                bias: Bool = true, paddingMode: String = "zeros") throws {
        try super.init(dims: 1, inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize,
                       stride: stride, padding: padding, dilation: dilation, groups: groups, bias: bias,
                       paddingMode: paddingMode, transposed: false)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.conv1d(input, try requireWeight(), bias, stride: stride, padding: padding,
                              dilation: dilation, groups: groups, paddingMode: paddingMode)
    }
}

/// `nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, padding=0,
/// output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros')`.
public final class ConvTranspose2d: ConvNd {
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: IntOrTuple, stride: IntOrTuple = .int(1),
                padding: IntOrTuple = .int(0), outputPadding: IntOrTuple = .int(0), groups: Int = 1,
                bias: Bool = true, dilation: IntOrTuple = .int(1), paddingMode: String = "zeros") throws {
        try super.init(dims: 2, inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize,
                       stride: stride, padding: .sizes(padding.expand(2)), dilation: dilation, groups: groups, bias: bias,
                       paddingMode: paddingMode, transposed: true, outputPadding: outputPadding)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.convTranspose2d(input, try requireWeight(), bias, stride: stride, padding: paddingAmounts,
                                       outputPadding: outputPadding, groups: groups, dilation: dilation)
    }

    /// `forward(x, output_size=...)`: picks output_padding to reach that size.
    public override func forward(inputs: [Tensor], outputSize: [Int]? = nil) throws -> [Tensor] {
        guard inputs.count == 1 else { return try super.forward(inputs: inputs, outputSize: outputSize) }
        guard let outputSize else { return [try forward(inputs[0])] }
        let x = inputs[0]
        let op = try outputPadding(reaching: outputSize, for: x)
        return [try Functional.convTranspose2d(x, try requireWeight(), bias, stride: stride, padding: paddingAmounts,
                                               outputPadding: op, groups: groups, dilation: dilation)]
    }
}

/// `nn.ConvTranspose1d(in_channels, out_channels, kernel_size, stride=1, padding=0,
/// output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros')`.
public final class ConvTranspose1d: ConvNd {
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: IntOrTuple, stride: IntOrTuple = .int(1),
                padding: IntOrTuple = .int(0), outputPadding: IntOrTuple = .int(0), groups: Int = 1,
                bias: Bool = true, dilation: IntOrTuple = .int(1), paddingMode: String = "zeros") throws {
        try super.init(dims: 1, inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize,
                       stride: stride, padding: .sizes(padding.expand(1)), dilation: dilation, groups: groups, bias: bias,
                       paddingMode: paddingMode, transposed: true, outputPadding: outputPadding)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.convTranspose1d(input, try requireWeight(), bias, stride: stride, padding: paddingAmounts,
                                       outputPadding: outputPadding, groups: groups, dilation: dilation)
    }

    /// `forward(x, output_size=...)`: picks output_padding to reach that length.
    public override func forward(inputs: [Tensor], outputSize: [Int]? = nil) throws -> [Tensor] {
        guard inputs.count == 1 else { return try super.forward(inputs: inputs, outputSize: outputSize) }
        guard let outputSize else { return [try forward(inputs[0])] }
        let x = inputs[0]
        let op = try outputPadding(reaching: outputSize, for: x)
        return [try Functional.convTranspose1d(x, try requireWeight(), bias, stride: stride, padding: paddingAmounts,
                                               outputPadding: op, groups: groups, dilation: dilation)]
    }
}

extension ConvNd {
    /// `forward(x, output_size=...)` of a transposed convolution: the output_padding that
    /// reaches `outputSize` (its last `kernelSize.count` entries), as PyTorch's
    /// `_output_padding`, with its ValueError when no padding reaches it.
    func outputPadding(reaching outputSize: [Int], for x: Tensor) throws -> [Int] {
        let d = kernelSize.count
        guard outputSize.count >= d, x.rank >= d else {
            throw TensorError.value("output_size must have \(d) or \(d + 2) elements (got \(outputSize.count))")
        }
        let want = Array(outputSize.suffix(d)), input = Array(x.shape.suffix(d))
        let pad = paddingAmounts
        var minSizes = [Int]()
        for i in 0..<d {
            let span: Int = dilation[i] * (kernelSize[i] - 1)
            let reach: Int = (input[i] - 1) * stride[i] - 2 * pad[i]
            minSizes.append(reach + span + 1)
        }
        let maxSizes = (0..<d).map { i in minSizes[i] + Swift.max(stride[i], dilation[i]) - 1 }
        guard (0..<d).allSatisfy({ want[$0] >= minSizes[$0] && want[$0] <= maxSizes[$0] }) else {
            throw TensorError.value("requested an output size of \(Shape.describe(want)), but valid sizes range from \(Shape.describe(minSizes)) to \(Shape.describe(maxSizes)) (for an input of \(Shape.torchSize(input)))")
        }
        return (0..<d).map { want[$0] - minSizes[$0] }
    }
}
