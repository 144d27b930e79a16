import Foundation
import Render

/// What `plot`, `scatter`, `imshow`, `legend` and `axis` do to an axes,
/// shared by `plt.*` (current axes) and `ax.*`.
enum Plotting {
    /// Adds the lines; returns their indices in `ax.series` (for the Line2D objects plot returns).
    @discardableResult
    static func plot(_ ax: Axes, _ args: [Value], _ kwargs: [(String, Value)], _ interp: Interpreter,
                     defaults: RC = RC()) throws -> [Int] {
        let fn = "plot"
        var added: [Int] = []
        // Split the positional arguments as matplotlib does: two at a time, plus a format string after them.
        var groups: [(x: Value?, y: Value, fmt: String?)] = []
        var rest = args[...]
        while !rest.isEmpty {
            var this = Array(rest.prefix(2))
            rest = rest.dropFirst(2)
            if let first = rest.first, case .str = first { this.append(first); rest = rest.dropFirst() }
            var fmt: String?
            if case .str(let f)? = this.last { fmt = f; this.removeLast() }
            if this.contains(where: { if case .str = $0 { return true }; return false }) {
                throw valueError("plot(): a format string must follow the data it applies to")
            }
            guard !this.isEmpty else { throw valueError("plot(): a format string must follow the data it applies to") }
            groups.append(this.count == 2 ? (this[0], this[1], fmt) : (nil, this[0], fmt))
        }
        var kw: [String: Value] = [:]
        for (k, v) in kwargs {
            let key = ["c": "color", "lw": "linewidth", "ls": "linestyle", "ms": "markersize"][k] ?? k
            guard ["color", "linewidth", "linestyle", "marker", "markersize", "label", "alpha"].contains(key) else {
                throw LangError(.AttributeError, "Line2D.set() got an unexpected keyword argument '\(k)'")
            }
            kw[key] = v
        }
        for g in groups {
            let y = try yValues(g.y, interp)
            let x = try g.x.map { try PlotValues.numbers($0, "x", in: fn, interp) } ?? (0..<(y.first?.count ?? 0)).map(Double.init)
            for column in y {
                guard x.count == column.count else {
                    throw valueError("x and y must have same first dimension, but have shapes (\(x.count),) and (\(column.count),)")
                }
                let f = try g.fmt.map(PlotValues.format) ?? (nil, nil, nil)
                var s = Series(x: x, y: column, color: f.0 ?? RGBA(0, 0, 0))
                s.lineWidth = defaults.lineWidth
                s.markerSize = defaults.markerSize
                if f.0 == nil, kw["color"] == nil { s.color = ax.nextColor() }
                s.marker = f.1
                s.lineStyle = f.2 ?? .solid
                if let c = kw["color"] { s.color = try PlotValues.color(c, in: fn) }
                if let v = kw["linewidth"] { s.lineWidth = try Convert.double(v, what: "linewidth", in: fn) }
                if let v = kw["linestyle"] {
                    let t = try Convert.string(v, what: "linestyle", in: fn)
                    let names = ["solid": "-", "dashed": "--", "dashdot": "-.", "dotted": ":", "None": "", "none": "", " ": ""]
                    guard let st = LineStyle(rawValue: names[t] ?? t) else {
                        throw valueError("\(Printing.repr(v)) is not a valid value for ls; supported values are '-', '--', '-.', ':', 'None', ' ', '', 'solid', 'dashed', 'dashdot', 'dotted'")
                    }
                    s.lineStyle = st
                }
                if let v = kw["marker"], !v.isNone {
                    let t = try Convert.string(v, what: "marker", in: fn)
                    guard t.count == 1, let c = t.first, ".osDd^v<>x+*".contains(c) else {
                        throw valueError("Unrecognized marker style \(Printing.repr(v))")
                    }
                    s.marker = c
                }
                if let v = kw["markersize"] { s.markerSize = try Convert.double(v, what: "markersize", in: fn) }
                if let v = kw["alpha"], !v.isNone { s.color.a = try Convert.double(v, what: "alpha", in: fn) }
                if let v = kw["label"], !v.isNone { s.label = interp.str(v) }
                added.append(ax.series.count)
                ax.series.append(s)
            }
        }
        return added
    }

    /// y as one series, or a 2-D tensor's columns as several.
    static func yValues(_ v: Value, _ interp: Interpreter) throws -> [[Double]] {
        if case .tensor(let t) = v, t.rank == 2, t.shape[1] > 1, t.shape[0] > 1 {
            let vals = t.toDoubles(), rows = t.shape[0], cols = t.shape[1]
            return (0..<cols).map { c in (0..<rows).map { vals[$0 * cols + c] } }
        }
        return [try PlotValues.numbers(v, "y", in: "plot", interp)]
    }

