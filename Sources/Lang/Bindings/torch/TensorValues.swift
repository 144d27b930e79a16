import TensorCore
import NN

/// Conversions between the language's values and tensors: arguments that
/// take a tensor or a number, shapes given as `(2, 3)` or `2, 3`, dims as an
/// int or a tuple, dtypes, nested lists for `torch.tensor`, and indices.
enum TV {
    /// A tensor argument; Python numbers become 0-dim wrapped-number tensors (int → int64,
    /// float → float64 that promotes as float32 would, as PyTorch's wrapped numbers).
    static func tensor(_ v: Value, _ what: String = "input", in fn: String) throws -> Tensor {
        if case .tensor(let t) = v { return t }
        if let s = scalar(v) { return s }
        throw typeError("\(fn)(): argument '\(what)' must be Tensor, not \(v.typeName)")
    }

    static func optionalTensor(_ v: Value, _ what: String, in fn: String) throws -> Tensor? {
        if case .none = v { return nil }
        return try tensor(v, what, in: fn)
    }

    /// Python numbers as 0-dim tensors, as PyTorch wraps them.
    static func scalar(_ v: Value) -> Tensor? {
        switch v {
        case .int(let i): let t = Tensor.scalar(int: Int64(i)); t.isWrappedNumber = true; return t
        case .float(let d): return .scalar(double: d, wrapped: true)
        case .bool(let b): let t = Tensor.scalar(bool: b); t.isWrappedNumber = true; return t
        default: return nil
        }
    }

    static func isNumber(_ v: Value) -> Bool {
        switch v { case .int, .float, .bool: return true; default: return false }
    }

    static func value(_ t: Tensor) -> Value { .tensor(t) }

    /// Ints from an int, a tuple/list of ints, or a torch.Size.
    static func ints(_ v: Value, _ what: String, in fn: String) throws -> [Int] {
        switch v {
        case .int(let i): return [i]
        case .bool(let b): return [b ? 1 : 0]
        case .size(let s): return s
        case .tuple(let items): return try items.map { try Convert.int($0, what: what, in: fn) }
        case .list(let l): return try l.items.map { try Convert.int($0, what: what, in: fn) }
        case .tensor(let t) where t.dtype != .float32 && t.rank <= 1: return t.toInt64s().map { Int($0) }
        default: throw typeError("\(fn)(): argument '\(what)' must be tuple of ints, not \(v.typeName)")
        }
    }

    /// `zeros(2, 3)`, `zeros((2, 3))`, `zeros([2, 3])`, `zeros(x.shape)`.
    static func shape(_ varargs: [Value], in fn: String) throws -> [Int] {
        if varargs.count == 1, !isNumber(varargs[0]) { return try ints(varargs[0], "size", in: fn) }
        return try varargs.map { try Convert.int($0, what: "size", in: fn) }
    }

    /// `dim=None | int | tuple`.
    static func dims(_ v: Value, in fn: String) throws -> [Int]? {
        if case .none = v { return nil }
        return try ints(v, "dim", in: fn)
    }

    static func optionalInt(_ v: Value, _ what: String, in fn: String) throws -> Int? {
        if case .none = v { return nil }
        return try Convert.int(v, what: what, in: fn)
    }

    static func optionalDouble(_ v: Value, _ what: String, in fn: String) throws -> Double? {
        if case .none = v { return nil }
        return try Convert.double(v, what: what, in: fn)
    }

    static func bool(_ v: Value) -> Bool {
        switch v {
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .none: return false
        default: return true
        }
    }

    /// An int-or-tuple argument kept as given (`kernel_size=2`, `(2, 3)`).
    static func intOrTuple(_ v: Value, _ what: String, in fn: String) throws -> IntOrTuple {
        switch v {
        case .int, .bool: return .int(try Convert.int(v, what: what, in: fn))
        default: return .tuple(try ints(v, what, in: fn))
        }
    }

    static func optionalIntOrTuple(_ v: Value, _ what: String, in fn: String) throws -> IntOrTuple? {
        if case .none = v { return nil }
        return try intOrTuple(v, what, in: fn)
    }

    /// `dtype=torch.long`, `dtype=torch.float32`, ...; nil for None.
    static func dtype(_ v: Value, in fn: String) throws -> DType? {
        switch v {
        case .none: return nil
        case .object(let o as DTypeObject): return o.dtype
        case .builtin(let b) where b.typeName == "float": return .float32
        case .builtin(let b) where b.typeName == "int": return .int64
        case .builtin(let b) where b.typeName == "bool": return .bool
        default: throw typeError("\(fn)(): argument 'dtype' must be torch.dtype, not \(v.typeName)")
        }
    }

    // MARK: nested lists ⇄ tensors

