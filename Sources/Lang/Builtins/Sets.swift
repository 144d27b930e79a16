import Syntax

/// Python's `set`: unique hashable items in insertion order (all-int sets print in
/// ascending order, as CPython's hash layout shows small ints).
final class PySet: HostObject {
    let items = DictBox()
    init() {}
    init(_ values: [Value]) throws { for v in values { try add(v) } }
    var typeName: String { "set" }

    func add(_ v: Value) throws {
        guard let h = HashKey(v) else { throw typeError("unhashable type: '\(v.typeName)'") }
        items.set(h, v, .none)
    }
    func contains(_ v: Value) -> Bool { HashKey(v).map { items.get($0) != nil } ?? false }

    /// The items in the order CPython would show them for the common cases.
    var ordered: [Value] {
        let keys = items.keys
        let ints = keys.compactMap { v -> Int? in if case .int(let i) = v, i >= 0 { return i }; return nil }
        if ints.count == keys.count { return ints.sorted().map { .int($0) } }
        return keys
    }

    func repr() -> String { items.count == 0 ? "set()" : "{" + ordered.map { Printing.repr($0) }.joined(separator: ", ") + "}" }
}

func installSets(_ r: Registry) {
    r.register(path: "set", signature: Signature("set", [P("iterable", .missing)], doc: "A set of unique items."), typeName: "set") { a in
        .object(try PySet(a.isMissing(0) ? [] : try a.interpreter.toArray(a[0])))
    }
    func m(_ name: String, _ params: [Param] = [], varargs: String? = nil, doc: String, _ body: @escaping (PySet, BoundArgs) throws -> Value) {
        r.registerMethod(type: "set", signature: Signature(name, [P("self")] + params, varargs: varargs, doc: doc)) { a in
            guard case .object(let s as PySet) = a[0] else { throw typeError("descriptor '\(name)' requires a 'set' object") }
            return try body(s, a)
        }
    }
    m("add", [P("elem")], doc: "Adds an item.") { s, a in try s.add(a[1]); return .none }
    m("discard", [P("elem")], doc: "Removes an item if present.") { s, a in
        if let h = HashKey(a[1]) { s.items.remove(h) }
        return .none
    }
    m("remove", [P("elem")], doc: "Removes an item; KeyError if absent.") { s, a in
        guard let h = HashKey(a[1]), s.items.remove(h) != nil else { throw LangError(.KeyError, a.interpreter.repr(a[1])) }
        return .none
    }
    m("pop", doc: "Removes and returns an item.") { s, a in
        guard let first = s.ordered.first, let h = HashKey(first) else { throw LangError(.KeyError, "'pop from an empty set'") }
        s.items.remove(h)
        return first
    }
    m("clear", doc: "Removes every item.") { s, _ in s.items.removeAll(); return .none }
    m("copy", doc: "A shallow copy.") { s, _ in .object(try PySet(s.items.keys)) }
    m("update", varargs: "others", doc: "Adds the items of the iterables.") { s, a in
        for o in a.varargs { for v in try a.interpreter.toArray(o) { try s.add(v) } }
        return .none
    }
    for (name, op) in [("union", "|"), ("intersection", "&"), ("difference", "-"), ("symmetric_difference", "^")] {
        m(name, varargs: "others", doc: "The \(name) with the iterables.") { s, a in
            var result = try PySet(s.items.keys)
            for o in a.varargs { result = try SetHooks.combine(op, result, try PySet(try a.interpreter.toArray(o))) }
            return .object(result)
        }
    }
    m("issubset", [P("other")], doc: "True if every item is in other.") { s, a in
        let o = try PySet(try a.interpreter.toArray(a[1]))
        return .bool(s.items.keys.allSatisfy(o.contains))
    }
    m("issuperset", [P("other")], doc: "True if every item of other is here.") { s, a in
        .bool(try a.interpreter.toArray(a[1]).allSatisfy(s.contains))
    }
    SetHooks.install(r)
}

enum SetHooks {
    static func combine(_ op: String, _ x: PySet, _ y: PySet) throws -> PySet {
        switch op {
        case "|": return try PySet(x.items.keys + y.items.keys)
        case "&": return try PySet(x.items.keys.filter(y.contains))
        case "-": return try PySet(x.items.keys.filter { !y.contains($0) })
        default: return try PySet(x.items.keys.filter { !y.contains($0) } + y.items.keys.filter { !x.contains($0) })
        }
    }

    static func install(_ r: Registry) {
        let h = r.hooks
        let oldBinary = h.binary, oldCompare = h.compare
        h.binary = { op, a, b in
            if case .object(let x as PySet) = a, case .object(let y as PySet) = b {
                switch op {
                case .bitOr: return .object(try combine("|", x, y))
                case .bitAnd: return .object(try combine("&", x, y))
                case .sub: return .object(try combine("-", x, y))
                case .bitXor: return .object(try combine("^", x, y))
                default: break
                }
            }
            return try oldBinary?(op, a, b)
        }
        h.compare = { op, a, b in
            if op == .inOp || op == .notIn, case .object(let s as PySet) = b {
                return .bool(s.contains(a) == (op == .inOp))
            }
            if case .object(let x as PySet) = a, case .object(let y as PySet) = b {
                let xs = x.items.keys, ys = y.items.keys
                switch op {
                case .eq: return .bool(xs.count == ys.count && xs.allSatisfy(y.contains))
                case .ne: return .bool(!(xs.count == ys.count && xs.allSatisfy(y.contains)))
                case .le: return .bool(xs.allSatisfy(y.contains))
                case .ge: return .bool(ys.allSatisfy(x.contains))
                case .lt: return .bool(xs.count < ys.count && xs.allSatisfy(y.contains))
                case .gt: return .bool(xs.count > ys.count && ys.allSatisfy(x.contains))
                default: break
                }
            }
            return try oldCompare?(op, a, b)
        }
        h.iterate = TensorHooks.chainIter(h.iterate) { v in
            guard case .object(let s as PySet) = v else { return nil }
            return s.ordered
        }
        h.length = TensorHooks.chainLen(h.length) { v in
            guard case .object(let s as PySet) = v else { return nil }
            return s.items.count
        }
        h.truth = TensorHooks.chainTruth(h.truth) { v in
            guard case .object(let s as PySet) = v else { return nil }
            return s.items.count > 0
        }
    }
}
