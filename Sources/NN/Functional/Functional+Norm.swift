import TensorCore

/// Normalisation, softmax, the parametrised activations and dropout.
extension Functional {
    /// `F.batch_norm(input, running_mean, running_var, weight=None, bias=None,
    /// training=False, momentum=0.1, eps=1e-05)`.
    public static func batchNorm(_ x: Tensor, runningMean: Tensor?, runningVar: Tensor?, weight: Tensor? = nil,
                                 bias: Tensor? = nil, training: Bool = false, momentum: Double = 0.1,
                                 eps: Double = 1e-5) throws -> Tensor {
        if !training && (runningMean == nil || runningVar == nil) {
            throw TensorError.value("running_mean and running_var must be defined in evaluation mode")
        }
        let y = try Kernels.batchNorm(x, runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias,
                                      BatchNormParams(training: training, momentum: momentum, eps: eps)).output
        return History.record(y, "NativeBatchNormBackward0", [x, weight, bias])
    }

    public static func softmax(_ x: Tensor, dim: Int) throws -> Tensor {
        History.record(try Kernels.softmax(x, dim: dim), "SoftmaxBackward0", [x])
    }
    public static func logSoftmax(_ x: Tensor, dim: Int) throws -> Tensor {
        History.record(try Kernels.logSoftmax(x, dim: dim), "LogSoftmaxBackward0", [x])
    }

    /// `F.prelu(input, weight)`.
    public static func prelu(_ x: Tensor, weight: Tensor) throws -> Tensor {
        History.record(try Kernels.prelu(x, weight), "PreluKernelBackward0", [x, weight])
    }

    /// `F.rrelu(input, lower=1/8, upper=1/3, training=False)`.
    public static func rrelu(_ x: Tensor, lower: Double = 1.0 / 8, upper: Double = 1.0 / 3,
                             training: Bool = false) throws -> Tensor {
        History.record(try Kernels.rrelu(x, lower: lower, upper: upper, training: training), "RreluWithNoiseBackward0", [x])
    }

    /// `F.dropout(input, p=0.5, training=True)`.
    public static func dropout(_ x: Tensor, p: Double = 0.5, training: Bool = true) throws -> Tensor {
        History.record(try Kernels.dropout(x, p: p, training: training), "MulBackward0", [x])
    }

    /// `F.dropout2d(input, p=0.5, training=True)`.
    public static func dropout2d(_ x: Tensor, p: Double = 0.5, training: Bool = true) throws -> Tensor {
        History.record(try Kernels.dropout2d(x, p: p, training: training), "MulBackward0", [x])
    }
}
