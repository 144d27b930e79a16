import TensorCore
#if canImport(Glibc)
import Glibc
#endif

/// `torch.optim.lr_scheduler`: each scheduler sets its optimiser's group learning
/// rates with PyTorch's (chainable) formulas. Made, it takes its first step
/// (`last_epoch` 0), as PyTorch's constructor does.
open class LRScheduler {
    public let optimizer: Optimizer
    public var lastEpoch: Int
    public var baseLRs: [Double]
    public var lastLRs: [Double] = []
    var stepCount = 0
    open var name: String { "LRScheduler" }

    public init(_ optimizer: Optimizer, lastEpoch: Int = -1) throws {
        self.optimizer = optimizer
        if lastEpoch == -1 {
            for g in optimizer.paramGroups where g["initial_lr"] == nil { g["initial_lr"] = .double(g.lr) }
        } else {
            for (i, g) in optimizer.paramGroups.enumerated() where g["initial_lr"] == nil {
                throw TensorError.runtime("param 'initial_lr' is not specified in param_groups[\(i)] when resuming an optimizer")
            }
        }
        baseLRs = optimizer.paramGroups.map { $0.number("initial_lr") }
        self.lastEpoch = lastEpoch
    }

    /// The constructor's first step (subclasses call it once their fields are set).
    func initialStep() throws { try step() }

    /// `step()`: the next epoch's learning rates.
    public func step() throws {
        stepCount += 1
        lastEpoch += 1
        let lrs = try computeLRs()
        for (g, lr) in zip(optimizer.paramGroups, lrs) { g.lr = lr }
        lastLRs = optimizer.paramGroups.map(\.lr)
    }

    /// `get_last_lr()`.
    public var lastLR: [Double] { lastLRs }

    open func computeLRs() throws -> [Double] { optimizer.paramGroups.map(\.lr) }

    var groupLRs: [Double] { optimizer.paramGroups.map(\.lr) }
}

/// `StepLR(optimizer, step_size, gamma=0.1, last_epoch=-1)`.
public final class StepLR: LRScheduler {
    public let stepSize: Int, gamma: Double
    public override var name: String { "StepLR" }
    public init(_ o: Optimizer, stepSize: Int, gamma: Double = 0.1, lastEpoch: Int = -1) throws {
        self.stepSize = stepSize; self.gamma = gamma
        try super.init(o, lastEpoch: lastEpoch)
        try initialStep()
    }
    public override func computeLRs() throws -> [Double] {
        if lastEpoch == 0 || lastEpoch % stepSize != 0 { return groupLRs }
        return groupLRs.map { $0 * gamma }
    }
}

/// `MultiStepLR(optimizer, milestones, gamma=0.1, last_epoch=-1)`.
public final class MultiStepLR: LRScheduler {
    public let milestones: [Int], gamma: Double
    public override var name: String { "MultiStepLR" }
    public init(_ o: Optimizer, milestones: [Int], gamma: Double = 0.1, lastEpoch: Int = -1) throws {
        self.milestones = milestones; self.gamma = gamma
        try super.init(o, lastEpoch: lastEpoch)
        try initialStep()
    }
    public override func computeLRs() throws -> [Double] {
        let hits = milestones.filter { $0 == lastEpoch }.count
        if hits == 0 { return groupLRs }
        return groupLRs.map { $0 * Glibc.pow(gamma, Double(hits)) }
    }
}

/// `ExponentialLR(optimizer, gamma, last_epoch=-1)`.
public final class ExponentialLR: LRScheduler {
    public let gamma: Double
    public override var name: String { "ExponentialLR" }
    public init(_ o: Optimizer, gamma: Double, lastEpoch: Int = -1) throws {
        self.gamma = gamma
        try super.init(o, lastEpoch: lastEpoch)
        try initialStep()
    }
    public override func computeLRs() throws -> [Double] {
        lastEpoch == 0 ? groupLRs : groupLRs.map { $0 * gamma }
    }
}

