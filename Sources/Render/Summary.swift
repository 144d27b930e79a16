import Foundation
import NN
import TensorCore

/// A summary whose forward pass failed: the rows up to the failing layer,
/// and a message naming that layer, the error, and a fix when one is clear.
public struct SummaryError: Error, CustomStringConvertible {
    /// The table of rows recorded before the failure (output `--` where none came).
    public let table: String
    /// `Linear: 1-8`, the failing layer's row title.
    public let layer: String
    /// The failing layer's dotted name in the model (`7`, `features.3`); empty for the model itself.
    public let path: String
    /// The error the layer raised (a `TensorError` keeps its kind).
    public let underlying: Error
    /// `use nn.Linear(512, 10)` and the like, when the input shape shows the fix.
    public let fix: String?

    public var message: String {
        let at = path.isEmpty ? layer : "\(layer) ('\(path)')"
        var s = "\(at) failed: \(underlying)"
        if let fix { s += "\n  " + fix }
        return s
    }

    public var description: String { table + "\n" + message }
}

/// torchinfo's `summary(model, input_size=...)` default table, with a
/// `Trainable` column: per row the layer (class: depth-index, tree-drawn),
/// output shape, parameter count and whether those are trainable; then
/// the totals, mult-adds and memory estimates. The model runs once on zeros
/// in eval mode with no grad; its training flags and buffers are restored.
public func summary(_ model: Module, inputSize: [Int], depth: Int = 3) throws -> String {
    guard !inputSize.isEmpty, inputSize.allSatisfy({ $0 > 0 }) else {
        throw TensorError.value("Input_data is invalid, or negative size found in input_data.")
    }
    let x = try Tensor.zeros(inputSize)
    let recorder = try SummaryRecorder(model: model)
    let table = SummaryTable(maxDepth: depth)
    do {
        _ = try QuietRun.run(model) {
            try ModuleObservers.with(recorder.observer) { try model.call([x]) }
        }
    } catch {
        let failing = recorder.open.last
        recorder.finish()
        throw SummaryError(table: table.render(recorder.rows, totals: nil),
                           layer: failing?.title ?? model.typeName,
                           path: failing.flatMap { r in model.namedModules().first { $0.1 === r.module }?.0 } ?? "",
                           underlying: error,
                           fix: failing.flatMap { r in r.module.flatMap { fixHint($0, input: r.inputShape) } })
    }
    recorder.finish()
    return table.render(recorder.rows, totals: SummaryTotals(model: model, rows: recorder.rows, inputElements: x.numel))
}

/// D2L's `for layer in net: X = layer(X); print(layer.__class__.__name__,
/// 'output shape:\t', X.shape)`: one line per call of a top-level child, in the
/// order the model's forward really calls them (the model itself when it has no
/// children). Runs without side effects, like `summary`. On a failure, throws a
/// `SummaryError` whose table holds the lines so far.
public func shapes(_ model: Module, _ x: Tensor) throws -> String {
    var lines: [String] = []
    let children = Set(model.children.map(ObjectIdentifier.init))
    var stack: [Module] = []
    var current: Module?
    var input: [Int] = x.shape
    let observer = ModuleObserver(before: { m, inputs in
        guard m !== model else { return }
        if stack.isEmpty && children.contains(ObjectIdentifier(m)) {
            current = m; input = inputs.first?.shape ?? []
        }
        stack.append(m)
    }, after: { m, _, outputs in
        guard m !== model else { return }
        stack.removeLast()
        if stack.isEmpty && children.contains(ObjectIdentifier(m)), let out = outputs.first {
            lines.append("\(m.typeName) output shape:\t \(Shape.torchSize(out.shape))")
            current = nil
        }
    })
    do {
        try QuietRun.run(model) {
            let outs = try ModuleObservers.with(observer) { try model.call([x]) }
            if children.isEmpty, let h = outs.first { lines.append("\(model.typeName) output shape:\t \(Shape.torchSize(h.shape))") }
        }
    } catch {
        let failing = current ?? model
        let index = model.children.firstIndex { $0 === failing }
        let name = index.map { model.childNames[$0] } ?? ""
        throw SummaryError(table: lines.joined(separator: "\n"), layer: failing.typeName, path: name,
                           underlying: error, fix: fixHint(failing, input: failing === model ? x.shape : input))
    }
    return lines.joined(separator: "\n")
}

/// The constructor call that would accept this input, for layers whose
/// input size is a constructor argument.
func fixHint(_ m: Module, input: [Int]?) -> String? {
    guard let input, !input.isEmpty else { return nil }
    if let l = m as? Linear, let last = input.last, last != l.inFeatures {
        let bias = l.parameter("bias") == nil ? ", bias=False" : ""
        return "it receives \(last) input features; use nn.Linear(\(last), \(l.outFeatures)\(bias))"
    }
    if let c = m as? ConvNd {
        let spatial = c.kernelSize.count
        guard input.count == spatial + 1 || input.count == spatial + 2 else { return nil }
        let channels = input[input.count - spatial - 1]
        guard channels != c.inChannels else { return nil }
        let rest = c.extraRepr().drop { $0 != "," }.dropFirst(2)
        return "it receives \(channels) input channels; use nn.\(c.typeName)(\(channels), \(rest))"
    }
    if let b = m as? BatchNormNd, input.count >= 2, input[1] != b.numFeatures {
        return "it receives \(input[1]) channels; use nn.\(b.typeName)(\(input[1]))"
    }
    return nil
}

