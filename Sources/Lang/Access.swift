/// Attributes and methods of values.
extension Interpreter {
    /// The registry's method table for a value (`list`, `Tensor`, `Module`, ...).
    func methodTable(_ v: Value) -> [String: Builtin]? {
        switch v {
        case .tensor: return registry.methods["Tensor"]
        case .module(let m): return registry.methods[m.typeName] ?? registry.methods["Module"]
        case .size: return registry.methods["Size"] ?? registry.methods["tuple"]
        default: return registry.methods[v.typeName]
        }
    }

    public func getAttribute(_ v: Value, _ name: String) throws -> Value {
        switch v {
        case .instance(let inst):
            if let a = inst.attributes[name] { return a }
            if let a = inst.cls.lookup(name) {
                if case .function = a { return .boundMethod(BoundMethod(receiver: v, function: a)) }
                return a
            }
            if name == "__class__" { return .classValue(inst.cls) }
        case .classValue(let cls):
            if let a = cls.lookup(name) { return a }
            if name == "__name__" { return .str(cls.name) }
        case .namespace(let ns):
            if let a = ns[name] { return a }
            var m = "module '\(ns.path)' has no attribute '\(name)'"
            // CPython offers nothing for `torch` (dir(torch) passes its 750-name limit).
            if ns.path != "torch", let s = Suggestions.best(name, ns.names.sorted()) { m += ". Did you mean: '\(s)'?" }
            throw LangError(.AttributeError, m)
        case .function(let f):
            if name == "__name__" { return .str(f.name) }
        case .builtin(let b):
            if name == "__name__" { return .str(b.typeName ?? b.name) }
            if name == "__doc__" { return .str(b.signature.doc) }
            if let t = b.typeName, let m = registry.methods[t]?[name] { return .builtin(Self.unboundMethod(m, of: t)) }
        case .object(let o):
            if let a = try o.getAttribute(name, self) { return a }
        default: break
        }
        if let m = methodTable(v)?[name] { return .boundMethod(BoundMethod(receiver: v, function: .builtin(m))) }
        if isHost(v) || { if case .size = v { return true }; return false }(),
           let a = try hooks.getAttribute?(v, name) {
            return a
        }
        if name == "__class__" { return try typeOf(v) }
        if case .module(let m) = v, name == "__class__" { return .str(m.typeName) }
        var m = "'\(Self.qualifiedTypeName(v))' object has no attribute '\(name)'"
        // As CPython, whose dir() is sorted (a tensor's has 749 names, under the 750 limit).
        if let s = Suggestions.best(name, attributeNames(of: v).sorted()) { m += ". Did you mean: '\(s)'?" }
        throw LangError(.AttributeError, m)
    }

    /// `str.lower`, `list.append`, `torch.Tensor.size`: a type's method called with the object
    /// first (`sorted(words, key=str.lower)`), which must be of that type (a bool counts as an int).
    static func unboundMethod(_ m: Builtin, of type: String) -> Builtin {
        Builtin(path: type + "." + m.name, signature: m.signature) { a in
            let given = a[0].typeName
            guard given == type || (type == "int" && given == "bool") else {
                throw typeError("descriptor '\(m.name)' for '\(type)' objects doesn't apply to a '\(given)' object")
            }
            return try m.body(a)
        }
    }

    /// The type's name as CPython's attribute errors print it (`numpy.ndarray`).
    static func qualifiedTypeName(_ v: Value) -> String {
        v.typeName == "ndarray" ? "numpy.ndarray" : v.typeName
    }

