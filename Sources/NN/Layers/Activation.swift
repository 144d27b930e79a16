import TensorCore

func inplaceSuffix(_ inplace: Bool) -> String { inplace ? ", inplace=True" : "" }

/// `nn.ReLU(inplace=False)`.
public final class ReLU: Module {
    public let inplace: Bool
    public init(inplace: Bool = false) { self.inplace = inplace; super.init() }
    public override func extraRepr() -> String { inplace ? "inplace=True" : "" }
    public override func forward(_ input: Tensor) throws -> Tensor { try Functional.relu(input) }
}

/// `nn.LeakyReLU(negative_slope=0.01, inplace=False)`.
public final class LeakyReLU: Module {
    public let negativeSlope: Double, inplace: Bool
    public init(negativeSlope: Double = 0.01, inplace: Bool = false) {
        self.negativeSlope = negativeSlope; self.inplace = inplace; super.init()
    }
    public override func extraRepr() -> String { "negative_slope=\(PyFormat.float(negativeSlope))\(inplaceSuffix(inplace))" }
    public override func forward(_ input: Tensor) throws -> Tensor { try Functional.leakyRelu(input, negativeSlope: negativeSlope) }
}

/// `nn.PReLU(num_parameters=1, init=0.25)`: a learnable slope, shared or per channel.
public final class PReLU: Module {
    public let numParameters: Int
    public init(numParameters: Int = 1, initValue: Double = 0.25) throws {
        self.numParameters = numParameters
        super.init()
        registerParameter("weight", try Tensor.full([numParameters], initValue))
    }
    public override func extraRepr() -> String { "num_parameters=\(numParameters)" }
    public override func forward(_ input: Tensor) throws -> Tensor {
        guard let w = parameter("weight") else { throw TensorError.type("PReLU has no weight") }
        return try Functional.prelu(input, weight: w)
    }
}

/// `nn.RReLU(lower=1/8, upper=1/3, inplace=False)`: random slopes in training, their mean in eval.
public final class RReLU: Module {
    public let lower: Double, upper: Double, inplace: Bool
    public init(lower: Double = 1.0 / 8, upper: Double = 1.0 / 3, inplace: Bool = false) {
        self.lower = lower; self.upper = upper; self.inplace = inplace; super.init()
    }
    public override func extraRepr() -> String { "lower=\(PyFormat.float(lower)), upper=\(PyFormat.float(upper))\(inplaceSuffix(inplace))" }
    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.rrelu(input, lower: lower, upper: upper, training: training)
    }
}

/// `nn.ELU(alpha=1.0, inplace=False)`.
public final class ELU: Module {
    public let alpha: Double, inplace: Bool
    public init(alpha: Double = 1.0, inplace: Bool = false) { self.alpha = alpha; self.inplace = inplace; super.init() }
    public override func extraRepr() -> String { "alpha=\(PyFormat.float(alpha))\(inplaceSuffix(inplace))" }
    public override func forward(_ input: Tensor) throws -> Tensor { try Functional.elu(input, alpha: alpha) }
}

/// `nn.GELU(approximate='none')`.
public final class GELU: Module {
    public let approximate: String
    public init(approximate: String = "none") throws {
        guard approximate == "none" || approximate == "tanh" else {
            throw TensorError.value("approximate argument must be either none or tanh.")
        }
        self.approximate = approximate; super.init()
    }
    public override func extraRepr() -> String { "approximate='\(approximate)'" }
    public override func forward(_ input: Tensor) throws -> Tensor { try Functional.gelu(input, approximate: approximate) }
}

/// `nn.Sigmoid()`.
public final class Sigmoid: Module {
    public override init() { super.init() }
    public override func forward(_ input: Tensor) throws -> Tensor { try Functional.sigmoid(input) }
}

/// `nn.Tanh()`.
public final class Tanh: Module {
    public override init() { super.init() }
    public override func forward(_ input: Tensor) throws -> Tensor { try Functional.tanh(input) }
}

/// `nn.Softmax(dim=None)`.
public final class Softmax: Module {
    public let dim: Int?
    public init(dim: Int? = nil) { self.dim = dim; super.init() }
    public override func extraRepr() -> String { "dim=\(dim.map(String.init) ?? "None")" }
    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.softmax(input, dim: dim ?? Functional.implicitSoftmaxDim(input.rank))
    }
}

/// `nn.LogSoftmax(dim=None)`.
public final class LogSoftmax: Module {
    public let dim: Int?
    public init(dim: Int? = nil) { self.dim = dim; super.init() }
    public override func extraRepr() -> String { "dim=\(dim.map(String.init) ?? "None")" }
    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.logSoftmax(input, dim: dim ?? Functional.implicitSoftmaxDim(input.rank))
    }
}
