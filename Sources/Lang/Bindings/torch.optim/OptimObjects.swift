import TensorCore
import NN
import Render

/// An optimiser as the language sees it: `step`, `zero_grad`, `param_groups`,
/// `state_dict`, `load_state_dict`, `add_param_group`, and PyTorch's repr.
final class OptimizerObject: HostObject {
    let opt: Optimizer
    var groupObjects: [ParamGroupObject] = []
    init(_ opt: Optimizer) { self.opt = opt }
    var typeName: String { opt.name }

    var groups: [ParamGroupObject] {
        if groupObjects.count != opt.paramGroups.count || zip(groupObjects, opt.paramGroups).contains(where: { $0.group !== $1 }) {
            groupObjects = opt.paramGroups.map(ParamGroupObject.init)
        }
        return groupObjects
    }

    func repr() -> String {
        var s = "\(opt.name) ("
        for (i, g) in opt.paramGroups.enumerated() {
            s += "\nParameter Group \(i)"
            for k in g.keys.sorted() { s += "\n    \(k): \(Printing.repr(OptimBindings.value(g[k] ?? .none)))" }
        }
        return s + "\n)"
    }

    func method(_ name: String, _ params: [Param], _ doc: String, _ body: @escaping (BoundArgs) throws -> Value) -> Value {
        .builtin(Builtin(path: "\(opt.name).\(name)", signature: Signature(name, params, doc: doc), body: body))
    }

    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "param_groups": return .list(ListBox(groups.map { .object($0) }))
        case "defaults":
            let d = DictBox()
            for (k, v) in opt.defaults { d.set(HashKey(.str(k))!, .str(k), OptimBindings.value(v)) }
            return .dict(d)
        case "state":
            let d = DictBox()
            for p in opt.orderedParams { if let st = opt.state[ObjectIdentifier(p)] { d.set(HashKey(.tensor(p))!, .tensor(p), .dict(stateDict(st))) } }
            return .dict(d)
        case "zero_grad":
            return method("zero_grad", [P("set_to_none", .bool(true))], "Clears the gradients (sets them to None by default).") { [opt] a in
                try opt.zeroGrad(setToNone: TV.bool(a[0])); return .none
            }
        case "step":
            return method("step", [P("closure", .none)], "Updates the parameters from their gradients.") { [opt] a in
                var loss: Value = .none
                if !a[0].isNone { loss = try GradMode.with(true) { try a.interpreter.call(a[0], []) } }
                try opt.step()
                return loss
            }
        case "state_dict":
            return method("state_dict", [], "The optimiser's state and hyper-parameters, parameters numbered in order.") { [self] _ in
                .dict(try self.stateDictValue())
            }
        case "load_state_dict":
            return method("load_state_dict", [P("state_dict")], "Restores state and hyper-parameters saved by state_dict().") { [self] a in
                try self.load(a[0]); return .none
            }
        case "add_param_group":
            return method("add_param_group", [P("param_group")], "Adds a parameter group (a dict with 'params').") { [opt] a in
                for (params, options) in try OptimBindings.groups(.list(ListBox([a[0]])), a.interpreter, in: "add_param_group") {
                    try opt.addParamGroup(params, options)
                }
                return .none
            }
        default: return nil
        }
    }

    func stateDict(_ st: ParamState) -> DictBox {
        let d = DictBox()
        if opt.hasStepState { d.set(HashKey(.str("step"))!, .str("step"), .tensor(.scalar(Float(st.step)))) }
        for (k, t) in st.tensors { d.set(HashKey(.str(k))!, .str(k), .tensor(t)) }
        return d
    }

    func stateDictValue() throws -> DictBox {
        let params = opt.orderedParams
        let state = DictBox()
        for (i, p) in params.enumerated() {
            if let st = opt.state[ObjectIdentifier(p)] { state.set(HashKey(.int(i))!, .int(i), .dict(stateDict(st))) }
        }
        var next = 0
        let groups = ListBox(opt.paramGroups.map { g -> Value in
            let d = DictBox()
            for k in g.keys { d.set(HashKey(.str(k))!, .str(k), OptimBindings.value(g[k] ?? .none)) }
            let ids = (0..<g.params.count).map { _ -> Value in defer { next += 1 }; return .int(next) }
            d.set(HashKey(.str("params"))!, .str("params"), .list(ListBox(ids)))
            return .dict(d)
        })
        let out = DictBox()
        out.set(HashKey(.str("state"))!, .str("state"), .dict(state))
        out.set(HashKey(.str("param_groups"))!, .str("param_groups"), .list(groups))
        return out
    }

    func load(_ v: Value) throws {
        guard case .dict(let sd) = v, case .dict(let state)? = sd.get(HashKey(.str("state"))!),
              case .list(let groups)? = sd.get(HashKey(.str("param_groups"))!) else {
            throw valueError("loaded state dict is not an optimizer state dict (it needs 'state' and 'param_groups')")
        }
        guard groups.items.count == opt.paramGroups.count else {
            throw valueError("loaded state dict has a different number of parameter groups")
        }
        for (gv, g) in zip(groups.items, opt.paramGroups) {
            guard case .dict(let gd) = gv else { throw valueError("param_groups entries must be dicts") }
            if case .list(let ids)? = gd.get(HashKey(.str("params"))!), ids.items.count != g.params.count {
                throw valueError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group")
            }
            for (k, x) in gd.items { if case .str(let key) = k, key != "params" { g[key] = try OptimBindings.optValue(x, key) } }
        }
        opt.state = [:]
        for (i, p) in opt.orderedParams.enumerated() {
            guard case .dict(let sv)? = state.get(HashKey(.int(i))!) else { continue }
            let st = ParamState()
            for (k, x) in sv.items {
                guard case .str(let key) = k, case .tensor(let t) = x else { continue }
                if key == "step" { st.step = try t.item() } else { st[key] = try t.clone() }
            }
            opt.state[ObjectIdentifier(p)] = st
        }
    }
}

/// `optimizer.param_groups[i]`: a dict view onto the group (writes reach the optimiser).
final class ParamGroupObject: HostObject {
    let group: ParamGroup
    init(_ g: ParamGroup) { group = g }
    var typeName: String { "dict" }
    func repr() -> String {
        var parts = ["'params': [" + group.params.map { TensorPrinter.repr($0) }.joined(separator: ", ") + "]"]
        for k in group.keys { parts.append("'\(k)': \(Printing.repr(OptimBindings.value(group[k] ?? .none)))") }
        return "{" + parts.joined(separator: ", ") + "}"
    }
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "keys":
            return .builtin(Builtin(path: "dict.keys", signature: Signature("keys", [], doc: "The group's keys.")) { [group] _ in
                .list(ListBox(([Value.str("params")] + group.keys.map { Value.str($0) })))
            })
        case "get":
            return .builtin(Builtin(path: "dict.get", signature: Signature("get", [P("key"), P("default", .none)], doc: "A key's value or default.")) { [group] a in
                guard case .str(let k) = a[0] else { return a[1] }
                if k == "params" { return .list(ListBox(group.params.map(Value.tensor))) }
                return group[k].map(OptimBindings.value) ?? a[1]
            })
        default: return nil
        }
    }
}
