import TensorCore
import NN

/// `torch.optim`: the optimisers with PyTorch's signatures, their `param_groups`
/// (editable dicts), `state_dict`/`load_state_dict`, and `nn.utils.clip_grad_*`.
enum OptimBindings {
    static func install(_ r: Registry) {
        optimizer(r, "SGD", [P("params"), P("lr", .float(1e-3)), P("momentum", .int(0)), P("dampening", .int(0)),
                             P("weight_decay", .int(0)), P("nesterov", .bool(false))],
                  keywordOnly: [P("maximize", .bool(false)), P("foreach", .none), P("differentiable", .bool(false)), P("fused", .none)],
                  doc: "Stochastic gradient descent, with optional momentum (Nesterov too) and weight decay.") { groups, a in
            try SGD(groups, lr: try a.double(1), momentum: try a.double(2), dampening: try a.double(3), weightDecay: try a.double(4),
                    nesterov: TV.bool(a[5]), maximize: TV.bool(a["maximize"]))
        }
        for (name, decoupled) in [("Adam", false), ("AdamW", true)] {
            optimizer(r, name, [P("params"), P("lr", .float(1e-3)), P("betas", .tuple([.float(0.9), .float(0.999)])),
                                P("eps", .float(1e-8)), P("weight_decay", decoupled ? .float(1e-2) : .int(0)), P("amsgrad", .bool(false))],
                      keywordOnly: [P("foreach", .none), P("maximize", .bool(false)), P("capturable", .bool(false)),
                                    P("differentiable", .bool(false)), P("fused", .none)],
                      doc: decoupled ? "Adam with decoupled weight decay (Loshchilov & Hutter)." : "Adam: adaptive moment estimation.") { groups, a in
                let b = try pair(a[2], "betas", in: name)
                return try Adam(groups, lr: try a.double(1), betas: b, eps: try a.double(3), weightDecay: try a.double(4),
                                amsgrad: TV.bool(a[5]), maximize: TV.bool(a["maximize"]), decoupled: decoupled)
            }
        }
        optimizer(r, "RMSprop", [P("params"), P("lr", .float(1e-2)), P("alpha", .float(0.99)), P("eps", .float(1e-8)),
                                 P("weight_decay", .int(0)), P("momentum", .int(0)), P("centered", .bool(false))],
                  keywordOnly: [P("capturable", .bool(false)), P("foreach", .none), P("maximize", .bool(false)), P("differentiable", .bool(false))],
                  doc: "RMSprop: divides the gradient by a running root mean square.") { groups, a in
            try RMSprop(groups, lr: try a.double(1), alpha: try a.double(2), eps: try a.double(3), weightDecay: try a.double(4),
                        momentum: try a.double(5), centered: TV.bool(a[6]), maximize: TV.bool(a["maximize"]))
        }
        optimizer(r, "Adagrad", [P("params"), P("lr", .float(1e-2)), P("lr_decay", .int(0)), P("weight_decay", .int(0)),
                                 P("initial_accumulator_value", .int(0)), P("eps", .float(1e-10))],
                  keywordOnly: [P("foreach", .none), P("maximize", .bool(false)), P("differentiable", .bool(false)), P("fused", .none)],
                  doc: "Adagrad: per-parameter learning rates from accumulated squared gradients.") { groups, a in
            try Adagrad(groups, lr: try a.double(1), lrDecay: try a.double(2), weightDecay: try a.double(3),
                        initialAccumulatorValue: try a.double(4), eps: try a.double(5), maximize: TV.bool(a["maximize"]))
        }
        SchedulerBindings.install(r)

        r.register(path: "torch.nn.utils.clip_grad_norm_", signature: Signature("clip_grad_norm_",
            [P("parameters"), P("max_norm"), P("norm_type", .float(2)), P("error_if_nonfinite", .bool(false)), P("foreach", .none)],
            doc: "Scales the gradients so that their total norm is at most max_norm; returns the total norm.")) { a in
            let params = try tensors(a[0], a.interpreter, in: "clip_grad_norm_")
            let normType: Double
            if case .str(let s) = a[2], s == "inf" { normType = .infinity } else { normType = try a.double(2) }
            return .tensor(try ClipGrad.clipNorm(params, maxNorm: try a.double(1), normType: normType, errorIfNonfinite: TV.bool(a[3])))
        }
        r.register(path: "torch.nn.utils.clip_grad_value_", signature: Signature("clip_grad_value_",
            [P("parameters"), P("clip_value"), P("foreach", .none)], doc: "Clamps every gradient to [-clip_value, clip_value].")) { a in
            try ClipGrad.clipValue(try tensors(a[0], a.interpreter, in: "clip_grad_value_"), clipValue: try a.double(1))
            return .none
        }
        installGroupAccess(r)
    }

