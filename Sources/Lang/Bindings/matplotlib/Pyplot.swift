import Foundation
import Render
import Formats

/// The rcParams pyplot honours, read when a figure or line is made.
struct RC {
    var figsize = (6.4, 4.8), dpi = 100.0, lineWidth = 1.5, markerSize = 6.0, grid = false
    static let supported = ["figure.figsize", "figure.dpi", "lines.linewidth", "lines.markersize", "axes.grid", "savefig.dpi"]
}

/// pyplot's state: open figures by number, the current figure and axes, rcParams.
final class PyplotState {
    /// `plt.rcParams` (the same dict as `matplotlib.rcParams`).
    let rcParams = DictBox()

    init() {
        func set(_ k: String, _ v: Value) { rcParams.set(.str(k), .str(k), v) }
        set("figure.figsize", .list(ListBox([.float(6.4), .float(4.8)])))
        set("figure.dpi", .float(100))
        set("lines.linewidth", .float(1.5))
        set("lines.markersize", .float(6))
        set("axes.grid", .bool(false))
        set("savefig.dpi", .str("figure"))
    }

    /// The rcParams as numbers; an unsupported key set by the user raises rather than being ignored.
    func rc() throws -> RC {
        var rc = RC()
        for (k, v) in zip(rcParams.keys, rcParams.values) {
            guard case .str(let key) = k, RC.supported.contains(key) else {
                throw LangError(.NotImplementedError, "rcParams[\(Printing.repr(k))] is not supported; supported: \(RC.supported.joined(separator: ", "))")
            }
            switch key {
            case "figure.figsize":
                if let s = try Pyplot.size(v) { rc.figsize = s }
            case "figure.dpi": rc.dpi = try Convert.double(v, what: key, in: "rcParams")
            case "lines.linewidth": rc.lineWidth = try Convert.double(v, what: key, in: "rcParams")
            case "lines.markersize": rc.markerSize = try Convert.double(v, what: key, in: "rcParams")
            case "axes.grid": rc.grid = TV.bool(v)
            default: break
            }
        }
        return rc
    }

    var figures: [FigureObject] = []
    var current: FigureObject?
    var currentAxesByFigure: [ObjectIdentifier: AxesObject] = [:]

    func newFigure(num: Int? = nil, figsize: (Double, Double)? = nil, dpi: Double? = nil) throws -> FigureObject {
        let n = num ?? ((figures.map { $0.figure.number }.max() ?? 0) + 1)
        let rc = try self.rc()
        let f = Figure(number: n, width: figsize?.0 ?? rc.figsize.0, height: figsize?.1 ?? rc.figsize.1, dpi: dpi ?? rc.dpi)
        let o = FigureObject(f, state: self)
        figures.append(o)
        current = o
        return o
    }

    func currentFigure() throws -> FigureObject { try current ?? newFigure() }

    func currentAxes(of f: FigureObject) throws -> AxesObject {
        if let a = currentAxesByFigure[ObjectIdentifier(f)] { return a }
        if let a = f.axesObjects.last { return a }
        return addAxes(f, rows: 1, cols: 1, index: 0)
    }

    func gca() throws -> AxesObject { try currentAxes(of: currentFigure()) }

    @discardableResult
    func addAxes(_ f: FigureObject, rows: Int, cols: Int, index: Int) -> AxesObject {
        let ax = Axes(rows: rows, cols: cols, index: index)
        ax.grid = (try? rc().grid) ?? false
        f.figure.axes.append(ax)
        let o = AxesObject(ax, figure: f)
        f.axesObjects.append(o)
        currentAxesByFigure[ObjectIdentifier(f)] = o
        return o
    }

    /// `subplot(2, 2, 3)`, `subplot(223)`: the axes at that place (made if missing).
    func subplot(_ f: FigureObject, _ a: BoundArgs) throws -> AxesObject {
        var rows = try a.int(0), cols = try a.int(1), index = try a.int(2)
        if rows >= 111 && rows <= 999 && cols == 1 && index == 1 {
            let n = rows; rows = n / 100; cols = (n / 10) % 10; index = n % 10
        }
        guard rows >= 1, cols >= 1, index >= 1, index <= rows * cols else {
            throw valueError("num must be an integer with 1 <= num <= \(max(rows * cols, 1)), not \(index)")
        }
        if let existing = f.axesObjects.first(where: { $0.axes.rows == rows && $0.axes.cols == cols && $0.axes.index == index - 1 }) {
            currentAxesByFigure[ObjectIdentifier(f)] = existing
            return existing
        }
        return addAxes(f, rows: rows, cols: cols, index: index - 1)
    }

