import Foundation

/// An RGBA colour, components 0...1.
public struct RGBA: Equatable {
    public var r, g, b, a: Double
    public init(_ r: Double, _ g: Double, _ b: Double, _ a: Double = 1) { self.r = r; self.g = g; self.b = b; self.a = a }
}

public enum LineStyle: String { case solid = "-", dashed = "--", dashDot = "-.", dotted = ":", none = "" }

/// A line plot (`plot`) or a scatter (`scatter`: markers only, sizes in points²).
public struct Series {
    public var x: [Double]
    public var y: [Double]
    public var color: RGBA
    public var lineWidth: Double = 1.5
    public var lineStyle: LineStyle = .solid
    public var marker: Character?
    public var markerSize: Double = 6
    public var label: String?
    public var alpha: Double = 1
    /// Scatter only: marker areas in points² (one, or one a point) and per-point colours.
    public var sizes: [Double]?
    public var colors: [RGBA]?
    public init(x: [Double], y: [Double], color: RGBA) { self.x = x; self.y = y; self.color = color }
}

/// Values mapped to colours (an image's colormap and limits), for `colorbar`.
public struct ColorScale {
    public var name: String, vmin: Double, vmax: Double
    public var label = ""
    public init(name: String, vmin: Double, vmax: Double) { self.name = name; self.vmin = vmin; self.vmax = vmax }
}

/// `text(x, y, s)`: text at a data position.
public struct PlotText {
    public var x: Double, y: Double, text: String
    public var color = RGBA(0, 0, 0)
    public var size = 10.0
    /// 'left' | 'center' | 'right', and 'baseline' | 'bottom' | 'center' | 'top'.
    public var ha = "left", va = "baseline"
    public init(x: Double, y: Double, text: String) { self.x = x; self.y = y; self.text = text }
}

/// A line across the axes at a data value (`axhline`, `axvline`).
public struct Span {
    public var horizontal: Bool
    public var value: Double
    public var color: RGBA
    public var lineWidth = 1.5
    public var lineStyle = LineStyle.solid
    public var label: String?
    public init(horizontal: Bool, value: Double, color: RGBA) { self.horizontal = horizontal; self.value = value; self.color = color }
}

/// Rectangles from the baseline 0 (`bar`, `hist`): left edges, widths, heights.
public struct Bars {
    public var left: [Double], width: [Double], height: [Double]
    public var color: RGBA
    public var label: String?
    public init(left: [Double], width: [Double], height: [Double], color: RGBA) {
        self.left = left; self.width = width; self.height = height; self.color = color
    }
}

/// An image shown with `imshow`: RGB pixels row-major, top row first.
public struct PlotImage {
    public var width: Int, height: Int
    public var rgb: [UInt8]
    /// How values became colours (2-D data through a colormap); nil for RGB images.
    public var scale: ColorScale?
    public init(width: Int, height: Int, rgb: [UInt8]) { self.width = width; self.height = height; self.rgb = rgb }
}

public enum Scale: String { case linear, log }

/// One set of axes: its place in the figure's grid and what it holds.
public final class Axes {
    public let rows: Int, cols: Int, index: Int
    public var series: [Series] = []
    public var bars: [Bars] = []
    public var image: PlotImage?
    public var title = "", xlabel = "", ylabel = ""
    public var grid = false
    public var legend = false
    public var legendLocation = "best"
    public var xlim: (Double?, Double?) = (nil, nil)
    public var ylim: (Double?, Double?) = (nil, nil)
    public var xscale = Scale.linear, yscale = Scale.linear
    public var axisOn = true
    /// `xticks(ticks, labels)`: fixed tick positions and labels (nil: chosen as matplotlib does).
    public var xticks: [(Double, String)]?, yticks: [(Double, String)]?
    /// Tick label rotation in degrees (`xticks(rotation=45)`).
    public var xtickRotation = 0.0, ytickRotation = 0.0
    /// `axhline(y)` / `axvline(x)`: lines across the whole axes.
    public var spans: [Span] = []
    public var texts: [PlotText] = []
    /// `colorbar()`: a bar beside the axes showing this scale.
    public var colorbar: ColorScale?
    /// Next colour of the tab10 cycle.
    var cycle = 0

    public init(rows: Int = 1, cols: Int = 1, index: Int = 0) { self.rows = rows; self.cols = cols; self.index = index }

    public func nextColor() -> RGBA {
        defer { cycle += 1 }
        return Colors.tab10[cycle % Colors.tab10.count]
    }

