import Foundation
import TensorCore

/// NumPy 2's print options (`np.set_printoptions`): precision 8, threshold 1000,
/// edgeitems 3, linewidth 75, no suppression, floatmode 'maxprec'.
public struct ArrayPrintOptions: Equatable, Sendable {
    public var precision = 8
    public var threshold = 1000
    public var edgeitems = 3
    public var linewidth = 75
    public var suppress = false
    public init() {}
    nonisolated(unsafe) public static var current = ArrayPrintOptions()
}

/// Prints NumPy arrays and scalars exactly as NumPy 2 does (numpy/_core/arrayprint.py):
/// `array([1. , 2.5])`, `dtype=float32` suffixes, shortest round-trip digits cut at
/// `precision`, shared padding, scientific mode, summarisation with `...` and
/// line wrapping at 75 columns.
public enum ArrayPrinter {
    /// NumPy's dtype names.
    public static func dtypeName(_ d: DType) -> String { d.rawValue }

    /// float64, int64 and bool print without a `dtype=` suffix.
    static func isImplied(_ d: DType) -> Bool { d == .float64 || d == .int64 || d == .bool }

    /// `repr(a)`.
    public static func repr(_ t: Tensor, options o: ArrayPrintOptions = .current) -> String {
        let prefix = "array("
        let lst = t.numel == 0 ? "[]" : array2string(t, o, separator: ", ", prefix: prefix, linewidth: o.linewidth - 1)
        var extras: [String] = []
        if (t.numel == 0 && t.shape != [0]) || t.numel > o.threshold {
            extras.append("shape=" + TensorPrinter.tupleString(t.shape))
        }
        if !isImplied(t.dtype) || t.numel == 0 { extras.append("dtype=" + dtypeName(t.dtype)) }
        if extras.isEmpty { return prefix + lst + ")" }
        let arr = prefix + lst + ","
        let extra = extras.joined(separator: ", ") + ")"
        let lastLine = arr.count - ((arr.lastIndex(of: "\n").map { arr.distance(from: arr.startIndex, to: $0) } ?? -1) + 1)
        let spacer = lastLine + extra.count + 1 > o.linewidth ? "\n" + String(repeating: " ", count: prefix.count) : " "
        return arr + spacer + extra
    }

    /// `str(a)` / `print(a)`.
    public static func str(_ t: Tensor, options o: ArrayPrintOptions = .current) -> String {
        if t.rank == 0 { return scalarStr(t) }
        if t.numel == 0 { return "[]" }
        return array2string(t, o, separator: " ", prefix: "", linewidth: o.linewidth)
    }

    /// `str(np.float64(x))`: Python's repr of the value (float32 and float16 with their own shortest digits).
    public static func scalarStr(_ t: Tensor) -> String {
        let o = t.offset
        switch t.dtype {
        case .bool: return t.storage.bools[o] ? "True" : "False"
        case .int64, .int32, .uint8: return String(t.int64(atStorageOffset: o))
        case .float64: return PyFormat.float(t.storage.doubles[o])
        case .float32, .float16:
            let v = t.double(atStorageOffset: o)
            if !v.isFinite { return PyFormat.float(v) }
            let s = Shortest(v, t.dtype)
            // NumPy's scalar rule: positional for 1e-4 <= |x| < 1e16 (float64), 1e6 (float32), 1e3 (float16).
            let cutoff = t.dtype == .float32 ? 1e6 : 1e3
            if v != 0 && (Swift.abs(v) < 1e-4 || Swift.abs(v) >= cutoff) {
                let m = s.digits.count > 1 ? String(s.digits.first!) + "." + String(s.digits.dropFirst()) : String(s.digits)
                let e = s.exponent
                return (s.negative ? "-" : "") + m + "e" + (e < 0 ? "-" : "+") + (Swift.abs(e) < 10 ? "0" : "") + String(Swift.abs(e))
            }
            let p = s.positional()
            return p.hasSuffix(".") ? p + "0" : p
        }
    }

