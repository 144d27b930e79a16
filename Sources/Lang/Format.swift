import Foundation
import TensorCore

/// Python's format-spec mini-language for `f"{x:.3f}"` and `format(x, spec)`.
enum FormatSpec {
    struct Spec {
        var fill: Character = " "
        var align: Character?
        var sign: Character = "-"
        var alternate = false
        var width = 0
        var grouping: Character?
        var precision: Int?
        var type: Character?
    }

    static func parse(_ s: String) throws -> Spec {
        var spec = Spec()
        var chars = Array(s)
        var i = 0
        let aligns: Set<Character> = ["<", ">", "^", "="]
        if chars.count >= 2, aligns.contains(chars[1]) { spec.fill = chars[0]; spec.align = chars[1]; i = 2 }
        else if let c = chars.first, aligns.contains(c) { spec.align = c; i = 1 }
        if i < chars.count, "+- ".contains(chars[i]) { spec.sign = chars[i]; i += 1 }
        if i < chars.count, chars[i] == "#" { spec.alternate = true; i += 1 }
        if i < chars.count, chars[i] == "0" {
            if spec.align == nil { spec.fill = "0"; spec.align = "=" }
            i += 1
        }
        var w = ""
        while i < chars.count, chars[i].isASCII, chars[i].isNumber { w.append(chars[i]); i += 1 }
        if !w.isEmpty {
            guard let wv = Int(w) else { throw valueError("Too many decimal digits in format string") }
            spec.width = wv
        }
        if i < chars.count, chars[i] == "," || chars[i] == "_" { spec.grouping = chars[i]; i += 1 }
        if i < chars.count, chars[i] == "." {
            i += 1
            var p = ""
            while i < chars.count, chars[i].isASCII, chars[i].isNumber { p.append(chars[i]); i += 1 }
            if p.isEmpty { throw valueError("Format specifier missing precision") }
            guard let pv = Int(p) else { throw valueError("Too many decimal digits in format string") }
            if pv > Int(Int32.max) { throw valueError("precision too big") }
            spec.precision = pv
        }
        if i < chars.count { spec.type = chars[i]; i += 1 }
        if i < chars.count { throw valueError("Invalid format specifier '\(s)'") }
        chars.removeAll()
        return spec
    }

    static func format(_ v: Value, _ specText: String, hooks: HostHooks?) throws -> String {
        do {
            return try formatUnchecked(v, specText, hooks: hooks)
        } catch TensorError.memory(let bytes, let limit) {
            // `MemoryError: format spec '99999999999' needs 93.13 GiB, over the limit of 18 GiB`
            throw LangError(.MemoryError, "format spec \(Printing.quote(specText)) \(TensorError.memory(bytes: bytes, limit: limit))")
        }
    }

    static func formatUnchecked(_ v: Value, _ specText: String, hooks: HostHooks?) throws -> String {
        // PyTorch formats a 0-dim tensor as its Python number: f"{loss:.3f}", f"{x[0, 1]}".
        if case .tensor(let t) = v, t.rank == 0 { return try format(try TV.item(t), specText, hooks: hooks) }
        if specText.isEmpty { return try Printing.checkedStr(v, hooks: hooks) }
        let spec = try parse(specText)
        switch v {
        case .bool(let b): return try formatInt(b ? 1 : 0, spec)
        case .int(let n):
            if let t = spec.type, "eEfFgG%".contains(t) { return try formatFloat(Double(n), spec) }
            return try formatInt(n, spec)
        case .float(let d): return try formatFloat(d, spec)
        case .str(let s):
            if let t = spec.type, t != "s" { throw valueError("Unknown format code '\(t)' for object of type 'str'") }
            var text = s
            if let p = spec.precision { text = String(text.prefix(p)) }
            return try pad(text, spec, numeric: false)
        default:
            throw typeError("unsupported format string passed to \(v.typeName).__format__")
        }
    }

