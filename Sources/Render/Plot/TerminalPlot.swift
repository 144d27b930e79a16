import Foundation

/// `plt.show()` on a terminal: each axes as a Braille chart (2×4 dots a
/// character) with the same ticks as the picture, lines in their colours
/// (24-bit escapes when `color`), images in half blocks.
public enum TerminalPlot {
    public static func render(_ fig: Figure, width: Int, color: Bool) -> String {
        var out: [String] = []
        if !fig.suptitle.isEmpty { out.append(center(fig.suptitle, width)) }
        for ax in fig.axes {
            if !ax.title.isEmpty { out.append(center(ax.title, width)) }
            if let img = ax.image, ax.series.isEmpty { out += image(img, width: width, color: color) }
            else { out += chart(ax, width: width, color: color) }
        }
        return out.joined(separator: "\n")
    }

    static func center(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, (width - s.count) / 2)) + s
    }

    static func paint(_ s: String, _ c: RGBA?, _ color: Bool) -> String {
        guard color, let c else { return s }
        func b(_ x: Double) -> Int { Int((min(1, max(0, x)) * 255).rounded()) }
        return "\u{1B}[38;2;\(b(c.r));\(b(c.g));\(b(c.b))m" + s + "\u{1B}[0m"
    }

    static func tickText(_ v: Double, _ label: String) -> String {
        label.hasPrefix("10^") ? "1e" + label.dropFirst(3) : label.replacingOccurrences(of: "\u{2212}", with: "-")
    }

    static func chart(_ ax: Axes, width: Int, color: Bool) -> [String] {
        let lim = ax.limits()
        let yticks = FigureRenderer.tickLabels(ax, vertical: true, view: lim.y, lengthPoints: 150).filter { $0.0.isFinite }
        let labelW = yticks.map { tickText($0.0, $0.1).count }.max() ?? 1
        let plotW = max(10, width - labelW - 2)
        let rows = max(6, min(18, plotW * 3 / 10))
        let dotsW = plotW * 2, dotsH = rows * 4
        let xlog = ax.xscale == .log, ylog = ax.yscale == .log
        func t(_ v: Double, _ log: Bool) -> Double { log ? (v > 0 ? log10(v) : -.infinity) : v }
        func dx(_ v: Double) -> Double {
            let a = t(lim.x.0, xlog), z = t(lim.x.1, xlog)
            return (t(v, xlog) - a) / (z - a) * Double(dotsW - 1)
        }
        func dy(_ v: Double) -> Double {
            let a = t(lim.y.0, ylog), z = t(lim.y.1, ylog)
            return Double(dotsH - 1) - (t(v, ylog) - a) / (z - a) * Double(dotsH - 1)
        }
        var bits = [UInt8](repeating: 0, count: plotW * rows)
        var colors = [RGBA?](repeating: nil, count: plotW * rows)
        let map: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
        func set(_ x: Int, _ y: Int, _ c: RGBA) {
            guard x >= 0, x < dotsW, y >= 0, y < dotsH else { return }
            let cell = (y / 4) * plotW + x / 2
            bits[cell] |= map[y % 4][x % 2]
            colors[cell] = c
        }
        for bar in ax.bars {
            for i in bar.left.indices {
                let x0 = Int(saturating: dx(bar.left[i]).rounded()), x1 = Int(saturating: dx(bar.left[i] + bar.width[i]).rounded())
                let y0 = Int(saturating: dy(bar.height[i]).rounded()), y1 = Int(saturating: dy(ylog ? lim.y.0 : 0).rounded())
                let cx0 = max(-1, min(x0, x1)), cx1 = min(dotsW, max(x0, x1)), cy0 = max(-1, min(y0, y1)), cy1 = min(dotsH, max(y0, y1))
                guard cx0 <= cx1, cy0 <= cy1 else { continue }
                for x in cx0...cx1 { for y in cy0...cy1 { set(x, y, bar.color) } }
            }
        }
        for sp in ax.spans {
            if sp.horizontal {
                let y = Int(saturating: dy(sp.value).rounded())
                for x in 0..<dotsW where sp.lineStyle == .solid || x % 4 < 2 { set(x, y, sp.color) }
            } else {
                let x = Int(saturating: dx(sp.value).rounded())
                for y in 0..<dotsH where sp.lineStyle == .solid || y % 4 < 2 { set(x, y, sp.color) }
            }
        }
        for s in ax.series {
            let pts = zip(s.x, s.y).map { (dx($0), dy($1)) }
            for (i, p) in pts.enumerated() {
                guard p.0.isFinite, p.1.isFinite else { continue }
                let c = s.colors.map { $0[i % $0.count] } ?? s.color
                set(Int(saturating: p.0.rounded()), Int(saturating: p.1.rounded()), c)
                guard s.lineStyle != .none, i + 1 < pts.count, pts[i + 1].0.isFinite, pts[i + 1].1.isFinite else { continue }
                let q = pts[i + 1]
                let steps = max(1, Int(saturating: max(Swift.abs(q.0 - p.0), Swift.abs(q.1 - p.1)).rounded(.up)))
                guard steps < 100_000 else { continue }
                for k in 0...steps {
                    let f = Double(k) / Double(steps)
                    set(Int(saturating: (p.0 + (q.0 - p.0) * f).rounded()), Int(saturating: (p.1 + (q.1 - p.1) * f).rounded()), c)
                }
            }
        }
        // Which row each y tick lands on.
        var tickRow: [Int: String] = [:]
        for (v, l) in yticks {
            let r = Int(saturating: (dy(v) / 4).rounded(.down))
            if r >= 0 && r < rows { tickRow[r] = tickText(v, l) }
        }
        var lines: [String] = []
        if !ax.ylabel.isEmpty { lines.append(ax.ylabel) }
        for r in 0..<rows {
            let label = tickRow[r].map { String(repeating: " ", count: labelW - $0.count) + $0 + " ┤" } ?? String(repeating: " ", count: labelW) + " │"
            var row = label
            for c in 0..<plotW {
                let b = bits[r * plotW + c]
                let ch = b == 0 ? " " : String(UnicodeScalar(0x2800 + UInt32(b)).map(Character.init) ?? " ")
                row += b == 0 ? ch : paint(ch, colors[r * plotW + c], color)
            }
            lines.append(row)
        }
        // The x axis: a rule with a mark at each tick, then the labels under the marks.
        let xticks = FigureRenderer.tickLabels(ax, vertical: false, view: lim.x, lengthPoints: Double(plotW) * 5).filter { $0.0.isFinite }
        var rule = Array(repeating: Character("─"), count: plotW)
        var labels = Array(repeating: Character(" "), count: plotW + labelW + 2)
        for (v, l) in xticks {
            let col = Int(saturating: (dx(v) / 2).rounded(.down))
            guard col >= 0 && col < plotW else { continue }
            rule[col] = "┬"
            let text = Array(tickText(v, l))
            let start = labelW + 2 + col - text.count / 2
            guard start >= 0, start + text.count <= labels.count,
                  labels[max(0, start - 1)..<min(labels.count, start + text.count + 1)].allSatisfy({ $0 == " " }) else { continue }
            for (k, ch) in text.enumerated() { labels[start + k] = ch }
        }
        lines.append(String(repeating: " ", count: labelW) + " └" + String(rule))
        lines.append(String(labels).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        if !ax.xlabel.isEmpty { lines.append(String(repeating: " ", count: labelW + 2) + center(ax.xlabel, plotW)) }
        if ax.legend {
            let entries = Legend.entries(ax).map { s in paint(s.lineStyle == .none ? "•" : "──", s.colors?.first ?? s.color, color) + " " + (s.label ?? "") }
            if !entries.isEmpty { lines.append(String(repeating: " ", count: labelW + 2) + entries.joined(separator: "   ")) }
        }
        return lines
    }

    /// An image in half blocks: with colour each `▀` is two pixels (upper as
    /// foreground, lower as background); without, a grey ramp a character.
    static func image(_ img: PlotImage, width: Int, color: Bool) -> [String] {
        guard img.width > 0, img.height > 0 else { return [] }
        let cols = min(width, img.width * max(1, min(4, width / img.width)))
        let scale = Double(img.width) / Double(cols)
        let pixelRows = max(1, Int((Double(img.height) / scale).rounded()))
        func pixel(_ x: Int, _ y: Int) -> (Int, Int, Int) {
            let sx = min(img.width - 1, Int(Double(x) * scale)), sy = min(img.height - 1, Int(Double(y) * scale))
            let i = (sy * img.width + sx) * 3
            return (Int(img.rgb[i]), Int(img.rgb[i + 1]), Int(img.rgb[i + 2]))
        }
        var lines: [String] = []
        if color {
            var y = 0
            while y < pixelRows {
                var row = ""
                for x in 0..<cols {
                    let a = pixel(x, y), b = y + 1 < pixelRows ? pixel(x, y + 1) : (0, 0, 0)
                    row += "\u{1B}[38;2;\(a.0);\(a.1);\(a.2)m\u{1B}[48;2;\(b.0);\(b.1);\(b.2)m▀"
                }
                lines.append(row + "\u{1B}[0m")
                y += 2
            }
        } else {
            let ramp = Array(" .:-=+*#%@")
            var y = 0
            while y < pixelRows {
                var row = ""
                for x in 0..<cols {
                    let p = pixel(x, y)
                    let l = (0.299 * Double(p.0) + 0.587 * Double(p.1) + 0.114 * Double(p.2)) / 255
                    row.append(ramp[min(ramp.count - 1, Int(l * Double(ramp.count)))])
                }
                lines.append(row)
                y += 2
            }
        }
        return lines
    }
}
