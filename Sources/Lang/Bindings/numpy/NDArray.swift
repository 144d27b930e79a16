import TensorCore
import Render

/// A NumPy array (`ndarray`) or NumPy scalar (`np.float64(1.5)`): a tensor of
/// TensorCore looked at with NumPy's rules (its own printing, promotion and
/// namespace). Results of rank 0 are scalars, as NumPy's ufuncs return them.
final class NDArray: HostObject, HostStr {
    let t: Tensor
    let isScalar: Bool
    init(_ t: Tensor, scalar: Bool = false) { self.t = t; self.isScalar = scalar && t.rank == 0 }

    /// A result: rank-0 results are NumPy scalars.
    static func result(_ t: Tensor) -> Value { .object(NDArray(t, scalar: t.rank == 0)) }
    static func array(_ t: Tensor) -> Value { .object(NDArray(t)) }

    var typeName: String { isScalar ? t.dtype.rawValue : "ndarray" }
    func repr() -> String { isScalar ? ArrayPrinter.scalarRepr(t) : ArrayPrinter.repr(t) }
    func str() -> String { isScalar ? ArrayPrinter.scalarStr(t) : ArrayPrinter.str(t) }

    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "shape": return .tuple(t.shape.map { .int($0) })
        case "dtype": return .object(NPDType(t.dtype))
        case "ndim": return .int(t.rank)
        case "size": return .int(t.numel)
        case "itemsize": return .int(t.dtype.itemSize)
        case "nbytes": return .int(t.numel * t.dtype.itemSize)
        case "T": return NDArray.array(t.rank < 2 ? t : try t.permute(Array((0..<t.rank).reversed())))
        case "real": return .object(self)
        default: return nil
        }
    }

    func setAttribute(_ name: String, _ value: Value, _ interp: Interpreter) throws -> Bool {
        if name == "shape" { throw LangError(.AttributeError, "setting the shape of an array is not supported; use a.reshape(...)") }
        return false
    }
}

/// `np.dtype('float32')`: compares equal to `np.float32`, `'float32'` and another dtype of that kind.
final class NPDType: HostObject, HostStr {
    let dtype: DType
    init(_ d: DType) { dtype = d }
    var typeName: String { "dtype[\(dtype.rawValue)]" }
    func repr() -> String { "dtype('\(dtype.rawValue)')" }
    func str() -> String { dtype.rawValue }
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "name": return .str(dtype.rawValue)
        case "itemsize": return .int(dtype.itemSize)
        case "kind": return .str(dtype == .bool ? "b" : dtype == .uint8 ? "u" : dtype.isFloatingPoint ? "f" : "i")
        default: return nil
        }
    }
}

/// Conversions between language values and arrays, and NumPy's type promotion.
enum NP {
    /// NumPy's `result_type` for two array dtypes: an int meeting a float needs a float
    /// that holds it (uint8 → float16, int32/int64 → float64).
    static func promote(_ a: DType, _ b: DType) -> DType {
        if a == b { return a }
        if a == .bool { return b }
        if b == .bool { return a }
        if a.isFloatingPoint == b.isFloatingPoint { return DType.promote(a, b) }
        let (i, f) = a.isFloatingPoint ? (b, a) : (a, b)
        return DType.promote(i == .uint8 ? .float16 : .float64, f)
    }

    /// An operand: arrays are strong; Python numbers are weak (NEP 50) and only
    /// lift the category (a float with an int array gives float64).
    enum Operand { case array(Tensor), int(Int), float(Double), bool(Bool) }

    static func operand(_ v: Value) -> Operand? {
        switch v {
        case .object(let a as NDArray): return .array(a.t)
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .bool(let b): return .bool(b)
        case .tensor(let t): return .array(t)
        case .list, .tuple: return (try? fromNested(v, dtype: nil)).map { .array($0) }
        default: return nil
        }
    }

    static func resultType(_ ops: [Operand]) -> DType {
        var strong: DType?
        var weak = 0   // 1 bool, 2 int, 3 float
        for o in ops {
            switch o {
            case .array(let t): strong = strong.map { promote($0, t.dtype) } ?? t.dtype
            case .bool: weak = max(weak, 1)
            case .int: weak = max(weak, 2)
            case .float: weak = max(weak, 3)
            }
        }
        guard let s = strong else { return weak == 3 ? .float64 : weak == 2 ? .int64 : .bool }
        if weak == 3 && !s.isFloatingPoint { return .float64 }
        if weak == 2 && s == .bool { return .int64 }
        return s
    }

    static func tensor(_ o: Operand, as dt: DType) throws -> Tensor {
        switch o {
        case .array(let t): return t.dtype == dt ? t : try t.to(dt)
        case .int(let i): return .scalar(Double(i), dtype: dt)
        case .float(let d): return .scalar(d, dtype: dt)
        case .bool(let b): return .scalar(b ? 1 : 0, dtype: dt)
        }
    }

    /// An array argument: arrays, tensors, nested lists and numbers.
    static func array(_ v: Value, _ what: String = "a", in fn: String, dtype: DType? = nil) throws -> Tensor {
        switch v {
        case .object(let a as NDArray): return dtype.map { $0 == a.t.dtype ? a.t : (try? a.t.to($0)) ?? a.t } ?? a.t
        case .tensor(let t): return try dtype.map { try t.to($0) } ?? t
        default: return try fromNested(v, dtype: dtype)
        }
    }

