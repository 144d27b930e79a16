import Foundation

/// tqdm's default progress line (`tqdm.format_meter` with the default
/// `bar_format`): `desc: 100%|██████████| 235/235 [00:03<00:00, 70.12it/s, loss=0.512]`,
/// and without a total `desc: 235it [00:03, 70.12it/s]`.
public enum ProgressMeter {
    /// tqdm's smooth-block charset: a space, eighths ▏..▉, a full block.
    static let blocks: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
    /// `ascii=True`: tenths of a cell as digits, a full cell as `#`.
    static let asciiBlocks: [Character] = [" ", "1", "2", "3", "4", "5", "6", "7", "8", "9", "#"]

    /// - n, total: counts (`nText`/`totalText` are their Python `str`s, so a
    ///   float count prints as Python prints it).
    /// - elapsed: seconds since the bar started; `rate`: items a second
    ///   (nil: n / elapsed).
    /// - ncols: the whole line's width (the bar fills what the text leaves);
    ///   nil draws a 10-cell bar.
    /// - prefix: the description (`desc`), postfix: `set_postfix`'s text.
    public static func format(n: Double, nText: String, total: Double?, totalText: String?, elapsed: Double,
                              ncols: Int? = nil, prefix: String = "", unit: String = "it",
                              rate givenRate: Double? = nil, postfix: String = "", initial: Double = 0, ascii: Bool = false) -> String {
        var total = total, totalText = totalText
        if let t = total, n >= t + 0.5 || t == .infinity { total = nil; totalText = nil }
        let elapsedText = interval(elapsed)
        var rate = givenRate
        if rate == nil, elapsed != 0 { rate = (n - initial) / elapsed }
        let r = rate.flatMap { $0 == 0 ? nil : $0 }
        let inverse = r.map { 1 / $0 }
        let rateText: String
        if let inv = inverse, inv > 1 {
            rateText = String(format: "%5.2f", inv) + "s/" + unit
        } else {
            rateText = (r.map { String(format: "%5.2f", $0) } ?? "?") + unit + "/s"
        }
        let post = postfix.isEmpty ? "" : ", " + postfix
        var left = prefix.isEmpty ? "" : (prefix.hasSuffix(": ") ? prefix : prefix + ": ")
        guard let t = total, t != 0 else {
            let res = "\(left)\(nText)\(unit) [\(elapsedText), \(rateText)\(post)]"
            return ncols.map { trim(res, $0) } ?? res
        }
        let remaining = r.map { (t - n) / $0 } ?? 0
        let remainingText = r == nil ? "?" : interval(remaining)
        let right = "| \(nText)/\(totalText ?? "?") [\(elapsedText)<\(remainingText), \(rateText)\(post)]"
        let frac = n / t
        left += pythonPercent(frac * 100) + "%|"
        if ncols == 0 { return String(left.dropLast()) + String(right.dropFirst()) }
        let width = ncols.map { max(1, $0 - left.count - right.count) } ?? 10
        let res = left + bar(frac, width: width, charset: ascii ? asciiBlocks : blocks) + right
        return ncols.map { trim(res, $0) } ?? res
    }

    /// `{percentage:3.0f}`: Python rounds half to even.
    static func pythonPercent(_ p: Double) -> String {
        let r = p.rounded(.toNearestOrEven)
        let s = r.isFinite ? String(Int(r)) : String(r)
        return String(repeating: " ", count: max(0, 3 - s.count)) + s
    }

    /// A bar of `width` cells filled to `frac` in eighths of a cell.
    static func bar(_ fraction: Double, width: Int, charset blocks: [Character] = blocks) -> String {
        let frac = min(1, max(0, fraction.isNaN ? 0 : fraction))
        let steps = blocks.count - 1
        let filledEighths = Int(saturating: frac * Double(width) * Double(steps))
        let full = filledEighths / steps, part = filledEighths % steps
        var s = String(repeating: blocks[steps], count: min(full, width))
        if full < width {
            s.append(blocks[part])
            s += String(repeating: " ", count: width - full - 1)
        }
        return s
    }

    /// tqdm's `format_interval`: `MM:SS`, or `H:MM:SS` from an hour.
    public static func interval(_ t: Double) -> String {
        let sign = t < 0 ? "-" : ""
        let total = t.isFinite && Swift.abs(t) < 9e18 ? Int(Swift.abs(t).rounded(.towardZero)) : 0
        let mins = total / 60, s = total % 60
        let h = mins / 60, m = mins % 60
        func two(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
        return h > 0 ? "\(sign)\(h):\(two(m)):\(two(s))" : "\(sign)\(two(m)):\(two(s))"
    }

    /// tqdm's `format_num` for `set_postfix` numbers: `.3g` without the
    /// exponent's leading zero, unless Python's `str` (`pythonText`) is shorter.
    public static func number(_ x: Double, pythonText: String) -> String {
        var g: String
        if x.isNaN { g = "nan" } else if x.isInfinite { g = x < 0 ? "-inf" : "inf" } else {
            g = String(format: "%.3g", x)
        }
        g = g.replacingOccurrences(of: "e+0", with: "e+").replacingOccurrences(of: "e-0", with: "e-")
        return g.count < pythonText.count ? g : pythonText
    }

    /// Cuts a line to `width` characters (tqdm's `disp_trim`).
    static func trim(_ s: String, _ width: Int) -> String {
        s.count <= width ? s : String(s.prefix(max(0, width)))
    }
}
