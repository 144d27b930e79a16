/// Parameters of `batch_norm`.
public struct BatchNormParams: Sendable {
    public var training: Bool
    public var momentum: Double
    public var eps: Double

    public init(training: Bool, momentum: Double = 0.1, eps: Double = 1e-5) {
        self.training = training
        self.momentum = momentum
        self.eps = eps
    }
}

/// A batch norm forward's output, and the per-channel statistics it normalised with
/// (batch statistics in training, running ones in eval), kept for the backward pass.
public struct BatchNormResult {
    public let output: Tensor
    public let mean: Tensor      // (C)
    public let invstd: Tensor    // (C): 1/sqrt(var + eps)
}

extension Kernels {
    /// `F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)`
    /// for (N, C), (N, C, L), (N, C, H, W) and higher. Training normalises with the batch mean
    /// and biased variance and updates the running statistics in place with the unbiased variance:
    /// running = (1 − momentum)·running + momentum·batch.
    public static func batchNorm(_ input: Tensor, runningMean: Tensor?, runningVar: Tensor?, weight: Tensor?,
                                 bias: Tensor?, _ p: BatchNormParams) throws -> BatchNormResult {
        guard input.rank >= 2 else {
            throw TensorError.value("batch_norm: expected 2D or higher input (got \(input.rank)D input)")
        }
        let n = input.shape[0], c = input.shape[1]
        let spatial = Shape.count(Array(input.shape.dropFirst(2)))
        let count = n * spatial
        if p.training && count == 1 {
            throw TensorError.value("Expected more than 1 value per channel when training, got input size \(Shape.torchSize(input.shape))")
        }
        // PyTorch checks the running statistics first, then the affine parameters.
        for (name, t) in [("running_mean", runningMean), ("running_var", runningVar), ("weight", weight), ("bias", bias)] {
            if let t, t.numel != c {
                throw TensorError.shape("\(name) should contain \(c) elements not \(t.numel)")
            }
            if let t, t.dtype != .float32 {
                throw TensorError.type("expected scalar type Float but found \(scalarName(t.dtype))")
            }
        }
        if !p.training && (runningMean == nil || runningVar == nil) {
            throw TensorError.value("running_mean and running_var must be defined in evaluation mode")
        }
        let x = try floatContiguous(input)
        let out = try Tensor(uninitialized: input.shape)  // every element is written below
        let meanT = try Tensor(zeros: [c]), invstdT = try Tensor(zeros: [c])
        let xp = x.floatPtr, op = out.floatPtr, mp = meanT.floatPtr, sp = invstdT.floatPtr
        let w = weight.map { $0.toFloats() }, b = bias.map { $0.toFloats() }
        if p.training {
            var unbiased = [Double](repeating: 0, count: c)
            unbiased.withUnsafeMutableBufferPointer { ub in
                Parallel.forEach(c, minPerThread: max(1, 8192 / max(count, 1))) { ch in
                    var sum = 0.0
                    for s in 0..<n {
                        let q = xp + (s * c + ch) * spatial
                        for i in 0..<spatial { sum += Double(q[i]) }
                    }
                    let mean = count > 0 ? sum / Double(count) : .nan
                    var sq = 0.0
                    for s in 0..<n {
                        let q = xp + (s * c + ch) * spatial
                        for i in 0..<spatial { let d = Double(q[i]) - mean; sq += d * d }
                    }
                    let biased = count > 0 ? sq / Double(count) : .nan
                    mp[ch] = Float(mean)
                    sp[ch] = Float(1 / (biased + p.eps).squareRoot())
                    ub[ch] = count > 1 ? sq / Double(count - 1) : .nan
                }
            }
            try Cancellation.check()   // never fold a partial pass into the running statistics
            let m = p.momentum
            if let rm = runningMean {
                var ch = 0
                rm.forEachOffset { o in
                    rm.storage.floats[o] = Float((1 - m) * Double(rm.storage.floats[o]) + m * Double(mp[ch])); ch += 1
                }
            }
            if let rv = runningVar {
                var ch = 0
                rv.forEachOffset { o in
                    rv.storage.floats[o] = Float((1 - m) * Double(rv.storage.floats[o]) + m * unbiased[ch]); ch += 1
                }
            }
        } else if let rm = runningMean, let rv = runningVar {
            let means = rm.toFloats(), vars = rv.toFloats()
            for ch in 0..<c {
                mp[ch] = means[ch]
                sp[ch] = Float(1 / (Double(vars[ch]) + p.eps).squareRoot())
            }
        }
        // y = (x − mean)·invstd·w + b = x·scale + shift per channel.
        Parallel.forEach(n * c, minPerThread: max(1, chunk / max(spatial, 1))) { i in
            let ch = i % c
            let scale = sp[ch] * (w?[ch] ?? 1)
            let shift = (b?[ch] ?? 0) - mp[ch] * scale
            let q = xp + i * spatial, o = op + i * spatial
            for j in 0..<spatial { o[j] = q[j] * scale + shift }
        }
        return BatchNormResult(output: out, mean: meanT, invstd: invstdT)
    }
}
