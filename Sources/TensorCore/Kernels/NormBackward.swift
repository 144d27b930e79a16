/// The gradients of `batch_norm`: each nil when not asked for (or when the forward had
/// no weight / bias).
public struct BatchNormGrads {
    public let input: Tensor?
    public let weight: Tensor?
    public let bias: Tensor?
}

extension Kernels {
    /// Gradients of `batch_norm` given the forward's `input`, `weight` (nil: no affine weight)
    /// and the statistics it normalised with (`BatchNormResult.mean` / `.invstd`: batch
    /// statistics in training, running ones in eval). With x̂ = (x − mean)·invstd and
    /// M = N·spatial elements per channel:
    /// - bias: Σ g; weight: Σ g·x̂ (per channel);
    /// - input, training: w·invstd·(g − Σg/M − x̂·Σ(g·x̂)/M) (the batch statistics depend on x);
    /// - input, eval: w·invstd·g.
    /// Reads only: the running statistics are never touched.
    public static func batchNormBackward(_ gradOutput: Tensor, input: Tensor, weight: Tensor?, mean: Tensor,
                                         invstd: Tensor, training: Bool, inputGrad: Bool = true,
                                         weightGrad: Bool = true, biasGrad: Bool = true) throws -> BatchNormGrads {
        guard input.rank >= 2 else {
            throw TensorError.value("batch_norm: expected 2D or higher input (got \(input.rank)D input)")
        }
        guard gradOutput.shape == input.shape else {
            throw TensorError.shape("batch_norm backward: grad_output of size \(sizes(gradOutput.shape)) does not match input of size \(sizes(input.shape))")
        }
        let n = input.shape[0], c = input.shape[1]
        let spatial = Shape.count(Array(input.shape.dropFirst(2))), count = n * spatial
        for (name, t) in [("weight", weight), ("mean", mean), ("invstd", invstd)] where t != nil && t?.numel != c {
            throw TensorError.shape("\(name) should contain \(c) elements not \(t?.numel ?? 0)")
        }
        let x = try floatContiguous(input), gy = try floatContiguous(gradOutput)
        let mu = try floatContiguous(mean), inv = try floatContiguous(invstd)
        let wt = try weight.map { try floatContiguous($0) }
        let xp = x.floatPtr, gp = gy.floatPtr, mp = mu.floatPtr, sp = inv.floatPtr, wp = wt?.floatPtr
        // Per channel: Σ g and Σ g·(x − mean), accumulated in double.
        let sums = try Tensor(zeros: [2 * c])
        let sg = sums.floatPtr, sgx = sums.floatPtr + c
        // Raw pointers below: every tensor they point into lives to the end.
        defer { withExtendedLifetime((x, gy, mu, inv, wt, sums)) {} }
        let needDot = weightGrad && weight != nil || inputGrad && training
        Parallel.forEach(c, minPerThread: max(1, 8192 / max(count, 1))) { ch in
            var a = 0.0, b = 0.0
            let m = mp[ch]
            for s in 0..<n {
                let q = xp + (s * c + ch) * spatial, g = gp + (s * c + ch) * spatial
                // Float sums over runs of 256 (vectorised), added up in double.
                var i0 = 0
                while i0 < spatial {
                    let i1 = min(spatial, i0 + 256)
                    var fa: Float = 0, fb: Float = 0
                    if needDot {
                        for i in i0..<i1 { fa += g[i]; fb += g[i] * (q[i] - m) }
                    } else {
                        for i in i0..<i1 { fa += g[i] }
                    }
                    a += Double(fa); b += Double(fb)
                    i0 = i1
                }
            }
            sg[ch] = Float(a); sgx[ch] = Float(b)
        }
        try Cancellation.check()
        var gb: Tensor?, gw: Tensor?, gx: Tensor?
        if biasGrad {
            let t = try Tensor(zeros: [c])
            t.floatPtr.update(from: sg, count: c)
            gb = t
        }
        if weightGrad && weight != nil {
            let t = try Tensor(zeros: [c]), tp = t.floatPtr
            for ch in 0..<c { tp[ch] = sgx[ch] * sp[ch] }
            gw = t
        }
        if inputGrad {
            let out = try Tensor(uninitialized: input.shape), op = out.floatPtr
            let inverseCount = count > 0 ? 1 / Float(count) : 0
            Parallel.forEach(n * c, minPerThread: max(1, 16_384 / max(spatial, 1))) { i in
                let ch = i % c
                let scale = sp[ch] * (wp?[ch] ?? 1)
                let q = xp + i * spatial, g = gp + i * spatial, o = op + i * spatial
                if training {
                    // g·scale − (Σg/M)·scale − (x − mean)·invstd²·(Σg·(x − mean)/M)·scale
                    let m = mp[ch], meanG = sg[ch] * inverseCount
                    let k = sp[ch] * sp[ch] * sgx[ch] * inverseCount
                    for j in 0..<spatial { o[j] = (g[j] - meanG - (q[j] - m) * k) * scale }
                } else {
                    for j in 0..<spatial { o[j] = g[j] * scale }
                }
            }
            try Cancellation.check()
            gx = out
        }
        return BatchNormGrads(input: gx, weight: gw, bias: gb)
    }
}
