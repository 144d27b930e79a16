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
            try batchNormBackward(g.detach(), x.detach(), weight?.detach(), mean: r.mean, invstd: r.invstd,
                                  training: training, needWeight: weight?.requiresGrad == true,
                                  needBias: bias?.requiresGrad == true)
        }
    }

    static func batchNormBackward(_ g: Tensor, _ x: Tensor, _ weight: Tensor?, mean: Tensor, invstd: Tensor,
                                  training: Bool, needWeight: Bool, needBias: Bool) throws -> [Tensor?] {
        let c = x.shape[1]
        var cshape = [Int](repeating: 1, count: x.rank); cshape[1] = c
        let others = [0] + Array(2..<x.rank)
        let n = Double(x.numel / Swift.max(c, 1))
        let m = try mean.reshape(cshape), s = try invstd.reshape(cshape)
        let xhat = try Tensor.binary(.mul, try Tensor.binary(.sub, x, m), s)
        let sumG = try g.sum(dims: others, keepdim: true)
        let sumGX = try Tensor.binary(.mul, g, xhat).sum(dims: others, keepdim: true)
        let w = try weight.map { try $0.reshape(cshape) } ?? .scalar(1)
        let scale = try Tensor.binary(.mul, w, s)
        var gx: Tensor
        if training {
            // w·invstd/N · (N·g − Σg − x̂·Σ(g·x̂))
            var t = try Tensor.binary(.mul, g, .scalar(Float(n)))
            t = try Tensor.binary(.sub, t, sumG)
            t = try Tensor.binary(.sub, t, try Tensor.binary(.mul, xhat, sumGX))
            gx = try Tensor.binary(.mul, t, try Tensor.binary(.div, scale, .scalar(Float(n))))
        } else {
            gx = try Tensor.binary(.mul, g, scale)
        }
        let gw = needWeight ? try sumGX.reshape([c]) : nil
        let gb = needBias ? try sumG.reshape([c]) : nil
        return [gx, gw, gb]
    }
}
