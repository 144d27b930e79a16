import Foundation

extension FigureRenderer {
    /// `colorbar()`: the colormap as a vertical bar (high values on top) in a
    /// black frame, ticks and labels on its right as matplotlib places them,
    /// and the bar's label turned to read upwards beyond them.
    static func drawColorbar(_ scale: ColorScale, _ b: Box, _ c: Canvas) {
        let lut = Colors.colormap(scale.name) ?? Colors.colormap("viridis") ?? []
        guard lut.count == 256, b.w > 0, b.h > 0 else { return }
        var rgb = [UInt8](repeating: 0, count: 256 * 3)
        for row in 0..<256 {
            let e = lut[255 - row]
            rgb[3 * row] = e.0; rgb[3 * row + 1] = e.1; rgb[3 * row + 2] = e.2
        }
        c.image(PlotImage(width: 1, height: 256, rgb: rgb), x: b.x, y: b.y, width: b.w, height: b.h)
        let black = RGBA(0, 0, 0)
        c.rect(b.x, b.y, b.w, b.h, fill: nil, stroke: black, lineWidth: 0.8)
        guard scale.vmax > scale.vmin else { return }
        let ticks = Ticks.linear(scale.vmin, scale.vmax, bins: Ticks.bins(lengthPoints: b.h / c.scale, vertical: true))
        let labels = Ticks.labels(ticks, view: (scale.vmin, scale.vmax)).labels
        let tl = c.pt(3.5), pad = c.pt(3.5)
        var widest = 0.0
        for (v, label) in zip(ticks, labels) {
            let y = b.y + b.h - (v - scale.vmin) / (scale.vmax - scale.vmin) * b.h
            c.line(b.x + b.w, y, b.x + b.w + tl, y, color: black, width: 0.8)
            c.text(label, b.x + b.w + tl + pad, y, size: 10, h: .left, v: .center)
            widest = max(widest, c.measure(label, size: 10).width)
        }
        if !scale.label.isEmpty {
            c.text(scale.label, b.x + b.w + tl + pad + widest + c.pt(4), b.y + b.h / 2, size: 10, h: .center, v: .top, rotated: true)
        }
    }
}
