import Foundation
import TensorCore
import NN
import Render
import Formats

/// SPEC §7 from the language: `table`, `show`, `summary`, `shapes`,
/// `save_pgm`, `save_grid`, `feature_maps`, `load_pgm`. Tensorpad's own
/// names, so bare only (not under `torch.`). Text goes through the
/// interpreter's output; every image shown or written is also recorded as a
/// PNG in `ImageLog`, which `tensorpad run --out` attaches to the cell.
enum VisualBindings {
    static func install(_ r: Registry) {
        func fn(_ name: String, _ params: [Param], keywordOnly: [Param] = [], doc: String,
                body: @escaping (BoundArgs) throws -> Value) {
            r.register(path: name, signature: Signature(name, params, keywordOnly: keywordOnly, doc: doc), body: body)
        }

        fn("table", [P("t"), P("precision", .int(4))],
           doc: "Prints a 1-D or 2-D tensor as a table with row and column indices (3-D: one table per channel), as wide as the terminal.") { a in
            let t = try TV.tensor(a[0], "t", in: "table")
            let text = try Render.table(t, precision: try a.int(1), maxWidth: Terminal.tableWidth)
            a.interpreter.output(text + "\n")
            return .none
        }

        fn("show", [P("t")], keywordOnly: [P("width", .none), P("color", .none), P("height", .none)],
           doc: "Draws a 2-D map (each channel of a 3-D one, each image of a 4-D batch) as a grey heat map that fits the terminal; colour only on a terminal without NO_COLOR.") { a in
            let t = try TV.tensor(a[0], "t", in: "show")
            let width = try TV.optionalInt(a[1], "width", in: "show") ?? Terminal.columns
            guard width >= 1 else { throw valueError("show(): width must be positive, but got \(width)") }
            let color = a[2].isNone ? Terminal.wantsColor : TV.bool(a[2])
            let height = try TV.optionalInt(a[3], "height", in: "show") ?? Terminal.mapRows
            if let height, height < 1 { throw valueError("show(): height must be positive, but got \(height)") }
            let text = try Render.show(t, width: width, height: height, color: color)
            a.interpreter.output(text + "\n")
            if ImageLog.shared.isRecording, let png = try? heatMapPNG(t) { ImageLog.shared.record(png: png, path: nil) }
            return .none
        }

        fn("summary", [P("model"), P("input_size"), P("depth", .int(3))],
           doc: "Prints a torchinfo-style table: each layer's output shape and parameters, then totals and memory estimates.") { a in
            let m = try NNLayers.module(a[0], in: "summary")
            let size = try inputSize(a[1])
            do {
                a.interpreter.output(line(try Render.summary(m, inputSize: size, depth: try a.int(2))))
            } catch let e as SummaryError {
                a.interpreter.output(line(e.table))
                throw failure(e)
            }
            return .none
        }

        fn("shapes", [P("model"), P("x")],
           doc: "Runs x through each top-level layer and prints its class name and output shape.") { a in
            let m = try NNLayers.module(a[0], in: "shapes")
            let x = try TV.tensor(a[1], "x", in: "shapes")
            do {
                let text = try Render.shapes(m, x)
                if !text.isEmpty { a.interpreter.output(line(text)) }
            } catch let e as SummaryError {
                if !e.table.isEmpty { a.interpreter.output(line(e.table)) }
                throw failure(e)
            }
            return .none
        }

        fn("save_pgm", [P("t"), P("path"), P("normalize", .bool(true)), P("value_range", .none), P("scale", .int(1)), P("bits", .int(8))],
           doc: "Writes a 2-D or (1, H, W) tensor as a binary PGM (8 or 16 bits); returns the path.") { a in
            let fn = "save_pgm"
            let t = try TV.tensor(a[0], "t", in: fn)
            let path = try Convert.string(a[1], what: "path", in: fn)
            let range = try valueRange(a[3], in: fn)
            try Render.savePGM(t, path: path, normalize: TV.bool(a[2]), valueRange: range, scale: try a.int(4), bits: try a.int(5))
            recordPGM(path)
            return .str(path)
        }

        fn("save_grid", [P("t"), P("path"), P("nrow", .int(8)), P("padding", .int(2)), P("normalize", .bool(true)),
                         P("scale_each", .bool(false)), P("pad_value", .int(0)), P("scale", .int(1))],
           doc: "Tiles the 2-D maps of a (C, H, W) or (N, C, H, W) tensor, nrow a row, into an 8-bit PGM; returns the path.") { a in
            let fn = "save_grid"
            let t = try TV.tensor(a[0], "t", in: fn)
            let path = try Convert.string(a[1], what: "path", in: fn)
            try Render.saveGrid(t, path: path, nrow: try a.int(2), padding: try a.int(3), normalize: TV.bool(a[4]),
                                scaleEach: TV.bool(a[5]), padValue: try a.double(6), scale: try a.int(7))
            recordPGM(path)
            return .str(path)
        }

        fn("feature_maps", [P("model"), P("x"), P("dir")],
           doc: "Runs x through the model and writes one grid PGM per top-level layer into dir (NN_ClassName.pgm); returns the paths.") { a in
            let fn = "feature_maps"
            let m = try NNLayers.module(a[0], in: fn)
            let x = try TV.tensor(a[1], "x", in: fn)
            let dir = try Convert.string(a[2], what: "dir", in: fn)
            let paths = try Render.featureMaps(m, x, dir: dir)
            for p in paths { recordPGM(p) }
            return .list(ListBox(paths.map { .str($0) }))
        }

        fn("load_pgm", [P("path")], doc: "Reads a P2 or P5 PGM (8 or 16 bits) as a float tensor (1, H, W) in 0..1.") { a in
            .tensor(try PGM.read(path: try Convert.string(a[0], what: "path", in: "load_pgm")))
        }
    }

