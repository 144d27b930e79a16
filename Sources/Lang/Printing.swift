import TensorCore
import NN

/// Python's `repr` and `str` of values.
public enum Printing {
    public static func repr(_ v: Value, hooks: HostHooks? = nil) -> String {
        var seen = Set<ObjectIdentifier>()
        return repr(v, hooks, &seen)
    }

    public static func str(_ v: Value, hooks: HostHooks? = nil) -> String {
        switch v {
        case .str(let s): return s
        case .object(let e as ExceptionValue): return e.message
        case .object(let o as HostStr): return o.str()
        case .instance: return hooks?.instanceText?(v, true) ?? repr(v, hooks: hooks)
        case .tensor, .module, .object:
            if let s = hooks?.str?(v) { return s }
            return repr(v, hooks: hooks)
        default: return repr(v, hooks: hooks)
        }
    }

    static func repr(_ v: Value, _ hooks: HostHooks?, _ seen: inout Set<ObjectIdentifier>) -> String {
        switch v {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let d): return PyFormat.float(d)
        case .str(let s): return quote(s)
        case .list(let box):
            let id = ObjectIdentifier(box)
            if seen.contains(id) { return "[...]" }
            seen.insert(id); defer { seen.remove(id) }
            var parts: [String] = []
            for item in box.items { parts.append(repr(item, hooks, &seen)) }
            return "[" + parts.joined(separator: ", ") + "]"
        case .tuple(let items):
            var parts: [String] = []
            for item in items { parts.append(repr(item, hooks, &seen)) }
            return items.count == 1 ? "(\(parts[0]),)" : "(" + parts.joined(separator: ", ") + ")"
        case .dict(let d):
            let id = ObjectIdentifier(d)
            if seen.contains(id) { return "{...}" }
            seen.insert(id); defer { seen.remove(id) }
            var parts: [String] = []
            for (k, val) in d.items { parts.append(repr(k, hooks, &seen) + ": " + repr(val, hooks, &seen)) }
            if d.isOrdered {
                if d.count == 0 { return "OrderedDict()" }
                var pairs: [String] = []
                for (k, val) in d.items { pairs.append("(" + repr(k, hooks, &seen) + ", " + repr(val, hooks, &seen) + ")") }
                return "OrderedDict([" + pairs.joined(separator: ", ") + "])"
            }
            if let f = d.defaultFactory { return "defaultdict(" + repr(f, hooks, &seen) + ", {" + parts.joined(separator: ", ") + "})" }
            return "{" + parts.joined(separator: ", ") + "}"
        case .function(let f): return f.isLambda ? "<function <lambda>>" : "<function \(f.name)>"
        case .builtin(let b):
            if let t = b.typeName { return "<class '\(t)'>" }
            return "<built-in function \(b.name)>"
        case .boundMethod(let m):
            let name: String
            switch m.function {
            case .function(let f): name = f.name
            case .builtin(let b): name = b.name
            default: name = "?"
            }
            return "<bound method \(m.receiver.typeName).\(name)>"
        case .range(let r):
            return r.step == 1 ? "range(\(r.start), \(r.stop))" : "range(\(r.start), \(r.stop), \(r.step))"
        case .slice(let s):
            return "slice(\(repr(s.start, hooks, &seen)), \(repr(s.stop, hooks, &seen)), \(repr(s.step, hooks, &seen)))"
        case .ellipsis: return "Ellipsis"
        case .size(let dims): return "torch.Size([" + dims.map(String.init).joined(separator: ", ") + "])"
        case .namespace(let ns): return "<module '\(ns.path)'>"
        case .tensor(let t):
            if let s = hooks?.repr?(v) { return s }
            return "tensor(<\(t.dtype) \(t.shape)>)"
        case .module(let m):
            if let s = hooks?.repr?(v) { return s }
            return m.repr
        case .object(let o):
            if let s = hooks?.repr?(v) { return s }
            return o.repr()
        case .classValue(let c): return "<class '\(c.name)'>"
        case .instance(let i): return hooks?.instanceText?(v, false) ?? "<\(i.cls.name) object>"
        case .iterator(let it): return "<\(it.typeName) object>"
        }
    }

    /// `'abc'`, `"it's"`, with Python's escapes.
    public static func quote(_ s: String) -> String {
        let q: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(q)
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(u) == q { out += "\\" + String(q) }
                else if u.value < 0x20 || u.value == 0x7F {
                    let h = String(u.value, radix: 16)
                    out += "\\x" + (h.count < 2 ? "0" + h : h)
                } else { out.unicodeScalars.append(u) }
            }
        }
        out.append(q)
        return out
    }
}
