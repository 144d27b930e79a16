import TensorCore

/// The base of every layer: named parameters, buffers and children in
/// registration order, a training flag, a forward pass, and PyTorch's repr.
/// Layers are thin holders of parameters; their maths is in `Functional`.
open class Module {
    public private(set) var parameterNames: [String] = []
    public private(set) var parameterTable: [String: Tensor?] = [:]
    public private(set) var bufferNames: [String] = []
    public private(set) var bufferTable: [String: Tensor?] = [:]
    public private(set) var childNames: [String] = []
    public private(set) var childTable: [String: Module] = [:]
    public private(set) var training: Bool = true

    public init() {}

    /// A chain of modules nested a million deep (`m = nn.Sequential(m)` in a loop) would
    /// be freed one stack frame per level and overflow the stack. Children this module
    /// held alone are emptied through a worklist instead, so every release stays shallow.
    deinit {
        guard !childTable.isEmpty else { return }
        var pending = Array(childTable.values)
        childTable = [:]
        while var m = pending.popLast() {
            guard isKnownUniquelyReferenced(&m), !m.childTable.isEmpty else { continue }
            pending.append(contentsOf: m.childTable.values)
            m.childTable = [:]
        }
    }

    /// The class name PyTorch shows (`Conv2d`); script classes override it.
    open var typeName: String { String(describing: type(of: self)) }

    /// The part of the repr inside the parentheses for leaf modules.
    open func extraRepr() -> String { "" }

    /// The forward pass for one tensor.
    open func forward(_ input: Tensor) throws -> Tensor {
        throw TensorError.type("Module [\(typeName)] is missing the required \"forward\" function")
    }

    /// The forward pass for layers that take several tensors or return
    /// several (`MaxPool2d(return_indices=True)`, `MaxUnpool2d`). One in, one out by default.
    open func forward(inputs: [Tensor], outputSize: [Int]? = nil) throws -> [Tensor] {
        guard inputs.count == 1 else {
            throw TensorError.type("\(typeName).forward() takes 2 positional arguments but \(inputs.count + 1) were given")
        }
        return [try forward(inputs[0])]
    }