    /// `(1, 3, 32, 32)`, `[1, 3, 32, 32]`, `torch.Size(...)`, or torchinfo's
    /// list holding one such shape.
    static func inputSize(_ v: Value) throws -> [Int] {
        let fn = "summary"
        var items: [Value] = []
        if case .list(let l) = v { items = l.items } else if case .tuple(let t) = v { items = t }
        guard items.contains(where: isShape) else { return try TV.ints(v, "input_size", in: fn) }
        guard items.count == 1 else {
            throw typeError("summary(): models with several inputs are not supported; give one input_size such as (1, 3, 32, 32)")
        }
        return try TV.ints(items[0], "input_size", in: fn)
    }

    /// Text ending in exactly one newline, as print ends a line.
    static func line(_ s: String) -> String {
        var t = s
        while t.hasSuffix("\n") { t.removeLast() }
        return t + "\n"
    }

    static func isShape(_ v: Value) -> Bool {
        switch v { case .tuple, .list, .size: return true; default: return false }
    }

    /// The error a failed summary or shapes raises: the underlying kind
    /// (ShapeError for shapes that do not fit), with the layer and the fix.
    static func failure(_ e: SummaryError) -> Error {
        let inner = LangError.from(e.underlying)
        if inner.kind == .KeyboardInterrupt { return inner }
        return LangError(inner.kind, e.message)
    }

    /// `value_range=(low, high)` or None.
    static func valueRange(_ v: Value, in fn: String) throws -> (Double, Double)? {
        let items: [Value]
        switch v {
        case .none: return nil
        case .tuple(let t): items = t
        case .list(let l): items = l.items
        default: throw typeError("\(fn)(): argument 'value_range' must be a tuple (low, high), not \(v.typeName)")
        }
        guard items.count == 2 else {
            throw valueError("\(fn)(): value_range must have 2 numbers (low, high), but got \(items.count)")
        }
        return (try Convert.double(items[0], what: "value_range", in: fn), try Convert.double(items[1], what: "value_range", in: fn))
    }

    /// The map `show` drew, each channel scaled on its own, as a PNG
    /// enlarged so small maps stay visible in a notebook.
    static func heatMapPNG(_ t: Tensor) throws -> Data {
        let grid = try makeGrid(t, nrow: 8, padding: 2, normalize: true, scaleEach: true)
        let side = max(grid.width, grid.height)
        let img = try grid.scaled(max(1, min(8, 256 / max(side, 1))))
        return try ImageEncoder.png(width: img.width, height: img.height, pixels: img.pixels)
    }

    /// Records the PGM just written as a PNG. The file is read back, so the
    /// picture is exactly what was saved (a 16-bit file shown at 8 bits).
    static func recordPGM(_ path: String) {
        guard ImageLog.shared.isRecording, let t = try? PGM.read(path: path), t.rank == 3 else { return }
        let pixels = t.toFloats().map { v -> UInt8 in
            let x = (Double(v) * 255).rounded()
            return x.isNaN || x <= 0 ? 0 : x >= 255 ? 255 : UInt8(x)
        }
        if let png = try? ImageEncoder.png(width: t.shape[2], height: t.shape[1], pixels: pixels) {
            ImageLog.shared.record(png: png, path: path)
        }
    }
}
