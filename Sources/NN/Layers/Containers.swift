import TensorCore

/// `nn.Sequential(*modules)`: children named "0", "1", ...; indexing,
/// slicing (keeping the original names, as PyTorch), `len`, iteration, `append`.
public final class Sequential: Module {
    public init(_ modules: [Module]) {
        super.init()
        for (i, m) in modules.enumerated() { registerChild(String(i), m) }
    }

    /// From (name, module) pairs, as `Sequential(OrderedDict(...))` and slices build it.
    public init(named: [(String, Module)]) {
        super.init()
        for (n, m) in named { registerChild(n, m) }
    }

    public var count: Int { childNames.count }

    public func module(at index: Int) throws -> Module {
        let n = count
        guard index >= -n && index < n else { throw TensorError.index("index \(index) is out of range") }
        let name = childNames[index < 0 ? index + n : index]
        guard let m = child(name) else { throw TensorError.index("index \(index) is out of range") }
        return m
    }

    /// `net[a:b:c]`: a Sequential of those children under their original names.
    public func slice(start: Int?, stop: Int?, step: Int?) throws -> Sequential {
        let idx = try pythonSliceIndices(count: count, start: start, stop: stop, step: step)
        return Sequential(named: idx.compactMap { i in child(childNames[i]).map { (childNames[i], $0) } })
    }

    public func append(_ m: Module) { registerChild(String(count), m) }

    public override func forward(_ input: Tensor) throws -> Tensor {
        let mods = children
        if Fusion.enabled { return try Fusion.sequential(input, mods) }
        var x = input
        for m in mods { x = try m(x) }
        return x
    }
}

/// `nn.ModuleList(modules=None)`: holds modules; no forward of its own.
public final class ModuleList: Module {
    public init(_ modules: [Module] = []) {
        super.init()
        for (i, m) in modules.enumerated() { registerChild(String(i), m) }
    }
    public var count: Int { childNames.count }
    public func module(at index: Int) throws -> Module {
        let n = count
        guard index >= -n && index < n else { throw TensorError.index("index \(index) is out of range") }
        guard let m = child(childNames[index < 0 ? index + n : index]) else { throw TensorError.index("index \(index) is out of range") }
        return m
    }
    public func slice(start: Int?, stop: Int?, step: Int?) throws -> ModuleList {
        let idx = try pythonSliceIndices(count: count, start: start, stop: stop, step: step)
        return ModuleList(idx.compactMap { child(childNames[$0]) })
    }
    public func append(_ m: Module) { registerChild(String(count), m) }
}

/// `Residual(body, shortcut=None, activation=None)` (Tensorpad's own):
/// `activation(body(x) + (shortcut(x) if shortcut else x))`.
public final class Residual: Module {
    public init(body: Module, shortcut: Module? = nil, activation: Module? = nil) {
        super.init()
        registerChild("body", body)
        if let shortcut { registerChild("shortcut", shortcut) }
        if let activation { registerChild("activation", activation) }
    }

    public var body: Module? { child("body") }
    public var shortcut: Module? { child("shortcut") }
    public var activation: Module? { child("activation") }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard let body else { return input }
        let y = try body(input)
        let s = try shortcut?(input) ?? input
        guard y.shape == s.shape else {
            throw TensorError.shape("Residual: body output \(Shape.torchSize(y.shape)) and shortcut output \(Shape.torchSize(s.shape)) differ; give the Residual a shortcut (e.g. a 1x1 Conv2d with the body's stride) that maps the input to \(Shape.torchSize(y.shape))")
        }
        if try Fusion.residualAdd(body: body, input: input, y, s, activation: activation) { return y }
        let sum = try Functional.add(y, s)
        return try activation?(sum) ?? sum
    }
}

/// Python's slice.indices(): the positions a slice selects from 0..<count.
public func pythonSliceIndices(count: Int, start: Int?, stop: Int?, step: Int?) throws -> [Int] {
    let st = step ?? 1
    guard st != 0 else { throw TensorError.value("slice step cannot be zero") }
    func clamp(_ v: Int?, _ def: Int, lo: Int, hi: Int) -> Int {
        guard var v else { return def }
        if v < 0 { v += count }
        return min(max(v, lo), hi)
    }
    var out: [Int] = []
    if st > 0 {
        var i = clamp(start, 0, lo: 0, hi: count)
        let e = clamp(stop, count, lo: 0, hi: count)
        while i < e { out.append(i); i += st }
    } else {
        var i = clamp(start, count - 1, lo: -1, hi: count - 1)
        let e = clamp(stop, -1, lo: -1, hi: count - 1)
        while i > e { out.append(i); i += st }
    }
    return out
}