    static func scatter(_ ax: Axes, _ a: BoundArgs) throws {
        let fn = "scatter", interp = a.interpreter
        let x = try PlotValues.numbers(a["x"], "x", in: fn, interp), y = try PlotValues.numbers(a["y"], "y", in: fn, interp)
        guard x.count == y.count else { throw valueError("x and y must be the same size") }
        var s = Series(x: x, y: y, color: RGBA(0, 0, 0))
        s.lineStyle = .none
        s.marker = "o"
        if !a["marker"].isNone {
            let t = try Convert.string(a["marker"], what: "marker", in: fn)
            guard t.count == 1, let c = t.first, ".osDd^v<>x+*".contains(c) else { throw valueError("Unrecognized marker style \(Printing.repr(a["marker"]))") }
            s.marker = c
        }
        s.sizes = a["s"].isNone ? [36] : try PlotValues.numbers(a["s"], "s", in: fn, interp)
        if let n = s.sizes?.count, n != 1, n != x.count { throw valueError("s must be a scalar, or float array-like with the same size as x and y") }
        let c = a["c"].isNone ? a["color"] : a["c"]
        switch c {
        case .none: s.color = ax.nextColor()
        case .str, .tuple: s.color = try PlotValues.color(c, in: fn)
        default:
            let values = try PlotValues.numbers(c, "c", in: fn, interp)
            guard values.count == x.count else {
                throw valueError("'c' argument has \(values.count) elements, which is inconsistent with 'x' and 'y' with size \(x.count).")
            }
            let name = a["cmap"].isNone ? "viridis" : try Convert.string(a["cmap"], what: "cmap", in: fn)
            guard let lut = Colors.colormap(name) else { throw valueError("\(Printing.repr(.str(name))) is not a valid value for cmap") }
            let lo = values.min() ?? 0, hi = values.max() ?? 1
            s.colors = values.map { v in
                let k = Colors.lutIndex(hi > lo ? (v - lo) / (hi - lo) : 0)
                let e = lut[k]
                return RGBA(Double(e.0) / 255, Double(e.1) / 255, Double(e.2) / 255)
            }
            s.color = s.colors?.first ?? s.color
        }
        if !a["alpha"].isNone { s.alpha = try Convert.double(a["alpha"], what: "alpha", in: fn) }
        if !a["label"].isNone { s.label = interp.str(a["label"]) }
        ax.series.append(s)
    }

    /// `bar(x, height, width=0.8)`: bars centred on x (align='edge': starting at x).
    static func bar(_ ax: Axes, _ a: BoundArgs) throws {
        let fn = "bar", interp = a.interpreter
        let x = try PlotValues.numbers(a["x"], "x", in: fn, interp)
        var h = try PlotValues.numbers(a["height"], "height", in: fn, interp)
        var w = try PlotValues.numbers(a["width"], "width", in: fn, interp)
        if h.count == 1, x.count > 1 { h = Array(repeating: h[0], count: x.count) }
        if w.count == 1 { w = Array(repeating: w[0], count: x.count) }
        guard h.count == x.count, w.count == x.count else {
            throw valueError("shape mismatch: objects cannot be broadcast to a single shape. Mismatch is between arg 0 with shape (\(x.count),) and arg 1 with shape (\(h.count),).")
        }
        let align = try Convert.string(a["align"], what: "align", in: fn)
        guard align == "center" || align == "edge" else { throw valueError("'\(align)' is not a valid value for align; supported values are 'center', 'edge'") }
        let left = zip(x, w).map { align == "center" ? $0 - $1 / 2 : $0 }
        var b = Bars(left: left, width: w, height: h, color: a["color"].isNone ? ax.nextColor() : try PlotValues.color(a["color"], in: fn))
        if !a["alpha"].isNone { b.color.a = try Convert.double(a["alpha"], what: "alpha", in: fn) }
        if !a["label"].isNone { b.label = interp.str(a["label"]) }
        ax.bars.append(b)
    }

