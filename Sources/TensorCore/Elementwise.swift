#if canImport(Glibc)
import Glibc
#endif

/// Binary arithmetic with PyTorch's broadcasting and type promotion.
public enum BinaryOp: Sendable {
    case add, sub, mul, div, floorDiv, mod, pow, maximum, minimum
}

/// Comparisons; results are bool tensors.
public enum CompareOp: Sendable {
    case eq, ne, lt, le, gt, ge
}

extension Tensor {
    /// `a op b` with broadcasting. Division is always true division (float).
    public static func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let outShape = try Shape.broadcast(a.shape, b.shape)
        var dt = DType.resultType(a, b)
        if (op == .div && !dt.isFloatingPoint) || (op == .pow && dt == .bool) { dt = .float32 }
        if dt == .bool { dt = .int64 }
        switch dt {
        case .float32:
            let fa = try a.to(.float32), fb = try b.to(.float32)
            return try floatBinary(op, fa, fb, outShape)
        case .float16:
            // PyTorch computes half ops in float and rounds each result to half.
            return try floatBinary(op, try a.to(.float32), try b.to(.float32), outShape).to(.float16)
        case .float64:
            return try doubleBinary(op, try a.to(.float64), try b.to(.float64), outShape)
        default:
            let r = try intBinary(op, try a.to(.int64), try b.to(.int64), outShape)
            return dt == .int64 ? r : try r.to(dt)
        }
    }

    /// float64 arithmetic: one generic loop.
    static func doubleBinary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, _ outShape: [Int]) throws -> Tensor {
        let out = try Tensor(uninitialized: outShape, dtype: .float64)
        let o = out.storage.doubles
        let ea = try a.expand(outShape), eb = try b.expand(outShape)
        let x = a.storage.doubles, y = b.storage.doubles
        let f: (Double, Double) -> Double
        switch op {
        case .add: f = { $0 + $1 }
        case .sub: f = { $0 - $1 }
        case .mul: f = { $0 * $1 }
        case .div: f = { $0 / $1 }
        case .floorDiv: f = { ($0 / $1).rounded(.down) }
        case .mod: f = { x, y in
            let r = fmod(x, y)
            return (r != 0 && ((r < 0) != (y < 0))) ? r + y : r
        }
        case .pow: f = { Glibc.pow($0, $1) }
        case .maximum: f = { ($0.isNaN || $1.isNaN) ? .nan : Swift.max($0, $1) }
        case .minimum: f = { ($0.isNaN || $1.isNaN) ? .nan : Swift.min($0, $1) }
        }
        var i = 0
        StridedLoop.run2(shape: outShape, stridesA: ea.strides, offsetA: ea.offset,
                         stridesB: eb.strides, offsetB: eb.offset) { p, q in
            o[i] = f(x[p], y[q]); i += 1
        }
        return out
    }

    static func floatBinary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, _ outShape: [Int]) throws -> Tensor {
        // Every path below writes every element.
        let out = try Tensor(uninitialized: outShape, dtype: .float32)
        let o = out.floatPtr, n = out.numel
        if a.shape == outShape && b.shape == outShape && a.isContiguous && b.isContiguous {
            let x = a.floatPtr, y = b.floatPtr
            switch op {
            case .add: for i in 0..<n { o[i] = x[i] + y[i] }
            case .sub: for i in 0..<n { o[i] = x[i] - y[i] }
            case .mul: for i in 0..<n { o[i] = x[i] * y[i] }
            case .div: for i in 0..<n { o[i] = x[i] / y[i] }
            default: let f = floatFunction(op); for i in 0..<n { o[i] = f(x[i], y[i]) }
            }
            return out
        }
        if a.shape == outShape && a.isContiguous && b.numel == 1 {
            let x = a.floatPtr, y = b.storage.floats[b.offset]
            switch op {
            case .add: for i in 0..<n { o[i] = x[i] + y }
            case .sub: for i in 0..<n { o[i] = x[i] - y }
            case .mul: for i in 0..<n { o[i] = x[i] * y }
            case .div: for i in 0..<n { o[i] = x[i] / y }
            default: let f = floatFunction(op); for i in 0..<n { o[i] = f(x[i], y) }
            }
            return out
        }
        let ea = try a.expand(outShape), eb = try b.expand(outShape)
        let f = floatFunction(op)
        let x = a.storage.floats, y = b.storage.floats
        var i = 0
        StridedLoop.run2(shape: outShape, stridesA: ea.strides, offsetA: ea.offset,
                         stridesB: eb.strides, offsetB: eb.offset) { p, q in
            o[i] = f(x[p], y[q]); i += 1
        }
        return out
    }

    static func floatFunction(_ op: BinaryOp) -> (Float, Float) -> Float {
        switch op {
        case .add: return { $0 + $1 }
        case .sub: return { $0 - $1 }
        case .mul: return { $0 * $1 }
        case .div: return { $0 / $1 }
        case .floorDiv: return { ($0 / $1).rounded(.down) }
        case .mod: return { x, y in
            let r = fmodf(x, y)
            return (r != 0 && ((r < 0) != (y < 0))) ? r + y : r
        }
        case .pow: return { powf($0, $1) }
        case .maximum: return { ($0.isNaN || $1.isNaN) ? .nan : Swift.max($0, $1) }
        case .minimum: return { ($0.isNaN || $1.isNaN) ? .nan : Swift.min($0, $1) }
        }
    }

    static func intBinary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, _ outShape: [Int]) throws -> Tensor {
        let out = try Tensor(zeros: outShape, dtype: .int64)
        let o = out.intPtr
        let ea = try a.expand(outShape), eb = try b.expand(outShape)
        let x = a.storage.ints, y = b.storage.ints
        var failure: TensorError?
        let f: (Int64, Int64) -> Int64
        switch op {
        case .add: f = { $0 &+ $1 }
        case .sub: f = { $0 &- $1 }
        case .mul: f = { $0 &* $1 }
        case .floorDiv, .mod:
            let isMod = op == .mod
            f = { p, q in
                if q == 0 { failure = .value("ZeroDivisionError"); return 0 }
                var d = p / q, r = p % q
                if r != 0 && ((r < 0) != (q < 0)) { d -= 1; r += q }
                return isMod ? r : d
            }
        case .pow: f = { p, q in
            if q < 0 { failure = .value("Integers to negative integer powers are not allowed."); return 0 }
            var r: Int64 = 1, base = p, e = q
            while e > 0 { if e & 1 == 1 { r = r &* base }; base = base &* base; e >>= 1 }
            return r
        }
        case .maximum: f = { Swift.max($0, $1) }
        case .minimum: f = { Swift.min($0, $1) }
        case .div: f = { $0 / $1 } // unreachable: div promotes to float
        }
        var i = 0
        StridedLoop.run2(shape: outShape, stridesA: ea.strides, offsetA: ea.offset,
                         stridesB: eb.strides, offsetB: eb.offset) { p, q in
            o[i] = f(x[p], y[q]); i += 1
        }
        if let failure {
            if failure == .value("ZeroDivisionError") { throw TensorError.value("ZeroDivisionError") }
            throw failure
        }
        return out
    }

    /// `a == b`, `a < b`, ... with broadcasting; a bool tensor.
    public static func compare(_ op: CompareOp, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let outShape = try Shape.broadcast(a.shape, b.shape)
        let out = try Tensor(zeros: outShape, dtype: .bool)
        let o = out.boolPtr
        let ea = try a.expand(outShape), eb = try b.expand(outShape)
        let f: (Double, Double) -> Bool
        switch op {
        case .eq: f = { $0 == $1 }
        case .ne: f = { $0 != $1 }
        case .lt: f = { $0 < $1 }
        case .le: f = { $0 <= $1 }
        case .gt: f = { $0 > $1 }
        case .ge: f = { $0 >= $1 }
        }
        var i = 0
        StridedLoop.run2(shape: outShape, stridesA: ea.strides, offsetA: ea.offset,
                         stridesB: eb.strides, offsetB: eb.offset) { p, q in
            o[i] = f(ea.double(atStorageOffset: p), eb.double(atStorageOffset: q)); i += 1
        }
        return out
    }

    /// `torch.where(cond, a, b)`.
    public static func `where`(_ cond: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let s1 = try Shape.broadcast(cond.shape, a.shape)
        let outShape = try Shape.broadcast(s1, b.shape)
        let dt = DType.resultType(a, b)
        let out = try Tensor(zeros: outShape, dtype: dt)
        let ec = try cond.expand(outShape), ea = try a.expand(outShape), eb = try b.expand(outShape)
        var i = 0
        let o = out.offset
        StridedLoop.run3(shape: outShape, stridesA: ec.strides, offsetA: ec.offset, stridesB: ea.strides,
                         offsetB: ea.offset, stridesC: eb.strides, offsetC: eb.offset) { c, p, q in
            let v = ec.double(atStorageOffset: c) != 0 ? ea.double(atStorageOffset: p) : eb.double(atStorageOffset: q)
            out.setDouble(v, atStorageOffset: o + i); i += 1
        }
        return out
    }

    /// Elementwise float map (int and bool inputs are converted to float first).
    public func mapFloat(_ f: (Float) -> Float) throws -> Tensor {
        if dtype == .float64 || dtype == .float16 {
            // Slower generic path: computed in float, stored back in this dtype.
            return try self.to(.float32).mapFloat(f).to(dtype)
        }
        let src = try self.to(.float32)
        let out = try Tensor(uninitialized: shape, dtype: .float32)
        let o = out.floatPtr
        if src.isContiguous {
            let x = src.floatPtr
            for i in 0..<out.numel { o[i] = f(x[i]) }
        } else {
            let x = src.storage.floats
            var i = 0
            src.forEachOffset { o[i] = f(x[$0]); i += 1 }
        }
        return out
    }

    /// `-x`, keeping integer dtype.
    public func neg() throws -> Tensor {
        if dtype == .int32 || dtype == .uint8 { return try to(.int64).neg().to(dtype) }
        if dtype == .float64 { return try Tensor.binary(.mul, self, .scalar(double: -1, wrapped: true)) }
        if dtype == .int64 {
            let out = try Tensor(zeros: shape, dtype: .int64)
            var i = 0; let x = storage.ints, o = out.intPtr
            forEachOffset { o[i] = 0 &- x[$0]; i += 1 }
            return out
        }
        if dtype == .bool { throw TensorError.type("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.") }
        return try mapFloat { -$0 }
    }

    /// `abs()`, keeping integer dtype.
    public func abs() throws -> Tensor {
        if dtype == .int32 || dtype == .uint8 { return try to(.int64).abs().to(dtype) }
        if dtype == .float64 { return try Tensor.binary(.maximum, self, self.neg()) }
        if dtype == .int64 {
            let out = try Tensor(zeros: shape, dtype: .int64)
            var i = 0; let x = storage.ints, o = out.intPtr
            forEachOffset { o[i] = x[$0] < 0 ? 0 &- x[$0] : x[$0]; i += 1 }
            return out
        }
        return try mapFloat { Swift.abs($0) }
    }

    /// Elementwise map of a float64 tensor (a slower generic loop).
    public func mapDouble(_ f: (Double) -> Double) throws -> Tensor {
        let src = try self.to(.float64)
        let out = try Tensor(uninitialized: shape, dtype: .float64)
        let o = out.storage.doubles, x = src.storage.doubles
        var i = 0
        src.forEachOffset { o[i] = f(x[$0]); i += 1 }
        return out
    }

    public func exp() throws -> Tensor { dtype == .float64 ? try mapDouble { Glibc.exp($0) } : try mapFloat { expf($0) } }
    public func log() throws -> Tensor { dtype == .float64 ? try mapDouble { Glibc.log($0) } : try mapFloat { logf($0) } }
    public func sqrt() throws -> Tensor { dtype == .float64 ? try mapDouble { Glibc.sqrt($0) } : try mapFloat { sqrtf($0) } }
    public func sigmoid() throws -> Tensor {
        dtype == .float64 ? try mapDouble { $0 >= 0 ? 1 / (1 + Glibc.exp(-$0)) : Glibc.exp($0) / (1 + Glibc.exp($0)) }
            : try mapFloat { Activation.sigmoid($0) }
    }
    public func tanh() throws -> Tensor { dtype == .float64 ? try mapDouble { Glibc.tanh($0) } : try mapFloat { tanhf($0) } }
    public func relu() throws -> Tensor {
        if dtype.isIntegral { return try Tensor.binary(.maximum, self, .scalar(int: 0)) }
        if dtype == .float32 && isContiguous {
            let out = try Tensor(uninitialized: shape)
            Kernels.reluLoop(floatPtr, out.floatPtr, numel)
            return out
        }
        return try mapFloat { $0 > 0 ? $0 : ($0.isNaN ? $0 : 0) }
    }

    /// `clamp(min, max)`; either bound may be absent.
    public func clamp(min lo: Double?, max hi: Double?) throws -> Tensor {
        if lo == nil && hi == nil { throw TensorError.value("torch.clamp: At least one of 'min' or 'max' must not be None") }
        if dtype.isIntegral && (lo.map { $0 == $0.rounded() } ?? true) && (hi.map { $0 == $0.rounded() } ?? true) {
            var t: Tensor = self
            if let lo { t = try Tensor.binary(.maximum, t, .scalar(int: Int64(lo))) }
            if let hi { t = try Tensor.binary(.minimum, t, .scalar(int: Int64(hi))) }
            return t
        }
        let l = lo.map { Float($0) }, h = hi.map { Float($0) }
        return try mapFloat { v in
            if v.isNaN { return v }
            var r = v
            if let l, r < l { r = l }
            if let h, r > h { r = h }
            return r
        }
    }
}

/// Scalar activation functions shared by kernels and their backward passes.
public enum Activation {
    @inline(__always) public static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + expf(-x)) : { let e = expf(x); return e / (1 + e) }()
    }
    @inline(__always) public static func gelu(_ x: Float) -> Float {
        0.5 * x * (1 + erff(x * 0.70710678118654752440))
    }
    @inline(__always) public static func geluTanh(_ x: Float) -> Float {
        let k: Float = 0.7978845608028654
        return 0.5 * x * (1 + tanhf(k * (x + 0.044715 * x * x * x)))
    }
    @inline(__always) public static func elu(_ x: Float, alpha: Float) -> Float {
        x > 0 ? x : alpha * (expf(x) - 1)
    }
    @inline(__always) public static func leakyRelu(_ x: Float, slope: Float) -> Float {
        x > 0 ? x : x * slope
    }
}