    static func pair(_ v: Value, _ what: String, in fn: String) throws -> (Double, Double) {
        let items: [Value]
        switch v {
        case .tuple(let t): items = t
        case .list(let l): items = l.items
        default: throw typeError("\(fn)(): \(what) must be a tuple of two floats")
        }
        guard items.count == 2 else { throw typeError("\(fn)(): \(what) must be a tuple of two floats") }
        return (try Convert.double(items[0], what: what, in: fn), try Convert.double(items[1], what: what, in: fn))
    }

    /// A tensor, or an iterable of tensors (`model.parameters()`).
    static func tensors(_ v: Value, _ interp: Interpreter, in fn: String) throws -> [Tensor] {
        if case .tensor(let t) = v { return [t] }
        return try interp.toArray(v).map { try TV.tensor($0, "parameters", in: fn) }
    }

    /// `params`: an iterable of tensors, or of dicts holding 'params' and per-group options.
    static func groups(_ v: Value, _ interp: Interpreter, in fn: String) throws -> [([Tensor], [(String, OptValue)])] {
        if case .tensor = v { throw typeError("params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor") }
        let items = try interp.toArray(v)
        if items.isEmpty { throw valueError("optimizer got an empty parameter list") }
        if case .dict = items[0] {
            return try items.map { item in
                guard case .dict(let d) = item else { throw typeError("param groups must all be dicts") }
                var params: [Tensor] = [], options: [(String, OptValue)] = []
                for (k, val) in d.items {
                    guard case .str(let key) = k else { continue }
                    if key == "params" { params = try tensors(val, interp, in: fn) } else { options.append((key, try optValue(val, key))) }
                }
                return (params, options)
            }
        }
        return [(try items.map { try TV.tensor($0, "params", in: fn) }, [])]
    }

    static func optValue(_ v: Value, _ key: String) throws -> OptValue {
        switch v {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .double(d)
        case .tensor(let t): return .double(try t.item())
        case .tuple(let t) where t.count == 2:
            return .pair(try Convert.double(t[0], what: key, in: "param_groups"), try Convert.double(t[1], what: key, in: "param_groups"))
        default: throw typeError("param group option '\(key)' must be a number, a bool, None or a pair")
        }
    }

    static func value(_ o: OptValue) -> Value {
        switch o {
        case .double(let d): return .float(d)
        case .int(let i): return .int(i)
        case .bool(let b): return .bool(b)
        case .pair(let a, let b): return .tuple([.float(a), .float(b)])
        case .none: return .none
        }
    }

    static func optimizer(_ r: Registry, _ name: String, _ params: [Param], keywordOnly: [Param], doc: String,
                          _ make: @escaping ([([Tensor], [(String, OptValue)])], BoundArgs) throws -> Optimizer) {
        r.register(path: "torch.optim.\(name)", signature: Signature(name, params, keywordOnly: keywordOnly, doc: doc), typeName: name) { a in
            let opt = try make(try groups(a[0], a.interpreter, in: name), a)
            return .object(OptimizerObject(opt))
        }
    }

    /// `opt.param_groups[0]['lr']` reads and writes the group itself.
    static func installGroupAccess(_ r: Registry) {
        let h = r.hooks
        h.getItem = TensorHooks.chain2(h.getItem) { v, k in
            guard case .object(let o as ParamGroupObject) = v else { return nil }
            guard case .str(let key) = k else { throw LangError(.KeyError, Printing.repr(k)) }
            if key == "params" { return .list(ListBox(o.group.params.map(Value.tensor))) }
            guard let x = o.group[key] else { throw LangError(.KeyError, Printing.repr(k)) }
            return value(x)
        }
        h.setItem = TensorHooks.chainSet(h.setItem) { v, k, x in
            guard case .object(let o as ParamGroupObject) = v else { return false }
            guard case .str(let key) = k else { throw typeError("param group keys are strings") }
            if key == "params" {
                let items: [Value]
                switch x {
                case .list(let l): items = l.items
                case .tuple(let t): items = t
                default: items = [x]
                }
                o.group.params = try items.map { try TV.tensor($0, "params", in: "param_groups") }
            } else {
                o.group[key] = try optValue(x, key)
            }
            return true
        }
    }
}
