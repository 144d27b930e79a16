#if canImport(Glibc)
import Glibc
#endif

/// Backward kernels of the activations and softmaxes: each takes the output gradient and
/// what PyTorch's backward saves (the input, or the output where the derivative is a
/// function of it) and returns the input gradient, shaped like the input.
extension Kernels {
    /// A contiguous float gradient buffer shaped like `gradOutput`, with `saved` made
    /// contiguous float and checked to have the same shape.
    static func backwardBuffers(_ gradOutput: Tensor, _ saved: Tensor, _ name: String) throws -> (g: Tensor, s: Tensor, out: Tensor) {
        guard gradOutput.shape == saved.shape else {
            throw TensorError.shape("\(name) backward: grad_output of size \(sizes(gradOutput.shape)) does not match saved tensor of size \(sizes(saved.shape))")
        }
        let g = try floatContiguous(gradOutput)
        let s = saved.dtype == .float32 ? try saved.contiguous() : try saved.to(.float32).contiguous()
        return (g, s, try Tensor(uninitialized: saved.shape))
    }

    /// Runs body(lo, hi) over [0, count) in chunks, split over the workers when large.
    @inline(__always)
    static func elementChunks(_ count: Int, _ body: (Int, Int) -> Void) {
        let chunk = 1 << 15
        let chunks = (count + chunk - 1) / chunk
        if chunks <= 1 { body(0, count); return }
        Parallel.forEach(chunks) { i in body(i * chunk, Swift.min(count, (i + 1) * chunk)) }
    }

    /// `relu` backward from its output: 0 where y ≤ 0, else g (PyTorch's `threshold_backward`).
    /// Eight lanes at a time: a select, where a scalar branch mispredicts on half of all signs.
    public static func reluBackward(_ gradOutput: Tensor, output: Tensor) throws -> Tensor {
        let (g, y, o) = try backwardBuffers(gradOutput, output, "relu")
        defer { withExtendedLifetime((g, y)) {} }
        let gp = g.floatPtr, yp = y.floatPtr, op = o.floatPtr
        elementChunks(o.numel) { lo, hi in
            var i = lo
            while i + 8 <= hi {
                let yv = UnsafeRawPointer(yp + i).loadUnaligned(as: SIMD8<Float>.self)
                let gv = UnsafeRawPointer(gp + i).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(op + i).storeBytes(of: gv.replacing(with: 0, where: yv .<= 0), as: SIMD8<Float>.self)
                i += 8
            }
            while i < hi { op[i] = yp[i] <= 0 ? 0 : gp[i]; i += 1 }
        }
        return o
    }

    /// `sigmoid` backward from its output: g·y·(1 − y).
    public static func sigmoidBackward(_ gradOutput: Tensor, output: Tensor) throws -> Tensor {
        let (g, y, o) = try backwardBuffers(gradOutput, output, "sigmoid")
        defer { withExtendedLifetime((g, y)) {} }
        let gp = g.floatPtr, yp = y.floatPtr, op = o.floatPtr
        elementChunks(o.numel) { lo, hi in for i in lo..<hi { op[i] = gp[i] * (1 - yp[i]) * yp[i] } }
        return o
    }

    /// `tanh` backward from its output: g·(1 − y²).
    public static func tanhBackward(_ gradOutput: Tensor, output: Tensor) throws -> Tensor {
        let (g, y, o) = try backwardBuffers(gradOutput, output, "tanh")
        defer { withExtendedLifetime((g, y)) {} }
        let gp = g.floatPtr, yp = y.floatPtr, op = o.floatPtr
        elementChunks(o.numel) { lo, hi in for i in lo..<hi { op[i] = gp[i] * (1 - yp[i] * yp[i]) } }
        return o
    }

    /// `leaky_relu(x, negative_slope)` backward from its input: g if x > 0 else g·slope.
    public static func leakyReluBackward(_ gradOutput: Tensor, input: Tensor, negativeSlope: Double = 0.01) throws -> Tensor {
        let (g, x, o) = try backwardBuffers(gradOutput, input, "leaky_relu")
        defer { withExtendedLifetime((g, x)) {} }
        let gp = g.floatPtr, xp = x.floatPtr, op = o.floatPtr, k = Float(negativeSlope)
        elementChunks(o.numel) { lo, hi in for i in lo..<hi { op[i] = xp[i] > 0 ? gp[i] : gp[i] * k } }
        return o
    }