    /// `repr(np.float64(x))`: `np.float64(1.5)`, `np.int64(3)`, `np.True_`.
    public static func scalarRepr(_ t: Tensor) -> String {
        if t.dtype == .bool { return t.storage.bools[t.offset] ? "np.True_" : "np.False_" }
        return "np.\(dtypeName(t.dtype))(\(scalarStr(t)))"
    }

    // MARK: array2string

    static func array2string(_ t: Tensor, _ o: ArrayPrintOptions, separator: String, prefix: String, linewidth: Int) -> String {
        let summarize = t.numel > o.threshold
        let edge = summarize ? o.edgeitems : Int.max / 4
        let fmt = ElementFormat(t, offsets: cornerOffsets(t, edge: edge), options: o)
        let nextLinePrefix = " " + String(repeating: " ", count: prefix.count)
        return recurse(t, dim: 0, base: t.offset, hanging: nextLinePrefix, width: linewidth, fmt: fmt,
                       separator: separator, edge: edge, summarize: summarize)
    }

    /// The offsets `_leading_trailing` keeps: `edge` items at each end of every long axis.
    static func cornerOffsets(_ t: Tensor, edge: Int) -> [Int] {
        var out: [Int] = []
        func walk(_ d: Int, _ base: Int) {
            if d == t.rank { out.append(base); return }
            let n = t.shape[d], s = t.strides[d]
            let idx = n > 2 * edge ? Array(0..<edge) + Array((n - edge)..<n) : Array(0..<n)
            for i in idx { walk(d + 1, base + i * s) }
        }
        walk(0, t.offset)
        return out
    }

    static func recurse(_ t: Tensor, dim: Int, base: Int, hanging: String, width: Int, fmt: ElementFormat,
                        separator: String, edge: Int, summarize: Bool) -> String {
        let left = t.rank - dim
        if left == 0 { return fmt.format(at: base) }
        let nextHanging = hanging + " ", nextWidth = width - 1
        let n = t.shape[dim], step = t.strides[dim]
        let showSummary = summarize && 2 * edge < n
        let leading = showSummary ? edge : 0, trailing = showSummary ? edge : n
        func sub(_ i: Int) -> String {
            recurse(t, dim: dim + 1, base: base + i * step, hanging: nextHanging, width: nextWidth, fmt: fmt,
                    separator: separator, edge: edge, summarize: summarize)
        }
        var s = ""
        if left == 1 {
            let sepTrim = separator.trimmingCharacters(in: .whitespaces)
            let elemWidth = width - Swift.max(sepTrim.count, 1)
            var line = hanging
            for i in 0..<leading {
                extend(&s, &line, sub(i), elemWidth, hanging)
                line += separator
            }
            if showSummary {
                extend(&s, &line, "...", elemWidth, hanging)
                line += separator
            }
            if trailing > 1 {
                for k in stride(from: trailing, to: 1, by: -1) {
                    extend(&s, &line, sub(n - k), elemWidth, hanging)
                    line += separator
                }
            }
            extend(&s, &line, sub(n - 1), elemWidth, hanging)
            s += line
        } else {
            let lineSep = separator.trimmingCharacters(in: .whitespaces) + String(repeating: "\n", count: left - 1)
            for i in 0..<leading { s += hanging + sub(i) + lineSep }
            if showSummary { s += hanging + "..." + lineSep }
            if trailing > 1 {
                for k in stride(from: trailing, to: 1, by: -1) { s += hanging + sub(n - k) + lineSep }
            }
            s += hanging + sub(n - 1)
        }
        return "[" + String(s.dropFirst(hanging.count)) + "]"
    }