/// `CosineAnnealingLR(optimizer, T_max, eta_min=0.0, last_epoch=-1)`, in PyTorch's recursive form.
public final class CosineAnnealingLR: LRScheduler {
    public let tMax: Int, etaMin: Double
    public override var name: String { "CosineAnnealingLR" }
    public init(_ o: Optimizer, tMax: Int, etaMin: Double = 0, lastEpoch: Int = -1) throws {
        self.tMax = tMax; self.etaMin = etaMin
        try super.init(o, lastEpoch: lastEpoch)
        try initialStep()
    }
    public override func computeLRs() throws -> [Double] {
        let e = Double(lastEpoch), t = Double(tMax)
        if lastEpoch == 0 { return groupLRs }
        if stepCount == 1 && lastEpoch > 0 {
            return baseLRs.map { etaMin + ($0 - etaMin) * (1 + cos(e * Double.pi / t)) / 2 }
        }
        if (lastEpoch - 1 - tMax) % (2 * tMax) == 0 {
            return zip(groupLRs, baseLRs).map { lr, base in lr + (base - etaMin) * (1 - cos(Double.pi / t)) / 2 }
        }
        return groupLRs.map { lr in
            (1 + cos(Double.pi * e / t)) / (1 + cos(Double.pi * (e - 1) / t)) * (lr - etaMin) + etaMin
        }
    }
}

/// `LambdaLR(optimizer, lr_lambda, last_epoch=-1)`: base_lr · lr_lambda(epoch).
public final class LambdaLR: LRScheduler {
    public let lambdas: [(Int) throws -> Double]
    public override var name: String { "LambdaLR" }
    public init(_ o: Optimizer, lambdas: [(Int) throws -> Double], lastEpoch: Int = -1) throws {
        guard lambdas.count == 1 || lambdas.count == o.paramGroups.count else {
            throw TensorError.value("Expected \(o.paramGroups.count) lr_lambdas, but got \(lambdas.count)")
        }
        self.lambdas = lambdas.count == 1 ? Array(repeating: lambdas[0], count: o.paramGroups.count) : lambdas
        try super.init(o, lastEpoch: lastEpoch)
        try initialStep()
    }
    public override func computeLRs() throws -> [Double] {
        try zip(baseLRs, lambdas).map { base, f in base * (try f(lastEpoch)) }
    }
}

/// `OneCycleLR(optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None, pct_start=0.3,
/// anneal_strategy='cos', cycle_momentum=True, base_momentum=0.85, max_momentum=0.95, div_factor=25.0,
/// final_div_factor=10000.0, three_phase=False, last_epoch=-1)`.
public final class OneCycleLR: LRScheduler {
    struct Phase { let end: Double; let startLR, endLR, startMom, endMom: String }
    let totalSteps: Int
    let phases: [Phase]
    let cos: Bool
    let cycleMomentum: Bool
    public override var name: String { "OneCycleLR" }