    /// `elu(x, alpha)` backward from its input: g if x > 0 else g·alpha·eˣ.
    public static func eluBackward(_ gradOutput: Tensor, input: Tensor, alpha: Double = 1) throws -> Tensor {
        let (g, x, o) = try backwardBuffers(gradOutput, input, "elu")
        defer { withExtendedLifetime((g, x)) {} }
        let gp = g.floatPtr, xp = x.floatPtr, op = o.floatPtr, a = Float(alpha)
        elementChunks(o.numel) { lo, hi in for i in lo..<hi { op[i] = xp[i] > 0 ? gp[i] : gp[i] * a * expf(xp[i]) } }
        return o
    }

    /// `gelu(x, approximate)` backward from its input. `'none'`: g·(Φ(x) + x·φ(x));
    /// `'tanh'`: PyTorch's derivative of 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
    public static func geluBackward(_ gradOutput: Tensor, input: Tensor, approximate: String = "none") throws -> Tensor {
        guard approximate == "none" || approximate == "tanh" else {
            throw TensorError.value("approximate argument must be either none or tanh.")
        }
        let (g, x, o) = try backwardBuffers(gradOutput, input, "gelu")
        defer { withExtendedLifetime((g, x)) {} }
        let gp = g.floatPtr, xp = x.floatPtr, op = o.floatPtr
        if approximate == "tanh" {
            let beta: Float = 0.7978845608028654, kappa: Float = 0.044715
            elementChunks(o.numel) { lo, hi in
                for i in lo..<hi {
                    let v = xp[i], sq = v * v
                    let t = tanhf(beta * (v + kappa * sq * v))
                    let left = 0.5 * v, right = 1 + t
                    let dRight = left * (1 - t * t) * beta * (1 + 3 * kappa * sq)
                    op[i] = gp[i] * (0.5 * right + dRight)
                }
            }
        } else {
            let invSqrt2: Float = 0.70710678118654752440, invSqrt2Pi: Float = 0.39894228040143267794
            elementChunks(o.numel) { lo, hi in
                for i in lo..<hi {
                    let v = xp[i]
                    let cdf = 0.5 * (1 + erff(v * invSqrt2)), pdf = expf(-0.5 * v * v) * invSqrt2Pi
                    op[i] = gp[i] * (cdf + v * pdf)
                }
            }
        }
        return o
    }

    /// `prelu(x, weight)` backward: input g if x > 0 else g·w; weight Σ g·x over x ≤ 0,
    /// per channel (dim 1) or in total for one shared weight. Returns nil for a gradient not asked for.
    public static func preluBackward(_ gradOutput: Tensor, input: Tensor, weight: Tensor, inputGrad: Bool = true,
                                     weightGrad: Bool = true) throws -> (input: Tensor?, weight: Tensor?) {
        let (g, x, o) = try backwardBuffers(gradOutput, input, "prelu")
        let channels = x.rank >= 2 ? x.shape[1] : 1, wn = weight.numel
        guard wn == 1 || wn == channels else {
            throw TensorError.shape("Mismatch of parameter numbers and input channel size. Found parameter numbers = \(wn) and channel size = \(channels).")
        }
        if x.numel == 0 || wn == 0 {
            return (inputGrad ? o : nil, weightGrad ? try Tensor(zeros: weight.shape) : nil)
        }
        let w = weight.toFloats()
        let perChannel = wn > 1 && x.rank >= 2
        let inner = x.rank >= 2 ? Shape.count(Array(x.shape.dropFirst(2))) : 1
        let outer = x.rank >= 2 ? x.shape[0] : 1
        let c = perChannel ? channels : 1, run = perChannel ? inner : x.numel, reps = perChannel ? outer : 1
        defer { withExtendedLifetime((g, x)) {} }
        let gp = g.floatPtr, xp = x.floatPtr, op = o.floatPtr
        var dw = [Double](repeating: 0, count: c)
        for n in 0..<reps {
            for ch in 0..<c {
                let k = w[perChannel ? ch : 0], base = (n * c + ch) * run
                var acc: Float = 0
                for i in base..<(base + run) {
                    let v = xp[i]
                    if v > 0 { op[i] = gp[i] } else { op[i] = gp[i] * k; acc += gp[i] * v }
                }
                dw[ch] += Double(acc)
            }
        }
        let gw = weightGrad ? try Tensor(dw.map { Float($0) }, shape: weight.shape) : nil
        return (inputGrad ? o : nil, gw)
    }

