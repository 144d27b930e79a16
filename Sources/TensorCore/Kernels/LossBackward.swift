/// Backward kernels of the losses (`nll_loss`, `cross_entropy`, `mse_loss`) and of `linear`.
/// `gradOutput` is the loss's output gradient: a scalar for `'mean'`/`'sum'`, the
/// per-sample shape for `'none'`. Class dim is 1 ((N, C, d...)), or 0 for a (C) input.
extension Kernels {
    /// The per-sample factor a reduction applies: g[i] for `'none'`, g for `'sum'`, g/denominator for `'mean'`.
    static func reductionScale(_ gradOutput: Tensor, samples: Int, reduction: String, denominator: Double,
                               sampleShape: [Int]) throws -> [Float] {
        switch reduction {
        case "none":
            guard gradOutput.shape == sampleShape else {
                throw TensorError.shape("loss backward: expected grad_output of size \(sizes(sampleShape)), but got \(sizes(gradOutput.shape))")
            }
            return try floatContiguous(gradOutput).toFloats()
        case "sum", "mean":
            guard gradOutput.numel == 1 else {
                throw TensorError.shape("loss backward: expected a scalar grad_output, but got \(sizes(gradOutput.shape))")
            }
            let g = Double(try floatContiguous(gradOutput).floatPtr[0])
            return [Float](repeating: Float(reduction == "sum" ? g : g / denominator), count: samples)
        default:
            throw TensorError.value("\(reduction) is not a valid value for reduction")
        }
    }

    /// (outer N, classes C, inner positions S) of a loss input: (C) → (1, C, 1), (N, C, d...) → (N, C, Πd).
    static func classLayout(_ shape: [Int]) throws -> (n: Int, c: Int, s: Int) {
        guard !shape.isEmpty else { throw TensorError.shape("input tensor should be 1D or 2D") }
        if shape.count == 1 { return (1, shape[0], 1) }
        return (shape[0], shape[1], Shape.count(Array(shape.dropFirst(2))))
    }

    /// Gradient of `nll_loss(input, target, weight, ignore_index, reduction)` with respect
    /// to `input` (shape `inputShape`): −w[t]·g at each sample's target class, 0 elsewhere and
    /// for ignored samples; `'mean'` divides by the summed weights of the non-ignored targets.
    public static func nllLossBackward(_ gradOutput: Tensor, inputShape: [Int], target: Tensor, weight: Tensor? = nil,
                                       ignoreIndex: Int = -100, reduction: String = "mean") throws -> Tensor {
        let (n, c, s) = try classLayout(inputShape)
        let coef = try classTargetCoefficients(gradOutput, n: n, c: c, s: s, target: target, weight: weight,
                                               ignoreIndex: ignoreIndex, reduction: reduction)
        let out = try Tensor(zeros: inputShape), op = out.floatPtr
        for e in coef.entries { op[(e.i / s * c + e.cls) * s + e.i % s] = -e.w * e.scale }
        return out
    }

    /// For each non-ignored sample i (ordered n, then position): its class, w[class] and the
    /// reduction's factor; and Σ w[class] over them (`'mean'`'s denominator).
    static func classTargetCoefficients(_ gradOutput: Tensor, n: Int, c: Int, s: Int, target: Tensor, weight: Tensor?,
                                        ignoreIndex: Int, reduction: String)
        throws -> (entries: [(i: Int, cls: Int, w: Float, scale: Float)], weightSum: Double) {
        guard target.dtype == .int64 else {
            throw TensorError.runtime("expected target dtype to be Long or Byte, but got \(scalarName(target.dtype))")
        }
        guard target.numel == n * s else {
            throw TensorError.shape("loss backward: target of size \(sizes(target.shape)) does not match \(n * s) samples")
        }
        if let weight, weight.numel != c {
            throw TensorError.shape("weight tensor should be defined either for all \(c) classes or no classes but got weight tensor of shape: \(sizes(weight.shape))")
        }
        let t = target.toInt64s(), w = weight?.toFloats()
        var wsum = 0.0
        for i in 0..<t.count where Int(t[i]) != ignoreIndex {
            let cls = Int(t[i])
            guard cls >= 0 && cls < c else { throw TensorError.index("Target \(cls) is out of bounds.") }
            wsum += Double(w?[cls] ?? 1)
        }
        let scale = try reductionScale(gradOutput, samples: t.count, reduction: reduction, denominator: wsum,
                                       sampleShape: target.shape)
        var out: [(i: Int, cls: Int, w: Float, scale: Float)] = []
        out.reserveCapacity(t.count)
        for i in 0..<t.count where Int(t[i]) != ignoreIndex {
            let cls = Int(t[i])
            out.append((i, cls, w?[cls] ?? 1, scale[i]))
        }
        return (out, wsum)
    }

