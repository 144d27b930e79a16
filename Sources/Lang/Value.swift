import Syntax
import TensorCore
import NN

/// A value of the language. Containers that Python shares by reference
/// (`list`, `dict`) are boxed in final classes; the rest are plain values.
public enum Value {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case str(String)
    case list(ListBox)
    case tuple([Value])
    case dict(DictBox)
    /// A user `def` (or `lambda`) with its closure.
    case function(Function)
    case builtin(Builtin)
    case boundMethod(BoundMethod)
    indirect case range(RangeValue)
    indirect case slice(SliceValue)
    case ellipsis
    case tensor(Tensor)
    /// `torch.Size`: a tuple of ints that prints `torch.Size([1, 3])`.
    case size([Int])
    /// `torch`, `nn`, `F`, `math`, ...: a tree of registry entries.
    case namespace(Namespace)
    case module(Module)
    /// Any other host object (exceptions, `no_grad()`, optimizers, ...).
    case object(HostObject)
    case classValue(ClassValue)
    case instance(Instance)
    case iterator(IteratorBox)
}

/// `list`: shared, mutable.
public final class ListBox {
    @exclusivity(unchecked) public var items: [Value]
    public init(_ items: [Value]) { self.items = items }
    deinit { Teardown.release(&items) }
}

/// A dictionary key: the hashable values, with Python's `1 == 1.0 == True`. Strings are
/// equal when their code points are (Python's rule, where Swift's `==` also equates
/// canonically equivalent strings) and hash their UTF-8 bytes directly (`HashKey+Hash.swift`).
public enum HashKey: Hashable {
    case none
    case int(Int)
    case float(Double)
    case str(String)
    case tuple([HashKey])
    case identity(ObjectIdentifier)

    public init?(_ v: Value) {
        switch v {
        case .none: self = .none
        case .bool(let b): self = .int(b ? 1 : 0)
        case .int(let i): self = .int(i)
        case .float(let d):
            if d == d.rounded(), Swift.abs(d) < 9.2e18 { self = .int(Int(d)) } else { self = .float(d) }
        case .str(let s): self = .str(s)
        case .tuple(let items):
            var keys: [HashKey] = []
            for i in items { guard let k = HashKey(i) else { return nil }; keys.append(k) }
            self = .tuple(keys)
        case .size(let dims): self = .tuple(dims.map { .int($0) })
        case .function(let f): self = .identity(ObjectIdentifier(f))
        case .builtin(let b): self = .identity(ObjectIdentifier(b))
        case .tensor(let t): self = .identity(ObjectIdentifier(t))
        case .module(let m): self = .identity(ObjectIdentifier(m))
        case .object(let o): self = .identity(ObjectIdentifier(o))
        case .instance(let o): self = .identity(ObjectIdentifier(o))
        case .classValue(let c): self = .identity(ObjectIdentifier(c))
        case .namespace(let n): self = .identity(ObjectIdentifier(n))
        default: return nil
        }
    }
}

extension UInt {
    var clampedInt: Int { self > UInt(Int.max) ? Int.max : Int(self) }
}

public struct RangeValue: Equatable {
    public var start, stop, step: Int
    /// The number of values (saturating for ranges wider than Int).
    public var count: Int {
        if step > 0 {
            guard start < stop else { return 0 }
            let (span, o) = stop.subtractingReportingOverflow(start)
            return o ? Int.max : (span - 1) / step + 1
        }
        guard start > stop else { return 0 }
        let (span, o) = start.subtractingReportingOverflow(stop)
        return o ? Int.max : (span - 1) / step.magnitude.clampedInt + 1
    }
    public func at(_ i: Int) -> Int { start + i * step }

    /// Each value in order (a range reaching past Int's ends stops there).
    @inline(__always) func forEach(_ body: (Int) throws -> Void) rethrows {
        var i = start
        while step > 0 ? i < stop : i > stop {
            try body(i)
            let (next, o) = i.addingReportingOverflow(step)
            if o { break }
            i = next
        }
    }
}

public struct SliceValue {
    public var start: Value, stop: Value, step: Value
}

