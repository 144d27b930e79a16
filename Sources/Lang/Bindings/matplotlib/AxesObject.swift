import Foundation
import Render

/// A matplotlib `Axes` in the language: `ax.plot(...)`, `ax.set_title(...)`, ...
/// The same calls back `plt.plot` and friends on the current axes.
final class AxesObject: HostObject {
    let axes: Axes
    weak var figure: FigureObject?
    init(_ axes: Axes, figure: FigureObject) { self.axes = axes; self.figure = figure }
    var typeName: String { "Axes" }
    func repr() -> String { "<Axes: >" }

    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        guard let spec = AxesObject.methods[name] else {
            if name == "figure", let f = figure { return .object(f) }
            return nil
        }
        return .builtin(Builtin(path: "Axes.\(name)", signature: spec.signature) { [unowned self] a in try spec.body(self, a) })
    }

    struct Method { let signature: Signature; let body: (AxesObject, BoundArgs) throws -> Value }

    static func m(_ name: String, _ params: [Param] = [], varargs: String? = nil, keywordOnly: [Param] = [], kwargs: String? = nil,
                  doc: String, _ body: @escaping (AxesObject, BoundArgs) throws -> Value) -> (String, Method) {
        (name, Method(signature: Signature(name, params, varargs: varargs, keywordOnly: keywordOnly, kwargs: kwargs, doc: doc), body: body))
    }

    static func text(_ a: BoundArgs, _ i: Int) -> String { a[i].isNone ? "" : a.interpreter.str(a[i]) }

    /// (left, right) from `set_xlim(0, 10)`, `set_xlim((0, 10))`, `set_xlim(left=0)`, `set_xlim(right=1)`.
    static func limits(_ a: BoundArgs, _ fn: String) throws -> (Double?, Double?) {
        var lo = a[0], hi = a[1]
        switch lo {
        case .tuple(let t) where t.count == 2: lo = t[0]; hi = t[1]
        case .list(let l) where l.items.count == 2: lo = l.items[0]; hi = l.items[1]
        default: break
        }
        return (try TV.optionalDouble(lo, "left", in: fn), try TV.optionalDouble(hi, "right", in: fn))
    }

    static func scale(_ v: Value, _ fn: String) throws -> Scale {
        let s = try Convert.string(v, what: "value", in: fn)
        guard let sc = Scale(rawValue: s) else {
            throw valueError("\(Printing.repr(.str(s))) is not a valid value for scale; supported values are 'linear', 'log'")
        }
        return sc
    }

    static let methods: [String: Method] = Dictionary(uniqueKeysWithValues: [
        m("plot", varargs: "args", kwargs: "kwargs", doc: "Plots y against x as lines and/or markers: plot([x], y, [fmt], label=, color=, linewidth=, marker=).") { o, a in
            let rc = try o.figure?.state.rc() ?? RC()
            let added = try Plotting.plot(o.axes, a.varargs, a.kwargs, a.interpreter, defaults: rc)
            return .list(ListBox(added.map { .object(Line2D(o.axes, $0)) }))
        },
        m("scatter", [P("x"), P("y"), P("s", .none), P("c", .none), P("marker", .none), P("cmap", .none)],
          keywordOnly: [P("alpha", .none), P("label", .none), P("color", .none)],
          doc: "Draws a marker at each (x, y); s is the area in points², c a colour or values through cmap.") { o, a in
            try Plotting.scatter(o.axes, a); return .none
        },
        m("imshow", [P("X"), P("cmap", .none)], keywordOnly: [P("vmin", .none), P("vmax", .none), P("interpolation", .none), P("aspect", .none)],
          doc: "Shows a 2-D array through a colormap (viridis by default), or an (H, W, 3) RGB image.") { o, a in
            try Plotting.imshow(o.axes, a); return .object(AxesImage(o))
        },
        m("text", [P("x"), P("y"), P("s")], keywordOnly: [P("fontsize", .none), P("color", .none), P("ha", .none), P("va", .none),
                                                       P("horizontalalignment", .none), P("verticalalignment", .none)],
          doc: "Writes s at the data position (x, y).") { o, a in try Plotting.text(o.axes, a); return .none },
        m("bar", [P("x"), P("height"), P("width", .float(0.8))], keywordOnly: [P("align", .str("center")), P("color", .none), P("label", .none), P("alpha", .none)],
          doc: "Bars of the given heights at x (centred; align='edge' starts them at x).") { o, a in
            try Plotting.bar(o.axes, a); return .none
        },
        m("hist", [P("x"), P("bins", .int(10)), P("range", .none), P("density", .bool(false))],
          keywordOnly: [P("color", .none), P("alpha", .none), P("label", .none), P("rwidth", .none)],
          doc: "A histogram of x in equal bins; returns (counts, bin edges, None).") { o, a in
            try Plotting.hist(o.axes, a)
        },
        m("set", kwargs: "kwargs", doc: "Sets several properties at once: title=, xlabel=, ylabel=, xlim=, ylim=, xscale=, yscale=.") { o, a in
            for (k, v) in a.kwargs {
                switch k {
                case "title": o.axes.title = a.interpreter.str(v)
                case "xlabel": o.axes.xlabel = a.interpreter.str(v)
                case "ylabel": o.axes.ylabel = a.interpreter.str(v)
                case "xscale": o.axes.xscale = try scale(v, "set")
                case "yscale": o.axes.yscale = try scale(v, "set")
                case "xlim", "ylim":
                    let l = try PlotValues.numbers(v, k, in: "set", a.interpreter)
                    guard l.count == 2 else { throw valueError("\(k) must be a (low, high) pair") }
                    if k == "xlim" { o.axes.xlim = (l[0], l[1]) } else { o.axes.ylim = (l[0], l[1]) }
                default: throw LangError(.AttributeError, "Axes.set() got an unexpected keyword argument '\(k)'")
                }
            }
            return .none
        },
        m("set_xticks", [P("ticks"), P("labels", .none)], keywordOnly: [P("rotation", .none)], doc: "Fixes the x ticks (and their labels).") { o, a in
            _ = try Plotting.ticks(o.axes, vertical: false, a); return .none
        },
        m("set_yticks", [P("ticks"), P("labels", .none)], keywordOnly: [P("rotation", .none)], doc: "Fixes the y ticks (and their labels).") { o, a in
            _ = try Plotting.ticks(o.axes, vertical: true, a); return .none
        },
        m("axhline", [P("y", .int(0))], keywordOnly: [P("color", .none), P("linestyle", .none), P("linewidth", .none), P("label", .none)],
          doc: "A horizontal line across the axes at y.") { o, a in try Plotting.span(o.axes, horizontal: true, a); return .none },
        m("axvline", [P("x", .int(0))], keywordOnly: [P("color", .none), P("linestyle", .none), P("linewidth", .none), P("label", .none)],
          doc: "A vertical line across the axes at x.") { o, a in try Plotting.span(o.axes, horizontal: false, a); return .none },
        m("set_title", [P("label")], doc: "Sets the axes title.") { o, a in o.axes.title = text(a, 0); return .none },
        m("set_xlabel", [P("xlabel")], doc: "Sets the x-axis label.") { o, a in o.axes.xlabel = text(a, 0); return .none },
        m("set_ylabel", [P("ylabel")], doc: "Sets the y-axis label.") { o, a in o.axes.ylabel = text(a, 0); return .none },
        m("set_xlim", [P("left", .none), P("right", .none)], doc: "Sets the x-axis view limits.") { o, a in
            let l = try limits(a, "set_xlim"); o.axes.xlim = (l.0 ?? o.axes.xlim.0, l.1 ?? o.axes.xlim.1); return .none
        },
        m("set_ylim", [P("bottom", .none), P("top", .none)], doc: "Sets the y-axis view limits.") { o, a in
            let l = try limits(a, "set_ylim"); o.axes.ylim = (l.0 ?? o.axes.ylim.0, l.1 ?? o.axes.ylim.1); return .none
        },
        m("get_xlim", doc: "The x-axis view limits.") { o, _ in let l = o.axes.limits().x; return .tuple([.float(l.0), .float(l.1)]) },
        m("get_ylim", doc: "The y-axis view limits.") { o, _ in let l = o.axes.limits().y; return .tuple([.float(l.0), .float(l.1)]) },
        m("set_xscale", [P("value")], doc: "'linear' or 'log'.") { o, a in o.axes.xscale = try scale(a[0], "set_xscale"); return .none },
        m("set_yscale", [P("value")], doc: "'linear' or 'log'.") { o, a in o.axes.yscale = try scale(a[0], "set_yscale"); return .none },
        m("legend", [P("labels", .none)], keywordOnly: [P("loc", .str("best")), P("fontsize", .none), P("frameon", .none)],
          doc: "Draws a legend of the labelled lines.") { o, a in try Plotting.legend(o.axes, a); return .none },
        m("grid", [P("visible", .none)], kwargs: "kwargs", doc: "Shows (or hides) grid lines at the major ticks.") { o, a in
            o.axes.grid = a[0].isNone ? (a.kwargs.isEmpty ? !o.axes.grid : true) : TV.bool(a[0]); return .none
        },
        m("axis", [P("arg", .none)], doc: "axis('off') hides the axes lines, ticks and labels; axis('on') shows them.") { o, a in
            try Plotting.axis(o.axes, a[0], a.interpreter)
        },
        m("set_axis_off", doc: "Hides the axes lines, ticks and labels.") { o, _ in o.axes.axisOn = false; return .none },
        m("set_axis_on", doc: "Shows the axes lines, ticks and labels.") { o, _ in o.axes.axisOn = true; return .none },
        m("cla", doc: "Clears the axes.") { o, _ in
            o.axes.series = []; o.axes.bars = []; o.axes.image = nil; o.axes.title = ""; o.axes.xlabel = ""; o.axes.ylabel = ""; o.axes.legend = false
            return .none
        },
    ])
}