    /// `torch.tensor(data, dtype=None)`: nested lists/tuples of numbers, or a tensor (copied).
    static func fromNested(_ v: Value, dtype: DType?) throws -> Tensor {
        if case .tensor(let t) = v { return try t.to(dtype ?? t.dtype).clone() }
        // A NumPy array keeps its dtype (float64 stays float64, as torch.tensor(ndarray) does).
        if case .object(let a as NDArray) = v { return try a.t.to(dtype ?? a.t.dtype).clone() }
        var shape: [Int] = []
        var flat: [Value] = []
        var inferred = DType.bool
        func walk(_ x: Value, depth: Int) throws {
            let items: [Value]?
            switch x {
            case .list(let l): items = l.items
            case .tuple(let t): items = t
            case .size(let s): items = s.map { .int($0) }
            default: items = nil
            }
            if let items {
                if depth == shape.count { shape.append(items.count) }
                else if depth > shape.count || shape[depth] != items.count {
                    throw valueError("expected sequence of length \(depth < shape.count ? shape[depth] : 0) at dim \(depth) (got \(items.count))")
                }
                for i in items { try walk(i, depth: depth + 1) }
                return
            }
            if depth != shape.count { throw valueError("expected sequence of length \(shape[depth]) at dim \(depth) (got 0)") }
            switch x {
            case .bool: break
            case .int: if inferred == .bool { inferred = .int64 }
            case .float: inferred = .float32
            case .tensor(let t) where t.numel == 1:
                inferred = DType.promote(inferred, t.dtype == .float64 ? .float32 : t.dtype)
            default: throw typeError("new(): invalid data type '\(x.typeName)'")
            }
            flat.append(x)
        }
        try walk(v, depth: 0)
        // No element to infer from: PyTorch's default dtype (`torch.tensor([])` is float32).
        let dt = dtype ?? (flat.isEmpty ? .float32 : inferred)
        let t = try Tensor(zeros: shape, dtype: dt)
        for (i, x) in flat.enumerated() {
            let d: Double
            switch x {
            case .bool(let b): d = b ? 1 : 0
            case .int(let n): d = Double(n)
            case .float(let f): d = f
            case .tensor(let s): d = try s.item()
            default: d = 0
            }
            t.setDouble(d, atStorageOffset: i)
        }
        return t
    }

    /// `t.tolist()` / `t.item()` values: Python ints for int64, floats for float32, bools.
    static func element(_ t: Tensor, atStorageOffset o: Int) -> Value {
        switch t.dtype {
        case .float32: return .float(Double(t.storage.floats[o]))
        case .int64: return .int(Int(t.storage.ints[o]))
        case .bool: return .bool(t.storage.bools[o])
        case .float64, .float16: return .float(t.double(atStorageOffset: o))
        case .int32, .uint8: return .int(Int(t.int64(atStorageOffset: o)))
        }
    }

    static func toList(_ t: Tensor) throws -> Value {
        if t.rank == 0 { return element(t, atStorageOffset: t.offset) }
        var items: [Value] = []
        for i in 0..<t.shape[0] { items.append(try toList(try t.select(dim: 0, index: i))) }
        return .list(ListBox(items))
    }

    static func item(_ t: Tensor) throws -> Value {
        guard t.numel == 1 else {
            throw valueError("a Tensor with \(t.numel) elements cannot be converted to Scalar")
        }
        var off = t.offset
        t.forEachOffset { off = $0 }
        return element(t, atStorageOffset: off)
    }

    // MARK: indexing

    static func indexItems(_ key: Value, in fn: String = "__getitem__") throws -> [IndexItem] {
        if case .tuple(let parts) = key { return try parts.map(indexItem) }
        return [try indexItem(key)]
    }

    static func indexItem(_ v: Value) throws -> IndexItem {
        switch v {
        case .int(let i): return .int(i)
        case .bool(let b): return .tensor(.scalar(bool: b))
        case .none: return .newAxis
        case .ellipsis: return .ellipsis
        case .slice(let s):
            return .slice(start: try optionalInt(s.start, "start", in: "slice"),
                          stop: try optionalInt(s.stop, "stop", in: "slice"),
                          step: try optionalInt(s.step, "step", in: "slice"))
        case .tensor(let t):
            if t.rank == 0 && t.dtype == .int64 { return .int(Int(t.storage.ints[t.offset])) }
            return .tensor(t)
        case .list, .tuple:
            return .tensor(try fromNested(v, dtype: nil))
        default:
            throw indexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got \(v.typeName))")
        }
    }
}

/// `torch.float32`, `torch.int64`, `torch.bool` as values.
final class DTypeObject: HostObject {
    let dtype: DType
    init(_ d: DType) { dtype = d }
    var typeName: String { "dtype" }
    func repr() -> String { dtype.torchName }
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "is_floating_point": return .bool(dtype.isFloatingPoint)
        case "itemsize": return .int(dtype.itemSize)
        default: return nil
        }
    }

    /// One object per dtype, so `x.dtype == torch.float64` and `is` compare as in PyTorch.
    static let all: [DType: DTypeObject] = Dictionary(uniqueKeysWithValues: DType.allCases.map { ($0, DTypeObject($0)) })
    static func of(_ d: DType) -> DTypeObject { all[d] ?? DTypeObject(d) }
}