    /// Gradient of `cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing)`
    /// with respect to the logits `input`. Class-index targets (int64): the loss is
    /// (1 − ε)·nll + (ε/C)·Σ_c −w_c·log p_c per sample, `'mean'` over the non-ignored targets'
    /// weights. Probability targets (float, input's shape): −Σ_c w_c·t'_c·log p_c with
    /// t' = (1 − ε)·t + ε/C, `'mean'` over N·d... samples. Both then through log_softmax.
    public static func crossEntropyBackward(_ gradOutput: Tensor, input: Tensor, target: Tensor, weight: Tensor? = nil,
                                            ignoreIndex: Int = -100, reduction: String = "mean",
                                            labelSmoothing: Double = 0) throws -> Tensor {
        guard labelSmoothing >= 0 && labelSmoothing <= 1 else {
            throw TensorError.value("label_smoothing must be between 0.0 and 1.0. Got: \(PyFormat.float(labelSmoothing))")
        }
        let (n, c, s) = try classLayout(input.shape)
        let dim = input.rank == 1 ? 0 : 1
        let logp = try logSoftmax(input, dim: dim)
        let dlogp = try Tensor(zeros: input.shape), dp = dlogp.floatPtr
        let eps = Float(labelSmoothing), w = weight?.toFloats()
        if let weight, weight.numel != c {
            throw TensorError.shape("weight tensor should be defined either for all \(c) classes or no classes but got weight tensor of shape: \(sizes(weight.shape))")
        }
        if target.dtype == .float32 {
            guard target.shape == input.shape else {
                throw TensorError.shape("loss backward: probability target of size \(sizes(target.shape)) does not match input of size \(sizes(input.shape))")
            }
            let sampleShape = input.rank == 1 ? [] : [n] + Array(input.shape.dropFirst(2))
            let scale = try reductionScale(gradOutput, samples: n * s, reduction: reduction, denominator: Double(n * s),
                                           sampleShape: sampleShape)
            let tc = try floatContiguous(target)
            defer { withExtendedLifetime(tc) {} }
            let tp = tc.floatPtr
            for i in 0..<(n * s) {
                for cls in 0..<c {
                    let at = (i / s * c + cls) * s + i % s
                    let tt = tp[at] * (1 - eps) + eps / Float(c)
                    dp[at] = -scale[i] * (w?[cls] ?? 1) * tt
                }
            }
        } else {
            let coef = try classTargetCoefficients(gradOutput, n: n, c: c, s: s, target: target, weight: weight,
                                                   ignoreIndex: ignoreIndex, reduction: reduction)
            for e in coef.entries {
                let base = e.i / s * c * s + e.i % s
                dp[base + e.cls * s] -= (1 - eps) * e.w * e.scale
                if eps > 0 {
                    for k in 0..<c { dp[base + k * s] -= eps / Float(c) * e.scale * (w?[k] ?? 1) }
                }
            }
        }
        return try logSoftmaxBackward(dlogp, output: logp, dim: dim)
    }

