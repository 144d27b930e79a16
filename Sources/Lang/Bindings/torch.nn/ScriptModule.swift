import TensorCore
import NN

/// A `class Net(nn.Module):` written in the language: an `NN.Module` whose
/// forward runs the class's `forward`, so it nests in `Sequential`, counts
/// parameters, prints PyTorch's repr and works with summary/feature maps.
public final class ScriptModule: Module {
    public let cls: ClassValue
    unowned let interpreter: Interpreter
    /// Plain attributes (`self.k = 3`); modules and parameters live in the Module tables.
    var attributes: [String: Value] = [:]

    init(cls: ClassValue, interpreter: Interpreter) {
        self.cls = cls
        self.interpreter = interpreter
        super.init()
    }

    public override var typeName: String { cls.name }

    /// The `nn.Module` placeholder class that user classes derive from.
    nonisolated(unsafe) static let moduleBase = ClassValue(name: "Module", bases: [], attributes: [:])

    static func derivesFromModule(_ c: ClassValue) -> Bool {
        c === moduleBase || c.bases.contains(where: derivesFromModule)
    }

    public override func extraRepr() -> String {
        guard let f = cls.lookup("extra_repr"),
              case .str(let s)? = try? interpreter.call(f, Arguments([.module(self)])) else { return "" }
        return s
    }

    /// Runs the class's forward with any arguments (tensors or not).
    func callForward(_ args: Arguments) throws -> Value {
        guard let f = cls.lookup("forward") else {
            throw TensorError.type("Module [\(cls.name)] is missing the required \"forward\" function")
        }
        var a = args
        a.positional.insert(.module(self), at: 0)
        return try interpreter.call(f, a)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        let out = try callForward(Arguments([.tensor(input)]))
        guard case .tensor(let t) = out else {
            throw TensorError.type("\(cls.name).forward returned \(out.typeName), not a Tensor")
        }
        return t
    }

    public override func forward(inputs: [Tensor], outputSize: [Int]? = nil) throws -> [Tensor] {
        let out = try callForward(Arguments(inputs.map { .tensor($0) }))
        switch out {
        case .tensor(let t): return [t]
        case .tuple(let items):
            return try items.map { v -> Tensor in
                guard case .tensor(let t) = v else { throw TensorError.type("\(cls.name).forward returned a tuple holding \(v.typeName)") }
                return t
            }
        default: throw TensorError.type("\(cls.name).forward returned \(out.typeName), not a Tensor")
        }
    }
}

extension ModuleHooks {
    /// `self.x`, methods of the class, then the plain attributes.
    static func scriptAttribute(_ m: ScriptModule, _ name: String) -> Value? {
        if let v = m.attributes[name] { return v }
        if let a = m.cls.lookup(name) {
            if case .function = a { return .boundMethod(BoundMethod(receiver: .module(m), function: a)) }
            return a
        }
        return nil
    }

    /// `net(x, ...)` for script modules: tensors go through the module call
    /// (so observers see it); other arguments go straight to forward.
    static func scriptCall(_ m: ScriptModule, _ args: Arguments) throws -> Value {
        let tensors = args.positional.compactMap { v -> Tensor? in if case .tensor(let t) = v { return t }; return nil }
        if args.keywords.isEmpty && tensors.count == args.positional.count && !tensors.isEmpty {
            let out = try m.call(tensors)
            return out.count == 1 ? .tensor(out[0]) : .tuple(out.map { .tensor($0) })
        }
        return try m.callForward(args)
    }
}
