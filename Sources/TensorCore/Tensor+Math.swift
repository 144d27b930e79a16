#if canImport(Glibc)
import Glibc
#endif

/// Elementwise math functions by name, computed in the tensor's own precision
/// (float32 and float16 through Float, float64 through Double), as NumPy's ufuncs are.
public enum MathFunction: String, Sendable, CaseIterable {
    case sqrt, exp, log, log2, log10, log1p, expm1, sin, cos, tan, arcsin, arccos, arctan
    case sinh, cosh, tanh, floor, ceil, rint, trunc, abs, negative, square, sign, reciprocal
}

extension Tensor {
    /// `f(x)` elementwise for a floating tensor (integer inputs are the caller's to convert).
    public func math(_ f: MathFunction) throws -> Tensor {
        guard dtype.isFloatingPoint else { throw TensorError.type("\(f.rawValue): expected a floating point tensor, got \(dtype.scalarTypeName)") }
        if dtype == .float64 { return try mapDouble(Tensor.doubleFunction(f)) }
        let g = Tensor.floatFunction(f)
        return try mapFloat(g)
    }

    static func doubleFunction(_ f: MathFunction) -> (Double) -> Double {
        switch f {
        case .sqrt: return { Glibc.sqrt($0) }
        case .exp: return { Glibc.exp($0) }
        case .log: return { Glibc.log($0) }
        case .log2: return { Glibc.log2($0) }
        case .log10: return { Glibc.log10($0) }
        case .log1p: return { Glibc.log1p($0) }
        case .expm1: return { Glibc.expm1($0) }
        case .sin: return { Glibc.sin($0) }
        case .cos: return { Glibc.cos($0) }
        case .tan: return { Glibc.tan($0) }
        case .arcsin: return { Glibc.asin($0) }
        case .arccos: return { Glibc.acos($0) }
        case .arctan: return { Glibc.atan($0) }
        case .sinh: return { Glibc.sinh($0) }
        case .cosh: return { Glibc.cosh($0) }
        case .tanh: return { Glibc.tanh($0) }
        case .floor: return { $0.rounded(.down) }
        case .ceil: return { $0.rounded(.up) }
        case .rint: return { $0.rounded(.toNearestOrEven) }
        case .trunc: return { $0.rounded(.towardZero) }
        case .abs: return { Swift.abs($0) }
        case .negative: return { -$0 }
        case .square: return { $0 * $0 }
        case .sign: return { $0 > 0 ? 1 : ($0 < 0 ? -1 : $0) }
        case .reciprocal: return { 1 / $0 }
        }
    }

    static func floatFunction(_ f: MathFunction) -> (Float) -> Float {
        switch f {
        case .sqrt: return { sqrtf($0) }
        case .exp: return { expf($0) }
        case .log: return { logf($0) }
        case .log2: return { log2f($0) }
        case .log10: return { log10f($0) }
        case .log1p: return { log1pf($0) }
        case .expm1: return { expm1f($0) }
        case .sin: return { sinf($0) }
        case .cos: return { cosf($0) }
        case .tan: return { tanf($0) }
        case .arcsin: return { asinf($0) }
        case .arccos: return { acosf($0) }
        case .arctan: return { atanf($0) }
        case .sinh: return { sinhf($0) }
        case .cosh: return { coshf($0) }
        case .tanh: return { tanhf($0) }
        case .floor: return { $0.rounded(.down) }
        case .ceil: return { $0.rounded(.up) }
        case .rint: return { $0.rounded(.toNearestOrEven) }
        case .trunc: return { $0.rounded(.towardZero) }
        case .abs: return { Swift.abs($0) }
        case .negative: return { -$0 }
        case .square: return { $0 * $0 }
        case .sign: return { $0 > 0 ? 1 : ($0 < 0 ? -1 : $0) }
        case .reciprocal: return { 1 / $0 }
        }
    }

    /// NumPy's `add.reduce` over dims for float tensors: pairwise summation over each
    /// contiguous block (8 accumulators under 128 items, halves above), in the tensor's
    /// own precision (float16 in float32), so results match NumPy's digits.
    public func pairwiseSum(dims: [Int]?, keepdim: Bool) throws -> Tensor {
        let (src, outShape, block) = try reductionLayout(dims, keepdim: keepdim)
        let groups = Shape.count(outShape)
        if dtype == .float64 {
            let out = try Tensor(zeros: outShape, dtype: .float64)
            let x = src.storage.doubles + src.offset, o = out.storage.doubles
            for g in 0..<groups { o[g] = Tensor.pairwise(x + g * block, block) }
            return out
        }
        let f = try src.to(.float32).contiguous()
        let out = try Tensor(zeros: outShape, dtype: .float32)
        let x = f.floatPtr, o = out.floatPtr
        for g in 0..<groups { o[g] = Tensor.pairwise(x + g * block, block) }
        return dtype == .float32 ? out : try out.to(dtype)
    }

    static func pairwise<T: BinaryFloatingPoint>(_ a: UnsafeMutablePointer<T>, _ n: Int) -> T {
        if n < 8 {
            var res: T = 0
            for i in 0..<n { res += a[i] }
            return res
        }
        if n <= 128 {
            var r = (0..<8).map { a[$0] }
            var i = 8
            while i < n - (n % 8) {
                for k in 0..<8 { r[k] += a[i + k] }
                i += 8
            }
            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            while i < n { res += a[i]; i += 1 }
            return res
        }
        var n2 = n / 2
        n2 -= n2 % 8
        return pairwise(a, n2) + pairwise(a + n2, n - n2)
    }
}