    func close(_ f: FigureObject) {
        figures.removeAll { $0 === f }
        currentAxesByFigure[ObjectIdentifier(f)] = nil
        if current === f { current = figures.last }
    }
}

/// `import matplotlib.pyplot as plt`: the pyplot subset training code uses.
/// Figures are drawn by Render (cairo); files are written atomically; `show()`
/// draws on the terminal when the front end says it is one, and every figure
/// shown or saved is recorded for `run --out` / `--report`.
enum Pyplot {
    static let savefigParams: [Param] = [P("fname"), P("dpi", .none), P("format", .none), P("bbox_inches", .none),
                                         P("pad_inches", .none), P("facecolor", .none), P("transparent", .none)]

    static func g(_ d: Double) -> String { d == d.rounded() && Swift.abs(d) < 1e15 ? String(Int(d)) : String(d) }

    /// Each registry's pyplot state, for `finishCell` (weakly held: a registry goes with its interpreter).
    final class Entry { weak var registry: Registry?; let state: PyplotState; init(_ r: Registry, _ s: PyplotState) { registry = r; state = s } }
    nonisolated(unsafe) static var states: [Entry] = []

    static func showOpenFigures(_ interp: Interpreter) {
        states.removeAll { $0.registry == nil }
        guard let state = states.first(where: { $0.registry === interp.registry })?.state else { return }
        // A figure saved in the cell is already attached (with its path); the others are shown now.
        let open = state.figures.filter { !$0.figure.axes.isEmpty && !$0.saved }
        try? show(open, interp, terminal: false)
        for f in state.figures { state.close(f) }
    }