/// A user function: compiled body, parameters and the frame it closes over.
public final class Function {
    public let name: String
    let signature: Signature
    /// Parameter slots, then locals.
    let frameSize: Int
    let body: (Frame) throws -> Flow
    let closure: Frame?
    /// Set for methods once their class is built (for `super()`).
    var ownerClass: ClassValue?
    /// The typed tier's compiled forms, for a body in its subset (`Typed/TypedFunction.swift`).
    var typed: TypedFunction?
    /// `typed`'s serial (0 without): read by typed calls to check the function they call.
    var typedSerial = 0
    /// A key function's body read as a plan of item picks, for `sorted`/`list.sort`
    /// (`Builtins/SortKeyPlan.swift`); nil for other bodies.
    var sortKey: SortKeyPlan?
    let isLambda: Bool
    /// The number of parameters when a call with that many positional arguments binds them
    /// in order (no *args, **kwargs or keyword-only parameters); −1 otherwise.
    let plainArity: Int
    /// Frames of finished calls that nothing kept (no closure captured them), at most
    /// `maxSpares`: a call runs in one instead of allocating (`takeFrame`,
    /// `Interpreter.finish`). Recursion returns frames at every level. A stack in a buffer
    /// of its own (made on the first spare), elements `0..<spareCount` initialized: taking
    /// a frame moves it out and keeping one moves it in. (A list linked through the frames
    /// retained and released three references per call; a `ContiguousArray` called the
    /// runtime's uniqueness checks.)
    private var spareBuffer: UnsafeMutablePointer<Frame>?
    private var spareCount = 0
    static let maxSpares = 8

    init(name: String, signature: Signature, frameSize: Int,
         body: @escaping (Frame) throws -> Flow, closure: Frame?, isLambda: Bool = false) {
        self.name = name; self.signature = signature; self.frameSize = frameSize
        self.body = body; self.closure = closure; self.isLambda = isLambda
        let plain = signature.varargs == nil && signature.kwargs == nil && signature.keywordOnly.isEmpty
            && signature.params.count <= frameSize
        plainArity = plain ? signature.params.count : -1
    }

    deinit {
        if let p = spareBuffer {
            p.deinitialize(count: spareCount)
            p.deallocate()
        }
    }

    /// Keeps a finished call's emptied frame for the next call, up to `maxSpares`.
    @inline(__always) func keepSpare(_ frame: Frame) {
        guard spareCount < Function.maxSpares else { return }
        let p: UnsafeMutablePointer<Frame>
        if let b = spareBuffer { p = b } else {
            p = .allocate(capacity: Function.maxSpares)
            spareBuffer = p
        }
        (p + spareCount).initialize(to: frame)
        spareCount += 1
    }

    /// An empty frame for a call: a spare one if there is one, else a new one.
    @inline(__always) func takeFrame() -> Frame {
        if spareCount > 0, let p = spareBuffer {
            spareCount -= 1
            return (p + spareCount).move()
        }
        return Frame.make(count: frameSize, parent: closure)
    }
}

public final class BoundMethod {
    public let receiver: Value
    public let function: Value
    public init(receiver: Value, function: Value) { self.receiver = receiver; self.function = function }
}

/// A namespace such as `torch.nn`: named members, in registration order.
public final class Namespace {
    public let path: String
    public private(set) var names: [String] = []
    public private(set) var members: [String: Value] = [:]
    public init(path: String) { self.path = path }
    public func set(_ name: String, _ v: Value) {
        if members[name] == nil { names.append(name) }
        members[name] = v
    }
    public subscript(name: String) -> Value? { members[name] }
}

/// A user class: its attributes (methods included) and bases.
public final class ClassValue {
    public let name: String
    public let bases: [ClassValue]
    public var attributes: [String: Value]
    init(name: String, bases: [ClassValue], attributes: [String: Value]) {
        self.name = name; self.bases = bases; self.attributes = attributes
    }
    /// Looks an attribute up along the bases, depth first (enough for single inheritance).
    public func lookup(_ name: String) -> Value? {
        if let v = attributes[name] { return v }
        for b in bases { if let v = b.lookup(name) { return v } }
        return nil
    }
}