    /// `_extendLine_pretty`: single-line words wrap when the line would pass the width;
    /// a nested (multi-line) word is placed line by line.
    static func extend(_ s: inout String, _ line: inout String, _ word: String, _ width: Int, _ prefix: String) {
        let words = word.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if words.count == 1 {
            if line.count + word.count > width && line.count > prefix.count {
                s += rstrip(line) + "\n"
                line = prefix
            }
            line += word
            return
        }
        let maxLen = words.map(\.count).max() ?? 0
        let indent: String
        if line.count + maxLen > width && line.count > prefix.count {
            s += rstrip(line) + "\n"
            line = prefix + words[0]
            indent = prefix
        } else {
            indent = String(repeating: " ", count: line.count)
            line += words[0]
        }
        for w in words.dropFirst() {
            s += rstrip(line) + "\n"
            line = indent + w
        }
        line += String(repeating: " ", count: maxLen - (words.last?.count ?? 0))
    }

    static func rstrip(_ s: String) -> String {
        var t = Substring(s)
        while let l = t.last, l == " " { t = t.dropLast() }
        return String(t)
    }
}

/// Shortest round-trip decimal digits of a value in its own dtype (Dragon4's
/// `unique` mode): `digits` with the first one before the point, times 10^exponent.
struct Shortest {
    var digits: [Character]
    var exponent: Int
    var negative: Bool

    init(_ v: Double, _ dtype: DType) {
        let text: String
        switch dtype {
        case .float32: text = Float(v).description
        case .float16: text = Float16(Float(v)).description
        default: text = v.description
        }
        negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: "e", maxSplits: 1)
        let mantissa = String(parts[0])
        var exp10 = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let mp = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = String(mp[0]), fracPart = mp.count > 1 ? String(mp[1]) : ""
        var all = Array(intPart + fracPart)
        exp10 += intPart.count - 1
        while all.count > 1 && all.first == "0" { all.removeFirst(); exp10 -= 1 }
        while all.count > 1 && all.last == "0" { all.removeLast() }
        if all == ["0"] { exp10 = 0 }
        digits = all
        exponent = exp10
    }

    var isZero: Bool { digits == ["0"] }

    /// Positional text with every shortest digit: `12.5`, `0.001`, `100.`.
    func positional() -> String {
        var intPart = "", frac = ""
        if exponent >= 0 {
            for i in 0...exponent { intPart.append(i < digits.count ? digits[i] : "0") }
            if digits.count > exponent + 1 { frac = String(digits[(exponent + 1)...]) }
        } else {
            intPart = "0"
            frac = String(repeating: "0", count: -exponent - 1) + String(digits)
        }
        if isZero { intPart = "0"; frac = "" }
        return (negative ? "-" : "") + intPart + "." + frac
    }

    var fractionDigits: Int { isZero ? 0 : Swift.max(0, digits.count - 1 - exponent) }
}

/// `FloatingFormat`, `IntegerFormat` and `BoolFormat` of NumPy's printer: widths
/// and modes chosen once from the printed elements.
struct ElementFormat {
    let t: Tensor
    var kind: Kind
    enum Kind { case bool(zeroDim: Bool), int(width: Int), float }
    var precision: Int
    var expFormat = false
    var padLeft = 0, padRight = 0, expSize = -1

