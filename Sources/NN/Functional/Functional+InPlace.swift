import TensorCore

/// In-place ops (`x += y`, `add_`, `mul_`, `fill_`, `copy_`, `clamp_`): the write goes
/// through to shared storage and bumps its version; when history is kept the old
/// value's node moves to a fresh tensor and `x` takes the in-place op's node.
extension Functional {
    /// `x op= y` (`add_`, `sub_`, `mul_`, `div_`, `x += y`...); `alpha` scales y for add/sub.
    public static func inPlace(_ op: BinaryOp, _ x: Tensor, _ y: Tensor, alpha: Double = 1,
                               otherIsNumber: Bool = false) throws {
        try Autograd.checkInPlace(x)
        let tracked = Autograd.needsGrad(x, y)
        // mul_/div_ need the old value for y's gradient.
        let old = tracked && y.requiresGrad && (op == .mul || op == .div) ? try x.detach().clone() : nil
        let scaled = alpha == 1 ? y : try Tensor.binary(.mul, y, scalar(alpha))
        try x.applyInPlace(op, scaled)
        guard tracked else { return }
        switch op {
        case .add:
            Autograd.recordInPlace(x, "AddBackward0", [y]) { g in [g, alpha == 1 ? g : try mul(g, scalar(alpha))] }
        case .sub:
            Autograd.recordInPlace(x, "SubBackward0", [y]) { g in [g, try mul(g, scalar(-alpha))] }
        case .mul:
            Autograd.recordInPlace(x, "MulBackward0", [y], saving: [y]) { g in
                [try mul(g, y), try old.map { try mul(g, $0) }]
            }
        case .div:
            Autograd.recordInPlace(x, "DivBackward0", [y], saving: [y]) { g in
                [try div(g, y), try old.map { try neg(try div(try mul(g, $0), try mul(y, y))) }]
            }
        default:
            throw TensorError.runtime("in-place \(op) is not differentiable")
        }
    }

    /// `fill_(v)` / `zero_()`: the old value gets no gradient.
    public static func fill_(_ x: Tensor, _ value: Double) throws {
        try Autograd.checkInPlace(x)
        try x.fill_(value)
        Autograd.recordInPlace(x, value == 0 ? "ZeroBackward0" : "FillBackward0", []) { _ in [nil] }
    }

    /// `copy_(src)`: src broadcast into x; the gradient goes to src.
    public static func copy_(_ x: Tensor, _ src: Tensor) throws {
        try Autograd.checkInPlace(x)
        try x.copy_(src)
        Autograd.recordInPlace(x, "CopyBackwards", [src]) { g in [nil, g] }
    }

    /// `clamp_(min, max)`.
    public static func clamp_(_ x: Tensor, min lo: Double?, max hi: Double?) throws {
        try Autograd.checkInPlace(x)
        let tracked = Autograd.needsGrad(x)
        var pass: Tensor? = nil
        if tracked {
            var p = try Tensor.ones(x.shape, dtype: .float32)
            if let lo { p = try Tensor.binary(.mul, p, try Tensor.compare(.ge, x, scalar(lo)).to(.float32)) }
            if let hi { p = try Tensor.binary(.mul, p, try Tensor.compare(.le, x, scalar(hi)).to(.float32)) }
            pass = p
        }
        try x.copy_(try x.clamp(min: lo, max: hi))
        guard let pass else { return }
        Autograd.recordInPlace(x, "ClampBackward1", []) { g in [try mul(g, pass)] }
    }

    /// `relu_()`.
    public static func relu_(_ x: Tensor) throws {
        try Autograd.checkInPlace(x)
        try x.copy_(try x.relu())
        let saved = x.detach()
        Autograd.recordInPlace(x, "ReluBackward0", [], saving: [saved]) { g in
            if fused(g, saved) { return [try Kernels.reluBackward(g, output: saved)] }
            return [try whereZero(try Tensor.compare(.gt, saved, .scalar(0)), g, keepWhere: true)]
        }
    }
}
