import Foundation

/// Tick positions and labels as matplotlib chooses them: `AutoLocator`
/// (`MaxNLocator(nbins='auto', steps=[1, 2, 2.5, 5, 10])`), `ScalarFormatter`
/// (just enough decimals, a `1e6` multiplier outside 1e-5..1e6, U+2212 minus),
/// and `LogLocator` decades for `yscale('log')`.
public enum Ticks {
    static let steps: [Double] = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20]

    /// `nbins='auto'`: the ticks an axis of `lengthPoints` fits (label size ×3
    /// along x, ×2 along y), clipped to 1...9.
    public static func bins(lengthPoints: Double, vertical: Bool, fontSize: Double = 10) -> Int {
        let size = fontSize * (vertical ? 2 : 3)
        return min(9, max(1, Int((lengthPoints / size).rounded(.down))))
    }

    /// `MaxNLocator._raw_ticks` followed by the axis keeping those within the view.
    public static func linear(_ vmin: Double, _ vmax: Double, bins nbins: Int) -> [Double] {
        guard vmin.isFinite, vmax.isFinite, vmax > vmin, (vmax - vmin).isFinite else { return vmin.isFinite ? [vmin] : [] }
        let dv = vmax - vmin, meanv = (vmax + vmin) / 2
        let offset = Swift.abs(meanv) / dv < 100 ? 0 : copysign(pow(10, floor(log10(Swift.abs(meanv)))), meanv)
        let scale = pow(10, floor(log10(dv / Double(nbins))))
        let lo = vmin - offset, hi = vmax - offset
        let raw = (hi - lo) / Double(nbins)
        let scaled = steps.map { $0 * scale }
        let istep = scaled.firstIndex { $0 >= raw } ?? scaled.count - 1
        var ticks: [Double] = []
        for step in scaled[...istep].reversed() {
            let best = floor(lo / step) * step
            let edge = EdgeInteger(step: step, offset: offset)
            let low = edge.le(lo - best), high = edge.ge(hi - best)
            guard high >= low, high - low < 10_000 else { continue }
            ticks = stride(from: low, through: high, by: 1).map { $0 * step + best }
            if ticks.filter({ $0 <= hi && $0 >= lo }).count >= 2 { break }
        }
        let eps = (vmax - vmin) * 1e-10
        return ticks.map { $0 + offset }.filter { $0 >= vmin - eps && $0 <= vmax + eps }
    }

    struct EdgeInteger {
        let step: Double, offset: Double
        func closeTo(_ ms: Double, _ edge: Double) -> Bool {
            var tol = 1e-10
            if offset > 0 { tol = min(0.4999, max(1e-10, pow(10, log10(offset / step) - 12))) }
            return Swift.abs(ms - edge) < tol
        }
        func divmod(_ x: Double) -> (Double, Double) {
            let d = floor(x / step)
            return (d, x - d * step)
        }
        func le(_ x: Double) -> Double { let (d, m) = divmod(x); return closeTo(m / step, 1) ? d + 1 : d }
        func ge(_ x: Double) -> Double { let (d, m) = divmod(x); return closeTo(m / step, 0) ? d : d + 1 }
    }

    /// Data limits widened by matplotlib's 5 % margins (a single value by ±5 % or ±0.05... as `nonsingular`).
    public static func viewLimits(_ lo: Double, _ hi: Double, margin: Double = 0.05, log: Bool = false) -> (Double, Double) {
        if log {
            guard lo > 0, hi > 0 else { return (0.1, 10) }
            let a = log10(lo), b = log10(hi)
            if a == b { return (pow(10, a - 1), pow(10, b + 1)) }
            let d = (b - a) * margin
            return (pow(10, a - d), pow(10, b + d))
        }
        guard lo.isFinite, hi.isFinite, (hi - lo).isFinite else { return (0, 1) }
        if lo == hi {
            if lo == 0 { return (-0.055, 0.055) }
            let e = Swift.abs(lo) * 0.05
            return (lo - e - 2 * e * margin, hi + e + 2 * e * margin)
        }
        let d = (hi - lo) * margin
        return (lo - d, hi + d)
    }

    /// `ScalarFormatter`: labels for ticks and the multiplier text (`1e6`, or "" when none).
    public static func labels(_ ticks: [Double], view: (Double, Double)) -> (labels: [String], multiplier: String) {
        guard !ticks.isEmpty else { return ([], "") }
        let visible = ticks.map(Swift.abs)
        var oom = 0
        if let top = visible.max(), top != 0 {
            let o = Int(saturating: floor(log10(top)))
            if o <= -5 || o >= 6 { oom = o }
        }
        let factor = pow(10, Double(oom))
        var locs = ticks.map { $0 / factor }
        var all = locs
        if locs.count < 2 { all += [view.0 / factor, view.1 / factor] }
        var range = (all.max() ?? 0) - (all.min() ?? 0)
        if range == 0 { range = all.map(Swift.abs).max() ?? 0 }
        if range == 0 { range = 1 }
        let rangeOOM = Int(saturating: floor(log10(range)))
        var sig = max(0, 3 - rangeOOM)
        let thresh = 1e-3 * pow(10, Double(rangeOOM))
        while sig >= 0 {
            let p = pow(10, Double(sig))
            let err = locs.map { Swift.abs($0 - ($0 * p).rounded(.toNearestOrEven) / p) }.max() ?? 0
            if err < thresh { sig -= 1 } else { break }
        }
        sig += 1
        locs = locs.map { $0 == 0 ? 0 : $0 }
        let texts = locs.map { v -> String in
            var s = String(format: "%1.\(sig)f", v)
            if s.hasPrefix("-") {
                // "-0.0" prints as "0.0", as matplotlib's formatter does.
                if Double(s) == 0 { s.removeFirst() } else { s = "\u{2212}" + s.dropFirst() }
            }
            return s
        }
        return (texts, oom == 0 ? "" : "1e" + String(oom).replacingOccurrences(of: "-", with: "\u{2212}"))
    }

    /// `LogLocator(base=10)` decades inside the view (every k-th when there are many).
    public static func logDecades(_ vmin: Double, _ vmax: Double, bins: Int) -> [Double] {
        guard vmin > 0, vmax > vmin, vmax.isFinite else { return [] }
        let a = Int(ceil(log10(vmin) - 1e-10)), b = Int(floor(log10(vmax) + 1e-10))
        guard b >= a else { return [] }
        let stride = max(1, Int(ceil(Double(b - a + 1) / Double(max(bins, 1)))))
        return Swift.stride(from: a, through: b, by: stride).map { pow(10, Double($0)) }
    }

    /// A decade's label as matplotlib writes it (`10^{-2}` as text with the exponent raised).
    public static func decadeExponent(_ v: Double) -> Int { Int(log10(v).rounded()) }
}