/// A `Figure`: `fig.savefig(path)`, `fig.tight_layout()`, `fig.suptitle(...)`, `fig.axes`.
final class FigureObject: HostObject {
    let figure: Figure
    var axesObjects: [AxesObject] = []
    let state: PyplotState
    /// Written by savefig (so the end of a notebook cell need not attach it again).
    var saved = false
    init(_ f: Figure, state: PyplotState) { figure = f; self.state = state }
    var typeName: String { "Figure" }
    func repr() -> String {
        "<Figure size \(Pyplot.g(figure.width * figure.dpi))x\(Pyplot.g(figure.height * figure.dpi)) with \(figure.axes.count) Axes>"
    }

    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        func method(_ params: [Param], keywordOnly: [Param] = [], doc: String, _ body: @escaping (BoundArgs) throws -> Value) -> Value {
            .builtin(Builtin(path: "Figure.\(name)", signature: Signature(name, params, keywordOnly: keywordOnly, doc: doc), body: body))
        }
        switch name {
        case "axes": return .list(ListBox(axesObjects.map { .object($0) }))
        case "dpi": return .float(figure.dpi)
        case "number": return .int(figure.number)
        case "savefig":
            return method(Pyplot.savefigParams, doc: "Writes the figure to a .png or .svg file.") { [unowned self] a in
                try Pyplot.savefig(self, a); return .none
            }
        case "tight_layout":
            return method([], keywordOnly: [P("pad", .float(1.08))], doc: "Fits the margins to the labels.") { [unowned self] _ in
                self.figure.tight = true; return .none
            }
        case "suptitle":
            return method([P("t")], doc: "A title above all the axes.") { [unowned self] a in
                self.figure.suptitle = a.interpreter.str(a[0]); return .none
            }
        case "add_subplot":
            return method([P("nrows", .int(1)), P("ncols", .int(1)), P("index", .int(1))], doc: "Adds axes at a place of an nrows×ncols grid.") { [unowned self] a in
                .object(try self.state.subplot(self, a))
            }
        case "gca":
            return method([], doc: "The figure's current axes.") { [unowned self] _ in .object(try self.state.currentAxes(of: self)) }
        case "set_size_inches":
            return method([P("w"), P("h", .none)], doc: "Sets the figure size in inches.") { [unowned self] a in
                var w = a[0], h = a[1]
                if case .tuple(let t) = w, t.count == 2 { w = t[0]; h = t[1] }
                self.figure.width = try Convert.double(w, what: "w", in: "set_size_inches")
                self.figure.height = try Convert.double(h, what: "h", in: "set_size_inches")
                return .none
            }
        case "colorbar":
            return method([P("mappable", .none)], keywordOnly: [P("ax", .none), P("label", .none)],
                          doc: "A colorbar beside the axes of an image.") { [unowned self] a in
                try Plotting.colorbar(a, current: try self.state.currentAxes(of: self))
            }
        case "show":
            return method([], doc: "Shows the figure.") { [unowned self] a in try Pyplot.show([self], a.interpreter); return .none }
        default: return nil
        }
    }
}

