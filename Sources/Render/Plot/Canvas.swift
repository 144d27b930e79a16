import Foundation
import CCairo

/// A cairo context with matplotlib's units: sizes in points (×dpi/72),
/// text in DejaVu Sans. Owns the surface; `png()`/`svg` give the bytes.
final class Canvas {
    let cr: OpaquePointer
    let surface: OpaquePointer
    /// Pixels a point.
    let scale: Double

    init(surface: OpaquePointer, scale: Double) {
        self.surface = surface
        self.scale = scale
        cr = cairo_create(surface)
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    func pt(_ points: Double) -> Double { points * scale }

    func color(_ c: RGBA, alpha: Double = 1) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * alpha) }

    func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: RGBA?, stroke: RGBA? = nil, lineWidth: Double = 1) {
        cairo_rectangle(cr, x, y, w, h)
        finish(fill: fill, stroke: stroke, lineWidth: lineWidth)
    }

    func finish(fill: RGBA?, stroke: RGBA?, lineWidth: Double, fillAlpha: Double = 1) {
        if let f = fill {
            color(f, alpha: fillAlpha)
            if stroke != nil { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
        }
        if let s = stroke {
            color(s)
            cairo_set_line_width(cr, pt(lineWidth))
            cairo_stroke(cr)
        }
        cairo_new_path(cr)
    }

    func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, color c: RGBA, width: Double) {
        cairo_move_to(cr, x0, y0)
        cairo_line_to(cr, x1, y1)
        color(c)
        cairo_set_line_width(cr, pt(width))
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        cairo_stroke(cr)
    }

    func polyline(_ points: [(Double, Double)], color c: RGBA, width: Double, style: LineStyle) {
        guard points.count > 1 else { return }
        var started = false
        for (x, y) in points {
            guard x.isFinite, y.isFinite else { started = false; continue }
            if started { cairo_line_to(cr, x, y) } else { cairo_move_to(cr, x, y); started = true }
        }
        let w = pt(width)
        switch style {   // matplotlib's dash patterns, in line widths
        case .dashed: var d = [3.7 * w, 1.6 * w]; cairo_set_dash(cr, &d, 2, 0)
        case .dotted: var d = [1 * w, 1.65 * w]; cairo_set_dash(cr, &d, 2, 0)
        case .dashDot: var d = [6.4 * w, 1.6 * w, 1 * w, 1.6 * w]; cairo_set_dash(cr, &d, 4, 0)
        default: cairo_set_dash(cr, nil, 0, 0)
        }
        color(c)
        cairo_set_line_width(cr, w)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, style == .solid ? CAIRO_LINE_CAP_SQUARE : CAIRO_LINE_CAP_BUTT)
        cairo_stroke(cr)
        cairo_set_dash(cr, nil, 0, 0)
    }

    /// A marker of `size` points (diameter) at (x, y).
    func marker(_ m: Character, _ x: Double, _ y: Double, size: Double, color c: RGBA, alpha: Double = 1) {
        let r = pt(size) / 2
        var filled = true
        switch m {
        case ".": cairo_arc(cr, x, y, r * 0.5, 0, 2 * .pi)
        case "o": cairo_arc(cr, x, y, r, 0, 2 * .pi)
        case "s": cairo_rectangle(cr, x - r * 0.9, y - r * 0.9, 1.8 * r, 1.8 * r)
        case "D", "d":
            let w = m == "d" ? r * 0.6 : r * 0.85
            cairo_move_to(cr, x, y - r); cairo_line_to(cr, x + w, y); cairo_line_to(cr, x, y + r); cairo_line_to(cr, x - w, y); cairo_close_path(cr)
        case "^", "v", "<", ">":
            let pts: [(Double, Double)]
            switch m {
            case "^": pts = [(0, -1), (1, 1), (-1, 1)]
            case "v": pts = [(0, 1), (1, -1), (-1, -1)]
            case "<": pts = [(-1, 0), (1, -1), (1, 1)]
            default: pts = [(1, 0), (-1, -1), (-1, 1)]
            }
            for (i, p) in pts.enumerated() {
                if i == 0 { cairo_move_to(cr, x + p.0 * r, y + p.1 * r) } else { cairo_line_to(cr, x + p.0 * r, y + p.1 * r) }
            }
            cairo_close_path(cr)
        case "*":
            for k in 0..<10 {
                let a = -Double.pi / 2 + Double(k) * .pi / 5, rr = k % 2 == 0 ? r * 1.1 : r * 0.45
                if k == 0 { cairo_move_to(cr, x + rr * cos(a), y + rr * sin(a)) } else { cairo_line_to(cr, x + rr * cos(a), y + rr * sin(a)) }
            }
            cairo_close_path(cr)
        case "x":
            filled = false
            cairo_move_to(cr, x - r, y - r); cairo_line_to(cr, x + r, y + r)
            cairo_move_to(cr, x - r, y + r); cairo_line_to(cr, x + r, y - r)
        case "+":
            filled = false
            cairo_move_to(cr, x - r, y); cairo_line_to(cr, x + r, y)
            cairo_move_to(cr, x, y - r); cairo_line_to(cr, x, y + r)
        default: cairo_arc(cr, x, y, r, 0, 2 * .pi)
        }
        color(c, alpha: alpha)
        // matplotlib's markers have a 1 pt edge in the face colour.
        cairo_set_line_width(cr, pt(1))
        cairo_set_dash(cr, nil, 0, 0)
        if filled { cairo_fill_preserve(cr) }
        cairo_stroke(cr)
    }

    // MARK: text

    struct TextSize { var width: Double; var ascent: Double; var descent: Double; var height: Double { ascent + descent } }

    /// The advance of `s`, and matplotlib's line box: from the top of 'l' to the bottom of 'p'.
    func measure(_ s: String, size: Double) -> TextSize {
        cairo_set_font_size(cr, pt(size))
        var te = cairo_text_extents_t()
        cairo_text_extents(cr, s, &te)
        let line = lineBox(size)
        return TextSize(width: te.x_advance, ascent: line.ascent, descent: line.descent)
    }

    private var lineBoxes: [Double: (ascent: Double, descent: Double)] = [:]

    func lineBox(_ size: Double) -> (ascent: Double, descent: Double) {
        if let b = lineBoxes[size] { return b }
        cairo_set_font_size(cr, pt(size))
        var l = cairo_text_extents_t(), p = cairo_text_extents_t()
        cairo_text_extents(cr, "l", &l)
        cairo_text_extents(cr, "p", &p)
        let b = (ascent: -l.y_bearing, descent: p.height + p.y_bearing)
        lineBoxes[size] = b
        return b
    }

    enum HAlign { case left, center, right }
    enum VAlign { case top, center, baseline, bottom }

    /// Draws `s` at (x, y) aligned as matplotlib aligns text; `rotated` turns it 90° anticlockwise.
    func text(_ s: String, _ x: Double, _ y: Double, size: Double, h: HAlign, v: VAlign, color c: RGBA = RGBA(0, 0, 0),
              rotated: Bool = false) {
        guard !s.isEmpty else { return }
        let m = measure(s, size: size)
        let dx: Double = h == .left ? 0 : h == .center ? -m.width / 2 : -m.width
        let dy: Double
        switch v {
        case .top: dy = m.ascent
        case .center: dy = (m.ascent - m.descent) / 2
        case .baseline: dy = 0
        case .bottom: dy = -m.descent
        }
        cairo_save(cr)
        cairo_translate(cr, x, y)
        if rotated { cairo_rotate(cr, -Double.pi / 2) }
        cairo_move_to(cr, dx, dy)
        color(c)
        cairo_show_text(cr, s)
        cairo_restore(cr)
    }

    /// Tick-label text turned `degrees` anticlockwise, its bounding box centred
    /// on x with its top at y (matplotlib's rotation_mode='default'). Returns the box height.
    @discardableResult
    func rotatedText(_ s: String, _ x: Double, _ y: Double, size: Double, degrees: Double) -> Double {
        let m = measure(s, size: size)
        let a = -degrees * Double.pi / 180
        // Corners of the text box (baseline origin) after rotation.
        let corners = [(0.0, -m.ascent), (m.width, -m.ascent), (0.0, m.descent), (m.width, m.descent)].map {
            ($0.0 * cos(a) - $0.1 * sin(a), $0.0 * sin(a) + $0.1 * cos(a))
        }
        let minX = corners.map(\.0).min() ?? 0, maxX = corners.map(\.0).max() ?? 0
        let minY = corners.map(\.1).min() ?? 0, maxY = corners.map(\.1).max() ?? 0
        cairo_save(cr)
        cairo_translate(cr, x - (minX + maxX) / 2, y - minY)
        cairo_rotate(cr, a)
        cairo_move_to(cr, 0, 0)
        color(RGBA(0, 0, 0))
        cairo_show_text(cr, s)
        cairo_restore(cr)
        return maxY - minY
    }

    // MARK: images

    /// Draws RGB pixels into the rectangle, each pixel a sharp block (nearest).
    func image(_ img: PlotImage, x: Double, y: Double, width: Double, height: Double) {
        guard img.width > 0, img.height > 0,
              let s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(img.width), Int32(img.height)) else { return }
        defer { cairo_surface_destroy(s) }
        cairo_surface_flush(s)
        let stride = Int(cairo_image_surface_get_stride(s))
        guard let data = cairo_image_surface_get_data(s) else { return }
        for row in 0..<img.height {
            let line = (data + row * stride).withMemoryRebound(to: UInt32.self, capacity: img.width) { $0 }
            for col in 0..<img.width {
                let i = (row * img.width + col) * 3
                line[col] = UInt32(img.rgb[i]) << 16 | UInt32(img.rgb[i + 1]) << 8 | UInt32(img.rgb[i + 2])
            }
        }
        cairo_surface_mark_dirty(s)
        cairo_save(cr)
        cairo_rectangle(cr, x, y, width, height)
        cairo_clip(cr)
        cairo_translate(cr, x, y)
        cairo_scale(cr, width / Double(img.width), height / Double(img.height))
        cairo_set_source_surface(cr, s, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST)
        cairo_paint(cr)
        cairo_restore(cr)
    }

    func clip(_ x: Double, _ y: Double, _ w: Double, _ h: Double) {
        cairo_save(cr)
        cairo_rectangle(cr, x, y, w, h)
        cairo_clip(cr)
    }

    func unclip() { cairo_restore(cr) }
}

/// Collects what cairo writes to a stream.
final class ByteSink {
    var data = Data()
    static let write: cairo_write_func_t = { closure, bytes, length in
        guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
        Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
        return CAIRO_STATUS_SUCCESS
    }
}
