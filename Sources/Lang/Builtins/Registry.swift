import Syntax

/// A builtin callable: its signature, declared once, and its body.
public final class Builtin {
    /// Full path, `torch.nn.functional.relu`; the bare name for Python builtins.
    public let path: String
    public let signature: Signature
    let body: (BoundArgs) throws -> Value
    /// For `int`, `float`, `list`, ...: the type it constructs (`<class 'int'>`).
    public let typeName: String?

    public init(path: String, signature: Signature, typeName: String? = nil,
                body: @escaping (BoundArgs) throws -> Value) {
        self.path = path; self.signature = signature; self.typeName = typeName; self.body = body
    }

    public var name: String { signature.name }
}

/// Hooks through which host values (`.tensor`, `.module`, `.object`, `.size`)
/// take part in operators, attributes, subscripts, iteration and printing.
/// Each returns nil for "not mine", and the interpreter then reports the
/// usual TypeError/AttributeError.
public final class HostHooks {
    /// `a op b` where either side is a host value.
    public var binary: ((BinaryOp, Value, Value) throws -> Value?)?
    /// `a op= b` on a host value (in place for tensors); nil falls back to `binary`.
    public var inplace: ((BinaryOp, Value, Value) throws -> Value?)?
    /// `-x`, `+x`, `~x`, `not x` on a host value.
    public var unary: ((UnaryOp, Value) throws -> Value?)?
    /// `a < b`, `a == b` (element-wise for tensors) where either side is a host value.
    public var compare: ((CompareOp, Value, Value) throws -> Value?)?
    public var getAttribute: ((Value, String) throws -> Value?)?
    /// Returns false when the attribute cannot be set.
    public var setAttribute: ((Value, String, Value) throws -> Bool)?
    public var getItem: ((Value, Value) throws -> Value?)?
    public var setItem: ((Value, Value, Value) throws -> Bool)?
    public var deleteItem: ((Value, Value) throws -> Bool)?
    /// Calling a host value (a module `m(x)`).
    public var call: ((Value, Arguments) throws -> Value?)?
    /// The values `for x in v` yields.
    public var iterate: ((Value) throws -> [Value]?)?
    public var length: ((Value) throws -> Int?)?
    /// `bool(v)` / `if v:`.
    public var truth: ((Value) throws -> Bool?)?
    /// `float(v)`, `int(v)` conversions.
    public var toDouble: ((Value) throws -> Double?)?
    public var repr: ((Value) -> String?)?
    public var str: ((Value) -> String?)?
    /// A class instance's `__repr__` (false) or `__str__` (true), set by the interpreter.
    public var instanceText: ((Value, Bool) -> String?)?
    /// `with v:` entry and exit.
    public var enter: ((Value) throws -> Value?)?
    public var exit: ((Value) throws -> Void)?
    public init() {}
}

/// The table of builtins: bare names, namespaces (`torch`, `nn`, `F`,
/// `math`, ...), methods of value types, and the host hooks. It serves the
/// call checker, `help()` and Tab completion from one declaration each.
public final class Registry {
    /// Names callable bare: `print`, `zeros`, `Conv2d`, ...
    public private(set) var globals: [String: Value] = [:]
    /// Top-level namespaces by name: `torch`, `math`, `time`.
    public private(set) var roots: [String: Namespace] = [:]
    /// Methods of value types by type name (`list`, `str`, `Tensor`, ...).
    public private(set) var methods: [String: [String: Builtin]] = [:]
    public let hooks = HostHooks()
    /// Names always bound in a session (SPEC §4): `torch`, `nn`, `F`, `optim`.
    public var preludeNames: [String: String] = [
        "torch": "torch", "nn": "torch.nn", "F": "torch.nn.functional", "optim": "torch.optim",
    ]
    /// The bare names registered as themselves (`print`, `show`, `ValueError`), not as
    /// aliases of a dotted path (`zeros` for `torch.zeros`): what a Python user has as
    /// builtins, and so the candidates of NameError's "Did you mean".
    public private(set) var ownNames: Set<String> = []

