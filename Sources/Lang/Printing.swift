import TensorCore
import NN
import Render

/// Python's `repr` and `str` of values.
public enum Printing {
    /// Containers nested deeper than this raise RecursionError when shown
    /// (`sys.setrecursionlimit` sets it with the interpreter's limit).
    nonisolated(unsafe) public static var depthLimit = 1000

    /// The repr, or for data nested past the limit a short stand-in (for messages);
    /// what a user asked to see goes through `checkedRepr`, which raises instead.
    public static func repr(_ v: Value, hooks: HostHooks? = nil) -> String {
        (try? checkedRepr(v, hooks: hooks)) ?? "<\(v.typeName) nested too deeply to show>"
    }

    public static func str(_ v: Value, hooks: HostHooks? = nil) -> String {
        (try? checkedStr(v, hooks: hooks)) ?? "<\(v.typeName) nested too deeply to show>"
    }

    /// `repr(x)`: RecursionError (CPython's words) for containers nested past the limit.
    public static func checkedRepr(_ v: Value, hooks: HostHooks? = nil) throws -> String {
        var seen = Set<ObjectIdentifier>()
        return try repr(v, hooks, &seen, depth: 0)
    }

    public static func checkedStr(_ v: Value, hooks: HostHooks? = nil) throws -> String {
        switch v {
        case .str(let s): return s
        case .object(let e as ExceptionValue): return e.message
        case .object(let o as HostStr): return o.str()
        case .instance: return hooks?.instanceText?(v, true) ?? repr(v, hooks: hooks)
        case .tensor, .module, .object:
            try precheck(v, forStr: true)
            if let s = hooks?.str?(v) { return s }
            return try checkedRepr(v, hooks: hooks)
        default: return try checkedRepr(v, hooks: hooks)
        }
    }

    /// PyTorch's errors for what its repr cannot show: a precision past a C int, a module
    /// that contains itself or is nested past the recursion limit (its repr takes three
    /// Python frames a level).
    /// Python names where the recursion ended: a cycle while getting the str or repr,
    /// deep nesting in `str()` plainly.
    static func precheck(_ v: Value, forStr: Bool = false) throws {
        switch v {
        case .tensor: try NumberText.check(PrintOptions.current.precision)
        case .module(let m):
            switch m.nesting(depthLimit: depthLimit / 3) {
            case .fine: break
            case .cycle: throw LangError(.RecursionError, "maximum recursion depth exceeded while getting the \(forStr ? "str" : "repr") of an object")
            case .tooDeep: throw forStr ? LangError(.RecursionError, "maximum recursion depth exceeded") : tooDeep
            }
        default: break
        }
    }

    static let tooDeep = LangError(.RecursionError, "maximum recursion depth exceeded while getting the repr of an object")

    static func repr(_ v: Value, _ hooks: HostHooks?, _ seen: inout Set<ObjectIdentifier>, depth: Int) throws -> String {
        if depth > depthLimit || StackGuard.exhausted { throw tooDeep }
        func repr(_ v: Value, _ hooks: HostHooks?, _ seen: inout Set<ObjectIdentifier>) throws -> String {
            try Printing.repr(v, hooks, &seen, depth: depth + 1)
        }
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
            for item in box.items { parts.append(try repr(item, hooks, &seen)) }
            return "[" + parts.joined(separator: ", ") + "]"
        case .tuple(let items):
            var parts: [String] = []
            for item in items { parts.append(try repr(item, hooks, &seen)) }
            return items.count == 1 ? "(\(parts[0]),)" : "(" + parts.joined(separator: ", ") + ")"
        case .dict(let d):
            let id = ObjectIdentifier(d)
            if seen.contains(id) { return "{...}" }
            seen.insert(id); defer { seen.remove(id) }
            var parts: [String] = []
            for (k, val) in d.items { parts.append(try repr(k, hooks, &seen) + ": " + (try repr(val, hooks, &seen))) }
            if d.isOrdered {
                if d.count == 0 { return "OrderedDict()" }
                var pairs: [String] = []
                for (k, val) in d.items { pairs.append(try "(" + repr(k, hooks, &seen) + ", " + (try repr(val, hooks, &seen)) + ")") }
                return "OrderedDict([" + pairs.joined(separator: ", ") + "])"
            }
            if let f = d.defaultFactory { return "defaultdict(" + (try repr(f, hooks, &seen)) + ", {" + parts.joined(separator: ", ") + "})" }
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
            return "slice(\(try repr(s.start, hooks, &seen)), \(try repr(s.stop, hooks, &seen)), \(try repr(s.step, hooks, &seen)))"
        case .ellipsis: return "Ellipsis"
        case .size(let dims): return "torch.Size([" + dims.map(String.init).joined(separator: ", ") + "])"
        case .namespace(let ns): return "<module '\(ns.path)'>"
        case .tensor(let t):
            try precheck(v)
            if let s = hooks?.repr?(v) { return s }
            return "tensor(<\(t.dtype) \(t.shape)>)"
        case .module(let m):
            try precheck(v)
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
        let q: Character = s.utf8.contains(39) && !s.utf8.contains(34) ? "\"" : "'"   // by bytes: fast on long strings
        // Printable ASCII without the quote or a backslash needs no escapes (fast for long strings).
        let qb = q.asciiValue ?? 39
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x5C && $0 != qb }) { return String(q) + s + String(q) }
        var out = String(q)
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(u) == q { out += "\\" + String(q) }
                else if u.value < 0x20 || u.value == 0x7F || (u.value >= 0x80 && !printable(u)) {
                    let h = String(u.value, radix: 16)
                    let (prefix, width) = u.value <= 0xFF ? ("\\x", 2) : u.value <= 0xFFFF ? ("\\u", 4) : ("\\U", 8)
                    out += prefix + String(repeating: "0", count: width - h.count) + h
                } else { out.unicodeScalars.append(u) }
            }
        }
        out.append(q)
        return out
    }

    /// Python's `str.isprintable` for one code point past ASCII: not a control, format,
    /// surrogate, private-use or unassigned code point, nor a separator (repr escapes those).
    static func printable(_ u: Unicode.Scalar) -> Bool {
        switch u.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }
}