    public init(_ o: Optimizer, maxLR: [Double], totalSteps: Int?, epochs: Int?, stepsPerEpoch: Int?, pctStart: Double = 0.3,
                annealStrategy: String = "cos", cycleMomentum: Bool = true, baseMomentum: Double = 0.85,
                maxMomentum: Double = 0.95, divFactor: Double = 25, finalDivFactor: Double = 1e4,
                threePhase: Bool = false, lastEpoch: Int = -1) throws {
        if let totalSteps {
            guard totalSteps > 0 else { throw TensorError.value("Expected positive integer total_steps, but got \(totalSteps)") }
            self.totalSteps = totalSteps
        } else if let epochs, let stepsPerEpoch {
            guard epochs > 0 else { throw TensorError.value("Expected positive integer epochs, but got \(epochs)") }
            guard stepsPerEpoch > 0 else { throw TensorError.value("Expected positive integer steps_per_epoch, but got \(stepsPerEpoch)") }
            self.totalSteps = epochs * stepsPerEpoch
        } else {
            throw TensorError.value("You must define either total_steps OR (epochs AND steps_per_epoch)")
        }
        guard pctStart >= 0 && pctStart <= 1 else {
            throw TensorError.value("Expected float between 0 and 1 pct_start, but got \(PyFormat.float(pctStart))")
        }
        guard annealStrategy == "cos" || annealStrategy == "linear" else {
            throw TensorError.value("anneal_strategy must be one of 'cos' or 'linear', instead got \(annealStrategy)")
        }
        cos = annealStrategy == "cos"
        let t = Double(self.totalSteps)
        if threePhase {
            phases = [Phase(end: pctStart * t - 1, startLR: "initial_lr", endLR: "max_lr", startMom: "max_momentum", endMom: "base_momentum"),
                      Phase(end: 2 * pctStart * t - 2, startLR: "max_lr", endLR: "initial_lr", startMom: "base_momentum", endMom: "max_momentum"),
                      Phase(end: t - 1, startLR: "initial_lr", endLR: "min_lr", startMom: "max_momentum", endMom: "max_momentum")]
        } else {
            phases = [Phase(end: pctStart * t - 1, startLR: "initial_lr", endLR: "max_lr", startMom: "max_momentum", endMom: "base_momentum"),
                      Phase(end: t - 1, startLR: "max_lr", endLR: "min_lr", startMom: "base_momentum", endMom: "max_momentum")]
        }
        guard maxLR.count == 1 || maxLR.count == o.paramGroups.count else {
            throw TensorError.value("expected \(o.paramGroups.count) values for max_lr, got \(maxLR.count)")
        }
        self.cycleMomentum = cycleMomentum
        for (i, g) in o.paramGroups.enumerated() {
            let m = maxLR.count == 1 ? maxLR[0] : maxLR[i]
            if lastEpoch == -1 {
                g["initial_lr"] = .double(m / divFactor)
                g["max_lr"] = .double(m)
                g["min_lr"] = .double(m / divFactor / finalDivFactor)
            }
            if cycleMomentum {
                let usesBetas = g["betas"] != nil
                guard usesBetas || g["momentum"] != nil else {
                    throw TensorError.value("optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
                }
                if lastEpoch == -1 {
                    if case .pair(_, let b2)? = g["betas"] { g["betas"] = .pair(maxMomentum, b2) } else { g["momentum"] = .double(maxMomentum) }
                    g["max_momentum"] = .double(maxMomentum)
                    g["base_momentum"] = .double(baseMomentum)
                }
            }
        }
        try super.init(o, lastEpoch: lastEpoch)
        try initialStep()
    }

    func anneal(_ start: Double, _ end: Double, _ pct: Double) -> Double {
        if cos { return end + (start - end) / 2 * (Glibc.cos(Double.pi * pct) + 1) }
        return (end - start) * pct + start
    }

    public override func computeLRs() throws -> [Double] {
        let step = Double(lastEpoch)
        if lastEpoch > totalSteps {
            throw TensorError.value("Tried to step \(lastEpoch) times. The specified number of total steps is \(totalSteps)")
        }
        return optimizer.paramGroups.map { g in
            var start = 0.0, lr = g.lr
            for (i, ph) in phases.enumerated() {
                if step <= ph.end || i == phases.count - 1 {
                    let pct = (step - start) / (ph.end - start)
                    lr = anneal(g.number(ph.startLR), g.number(ph.endLR), pct)
                    if cycleMomentum {
                        let m = anneal(g.number(ph.startMom), g.number(ph.endMom), pct)
                        if case .pair(_, let b2)? = g["betas"] { g["betas"] = .pair(m, b2) } else { g["momentum"] = .double(m) }
                    }
                    break
                }
                start = ph.end
            }
            return lr
        }
    }
}

/// `ReduceLROnPlateau(optimizer, mode='min', factor=0.1, patience=10, threshold=0.0001,
/// threshold_mode='rel', cooldown=0, min_lr=0, eps=1e-08)`: `step(metric)`.
public final class ReduceLROnPlateau {
    public let optimizer: Optimizer
    let modeMin: Bool, relative: Bool
    let factor: Double, patience: Int, threshold: Double, cooldown: Int, minLRs: [Double], eps: Double
    public private(set) var best: Double
    public private(set) var numBadEpochs = 0
    var cooldownCounter = 0
    public private(set) var lastEpoch = 0
    public private(set) var lastLRs: [Double]