/// The totals under the rows, computed as torchinfo's `ModelStatistics`
/// does, except that a parameter shared by several layers counts once.
struct SummaryTotals {
    var totalParams = 0, trainableParams = 0
    var macs = 0, outputBytes = 0, paramBytes = 0, inputBytes = 0

    init(model: Module, rows: [LayerRow], inputElements: Int) {
        for p in model.parameters() {
            totalParams += p.numel
            if p.requiresGrad { trainableParams += p.numel }
        }
        var seen = Set<ObjectIdentifier>()
        for row in rows where row.isLeaf {
            macs += row.macs
            if row.numParams > 0 { outputBytes += 2 * row.outputBytes }
            if row.isRecursive { continue }
            for p in row.params where seen.insert(ObjectIdentifier(p)).inserted {
                paramBytes += p.numel * p.dtype.itemSize
            }
        }
        // sys.getsizeof of a float32 storage: its bytes plus 64 of object header.
        inputBytes = inputElements * 4 + 64
    }
}

/// torchinfo's `FormattingOptions` for the columns Output Shape, Param #, Trainable.
struct SummaryTable {
    let maxDepth: Int
    let colWidth = 25
    let headers = ["Output Shape", "Param #", "Trainable"]

    func render(_ rows: [LayerRow], totals: SummaryTotals?) -> String {
        var nameWidth = 40
        let longest = rows.map { $0.title.unicodeScalars.count + $0.depth * 5 + 1 }.max() ?? 0
        if longest >= nameWidth { nameWidth = (longest + 4) / 5 * 5 }
        let divider = String(repeating: "=", count: headers.count * colWidth + nameWidth)

        func row(_ name: String, _ values: [String]) -> String {
            var line = pad(name, nameWidth) + " "
            for v in values { line += pad(v, colWidth) + " " }
            while line.last == " " { line.removeLast() }
            return line + "\n"
        }
        var s = divider + "\n" + row("Layer (type:depth-idx)", headers) + divider + "\n"
        for r in rows where r.depth <= maxDepth {
            let output = r.executed && !r.outputShape.isEmpty ? Shape.describe(r.outputShape) : "--"
            s += row(prefix(r.depth) + r.title, [output, paramText(r), trainable(r)])
        }
        s += divider + "\n"
        guard let t = totals else { return s }
        s += "Total params: \(grouped(t.totalParams))\n"
        s += "Trainable params: \(grouped(t.trainableParams))\n"
        s += "Non-trainable params: \(grouped(t.totalParams - t.trainableParams))\n"
        s += "Total mult-adds \(readable(t.macs))\n" + divider + "\n"
        let mb = { (b: Int) in String(format: "%.2f", Double(b) / 1e6) }
        s += "Input size (MB): \(mb(t.inputBytes))\n"
        s += "Forward/backward pass size (MB): \(mb(t.outputBytes))\n"
        s += "Params size (MB): \(mb(t.paramBytes))\n"
        s += "Estimated Total Size (MB): \(mb(t.inputBytes + t.outputBytes + t.paramBytes))\n"
        return s + divider
    }

    func prefix(_ depth: Int) -> String {
        if depth == 0 { return "" }
        if depth == 1 { return "├─" }
        return String(repeating: "│    ", count: depth - 1) + "└─"
    }

    func paramText(_ r: LayerRow) -> String {
        if r.numParams == 0 { return "--" }
        if r.isRecursive { return "(recursive)" }
        if r.depth == maxDepth || r.isLeaf {
            return r.trainableParams > 0 ? grouped(r.numParams) : "(\(grouped(r.numParams)))"
        }
        let left = r.leftoverParams()
        return left > 0 ? grouped(left) : "--"
    }

    func trainable(_ r: LayerRow) -> String {
        if r.numParams == 0 { return "--" }
        if r.trainableParams == 0 { return "False" }
        return r.trainableParams == r.numParams ? "True" : "Partial"
    }

    /// `(M): 0.42`, `(G): 1.82`: millions unless at least a billion (or a trillion).
    func readable(_ n: Int) -> String {
        let v = Double(n)
        let (unit, x) = v >= 1e12 ? ("T", v / 1e12) : v >= 1e9 ? ("G", v / 1e9) : ("M", v / 1e6)
        if x == x.rounded(), abs(x) < 1e15 { return "(\(unit)): \(grouped(Int(x)))" }
        let fixed = String(format: "%.2f", x)
        let parts = fixed.split(separator: ".")
        return "(\(unit)): \(grouped(Int(parts[0]) ?? 0)).\(parts.count > 1 ? parts[1] : "00")"
    }

    func pad(_ s: String, _ width: Int) -> String {
        let n = s.unicodeScalars.count
        return n >= width ? s : s + String(repeating: " ", count: width - n)
    }
}

/// `61,706`: Python's `f"{n:,}"`.
func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
        out.append(c)
    }
    return n < 0 ? "-" + out : out
}
