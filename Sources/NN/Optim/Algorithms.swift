import TensorCore
#if canImport(Glibc)
import Glibc
#endif

/// The update rules of `torch.optim`, each PyTorch's single-tensor algorithm step for
/// step in float32 (scalars in double as PyTorch computes them, then applied in float).

/// `SGD(params, lr=0.001, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False)`.
public final class SGD: Optimizer {
    public override var name: String { "SGD" }
    public init(_ groups: [([Tensor], [(String, OptValue)])], lr: Double = 1e-3, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false) throws {
        try super.init(groups: groups, defaults: [("lr", .double(lr)), ("momentum", num(momentum)), ("dampening", num(dampening)),
                                                  ("weight_decay", num(weightDecay)), ("nesterov", .bool(nesterov)),
                                                  ("maximize", .bool(maximize)), ("foreach", .none), ("differentiable", .bool(false)),
                                                  ("fused", .none)])
    }
    public override func validate(_ options: [(String, OptValue)]) throws {
        try super.validate(options)
        let o = Dictionary(options, uniquingKeysWith: { $1 })
        if (o["momentum"]?.number ?? 0) < 0 { throw TensorError.value("Invalid momentum value: \(PyFormat.float(o["momentum"]?.number ?? 0))") }
        if (o["weight_decay"]?.number ?? 0) < 0 { throw TensorError.value("Invalid weight_decay value: \(PyFormat.float(o["weight_decay"]?.number ?? 0))") }
        if o["nesterov"]?.flag == true && ((o["momentum"]?.number ?? 0) <= 0 || (o["dampening"]?.number ?? 0) != 0) {
            throw TensorError.value("Nesterov momentum requires a momentum and zero dampening")
        }
    }
    public override func update(_ p: Tensor, grad: Tensor, state st: ParamState, group g: ParamGroup) throws {
        let n = p.numel, w = p.floatPtr, gp = grad.floatPtr
        let lr = Float(g.lr), mom = Float(g.number("momentum")), damp = Float(g.number("dampening"))
        let wd = Float(g.number("weight_decay")), nesterov = g["nesterov"]?.flag == true, maximize = g["maximize"]?.flag == true
        let first = st["momentum_buffer"] == nil
        let buf = mom != 0 ? try buffer("momentum_buffer", st, like: p) : nil
        for i in 0..<n {
            var d = maximize ? -gp[i] : gp[i]
            if wd != 0 { d = d + wd * w[i] }
            if let buf {
                buf[i] = first ? d : buf[i] * mom + (1 - damp) * d
                d = nesterov ? d + mom * buf[i] : buf[i]
            }
            w[i] = w[i] + (-lr) * d
        }
    }
}

/// `Adam(params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, amsgrad=False, *, maximize=False)`
/// and `AdamW` (decoupled weight decay, default 0.01).
public final class Adam: Optimizer {
    public let decoupled: Bool
    public override var name: String { decoupled ? "AdamW" : "Adam" }
    public override var hasStepState: Bool { true }
    public init(_ groups: [([Tensor], [(String, OptValue)])], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                eps: Double = 1e-8, weightDecay: Double? = nil, amsgrad: Bool = false, maximize: Bool = false,
                decoupled: Bool = false) throws {
        self.decoupled = decoupled
        let wd: OptValue = weightDecay.map { num($0) } ?? (decoupled ? .double(0.01) : .int(0))
        try super.init(groups: groups, defaults: [("lr", .double(lr)), ("betas", .pair(betas.0, betas.1)), ("eps", .double(eps)),
                                                  ("weight_decay", wd), ("amsgrad", .bool(amsgrad)), ("maximize", .bool(maximize)),
                                                  ("foreach", .none), ("capturable", .bool(false)), ("differentiable", .bool(false)),
                                                  ("fused", .none), ("decoupled_weight_decay", .bool(decoupled))])
    }
    public override func validate(_ options: [(String, OptValue)]) throws {
        try super.validate(options)
        for (k, v) in options {
            if k == "eps" && v.number < 0 { throw TensorError.value("Invalid epsilon value: \(PyFormat.float(v.number))") }
            if k == "betas", case .pair(let b1, let b2) = v {
                if !(0 <= b1 && b1 < 1) { throw TensorError.value("Invalid beta parameter at index 0: \(PyFormat.float(b1))") }
                if !(0 <= b2 && b2 < 1) { throw TensorError.value("Invalid beta parameter at index 1: \(PyFormat.float(b2))") }
            }
            if k == "weight_decay" && v.number < 0 { throw TensorError.value("Invalid weight_decay value: \(PyFormat.float(v.number))") }
        }
    }
    public override func update(_ p: Tensor, grad: Tensor, state st: ParamState, group g: ParamGroup) throws {
        guard case .pair(let beta1, let beta2)? = g["betas"] else { throw TensorError.value("Adam: betas must be a pair") }
        let n = p.numel, w = p.floatPtr, gp = grad.floatPtr
        let lr = g.lr, wd = Float(g.number("weight_decay")), eps = Float(g.number("eps"))
        let amsgrad = g["amsgrad"]?.flag == true, maximize = g["maximize"]?.flag == true
        let m = try buffer("exp_avg", st, like: p), v = try buffer("exp_avg_sq", st, like: p)
        let vmax = amsgrad ? try buffer("max_exp_avg_sq", st, like: p) : nil
        st.step += 1
        if decoupled && wd != 0 {
            let k = Float(1 - lr * Double(wd))
            for i in 0..<n { w[i] = w[i] * k }
        }
        let bc1 = 1 - Glibc.pow(beta1, st.step), bc2 = 1 - Glibc.pow(beta2, st.step)
        let stepSize = Float(lr / bc1), bc2Sqrt = Float(bc2.squareRoot())
        let w1 = Float(1 - beta1), b2 = Float(beta2), c2 = Float(1 - beta2)
        for i in 0..<n {
            var d = maximize ? -gp[i] : gp[i]
            if !decoupled && wd != 0 { d = d + wd * w[i] }
            m[i] = m[i] + w1 * (d - m[i])
            v[i] = v[i] * b2 + c2 * d * d
            var second = v[i]
            if let vmax { vmax[i] = Swift.max(vmax[i], v[i]); second = vmax[i] }
            let denom = second.squareRoot() / bc2Sqrt + eps
            w[i] = w[i] + (-stepSize) * (m[i] / denom)
        }
    }
}