    /// `hist(x, bins=10, range=None, density=False)`: returns (counts, bin edges, None).
    static func hist(_ ax: Axes, _ a: BoundArgs) throws -> Value {
        let fn = "hist", interp = a.interpreter
        let values = try PlotValues.numbers(a["x"], "x", in: fn, interp)
        let bins = try Convert.int(a["bins"], what: "bins", in: fn)
        guard bins >= 1 else { throw valueError("`bins` must be positive, when an integer") }
        var range: (Double, Double)?
        if !a["range"].isNone {
            let r = try PlotValues.numbers(a["range"], "range", in: fn, interp)
            guard r.count == 2, r[0] <= r[1] else { throw valueError("max must be larger than min in range parameter.") }
            range = (r[0], r[1])
        }
        let (counts, edges) = Bars.histogram(values, bins: bins, range: range, density: TV.bool(a["density"]))
        let widths = zip(edges.dropFirst(), edges).map { $0 - $1 }
        let rw = a["rwidth"].isNone ? 1 : try Convert.double(a["rwidth"], what: "rwidth", in: fn)
        let left = zip(edges.dropLast(), widths).map { $0 + $1 * (1 - rw) / 2 }
        var b = Bars(left: left, width: widths.map { $0 * rw }, height: counts,
                     color: a["color"].isNone ? ax.nextColor() : try PlotValues.color(a["color"], in: fn))
        if !a["alpha"].isNone { b.color.a = try Convert.double(a["alpha"], what: "alpha", in: fn) }
        if !a["label"].isNone { b.label = interp.str(a["label"]) }
        ax.bars.append(b)
        return .tuple([.list(ListBox(counts.map { .float($0) })), .list(ListBox(edges.map { .float($0) })), .none])
    }

    /// `xticks()`, `xticks(ticks)`, `xticks(ticks, labels)`, `rotation=`: sets and returns (ticks, labels).
    static func ticks(_ ax: Axes, vertical: Bool, _ a: BoundArgs) throws -> Value {
        let fn = vertical ? "yticks" : "xticks", interp = a.interpreter
        if !a[0].isNone {
            let t = try PlotValues.numbers(a[0], "ticks", in: fn, interp)
            let labels: [String]
            if a[1].isNone {
                labels = Ticks.labels(t, view: (t.min() ?? 0, t.max() ?? 1)).labels
            } else {
                labels = try interp.toArray(a[1]).map { interp.str($0) }
                guard labels.count == t.count else {
                    throw valueError("The number of FixedLocator locations (\(t.count)), usually from a call to set_ticks, does not match the number of labels (\(labels.count)).")
                }
            }
            if vertical { ax.yticks = Array(zip(t, labels)) } else { ax.xticks = Array(zip(t, labels)) }
        } else if !a[1].isNone {
            throw typeError("\(fn)(): Cannot set labels without ticks; give ticks as well")
        }
        if !a["rotation"].isNone {
            var r = 0.0
            switch a["rotation"] {
            case .str(let s) where s == "vertical": r = 90
            case .str(let s) where s == "horizontal": r = 0
            default: r = try Convert.double(a["rotation"], what: "rotation", in: fn)
            }
            if vertical { ax.ytickRotation = r } else { ax.xtickRotation = r }
        }
        let lim = ax.limits()
        let current = (vertical ? ax.yticks : ax.xticks) ?? {
            let (lo, hi) = vertical ? lim.y : lim.x
            let t = Ticks.linear(min(lo, hi), max(lo, hi), bins: 9)
            return Array(zip(t, Ticks.labels(t, view: (min(lo, hi), max(lo, hi))).labels))
        }()
        return .tuple([.list(ListBox(current.map { .float($0.0) })), .list(ListBox(current.map { .str($0.1) }))])
    }

    /// `axhline(y)` / `axvline(x)`: a line across the axes.
    static func span(_ ax: Axes, horizontal: Bool, _ a: BoundArgs) throws {
        let fn = horizontal ? "axhline" : "axvline"
        var sp = Span(horizontal: horizontal, value: try Convert.double(a[0], what: horizontal ? "y" : "x", in: fn),
                      color: a["color"].isNone ? ax.nextColor() : try PlotValues.color(a["color"], in: fn))
        if !a["linewidth"].isNone { sp.lineWidth = try Convert.double(a["linewidth"], what: "linewidth", in: fn) }
        if !a["linestyle"].isNone {
            let t = try Convert.string(a["linestyle"], what: "linestyle", in: fn)
            let names = ["solid": "-", "dashed": "--", "dashdot": "-.", "dotted": ":"]
            guard let st = LineStyle(rawValue: names[t] ?? t), st != .none else {
                throw valueError("\(Printing.repr(a["linestyle"])) is not a valid value for ls; supported values are '-', '--', '-.', ':', 'solid', 'dashed', 'dashdot', 'dotted'")
            }
            sp.lineStyle = st
        }
        if !a["label"].isNone { sp.label = a.interpreter.str(a["label"]) }
        ax.spans.append(sp)
    }