public final class Instance {
    public let cls: ClassValue
    public var attributes: [String: Value] = [:]
    /// Attribute names in the order first set (`vars(obj)` keeps it, as Python's dicts do).
    public var attributeOrder: [String] = []
    init(cls: ClassValue) { self.cls = cls }
}

/// A Python iterator (`zip`, `map`, generator expressions, ...).
public final class IteratorBox {
    public let typeName: String
    let nextValue: () throws -> Value?
    public init(typeName: String, next: @escaping () throws -> Value?) {
        self.typeName = typeName; self.nextValue = next
    }
    public func next() throws -> Value? { try nextValue() }

    public static func over(_ values: [Value], typeName: String) -> IteratorBox {
        var i = 0
        return IteratorBox(typeName: typeName) {
            guard i < values.count else { return nil }
            defer { i += 1 }
            return values[i]
        }
    }
}

/// An object of the host (Swift) side that the language can use. Every
/// method has a default meaning "not supported", so a binding implements
/// only what it needs.
public protocol HostObject: AnyObject {
    var typeName: String { get }
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value?
    func setAttribute(_ name: String, _ value: Value, _ interp: Interpreter) throws -> Bool
    func call(_ args: Arguments, _ interp: Interpreter) throws -> Value?
    func repr() -> String
    /// `with obj:` entry and exit; nil when not a context manager.
    func enter(_ interp: Interpreter) throws -> Value?
    func exit(_ interp: Interpreter) throws
    /// `for x in obj:` one item at a time; nil when not iterable this way.
    func makeIterator(_ interp: Interpreter) throws -> IteratorBox?
}

public extension HostObject {
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? { nil }
    func setAttribute(_ name: String, _ value: Value, _ interp: Interpreter) throws -> Bool { false }
    func call(_ args: Arguments, _ interp: Interpreter) throws -> Value? { nil }
    func repr() -> String { "<\(typeName) object>" }
    func enter(_ interp: Interpreter) throws -> Value? { nil }
    func exit(_ interp: Interpreter) throws {}
    func makeIterator(_ interp: Interpreter) throws -> IteratorBox? { nil }
}

/// `ValueError("msg")` and friends, as values that `raise` accepts.
public final class ExceptionValue: HostObject {
    public let kind: ErrorKind
    public let message: String
    /// The constructor's arguments (`e.args`); nil when made from a message alone.
    public let args: [Value]?
    /// `raise ... from cause`.
    public var cause: Value?
    public init(kind: ErrorKind, message: String, args: [Value]? = nil) {
        self.kind = kind; self.message = message; self.args = args
    }
    public var typeName: String { kind.rawValue }
    public func repr() -> String {
        guard let args else { return "\(kind.rawValue)(\(message.isEmpty ? "" : Printing.repr(.str(message))))" }
        if args.count == 1 { return "\(kind.rawValue)(\(Printing.repr(args[0])))" }
        return kind.rawValue + Printing.repr(.tuple(args))
    }
    public func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "args": return .tuple(args ?? (message.isEmpty ? [] : [.str(message)]))
        case "__cause__": return cause ?? Value.none
        case "errno", "strerror":
            // OSError's "[Errno 2] No such file or directory: 'x'".
            guard message.hasPrefix("[Errno "), let close = message.firstIndex(of: "]"),
                  let n = Int(message[message.index(message.startIndex, offsetBy: 7)..<close]) else { return Value.none }
            if name == "errno" { return .int(n) }
            let rest = message[message.index(after: close)...].drop { $0 == " " }
            return .str(String(rest.split(separator: ":", maxSplits: 1).first ?? ""))
        default: return nil
        }
    }
}

extension Value {
    /// Python's `type(x).__name__`.
    public var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .str: return "str"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .function: return "function"
        case .builtin(let b): return b.typeName == nil ? "builtin_function_or_method" : "type"
        case .boundMethod: return "method"
        case .range: return "range"
        case .slice: return "slice"
        case .ellipsis: return "ellipsis"
        case .tensor: return "Tensor"
        case .size: return "Size"
        case .namespace: return "module"
        case .module(let m): return m.typeName
        case .object(let o): return o.typeName
        case .classValue: return "type"
        case .instance(let i): return i.cls.name
        case .iterator(let it): return it.typeName
        }
    }
}