    public func setAttribute(_ v: Value, _ name: String, _ x: Value) throws {
        switch v {
        case .instance(let inst):
            if inst.attributes.updateValue(x, forKey: name) == nil { inst.attributeOrder.append(name) }
            return
        case .classValue(let cls):
            cls.attributes[name] = x
            return
        case .object(let o):
            if try o.setAttribute(name, x, self) { return }
        case .namespace(let ns):
            ns.set(name, x)
            return
        default: break
        }
        if isHost(v), try hooks.setAttribute?(v, name, x) == true { return }
        if (try? getAttribute(v, name)) != nil {
            throw LangError(.AttributeError, "'\(v.typeName)' object attribute '\(name)' is read-only")
        }
        var m = "'\(Self.qualifiedTypeName(v))' object has no attribute '\(name)'"
        // As CPython, whose dir() is sorted (a tensor's has 749 names, under the 750 limit).
        if let s = Suggestions.best(name, attributeNames(of: v).sorted()) { m += ". Did you mean: '\(s)'?" }
        throw LangError(.AttributeError, m)
    }

    /// `type(v)`: the constructor builtin for Python types, the class of an instance.
    func typeOf(_ v: Value) throws -> Value {
        if case .instance(let i) = v { return .classValue(i.cls) }
        if let b = builtins[v.typeName], case .builtin(let ctor) = b, ctor.typeName != nil { return b }
        let name = v.typeName
        return .builtin(Builtin(path: name, signature: Signature(name, varargs: "args", kwargs: "kwargs"),
                                typeName: name) { _ in throw typeError("cannot create '\(name)' instances") })
    }

    /// `with v:`
    func enter(_ v: Value) throws -> Value {
        if case .object(let o) = v, let r = try o.enter(self) { return r }
        if isHost(v), let r = try hooks.enter?(v) { return r }
        if case .instance = v, let m = try? getAttribute(v, "__enter__") { return try call(m, Arguments()) }
        throw typeError("'\(v.typeName)' object does not support the context manager protocol")
    }

    func exit(_ v: Value) throws {
        if case .object(let o) = v { try o.exit(self); return }
        if isHost(v), let e = hooks.exit { try e(v); return }
        if case .instance = v, let m = try? getAttribute(v, "__exit__") {
            _ = try call(m, Arguments([.none, .none, .none]))
        }
    }

    /// A user class deriving from a host class such as `nn.Module`: a
    /// placeholder base until the NN bindings provide one.
    func hostBaseClass(_ v: Value) -> ClassValue? {
        if case .builtin(let b) = v, let t = b.typeName {
            if let k = ErrorKind(rawValue: t) { return UserExceptions.base(k) }
            return t == "Module" ? ScriptModule.moduleBase : ClassValue(name: t, bases: [], attributes: [:])
        }
        return nil
    }

    // MARK: imports

    func importable(_ module: String) -> Bool {
        // `import torch.utils.data` needs every part to be a namespace, not just `torch`.
        let parts = module.split(separator: ".").map(String.init)
        guard let first = parts.first, var ns = registry.roots[first] else { return false }
        for name in parts.dropFirst() {
            guard case .namespace(let child)? = ns[name] else { return false }
            ns = child
        }
        return true
    }

    /// The first package of a dotted path that cannot be imported (`scipy` for `scipy.io`).
    func missingModule(_ full: String) -> String {
        let parts = full.split(separator: ".").map(String.init)
        for i in 1...max(parts.count, 1) {
            let prefix = parts.prefix(i).joined(separator: ".")
            if !importable(prefix) || moduleNamespace(prefix) == nil { return prefix }
        }
        return full
    }

    func moduleNamespace(_ path: String) -> Value? {
        guard case .namespace(let ns)? = registry.lookup(path) else { return nil }
        return .namespace(ns)
    }

    /// `name 'x' is not defined`, with CPython's suggestion from `locals` (the innermost
    /// function's variables, in order), the globals in definition order (the session's
    /// `torch`, `nn`, `F`, `optim` first, as a script's imports) and the builtins.
    func nameErrorMessage(_ name: String, locals: [String] = []) -> String {
        var m = "name '\(name)' is not defined"
        let user = globalNames
        let prelude = ["torch", "nn", "F", "optim"].filter { builtins[$0] != nil && !user.contains($0) }
        if let s = Suggestions.forName(name, locals: locals, globals: prelude + user,
                                       builtins: Suggestions.builtinCandidates(own: registry.ownNames)) {
            m += ". Did you mean: '\(s)'?"
        }
        return m
    }
}
