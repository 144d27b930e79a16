import TensorCore

/// Normalisation.
extension Functional {
    /// `F.batch_norm(input, running_mean, running_var, weight=None, bias=None,
    /// training=False, momentum=0.1, eps=1e-05)`. The backward uses the statistics the
    /// forward normalised with (batch ones in training) and never touches the running ones.
    public static func batchNorm(_ x: Tensor, runningMean: Tensor?, runningVar: Tensor?, weight: Tensor? = nil,
                                 bias: Tensor? = nil, training: Bool = false, momentum: Double = 0.1,
                                 eps: Double = 1e-5) throws -> Tensor {
        if !training && (runningMean == nil || runningVar == nil) {
            throw TensorError.value("running_mean and running_var must be defined in evaluation mode")
        }
        let r = try Kernels.batchNorm(x, runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias,
                                      BatchNormParams(training: training, momentum: momentum, eps: eps))
        return Autograd.record(r.output, "NativeBatchNormBackward0", [x, weight, bias], saving: [x]) { g in
            let grads = try Kernels.batchNormBackward(g.detach(), input: x.detach(), weight: weight?.detach(),
                                                      mean: r.mean, invstd: r.invstd, training: training,
                                                      inputGrad: x.requiresGrad, weightGrad: weight?.requiresGrad == true,
                                                      biasGrad: bias?.requiresGrad == true)
            return [grads.input, grads.weight, grads.bias]
        }
    }
}
