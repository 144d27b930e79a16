import TensorCore
import NN

/// Looking at values without running code: what Tab completion and
/// `help()` need. Nothing here calls a user function, a builtin's body or
/// a module's forward; attributes are found by looking values up.
extension Interpreter {
    /// A name as a cell sees it at top level: a variable, else a builtin or
    /// a prelude namespace (`torch`, `nn`, `F`, `optim`).
    public func lookupName(_ name: String) -> Value? { globals.get(name) ?? builtins[name] }

    /// The attribute `v.name` when it can be found by lookup alone, else nil.
    /// Tensor-valued attributes (`x.T`, `x.data`) stand in as the tensor
    /// itself: only their type matters to a completer.
    public func peekAttribute(_ v: Value, _ name: String) -> Value? {
        switch v {
        case .namespace(let ns): return ns[name]
        case .instance(let inst):
            if let a = inst.attributes[name] { return a }
            if let a = inst.cls.lookup(name) {
                if case .function = a { return .boundMethod(BoundMethod(receiver: v, function: a)) }
                return a
            }
        case .classValue(let cls): return cls.lookup(name)
        case .module(let m):
            if let c = m.child(name) { return .module(c) }
            if m.hasParameter(name) { return m.parameter(name).map { .tensor($0) } ?? Value.none }
            if m.hasBuffer(name) { return m.buffer(name).map { .tensor($0) } ?? Value.none }
            if name == "training" { return .bool(m.training) }
            if let a = LayerAttributes.value(m, name) { return a }
        case .tensor(let t):
            switch name {
            case "shape": return .size(t.shape)
            case "T", "mT", "data": return v
            case "grad": return t.grad.map { .tensor($0) } ?? Value.none
            case "ndim": return .int(t.rank)
            default: break
            }
        default: break
        }
        if let m = methodTables(v).lazy.compactMap({ $0[name] }).first {
            return .boundMethod(BoundMethod(receiver: v, function: .builtin(m)))
        }
        return nil
    }

    /// `v[key]` for the subscripts a completer can follow without running
    /// code: an int into a list, tuple, `Sequential` or `ModuleList`, a key of a dict.
    public func peekItem(_ v: Value, _ key: Value) -> Value? {
        func at<T>(_ items: [T], _ i: Int) -> T? {
            let j = i < 0 ? items.count + i : i
            return j >= 0 && j < items.count ? items[j] : nil
        }
        switch (v, key) {
        case (.list(let l), .int(let i)): return at(l.items, i)
        case (.tuple(let t), .int(let i)): return at(t, i)
        case (.module(let m), .int(let i)) where m is Sequential || m is ModuleList:
            return at(m.children, i).map { .module($0) }
        case (.dict(let d), _): return HashKey(key).flatMap { d.get($0) }
        default: return nil
        }
    }

    /// Every attribute and method name of a value, sorted (no private `_` names).
    public func attributeNames(of v: Value) -> [String] {
        var names = Set<String>()
        for table in methodTables(v) { names.formUnion(table.keys) }
        switch v {
        case .namespace(let ns): names.formUnion(ns.names)
        case .instance(let inst):
            names.formUnion(inst.attributes.keys)
            var classes = [inst.cls]
            while let c = classes.popLast() { names.formUnion(c.attributes.keys); classes += c.bases }
        case .classValue(let cls):
            var classes = [cls]
            while let c = classes.popLast() { names.formUnion(c.attributes.keys); classes += c.bases }
        case .module(let m):
            names.formUnion(m.childNames.filter(Self.isIdentifier))
            names.formUnion(m.parameterNames)
            names.formUnion(m.bufferNames)
            names.insert("training")
            names.formUnion(LayerAttributes.names.filter { LayerAttributes.value(m, $0) != nil })
        case .tensor: names.formUnion(TensorHooks.attributeNames)
        case .builtin, .function: names.formUnion(["__name__", "__doc__"])
        default: break
        }
        return names.filter { !$0.hasPrefix("_") }.sorted()
    }

    /// The valid subscripts of a value for completion after `v[`: the
    /// indices of a `Sequential`/`ModuleList`/list/tuple, the keys of a dict.
    public func itemKeys(of v: Value) -> [String] {
        switch v {
        case .module(let m) where m is Sequential || m is ModuleList: return m.children.indices.map(String.init)
        case .list(let l): return l.items.indices.map(String.init)
        case .tuple(let t): return t.indices.map(String.init)
        case .dict(let d): return d.keys.map { Printing.repr($0) }
        default: return []
        }
    }

    /// The signature a call to `v` binds against (without `self` for
    /// methods and classes), for keyword completion and `help()`.
    public func signature(of v: Value) -> Signature? {
        switch v {
        case .builtin(let b): return b.signature
        case .function(let f): return f.signature
        case .boundMethod(let m):
            guard var s = signature(of: m.function) else { return nil }
            if !s.params.isEmpty { s.params.removeFirst() }
            return s
        case .classValue(let cls):
            guard case .function(let f)? = cls.lookup("__init__") else { return nil }
            var s = f.signature
            if !s.params.isEmpty { s.params.removeFirst() }
            s.name = cls.name
            return s
        default: return nil
        }
    }

    /// The method tables that apply to a value: its own type's, then `Module`'s for layers.
    func methodTables(_ v: Value) -> [[String: Builtin]] {
        var tables: [[String: Builtin]] = []
        if let t = methodTable(v) { tables.append(t) }
        if case .module(let m) = v, registry.methods[m.typeName] != nil, let base = registry.methods["Module"] {
            tables.append(base)
        }
        return tables
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.first, f.isLetter || f == "_" else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
