import NN
import TensorCore

/// One row of a summary: torchinfo's `LayerInfo`. Rows made while walking
/// the module tree (before the run) stand for containers that are never
/// called themselves; rows made when a module is called carry its output.
final class LayerRow {
    let module: Module?
    let className: String
    let depth: Int
    /// The structural parent's tree-walk row (torchinfo's `parent_info`).
    let parent: LayerRow?
    let isLeaf: Bool
    var depthIndex: Int?
    /// Every row after this one that is deeper, up to the next row at this depth or above.
    var children: [LayerRow] = []
    var executed = false
    var isRecursive = false
    var numParams = 0, trainableParams = 0
    var params: [Tensor] = []
    var inputShape: [Int]?
    var outputShape: [Int] = []
    var outputBytes = 0
    var macs = 0

    init(module: Module?, className: String, depth: Int, parent: LayerRow?) {
        self.module = module; self.className = className
        self.depth = depth; self.parent = parent
        self.isLeaf = module?.children.isEmpty ?? true
    }

    var key: ObjectIdentifier? { module.map(ObjectIdentifier.init) }

    /// `Conv2d: 1-3`; the model itself has no depth suffix.
    var title: String {
        guard depth > 0 else { return className }
        return "\(className): \(depth)" + (depthIndex.map { "-\($0)" } ?? "")
    }

    func calculateParams() {
        params = module?.parameters() ?? []
        numParams = params.reduce(0) { $0 + $1.numel }
        trainableParams = params.filter { $0.requiresGrad }.reduce(0) { $0 + $1.numel }
    }

    /// torchinfo's `calculate_macs`, except that a ConvTranspose's weight
    /// counts once per input position (it is applied at each input pixel).
    func calculateMacs(input: [Int]?) {
        guard let module else { return }
        func prod<C: Collection>(_ c: C) -> Int where C.Element == Int { c.reduce(1, *) }
        let out = outputShape
        let batchAndSpatial = prod(out.prefix(1)) * prod(out.dropFirst(2))
        for (name, p) in module.namedParameters() {
            if name == "weight" || name == "bias" {
                if className.contains("Conv") {
                    if module is ConvTranspose2d, name == "weight", let input {
                        macs += p.numel * prod(input.prefix(1)) * prod(input.dropFirst(2))
                    } else {
                        macs += p.numel * batchAndSpatial
                    }
                } else {
                    macs += (out.first ?? 1) * p.numel
                }
            } else if name.contains("weight") || name.contains("bias") {
                macs += prod(out.prefix(2)) * p.numel
            }
        }
    }

    /// Parameters of this row not shown on its descendants' rows.
    func leftoverParams() -> Int {
        numParams - children.filter { !$0.isRecursive }.reduce(0) { $0 + ($1.isLeaf ? $1.numParams : $1.leftoverParams()) }
    }
}

/// Collects rows during one forward pass, as torchinfo's hooks do: a row per
/// module call in call order, at the module's depth in the module tree; a
/// module called again is marked recursive. A `Residual`'s addition gets a
/// row of its own, `(add)`, placed after the body and shortcut.
final class SummaryRecorder {
    private(set) var rows: [LayerRow] = []
    private var layerIds = Set<ObjectIdentifier>()
    private var treeRows: [ObjectIdentifier: LayerRow] = [:]
    /// Rows whose module has been called and has not returned yet, innermost last.
    private(set) var open: [LayerRow] = []
    private var addShown = Set<ObjectIdentifier>()

    init(model: Module) throws {
        var stack: [(Module, Int, LayerRow?)] = [(model, 0, nil)]
        var visits = 0
        while let (m, depth, parent) = stack.popLast() {
            visits += 1
            // A module inside itself, or nesting deeper than a forward could run (Module.enter).
            if depth > Module.recursionLimit { throw TensorError.recursion("maximum recursion depth exceeded") }
            guard visits <= 1_000_000 else {
                throw TensorError.value("summary: the module tree is too large or contains a cycle")
            }
            let row = LayerRow(module: m, className: m.typeName, depth: depth, parent: parent)
            treeRows[ObjectIdentifier(m)] = row
            for name in m.childNames.reversed() {
                if let c = m.child(name) { stack.append((c, depth + 1, row)) }
            }
        }
    }