/// `fig, axes = plt.subplots(2, 3)`: axes[i, j], axes[i][j], axes.flat,
/// axes.flatten(), iteration — the subset of a NumPy object array plots use.
final class AxesGrid: HostObject {
    let items: [Value]
    let shape: [Int]
    init(_ items: [Value], shape: [Int]) { self.items = items; self.shape = shape }
    var typeName: String { "ndarray" }
    func repr() -> String { "array([" + items.map { _ in "<Axes: >" }.joined(separator: ", ") + "], dtype=object)" }

    func row(_ i: Int) -> AxesGrid {
        let n = shape[1]
        return AxesGrid(Array(items[(i * n)..<((i + 1) * n)]), shape: [n])
    }

    func index(_ k: Value) throws -> Value {
        func norm(_ i: Int, _ n: Int) throws -> Int {
            let j = i < 0 ? i + n : i
            guard j >= 0 && j < n else { throw LangError(.IndexError, "index \(i) is out of bounds for axis 0 with size \(n)") }
            return j
        }
        switch k {
        case .int(let i):
            if shape.count == 1 { return items[try norm(i, shape[0])] }
            return .object(row(try norm(i, shape[0])))
        case .tuple(let t) where t.count == 2 && shape.count == 2:
            let i = try norm(try Convert.int(t[0], what: "index", in: "ndarray"), shape[0])
            let j = try norm(try Convert.int(t[1], what: "index", in: "ndarray"), shape[1])
            return items[i * shape[1] + j]
        default: throw LangError(.IndexError, "only integers are valid indices of this array of Axes")
        }
    }

