import Foundation
import CCairo

public enum PlotError: Error, CustomStringConvertible {
    case render(String)
    public var description: String { if case .render(let m) = self { return m }; return "" }
}

/// Draws a `Figure` the way matplotlib's default style does (white figure,
/// black 0.8 pt spines, outward 3.5 pt ticks, 10 pt DejaVu Sans labels, a
/// 12 pt title, tab10 lines 1.5 pt wide) and returns PNG or SVG bytes.
public enum FigureRenderer {
    /// PNG of `figsize * dpi` pixels; `tight` (savefig's `bbox_inches='tight'`)
    /// crops it to what was drawn plus `padInches`.
    public static func png(_ fig: Figure, dpi: Double? = nil, tight: Bool = false, padInches: Double = 0.1) throws -> Data {
        let d = dpi ?? fig.dpi
        var surface = try raster(fig, dpi: d)
        defer { cairo_surface_destroy(surface) }
        if tight, let box = inkBox(surface, pad: Int(saturating: (padInches * d).rounded())) {
            guard let cropped = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(box.w), Int32(box.h)) else {
                throw PlotError.render("cairo could not create a \(box.w)x\(box.h) image")
            }
            let cr = cairo_create(cropped)
            cairo_set_source_rgb(cr, 1, 1, 1)
            cairo_paint(cr)
            cairo_set_source_surface(cr, surface, Double(-box.x), Double(-box.y))
            cairo_paint(cr)
            cairo_destroy(cr)
            cairo_surface_destroy(surface)
            surface = cropped
        }
        cairo_surface_flush(surface)
        let sink = ByteSink()
        let status = withExtendedLifetime(sink) {
            cairo_surface_write_to_png_stream(surface, ByteSink.write, Unmanaged.passUnretained(sink).toOpaque())
        }
        guard status == CAIRO_STATUS_SUCCESS else { throw PlotError.render("cairo could not encode the PNG (status \(status.rawValue))") }
        return sink.data
    }

    /// The figure drawn into a new image surface (the caller destroys it).
    static func raster(_ fig: Figure, dpi d: Double) throws -> OpaquePointer {
        let w = Int(saturating: (fig.width * d).rounded()), h = Int(saturating: (fig.height * d).rounded())
        guard w > 0, h > 0, w <= 32768, h <= 32768 else {
            throw PlotError.render("Image size of \(w)x\(h) pixels is too large. It must be less than 2^15 in each direction.")
        }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(w), Int32(h)) else {
            throw PlotError.render("cairo could not create a \(w)x\(h) image")
        }
        cairo_surface_reference(surface)   // the canvas releases its reference when it goes
        let canvas = Canvas(surface: surface, scale: d / 72)
        withExtendedLifetime(canvas) { draw(fig, canvas, width: Double(w), height: Double(h)) }
        cairo_surface_flush(surface)
        return surface
    }

    /// The box of pixels that are not white, widened by `pad` (inside the image).
    static func inkBox(_ surface: OpaquePointer, pad: Int) -> (x: Int, y: Int, w: Int, h: Int)? {
        let w = Int(cairo_image_surface_get_width(surface)), h = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { return nil }
        var x0 = w, y0 = h, x1 = -1, y1 = -1
        for y in 0..<h {
            let row = (data + y * stride).withMemoryRebound(to: UInt32.self, capacity: w) { $0 }
            for x in 0..<w where row[x] != 0xFFFF_FFFF {
                x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
            }
        }
        guard x1 >= x0, y1 >= y0 else { return nil }
        let p = max(0, pad)
        let bx = max(0, x0 - p), by = max(0, y0 - p)
        return (bx, by, min(w, x1 + 1 + p) - bx, min(h, y1 + 1 + p) - by)
    }

    /// SVG in points (72 a inch), text as glyph outlines; `tight` crops as for PNG.
    public static func svg(_ fig: Figure, tight: Bool = false, padInches: Double = 0.1) throws -> Data {
        var w = fig.width * 72, h = fig.height * 72
        var origin = (0.0, 0.0)
        if tight {
            let r = try raster(fig, dpi: 72)
            defer { cairo_surface_destroy(r) }
            if let box = inkBox(r, pad: Int(saturating: (padInches * 72).rounded())) {
                origin = (Double(box.x), Double(box.y)); w = Double(box.w); h = Double(box.h)
            }
        }
        let sink = ByteSink()
        return try withExtendedLifetime(sink) {
            guard let surface = cairo_svg_surface_create_for_stream(ByteSink.write, Unmanaged.passUnretained(sink).toOpaque(), w, h) else {
                throw PlotError.render("cairo could not create an SVG surface")
            }
            cairo_surface_reference(surface)
            let canvas = Canvas(surface: surface, scale: 1)
            withExtendedLifetime(canvas) {
                cairo_translate(canvas.cr, -origin.0, -origin.1)
                draw(fig, canvas, width: fig.width * 72, height: fig.height * 72)
            }
            cairo_surface_finish(surface)
            cairo_surface_destroy(surface)
            return sink.data
        }
    }

    // MARK: layout

    struct Box { var x, y, w, h: Double }

    /// matplotlib's subplot parameters (left .125, right .9, bottom .11, top .88,
    /// wspace = hspace = .2), or with `tight_layout` margins fitted to the text.
    static func boxes(_ fig: Figure, _ c: Canvas, width W: Double, height H: Double) -> [Box] {
        layout(fig, c, width: W, height: H).map(\.axes)
    }

    /// Each axes' box, and its colorbar's when it has one (matplotlib's make_axes:
    /// the colorbar takes 15 % of the slot's width after a 5 % gap, 20 times as tall as wide).
    static func layout(_ fig: Figure, _ c: Canvas, width W: Double, height H: Double) -> [(axes: Box, colorbar: Box?)] {
        guard let first = fig.axes.first else { return [] }
        let rows = max(1, first.rows), cols = max(1, first.cols)
        // Column x positions and widths, row y positions and heights.
        var xs = [Double](repeating: 0, count: cols), ws = [Double](repeating: 0, count: cols)
        var ys = [Double](repeating: 0, count: rows), hs = [Double](repeating: 0, count: rows)
        if fig.tight {
            // matplotlib's tight_layout: each gap holds the decorations on both sides plus 1.08 em.
            let pad = c.pt(1.08 * 10)
            var l = [Double](repeating: 0, count: cols), r = l
            var t = [Double](repeating: 0, count: rows), b = t
            for ax in fig.axes {
                let d = decorations(ax, c)
                let row = min(rows - 1, ax.index / cols), col = ax.index % cols
                l[col] = max(l[col], d.left); r[col] = max(r[col], d.right)
                t[row] = max(t[row], d.top); b[row] = max(b[row], d.bottom)
            }
            let sup = fig.suptitle.isEmpty ? 0 : c.measure(fig.suptitle, size: 12).height + c.pt(4)
            let usedW = l.reduce(0, +) + r.reduce(0, +) + pad * Double(cols + 1)
            let usedH = t.reduce(0, +) + b.reduce(0, +) + pad * Double(rows + 1) + sup
            let cellW = max(1, (W - usedW) / Double(cols)), cellH = max(1, (H - usedH) / Double(rows))
            var x = pad
            for k in 0..<cols { x += l[k]; xs[k] = x; ws[k] = cellW; x += cellW + r[k] + pad }
            var y = pad + sup
            for k in 0..<rows { y += t[k]; ys[k] = y; hs[k] = cellH; y += cellH + b[k] + pad }
        } else {
            // subplot parameters: left .125, right .9, bottom .11, top .88, wspace = hspace = .2
            let left = 0.125 * W, right = 0.9 * W, top = 0.12 * H, bottom = 0.89 * H
            let cellW = (right - left) / (Double(cols) + 0.2 * Double(cols - 1))
            let cellH = (bottom - top) / (Double(rows) + 0.2 * Double(rows - 1))
            for k in 0..<cols { xs[k] = left + Double(k) * cellW * 1.2; ws[k] = cellW }
            for k in 0..<rows { ys[k] = top + Double(k) * cellH * 1.2; hs[k] = cellH }
        }
        return fig.axes.map { ax in
            let r = min(rows - 1, ax.index / cols), col = ax.index % cols
            var b = Box(x: xs[col], y: ys[r], w: ws[col], h: hs[r])
            if ax.rows != rows || ax.cols != cols {   // another grid on the same figure: its own subplot parameters
                let ar = max(1, ax.rows), ac = max(1, ax.cols)
                let cw = 0.775 * W / (Double(ac) + 0.2 * Double(ac - 1)), ch = 0.77 * H / (Double(ar) + 0.2 * Double(ar - 1))
                b = Box(x: 0.125 * W + Double(ax.index % ac) * cw * 1.2, y: 0.12 * H + Double(min(ar - 1, ax.index / ac)) * ch * 1.2, w: cw, h: ch)
            }
            var bar: Box?
            if ax.colorbar != nil {
                let slot = b
                b.w = slot.w * 0.8
                bar = Box(x: slot.x + slot.w * 0.85, y: slot.y, w: min(slot.w * 0.15, slot.h / 20), h: slot.h)
            }
            if let img = ax.image, ax.series.isEmpty, ax.bars.isEmpty {   // imshow: square pixels, the box shrunk and centred
                let lim = ax.limits()
                let dataW = Swift.abs(lim.x.1 - lim.x.0), dataH = Swift.abs(lim.y.1 - lim.y.0)
                if img.width > 0, img.height > 0, dataW > 0, dataH > 0 {
                    let k = min(b.w / dataW, b.h / dataH)
                    let w = dataW * k, h = dataH * k
                    b = Box(x: b.x + (b.w - w) / 2, y: b.y + (b.h - h) / 2, w: w, h: h)
                }
            }
            return (b, bar)
        }
    }

    /// Space the tick labels, axis labels and title take around an axes (pixels).
    static func decorations(_ ax: Axes, _ c: Canvas) -> (left: Double, right: Double, top: Double, bottom: Double) {
        let tickSpace = c.pt(3.5 + 3.5)
        var top = ax.title.isEmpty ? c.pt(2) : c.measure(ax.title, size: 12).height + c.pt(6)
        guard ax.axisOn else { return (c.pt(2), c.pt(2), top, c.pt(2)) }
        let lim = ax.limits()
        let yl = tickLabels(ax, vertical: true, view: lim.y, lengthPoints: 300)
        let xl = tickLabels(ax, vertical: false, view: lim.x, lengthPoints: 300)
        let yw = yl.map { c.measure($0.1, size: 10).width }.max() ?? 0
        let th = c.measure("0", size: 10).height
        var xh = th
        if ax.xtickRotation != 0 {   // rotated labels: the tallest rotated box
            let a = ax.xtickRotation * Double.pi / 180
            xh = xl.map { l -> Double in let m = c.measure(l.1, size: 10); return Swift.abs(m.width * sin(a)) + m.height * Swift.abs(cos(a)) }.max() ?? th
        }
        var left = tickSpace + yw, bottom = tickSpace + xh
        if !ax.ylabel.isEmpty { left += c.pt(4) + c.measure(ax.ylabel, size: 10).height }
        if !ax.xlabel.isEmpty { bottom += c.pt(4) + c.measure(ax.xlabel, size: 10).height }
        var right = ax.xtickRotation != 0 ? c.pt(2) : (xl.last.map { c.measure($0.1, size: 10).width / 2 } ?? 0)
        if let scale = ax.colorbar {   // the colorbar's tick labels and label stand right of the slot
            let t = Ticks.linear(scale.vmin, scale.vmax, bins: 9)
            let w = Ticks.labels(t, view: (scale.vmin, scale.vmax)).labels.map { c.measure($0, size: 10).width }.max() ?? 0
            right = max(right, tickSpace + w + (scale.label.isEmpty ? 0 : c.pt(4) + c.measure(scale.label, size: 10).height))
        }
        if ax.yscale == .log || !(tickLabels(ax, vertical: true, view: lim.y, lengthPoints: 300).isEmpty) { top = max(top, th / 2) }
        return (left, right, top, bottom)
    }

    /// (position, label) pairs of an axis's major ticks, plus the multiplier label as position NaN.
    static func tickLabels(_ ax: Axes, vertical: Bool, view: (Double, Double), lengthPoints: Double) -> [(Double, String)] {
        let scale = vertical ? ax.yscale : ax.xscale
        let lo = min(view.0, view.1), hi = max(view.0, view.1)
        if let fixed = vertical ? ax.yticks : ax.xticks {
            let eps = (hi - lo) * 1e-10
            return fixed.filter { $0.0 >= lo - eps && $0.0 <= hi + eps }
        }
        let bins = Ticks.bins(lengthPoints: lengthPoints, vertical: vertical)
        if scale == .log {
            return Ticks.logDecades(lo, hi, bins: bins).map { ($0, "10^\(Ticks.decadeExponent($0))") }
        }
        let t = Ticks.linear(lo, hi, bins: bins)
        let l = Ticks.labels(t, view: (lo, hi))
        var out = Array(zip(t, l.labels))
        if !l.multiplier.isEmpty { out.append((.nan, l.multiplier)) }
        return out
    }

    // MARK: drawing

    static func draw(_ fig: Figure, _ c: Canvas, width W: Double, height H: Double) {
        c.rect(0, 0, W, H, fill: RGBA(1, 1, 1))
        for (ax, l) in zip(fig.axes, layout(fig, c, width: W, height: H)) {
            drawAxes(ax, l.axes, c)
            if let scale = ax.colorbar, let box = l.colorbar { drawColorbar(scale, box, c) }
        }
        if !fig.suptitle.isEmpty {
            c.text(fig.suptitle, W / 2, c.pt(0.02 * 72 * fig.height) + c.pt(2), size: 12, h: .center, v: .top)
        }
    }

    struct Mapper {
        let b: Box, x: (Double, Double), y: (Double, Double), xlog: Bool, ylog: Bool
        func t(_ v: Double, _ log: Bool) -> Double { log ? (v > 0 ? log10(v) : -.infinity) : v }
        func px(_ v: Double) -> Double {
            let a = t(x.0, xlog), z = t(x.1, xlog)
            return b.x + (t(v, xlog) - a) / (z - a) * b.w
        }
        func py(_ v: Double) -> Double {
            let a = t(y.0, ylog), z = t(y.1, ylog)
            return b.y + b.h - (t(v, ylog) - a) / (z - a) * b.h
        }
    }

    static func drawAxes(_ ax: Axes, _ b: Box, _ c: Canvas) {
        let lim = ax.limits()
        let m = Mapper(b: b, x: lim.x, y: lim.y, xlog: ax.xscale == .log, ylog: ax.yscale == .log)
        let black = RGBA(0, 0, 0)
        let xt = tickLabels(ax, vertical: false, view: lim.x, lengthPoints: b.w / c.scale)
        let yt = tickLabels(ax, vertical: true, view: lim.y, lengthPoints: b.h / c.scale)
        if ax.axisOn { c.rect(b.x, b.y, b.w, b.h, fill: RGBA(1, 1, 1)) }
        if ax.grid && ax.axisOn {
            let g = RGBA(0xb0 / 255.0, 0xb0 / 255.0, 0xb0 / 255.0)
            for (v, _) in xt where v.isFinite { let x = m.px(v); c.line(x, b.y, x, b.y + b.h, color: g, width: 0.8) }
            for (v, _) in yt where v.isFinite { let y = m.py(v); c.line(b.x, y, b.x + b.w, y, color: g, width: 0.8) }
        }
        if let img = ax.image {
            let x0 = m.px(-0.5), x1 = m.px(Double(img.width) - 0.5)
            let y0 = m.py(-0.5), y1 = m.py(Double(img.height) - 0.5)
            c.clip(b.x, b.y, b.w, b.h)
            c.image(img, x: min(x0, x1), y: min(y0, y1), width: Swift.abs(x1 - x0), height: Swift.abs(y1 - y0))
            c.unclip()
        }
        c.clip(b.x, b.y, b.w, b.h)
        for bar in ax.bars {
            for i in bar.left.indices {
                let x0 = m.px(bar.left[i]), x1 = m.px(bar.left[i] + bar.width[i])
                let y0 = m.py(ax.yscale == .log ? max(lim.y.0, 1e-300) : 0), y1 = m.py(bar.height[i])
                c.rect(min(x0, x1), min(y0, y1), Swift.abs(x1 - x0), Swift.abs(y1 - y0), fill: bar.color)
            }
        }
        for sp in ax.spans {
            let pts = sp.horizontal ? [(b.x, m.py(sp.value)), (b.x + b.w, m.py(sp.value))] : [(m.px(sp.value), b.y), (m.px(sp.value), b.y + b.h)]
            c.polyline(pts, color: sp.color, width: sp.lineWidth, style: sp.lineStyle)
        }
        for s in ax.series {
            let pts = zip(s.x, s.y).map { (m.px($0), m.py($1)) }
            if s.lineStyle != .none { c.polyline(pts, color: s.color, width: s.lineWidth, style: s.lineStyle) }
            if let mk = s.marker {
                for (i, p) in pts.enumerated() where p.0.isFinite && p.1.isFinite {
                    let size = s.sizes.map { $0.count == 1 ? $0[0].squareRoot() : $0[i % $0.count].squareRoot() } ?? s.markerSize
                    let col = s.colors.map { $0[i % $0.count] } ?? s.color
                    c.marker(mk, p.0, p.1, size: size, color: col, alpha: s.alpha)
                }
            }
        }
        c.unclip()
        if ax.axisOn {
            // spines
            c.rect(b.x, b.y, b.w, b.h, fill: nil, stroke: black, lineWidth: 0.8)
            let tl = c.pt(3.5), pad = c.pt(3.5)
            var bottomText = b.y + b.h + tl + pad
            var maxH = 0.0
            for (v, label) in xt where v.isFinite {
                let x = m.px(v)
                c.line(x, b.y + b.h, x, b.y + b.h + tl, color: black, width: 0.8)
                if ax.xtickRotation != 0 {
                    maxH = max(maxH, c.rotatedText(label, x, b.y + b.h + tl + pad, size: 10, degrees: ax.xtickRotation))
                } else {
                    drawTickLabel(label, x, b.y + b.h + tl + pad, c, h: .center, v: .top)
                    maxH = max(maxH, c.measure("0", size: 10).height)
                }
            }
            if ax.xscale == .log { minorLogTicks(lim.x, vertical: false, m, b, c) }
            if let mult = xt.first(where: { $0.0.isNaN }) {
                c.text(mult.1, b.x + b.w, b.y + b.h + tl + pad + maxH, size: 10, h: .right, v: .top)
            }
            bottomText += maxH
            var leftText = b.x - tl - pad
            var maxW = 0.0
            for (v, label) in yt where v.isFinite {
                let y = m.py(v)
                c.line(b.x - tl, y, b.x, y, color: black, width: 0.8)
                maxW = max(maxW, drawTickLabel(label, b.x - tl - pad, y, c, h: .right, v: .center))
            }
            if ax.yscale == .log { minorLogTicks(lim.y, vertical: true, m, b, c) }
            if let mult = yt.first(where: { $0.0.isNaN }) { c.text(mult.1, b.x, b.y - c.pt(2), size: 10, h: .left, v: .bottom) }
            leftText -= maxW
            if !ax.xlabel.isEmpty { c.text(ax.xlabel, b.x + b.w / 2, bottomText + c.pt(4), size: 10, h: .center, v: .top) }
            if !ax.ylabel.isEmpty {
                c.text(ax.ylabel, leftText - c.pt(4), b.y + b.h / 2, size: 10, h: .center, v: .bottom, rotated: true)
            }
        }
        if !ax.title.isEmpty { c.text(ax.title, b.x + b.w / 2, b.y - c.pt(6), size: 12, h: .center, v: .bottom) }
        for t in ax.texts {
            let h: Canvas.HAlign = t.ha == "center" ? .center : t.ha == "right" ? .right : .left
            let v: Canvas.VAlign = t.va == "top" ? .top : t.va == "center" ? .center : t.va == "bottom" ? .bottom : .baseline
            let x = m.px(t.x), y = m.py(t.y)
            if x.isFinite, y.isFinite { c.text(t.text, x, y, size: t.size, h: h, v: v, color: t.color) }
        }
        if ax.legend { Legend.draw(ax, b, m, c) }
    }

    /// Draws a tick label; `10^k` labels with the exponent raised and smaller. Returns the width.
    @discardableResult
    static func drawTickLabel(_ label: String, _ x: Double, _ y: Double, _ c: Canvas, h: Canvas.HAlign, v: Canvas.VAlign) -> Double {
        guard label.hasPrefix("10^") else {
            c.text(label, x, y, size: 10, h: h, v: v)
            return c.measure(label, size: 10).width
        }
        let exp = String(label.dropFirst(3)).replacingOccurrences(of: "-", with: "\u{2212}")
        let base = c.measure("10", size: 10), sup = c.measure(exp, size: 7)
        let total = base.width + sup.width
        let left = h == .left ? x : h == .center ? x - total / 2 : x - total
        c.text("10", left, y, size: 10, h: .left, v: v)
        let baseTop: Double
        switch v {
        case .top: baseTop = y
        case .center: baseTop = y - base.height / 2
        default: baseTop = y - base.ascent
        }
        c.text(exp, left + base.width, baseTop - c.pt(1), size: 7, h: .left, v: .top)
        return total
    }

    static func minorLogTicks(_ view: (Double, Double), vertical: Bool, _ m: Mapper, _ b: Box, _ c: Canvas) {
        let lo = min(view.0, view.1), hi = max(view.0, view.1)
        guard lo > 0, hi > lo, log10(hi) - log10(lo) < 12 else { return }
        var d = floor(log10(lo))
        while d <= ceil(log10(hi)) {
            for k in 2...9 {
                let v = Double(k) * pow(10, d)
                guard v >= lo, v <= hi else { continue }
                if vertical { let y = m.py(v); c.line(b.x - c.pt(2), y, b.x, y, color: RGBA(0, 0, 0), width: 0.6) }
                else { let x = m.px(v); c.line(x, b.y + b.h, x, b.y + b.h + c.pt(2), color: RGBA(0, 0, 0), width: 0.6) }
            }
            d += 1
        }
    }
}