    var observer: ModuleObserver {
        ModuleObserver(before: { [unowned self] m, inputs in self.before(m, inputs) },
                       after: { [unowned self] m, inputs, outputs in self.after(m, inputs, outputs) })
    }

    private func before(_ m: Module, _ inputs: [Tensor]) {
        let id = ObjectIdentifier(m)
        guard let tree = treeRows[id] else { return }
        if let caller = open.last, let r = caller.module as? Residual, r.activation === m {
            showAdd(for: caller, shape: QuietRun.shape(inputs))
        }
        let row = LayerRow(module: m, className: tree.className, depth: tree.depth, parent: tree.parent)
        row.calculateParams()
        row.isRecursive = layerIds.contains(id)
        row.inputShape = inputs.first?.shape
        rows.append(row)
        layerIds.insert(id)
        open.append(row)
    }

    private func after(_ m: Module, _ inputs: [Tensor], _ outputs: [Tensor]) {
        guard let i = open.lastIndex(where: { $0.module === m }) else { return }
        let row = open[i]
        if let r = m as? Residual, r.body != nil, r.activation == nil {
            showAdd(for: row, shape: QuietRun.shape(outputs))
        }
        open.removeSubrange(i...)
        row.outputShape = QuietRun.shape(outputs)
        row.outputBytes = (outputs.first?.dtype.itemSize ?? 0) * row.outputShape.reduce(1, *)
        row.executed = true
        row.calculateMacs(input: inputs.first?.shape)
    }

    private func showAdd(for residual: LayerRow, shape: [Int]) {
        guard let m = residual.module, addShown.insert(ObjectIdentifier(residual)).inserted else { return }
        let tree = treeRows[ObjectIdentifier(m)]
        let row = LayerRow(module: nil, className: "(add)", depth: residual.depth + 1, parent: tree)
        row.outputShape = shape
        row.outputBytes = 4 * shape.reduce(1, *)
        row.executed = true
        rows.append(row)
    }

    /// torchinfo's `add_missing_container_layers` then `set_children_layers`:
    /// containers never called themselves (a ModuleList, say) get a row
    /// above their first called descendant; then depth indices and children.
    func finish() {
        var ids = Set(rows.compactMap { $0.key })
        var current: [Int: LayerRow] = [:]
        var idx = 0
        while idx < rows.count {
            let info = rows[idx]
            var rel = 0
            var hierarchy: [Int: LayerRow] = [:]
            var p = info.parent
            while let q = p, q.depth > 0 { hierarchy[q.depth] = q; p = q.parent }
            if info.depth > 1 {
                for d in 1..<info.depth {
                    guard let h = hierarchy[d] else { continue }
                    let missing = current[d].map { $0.module !== h.module } ?? true
                    let prevIndex = idx + rel - 1
                    if missing && (prevIndex < 0 || h !== rows[prevIndex]) {
                        h.calculateParams()
                        if let k = h.key, ids.contains(k) { h.isRecursive = true }
                        rows.insert(h, at: idx + rel)
                        if let k = h.key { ids.insert(k) }
                        current[d] = h
                        rel += 1
                    }
                }
            }
            current[info.depth] = info
            var d = info.depth + 1
            while current.removeValue(forKey: d) != nil { d += 1 }
            idx += 1
        }
        var counters: [Int: Int] = [:]
        for (i, row) in rows.enumerated() {
            counters[row.depth, default: 0] += 1
            row.depthIndex = counters[row.depth]
            var j = i + 1
            while j < rows.count, rows[j].depth > row.depth { j += 1 }
            row.children = Array(rows[(i + 1)..<j])
        }
    }
}
