/// Argument conversions for builtins, with Python's TypeError wording.
public enum Convert {
    public static func int(_ v: Value, what: String, in fn: String) throws -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: throw typeError("\(fn)(): argument '\(what)' must be int, not \(v.typeName)")
        }
    }

    public static func double(_ v: Value, what: String, in fn: String) throws -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        case .float(let d): return d
        default: throw typeError("must be real number, not \(v.typeName)")
        }
    }

    public static func string(_ v: Value, what: String, in fn: String) throws -> String {
        if case .str(let s) = v { return s }
        throw typeError("\(fn)(): argument '\(what)' must be str, not \(v.typeName)")
    }

    /// Python's `int("12")`.
    static func parseInt(_ s: String, base: Int) throws -> Int {
        guard base == 0 || (2...36).contains(base) else { throw valueError("int() base must be >= 2 and <= 36, or 0") }
        var t = s.trimmingCharacters(in: " \t\n")
        t.removeAll { $0 == "_" }
        var negative = false
        if t.hasPrefix("-") { negative = true; t.removeFirst() } else if t.hasPrefix("+") { t.removeFirst() }
        var b = base
        let lower = t.lowercased()
        for (p, r) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(p) && (base == 0 || base == r) {
            t.removeFirst(2); b = r
        }
        if b == 0 { b = 10 }
        guard let v = Int(t, radix: b) else {
            throw valueError("invalid literal for int() with base \(base == 0 ? 10 : base): \(Printing.quote(s))")
        }
        return negative ? -v : v
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
