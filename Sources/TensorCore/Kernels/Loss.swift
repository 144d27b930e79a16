/// How a loss reduces over elements.
public enum LossReduction: String, Sendable {
    case none, mean, sum
}

extension Kernels {
    /// `F.nll_loss(input, target, reduction, ignore_index)` for input (N, C) or (C) of
    /// log-probabilities and int64 targets (N) or (). Mean divides by the non-ignored count.
    public static func nllLoss(_ input: Tensor, _ target: Tensor, reduction: LossReduction = .mean,
                               ignoreIndex: Int = -100) throws -> Tensor {
        guard input.rank == 1 || input.rank == 2 else {
            throw TensorError.shape("nll_loss: expected input of shape (N, C) or (C), but got \(sizes(input.shape))")
        }
        guard target.dtype == .int64 else {
            throw TensorError.type("expected scalar type Long but found \(scalarName(target.dtype))")
        }
        let batched = input.rank == 2
        let n = batched ? input.shape[0] : 1, c = input.shape[input.rank - 1]
        if batched {
            guard target.rank == 1 else { throw TensorError.shape("0D or 1D target tensor expected, multi-target not supported") }
            guard target.shape[0] == n else {
                throw TensorError.value("Expected input batch_size (\(n)) to match target batch_size (\(target.shape[0])).")
            }
        } else if target.rank != 0 {
            throw TensorError.shape("0D or 1D target tensor expected, multi-target not supported")
        }
        let x = try floatContiguous(input), t = target.toInt64s()
        let xp = x.floatPtr
        var losses = [Float](repeating: 0, count: n)
        var total: Float = 0, counted = 0
        for i in 0..<n {
            let k = Int(t[i])
            if k == ignoreIndex { continue }
            guard k >= 0 && k < c else { throw TensorError.index("Target \(k) is out of bounds.") }
            losses[i] = -xp[i * c + k]
            total += losses[i]
            counted += 1
        }
        switch reduction {
        case .none: return batched ? try Tensor(losses, shape: [n]) : .scalar(losses[0])
        case .sum: return .scalar(total)
        case .mean: return .scalar(counted == 0 ? .nan : total / Float(counted))
        }
    }

    /// `F.cross_entropy(input, target)` with class-index targets: nll_loss(log_softmax(input, 1)).
    public static func crossEntropy(_ input: Tensor, _ target: Tensor, reduction: LossReduction = .mean,
                                    ignoreIndex: Int = -100) throws -> Tensor {
        let dim = input.rank == 1 ? 0 : 1
        return try nllLoss(try logSoftmax(input, dim: dim), target, reduction: reduction, ignoreIndex: ignoreIndex)
    }

    /// `F.mse_loss(input, target)`: the mean (or sum) of squared differences, broadcasting as PyTorch does.
    public static func mseLoss(_ input: Tensor, _ target: Tensor, reduction: LossReduction = .mean) throws -> Tensor {
        let d = try Tensor.binary(.sub, input, target)
        let sq = try Tensor.binary(.mul, d, d)
        switch reduction {
        case .none: return sq
        case .sum: return try sq.sum()
        case .mean: return try sq.mean()
        }
    }
}
