import TensorCore
import NN

/// The autograd surface: `x.backward()`, `torch.autograd.grad`, `.grad_fn`,
/// `retain_grad`, `register_hook`, and the grad-mode switches as context
/// managers, functions and decorators. The engine is NN's; this only converts.
enum AutogradBindings {
    static func t(_ x: Tensor) -> Value { .tensor(x) }

    static func install(_ r: Registry) {
        r.tensorOp("backward", [P("gradient", .none), P("retain_graph", .none), P("create_graph", .bool(false)), P("inputs", .none)],
                   doc: "Computes the gradient of this tensor with respect to the graph's leaves and adds it to their .grad.",
                   torch: false) { x, a in
            let gradient = a[1].isNone ? nil : try TV.tensor(a[1], "gradient", in: "backward")
            let retain = a[2].isNone ? nil : TV.bool(a[2])
            try Engine.backward(x, gradient: gradient, retainGraph: retain, createGraph: TV.bool(a[3]))
            return .none
        }
        r.tensorOp("retain_grad", doc: "Keeps this non-leaf tensor's .grad after backward.", torch: false) { x, _ in
            guard x.requiresGrad else { throw LangError(.RuntimeError, "can't retain_grad on Tensor that has requires_grad=False") }
            if x.gradFn != nil { x.retainsGrad = true }
            return .none
        }
        r.tensorOp("register_hook", [P("hook")], doc: "Calls hook(grad) during backward; a returned tensor replaces the gradient.",
                   torch: false) { x, a in
            guard x.requiresGrad else { throw LangError(.RuntimeError, "cannot register a hook on a tensor that doesn't require gradient") }
            let fn = a[1]
            weak var interp = a.interpreter
            x.gradHooks.append { g in
                guard let interp else { return nil }
                let r = try interp.call(fn, [.tensor(g)])
                if case .tensor(let t) = r { return t }
                return nil
            }
            return .object(HookHandle(tensor: x, index: x.gradHooks.count - 1))
        }
        r.tensorOp("detach_", doc: "Detaches this tensor from the graph, in place.", torch: false) { x, _ in
            x.gradFn = nil; x.requiresGrad = false; return t(x)
        }

        r.register(path: "torch.autograd.grad", signature: Signature("grad",
            [P("outputs"), P("inputs"), P("grad_outputs", .none), P("retain_graph", .none), P("create_graph", .bool(false)),
             P("only_inputs", .bool(true)), P("allow_unused", .none)],
            doc: "The gradients of outputs with respect to inputs, as a tuple (nothing is added to .grad).")) { a in
            let outs = try tensors(a[0], "outputs"), ins = try tensors(a[1], "inputs")
            let gos = a[2].isNone ? [] : try optionalTensors(a[2], "grad_outputs")
            let r = try Engine.grad(outs, ins, gradOutputs: gos, retainGraph: a[3].isNone ? nil : TV.bool(a[3]),
                                    createGraph: TV.bool(a[4]), allowUnused: a[6].isNone ? false : TV.bool(a[6]))
            return .tuple(r.map { $0.map(Value.tensor) ?? .none })
        }
        r.register(path: "torch.autograd.backward", signature: Signature("backward",
            [P("tensors"), P("grad_tensors", .none), P("retain_graph", .none), P("create_graph", .bool(false))],
            doc: "Backward from several tensors at once, adding into the leaves' .grad.")) { a in
            let outs = try tensors(a[0], "tensors")
            let gs = a[1].isNone ? [] : try optionalTensors(a[1], "grad_tensors")
            try Engine.backward(outs, gradients: gs, retainGraph: a[2].isNone ? nil : TV.bool(a[2]), createGraph: TV.bool(a[3]))
            return .none
        }

        r.torchFunction("no_grad", doc: "Context manager and decorator: operations inside record no autograd history.") { _ in
            .object(GradModeContext(enabled: false, name: "no_grad"))
        }
        r.torchFunction("enable_grad", doc: "Context manager and decorator: re-enables autograd history.") { _ in
            .object(GradModeContext(enabled: true, name: "enable_grad"))
        }
        r.torchFunction("inference_mode", [P("mode", .bool(true))], doc: "Context manager and decorator: like no_grad (mode=True).") { a in
            .object(GradModeContext(enabled: !TV.bool(a[0]), name: "inference_mode"))
        }
        r.torchFunction("set_grad_enabled", [P("mode")], doc: "Turns autograd history on or off; also a context manager.") { a in
            let ctx = GradModeContext(enabled: TV.bool(a[0]), name: "set_grad_enabled")
            ctx.previous = GradMode.enabled
            GradMode.enabled = TV.bool(a[0])
            return .object(ctx)
        }
        r.torchFunction("is_grad_enabled", doc: "Whether autograd history is recorded.") { _ in .bool(GradMode.enabled) }
        r.torchFunction("is_inference_mode_enabled", doc: "Whether inference mode is on (Tensorpad: grad mode off inside inference_mode).") { _ in
            .bool(GradModeContext.inferenceDepth > 0)
        }
    }

