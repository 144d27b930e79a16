import TensorCore

/// `nn.Linear(in_features, out_features, bias=True)`.
public class Linear: Module {
    public let inFeatures: Int, outFeatures: Int

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) throws {
        guard inFeatures >= 0, outFeatures >= 0 else {
            throw TensorError.runtime("Trying to create tensor with negative dimension \(min(inFeatures, outFeatures)): [\(outFeatures), \(inFeatures)]")
        }
        self.inFeatures = inFeatures; self.outFeatures = outFeatures
        super.init()
        let w = try Tensor(zeros: [outFeatures, inFeatures])
        let b = bias ? try Tensor(zeros: [outFeatures]) : nil
        try Init.defaultLayerInit(weight: w, bias: b)
        registerParameter("weight", w)
        registerParameter("bias", b)
    }

    public override func extraRepr() -> String {
        "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(PyFormat.bool(parameter("bias") != nil))"
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard let w = parameter("weight") else { throw TensorError.type("Linear has no weight") }
        return try Functional.linear(input, w, parameter("bias"))
    }
}

/// `nn.Flatten(start_dim=1, end_dim=-1)`.
public final class Flatten: Module {
    public let startDim: Int, endDim: Int
    public init(startDim: Int = 1, endDim: Int = -1) { self.startDim = startDim; self.endDim = endDim; super.init() }
    public override func extraRepr() -> String { "start_dim=\(startDim), end_dim=\(endDim)" }
    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.flatten(input, startDim: startDim, endDim: endDim)
    }
}

/// `nn.Identity()`.
public final class Identity: Module {
    public override init() { super.init() }
    public override func forward(_ input: Tensor) throws -> Tensor { input }
}

/// What Dropout and Dropout2d share: `p`, `inplace`, the check and the repr.
public class DropoutBase: Module {
    public let p: Double, inplace: Bool
    init(p: Double, inplace: Bool) throws {
        guard p >= 0 && p <= 1 else { throw TensorError.value("dropout probability has to be between 0 and 1, but got \(PyFormat.float(p))") }
        self.p = p; self.inplace = inplace; super.init()
    }
    public override func extraRepr() -> String { "p=\(PyFormat.float(p)), inplace=\(PyFormat.bool(inplace))" }
}

/// `nn.Dropout(p=0.5, inplace=False)`.
public final class Dropout: DropoutBase {
    public override init(p: Double = 0.5, inplace: Bool = false) throws { try super.init(p: p, inplace: inplace) }
    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.dropout(input, p: p, training: training)
    }
}

/// `nn.Dropout2d(p=0.5, inplace=False)`: zeroes whole channels.
public final class Dropout2d: DropoutBase {
    public override init(p: Double = 0.5, inplace: Bool = false) throws { try super.init(p: p, inplace: inplace) }
    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.dropout2d(input, p: p, training: training)
    }
}