    public init(_ o: Optimizer, mode: String = "min", factor: Double = 0.1, patience: Int = 10, threshold: Double = 1e-4,
                thresholdMode: String = "rel", cooldown: Int = 0, minLR: [Double] = [0], eps: Double = 1e-8) throws {
        guard factor < 1 else { throw TensorError.value("Factor should be < 1.0.") }
        guard mode == "min" || mode == "max" else { throw TensorError.value("mode \(mode) is unknown!") }
        guard thresholdMode == "rel" || thresholdMode == "abs" else { throw TensorError.value("threshold mode \(thresholdMode) is unknown!") }
        guard minLR.count == 1 || minLR.count == o.paramGroups.count else {
            throw TensorError.value("expected \(o.paramGroups.count) min_lrs, got \(minLR.count)")
        }
        optimizer = o
        modeMin = mode == "min"; relative = thresholdMode == "rel"
        self.factor = factor; self.patience = patience; self.threshold = threshold; self.cooldown = cooldown
        minLRs = minLR.count == 1 ? Array(repeating: minLR[0], count: o.paramGroups.count) : minLR
        self.eps = eps
        best = modeMin ? .infinity : -.infinity
        lastLRs = o.paramGroups.map(\.lr)
    }

    func isBetter(_ a: Double) -> Bool {
        switch (modeMin, relative) {
        case (true, true): return a < best * (1 - threshold)
        case (true, false): return a < best - threshold
        case (false, true): return a > best * (threshold + 1)
        case (false, false): return a > best + threshold
        }
    }

    /// `step(metrics)`.
    public func step(_ metric: Double) {
        lastEpoch += 1
        if isBetter(metric) { best = metric; numBadEpochs = 0 } else { numBadEpochs += 1 }
        if cooldownCounter > 0 { cooldownCounter -= 1; numBadEpochs = 0 }
        if numBadEpochs > patience {
            for (i, g) in optimizer.paramGroups.enumerated() {
                let old = g.lr, new = Swift.max(old * factor, minLRs[i])
                if old - new > eps { g.lr = new }
            }
            cooldownCounter = cooldown
            numBadEpochs = 0
        }
        lastLRs = optimizer.paramGroups.map(\.lr)
    }
}

/// `nn.utils.clip_grad_norm_` and `clip_grad_value_`.
public enum ClipGrad {
    /// Scales every gradient by max_norm / (total_norm + 1e-6) when that is below 1; returns the total norm.
    public static func clipNorm(_ params: [Tensor], maxNorm: Double, normType: Double = 2,
                                errorIfNonfinite: Bool = false) throws -> Tensor {
        let grads = params.compactMap(\.grad)
        if grads.isEmpty { return .scalar(0) }
        let total: Double
        if normType.isInfinite {
            total = grads.map { g in g.toDoubles().map(Swift.abs).max() ?? 0 }.max() ?? 0
        } else {
            // The norm of the per-tensor norms, each computed in float as PyTorch does.
            let norms = grads.map { g -> Double in
                let s = g.toDoubles().reduce(0) { $0 + Glibc.pow(Swift.abs($1), normType) }
                return Double(Float(Glibc.pow(s, 1 / normType)))
            }
            total = Double(Float(Glibc.pow(norms.reduce(0) { $0 + Glibc.pow($1, normType) }, 1 / normType)))
        }
        if errorIfNonfinite && !total.isFinite {
            throw TensorError.runtime("The total norm of order \(PyFormat.float(normType)) for gradients from `parameters` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`")
        }
        let coef = Swift.min(Float(maxNorm) / (Float(total) + 1e-6), 1)
        try GradMode.withoutGrad {
            for g in grads { try g.applyInPlace(.mul, .scalar(coef)) }
        }
        return .scalar(Float(total))
    }

    /// Clamps every gradient to [−clip_value, clip_value].
    public static func clipValue(_ params: [Tensor], clipValue: Double) throws {
        for g in params.compactMap(\.grad) { try g.copy_(try g.clamp(min: -clipValue, max: clipValue)) }
    }
}
