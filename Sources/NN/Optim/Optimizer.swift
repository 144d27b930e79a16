import TensorCore

/// A hyper-parameter of a parameter group, typed as PyTorch keeps it
/// (`lr=0.1` a float, `momentum=0` an int, `nesterov=False`, `betas=(0.9, 0.999)`).
public enum OptValue: Equatable, Sendable {
    case double(Double)
    case int(Int)
    case bool(Bool)
    case pair(Double, Double)
    case none

    public var number: Double {
        switch self {
        case .double(let d): return d
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        case .pair(let a, _): return a
        case .none: return 0
        }
    }
    public var flag: Bool { number != 0 }
}

/// One parameter group: its tensors and its hyper-parameters (`param_groups[i]`).
public final class ParamGroup {
    public var params: [Tensor]
    /// In PyTorch's order: the defaults' keys, then any the group added.
    public private(set) var keys: [String] = []
    private var values: [String: OptValue] = [:]

    public init(params: [Tensor], options: [(String, OptValue)]) {
        self.params = params
        for (k, v) in options { self[k] = v }
    }

    public subscript(_ key: String) -> OptValue? {
        get { values[key] }
        set {
            if values[key] == nil, newValue != nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            values[key] = newValue
        }
    }

    public func number(_ key: String) -> Double { values[key]?.number ?? 0 }
    public var lr: Double {
        get { number("lr") }
        set { self["lr"] = .double(newValue) }
    }
}

/// Per-parameter optimiser state (`optimizer.state[p]`): named tensors and the step count.
public final class ParamState {
    public var tensors: [(String, Tensor)] = []
    public var step: Double = 0
    public init() {}
    public subscript(_ name: String) -> Tensor? {
        get { tensors.first { $0.0 == name }?.1 }
        set {
            if let i = tensors.firstIndex(where: { $0.0 == name }) {
                if let newValue { tensors[i].1 = newValue } else { tensors.remove(at: i) }
            } else if let newValue { tensors.append((name, newValue)) }
        }
    }
}

/// `torch.optim.Optimizer`: parameter groups with their hyper-parameters, per-parameter
/// state, `zero_grad` and `step`. Each algorithm implements `update` for one parameter;
/// updates run with grad mode off and write the parameters in place, as PyTorch's do.
open class Optimizer {
    public var paramGroups: [ParamGroup] = []
    public let defaults: [(String, OptValue)]
    public var state: [ObjectIdentifier: ParamState] = [:]
    /// Keys whose state PyTorch keeps as a tensor `step`.
    open var hasStepState: Bool { false }
    open var name: String { "Optimizer" }

    /// `groups`: each a parameter list and the options it overrides.
    public init(groups: [([Tensor], [(String, OptValue)])], defaults: [(String, OptValue)]) throws {
        self.defaults = defaults
        guard !groups.isEmpty else { throw TensorError.value("optimizer got an empty parameter list") }
        var seen = Set<ObjectIdentifier>()
        for (params, overrides) in groups {
            for p in params {
                guard p.isLeaf else { throw TensorError.value("can't optimize a non-leaf Tensor") }
                guard seen.insert(ObjectIdentifier(p)).inserted else {
                    throw TensorError.value("some parameters appear in more than one parameter group")
                }
            }
            try addParamGroup(params, overrides)
        }
        if paramGroups.allSatisfy({ $0.params.isEmpty }) { throw TensorError.value("optimizer got an empty parameter list") }
    }

    /// `add_param_group`: missing options come from the defaults.
    public func addParamGroup(_ params: [Tensor], _ overrides: [(String, OptValue)]) throws {
        var options = defaults
        for (k, v) in overrides {
            if let i = options.firstIndex(where: { $0.0 == k }) { options[i].1 = v } else { options.append((k, v)) }
        }
        try validate(options)
        paramGroups.append(ParamGroup(params: params, options: options))
    }

    /// Checks of the hyper-parameters, in PyTorch's words.
    open func validate(_ options: [(String, OptValue)]) throws {
        for (k, v) in options where k == "lr" && v.number < 0 { throw TensorError.value("Invalid learning rate: \(PyFormat.float(v.number))") }
    }

    /// `zero_grad(set_to_none=True)`.
    public func zeroGrad(setToNone: Bool = true) throws {
        for g in paramGroups {
            for p in g.params {
                guard let grad = p.grad else { continue }
                if setToNone { p.grad = nil; continue }
                if grad.gradFn != nil { p.grad = grad.detach() }
                try p.grad?.zero_()
            }
        }
    }

    /// `step()`: one update of every parameter that has a gradient.
    public func step() throws {
        try GradMode.withoutGrad {
            for group in paramGroups {
                for p in group.params {
                    guard let grad = p.grad else { continue }
                    guard grad.shape == p.shape else {
                        throw TensorError.shape("gradient of shape \(Shape.describe(grad.shape)) does not match parameter of shape \(Shape.describe(p.shape))")
                    }
                    let st = state[ObjectIdentifier(p), default: ParamState()]
                    state[ObjectIdentifier(p)] = st
                    let g = try grad.contiguous()
                    guard p.dtype == .float32, g.dtype == .float32 else {
                        throw TensorError.type("Tensorpad's optimizers update float32 parameters; got a \(p.dtype.torchName) parameter (convert the model with .float())")
                    }
                    guard p.isContiguous else {
                        throw TensorError.type("Tensorpad's optimizers update contiguous parameters; got a non-contiguous one of shape \(Shape.torchSize(p.shape))")
                    }
                    try update(p, grad: g, state: st, group: group)
                    p.bumpVersion()
                }
            }
        }
    }

    /// Updates one parameter in place from its gradient (contiguous float32 buffers).
    open func update(_ p: Tensor, grad: Tensor, state: ParamState, group: ParamGroup) throws {}

    /// A zero buffer shaped like p, kept in the state under `name`.
    func buffer(_ name: String, _ st: ParamState, like p: Tensor, fill: Float = 0) throws -> UnsafeMutablePointer<Float> {
        if let b = st[name] { return b.floatPtr }
        let b = try Tensor.zeros(p.shape)
        if fill != 0 { try b.fill_(Double(fill)) }
        st[name] = b
        return b.floatPtr
    }

    /// Every parameter in group order, for state dicts (PyTorch numbers them 0, 1, ...).
    public var orderedParams: [Tensor] { paramGroups.flatMap(\.params) }
}
