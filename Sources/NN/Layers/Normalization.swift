import TensorCore

/// BatchNorm1d and BatchNorm2d: `(num_features, eps=1e-05, momentum=0.1,
/// affine=True, track_running_stats=True, *, bias=True)` (PyTorch 2.15's signature).
public class BatchNormNd: Module {
    public let numFeatures: Int
    public let eps: Double
    public let momentum: Double?
    public let affine: Bool, trackRunningStats: Bool

    init(_ numFeatures: Int, eps: Double, momentum: Double?, affine: Bool, trackRunningStats: Bool, bias: Bool) throws {
        self.numFeatures = numFeatures; self.eps = eps; self.momentum = momentum
        self.affine = affine; self.trackRunningStats = trackRunningStats
        super.init()
        if affine {
            registerParameter("weight", try Tensor.ones([numFeatures]))
            registerParameter("bias", bias ? try Tensor.zeros([numFeatures]) : nil)
        } else {
            registerParameter("weight", nil)
            registerParameter("bias", nil)
        }
        if trackRunningStats {
            registerBuffer("running_mean", try Tensor.zeros([numFeatures]))
            registerBuffer("running_var", try Tensor.ones([numFeatures]))
            registerBuffer("num_batches_tracked", Tensor.scalar(int: 0))
        } else {
            registerBuffer("running_mean", nil)
            registerBuffer("running_var", nil)
            registerBuffer("num_batches_tracked", nil)
        }
    }

    public override func extraRepr() -> String {
        "\(numFeatures), eps=\(PyFormat.float(eps)), momentum=\(momentum.map(PyFormat.float) ?? "None"), affine=\(PyFormat.bool(affine)), bias=\(PyFormat.bool(parameter("bias") != nil)), track_running_stats=\(PyFormat.bool(trackRunningStats))"
    }

    func checkInput(_ x: Tensor) throws {}

    public override func forward(_ input: Tensor) throws -> Tensor {
        try checkInput(input)
        var factor = momentum ?? 0
        if training && trackRunningStats, let n = buffer("num_batches_tracked") {
            n.storage.ints[n.offset] += 1
            if momentum == nil { factor = 1 / Double(n.storage.ints[n.offset]) }
        }
        let useBatchStats = training || !trackRunningStats
        return try Functional.batchNorm(input, runningMean: buffer("running_mean"), runningVar: buffer("running_var"),
                                        weight: parameter("weight"), bias: parameter("bias"),
                                        training: useBatchStats, momentum: factor, eps: eps)
    }
}

public final class BatchNorm2d: BatchNormNd {
    public override init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true,
                trackRunningStats: Bool = true, bias: Bool = true) throws {
        try super.init(numFeatures, eps: eps, momentum: momentum, affine: affine, trackRunningStats: trackRunningStats, bias: bias)
    }
    override func checkInput(_ x: Tensor) throws {
        if x.rank != 4 { throw TensorError.value("expected 4D input (got \(x.rank)D input)") }
    }
}

public final class BatchNorm1d: BatchNormNd {
    public override init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true,
                trackRunningStats: Bool = true, bias: Bool = true) throws {
        try super.init(numFeatures, eps: eps, momentum: momentum, affine: affine, trackRunningStats: trackRunningStats, bias: bias)
    }
    override func checkInput(_ x: Tensor) throws {
        if x.rank != 2 && x.rank != 3 { throw TensorError.value("expected 2D or 3D input (got \(x.rank)D input)") }
    }
}
