import TensorCore

/// Fast paths for inference through built-in containers, taken only when no module
/// observer (hook, summary recorder) is active, so no one can see the intermediate
/// tensors they overwrite, and when no gradient is needed (grad mode off, or neither
/// the input nor any parameter involved requires grad), so no saved value is overwritten:
/// - `Conv2d → BatchNorm2d (eval) [→ ReLU]` applies the batch norm (and ReLU) in place
///   on the convolution's fresh output: one pass instead of two or three allocations.
/// - `BatchNorm → ReLU` applies the ReLU in place on the batch norm's fresh output.
/// - `Residual` adds the shortcut into the body's fresh output, with its ReLU in the same pass.
enum Fusion {
    static var enabled: Bool { ModuleObservers.active.isEmpty }

    /// True when running `mods` on `x` records no history.
    static func gradFree(_ x: Tensor, _ mods: [Module]) -> Bool {
        guard GradMode.enabled else { return true }
        if x.requiresGrad { return false }
        return !mods.contains { m in m.parameters().contains { $0.requiresGrad } }
    }

    /// Eval-mode batch norm's (scale, shift) when `bn` normalises `x` with running statistics.
    static func evalScaleShift(_ bn: BatchNormNd, for x: Tensor) throws -> (scale: [Float], shift: [Float])? {
        guard !bn.training, bn.trackRunningStats, x.dtype == .float32, x.isContiguous, x.rank >= 2,
              x.shape[1] == bn.numFeatures, let mean = bn.buffer("running_mean"), let variance = bn.buffer("running_var")
        else { return nil }
        try bn.checkInput(x)
        return try Kernels.batchNormScaleShift(channels: bn.numFeatures, runningMean: mean, runningVar: variance,
                                               weight: bn.parameter("weight"), bias: bn.parameter("bias"), eps: bn.eps)
    }

    /// Sequential's forward with the fused steps; `mods` are its children in order.
    static func sequential(_ input: Tensor, _ mods: [Module]) throws -> Tensor {
        var x = input, i = 0
        while i < mods.count {
            let m = mods[i]
            if m is Conv2d, i + 1 < mods.count, let bn = mods[i + 1] as? BatchNormNd, gradFree(x, [m, bn]) {
                let y = try m(x)
                if y !== x, y.storage !== x.storage, let (scale, shift) = try evalScaleShift(bn, for: y) {
                    let relu = i + 2 < mods.count && mods[i + 2] is ReLU
                    try Kernels.affineChannelsInPlace(y, scale: scale, shift: shift, relu: relu)
                    x = y
                    i += relu ? 3 : 2
                } else {
                    x = try bn(y)
                    i += 2
                }
                continue
            }
            let y = try m(x)
            if m is BatchNormNd, i + 1 < mods.count, mods[i + 1] is ReLU, y !== x, y.storage !== x.storage,
               y.dtype == .float32, y.isContiguous, !y.requiresGrad {
                Kernels.reluLoop(y.floatPtr, y.floatPtr, y.numel)
                i += 2
            } else {
                i += 1
            }
            x = y
        }
        return x
    }

    /// Whether `body`'s output is always a tensor it allocated (so it may be overwritten).
    static func freshOutput(_ body: Module) -> Bool {
        guard let seq = body as? Sequential, let last = seq.children.last else { return false }
        return last is BatchNormNd || last is Conv2d
    }

    /// Residual's `activation(y + s)` into `y` when that is safe; false when it is not.
    static func residualAdd(body: Module, input: Tensor, _ y: Tensor, _ s: Tensor, activation: Module?) throws -> Bool {
        guard enabled, !y.requiresGrad, !s.requiresGrad, freshOutput(body), activation == nil || activation is ReLU,
              y !== input, y !== s, y.storage !== input.storage, y.storage !== s.storage,
              y.dtype == .float32, s.dtype == .float32, y.isContiguous, s.isContiguous, y.shape == s.shape
        else { return false }
        try Kernels.addInPlace(y, s, relu: activation != nil)
        return true
    }
}
