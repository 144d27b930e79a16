import TensorCore

/// The regression, binary and distribution losses, composed of differentiable ops.
extension Functional {
    static func checkSameShape(_ input: Tensor, _ target: Tensor, _ name: String) throws {
        if input.shape != target.shape && (try? Shape.broadcast(input.shape, target.shape)) == nil {
            throw TensorError.shape("The size of tensor a (\(input.shape.last ?? 0)) must match the size of tensor b (\(target.shape.last ?? 0)) at non-singleton dimension \(Swift.max(input.rank, target.rank) - 1)")
        }
    }

    /// `F.l1_loss(input, target, reduction='mean')`.
    public static func l1Loss(_ input: Tensor, _ target: Tensor, reduction: String = "mean") throws -> Tensor {
        try checkSameShape(input, target, "l1_loss")
        return try reduce(try abs(try sub(input, target)), reduction)
    }

    /// `F.smooth_l1_loss(input, target, reduction='mean', beta=1.0)`.
    public static func smoothL1Loss(_ input: Tensor, _ target: Tensor, reduction: String = "mean", beta: Double = 1) throws -> Tensor {
        guard beta >= 0 else { throw TensorError.value("smooth_l1_loss does not support negative values for beta.") }
        if beta == 0 { return try l1Loss(input, target, reduction: reduction) }
        let d = try abs(try sub(input, target))
        let small = try Tensor.compare(.lt, d.detach(), scalar(beta))
        let quadratic = try div(try mul(try square(d), scalar(0.5)), scalar(beta))
        let linear = try sub(d, scalar(0.5 * beta))
        return try reduce(try `where`(small, quadratic, linear), reduction)
    }

    /// `F.huber_loss(input, target, reduction='mean', delta=1.0)`.
    public static func huberLoss(_ input: Tensor, _ target: Tensor, reduction: String = "mean", delta: Double = 1) throws -> Tensor {
        guard delta > 0 else { throw TensorError.value("huber_loss does not support non-positive values for delta.") }
        let d = try abs(try sub(input, target))
        let small = try Tensor.compare(.lt, d.detach(), scalar(delta))
        let quadratic = try mul(try square(d), scalar(0.5))
        let linear = try mul(try sub(d, scalar(0.5 * delta)), scalar(delta))
        return try reduce(try `where`(small, quadratic, linear), reduction)
    }

    /// `F.binary_cross_entropy(input, target, weight=None, reduction='mean')`: logs clamped at −100 as PyTorch.
    public static func binaryCrossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil,
                                          reduction: String = "mean") throws -> Tensor {
        guard input.shape == target.shape else {
            throw TensorError.value("Using a target size (\(Shape.torchSize(target.shape))) that is different to the input size (\(Shape.torchSize(input.shape))) is deprecated. Please ensure they have the same size.")
        }
        let v = input.toFloats()
        if v.contains(where: { !($0 >= 0 && $0 <= 1) }) {
            throw TensorError.runtime("all elements of input should be between 0 and 1")
        }
        let logX = try clamp(try log(input), min: -100, max: nil)
        let log1mX = try clamp(try log(try sub(scalar(1), input)), min: -100, max: nil)
        var loss = try neg(try add(try mul(target, logX), try mul(try sub(scalar(1), target), log1mX)))
        if let weight { loss = try mul(loss, weight) }
        return try reduce(loss, reduction)
    }

    /// `F.binary_cross_entropy_with_logits(input, target, weight=None, reduction='mean', pos_weight=None)`:
    /// (1 − t)·x + (1 + (pos_weight − 1)·t)·softplus(−x), computed stably.
    public static func binaryCrossEntropyWithLogits(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil,
                                                    reduction: String = "mean", posWeight: Tensor? = nil) throws -> Tensor {
        guard input.shape == target.shape else {
            throw TensorError.value("Target size (\(Shape.torchSize(target.shape))) must be the same as input size (\(Shape.torchSize(input.shape)))")
        }
        // softplus(−x) = log(1 + e^(−|x|)) + max(−x, 0)
        let softplus = try add(try log(try add(scalar(1), try exp(try neg(try abs(input))))), try relu(try neg(input)))
        let lw = try posWeight.map { pw in try add(scalar(1), try mul(try sub(pw, scalar(1)), target)) }
        var loss = try mul(try sub(scalar(1), target), input)
        loss = try add(loss, lw.map { try mul($0, softplus) } ?? softplus)
        if let weight { loss = try mul(loss, weight) }
        return try reduce(loss, reduction)
    }

    /// `F.kl_div(input, target, reduction='mean', log_target=False)`: input holds log-probabilities.
    public static func klDiv(_ input: Tensor, _ target: Tensor, reduction: String = "mean", logTarget: Bool = false) throws -> Tensor {
        let pointwise: Tensor
        if logTarget {
            pointwise = try mul(try exp(target), try sub(target, input))
        } else {
            // xlogy(t, t) − t·input, with 0·log 0 = 0.
            let positive = try Tensor.compare(.gt, target.detach(), .scalar(0))
            let safe = try `where`(positive, target, .scalar(1))
            pointwise = try sub(try whereZero(positive, try mul(target, try log(safe)), keepWhere: true), try mul(target, input))
        }
        if reduction == "batchmean" {
            let n = input.rank == 0 ? 1 : input.shape[0]
            return try div(try sum(pointwise), scalar(Double(n)))
        }
        return try reduce(pointwise, reduction)
    }
}
