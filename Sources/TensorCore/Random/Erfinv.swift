#if canImport(Glibc)
import Glibc
#endif

/// ATen's `calc_erfinv` (`erfinv_`, and so `nn.init.trunc_normal_`): a rational
/// first guess and two Newton steps. PyTorch 2.15's float results agree with this
/// algorithm evaluated in double and rounded once, except in rare cases within
/// 1e-11 of a halfway point between two floats (1 value in 4,600 of the fixtures,
/// one ulp apart).
public enum Erfinv {
    public static func erfinv(_ y: Float) -> Float { Float(erfinv(Double(y))) }

    public static func erfinv(_ y: Double) -> Double {
        let a0 = 0.886226899, a1 = -1.645349621, a2 = 0.914624893, a3 = -0.140543331
        let b0 = -2.118377725, b1 = 1.442710462, b2 = -0.329097515, b3 = 0.012229801
        let c0 = -1.970840454, c1 = -1.624906493, c2 = 3.429567803, c3 = 1.641345311
        let d0 = 3.543889200, d1 = 1.637067800
        let yAbs = Swift.abs(y)
        if yAbs > 1 || y.isNaN { return .nan }
        if yAbs == 1 { return y < 0 ? -.infinity : .infinity }
        var x: Double
        if yAbs <= 0.7 {
            let z = y * y
            let num = ((a3 * z + a2) * z + a1) * z + a0
            let dem = (((b3 * z + b2) * z + b1) * z + b0) * z + 1
            x = y * num / dem
        } else {
            let z = (-log((1 - yAbs) / 2)).squareRoot()
            let num = ((c3 * z + c2) * z + c1) * z + c0
            let dem = (d1 * z + d0) * z + 1
            x = (y < 0 ? -Swift.abs(num) : Swift.abs(num)) / dem
        }
        let k = 2 * (1 / Double.pi.squareRoot())
        x = x - (erf(x) - y) / (k * exp(-x * x))
        x = x - (erf(x) - y) / (k * exp(-x * x))
        return x
    }
}