    /// The limits shown: those set, else the data's with matplotlib's margins
    /// (an image fills its pixel edges, the y axis running down).
    public func limits() -> (x: (Double, Double), y: (Double, Double)) {
        if let img = image, series.isEmpty, bars.isEmpty {
            let x = (xlim.0 ?? -0.5, xlim.1 ?? Double(img.width) - 0.5)
            let y = (ylim.0 ?? Double(img.height) - 0.5, ylim.1 ?? -0.5)
            return (x, y)
        }
        func range(_ values: [Double], positiveOnly: Bool) -> (Double, Double)? {
            var lo = Double.infinity, hi = -Double.infinity
            for v in values where v.isFinite && (!positiveOnly || v > 0) { lo = min(lo, v); hi = max(hi, v) }
            return lo <= hi ? (lo, hi) : nil
        }
        var xs = series.flatMap(\.x), ys = series.flatMap(\.y)
        for s in spans { if s.horizontal { ys.append(s.value) } else { xs.append(s.value) } }
        for b in bars {
            for i in b.left.indices { xs += [b.left[i], b.left[i] + b.width[i]]; ys += [0, b.height[i]] }
        }
        let dx = range(xs, positiveOnly: xscale == .log) ?? (xscale == .log ? (1, 10) : (0, 1))
        let dy = range(ys, positiveOnly: yscale == .log) ?? (yscale == .log ? (1, 10) : (0, 1))
        var vx = Ticks.viewLimits(dx.0, dx.1, log: xscale == .log)
        var vy = Ticks.viewLimits(dy.0, dy.1, log: yscale == .log)
        if series.isEmpty, bars.isEmpty, !spans.contains(where: { !$0.horizontal }), xscale == .linear { vx = (0, 1) }
        if series.isEmpty, bars.isEmpty, !spans.contains(where: { $0.horizontal }), yscale == .linear { vy = (0, 1) }
        // Bars stand on 0: matplotlib's sticky edge keeps the margin from going past it.
        if !bars.isEmpty, yscale == .linear, dy.0 >= 0, vy.0 < 0 { vy.0 = 0 }
        return ((xlim.0 ?? vx.0, xlim.1 ?? vx.1), (ylim.0 ?? vy.0, ylim.1 ?? vy.1))
    }
}

/// A figure: its size in inches, dots per inch, and a grid of axes.
public final class Figure {
    public var width: Double, height: Double, dpi: Double
    public var axes: [Axes] = []
    public var suptitle = ""
    /// `tight_layout()`: margins fitted to the labels instead of matplotlib's fixed fractions.
    public var tight = false
    public let number: Int

    public init(number: Int = 1, width: Double = 6.4, height: Double = 4.8, dpi: Double = 100) {
        self.number = number; self.width = width; self.height = height; self.dpi = dpi
    }

    /// Its size in pixels (`figsize * dpi`, rounded as Agg does).
    public var pixelSize: (width: Int, height: Int) { (Int((width * dpi).rounded()), Int((height * dpi).rounded())) }
}

extension Bars {
    /// NumPy's `histogram`: `bins` equal bins over `range` (default the data's
    /// min...max; the last bin includes its right edge), counts or densities.
    public static func histogram(_ values: [Double], bins: Int, range: (Double, Double)? = nil,
                                 density: Bool = false) -> (counts: [Double], edges: [Double]) {
        let finite = values.filter(\.isFinite)
        var lo = range?.0 ?? finite.min() ?? 0, hi = range?.1 ?? finite.max() ?? 1
        if lo == hi { lo -= 0.5; hi += 0.5 }
        guard lo.isFinite, hi.isFinite, (hi - lo).isFinite, hi > lo else { return ([Double](repeating: 0, count: max(1, bins)), []) }
        let n = max(1, bins)
        let step = (hi - lo) / Double(n)
        let edges = (0...n).map { Double($0) * step + lo }   // as np.linspace computes them
        var counts = [Double](repeating: 0, count: n)
        let norm = Double(n) / (hi - lo)
        for v in finite where v >= lo && v <= hi {
            var k = min(n - 1, max(0, Int(saturating: (v - lo) * norm)))
            if k == n { k -= 1 }
            // NumPy's correction: a value below its bin's left edge moves down, one at or past the next edge moves up.
            if v < edges[k] { k -= 1 }
            if k + 1 < n, v >= edges[k + 1] { k += 1 }
            counts[max(0, k)] += 1
        }
        if density {
            let total = counts.reduce(0, +), w = (hi - lo) / Double(n)
            if total > 0 { counts = counts.map { $0 / (total * w) } }
        }
        return (counts, edges)
    }
}