    init(_ t: Tensor, offsets: [Int], options: ArrayPrintOptions) {
        self.t = t
        precision = options.precision
        switch t.dtype {
        case .bool: kind = .bool(zeroDim: t.rank == 0); return
        case .int64, .int32, .uint8:
            var w = 0
            for o in offsets { w = Swift.max(w, String(t.int64(atStorageOffset: o)).count) }
            kind = .int(width: w); return
        default: kind = .float
        }
        let values = offsets.map { t.double(atStorageOffset: $0) }
        let finite = values.filter { $0.isFinite }
        let nonZero = finite.filter { $0 != 0 }.map { Swift.abs($0) }
        if let maxV = nonZero.max(), let minV = nonZero.min() {
            let dtypePrecision = t.dtype == .float64 ? 15 : (t.dtype == .float32 ? 6 : 3)
            let cutoff = pow(10.0, Double(Swift.min(8, dtypePrecision)))
            if maxV >= cutoff || (!options.suppress && (minV < 0.0001 || maxV / minV > 1000)) { expFormat = true }
        }
        if finite.isEmpty {
            padLeft = 0; padRight = 0
        } else if expFormat {
            var maxFrac = 0, maxInt = 0, maxExp = 0
            for v in finite {
                let (m, e) = sci(v, precision: precision, minDigits: 0)
                let parts = m.split(separator: ".", omittingEmptySubsequences: false)
                maxInt = Swift.max(maxInt, parts[0].count)
                maxFrac = Swift.max(maxFrac, parts.count > 1 ? parts[1].count : 0)
                maxExp = Swift.max(maxExp, String(Swift.abs(e)).count)
            }
            expSize = Swift.max(maxExp, 2)
            precision = maxFrac
            padLeft = maxInt
            padRight = expSize + 2 + precision
        } else {
            for v in finite {
                let s = positional(v)
                let parts = s.split(separator: ".", omittingEmptySubsequences: false)
                padLeft = Swift.max(padLeft, parts[0].count)
                padRight = Swift.max(padRight, parts.count > 1 ? parts[1].count : 0)
            }
        }
        if finite.count != values.count {
            let negInf = values.contains { $0.isInfinite && $0 < 0 }
            let offset = padRight + 1
            padLeft = Swift.max(padLeft, 3 - offset, 3 + (negInf ? 1 : 0) - offset)
        }
    }

    /// Positional digits, unique but cut at `precision` fractional digits (trim '.').
    func positional(_ v: Double) -> String {
        let s = Shortest(v, t.dtype)
        if s.fractionDigits <= precision { return s.positional() }
        var r = String(format: "%.\(precision)f", v)
        while r.hasSuffix("0") { r.removeLast() }
        if r.hasPrefix("-") && r.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) && v > -0.5 { /* -0. stays */ }
        return r
    }

    /// Scientific mantissa (unique digits cut at `precision`, zero-padded to `minDigits`) and exponent.
    func sci(_ v: Double, precision p: Int, minDigits: Int) -> (String, Int) {
        let s = Shortest(v, t.dtype)
        var mant: String, e: Int
        if s.digits.count - 1 <= p {
            mant = String(s.digits[0]) + "." + String(s.digits.dropFirst())
            e = s.exponent
            if s.negative { mant = "-" + mant }
        } else {
            let r = String(format: "%.\(p)e", v)
            let parts = r.split(separator: "e")
            mant = String(parts[0]); e = Int(parts[1]) ?? 0
            while mant.hasSuffix("0") { mant.removeLast() }
        }
        if !mant.contains(".") { mant += "." }
        let frac = mant.split(separator: ".", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        if frac.count < minDigits { mant += String(repeating: "0", count: minDigits - frac.count) }
        return (mant, e)
    }

    func format(at o: Int) -> String {
        switch kind {
        case .bool(let zeroDim):
            return t.storage.bools[o] ? (zeroDim ? "True" : " True") : "False"
        case .int(let w):
            let s = String(t.int64(atStorageOffset: o))
            return String(repeating: " ", count: Swift.max(0, w - s.count)) + s
        case .float:
            let v = t.double(atStorageOffset: o)
            if !v.isFinite {
                let r = v.isNaN ? "nan" : (v < 0 ? "-inf" : "inf")
                return String(repeating: " ", count: Swift.max(0, padLeft + padRight + 1 - r.count)) + r
            }
            if expFormat {
                let (m, e) = sci(v, precision: precision, minDigits: precision)
                let parts = m.split(separator: ".", omittingEmptySubsequences: false)
                let lead = String(repeating: " ", count: Swift.max(0, padLeft - parts[0].count))
                let ed = String(Swift.abs(e))
                return lead + m + "e" + (e < 0 ? "-" : "+") + String(repeating: "0", count: Swift.max(0, expSize - ed.count)) + ed
            }
            let s = positional(v)
            let parts = s.split(separator: ".", omittingEmptySubsequences: false)
            let fracLen = parts.count > 1 ? parts[1].count : 0
            return String(repeating: " ", count: Swift.max(0, padLeft - parts[0].count)) + s
                + String(repeating: " ", count: Swift.max(0, padRight - fracLen))
        }
    }
}