    static func formatInt(_ n: Int, _ spec: Spec) throws -> String {
        var digits: String
        let magnitude = n.magnitude
        switch spec.type {
        case nil, "d", "n": digits = String(magnitude)
        case "x": digits = (spec.alternate ? "0x" : "") + String(magnitude, radix: 16)
        case "X": digits = (spec.alternate ? "0X" : "") + String(magnitude, radix: 16).uppercased()
        case "o": digits = (spec.alternate ? "0o" : "") + String(magnitude, radix: 8)
        case "b": digits = (spec.alternate ? "0b" : "") + String(magnitude, radix: 2)
        case "c":
            guard let u = Unicode.Scalar(UInt32(clamping: n)) else { throw valueError("%c arg not in range") }
            return try pad(String(Character(u)), spec, numeric: false)
        case let t?: throw valueError("Unknown format code '\(t)' for object of type 'int'")
        }
        if spec.precision != nil { throw valueError("Precision not allowed in integer format specifier") }
        if let g = spec.grouping { digits = group(digits, g) }
        return try pad(sign(n < 0, spec) + digits, spec, numeric: true)
    }

    static func formatFloat(_ x: Double, _ spec: Spec) throws -> String {
        var body: String
        let a = Swift.abs(x)
        let neg = x.sign == .minus && !x.isNaN
        let p = spec.precision
        if let p = p { try Budget.string(p) }
        switch spec.type {
        case "f", "F": body = special(a) ?? printf(a, "f", p ?? 6)
        case "e", "E": body = special(a) ?? printf(a, "e", p ?? 6)
        case "g", "G": body = special(a) ?? printf(a, "g", p ?? 6, alternate: spec.alternate)
        case "%": body = (special(a * 100) ?? printf(a * 100, "f", p ?? 6)) + "%"
        case nil:
            if let p = p {
                body = special(a) ?? printf(a, "g", max(p, 1))
                if !body.contains(".") && !body.contains("e") && special(a) == nil { body += ".0" }
            } else {
                body = Printing.repr(.float(a))
            }
        case let t?: throw valueError("Unknown format code '\(t)' for object of type 'float'")
        }
        if spec.type == "E" || spec.type == "G" || spec.type == "F" { body = body.uppercased() }
        if let g = spec.grouping {
            let intEnd = body.firstIndex(where: { !$0.isNumber }) ?? body.endIndex
            body = group(String(body[..<intEnd]), g) + body[intEnd...]
        }
        return try pad(sign(neg, spec) + body, spec, numeric: true)
    }

    /// C's `%.{p}f`/`e`/`g` of a finite non-negative double. A double has at most 1,074
    /// decimals after the point and 767 significant digits, so past those the digits are
    /// zeros: they are appended here instead of asking printf for a billion of them.
    static func printf(_ a: Double, _ conv: Character, _ p: Int, alternate: Bool = false) -> String {
        let cap = conv == "f" ? 1100 : 800
        let text = String(format: "%\(alternate ? "#" : "").\(Swift.min(p, cap))\(conv)", a)
        guard p > cap, conv != "g" || alternate else { return text }
        let zeros = String(repeatingFast: "0", count: p - cap)
        guard let e = text.firstIndex(where: { $0 == "e" }) else { return text + zeros }
        return text[..<e] + zeros + text[e...]
    }

    static func special(_ a: Double) -> String? {
        if a.isNaN { return "nan" }
        if a.isInfinite { return "inf" }
        return nil
    }

    static func sign(_ negative: Bool, _ spec: Spec) -> String {
        if negative { return "-" }
        return spec.sign == "+" ? "+" : spec.sign == " " ? " " : ""
    }

    static func group(_ digits: String, _ sep: Character) -> String {
        var out: [Character] = []
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(sep) }
            out.append(c)
        }
        return String(out.reversed())
    }

    static func pad(_ s: String, _ spec: Spec, numeric: Bool) throws -> String {
        let n = s.count
        guard spec.width > n else { return s }
        try Budget.string(spec.width * spec.fill.utf8.count)
        let fill = String(repeatingFast: spec.fill, count: spec.width - n)
        switch spec.align ?? (numeric ? ">" : "<") {
        case "<": return s + fill
        case "^":
            let left = (spec.width - n) / 2
            return String(repeatingFast: spec.fill, count: left) + s
                + String(repeatingFast: spec.fill, count: spec.width - n - left)
        case "=":
            if let f = s.first, "+- ".contains(f) { return String(f) + fill + s.dropFirst() }
            return fill + s
        default: return fill + s
        }
    }
}
