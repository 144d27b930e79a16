import TensorCore
import NN

/// How modules take part in the language: `m(x)`, `m.weight` (read and
/// assign, shape checked), children by name, hyper-parameters, methods,
/// `net[0]`, `net[1:3]`, `len(net)`, `for layer in net`, and PyTorch's repr.
enum ModuleHooks {
    static func install(_ r: Registry) {
        let h = r.hooks
        h.call = { callee, args in
            guard case .module(let m) = callee else { return nil }
            if let s = m as? ScriptModule { return try scriptCall(s, args) }
            if let d = m as? DistributedDataParallel, let inner = d.wrapped, !allTensors(args) {
                // Non-tensor arguments go straight to the wrapped model, as DDP's forward passes them on.
                if let s = inner as? ScriptModule { return try scriptCall(s, args) }
                return try call(inner, args)
            }
            return try call(m, args)
        }
        h.getAttribute = TensorHooks.chain(h.getAttribute) { v, name in
            guard case .module(let m) = v else { return nil }
            return try attribute(m, name)
        }
        h.setAttribute = TensorHooks.chainSet(h.setAttribute) { v, name, x in
            guard case .module(let m) = v else { return false }
            return try setAttribute(m, name, x)
        }
        h.getItem = TensorHooks.chain2(h.getItem) { v, k in
            guard case .module(let m) = v else { return nil }
            return try item(m, k)
        }
        h.iterate = TensorHooks.chainIter(h.iterate) { v in
            guard case .module(let m) = v else { return nil }
            guard m is Sequential || m is ModuleList else { throw typeError("'\(m.typeName)' object is not iterable") }
            return m.children.map { .module($0) }
        }
        h.length = TensorHooks.chainLen(h.length) { v in
            guard case .module(let m) = v else { return nil }
            guard m is Sequential || m is ModuleList else { throw typeError("object of type '\(m.typeName)' has no len()") }
            return m.children.count
        }
        installMethods(r)
    }

    static func allTensors(_ args: Arguments) -> Bool {
        args.keywords.isEmpty && !args.positional.isEmpty
            && args.positional.allSatisfy { if case .tensor = $0 { return true }; return false }
    }

    static func call(_ m: Module, _ args: Arguments) throws -> Value {
        if let v = try SequenceLayers.call(m, args) { return v }
        var outputSize: [Int]?
        for (k, v) in args.keywords {
            guard k == "output_size" else {
                throw typeError("\(m.typeName).forward() got an unexpected keyword argument '\(k)'")
            }
            outputSize = v.isNone ? nil : try TV.ints(v, "output_size", in: "forward")
        }
        guard !args.positional.isEmpty else {
            throw typeError("\(m.typeName).forward() missing 1 required positional argument: 'input'")
        }
        var inputs = try args.positional.map { try TV.tensor($0, "input", in: "\(m.typeName).forward") }
        if m is MaxUnpool2d && inputs.count == 3 {   // unpool(x, idx, output_size) positionally
            outputSize = inputs[2].toInt64s().map { Int($0) }
            inputs.removeLast()
        }
        let out = try m.call(inputs, outputSize: outputSize)
        return out.count == 1 ? .tensor(out[0]) : .tuple(out.map { .tensor($0) })
    }

    static func attribute(_ m: Module, _ name: String) throws -> Value? {
        if m.hasParameter(name) { return m.parameter(name).map { .tensor($0) } ?? Value.none }
        if m.hasBuffer(name) { return m.buffer(name).map { .tensor($0) } ?? Value.none }
        if let c = m.child(name) { return .module(c) }
        if let s = m as? ScriptModule, let v = scriptAttribute(s, name) { return v }
        switch name {
        case "training": return .bool(m.training)
        case "__class__": return .object(ClassInfo(name: m.typeName))
        default: return LayerAttributes.value(m, name)
        }
    }

    static func setAttribute(_ m: Module, _ name: String, _ v: Value) throws -> Bool {
        if m.hasParameter(name) {
            try m.assignParameter(name, v.isNone ? nil : try TV.tensor(v, name, in: "setattr"))
            return true
        }
        if m.hasBuffer(name) {
            try m.assignBuffer(name, v.isNone ? nil : try TV.tensor(v, name, in: "setattr"))
            return true
        }
        if case .module(let c) = v { m.registerChild(name, c); return true }
        if name == "training" { m.train(TV.bool(v)); return true }
        if let s = m as? ScriptModule {
            if case .tensor(let t) = v, t.isParameter { s.registerParameter(name, t); return true }
            s.attributes[name] = v
            return true
        }
        return false
    }

    static func item(_ m: Module, _ k: Value) throws -> Value? {
        switch (m, k) {
        case (let s as Sequential, .int(let i)): return .module(try s.module(at: i))
        case (let s as Sequential, .slice(let sl)):
            return .module(try s.slice(start: try TV.optionalInt(sl.start, "start", in: "slice"),
                                       stop: try TV.optionalInt(sl.stop, "stop", in: "slice"),
                                       step: try TV.optionalInt(sl.step, "step", in: "slice")))
        case (let l as ModuleList, .int(let i)): return .module(try l.module(at: i))
        case (let l as ModuleList, .slice(let sl)):
            return .module(try l.slice(start: try TV.optionalInt(sl.start, "start", in: "slice"),
                                       stop: try TV.optionalInt(sl.stop, "stop", in: "slice"),
                                       step: try TV.optionalInt(sl.step, "step", in: "slice")))
        default:
            throw typeError("'\(m.typeName)' object is not subscriptable")
        }
    }

    static func receiver(_ v: Value, _ fn: String) throws -> Module {
        guard case .module(let m) = v else { throw typeError("\(fn)(): expected a Module, not \(v.typeName)") }
        return m
    }

