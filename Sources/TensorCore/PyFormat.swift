/// Python's text for numbers, shared by every module that prints values
/// (`repr` of layers, the language's `print`).
public enum PyFormat {
    /// `repr(float)`: the shortest text that round-trips, with Python's
    /// switch to exponent notation below 1e-4 and from 1e16.
    public static func float(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        if v == 0 { return v.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description is also shortest round-trip; only the layout differs.
        let (digits, exp10) = shortestDigits(v)
        let neg = v < 0 ? "-" : ""
        // Python: scientific when exponent < -4 or >= 16.
        let e = exp10 // value = 0.d1d2d3... × 10^exp10 → decimal exponent of first digit is exp10-1
        let sciExp = e - 1
        if sciExp < -4 || sciExp >= 16 {
            var mant = String(digits.first ?? "0")
            if digits.count > 1 { mant += "." + digits.dropFirst() }
            let es = sciExp < 0 ? "-" + pad2(-sciExp) : "+" + pad2(sciExp)
            return neg + mant + "e" + es
        }
        if e <= 0 {
            return neg + "0." + String(repeating: "0", count: -e) + digits
        }
        if digits.count <= e {
            return neg + digits + String(repeating: "0", count: e - digits.count) + ".0"
        }
        let idx = digits.index(digits.startIndex, offsetBy: e)
        return neg + digits[..<idx] + "." + digits[idx...]
    }

    static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Shortest round-trip decimal digits of |v| and the exponent e with
    /// |v| = 0.DIGITS × 10^e, parsed from Swift's own shortest description.
    static func shortestDigits(_ v: Double) -> (String, Int) {
        let s = Swift.abs(v).description   // e.g. "1.5", "1e-05", "1.2345e+20", "123.0"
        var mantissa = s, exp = 0
        if let eIdx = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(s[..<eIdx])
            exp = Int(s[s.index(after: eIdx)...]) ?? 0
        }
        var intPart = mantissa, fracPart = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = String(mantissa[..<dot])
            fracPart = String(mantissa[mantissa.index(after: dot)...])
        }
        var digits = intPart + fracPart
        var e = intPart.count + exp
        // strip leading zeros
        while digits.hasPrefix("0") && digits.count > 1 { digits.removeFirst(); e -= 1 }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, e)
    }

    /// `True` / `False`.
    public static func bool(_ b: Bool) -> String { b ? "True" : "False" }

    /// A Python tuple of ints: `(2, 2)`, `(3,)`.
    public static func tuple(_ v: [Int]) -> String {
        v.count == 1 ? "(\(v[0]),)" : "(" + v.map(String.init).joined(separator: ", ") + ")"
    }
}