    /// `np.array(nested)`: bool < int64 < float64 inferred from the Python values.
    static func fromNested(_ v: Value, dtype: DType?) throws -> Tensor {
        var shape: [Int] = []
        var flat: [Value] = []
        var inferred = DType.bool
        func walk(_ x: Value, depth: Int) throws {
            var items: [Value]?
            switch x {
            case .list(let l): items = l.items
            case .tuple(let t): items = t
            case .range(let r): items = stride(from: r.start, to: r.stop, by: r.step).map { .int($0) }
            case .object(let a as NDArray) where a.t.rank > 0:
                items = try (0..<a.t.shape[0]).map { .object(NDArray(try a.t.select(dim: 0, index: $0))) }
            case .tensor(let t) where t.rank > 0:
                items = try (0..<t.shape[0]).map { .tensor(try t.select(dim: 0, index: $0)) }
            default: items = nil
            }
            if let items {
                if depth == shape.count { shape.append(items.count) }
                else if depth > shape.count || shape[depth] != items.count {
                    throw valueError("setting an array element with a sequence. The requested array has an inhomogeneous shape after \(depth) dimensions. The detected shape was \(TensorPrinter.tupleString(Array(shape.prefix(depth)))) + inhomogeneous part.")
                }
                for i in items { try walk(i, depth: depth + 1) }
                return
            }
            if depth != shape.count {
                throw valueError("setting an array element with a sequence. The requested array has an inhomogeneous shape after \(depth) dimensions. The detected shape was \(TensorPrinter.tupleString(Array(shape.prefix(depth)))) + inhomogeneous part.")
            }
            switch x {
            case .bool: break
            case .int: if inferred == .bool { inferred = .int64 }
            case .float: inferred = promote(inferred, .float64)
            case .object(let a as NDArray): inferred = flat.isEmpty && inferred == .bool ? a.t.dtype : promote(inferred, a.t.dtype)
            case .tensor(let t): inferred = flat.isEmpty && inferred == .bool ? t.dtype : promote(inferred, t.dtype)
            default: throw typeError("float() argument must be a string or a real number, not '\(x.typeName)'")
            }
            flat.append(x)
        }
        try walk(v, depth: 0)
        let dt = dtype ?? (flat.isEmpty ? .float64 : inferred)
        let t = try Tensor(zeros: shape, dtype: dt)
        for (i, x) in flat.enumerated() {
            switch x {
            case .bool(let b): t.setDouble(b ? 1 : 0, atStorageOffset: i)
            case .int(let n): t.setInt64(Int64(n), atStorageOffset: i)
            case .float(let f): t.setDouble(f, atStorageOffset: i)
            case .object(let a as NDArray): t.setDouble(a.t.double(atStorageOffset: a.t.offset), atStorageOffset: i)
            case .tensor(let s): t.setDouble(s.double(atStorageOffset: s.offset), atStorageOffset: i)
            default: break
            }
        }
        return t
    }

    /// `dtype=`: None, a dtype, `np.float32`, `float`/`int`/`bool`, or a name such as `'float32'`.
    static func dtype(_ v: Value, in fn: String) throws -> DType? {
        switch v {
        case .none: return nil
        case .object(let d as NPDType): return d.dtype
        case .object(let d as DTypeObject): return d.dtype
        case .builtin(let b):
            switch b.typeName ?? "" {
            case "float": return .float64
            case "int": return .int64
            case "bool": return .bool
            case let n: if let d = DType(rawValue: n) { return d }
            }
        case .str(let s):
            let names = ["float": "float64", "double": "float64", "f8": "float64", "f4": "float32", "single": "float32",
                         "int": "int64", "i8": "int64", "i4": "int32", "u1": "uint8", "half": "float16", "f2": "float16",
                         "bool_": "bool", "?": "bool"]
            if let d = DType(rawValue: names[s] ?? s) { return d }
            throw typeError("data type '\(s)' not understood")
        default: break
        }
        throw typeError("Cannot interpret '\(Printing.repr(v))' as a data type")
    }

    /// Index keys with arrays turned into tensors, for TensorCore's indexing.
    static func indexKey(_ k: Value) -> Value {
        switch k {
        case .object(let a as NDArray): return a.isScalar && !a.t.dtype.isFloatingPoint && a.t.dtype != .bool
            ? .int(Int(a.t.int64(atStorageOffset: a.t.offset))) : .tensor(a.t)
        case .tuple(let items): return .tuple(items.map(indexKey))
        default: return k
        }
    }

    static func value(of t: Tensor) -> Value { TV.element(t, atStorageOffset: t.offset) }

    /// NumPy's shape text in messages: `(2,3)`, `(3,)`.
    static func shapeText(_ s: [Int]) -> String {
        s.count == 1 ? "(\(s[0]),)" : "(" + s.map(String.init).joined(separator: ",") + ")"
    }

    /// The broadcast shape of operands, or NumPy's error.
    static func broadcast(_ shapes: [[Int]]) throws -> [Int] {
        var out: [Int] = []
        for s in shapes {
            guard let b = try? Shape.broadcast(out, s) else {
                throw valueError("operands could not be broadcast together with shapes " + shapes.map(shapeText).joined(separator: " ") + " ")
            }
            out = b
        }
        return out
    }
}

/// `str(x)` for host objects that print differently from their repr.
protocol HostStr { func str() -> String }