    static func installMethods(_ r: Registry) {
        func method(_ name: String, _ params: [Param] = [], doc: String, _ body: @escaping (Module, BoundArgs) throws -> Value) {
            r.registerMethod(type: "Module", signature: Signature(name, [P("self")] + params, doc: doc)) { a in
                try body(try receiver(a[0], name), a)
            }
        }
        method("parameters", [P("recurse", .bool(true))], doc: "The learnable tensors, each once.") { m, _ in
            .list(ListBox(m.parameters().map { .tensor($0) }))
        }
        method("named_parameters", [P("prefix", .str("")), P("recurse", .bool(true))], doc: "(name, tensor) pairs with dotted names.") { m, a in
            let prefix = try Convert.string(a[1], what: "prefix", in: "named_parameters")
            return .list(ListBox(m.namedParameters(prefix: prefix.isEmpty ? "" : prefix + ".").map { .tuple([.str($0.0), .tensor($0.1)]) }))
        }
        method("buffers", doc: "The non-learnable state tensors.") { m, _ in .list(ListBox(m.namedBuffers().map { .tensor($0.1) })) }
        method("named_buffers", doc: "(name, tensor) pairs of buffers.") { m, _ in
            .list(ListBox(m.namedBuffers().map { .tuple([.str($0.0), .tensor($0.1)]) }))
        }
        method("children", doc: "The direct submodules.") { m, _ in .list(ListBox(m.children.map { .module($0) })) }
        method("named_children", doc: "(name, module) pairs of direct submodules.") { m, _ in
            .list(ListBox(m.childNames.compactMap { n in m.child(n).map { .tuple([.str(n), .module($0)]) } }))
        }
        method("modules", doc: "This module and every submodule.") { m, _ in .list(ListBox(m.namedModules().map { .module($0.1) })) }
        method("named_modules", doc: "(name, module) pairs of this module and every submodule.") { m, _ in
            .list(ListBox(m.namedModules().map { .tuple([.str($0.0), .module($0.1)]) }))
        }
        method("train", [P("mode", .bool(true))], doc: "Training mode (dropout on, batch statistics).") { m, a in
            .module(m.train(TV.bool(a[1])))
        }
        method("eval", doc: "Evaluation mode (dropout off, running statistics).") { m, _ in .module(m.eval()) }
        method("zero_grad", [P("set_to_none", .bool(true))], doc: "Clears every parameter's gradient.") { m, _ in m.zeroGrad(); return .none }
        method("state_dict", [P("destination", .none), P("prefix", .str("")), P("keep_vars", .bool(false))],
               doc: "Parameters and buffers by dotted name (detached unless keep_vars=True).") { m, a in
            let d = DictBox()
            let prefix = try Convert.string(a[2], what: "prefix", in: "state_dict")
            let keep = TV.bool(a[3])
            for (k, t) in m.stateDict(prefix: prefix) { d.set(.str(k), .str(k), .tensor(keep ? t : t.detach())) }
            return .dict(d)
        }
        method("append", [P("module")], doc: "Appends a module (Sequential, ModuleList).") { m, a in
            let c = try NNLayers.module(a[1], in: "append")
            if let s = m as? Sequential { s.append(c) } else if let l = m as? ModuleList { l.append(c) }
            else { throw LangError(.AttributeError, "'\(m.typeName)' object has no attribute 'append'") }
            return .module(m)
        }
        method("add_module", [P("name"), P("module")], doc: "Adds a child module under a name.") { m, a in
            m.registerChild(try Convert.string(a[1], what: "name", in: "add_module"), try NNLayers.module(a[2], in: "add_module"))
            return .none
        }
        method("requires_grad_", [P("requires_grad", .bool(true))], doc: "Sets requires_grad on every parameter.") { m, a in
            for p in m.parameters() { p.requiresGrad = TV.bool(a[1]) }
            return .module(m)
        }
        method("flatten_parameters", doc: "RNN, LSTM, GRU: packs the weights for cuDNN; nothing to do on the CPU.") { m, _ in
            guard m is RNNBase else { throw LangError(.AttributeError, "'\(m.typeName)' object has no attribute 'flatten_parameters'") }
            return .none
        }
        method("extra_repr", doc: "The text inside the layer's repr.") { m, _ in .str(m.extraRepr()) }
        for (name, dtype) in [("double", DType.float64), ("float", .float32), ("half", .float16)] {
            method(name, doc: "Casts floating parameters and buffers to \(dtype.torchName).") { m, _ in
                .module(try m.convert(to: dtype))
            }
        }
        method("to", [P("device", .none), P("dtype", .none), P("non_blocking", .bool(false))],
               doc: "Casts floating parameters and buffers to a dtype ('cpu' is the only device).") { m, a in
            for v in [a[1], a[2]] where !v.isNone {
                switch v {
                case .str, .object(_ as DeviceObject): try DeviceObject.make(v).requireCPU(); continue
                default: break
                }
                if let d = try TV.dtype(v, in: "to") { try m.convert(to: d) }
            }
            return .module(m)
        }
        method("cpu", doc: "The module itself (Tensorpad runs on the CPU).") { m, _ in .module(m) }
        method("cuda", [P("device", .none)], doc: "Not available: Tensorpad computes on the CPU.") { _, _ in
            try DeviceObject(type: "cuda", index: nil).requireCPU(); return .none
        }
    }
}

/// `m.__class__`: enough of a class object for `__name__`.
final class ClassInfo: HostObject {
    let name: String
    init(name: String) { self.name = name }
    var typeName: String { "type" }
    func repr() -> String { "<class '\(name)'>" }
    func getAttribute(_ n: String, _ interp: Interpreter) throws -> Value? {
        n == "__name__" || n == "__qualname__" ? .str(name) : nil
    }
}