    static func tensors(_ v: Value, _ what: String) throws -> [Tensor] {
        switch v {
        case .tensor(let x): return [x]
        case .list(let l): return try l.items.map { try TV.tensor($0, what, in: "grad") }
        case .tuple(let items): return try items.map { try TV.tensor($0, what, in: "grad") }
        default: throw typeError("\(what) must be a Tensor or a sequence of Tensors, not \(v.typeName)")
        }
    }

    static func optionalTensors(_ v: Value, _ what: String) throws -> [Tensor?] {
        switch v {
        case .tensor(let x): return [x]
        case .list(let l): return try l.items.map { $0.isNone ? nil : try TV.tensor($0, what, in: "grad") }
        case .tuple(let items): return try items.map { $0.isNone ? nil : try TV.tensor($0, what, in: "grad") }
        default: throw typeError("\(what) must be a Tensor or a sequence of Tensors, not \(v.typeName)")
        }
    }
}

/// `with torch.no_grad():`, `@torch.no_grad()`, `torch.set_grad_enabled(False)`.
final class GradModeContext: HostObject {
    let enabled: Bool
    let name: String
    var saved: [Bool] = []
    /// set_grad_enabled already switched when called; `with` restores this on exit.
    var previous: Bool?
    nonisolated(unsafe) static var inferenceDepth = 0
    init(enabled: Bool, name: String) { self.enabled = enabled; self.name = name }
    var typeName: String { name }
    func enter(_ interp: Interpreter) throws -> Value? {
        saved.append(previous ?? GradMode.enabled)
        previous = nil
        GradMode.enabled = enabled
        if name == "inference_mode" && !enabled { GradModeContext.inferenceDepth += 1 }
        return Value.none
    }
    func exit(_ interp: Interpreter) throws {
        GradMode.enabled = saved.popLast() ?? true
        if name == "inference_mode" && !enabled { GradModeContext.inferenceDepth -= 1 }
    }
    /// As a decorator: a function that runs `fn` in this grad mode.
    func call(_ args: Arguments, _ interp: Interpreter) throws -> Value? {
        guard args.positional.count == 1, args.keywords.isEmpty else {
            throw typeError("\(name)() used as a decorator takes one function")
        }
        let fn = args.positional[0], on = enabled
        let sig = Signature(name, [], varargs: "args", kwargs: "kwargs", doc: "")
        return .builtin(Builtin(path: name, signature: sig) { a in
            try GradMode.with(on) { try a.interpreter.call(fn, Arguments(a.varargs, keywords: a.kwargs)) }
        })
    }
}

/// What `register_hook` returns: `handle.remove()` takes the hook off.
final class HookHandle: HostObject {
    weak var tensor: Tensor?
    let index: Int
    init(tensor: Tensor, index: Int) { self.tensor = tensor; self.index = index }
    var typeName: String { "RemovableHandle" }
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        guard name == "remove" else { return nil }
        let sig = Signature("remove", [], doc: "Removes the hook.")
        return .builtin(Builtin(path: "RemovableHandle.remove", signature: sig) { [weak self] _ in
            if let self, let t = self.tensor, self.index < t.gradHooks.count { t.gradHooks[self.index] = { _ in nil } }
            return .none
        })
    }
}

/// `x.grad_fn`: the node that made x, with `name()` and `next_functions`.
final class GradFnObject: HostObject {
    let node: GradNode
    init(_ node: GradNode) { self.node = node }
    var typeName: String { node.name }
    func repr() -> String { "<\(node.name) object at 0x\(String(UInt(bitPattern: ObjectIdentifier(node).hashValue), radix: 16))>" }
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "name":
            // PyTorch's name() spells the C++ namespace of nodes that are not generated ops.
            let n = node.name == "CopySlices" ? "torch::autograd::CopySlices" : node.name
            return .builtin(Builtin(path: "\(n).name", signature: Signature("name", [], doc: "The node's name.")) { _ in .str(n) })
        case "next_functions":
            guard let n = node as? Node else { return .tuple([]) }
            return .tuple(n.inputs.map { input -> Value in
                guard let input, input.requiresGrad else { return .tuple([.none, .int(0)]) }
                if let f = input.gradFn { return .tuple([.object(GradFnObject(f)), .int(0)]) }
                return .tuple([.object(AccumulateGradObject(input)), .int(0)])
            })
        default: return nil
        }
    }
}

/// The node that adds into a leaf's `.grad` (`next_functions` shows it).
final class AccumulateGradObject: HostObject {
    let variable: Tensor
    init(_ t: Tensor) { variable = t }
    var typeName: String { "AccumulateGrad" }
    func repr() -> String { "<AccumulateGrad object at 0x\(String(UInt(bitPattern: ObjectIdentifier(variable).hashValue), radix: 16))>" }
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "variable": return .tensor(variable)
        case "name":
            return .builtin(Builtin(path: "AccumulateGrad.name", signature: Signature("name", [], doc: "")) { _ in .str("torch::autograd::AccumulateGrad") })
        case "next_functions": return .tuple([])
        default: return nil
        }
    }
}