/// `RMSprop(params, lr=0.01, alpha=0.99, eps=1e-08, weight_decay=0, momentum=0, centered=False, *, maximize=False)`.
public final class RMSprop: Optimizer {
    public override var name: String { "RMSprop" }
    public override var hasStepState: Bool { true }
    public init(_ groups: [([Tensor], [(String, OptValue)])], lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8,
                weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false, maximize: Bool = false) throws {
        try super.init(groups: groups, defaults: [("lr", .double(lr)), ("momentum", num(momentum)), ("alpha", .double(alpha)),
                                                  ("eps", .double(eps)), ("centered", .bool(centered)), ("weight_decay", num(weightDecay)),
                                                  ("capturable", .bool(false)), ("foreach", .none), ("maximize", .bool(maximize)),
                                                  ("differentiable", .bool(false))])
    }
    public override func update(_ p: Tensor, grad: Tensor, state st: ParamState, group g: ParamGroup) throws {
        let n = p.numel, w = p.floatPtr, gp = grad.floatPtr
        let lr = Float(g.lr), alpha = Float(g.number("alpha")), eps = Float(g.number("eps"))
        let wd = Float(g.number("weight_decay")), mom = Float(g.number("momentum"))
        let centered = g["centered"]?.flag == true, maximize = g["maximize"]?.flag == true
        let sq = try buffer("square_avg", st, like: p)
        let buf = mom > 0 ? try buffer("momentum_buffer", st, like: p) : nil
        let avgG = centered ? try buffer("grad_avg", st, like: p) : nil
        st.step += 1
        for i in 0..<n {
            var d = maximize ? -gp[i] : gp[i]
            if wd != 0 { d = d + wd * w[i] }
            sq[i] = sq[i] * alpha + (1 - alpha) * d * d
            var avg: Float
            if let avgG {
                avgG[i] = avgG[i] + (1 - alpha) * (d - avgG[i])
                avg = (sq[i] - avgG[i] * avgG[i]).squareRoot() + eps
            } else {
                avg = sq[i].squareRoot() + eps
            }
            if let buf {
                buf[i] = buf[i] * mom + d / avg
                w[i] = w[i] + (-lr) * buf[i]
            } else {
                w[i] = w[i] + (-lr) * (d / avg)
            }
        }
    }
}

/// `Adagrad(params, lr=0.01, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, *, maximize=False)`.
public final class Adagrad: Optimizer {
    public override var name: String { "Adagrad" }
    public override var hasStepState: Bool { true }
    public init(_ groups: [([Tensor], [(String, OptValue)])], lr: Double = 1e-2, lrDecay: Double = 0, weightDecay: Double = 0,
                initialAccumulatorValue: Double = 0, eps: Double = 1e-10, maximize: Bool = false) throws {
        try super.init(groups: groups, defaults: [("lr", .double(lr)), ("lr_decay", num(lrDecay)), ("eps", .double(eps)),
                                                  ("weight_decay", num(weightDecay)),
                                                  ("initial_accumulator_value", num(initialAccumulatorValue)),
                                                  ("foreach", .none), ("maximize", .bool(maximize)), ("differentiable", .bool(false)),
                                                  ("fused", .none)])
        // PyTorch fills the accumulators when the optimiser is made.
        for group in paramGroups {
            for p in group.params {
                let st = ParamState()
                _ = try buffer("sum", st, like: p, fill: Float(group.number("initial_accumulator_value")))
                state[ObjectIdentifier(p)] = st
            }
        }
    }
    public override func update(_ p: Tensor, grad: Tensor, state st: ParamState, group g: ParamGroup) throws {
        let n = p.numel, w = p.floatPtr, gp = grad.floatPtr
        let wd = Float(g.number("weight_decay")), eps = Float(g.number("eps")), maximize = g["maximize"]?.flag == true
        let sum = try buffer("sum", st, like: p, fill: Float(g.number("initial_accumulator_value")))
        st.step += 1
        let clr = Float(g.lr / (1 + (st.step - 1) * g.number("lr_decay")))
        for i in 0..<n {
            var d = maximize ? -gp[i] : gp[i]
            if wd != 0 { d = d + wd * w[i] }
            sum[i] = sum[i] + d * d
            let std = sum[i].squareRoot() + eps
            w[i] = w[i] + (-clr) * (d / std)
        }
    }
}

/// A hyper-parameter as PyTorch's default literal types it (`0` stays an int).
func num(_ v: Double) -> OptValue { v == v.rounded() && Swift.abs(v) < 1e15 ? .int(Int(v)) : .double(v) }
