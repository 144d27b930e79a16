import TensorCore

/// Arithmetic with broadcasting, the elementwise math functions and matrix products.
/// Gradients of broadcast operands are summed back to their shapes by the engine.
extension Functional {
    public static func add(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binary(.add, a, b) }
    public static func sub(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binary(.sub, a, b) }
    public static func mul(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binary(.mul, a, b) }
    public static func div(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binary(.div, a, b) }

    /// `a op b` with broadcasting. `aIsNumber`/`bIsNumber` say an operand was a Python
    /// number, which only changes PyTorch's node name (`2 - x` is `RsubBackward1`).
    public static func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, aIsNumber: Bool = false,
                              bIsNumber: Bool = false) throws -> Tensor {
        let out = try Tensor.binary(op, a, b)
        guard Autograd.needsGrad(a, b) else { return out }
        switch op {
        case .add:
            return Autograd.record(out, "AddBackward0", [a, b]) { g in [g, g] }
        case .sub:
            return Autograd.record(out, aIsNumber ? "RsubBackward1" : "SubBackward0", [a, b]) { g in [g, try neg(g)] }
        case .mul:
            return Autograd.record(out, "MulBackward0", [a, b], saving: [a, b]) { g in
                [a.requiresGrad ? try mul(g, b) : nil, b.requiresGrad ? try mul(g, a) : nil]
            }
        case .div:
            return Autograd.record(out, aIsNumber ? "MulBackward0" : "DivBackward0", [a, b], saving: [a, b]) { g in
                let ga = try div(g, b)
                let gb = b.requiresGrad ? try neg(try div(try mul(g, a), try mul(b, b))) : nil
                return [ga, gb]
            }
        case .pow:
            let name = aIsNumber ? "PowBackward2" : (bIsNumber ? "PowBackward0" : "PowBackward1")
            return Autograd.record(out, name, [a, b], saving: [a, b]) { g in
                // d/da a^b = b·a^(b−1) (0 where b = 0); d/db a^b = a^b·log a (0 where a = 0 and b ≥ 0).
                var ga: Tensor? = nil, gb: Tensor? = nil
                if a.requiresGrad {
                    let d = try mul(b, try pow(a, try sub(b, scalar(1))))
                    ga = try mul(g, try whereZero(try Tensor.compare(.eq, b, .scalar(0)), d))
                }
                if b.requiresGrad {
                    let d = try mul(try pow(a, b), try log(a))
                    let zero = try Tensor.binary(.mul, try Tensor.compare(.eq, a, .scalar(0)).to(.float32),
                                                 try Tensor.compare(.ge, b, .scalar(0)).to(.float32))
                    gb = try mul(g, try whereZero(try Tensor.compare(.ne, zero, .scalar(0)), d))
                }
                return [ga, gb]
            }
        case .maximum, .minimum:
            let name = op == .maximum ? "MaximumBackward0" : "MinimumBackward0"
            return Autograd.record(out, name, [a, b], saving: [a, b]) { g in
                // The larger (smaller) operand takes the gradient; ties split it in half.
                let wins = try Tensor.compare(op == .maximum ? .gt : .lt, a, b).to(.float32)
                let ties = try Tensor.compare(.eq, a, b).to(.float32)
                let wa = try Tensor.binary(.add, wins, try Tensor.binary(.mul, ties, .scalar(0.5)))
                let wb = try Tensor.binary(.sub, .scalar(1), wa)
                return [try mul(g, wa), try mul(g, wb)]
            }
        case .mod:
            return Autograd.record(out, "RemainderBackward0", [a, b], saving: [a, b]) { g in
                [g, b.requiresGrad ? try mul(try neg(g), try Tensor.binary(.floorDiv, a, b)) : nil]
            }
        case .floorDiv:
            return out
        }
    }

    public static func pow(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binary(.pow, a, b, bIsNumber: b.rank == 0 && !b.requiresGrad) }

    /// `torch.where(cond, a, b)`.
    public static func `where`(_ cond: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let out = try Tensor.where(cond, a, b)
        return Autograd.record(out, "WhereBackward0", [a, b]) { g in
            [a.requiresGrad ? try whereZero(cond, g, keepWhere: true) : nil,
             b.requiresGrad ? try whereZero(cond, g) : nil]
        }
    }

    /// `g` with zeros where `mask` is true (or, with keepWhere, where it is false).
    static func whereZero(_ mask: Tensor, _ g: Tensor, keepWhere: Bool = false) throws -> Tensor {
        let zero = Tensor.scalar(0)
        let out = try Tensor.where(mask, keepWhere ? g : zero, keepWhere ? zero : g)
        return Autograd.record(out, "WhereBackward0", [g]) { gg in [try whereZero(mask, gg, keepWhere: keepWhere)] }
    }

    /// `masked_fill(mask, value)`: value where mask is true.
    public static func maskedFill(_ x: Tensor, _ mask: Tensor, _ value: Tensor) throws -> Tensor {
        let out = try Tensor.where(mask, try value.to(x.dtype), x)
        return Autograd.record(out, "MaskedFillBackward0", [x]) { g in [try whereZero(mask, g)] }
    }

    // MARK: unary math

    public static func neg(_ x: Tensor) throws -> Tensor {
        Autograd.record(try x.neg(), "NegBackward0", [x]) { g in [try neg(g)] }
    }

    public static func abs(_ x: Tensor) throws -> Tensor {
        Autograd.record(try x.abs(), "AbsBackward0", [x], saving: [x]) { g in [try mul(g, try sign(x))] }
    }

    /// `sign(x)`: −1, 0 or 1 (no gradient).
    public static func sign(_ x: Tensor) throws -> Tensor {
        let s = try x.mapFloat { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
        return Autograd.record(s, "SignBackward0", [x]) { g in [try Tensor.zeros(g.shape)] }
    }

    public static func exp(_ x: Tensor) throws -> Tensor {
        let y = try x.exp()
        let saved = y.detach()
        return Autograd.record(y, "ExpBackward0", [x], saving: [saved]) { g in
            [try mul(g, GradMode.enabled ? try exp(x) : saved)]
        }
    }

    public static func log(_ x: Tensor) throws -> Tensor {
        Autograd.record(try x.log(), "LogBackward0", [x], saving: [x]) { g in [try div(g, x)] }
    }

    public static func sqrt(_ x: Tensor) throws -> Tensor {
        let y = try x.sqrt()
        let saved = y.detach()
        return Autograd.record(y, "SqrtBackward0", [x], saving: [saved]) { g in
            [try div(g, try mul(scalar(2), GradMode.enabled ? try sqrt(x) : saved))]
        }
    }

    /// `x ** 2` (`square`), recorded as PyTorch does (`PowBackward0`).
    public static func square(_ x: Tensor) throws -> Tensor {
        Autograd.record(try Tensor.binary(.mul, x, x), "PowBackward0", [x], saving: [x]) { g in
            [try mul(g, try mul(scalar(2), x))]
        }
    }

    /// floor, ceil, round, trunc: zero gradient.
    public static func rounding(_ x: Tensor, _ name: String, _ f: @escaping (Float) -> Float) throws -> Tensor {
        Autograd.record(try x.mapFloat(f), name, [x]) { g in [try Tensor.zeros(g.shape)] }
    }

    /// `clamp(min, max)`: the gradient passes where min ≤ x ≤ max.
    public static func clamp(_ x: Tensor, min lo: Double?, max hi: Double?) throws -> Tensor {
        let y = try x.clamp(min: lo, max: hi)
        return Autograd.record(y, lo != nil && hi != nil ? "ClampBackward1" : (lo != nil ? "ClampMinBackward0" : "ClampMaxBackward0"),
                               [x], saving: [x]) { g in
            var pass = try Tensor.ones(x.shape, dtype: .bool)
            if let lo { pass = try Tensor.compare(.ge, x, scalar(lo)) }
            if let hi { pass = try Tensor.binary(.mul, pass.to(.float32), try Tensor.compare(.le, x, scalar(hi)).to(.float32)).to(.bool) }
            return [try whereZero(pass, g, keepWhere: true)]
        }
    }

    // MARK: matrix products

    /// `matmul` / `@` with PyTorch's 1-D, 2-D and batched rules.
    public static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let out = try Tensor.matmul(a, b)
        let name: String
        switch (a.rank, b.rank) {
        case (2, 2): name = "MmBackward0"
        case (1, 1): name = "DotBackward0"
        case (2, 1): name = "MvBackward0"
        case (1, 2): name = "SqueezeBackward4"
        default: name = "UnsafeViewBackward0"
        }
        return Autograd.record(out, name, [a, b], saving: [a, b]) { g in try matmulBackward(a, b, g) }
    }

    /// `mm(a, b)` for 2-D operands.
    public static func mm(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let out = try Tensor.mm(a, b)
        return Autograd.record(out, "MmBackward0", [a, b], saving: [a, b]) { g in try matmulBackward(a, b, g) }
    }

    /// `bmm(a, b)` for 3-D operands with equal batch.
    public static func bmm(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.rank == 3, b.rank == 3 else { throw TensorError.shape("batch1 must be a 3D tensor") }
        guard a.shape[0] == b.shape[0], a.shape[2] == b.shape[1] else {
            throw TensorError.shape("Expected size for first two dimensions of batch2 tensor to be: [\(a.shape[0]), \(a.shape[2])] but got: [\(b.shape[0]), \(b.shape[1])].")
        }
        let out = try Tensor.matmul(a, b)
        return Autograd.record(out, "BmmBackward0", [a, b], saving: [a, b]) { g in try matmulBackward(a, b, g) }
    }

    /// Gradients of `a @ b` (any of PyTorch's shapes): operands made at least 2-D,
    /// the products formed, broadcast batch dims summed away, the 1-D dims dropped.
    static func matmulBackward(_ a: Tensor, _ b: Tensor, _ g: Tensor) throws -> [Tensor?] {
        let a2 = a.rank == 1 ? try unsqueeze(a, 0) : a
        let b2 = b.rank == 1 ? try unsqueeze(b, 1) : b
        var g2 = g
        if a.rank == 1 { g2 = try unsqueeze(g2, g2.rank - (b.rank == 1 ? 0 : 1)) }
        if b.rank == 1 { g2 = try unsqueeze(g2, g2.rank) }
        var ga: Tensor? = nil, gb: Tensor? = nil
        if a.requiresGrad {
            let r = try matmul(g2, try transpose(b2, -1, -2))
            ga = try reshape(try Engine.sumTo(r, a2.shape), a.shape)
        }
        if b.requiresGrad {
            let r = try matmul(try transpose(a2, -1, -2), g2)
            gb = try reshape(try Engine.sumTo(r, b2.shape), b.shape)
        }
        return [ga, gb]
    }
}
