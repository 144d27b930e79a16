import Foundation
import TensorCore
#if canImport(Glibc)
import Glibc
#endif

/// What the terminal on standard output can show.
public enum Terminal {
    /// Its width in columns: the tty's size, else `$COLUMNS`, else 80.
    public static var columns: Int {
        var ws = winsize()
        if isatty(STDOUT_FILENO) != 0, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 {
            return Int(ws.ws_col)
        }
        if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c > 0 { return c }
        return 80
    }

    /// Its height in rows when standard output is a terminal (else `$LINES`), nil when unknown.
    public static var rows: Int? {
        var ws = winsize()
        if isatty(STDOUT_FILENO) != 0, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0 {
            return Int(ws.ws_row)
        }
        return ProcessInfo.processInfo.environment["LINES"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
    }

    /// The widest a table may be: the terminal's width on a terminal (so it follows a
    /// resize), else 100 columns (files and pipes get the same text on every machine).
    public static var tableWidth: Int { isatty(STDOUT_FILENO) != 0 ? columns : 100 }

    /// The most text rows one map of `show` takes: the terminal's height less room for
    /// its title, scale bar and the prompt (at least 8), nil when the height is unknown.
    public static var mapRows: Int? { rows.map { max(8, $0 - 4) } }

    /// Colour unless `NO_COLOR` is set (to anything non-empty) or stdout is not a terminal.
    public static var wantsColor: Bool {
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return !noColor && isatty(STDOUT_FILENO) != 0
    }
}

/// `show(t)`: a 2-D map (a 1-D tensor as one row, each channel of a
/// (C, H, W) tensor, or each image of an (N, C, H, W) batch under a title) drawn in grey levels. With `color`, each
/// character `▀` shows two pixel rows: the upper as the foreground colour,
/// the lower as the background, in the 24 greys of the 256-colour palette
/// (232 black to 255 white). Without, one character a pixel from the ramp
/// ` .:-=+*#%@`, rows averaged in pairs so the picture keeps its aspect.
/// Maps wider than `width` columns or taller than `height` text rows are shrunk
/// by averaging square blocks. Each map ends with a scale bar between its min
/// and max (a constant map draws black).
public func show(_ t: Tensor, width: Int = Terminal.columns, height: Int? = Terminal.mapRows,
                 color: Bool = Terminal.wantsColor) throws -> String {
    guard (1...4).contains(t.rank) else {
        throw TensorError.value("show expects a 2-D tensor, a 3-D one (C, H, W) drawn channel by channel, or a 4-D batch (N, C, H, W), but got shape \(Shape.describe(t.shape))")
    }
    guard t.numel > 0 else { throw TensorError.value("show got an empty tensor of shape \(Shape.describe(t.shape))") }
    let h = t.rank == 1 ? 1 : t.shape[t.rank - 2], w = t.shape[t.rank - 1]
    let channels = t.rank >= 3 ? t.shape[t.rank - 3] : 1
    let images = t.rank == 4 ? t.shape[0] : 1
    let values = t.toFloats()
    var parts: [String] = []
    for n in 0..<images {
        for c in 0..<channels {
            let k = n * channels + c
            let map = Array(values[(k * h * w)..<((k + 1) * h * w)])
            var title = t.rank == 4 ? "image \(n) " : ""
            if t.rank == 3 || (t.rank == 4 && channels > 1) { title += "channel \(c) " }
            parts.append(HeatMap(map, h, w).render(title: title + "[\(h)×\(w)]", width: max(width, 1),
                                                   height: height.map { max($0, 1) }, color: color))
        }
    }
    return parts.joined(separator: "\n\n")
}

struct HeatMap {
    static let ramp = Array(" .:-=+*#%@")
    let values: [Float], h: Int, w: Int

    init(_ values: [Float], _ h: Int, _ w: Int) { self.values = values; self.h = h; self.w = w }

    func render(title: String, width: Int, height: Int? = nil, color: Bool) -> String {
        // Both modes draw two pixel rows per text row at scale 1.
        var f = (w + width - 1) / width
        if let height { f = max(f, (h + 2 * height - 1) / (2 * height)) }
        let fy = color ? f : 2 * f
        let (rows, cols, cells) = shrink(fx: f, fy: fy)
        let range = extremes(values)
        let lo = range?.0 ?? 0, hi = range?.1 ?? 0
        let levels = color ? 24 : HeatMap.ramp.count
        func level(_ v: Float) -> Int {
            guard hi > lo, !v.isNaN else { return 0 }
            let x = Double(v - lo) / Double(hi - lo) * Double(levels - 1) + 0.5
            guard x.isFinite else { return x == .infinity ? levels - 1 : 0 }
            return min(max(Int(x.rounded(.down)), 0), levels - 1)
        }
        var lines = [title + (f > 1 ? ", shown at 1/\(f)" : "")]
        if color {
            for r in stride(from: 0, to: rows, by: 2) {
                var line = "", fg = -1, bg = -1
                for x in 0..<cols {
                    let up = level(cells[r * cols + x])
                    if up != fg { line += "\u{1B}[38;5;\(232 + up)m"; fg = up }
                    if r + 1 < rows {
                        let down = level(cells[(r + 1) * cols + x])
                        if down != bg { line += "\u{1B}[48;5;\(232 + down)m"; bg = down }
                    } else if bg != -2 {
                        line += "\u{1B}[49m"; bg = -2
                    }
                    line += "▀"
                }
                lines.append(line + "\u{1B}[0m")
            }
            let bar = (0..<24).map { "\u{1B}[48;5;\(232 + $0)m " }.joined() + "\u{1B}[0m"
            lines.append("min \(number(lo)) \(bar) max \(number(hi))")
        } else {
            for r in 0..<rows {
                lines.append(String((0..<cols).map { HeatMap.ramp[level(cells[r * cols + $0])] }))
            }
            lines.append("min \(number(lo)) [\(String(HeatMap.ramp))] max \(number(hi))")
        }
        return lines.joined(separator: "\n")
    }

    /// Averages fx×fy blocks (partial at the edges; NaN ignored).
    func shrink(fx: Int, fy: Int) -> (Int, Int, [Float]) {
        if fx == 1 && fy == 1 { return (h, w, values) }
        let rows = (h + fy - 1) / fy, cols = (w + fx - 1) / fx
        var out = [Float](repeating: .nan, count: rows * cols)
        for r in 0..<rows {
            for c in 0..<cols {
                var sum = 0.0, n = 0
                for y in (r * fy)..<min(h, (r + 1) * fy) {
                    for x in (c * fx)..<min(w, (c + 1) * fx) where !values[y * w + x].isNaN {
                        sum += Double(values[y * w + x]); n += 1
                    }
                }
                if n > 0 { out[r * cols + c] = Float(sum / Double(n)) }
            }
        }
        return (rows, cols, out)
    }

    func number(_ v: Float) -> String { String(format: "%.4g", Double(v)) }
}
