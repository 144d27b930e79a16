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
        if ModuleObservers.active.isEmpty { return try forward(input) }
        return try ModuleObservers.around(self, [input]) { [try forward(input)] }[0]
    }

    /// `m(*inputs, output_size=...)` for layers with several inputs or outputs.
    public func call(_ inputs: [Tensor], outputSize: [Int]? = nil) throws -> [Tensor] {
        if ModuleObservers.active.isEmpty { return try forward(inputs: inputs, outputSize: outputSize) }
        return try ModuleObservers.around(self, inputs) { try forward(inputs: inputs, outputSize: outputSize) }
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

    /// `named_parameters()`: dotted names, each tensor once (shared ones count once).
    public func namedParameters(prefix: String = "") -> [(String, Tensor)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(String, Tensor)] = []
        collect(prefix: prefix, seen: &seen, into: &out, buffers: false)
        return out
    }

    /// `named_buffers()`.
    public func namedBuffers(prefix: String = "") -> [(String, Tensor)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(String, Tensor)] = []
        collect(prefix: prefix, seen: &seen, into: &out, buffers: true)
        return out
    }

    private func collect(prefix: String, seen: inout Set<ObjectIdentifier>, into out: inout [(String, Tensor)], buffers: Bool) {
        let names = buffers ? bufferNames : parameterNames
        for n in names {
            guard let t = buffers ? buffer(n) : parameter(n) else { continue }
            if seen.insert(ObjectIdentifier(t)).inserted { out.append((prefix + n, t)) }
        }
        for c in childNames {
            childTable[c]?.collect(prefix: prefix + c + ".", seen: &seen, into: &out, buffers: buffers)
        }
    }

    public func parameters() -> [Tensor] { namedParameters().map { $0.1 } }

    /// `state_dict()`: parameters then buffers per module, in PyTorch's order.
    public func stateDict(prefix: String = "") -> [(String, Tensor)] {
        var out: [(String, Tensor)] = []
        for n in parameterNames { if let t = parameter(n) { out.append((prefix + n, t)) } }
        for n in bufferNames { if let t = buffer(n) { out.append((prefix + n, t)) } }
        for c in childNames { out += childTable[c]?.stateDict(prefix: prefix + c + ".") ?? [] }
        return out
    }

    /// Direct children in order (`children()`).
    public var children: [Module] { childNames.compactMap { childTable[$0] } }

    /// `named_modules()`: this module and every descendant with dotted names.
    public func namedModules(prefix: String = "") -> [(String, Module)] {
        var out: [(String, Module)] = [(prefix, self)]
        for c in childNames {
            guard let m = childTable[c] else { continue }
            out += m.namedModules(prefix: prefix.isEmpty ? c : prefix + "." + c)
        }
        return out
    }

    /// `train(mode)` / `eval()`: sets the flag on this module and all descendants.
    @discardableResult
    public func train(_ mode: Bool = true) -> Module {
        training = mode
        for c in children { c.train(mode) }
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

    /// PyTorch's `Module.__repr__`.
    open var repr: String {
        let extra = extraRepr()
        var lines: [String] = []
        if !extra.isEmpty { lines += extra.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        for c in childNames {
            guard let m = childTable[c] else { continue }
            lines.append("(\(c)): " + addIndent(m.repr, 2))
        }
        var s = typeName + "("
        if !lines.isEmpty {
            if lines.count == 1 && childNames.isEmpty { s += lines[0] }
            else { s += "\n  " + lines.joined(separator: "\n  ") + "\n" }
        }
        return s + ")"
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
