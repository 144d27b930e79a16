import TensorCore

/// Losses: `F.nll_loss`, `F.cross_entropy`, `F.mse_loss`.
extension Functional {
    static func reduce(_ t: Tensor, _ reduction: String) throws -> Tensor {
        switch reduction {
        case "mean": return try mean(t)
        case "sum": return try sum(t)
        case "none": return t
        default: throw TensorError.value("\(reduction) is not a valid value for reduction")
        }
    }

    /// Moves the class dim (1) last: (N, C, d...) → (N·d..., C); (C) → (1, C).
    static func classesLast(_ input: Tensor) throws -> Tensor {
        if input.rank == 1 { return try unsqueeze(input, 0) }
        if input.rank == 2 { return input }
        var perm = [0] + Array(2..<input.rank)
        perm.append(1)
        return try reshape(try permute(input, perm), [-1, input.shape[1]])
    }

    /// `F.nll_loss(input, target, weight=None, ignore_index=-100, reduction='mean')`.
    public static func nllLoss(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                               reduction: String = "mean") throws -> Tensor {
        let y = try nllLossValue(input, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
        return Autograd.record(y, "NllLossBackward0", [input], saving: [input]) { g in
            if fused(g, input, weight) {
                return [try Kernels.nllLossBackward(g.detach(), inputShape: input.shape, target: target, weight: weight,
                                                    ignoreIndex: ignoreIndex, reduction: reduction)]
            }
            return [try nllLossBackward(g.detach(), input, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)]
        }
    }

    /// dL/dinput of nll_loss: −w[t]·g at each target class (÷ Σw for 'mean'), zero elsewhere;
    /// for float64 (float32 takes `Kernels.nllLossBackward`).
    static func nllLossBackward(_ g: Tensor, _ input: Tensor, _ target: Tensor, weight: Tensor?, ignoreIndex: Int,
                                reduction: String) throws -> Tensor {
        let classes = input.shape[input.rank == 1 ? 0 : 1]
        let t = target.toInt64s()
        let w = weight?.toFloats()
        var wsum: Double = 0
        for c in t where Int(c) != ignoreIndex { wsum += Double(w?[Int(c)] ?? 1) }
        let gv = try g.contiguous().toFloats()
        // Rows in (N·d..., C) layout, then moved back to the input's layout.
        let rows = try Tensor(zeros: [t.count, classes], dtype: input.dtype == .float64 ? .float64 : .float32)
        let gd = input.dtype == .float64 ? try g.contiguous().toDoubles() : []
        for i in 0..<t.count {
            let c = Int(t[i])
            if c == ignoreIndex || c < 0 || c >= classes { continue }
            if input.dtype == .float64 {
                // float64: the same formula in double.
                let wc = Double(weight.map { $0.toDoubles()[c] } ?? 1)
                let gi = reduction == "none" ? gd[i] : gd[0]
                rows.setDouble(reduction == "mean" ? -wc * gi / wsum : -wc * gi, atStorageOffset: i * classes + c)
                continue
            }
            let wc = Float(w?[c] ?? 1)
            let gi: Float = reduction == "none" ? gv[i] : gv[0]
            rows.floatPtr[i * classes + c] = reduction == "mean" ? -wc * gi / Float(wsum) : -wc * gi
        }
        if input.rank == 1 { return try rows.reshape([classes]) }
        if input.rank == 2 { return rows }
        let lead = [input.shape[0]] + Array(input.shape.dropFirst(2))
        var perm = [0, input.rank - 1]
        perm += Array(1..<(input.rank - 1))
        return try rows.reshape(lead + [classes]).permute(perm).contiguous()
    }

    static func nllLossValue(_ input: Tensor, _ target: Tensor, weight: Tensor?, ignoreIndex: Int,
                             reduction: String) throws -> Tensor {
        guard target.dtype == .int64 else {
            throw TensorError.runtime("expected target dtype to be Long or Byte, but got \(target.dtype.scalarTypeName)")
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
        let x = try classesLast(input).contiguous().toDoubles()
        let t = target.toInt64s()
        let w = weight?.toDoubles()
        var losses = [Double](repeating: 0, count: t.count)
        var total: Double = 0, wsum: Double = 0
        for i in 0..<t.count {
            let c = Int(t[i])
            if c == ignoreIndex { continue }
            guard c >= 0 && c < classes else { throw TensorError.index("Target \(c) is out of bounds.") }
            let wc = w?[c] ?? 1
            let l = -wc * x[i * classes + c]
            losses[i] = input.dtype == .float64 ? l : Double(Float(l))
            total += l; wsum += wc
        }
        // Summed in double; the result in the input's dtype (float32 rounds once).
        let dtype: DType = input.dtype == .float64 ? .float64 : .float32
        switch reduction {
        case "none":
            let out = try Tensor(zeros: target.shape, dtype: dtype)
            for (i, l) in losses.enumerated() { out.setDouble(l, atStorageOffset: i) }
            return out
        case "sum": return Tensor.scalar(total, dtype: dtype)
        case "mean": return Tensor.scalar(total / wsum, dtype: dtype)
        default: throw TensorError.value("\(reduction) is not a valid value for reduction")
        }
    }

    /// `F.cross_entropy(input, target, weight=None, ignore_index=-100,
    /// reduction='mean', label_smoothing=0.0)` for class-index targets.
    public static func crossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                                    reduction: String = "mean", labelSmoothing: Double = 0) throws -> Tensor {
        try crossEntropyValue(input, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction,
                              labelSmoothing: labelSmoothing)
    }

    static func crossEntropyValue(_ input: Tensor, _ target: Tensor, weight: Tensor?, ignoreIndex: Int,
                                  reduction: String, labelSmoothing: Double) throws -> Tensor {
        guard labelSmoothing >= 0 && labelSmoothing <= 1 else {
            throw TensorError.value("label_smoothing must be between 0.0 and 1.0. Got: \(PyFormat.float(labelSmoothing))")
        }
        if target.dtype == .float32 && target.shape == input.shape {
            // Class probabilities as targets.
            let cdim = input.rank == 1 ? 0 : 1
            let k = Double(input.shape[cdim])
            let logp = try logSoftmax(input, dim: cdim)
            // Smoothed targets: (1 − ε)·p + ε/C.
            let tgt = labelSmoothing > 0
                ? try Tensor.binary(.add, try Tensor.binary(.mul, target, scalar(1 - labelSmoothing)), scalar(labelSmoothing / k))
                : target
            var per = try neg(try mul(logp, tgt))
            if let weight {
                var ws = [Int](repeating: 1, count: input.rank); ws[cdim] = weight.numel
                per = try mul(per, try reshape(weight, ws))
            }
            let summed = try sum(per, dims: [cdim])
            if reduction == "mean" { return try div(try sum(summed), scalar(Double(Swift.max(input.rank == 1 ? 1 : input.shape[0], 1)))) }
            return try reduce(summed, reduction)
        }
        let logp = try logSoftmax(input, dim: input.rank == 1 ? 0 : 1)
        let nll = try nllLoss(logp, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
        guard labelSmoothing > 0 else { return nll }
        // ε/C · Σ_c −w_c·log p_c per sample (ignored targets dropped), mixed with the nll term.
        let cdim = input.rank == 1 ? 0 : 1
        let k = Double(input.shape[cdim])
        var wl = logp
        if let weight {
            var ws = [Int](repeating: 1, count: input.rank); ws[cdim] = weight.numel
            wl = try mul(logp, try reshape(weight, ws))
        }
        var smooth = try neg(try sum(wl, dims: [cdim]))
        let keep = try Tensor.compare(.ne, target, .scalar(int: Int64(ignoreIndex)))
        smooth = try whereZero(keep, smooth, keepWhere: true)
        let eps = labelSmoothing
        switch reduction {
        case "none":
            return try add(try mul(nll, scalar(1 - eps)), try mul(smooth, scalar(eps / k)))
        case "sum":
            return try add(try mul(nll, scalar(1 - eps)), try mul(try sum(smooth), scalar(eps / k)))
        case "mean":
            let t = target.toInt64s(), w = weight?.toFloats()
            var wsum: Double = 0
            for c in t where Int(c) != ignoreIndex { wsum += Double(w?[Int(c)] ?? 1) }
            return try add(try mul(nll, scalar(1 - eps)), try mul(try sum(smooth), scalar(eps / k / wsum)))
        default:
            throw TensorError.value("\(reduction) is not a valid value for reduction")
        }
    }

    /// `F.mse_loss(input, target, reduction='mean')`.
    public static func mseLoss(_ input: Tensor, _ target: Tensor, reduction: String = "mean") throws -> Tensor {
        let d = try Tensor.binary(.sub, input, target)
        let y = try reduce(try Tensor.binary(.mul, d, d).detach(), reduction)
        return Autograd.record(y.detach(), "MseLossBackward0", [input, target], saving: [input, target]) { g in
            if fused(g, input, target) {
                let r = try Kernels.mseLossBackward(g, input: input, target: target, reduction: reduction)
                return [r.input, target.requiresGrad ? r.target : nil]
            }
            // 2(x − t)·g (÷ N for 'mean').
            var gd = try mul(try sub(input, target), scalar(reduction == "mean" ? 2.0 / Double(Swift.max(d.numel, 1)) : 2))
            gd = try mul(gd, g)
            return [gd, target.requiresGrad ? try neg(gd) : nil]
        }
    }
}