    static func install(_ r: Registry) {
        let state = PyplotState()
        states.removeAll { $0.registry == nil }
        states.append(Entry(r, state))
        r.register(path: "matplotlib.__version__", value: .str("3.9.0"))
        r.register(path: "matplotlib.rcParams", value: .dict(state.rcParams))
        r.register(path: "matplotlib.pyplot.rcParams", value: .dict(state.rcParams))
        r.register(path: "matplotlib.use", signature: Signature("use", [P("backend")], keywordOnly: [P("force", .bool(true))],
                                                              doc: "Accepted: figures are drawn by cairo whatever the backend.")) { _ in .none }
        r.register(path: "matplotlib.get_backend", signature: Signature("get_backend", [], doc: "The drawing backend.")) { _ in .str("agg") }
        func fn(_ name: String, _ params: [Param] = [], varargs: String? = nil, keywordOnly: [Param] = [], kwargs: String? = nil,
                doc: String, _ body: @escaping (BoundArgs) throws -> Value) {
            r.register(path: "matplotlib.pyplot.\(name)",
                       signature: Signature(name, params, varargs: varargs, keywordOnly: keywordOnly, kwargs: kwargs, doc: doc), body: body)
        }
        // The axes methods, on the current axes.
        let forwarded: [(String, String)] = [
            ("plot", "plot"), ("scatter", "scatter"), ("imshow", "imshow"), ("title", "set_title"), ("xlabel", "set_xlabel"),
            ("ylabel", "set_ylabel"), ("legend", "legend"), ("grid", "grid"), ("xscale", "set_xscale"), ("yscale", "set_yscale"),
            ("axis", "axis"), ("bar", "bar"), ("hist", "hist"), ("axhline", "axhline"), ("axvline", "axvline"), ("text", "text"),
        ]
        for (name, method) in forwarded {
            guard let m = AxesObject.methods[method] else { continue }
            let sig = Signature(name, m.signature.params, varargs: m.signature.varargs, keywordOnly: m.signature.keywordOnly,
                                kwargs: m.signature.kwargs, doc: m.signature.doc)
            r.register(path: "matplotlib.pyplot.\(name)", signature: sig) { a in try m.body(try state.gca(), a) }
        }
        for (name, method) in [("xlim", "set_xlim"), ("ylim", "set_ylim")] {
            guard let m = AxesObject.methods[method] else { continue }
            fn(name, [P("left", .none), P("right", .none)], doc: "Gets or sets the \(name.prefix(1))-axis view limits.") { a in
                let ax = try state.gca()
                if !a[0].isNone || !a[1].isNone { _ = try m.body(ax, a) }
                let l = name == "xlim" ? ax.axes.limits().x : ax.axes.limits().y
                return .tuple([.float(l.0), .float(l.1)])
            }
        }
        fn("xticks", [P("ticks", .none), P("labels", .none)], keywordOnly: [P("rotation", .none)],
           doc: "Gets or fixes the x ticks and labels of the current axes; rotation= turns the labels.") { a in
            try Plotting.ticks(try state.gca().axes, vertical: false, a)
        }
        fn("yticks", [P("ticks", .none), P("labels", .none)], keywordOnly: [P("rotation", .none)],
           doc: "Gets or fixes the y ticks and labels of the current axes; rotation= turns the labels.") { a in
            try Plotting.ticks(try state.gca().axes, vertical: true, a)
        }
        fn("colorbar", [P("mappable", .none)], keywordOnly: [P("ax", .none), P("label", .none)],
           doc: "A colorbar beside the axes of an image (the current one by default).") { a in
            try Plotting.colorbar(a, current: try state.gca())
        }
        fn("figure", [P("num", .none), P("figsize", .none), P("dpi", .none)], kwargs: "kwargs",
           doc: "Makes a new figure (figsize in inches, dpi dots an inch) or activates figure num.") { a in
            if case .int(let n) = a[0], let f = state.figures.first(where: { $0.figure.number == n }) { state.current = f; return .object(f) }
            return .object(try state.newFigure(num: try TV.optionalInt(a[0], "num", in: "figure"), figsize: try size(a[1]),
                                           dpi: try TV.optionalDouble(a[2], "dpi", in: "figure")))
        }
        fn("subplots", [P("nrows", .int(1)), P("ncols", .int(1))],
           keywordOnly: [P("sharex", .bool(false)), P("sharey", .bool(false)), P("squeeze", .bool(true)), P("figsize", .none), P("dpi", .none)],
           kwargs: "kwargs", doc: "Makes a figure and a grid of axes: fig, ax = subplots(); fig, axes = subplots(2, 3).") { a in
            let rows = try a.int(0), cols = try a.int(1)
            guard rows >= 1, cols >= 1 else { throw valueError("Number of rows must be a positive integer, not \(rows)") }
            let f = try state.newFigure(figsize: try size(a["figsize"]), dpi: try TV.optionalDouble(a["dpi"], "dpi", in: "subplots"))
            let axes = (0..<(rows * cols)).map { Value.object(state.addAxes(f, rows: rows, cols: cols, index: $0)) }
            state.currentAxesByFigure[ObjectIdentifier(f)] = f.axesObjects.first
            let squeeze = TV.bool(a["squeeze"])
            let grid: Value
            if squeeze && rows == 1 && cols == 1 { grid = axes[0] }
            else if squeeze && (rows == 1 || cols == 1) { grid = .object(AxesGrid(axes, shape: [rows * cols])) }
            else { grid = .object(AxesGrid(axes, shape: [rows, cols])) }
            return .tuple([.object(f), grid])
        }
        fn("subplot", [P("nrows", .int(1)), P("ncols", .int(1)), P("index", .int(1))], doc: "The axes at a place of an nrows×ncols grid: subplot(2, 2, 1) or subplot(221).") { a in
            .object(try state.subplot(try state.currentFigure(), a))
        }
        fn("gcf", doc: "The current figure.") { _ in .object(try state.currentFigure()) }
        fn("gca", doc: "The current axes.") { _ in .object(try state.gca()) }
        fn("tight_layout", keywordOnly: [P("pad", .float(1.08))], doc: "Fits the margins to the labels.") { _ in
            try state.currentFigure().figure.tight = true; return .none
        }
        fn("suptitle", [P("t")], doc: "A title above all the axes.") { a in try state.currentFigure().figure.suptitle = a.interpreter.str(a[0]); return .none }
        fn("savefig", savefigParams, doc: "Writes the current figure to a .png or .svg file.") { a in
            try savefig(try state.currentFigure(), a); return .none
        }
        fn("show", keywordOnly: [P("block", .none)], doc: "Shows the open figures (on the terminal, or in the notebook's outputs) and closes them.") { a in
            let open = state.figures
            try show(open, a.interpreter)
            for f in open { state.close(f) }
            return .none
        }
        fn("close", [P("fig", .none)], doc: "Closes the current figure, a given one, or 'all'.") { a in
            switch a[0] {
            case .none: if let f = state.current { state.close(f) }
            case .str(let s) where s == "all": for f in state.figures { state.close(f) }
            case .object(let o as FigureObject): state.close(o)
            case .int(let n): for f in state.figures where f.figure.number == n { state.close(f) }
            default: throw typeError("close(): argument must be a Figure, an int, 'all' or None, not \(a[0].typeName)")
            }
            return .none
        }
        fn("clf", doc: "Clears the current figure.") { _ in
            let f = try state.currentFigure()
            f.figure.axes = []; f.axesObjects = []; state.currentAxesByFigure[ObjectIdentifier(f)] = nil
            return .none
        }
        fn("get_fignums", doc: "Numbers of the open figures.") { _ in .list(ListBox(state.figures.map { .int($0.figure.number) })) }
        installGridHooks(r)
    }

