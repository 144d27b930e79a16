import TensorCore

/// Loss modules: called as `loss(input, target)`.
public class LossModule: Module {
    public let reduction: String
    init(reduction: String) throws {
        guard ["mean", "sum", "none"].contains(reduction) else {
            throw TensorError.value("\(reduction) is not a valid value for reduction")
        }
        self.reduction = reduction
        super.init()
    }
    func loss(_ input: Tensor, _ target: Tensor) throws -> Tensor { throw TensorError.type("abstract loss") }
    public override func forward(_ input: Tensor) throws -> Tensor {
        throw TensorError.type("\(typeName).forward() missing 1 required positional argument: 'target'")
    }
    public override func forward(inputs: [Tensor], outputSize: [Int]? = nil) throws -> [Tensor] {
        guard inputs.count == 2 else {
            if inputs.count < 2 { return [try forward(inputs[0])] }
            throw TensorError.type("\(typeName).forward() takes 3 positional arguments but \(inputs.count + 1) were given")
        }
        return [try loss(inputs[0], inputs[1])]
    }
}

/// `nn.CrossEntropyLoss(weight=None, ignore_index=-100, reduction='mean', label_smoothing=0.0)`.
public final class CrossEntropyLoss: LossModule {
    public let weight: Tensor?, ignoreIndex: Int, labelSmoothing: Double
    public init(weight: Tensor? = nil, ignoreIndex: Int = -100, reduction: String = "mean", labelSmoothing: Double = 0) throws {
        self.weight = weight; self.ignoreIndex = ignoreIndex; self.labelSmoothing = labelSmoothing
        try super.init(reduction: reduction)
    }
    override func loss(_ input: Tensor, _ target: Tensor) throws -> Tensor {
        try Functional.crossEntropy(input, target, weight: weight, ignoreIndex: ignoreIndex,
                                    reduction: reduction, labelSmoothing: labelSmoothing)
    }
}

/// `nn.NLLLoss(weight=None, ignore_index=-100, reduction='mean')`.
public final class NLLLoss: LossModule {
    public let weight: Tensor?, ignoreIndex: Int
    public init(weight: Tensor? = nil, ignoreIndex: Int = -100, reduction: String = "mean") throws {
        self.weight = weight; self.ignoreIndex = ignoreIndex
        try super.init(reduction: reduction)
    }
    override func loss(_ input: Tensor, _ target: Tensor) throws -> Tensor {
        try Functional.nllLoss(input, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
    }
}

/// `nn.MSELoss(reduction='mean')`.
public final class MSELoss: LossModule {
    public override init(reduction: String = "mean") throws { try super.init(reduction: reduction) }
    override func loss(_ input: Tensor, _ target: Tensor) throws -> Tensor {
        try Functional.mseLoss(input, target, reduction: reduction)
    }
}

/// The losses whose module only stores keyword options: `L1Loss`, `SmoothL1Loss`,
/// `HuberLoss`, `BCELoss`, `BCEWithLogitsLoss`, `KLDivLoss`. Each calls its `F.` form.
public final class OptionLoss: LossModule {
    let name: String
    let f: (Tensor, Tensor, String) throws -> Tensor
    public override var typeName: String { name }
    public init(_ name: String, reduction: String = "mean", validReductions: [String] = ["mean", "sum", "none"],
                _ f: @escaping (Tensor, Tensor, String) throws -> Tensor) throws {
        self.name = name; self.f = f
        guard validReductions.contains(reduction) else { throw TensorError.value("\(reduction) is not a valid value for reduction") }
        try super.init(reduction: reduction == "batchmean" ? "mean" : reduction)
        self.reductionName = reduction
    }
    var reductionName = "mean"
    override func loss(_ input: Tensor, _ target: Tensor) throws -> Tensor { try f(input, target, reductionName) }
}
