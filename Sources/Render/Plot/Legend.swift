import Foundation
import CCairo

/// `legend()`: matplotlib's box (10 pt text, 2 em handles, white at 0.8
/// alpha, a 0.8-grey rounded frame), placed by `loc` or, for 'best', at the
/// first of matplotlib's positions that covers the fewest data points.
public enum Legend {
    static let locations = ["upper right", "upper left", "lower left", "lower right", "right", "center left",
                            "center right", "lower center", "upper center", "center"]

    /// The names `legend(loc=...)` accepts besides 'best'.
    public static var locationNames: [String] { locations }

    /// Labelled lines and scatters, then labelled bars (drawn as a filled square).
    static func entries(_ ax: Axes) -> [Series] {
        func shown(_ l: String?) -> Bool { l.map { !$0.isEmpty && !$0.hasPrefix("_") } ?? false }
        let bars = ax.bars.filter { shown($0.label) }.map { b -> Series in
            var s = Series(x: [], y: [], color: b.color)
            s.label = b.label; s.lineStyle = .none; s.marker = "s"; s.markerSize = 10
            return s
        }
        let spans = ax.spans.filter { shown($0.label) }.map { sp -> Series in
            var s = Series(x: [], y: [], color: sp.color)
            s.label = sp.label; s.lineStyle = sp.lineStyle; s.lineWidth = sp.lineWidth
            return s
        }
        return ax.series.filter { shown($0.label) } + spans + bars
    }

    static func draw(_ ax: Axes, _ b: FigureRenderer.Box, _ m: FigureRenderer.Mapper, _ c: Canvas) {
        let items = entries(ax)
        guard !items.isEmpty else { return }
        let fs = 10.0
        let rowH = c.measure("Ag", size: fs).height
        let labelW = items.map { c.measure($0.label ?? "", size: fs).width }.max() ?? 0
        let pad = c.pt(0.4 * fs), handle = c.pt(2 * fs), textPad = c.pt(0.8 * fs), spacing = c.pt(0.5 * fs)
        let w = pad * 2 + handle + textPad + labelW
        let h = pad * 2 + Double(items.count) * rowH + Double(items.count - 1) * spacing
        let inset = c.pt(0.5 * fs)
        func origin(_ loc: String) -> (Double, Double) {
            let left = b.x + inset, right = b.x + b.w - inset - w, cx = b.x + (b.w - w) / 2
            let top = b.y + inset, bottom = b.y + b.h - inset - h, cy = b.y + (b.h - h) / 2
            switch loc {
            case "upper left": return (left, top)
            case "lower left": return (left, bottom)
            case "lower right": return (right, bottom)
            case "right", "center right": return (right, cy)
            case "center left": return (left, cy)
            case "lower center": return (cx, bottom)
            case "upper center": return (cx, top)
            case "center": return (cx, cy)
            default: return (right, top)
            }
        }
        var at = origin(ax.legendLocation)
        if ax.legendLocation == "best" {
            var points: [(Double, Double)] = []
            for b in ax.bars {
                for i in b.left.indices { points.append((m.px(b.left[i] + b.width[i] / 2), m.py(b.height[i]))) }
            }
            for s in ax.series {
                let p = zip(s.x, s.y).map { (m.px($0), m.py($1)) }
                points += p
                for (a, z) in zip(p, p.dropFirst()) where s.lineStyle != .none {   // along segments too
                    for k in 1..<8 { let t = Double(k) / 8; points.append((a.0 + (z.0 - a.0) * t, a.1 + (z.1 - a.1) * t)) }
                }
            }
            var best = Int.max
            for loc in locations {
                let o = origin(loc)
                let n = points.filter { $0.0 >= o.0 && $0.0 <= o.0 + w && $0.1 >= o.1 && $0.1 <= o.1 + h }.count
                if n < best { best = n; at = o }
                if n == 0 { break }
            }
        }
        roundedBox(c, at.0, at.1, w, h, radius: c.pt(0.2 * fs))
        for (i, s) in items.enumerated() {
            let cy = at.1 + pad + Double(i) * (rowH + spacing) + rowH / 2
            let hx = at.0 + pad
            if s.lineStyle != .none && s.sizes == nil {
                c.polyline([(hx, cy), (hx + handle, cy)], color: s.color, width: s.lineWidth, style: s.lineStyle)
            }
            if let mk = s.marker {
                let size = s.sizes.map { ($0.first ?? 36).squareRoot() } ?? s.markerSize
                if s.sizes != nil || s.lineStyle == .none {
                    c.marker(mk, hx + handle / 2, cy, size: size, color: s.colors?.first ?? s.color, alpha: s.alpha)
                } else {
                    c.marker(mk, hx + handle / 2, cy, size: size, color: s.color)
                }
            }
            c.text(s.label ?? "", hx + handle + textPad, cy, size: fs, h: .left, v: .center)
        }
    }

    static func roundedBox(_ c: Canvas, _ x: Double, _ y: Double, _ w: Double, _ h: Double, radius r: Double) {
        let cr = c.cr
        cairo_new_path(cr)
        cairo_arc(cr, x + w - r, y + r, r, -Double.pi / 2, 0)
        cairo_arc(cr, x + w - r, y + h - r, r, 0, Double.pi / 2)
        cairo_arc(cr, x + r, y + h - r, r, Double.pi / 2, Double.pi)
        cairo_arc(cr, x + r, y + r, r, Double.pi, 3 * Double.pi / 2)
        cairo_close_path(cr)
        c.finish(fill: RGBA(1, 1, 1), stroke: RGBA(0.8, 0.8, 0.8), lineWidth: 1, fillAlpha: 0.8)
    }
}