    static func size(_ v: Value) throws -> (Double, Double)? {
        if v.isNone { return nil }
        let items: [Value]
        switch v {
        case .tuple(let t): items = t
        case .list(let l): items = l.items
        default: throw valueError("figure size must be a (width, height) pair in inches, not \(v.typeName)")
        }
        guard items.count == 2 else { throw valueError("figure size must be a (width, height) pair in inches") }
        let w = try Convert.double(items[0], what: "figsize", in: "figure"), h = try Convert.double(items[1], what: "figsize", in: "figure")
        guard w > 0, h > 0, w.isFinite, h.isFinite else { throw valueError("figure size must be positive finite not (\(g(w)), \(g(h)))") }
        return (w, h)
    }

    /// `savefig('loss.png')`, `'curve.svg'` (by extension or `format=`), atomically.
    static func savefig(_ f: FigureObject, _ a: BoundArgs) throws {
        let path = try Convert.string(a[0], what: "fname", in: "savefig")
        var format = (path as NSString).pathExtension.lowercased()
        if !a["format"].isNone { format = try Convert.string(a["format"], what: "format", in: "savefig").lowercased() }
        if format.isEmpty { format = "png" }
        let dpi = try TV.optionalDouble(a["dpi"], "dpi", in: "savefig")
        var tight = false
        switch a["bbox_inches"] {
        case .none: break
        case .str(let b) where b == "tight": tight = true
        default: throw valueError("savefig(): bbox_inches must be None or 'tight', not \(Printing.repr(a["bbox_inches"]))")
        }
        let pad = try TV.optionalDouble(a["pad_inches"], "pad_inches", in: "savefig") ?? 0.1
        if TV.bool(a["transparent"]) {
            throw LangError(.NotImplementedError, "savefig(): transparent=True is not supported; figures have a white background")
        }
        if !a["facecolor"].isNone, try PlotValues.color(a["facecolor"], in: "savefig") != RGBA(1, 1, 1) {
            throw LangError(.NotImplementedError, "savefig(): only a white facecolor is supported")
        }
        let png: Data
        do {
            switch format {
            case "png":
                png = try FigureRenderer.png(f.figure, dpi: dpi, tight: tight, padInches: pad)
                try FileIO.writeAtomically(png, path: path)
            case "svg":
                try FileIO.writeAtomically(try FigureRenderer.svg(f.figure, tight: tight, padInches: pad), path: path)
                png = ImageLog.shared.isRecording ? try FigureRenderer.png(f.figure, tight: tight, padInches: pad) : Data()
            default:
                throw valueError("Format '\(format)' is not supported (supported formats: png, svg)")
            }
        } catch let e as PlotError {
            throw valueError(e.description)
        }
        if ImageLog.shared.isRecording { ImageLog.shared.record(png: png, path: path) }
        f.saved = true
    }

    /// Each figure: as text on the terminal (when the front end says so), and
    /// as a PNG for the notebook's outputs.
    static func show(_ figures: [FigureObject], _ interp: Interpreter, terminal: Bool = true) throws {
        for f in figures {
            if terminal && interp.console.plotsInTerminal {
                let width = max(20, interp.console.columns ?? 80)
                interp.output(TerminalPlot.render(f.figure, width: width, color: interp.console.color) + "\n")
            }
            if ImageLog.shared.isRecording {
                do { ImageLog.shared.record(png: try FigureRenderer.png(f.figure), path: nil) } catch let e as PlotError {
                    throw valueError(e.description)
                }
            }
        }
    }

    /// `axes[0, 1]`, `axes[1]`, `len(axes)` on the grid `subplots` returns.
    static func installGridHooks(_ r: Registry) {
        let getItem = r.hooks.getItem, length = r.hooks.length
        r.hooks.getItem = { v, k in
            if case .object(let o) = v, let grid = o as? AxesGrid { return try grid.index(k) }
            return try getItem?(v, k)
        }
        r.hooks.length = { v in
            if case .object(let o) = v, let grid = o as? AxesGrid { return grid.shape[0] }
            return try length?(v)
        }
    }
}
