#if canImport(Glibc)
import Glibc
#endif

extension Kernels {
    /// A new contiguous float tensor shaped like `x`, with pointers to both (x converted to float first).
    static func unaryBuffers(_ x: Tensor) throws -> (src: Tensor, out: Tensor) {
        let src = x.dtype == .float32 ? try x.contiguous() : try x.to(.float32).contiguous()
        return (src, try Tensor(zeros: x.shape))
    }

    /// `F.leaky_relu(x, negative_slope)`: x if x > 0 else x·slope.
    public static func leakyRelu(_ x: Tensor, negativeSlope: Double = 0.01) throws -> Tensor {
        let (s, o) = try unaryBuffers(x)
        let a = s.floatPtr, b = o.floatPtr, k = Float(negativeSlope)
        for i in 0..<o.numel { b[i] = Activation.leakyRelu(a[i], slope: k) }
        return o
    }

    /// `F.elu(x, alpha)`: x if x > 0 else alpha·(eˣ − 1).
    public static func elu(_ x: Tensor, alpha: Double = 1) throws -> Tensor {
        let (s, o) = try unaryBuffers(x)
        let a = s.floatPtr, b = o.floatPtr, al = Float(alpha)
        for i in 0..<o.numel { let v = a[i]; b[i] = v > 0 ? v : al * expm1f(v) }
        return o
    }

    /// `F.gelu(x, approximate='none'|'tanh')`.
    public static func gelu(_ x: Tensor, approximate: String = "none") throws -> Tensor {
        guard approximate == "none" || approximate == "tanh" else {
            throw TensorError.value("approximate argument must be either none or tanh.")
        }
        let (s, o) = try unaryBuffers(x)
        let a = s.floatPtr, b = o.floatPtr
        if approximate == "tanh" {
            for i in 0..<o.numel { b[i] = Activation.geluTanh(a[i]) }
        } else {
            for i in 0..<o.numel { b[i] = Activation.gelu(a[i]) }
        }
        return o
    }

    /// `F.prelu(x, weight)`: x if x > 0 else weight·x, with one weight or one per channel (dim 1).
    public static func prelu(_ x: Tensor, _ weight: Tensor) throws -> Tensor {
        guard weight.rank <= 1 else {
            throw TensorError.shape("prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = \(weight.rank)")
        }
        let channels = x.rank >= 2 ? x.shape[1] : 1
        let wn = weight.numel
        if x.rank == 0 && wn != 1 { throw TensorError.shape("Not allow zero-dim input tensor.") }
        guard wn == 1 || wn == channels else {
            throw TensorError.shape("Mismatch of parameter numbers and input channel size. Found parameter numbers = \(wn) and channel size = \(channels).")
        }
        let (s, o) = try unaryBuffers(x)
        let w = weight.toFloats(), a = s.floatPtr, b = o.floatPtr
        let inner = x.rank >= 2 ? Shape.count(Array(x.shape.dropFirst(2))) : 1
        let outer = x.rank >= 2 ? x.shape[0] : 1
        if wn == 1 || x.rank < 2 {
            let k = w[0]
            for i in 0..<o.numel { let v = a[i]; b[i] = v > 0 ? v : v * k }
            return o
        }
        for n in 0..<outer {
            for c in 0..<channels {
                let k = w[c], base = (n * channels + c) * inner
                for i in base..<(base + inner) { let v = a[i]; b[i] = v > 0 ? v : v * k }
            }
        }
        return o
    }

    /// `F.rrelu(x, lower, upper, training)`. Training draws a slope U(lower, upper) per
    /// non-positive element from `Generator.default` as ATen does; eval uses (lower + upper)/2.
    public static func rrelu(_ x: Tensor, lower: Double = 1.0 / 8, upper: Double = 1.0 / 3, training: Bool = false) throws -> Tensor {
        try rreluWithNoise(x, lower: lower, upper: upper, training: training).output
    }

    /// `rrelu` and its noise: the slope applied to each element (1 where x > 0), nil in eval.
    public static func rreluWithNoise(_ x: Tensor, lower: Double, upper: Double,
                                      training: Bool) throws -> (output: Tensor, noise: Tensor?) {
        guard lower <= upper else {
            throw TensorError.value("Lower bound should be less than or equal to the upper bound")
        }
        if !training { return (try leakyRelu(x, negativeSlope: (lower + upper) / 2), nil) }
        let (s, o) = try unaryBuffers(x)
        let noise = try Tensor(zeros: x.shape)
        let a = s.floatPtr, b = o.floatPtr, r = noise.floatPtr
        // ATen: uniform_real_distribution<double>(float(lower), float(upper)) per non-positive element.
        let g = Generator.default
        let lo = Double(Float(lower)), span = Double(Float(upper)) - Double(Float(lower))
        for i in 0..<o.numel {
            let v = a[i]
            if v <= 0 {
                let k = Float(TorchRandom.uniformDouble(g.random64(), lo, span))
                b[i] = v * k; r[i] = k
            } else {
                b[i] = v; r[i] = 1
            }
        }
        return (o, noise)
    }
}