    /// Gradients of `mse_loss(input, target, reduction)`: 2·(x − t)·g (÷ numel for `'mean'`)
    /// for the input and its negation for the target, each summed back to its own shape
    /// when the two were broadcast.
    public static func mseLossBackward(_ gradOutput: Tensor, input: Tensor, target: Tensor,
                                       reduction: String = "mean") throws -> (input: Tensor, target: Tensor) {
        let shape = try Shape.broadcast(input.shape, target.shape)
        let x = try floatContiguous(input.expand(shape)), t = try floatContiguous(target.expand(shape))
        let count = Shape.count(shape)
        let out = try Tensor(uninitialized: shape), op = out.floatPtr
        defer { withExtendedLifetime((x, t)) {} }
        let xp = x.floatPtr, tp = t.floatPtr
        if reduction == "none" {
            guard gradOutput.shape == shape else {
                throw TensorError.shape("loss backward: expected grad_output of size \(sizes(shape)), but got \(sizes(gradOutput.shape))")
            }
            let gc = try floatContiguous(gradOutput)
            defer { withExtendedLifetime(gc) {} }
            let gp = gc.floatPtr
            for i in 0..<count { op[i] = 2 * (xp[i] - tp[i]) * gp[i] }
        } else {
            let k = try reductionScale(gradOutput, samples: 1, reduction: reduction, denominator: Double(count),
                                       sampleShape: [])[0] * 2
            for i in 0..<count { op[i] = (xp[i] - tp[i]) * k }
        }
        let neg = try Tensor(uninitialized: shape), np = neg.floatPtr
        for i in 0..<count { np[i] = -op[i] }
        return (try sumToShape(out, input.shape), try sumToShape(neg, target.shape))
    }

    /// A broadcast result's gradient summed back to `shape` (leading dims dropped, size-1 dims kept).
    public static func sumToShape(_ t: Tensor, _ shape: [Int]) throws -> Tensor {
        if t.shape == shape { return t }
        let lead = t.rank - shape.count
        guard lead >= 0 else { throw TensorError.shape("cannot sum \(sizes(t.shape)) to \(sizes(shape))") }
        var dims = Array(0..<lead)
        for (i, n) in shape.enumerated() where n == 1 && t.shape[lead + i] != 1 { dims.append(lead + i) }
        let r = dims.isEmpty ? t : try t.sum(dims: dims, keepdim: true)
        return try r.reshape(shape).contiguous()
    }

    /// Gradients of `linear(input, weight, bias)` = input·weightᵀ + bias: input (..., in),
    /// weight (out, in), `gradOutput` (..., out). Input g·W, weight gᵀ·x over all leading
    /// dims, bias Σ g; each by sgemm (threaded by `BLAS.sgemm`), nil when not asked for.
    public static func linearBackward(_ gradOutput: Tensor, input: Tensor, weight: Tensor, inputGrad: Bool = true,
                                      weightGrad: Bool = true, biasGrad: Bool = true) throws -> (input: Tensor?, weight: Tensor?, bias: Tensor?) {
        guard weight.rank == 2, input.rank >= 1, input.shape[input.rank - 1] == weight.shape[1] else {
            throw TensorError.shape("linear backward: input of size \(sizes(input.shape)) does not match weight of size \(sizes(weight.shape))")
        }
        let inF = weight.shape[1], outF = weight.shape[0]
        let rows = Shape.count(Array(input.shape.dropLast()))
        guard gradOutput.shape == Array(input.shape.dropLast()) + [outF] else {
            throw TensorError.shape("linear backward: expected grad_output of size \(sizes(Array(input.shape.dropLast()) + [outF])), but got \(sizes(gradOutput.shape))")
        }
        let g = try floatContiguous(gradOutput), x = try floatContiguous(input), w = try floatContiguous(weight)
        defer { withExtendedLifetime((g, x, w)) {} }
        var gx: Tensor?, gw: Tensor?, gb: Tensor?
        if inputGrad {
            let t = try Tensor(uninitialized: input.shape)
            BLAS.sgemm(transA: false, transB: false, m: rows, n: inF, k: outF, a: g.floatPtr, lda: outF,
                       b: w.floatPtr, ldb: inF, c: t.floatPtr, ldc: inF)
            gx = t
        }
        if weightGrad {
            let t = try Tensor(uninitialized: weight.shape)
            BLAS.sgemm(transA: true, transB: false, m: outF, n: inF, k: rows, a: g.floatPtr, lda: outF,
                       b: x.floatPtr, ldb: inF, c: t.floatPtr, ldc: inF)
            gw = t
        }
        if biasGrad {
            let t = try Tensor(zeros: [outF]), bp = t.floatPtr, gp = g.floatPtr
            var acc = [Double](repeating: 0, count: outF)
            for r in 0..<rows { let row = gp + r * outF; for j in 0..<outF { acc[j] += Double(row[j]) } }
            for j in 0..<outF { bp[j] = Float(acc[j]) }
            gb = t
        }
        return (gx, gw, gb)
    }
}