    func makeIterator(_ interp: Interpreter) throws -> IteratorBox? {
        if shape.count == 1 { return IteratorBox.over(items, typeName: "iterator") }
        return IteratorBox.over((0..<shape[0]).map { .object(row($0)) }, typeName: "iterator")
    }

    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "flat": return .iterator(IteratorBox.over(items, typeName: "flatiter"))
        case "shape": return .tuple(shape.map { .int($0) })
        case "size": return .int(items.count)
        case "ndim": return .int(shape.count)
        case "flatten", "ravel":
            return .builtin(Builtin(path: "ndarray.\(name)", signature: Signature(name, [], doc: "The axes in one row.")) { [items] _ in
                .object(AxesGrid(items, shape: [items.count]))
            })
        case "reshape":
            return .builtin(Builtin(path: "ndarray.reshape", signature: Signature("reshape", [], varargs: "shape", doc: "The axes in another shape.")) { [items] a in
                var dims = try a.varargs.map { try Convert.int($0, what: "shape", in: "reshape") }
                if a.varargs.count == 1, case .tuple(let t) = a.varargs[0] { dims = try t.map { try Convert.int($0, what: "shape", in: "reshape") } }
                if let k = dims.firstIndex(of: -1) {
                    let rest = dims.enumerated().filter { $0.offset != k }.reduce(1) { $0 * $1.element }
                    if rest > 0 { dims[k] = items.count / rest }
                }
                guard dims.reduce(1, *) == items.count, (1...2).contains(dims.count) else {
                    throw valueError("cannot reshape array of size \(items.count) into shape \(PlotValues.shapeTuple(dims))")
                }
                return .object(AxesGrid(items, shape: dims))
            })
        default: return nil
        }
    }
}