    /// `rrelu(x, lower, upper, training)` backward: with the forward's `noise`
    /// (`rreluWithNoise`, training) g·noise; in eval a leaky ReLU with slope (lower + upper)/2.
    public static func rreluBackward(_ gradOutput: Tensor, input: Tensor, noise: Tensor?, lower: Double = 1.0 / 8,
                                     upper: Double = 1.0 / 3, training: Bool = false) throws -> Tensor {
        guard training, let noise else {
            return try leakyReluBackward(gradOutput, input: input, negativeSlope: (lower + upper) / 2)
        }
        let (g, r, o) = try backwardBuffers(gradOutput, noise, "rrelu")
        defer { withExtendedLifetime((g, r)) {} }
        let gp = g.floatPtr, rp = r.floatPtr, op = o.floatPtr
        elementChunks(o.numel) { lo, hi in for i in lo..<hi { op[i] = gp[i] * rp[i] } }
        return o
    }

    /// `softmax(x, dim)` backward from its output y: y·(g − Σ_dim g·y).
    public static func softmaxBackward(_ gradOutput: Tensor, output: Tensor, dim: Int) throws -> Tensor {
        try softmaxFamilyBackward(gradOutput, output, dim: dim, log: false)
    }

    /// `log_softmax(x, dim)` backward from its output y: g − exp(y)·Σ_dim g.
    public static func logSoftmaxBackward(_ gradOutput: Tensor, output: Tensor, dim: Int) throws -> Tensor {
        try softmaxFamilyBackward(gradOutput, output, dim: dim, log: true)
    }

    static func softmaxFamilyBackward(_ gradOutput: Tensor, _ output: Tensor, dim: Int, log: Bool) throws -> Tensor {
        let d = try Shape.wrapDim(dim, rank: output.rank)
        let (g, y, o) = try backwardBuffers(gradOutput, output, log ? "log_softmax" : "softmax")
        if o.numel == 0 { return o }
        let shape = output.shape
        let n = shape.isEmpty ? 1 : shape[d]
        let outer = shape.isEmpty ? 1 : Shape.count(Array(shape[..<d]))
        let inner = shape.isEmpty ? 1 : Shape.count(Array(shape[(d + 1)...]))
        defer { withExtendedLifetime((g, y)) {} }
        let gp = g.floatPtr, yp = y.floatPtr, op = o.floatPtr
        Parallel.forEach(outer, minPerThread: max(1, 16_384 / max(n * inner, 1))) { b in
            let base = b * n * inner
            withUnsafeTemporaryAllocation(of: Float.self, capacity: inner) { buf in
                guard let acc = buf.baseAddress else { return }
                acc.update(repeating: 0, count: inner)
                for j in 0..<n {
                    let gr = gp + base + j * inner, yr = yp + base + j * inner
                    if log {
                        for i in 0..<inner { acc[i] += gr[i] }
                    } else {
                        for i in 0..<inner { acc[i] += gr[i] * yr[i] }
                    }
                }
                for j in 0..<n {
                    let gr = gp + base + j * inner, yr = yp + base + j * inner, orow = op + base + j * inner
                    if log {
                        for i in 0..<inner { orow[i] = gr[i] - expf(yr[i]) * acc[i] }
                    } else {
                        for i in 0..<inner { orow[i] = yr[i] * (gr[i] - acc[i]) }
                    }
                }
            }
        }
        return o
    }
}
