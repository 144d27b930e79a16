import TensorCore
#if canImport(Glibc)
import Glibc
#endif

/// Activations, softmax and dropout.
extension Functional {
    public static func relu(_ x: Tensor) throws -> Tensor {
        let y = try x.relu()
        let saved = y.detach()
        return Autograd.record(y, "ReluBackward0", [x], saving: [saved]) { g in
            if fused(g, saved) { return [try Kernels.reluBackward(g, output: saved)] }
            return [try whereZero(try Tensor.compare(.gt, saved, .scalar(0)), g, keepWhere: true)]
        }
    }

    public static func sigmoid(_ x: Tensor) throws -> Tensor {
        let y = try x.sigmoid()
        let saved = y.detach()
        return Autograd.record(y, "SigmoidBackward0", [x], saving: [saved]) { g in
            if fused(g, x) { return [try Kernels.sigmoidBackward(g, output: saved)] }
            let s = GradMode.enabled ? try sigmoid(x) : saved
            return [try mul(g, try mul(s, try sub(scalar(1), s)))]
        }
    }

    public static func tanh(_ x: Tensor) throws -> Tensor {
        let y = try x.tanh()
        let saved = y.detach()
        return Autograd.record(y, "TanhBackward0", [x], saving: [saved]) { g in
            if fused(g, x) { return [try Kernels.tanhBackward(g, output: saved)] }
            let t = GradMode.enabled ? try tanh(x) : saved
            return [try mul(g, try sub(scalar(1), try mul(t, t)))]
        }
    }

    public static func leakyRelu(_ x: Tensor, negativeSlope: Double = 0.01) throws -> Tensor {
        Autograd.record(try Kernels.leakyRelu(x, negativeSlope: negativeSlope), "LeakyReluBackward0", [x], saving: [x]) { g in
            if fused(g, x) { return [try Kernels.leakyReluBackward(g, input: x, negativeSlope: negativeSlope)] }
            let slope = try Tensor.where(try Tensor.compare(.gt, x, .scalar(0)), .scalar(1), scalar(negativeSlope))
            return [try mul(g, slope)]
        }
    }

    public static func elu(_ x: Tensor, alpha: Double = 1) throws -> Tensor {
        Autograd.record(try Kernels.elu(x, alpha: alpha), "EluBackward0", [x], saving: [x]) { g in
            if fused(g, x) { return [try Kernels.eluBackward(g, input: x, alpha: alpha)] }
            // x > 0: 1; else alpha·eˣ.
            let d = try x.detach().mapFloat { $0 > 0 ? 1 : Float(alpha) * expf($0) }
            return [try mul(g, d)]
        }
    }

    public static func gelu(_ x: Tensor, approximate: String = "none") throws -> Tensor {
        Autograd.record(try Kernels.gelu(x, approximate: approximate), "GeluBackward0", [x], saving: [x]) { g in
            if fused(g, x) { return [try Kernels.geluBackward(g, input: x, approximate: approximate)] }
            let d: Tensor
            if approximate == "tanh" {
                d = try x.detach().mapFloat { v in
                    let k: Float = 0.7978845608028654, c: Float = 0.044715
                    let inner = k * (v + c * v * v * v)
                    let t = tanhf(inner)
                    return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * k * (1 + 3 * c * v * v)
                }
            } else {
                d = try x.detach().mapFloat { v in
                    let cdf = 0.5 * (1 + erff(v * 0.70710678118654752440))
                    let pdf = expf(-0.5 * v * v) * 0.39894228040143267794
                    return cdf + v * pdf
                }
            }
            return [try mul(g, d)]
        }
    }

    public static func softmax(_ x: Tensor, dim: Int) throws -> Tensor {
        let y = try Kernels.softmax(x, dim: dim)
        let saved = y.detach()
        return Autograd.record(y, "SoftmaxBackward0", [x], saving: [saved]) { g in
            if fused(g, x) { return [try Kernels.softmaxBackward(g, output: saved, dim: dim)] }
            let s = GradMode.enabled ? try softmax(x, dim: dim) : saved
            let dot = try sum(try mul(g, s), dims: [dim], keepdim: true)
            return [try mul(s, try sub(g, dot))]
        }
    }

    public static func logSoftmax(_ x: Tensor, dim: Int) throws -> Tensor {
        let y = try Kernels.logSoftmax(x, dim: dim)
        let saved = y.detach()
        return Autograd.record(y, "LogSoftmaxBackward0", [x], saving: [saved]) { g in
            if fused(g, x) { return [try Kernels.logSoftmaxBackward(g, output: saved, dim: dim)] }
            let p = GradMode.enabled ? try softmax(x, dim: dim) : try saved.exp()
            return [try sub(g, try mul(p, try sum(g, dims: [dim], keepdim: true)))]
        }
    }

    /// `F.prelu(input, weight)`: one slope, or one per channel (dim 1).
    public static func prelu(_ x: Tensor, weight: Tensor) throws -> Tensor {
        let y = try Kernels.prelu(x, weight)
        return Autograd.record(y, "PreluKernelBackward0", [x, weight], saving: [x, weight]) { g in
            let positive = try Tensor.compare(.gt, x, .scalar(0))
            var wshape = [Int](repeating: 1, count: x.rank)
            if weight.numel > 1 && x.rank >= 2 { wshape[1] = weight.numel }
            let w = weight.numel == 1 ? try reshape(weight, []) : try reshape(weight, wshape)
            let gx = try Tensor.where(positive, g.detach(), try Tensor.binary(.mul, g.detach(), w.detach()))
            var gw: Tensor? = nil
            if weight.requiresGrad {
                let contrib = try whereZero(positive, try Tensor.binary(.mul, g.detach(), x.detach()))
                if weight.numel == 1 || x.rank < 2 {
                    gw = try contrib.sum().reshape(weight.shape)
                } else {
                    gw = try contrib.sum(dims: [0] + Array(2..<x.rank)).reshape(weight.shape)
                }
            }
            return [gx, gw]
        }
    }

    /// `F.rrelu(input, lower=1/8, upper=1/3, training=False)`: the gradient is the slope used.
    public static func rrelu(_ x: Tensor, lower: Double = 1.0 / 8, upper: Double = 1.0 / 3,
                             training: Bool = false) throws -> Tensor {
        let (y, noise) = try Kernels.rreluWithNoise(x, lower: lower, upper: upper, training: training)
        return Autograd.record(y, "RreluWithNoiseBackward0", [x], saving: [x]) { g in
            if let noise { return [try mul(g, noise)] }
            let slope = try Tensor.where(try Tensor.compare(.gt, x, .scalar(0)), .scalar(1), scalar((lower + upper) / 2))
            return [try mul(g, slope)]
        }
    }

    /// `F.dropout(input, p=0.5, training=True)`: the same mask scales the gradient.
    public static func dropout(_ x: Tensor, p: Double = 0.5, training: Bool = true) throws -> Tensor {
        try dropoutFeatures(x, p: p, training: training, featureDims: 0)
    }

    /// `F.dropout2d(input, p=0.5, training=True)`: whole channels.
    public static func dropout2d(_ x: Tensor, p: Double = 0.5, training: Bool = true) throws -> Tensor {
        try dropoutFeatures(x, p: p, training: training, featureDims: 2)
    }

    static func dropoutFeatures(_ x: Tensor, p: Double, training: Bool, featureDims: Int) throws -> Tensor {
        let (y, mask) = try Kernels.dropoutWithMask(x, p: p, training: training, featureDims: featureDims)
        guard let mask else { return y }
        return Autograd.record(y, "MulBackward0", [x]) { g in [try mul(g, mask)] }
    }
}