    /// `m(x)`: runs `forward` between the observers' pre and post calls
    /// (summaries and feature maps watch every layer this way). Containers
    /// call their children through here, never through `forward` directly.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try Module.enter()
        defer { Module.callDepth -= 1 }
        if ModuleObservers.active.isEmpty { return try forward(input) }
        return try ModuleObservers.around(self, [input]) { [try forward(input)] }[0]
    }

    /// Nested module calls (a container that contains itself recurses forever):
    /// RecursionError past the recursion limit, as PyTorch's Python recursion ends.
    nonisolated(unsafe) public static var recursionLimit = 1000
    nonisolated(unsafe) static var callDepth = 0

    static func enter() throws {
        callDepth += 1
        if callDepth > recursionLimit || StackGuard.exhausted {
            callDepth -= 1
            throw TensorError.recursion("maximum recursion depth exceeded while calling a Python object")
        }
    }

    /// `m(*inputs, output_size=...)` for layers with several inputs or outputs.
    public func call(_ inputs: [Tensor], outputSize: [Int]? = nil) throws -> [Tensor] {
        try Module.enter()
        defer { Module.callDepth -= 1 }
        if ModuleObservers.active.isEmpty { return try forward(inputs: inputs, outputSize: outputSize) }
        return try ModuleObservers.around(self, inputs) { try forward(inputs: inputs, outputSize: outputSize) }
    }

    /// A call whose arguments are not all tensors (`lstm(x, (h, c))`, `mha(q, k, v, attn_mask=m)`):
    /// `body` runs the layer between the observers' calls, which see `inputs` and its result.
    public func observed(_ inputs: [Tensor], _ body: () throws -> [Tensor]) throws -> [Tensor] {
        try Module.enter()
        defer { Module.callDepth -= 1 }
        if ModuleObservers.active.isEmpty { return try body() }
        return try ModuleObservers.around(self, inputs, body)
    }

    // MARK: registration

    public func registerParameter(_ name: String, _ t: Tensor?) {
        if parameterTable[name] == nil { parameterNames.append(name) }
        t?.requiresGrad = true
        t?.isParameter = true
        parameterTable[name] = .some(t)
    }

    public func registerBuffer(_ name: String, _ t: Tensor?) {
        if bufferTable[name] == nil { bufferNames.append(name) }
        bufferTable[name] = .some(t)
    }

    public func registerChild(_ name: String, _ m: Module) {
        if childTable[name] == nil { childNames.append(name) }
        childTable[name] = m
    }

    public func removeChild(_ name: String) {
        childTable[name] = nil
        childNames.removeAll { $0 == name }
    }

    /// A parameter by name (nil when absent or None).
    public func parameter(_ name: String) -> Tensor? { parameterTable[name] ?? nil }
    public func buffer(_ name: String) -> Tensor? { bufferTable[name] ?? nil }
    public func child(_ name: String) -> Module? { childTable[name] }
    public func hasParameter(_ name: String) -> Bool { parameterTable[name] != nil }
    public func hasBuffer(_ name: String) -> Bool { bufferTable[name] != nil }

    /// `m.weight = t`: replaces a parameter, keeping its shape.
    public func assignParameter(_ name: String, _ t: Tensor?) throws {
        guard hasParameter(name) else { registerParameter(name, t); return }
        if let old = parameter(name), let t, old.shape != t.shape {
            throw TensorError.shape("cannot assign a tensor of shape \(Shape.torchSize(t.shape)) to parameter '\(name)' of shape \(Shape.torchSize(old.shape))")
        }
        if let t, t.dtype != .float32 {
            throw TensorError.type("cannot assign a \(t.dtype.torchName) tensor to parameter '\(name)' (expected torch.float32)")
        }
        registerParameter(name, t)
    }

    /// `m.running_mean = t` for buffers.
    public func assignBuffer(_ name: String, _ t: Tensor?) throws {
        if let old = buffer(name), let t, old.shape != t.shape {
            throw TensorError.shape("cannot assign a tensor of shape \(Shape.torchSize(t.shape)) to buffer '\(name)' of shape \(Shape.torchSize(old.shape))")
        }
        registerBuffer(name, t)
    }

    // MARK: traversal

    /// `named_parameters()`: dotted names, each tensor once (shared ones count once),
    /// each module once (a module that contains itself is walked once, as PyTorch's memo does).
    public func namedParameters(prefix: String = "") -> [(String, Tensor)] {
        collect(prefix: prefix, buffers: false)
    }

    /// `named_buffers()`.
    public func namedBuffers(prefix: String = "") -> [(String, Tensor)] {
        collect(prefix: prefix, buffers: true)
    }

    private func collect(prefix: String, buffers: Bool) -> [(String, Tensor)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(String, Tensor)] = []
        for (path, m) in namedModules(prefix: prefix) {
            let names = buffers ? m.bufferNames : m.parameterNames
            let dotted = path.isEmpty ? "" : path + "."
            for n in names {
                guard let t = buffers ? m.buffer(n) : m.parameter(n) else { continue }
                if seen.insert(ObjectIdentifier(t)).inserted { out.append((dotted + n, t)) }
            }
        }
        return out
    }

    public func parameters() -> [Tensor] { namedParameters().map { $0.1 } }

    /// `state_dict()`: parameters then buffers per module, in PyTorch's order
    /// (a module reached again through a cycle is not entered twice).
    public func stateDict(prefix: String = "") -> [(String, Tensor)] {
        var out: [(String, Tensor)] = []
        var path = Set<ObjectIdentifier>()
        var stack: [(Module, String, Bool)] = [(self, prefix, false)]   // (module, prefix, leaving)
        while let (m, p, leaving) = stack.popLast() {
            if leaving { path.remove(ObjectIdentifier(m)); continue }
            guard path.insert(ObjectIdentifier(m)).inserted else { continue }
            for n in m.parameterNames { if let t = m.parameter(n) { out.append((p + n, t)) } }
            for n in m.bufferNames { if let t = m.buffer(n) { out.append((p + n, t)) } }
            stack.append((m, p, true))
            for c in m.childNames.reversed() { if let k = m.childTable[c] { stack.append((k, p + c + ".", false)) } }
        }
        return out
    }

    /// Direct children in order (`children()`).
    public var children: [Module] { childNames.compactMap { childTable[$0] } }

    /// `named_modules()`: this module and every descendant with dotted names, each once
    /// (PyTorch's memo), depth first without recursion so any nesting depth is walked.
    public func namedModules(prefix: String = "") -> [(String, Module)] {
        var out: [(String, Module)] = []
        var seen = Set<ObjectIdentifier>()
        var stack: [(String, Module)] = [(prefix, self)]
        while let (name, m) = stack.popLast() {
            guard seen.insert(ObjectIdentifier(m)).inserted else { continue }
            out.append((name, m))
            for c in m.childNames.reversed() {
                guard let k = m.childTable[c] else { continue }
                stack.append((name.isEmpty ? c : name + "." + c, k))
            }
        }
        return out
    }

    /// `train(mode)` / `eval()`: sets the flag on this module and all descendants.
    @discardableResult
    public func train(_ mode: Bool = true) -> Module {
        for (_, m) in namedModules() { m.training = mode }
        return self
    }

    @discardableResult
    public func eval() -> Module { train(false) }

    /// `zero_grad()`: drops every parameter's gradient (PyTorch's set_to_none=True).
    public func zeroGrad() {
        for p in parameters() { p.grad = nil }
    }

    /// Number of parameter elements.
    public func parameterCount(trainableOnly: Bool = false) -> Int {
        parameters().filter { !trainableOnly || $0.requiresGrad }.reduce(0) { $0 + $1.numel }
    }

    // MARK: repr

    /// PyTorch's `Module.__repr__`, built in one pass (linear in its length at any depth;
    /// a module met again inside itself shows as `Name(...)`; the interpreter asks
    /// `nesting(depthLimit:)` first and raises RecursionError instead, as PyTorch does).
    open var repr: String {
        var out = "", path = Set<ObjectIdentifier>(), cyclic = false
        writeRepr(into: &out, indent: 0, path: &path, cyclic: &cyclic)
        return out
    }

    public enum Nesting { case fine, cycle, tooDeep }

    /// Whether the repr can be shown: PyTorch's repr recurses, so a module that contains
    /// itself, or is nested deeper than `depthLimit`, ends in RecursionError there.
    public func nesting(depthLimit: Int) -> Nesting {
        var stack: [(Module, Int)] = [(self, 1)], path: [ObjectIdentifier] = []
        var onPath = Set<ObjectIdentifier>()
        while let (m, d) = stack.popLast() {
            while path.count >= d { onPath.remove(path.removeLast()) }
            let id = ObjectIdentifier(m)
            if onPath.contains(id) { return .cycle }
            if d > depthLimit { return .tooDeep }
            path.append(id); onPath.insert(id)
            for c in m.childNames { if let k = m.childTable[c] { stack.append((k, d + 1)) } }
        }
        return .fine
    }

    func writeRepr(into out: inout String, indent: Int, path: inout Set<ObjectIdentifier>, cyclic: inout Bool) {
        let extra = extraRepr()
        let extraLines = extra.isEmpty ? [] : extra.split(separator: "\n", omittingEmptySubsequences: false)
        let kids = childNames.compactMap { n in childTable[n].map { (n, $0) } }
        out += typeName + "("
        if kids.isEmpty {
            if extraLines.count == 1 { out += extraLines[0] + ")"; return }
            if extraLines.isEmpty { out += ")"; return }
        }
        let pad = String(repeating: " ", count: indent + 2)
        for l in extraLines { out += "\n" + pad + l }
        let id = ObjectIdentifier(self)
        path.insert(id)
        for (n, m) in kids {
            out += "\n" + pad + "(" + n + "): "
            if path.contains(ObjectIdentifier(m)) || StackGuard.exhausted { cyclic = true; out += m.typeName + "(...)"; continue }
            m.writeRepr(into: &out, indent: indent + 2, path: &path, cyclic: &cyclic)
        }
        path.remove(id)
        out += "\n" + String(repeating: " ", count: indent) + ")"
    }
}

/// Watches module calls (PyTorch's forward hooks, kept to what summaries and
/// feature maps need). Observers are installed for one run and removed after.
public final class ModuleObserver {
    public let before: (Module, [Tensor]) -> Void
    public let after: (Module, [Tensor], [Tensor]) -> Void
    public init(before: @escaping (Module, [Tensor]) -> Void = { _, _ in },
                after: @escaping (Module, [Tensor], [Tensor]) -> Void) {
        self.before = before; self.after = after
    }
}

public enum ModuleObservers {
    nonisolated(unsafe) public private(set) static var active: [ModuleObserver] = []

    /// Runs body with the observer installed; removes it even when body throws.
    public static func with<T>(_ o: ModuleObserver, _ body: () throws -> T) rethrows -> T {
        active.append(o)
        defer { active.removeAll { $0 === o } }
        return try body()
    }

    static func around(_ m: Module, _ inputs: [Tensor], _ body: () throws -> [Tensor]) throws -> [Tensor] {
        for o in active { o.before(m, inputs) }
        let out = try body()
        for o in active { o.after(m, inputs, out) }
        return out
    }
}