    /// Installers run by `Registry()`; bindings of other modules append theirs.
    nonisolated(unsafe) public static var defaultInstallers: [(Registry) -> Void] = [
        installPythonBuiltins, installMethods, installMathAndTime, installExceptions, TorchBindings.install, installHelp,
        RandomModule.install,
        installReflection, installStringMethods, NumpyBindings.install, installOS, installStdlibData, installSets, installDictViews, installOpen,
    ]

    public init(installers: [(Registry) -> Void] = Registry.defaultInstallers) {
        for path in ["torch", "torch.nn", "torch.nn.functional", "torch.nn.init", "torch.optim"] {
            _ = namespace(path)
        }
        for install in installers { install(self) }
    }

    /// The namespace at a dotted path, created (with its parents) if missing.
    @discardableResult
    public func namespace(_ path: String) -> Namespace {
        let parts = path.split(separator: ".").map(String.init)
        guard let first = parts.first else { return Namespace(path: "") }
        var ns = roots[first] ?? Namespace(path: first)
        roots[first] = ns
        var p = first
        for name in parts.dropFirst() {
            p += "." + name
            if case .namespace(let child)? = ns[name] { ns = child; continue }
            let child = Namespace(path: p)
            ns.set(name, .namespace(child))
            ns = child
        }
        return ns
    }

    /// Registers a builtin function under a dotted path (`torch.zeros`,
    /// `torch.nn.functional.relu`, or bare `print`) and bare aliases.
    @discardableResult
    public func register(path: String, aliases: [String] = [], signature: Signature,
                         typeName: String? = nil, body: @escaping (BoundArgs) throws -> Value) -> Builtin {
        let b = Builtin(path: path, signature: signature, typeName: typeName, body: body)
        register(path: path, aliases: aliases, value: .builtin(b))
        return b
    }

    /// Registers any value (a constant such as `math.pi`, a class object).
    public func register(path: String, aliases: [String] = [], value: Value) {
        if let dot = path.lastIndex(of: ".") {
            namespace(String(path[..<dot])).set(String(path[path.index(after: dot)...]), value)
        } else {
            globals[path] = value
            ownNames.insert(path)
        }
        for a in aliases { globals[a] = value }
    }

    /// Registers a method of a value type: `registerMethod(type: "list", ...)`
    /// with the receiver as the first parameter (`self`).
    public func registerMethod(type: String, signature: Signature, body: @escaping (BoundArgs) throws -> Value) {
        methods[type, default: [:]][signature.name] =
            Builtin(path: "\(type).\(signature.name)", signature: signature, body: body)
    }

    /// The value at a dotted path: `torch.nn.Conv2d`, `print`.
    public func lookup(_ path: String) -> Value? {
        let parts = path.split(separator: ".").map(String.init)
        guard let first = parts.first else { return nil }
        if parts.count == 1, let g = globals[first] { return g }
        guard var ns = roots[first] else { return nil }
        for (i, name) in parts.dropFirst().enumerated() {
            guard let v = ns[name] else { return nil }
            if i == parts.count - 2 { return v }
            guard case .namespace(let child) = v else { return nil }
            ns = child
        }
        return .namespace(ns)
    }

    /// Every registered builtin with its full path, for help() and completion.
    public func allBuiltins() -> [Builtin] {
        var out: [Builtin] = []
        var seen = Set<ObjectIdentifier>()
        func add(_ v: Value) {
            if case .builtin(let b) = v, seen.insert(ObjectIdentifier(b)).inserted { out.append(b) }
        }
        globals.keys.sorted().forEach { if let v = globals[$0] { add(v) } }
        func walk(_ ns: Namespace) {
            for n in ns.names {
                guard let v = ns[n] else { continue }
                if case .namespace(let c) = v { walk(c) } else { add(v) }
            }
        }
        roots.keys.sorted().forEach { if let r = roots[$0] { walk(r) } }
        return out
    }
}
