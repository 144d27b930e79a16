import TensorCore

/// Losses: `F.nll_loss`, `F.cross_entropy`, `F.mse_loss`.
extension Functional {
    static func reduce(_ t: Tensor, _ reduction: String) throws -> Tensor {
        switch reduction {
        case "mean": return try t.mean()
        case "sum": return try t.sum()
        case "none": return t
        default: throw TensorError.value("\(reduction) is not a valid value for reduction")
        }
    }

    /// Moves the class dim (1) last: (N, C, d...) → (N·d..., C); (C) → (1, C).
    static func classesLast(_ input: Tensor) throws -> Tensor {
        if input.rank == 1 { return try input.unsqueeze(0) }
        if input.rank == 2 { return input }
        var perm = [0] + Array(2..<input.rank)
        perm.append(1)
        return try input.permute(perm).reshape([-1, input.shape[1]])
    }

    /// `F.nll_loss(input, target, weight=None, ignore_index=-100, reduction='mean')`.
    public static func nllLoss(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                               reduction: String = "mean") throws -> Tensor {
        History.record(try nllLossValue(input, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction),
                       "NllLossBackward0", [input, weight])
    }

    static func nllLossValue(_ input: Tensor, _ target: Tensor, weight: Tensor?, ignoreIndex: Int,
                             reduction: String) throws -> Tensor {
        guard target.dtype == .int64 else {
            throw TensorError.type("expected scalar type Long but found \(target.dtype == .float32 ? "Float" : "Bool")")
        }
        guard input.rank >= 1 else { throw TensorError.shape("input tensor should be 1D or 2D") }
        let batch = input.rank == 1 ? [] : [input.shape[0]] + Array(input.shape.dropFirst(2))
        if input.rank >= 2 && target.shape != batch {
            if target.rank >= 1 && target.shape[0] != input.shape[0] {
                throw TensorError.value("Expected input batch_size (\(input.shape[0])) to match target batch_size (\(target.shape[0])).")
            }
            throw TensorError.shape("expected target size \(Shape.describe(batch)), got \(Shape.describe(target.shape))")
        }
        let classes = input.shape[input.rank == 1 ? 0 : 1]
        if let weight, weight.numel != classes {
            throw TensorError.shape("weight tensor should be defined either for all \(classes) classes or no classes but got weight tensor of shape: \(Shape.describe(weight.shape))")
        }
        let x = try classesLast(input).contiguous().toFloats()
        let t = target.toInt64s()
        let w = weight?.toFloats()
        var losses = [Float](repeating: 0, count: t.count)
        var total: Double = 0, wsum: Double = 0
        for i in 0..<t.count {
            let c = Int(t[i])
            if c == ignoreIndex { continue }
            guard c >= 0 && c < classes else { throw TensorError.index("Target \(c) is out of bounds.") }
            let wc = Double(w?[c] ?? 1)
            let l = -wc * Double(x[i * classes + c])
            losses[i] = Float(l)
            total += l; wsum += wc
        }
        switch reduction {
        case "none": return try Tensor(losses, shape: target.shape)
        case "sum": return Tensor.scalar(Float(total))
        case "mean": return Tensor.scalar(Float(total / wsum))
        default: throw TensorError.value("\(reduction) is not a valid value for reduction")
        }
    }

    /// `F.cross_entropy(input, target, weight=None, ignore_index=-100,
    /// reduction='mean', label_smoothing=0.0)` for class-index targets.
    public static func crossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                                    reduction: String = "mean", labelSmoothing: Double = 0) throws -> Tensor {
        let y = try crossEntropyValue(input, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction,
                                      labelSmoothing: labelSmoothing)
        if y.gradFn == nil { History.record(y, labelSmoothing > 0 ? "AddBackward0" : "DivBackward0", [input, weight]) }
        return y
    }

    static func crossEntropyValue(_ input: Tensor, _ target: Tensor, weight: Tensor?, ignoreIndex: Int,
                                  reduction: String, labelSmoothing: Double) throws -> Tensor {
        guard labelSmoothing >= 0 && labelSmoothing <= 1 else {
            throw TensorError.value("label_smoothing must be between 0.0 and 1.0. Got: \(PyFormat.float(labelSmoothing))")
        }
        if target.dtype == .float32 && target.shape == input.shape {
            // Class probabilities as targets.
            let logp = try logSoftmax(input, dim: input.rank == 1 ? 0 : 1)
            var per = try Tensor.binary(.mul, logp, target).neg()
            if let weight {
                var ws = [Int](repeating: 1, count: input.rank); ws[input.rank == 1 ? 0 : 1] = weight.numel
                per = try Tensor.binary(.mul, per, weight.reshape(ws))
            }
            let summed = try per.sum(dims: [input.rank == 1 ? 0 : 1])
            if reduction == "mean" { return try Tensor.binary(.div, summed.sum(), .scalar(Float(max(input.rank == 1 ? 1 : input.shape[0], 1)))) }
            return try reduce(summed, reduction)
        }
        let logp = try logSoftmax(input, dim: input.rank == 1 ? 0 : 1)
        let nll = try nllLoss(logp, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
        guard labelSmoothing > 0 else { return nll }
        let classes = input.shape[input.rank == 1 ? 0 : 1]
        let x = try classesLast(logp).contiguous().toFloats()
        let t = target.toInt64s()
        let w = weight?.toFloats()
        var smooth = [Float](repeating: 0, count: t.count)
        var total: Double = 0, wsum: Double = 0
        for i in 0..<t.count where Int(t[i]) != ignoreIndex {
            var s: Double = 0
            for c in 0..<classes { s -= Double(w?[c] ?? 1) * Double(x[i * classes + c]) }
            smooth[i] = Float(s); total += s
            wsum += Double(w?[Int(t[i])] ?? 1)
        }
        let eps = labelSmoothing, k = Double(classes)
        switch reduction {
        case "none":
            let s = try Tensor(smooth, shape: target.shape)
            return try Tensor.binary(.add, Tensor.binary(.mul, nll, .scalar(Float(1 - eps))),
                                     Tensor.binary(.mul, s, .scalar(Float(eps / k))))
        case "sum":
            return Tensor.scalar(Float(Double(try nll.item()) * (1 - eps) + total * eps / k))
        default:
            return Tensor.scalar(Float(Double(try nll.item()) * (1 - eps) + total / wsum * eps / k))
        }
    }

    /// `F.mse_loss(input, target, reduction='mean')`.
    public static func mseLoss(_ input: Tensor, _ target: Tensor, reduction: String = "mean") throws -> Tensor {
        let d = try Tensor.binary(.sub, input, target)
        return History.record(try reduce(try Tensor.binary(.mul, d, d), reduction), "MseLossBackward0", [input, target])
    }
}
