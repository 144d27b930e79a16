/// One lane of the AVX2 `log256_ps` and `sincos256_ps` (Cephes polynomials by
/// Pommier and Garberoglio) that PyTorch's `normal_fill_16_AVX2` uses for
/// float tensors of 16 or more elements. Each step rounds as the vector
/// instruction does, so the results are the same floats.
///
/// PyTorch's wheels are built by GCC with floating-point contraction on, so each
/// multiply that feeds an add becomes one fused multiply-add, the earlier multiply
/// of a pair winning (`mad` below). Checked against PyTorch 2.15's `randn` bit for bit.
enum CephesAVX {
    /// a × b + c with one rounding.
    @inline(__always) static func mad(_ a: Float, _ b: Float, _ c: Float) -> Float { fusedMultiplyAdd(a, b, c) }

    /// a × b + c rounded once, without a call to libm's `fmaf` (this target has no FMA
    /// instruction by default): the product is exact in double, the sum is rounded to odd
    /// (TwoSum), and rounding that to float is then the correctly rounded fused result
    /// (Boldo and Melquiond's round-to-odd theorem: 53 ≥ 24 + 2 bits).
    @inline(__always) static func fusedMultiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
        let p = Double(a) * Double(b), q = Double(c)
        let s = p + q
        let v = s - p
        let err = (p - (s - v)) + (q - v)
        // Round to odd without branches: truncate toward zero (one ulp back where s
        // overshot the exact sum), then set the last bit when the sum was inexact.
        let inexact: UInt64 = err != 0 ? 1 : 0
        let overshoot = ((err.bitPattern ^ s.bitPattern) >> 63) & inexact
        return Float(Double(bitPattern: (s.bitPattern &- overshoot) | inexact))
    }

    @inline(__always) static var sqrtHalf: Float { 0.707106781186547524 }
    @inline(__always) static var logP0: Float { 7.0376836292E-2 }
    @inline(__always) static var logP1: Float { -1.1514610310E-1 }
    @inline(__always) static var logP2: Float { 1.1676998740E-1 }
    @inline(__always) static var logP3: Float { -1.2420140846E-1 }
    @inline(__always) static var logP4: Float { 1.4249322787E-1 }
    @inline(__always) static var logP5: Float { -1.6668057665E-1 }
    @inline(__always) static var logP6: Float { 2.0000714765E-1 }
    @inline(__always) static var logP7: Float { -2.4999993993E-1 }
    @inline(__always) static var logP8: Float { 3.3333331174E-1 }
    @inline(__always) static var logQ1: Float { -2.12194440e-4 }
    @inline(__always) static var logQ2: Float { 0.693359375 }

    @inline(__always) static var dp1: Float { -0.78515625 }
    @inline(__always) static var dp2: Float { -2.4187564849853515625e-4 }
    @inline(__always) static var dp3: Float { -3.77489497744594108e-8 }
    @inline(__always) static var sinP0: Float { -1.9515295891E-4 }
    @inline(__always) static var sinP1: Float { 8.3321608736E-3 }
    @inline(__always) static var sinP2: Float { -1.6666654611E-1 }
    @inline(__always) static var cosP0: Float { 2.443315711809948E-005 }
    @inline(__always) static var cosP1: Float { -1.388731625493765E-003 }
    @inline(__always) static var cosP2: Float { 4.166664568298827E-002 }
    @inline(__always) static var fourOverPi: Float { 1.27323954473516 }

    /// Natural log for x > 0.
    @inline(__always) static func log(_ input: Float) -> Float {
        var x = Swift.max(input, Float(bitPattern: 0x0080_0000))
        let bits = x.bitPattern
        var e = Float(Int32(bitPattern: bits >> 23) - 0x7F)
        x = Float(bitPattern: (bits & ~0x7F80_0000) | Float(0.5).bitPattern)
        e = e + 1
        let small = x < sqrtHalf
        let tmp: Float = small ? x : 0
        x = x - 1
        e = e - (small ? 1 : 0)
        x = x + tmp
        let z = x * x
        var y = logP0
        y = mad(y, x, logP1); y = mad(y, x, logP2); y = mad(y, x, logP3); y = mad(y, x, logP4)
        y = mad(y, x, logP5); y = mad(y, x, logP6); y = mad(y, x, logP7); y = mad(y, x, logP8)
        y = y * x
        y = mad(y, z, e * logQ1)         // y*z + e*q1: the first product fused
        y = mad(-z, 0.5, y)              // y - z*0.5
        x = x + y
        x = mad(e, logQ2, x)
        return x
    }

    /// (sin, cos) of x.
    @inline(__always) static func sincos(_ input: Float) -> (sin: Float, cos: Float) {
        let signSin = input.bitPattern & 0x8000_0000
        var x = Swift.abs(input)
        var j = Int32(truncatingIfNeeded: Int64((x * fourOverPi).rounded(.towardZero)))
        j = (j &+ 1) & ~1
        let y0 = Float(j)
        let swapSin = UInt32(bitPattern: (j & 4) << 29)
        let polyMask = (j & 2) == 0
        let signCos = UInt32(bitPattern: (~(j &- 2) & 4) << 29)
        x = mad(y0, dp1, x)
        x = mad(y0, dp2, x)
        x = mad(y0, dp3, x)
        let z = x * x
        var y = cosP0
        y = mad(y, z, cosP1)
        y = mad(y, z, cosP2)
        y = y * z
        y = mad(y, z, -(z * 0.5))        // y*z - z*0.5: the first product fused
        y = y + 1
        var y2 = sinP0
        y2 = mad(y2, z, sinP1)
        y2 = mad(y2, z, sinP2)
        y2 = y2 * z
        y2 = mad(y2, x, x)
        let s = polyMask ? y2 : y, c = polyMask ? y : y2
        return (Float(bitPattern: s.bitPattern ^ (signSin ^ swapSin)), Float(bitPattern: c.bitPattern ^ signCos))
    }

    /// `normal_fill_16_AVX2`: data[0..<8] and data[8..<16] hold uniforms on [0, 1);
    /// they become N(mean, std²) samples in place.
    @inline(__always) static func normalFill16(_ d: UnsafeMutablePointer<Float>, mean: Float, std: Float) {
        let twoPi = Float(2.0 * Double.pi)
        for j in 0..<8 {
            let u1 = 1 - d[j], u2 = d[j + 8]
            let radius = (-2 * log(u1)).squareRoot()
            let (s, c) = sincos(twoPi * u2)
            d[j] = fusedMultiplyAdd(radius * c, std, mean)
            d[j + 8] = fusedMultiplyAdd(radius * s, std, mean)
        }
    }
}