/// What `imshow` returns: the image, for `colorbar(im)`.
final class AxesImage: HostObject {
    let axes: AxesObject
    init(_ axes: AxesObject) { self.axes = axes }
    var typeName: String { "AxesImage" }
    func repr() -> String { "<matplotlib.image.AxesImage object>" }
}

/// What `colorbar` returns: `cbar.set_label('...')`.
final class ColorbarObject: HostObject {
    let axes: Axes
    init(_ axes: Axes) { self.axes = axes }
    var typeName: String { "Colorbar" }
    func repr() -> String { "<matplotlib.colorbar.Colorbar object>" }
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        guard name == "set_label" else { return nil }
        return .builtin(Builtin(path: "Colorbar.set_label", signature: Signature("set_label", [P("label")], doc: "The colorbar's label.")) { [axes] a in
            axes.colorbar?.label = a.interpreter.str(a[0]); return .none
        })
    }
}

/// One line `plot` drew (`line, = plt.plot(...)`): its data, colour, label and width can change.
final class Line2D: HostObject {
    let axes: Axes
    let index: Int
    init(_ axes: Axes, _ index: Int) { self.axes = axes; self.index = index }
    var typeName: String { "Line2D" }
    func repr() -> String { "<matplotlib.lines.Line2D object>" }

    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        guard index < axes.series.count else { return nil }
        func method(_ params: [Param], _ body: @escaping (BoundArgs) throws -> Value) -> Value {
            .builtin(Builtin(path: "Line2D.\(name)", signature: Signature(name, params, doc: "Line2D.\(name)"), body: body))
        }
        let axes = self.axes, i = index
        func numbers(_ v: Value, _ a: BoundArgs) throws -> [Double] { try PlotValues.numbers(v, "data", in: name, a.interpreter) }
        switch name {
        case "set_data": return method([P("x"), P("y")]) { a in
            let x = try numbers(a[0], a), y = try numbers(a[1], a)
            guard x.count == y.count else { throw LangError(.RuntimeError, "xdata and ydata must be the same length") }
            axes.series[i].x = x; axes.series[i].y = y; return .none
        }
        case "set_xdata": return method([P("x")]) { a in axes.series[i].x = try numbers(a[0], a); return .none }
        case "set_ydata": return method([P("y")]) { a in axes.series[i].y = try numbers(a[0], a); return .none }
        case "set_label": return method([P("s")]) { a in axes.series[i].label = a.interpreter.str(a[0]); return .none }
        case "set_color": return method([P("color")]) { a in axes.series[i].color = try PlotValues.color(a[0], in: name); return .none }
        case "set_linewidth": return method([P("w")]) { a in axes.series[i].lineWidth = try a.double(0); return .none }
        case "get_label": return method([]) { _ in .str(axes.series[i].label ?? "") }
        case "get_xdata": return method([]) { _ in .list(ListBox(axes.series[i].x.map { .float($0) })) }
        case "get_ydata": return method([]) { _ in .list(ListBox(axes.series[i].y.map { .float($0) })) }
        case "get_color": return method([]) { _ in
            let c = axes.series[i].color
            func hex(_ v: Double) -> String { let n = Int((min(1, max(0, v)) * 255).rounded()); return (n < 16 ? "0" : "") + String(n, radix: 16) }
            return .str("#" + hex(c.r) + hex(c.g) + hex(c.b))
        }
        default: return nil
        }
    }
}
