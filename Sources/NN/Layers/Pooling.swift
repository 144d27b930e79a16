import TensorCore

/// `nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1,
/// return_indices=False, ceil_mode=False)`.
public final class MaxPool2d: Module {
    public let kernelSize: IntOrTuple, stride: IntOrTuple, padding: IntOrTuple, dilation: IntOrTuple
    public let returnIndices: Bool, ceilMode: Bool

    public init(kernelSize: IntOrTuple, stride: IntOrTuple? = nil, padding: IntOrTuple = .int(0),
                dilation: IntOrTuple = .int(1), returnIndices: Bool = false, ceilMode: Bool = false) throws {
        for (v, n) in [(kernelSize, "kernel_size"), (stride ?? kernelSize, "stride"), (padding, "padding"), (dilation, "dilation")] {
            _ = try v.checked(2, name: n)
        }
        self.kernelSize = kernelSize; self.stride = stride ?? kernelSize
        self.padding = padding; self.dilation = dilation
        self.returnIndices = returnIndices; self.ceilMode = ceilMode
        super.init()
    }

    public override func extraRepr() -> String {
        "kernel_size=\(kernelSize), stride=\(stride), padding=\(padding), dilation=\(dilation), ceil_mode=\(PyFormat.bool(ceilMode))"
    }

    func pool(_ x: Tensor) throws -> (Tensor, Tensor) {
        try Functional.maxPool2d(x, kernelSize: kernelSize.expand(2), stride: stride.expand(2),
                                 padding: padding.expand(2), dilation: dilation.expand(2), ceilMode: ceilMode)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.maxPool2dValues(input, kernelSize: kernelSize.expand(2), stride: stride.expand(2),
                                       padding: padding.expand(2), dilation: dilation.expand(2), ceilMode: ceilMode)
    }

    public override func forward(inputs: [Tensor], outputSize: [Int]? = nil) throws -> [Tensor] {
        guard inputs.count == 1 else { return try super.forward(inputs: inputs, outputSize: outputSize) }
        let (v, i) = try pool(inputs[0])
        return returnIndices ? [v, i] : [v]
    }
}

/// `nn.AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False,
/// count_include_pad=True, divisor_override=None)`.
public final class AvgPool2d: Module {
    public let kernelSize: IntOrTuple, stride: IntOrTuple, padding: IntOrTuple
    public let ceilMode: Bool, countIncludePad: Bool, divisorOverride: Int?

    public init(kernelSize: IntOrTuple, stride: IntOrTuple? = nil, padding: IntOrTuple = .int(0),
                ceilMode: Bool = false, countIncludePad: Bool = true, divisorOverride: Int? = nil) throws {
        for (v, n) in [(kernelSize, "kernel_size"), (stride ?? kernelSize, "stride"), (padding, "padding")] {
            _ = try v.checked(2, name: n)
        }
        if let d = divisorOverride, d == 0 { throw TensorError.value("divisor must be not zero") }
        self.kernelSize = kernelSize; self.stride = stride ?? kernelSize; self.padding = padding
        self.ceilMode = ceilMode; self.countIncludePad = countIncludePad; self.divisorOverride = divisorOverride
        super.init()
    }

    public override func extraRepr() -> String {
        "kernel_size=\(kernelSize), stride=\(stride), padding=\(padding)"
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.avgPool2d(input, kernelSize: kernelSize.expand(2), stride: stride.expand(2),
                                 padding: padding.expand(2), ceilMode: ceilMode,
                                 countIncludePad: countIncludePad, divisorOverride: divisorOverride)
    }
}

/// `nn.MaxUnpool2d(kernel_size, stride=None, padding=0)`, called as `(x, indices, output_size=None)`.
public final class MaxUnpool2d: Module {
    public let kernelSize: [Int], stride: [Int], padding: [Int]

    public init(kernelSize: IntOrTuple, stride: IntOrTuple? = nil, padding: IntOrTuple = .int(0)) throws {
        self.kernelSize = try kernelSize.checked(2, name: "kernel_size")
        self.stride = try (stride ?? kernelSize).checked(2, name: "stride")
        self.padding = try padding.checked(2, name: "padding")
        super.init()
    }

    public override func extraRepr() -> String {
        "kernel_size=\(PyFormat.tuple(kernelSize)), stride=\(PyFormat.tuple(stride)), padding=\(PyFormat.tuple(padding))"
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        throw TensorError.type("MaxUnpool2d.forward() missing 1 required positional argument: 'indices'")
    }

    public override func forward(inputs: [Tensor], outputSize: [Int]? = nil) throws -> [Tensor] {
        guard inputs.count == 2 else {
            if inputs.count < 2 { return [try forward(inputs[0])] }
            return try super.forward(inputs: inputs, outputSize: outputSize)
        }
        return [try Functional.maxUnpool2d(inputs[0], indices: inputs[1], kernelSize: kernelSize, stride: stride,
                                           padding: padding, outputSize: outputSize)]
    }
}

/// An adaptive pool's `output_size`: an int, or a tuple whose entries may be None.
public enum AdaptiveSize: Equatable, CustomStringConvertible, Sendable {
    case int(Int)
    case tuple([Int?])

    public var description: String {
        switch self {
        case .int(let v): return "\(v)"
        case .tuple(let v):
            let parts = v.map { $0.map(String.init) ?? "None" }
            return parts.count == 1 ? "(\(parts[0]),)" : "(" + parts.joined(separator: ", ") + ")"
        }
    }

    /// The output size for an input of spatial size (H, W); None keeps the input's size.
    public func resolve(inputHW: [Int]) throws -> [Int] {
        switch self {
        case .int(let v): return [v, v]
        case .tuple(let v):
            guard v.count == 2 else { throw TensorError.value("output_size must be 2") }
            return (0..<2).map { v[$0] ?? inputHW[$0] }
        }
    }
}

/// `nn.AdaptiveAvgPool2d(output_size)`.
public final class AdaptiveAvgPool2d: Module {
    public let outputSize: AdaptiveSize
    public init(outputSize: AdaptiveSize) { self.outputSize = outputSize; super.init() }
    public override func extraRepr() -> String { "output_size=\(outputSize)" }
    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.adaptiveAvgPool2d(input, outputSize: outputSize)
    }
}

/// `nn.AdaptiveMaxPool2d(output_size, return_indices=False)`.
public final class AdaptiveMaxPool2d: Module {
    public let outputSize: AdaptiveSize
    public let returnIndices: Bool
    public init(outputSize: AdaptiveSize, returnIndices: Bool = false) {
        self.outputSize = outputSize; self.returnIndices = returnIndices; super.init()
    }
    public override func extraRepr() -> String { "output_size=\(outputSize)" }
    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.adaptiveMaxPool2d(input, outputSize: outputSize).0
    }
    public override func forward(inputs: [Tensor], outputSize: [Int]? = nil) throws -> [Tensor] {
        guard inputs.count == 1 else { return try super.forward(inputs: inputs, outputSize: outputSize) }
        let (v, i) = try Functional.adaptiveMaxPool2d(inputs[0], outputSize: self.outputSize)
        return returnIndices ? [v, i] : [v]
    }
}