    /// `text(x, y, s, fontsize=, color=, ha=, va=)`.
    static func text(_ ax: Axes, _ a: BoundArgs) throws {
        let fn = "text"
        var t = PlotText(x: try Convert.double(a[0], what: "x", in: fn), y: try Convert.double(a[1], what: "y", in: fn), text: a.interpreter.str(a[2]))
        if !a["fontsize"].isNone { t.size = try Convert.double(a["fontsize"], what: "fontsize", in: fn) }
        if !a["color"].isNone { t.color = try PlotValues.color(a["color"], in: fn) }
        for (key, long, allowed) in [("ha", "horizontalalignment", ["left", "center", "right"]),
                                     ("va", "verticalalignment", ["baseline", "bottom", "center", "top", "center_baseline"])] {
            let v = a[key].isNone ? a[long] : a[key]
            guard !v.isNone else { continue }
            let s = try Convert.string(v, what: key, in: fn)
            guard allowed.contains(s) else {
                throw valueError("\(Printing.repr(v)) is not a valid value for \(long); supported values are \(allowed.map { "'\($0)'" }.joined(separator: ", "))")
            }
            if key == "ha" { t.ha = s } else { t.va = s == "center_baseline" ? "center" : s }
        }
        ax.texts.append(t)
    }

    /// `colorbar(mappable=None, ax=None, label='')`: a bar for the image of the
    /// mappable's axes (or `ax`, or the current axes).
    static func colorbar(_ a: BoundArgs, current: AxesObject) throws -> Value {
        var target = current
        if case .object(let o) = a["mappable"], let im = o as? AxesImage { target = im.axes }
        else if case .object(let o) = a["ax"], let ax = o as? AxesObject { target = ax }
        guard let scale = target.axes.image?.scale else {
            throw LangError(.RuntimeError, "No mappable was found to use for colorbar creation. First define a mappable such as an image (with imshow) or a contour set (with contourf).")
        }
        target.axes.colorbar = scale
        if !a["label"].isNone { target.axes.colorbar?.label = a.interpreter.str(a["label"]) }
        return .object(ColorbarObject(target.axes))
    }

    static func imshow(_ ax: Axes, _ a: BoundArgs) throws {
        let cmap = a["cmap"].isNone ? nil : try Convert.string(a["cmap"], what: "cmap", in: "imshow")
        ax.image = try PlotValues.image(a["X"], cmap: cmap, vmin: try TV.optionalDouble(a["vmin"], "vmin", in: "imshow"),
                                        vmax: try TV.optionalDouble(a["vmax"], "vmax", in: "imshow"), a.interpreter)
    }

    static func legend(_ ax: Axes, _ a: BoundArgs) throws {
        if !a["labels"].isNone {
            let labels = try a.interpreter.toArray(a["labels"]).map { a.interpreter.str($0) }
            for (i, l) in labels.enumerated() where i < ax.series.count { ax.series[i].label = l }
        }
        let loc = try Convert.string(a["loc"], what: "loc", in: "legend")
        guard loc == "best" || Legend.locationNames.contains(loc) else {
            throw valueError("\(Printing.repr(.str(loc))) is not a valid value for loc; supported values are 'best', " +
                             Legend.locationNames.map { "'\($0)'" }.joined(separator: ", "))
        }
        ax.legendLocation = loc
        ax.legend = true
    }

    static func axis(_ ax: Axes, _ arg: Value, _ interp: Interpreter) throws -> Value {
        switch arg {
        case .none: break
        case .bool(let b): ax.axisOn = b
        case .str(let s):
            switch s {
            case "off": ax.axisOn = false
            case "on": ax.axisOn = true
            case "equal", "scaled", "tight", "auto", "image", "square": break
            default: throw valueError("Unrecognized string \(Printing.repr(arg)) to axis; try 'on' or 'off'")
            }
        default:
            let v = try PlotValues.numbers(arg, "limits", in: "axis", interp)
            guard v.count == 4 else { throw typeError("The first argument to axis() must be an iterable of the form [xmin, xmax, ymin, ymax]") }
            ax.xlim = (v[0], v[1]); ax.ylim = (v[2], v[3])
        }
        let l = ax.limits()
        return .tuple([.float(l.x.0), .float(l.x.1), .float(l.y.0), .float(l.y.1)])
    }
}
