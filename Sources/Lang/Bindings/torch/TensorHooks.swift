import Syntax
import TensorCore
import NN

/// How tensors take part in the language: operators, comparisons,
/// attributes, subscripts (views, as PyTorch's), iteration, len, truth, print.
enum TensorHooks {
    static func install(_ r: Registry) {
        let h = r.hooks
        h.binary = { op, a, b in try binary(op, a, b) }
        h.inplace = { op, a, b in try inplace(op, a, b) }
        h.unary = { op, v in try unary(op, v) }
        h.compare = { op, a, b in try compare(op, a, b) }
        h.getAttribute = chain(h.getAttribute) { v, name in
            guard case .tensor(let x) = v else { return nil }
            return try attribute(x, name)
        }
        h.setAttribute = chainSet(h.setAttribute) { v, name, x in
            guard case .tensor(let t) = v else { return false }
            return try setAttribute(t, name, x)
        }
        h.getItem = chain2(h.getItem) { v, k in
            guard case .tensor(let x) = v else { return nil }
            return .tensor(try Functional.index(x, try TV.indexItems(k)))
        }
        h.setItem = chainSet(h.setItem) { v, k, x in
            guard case .tensor(let t) = v else { return false }
            try Functional.indexAssign(t, try TV.indexItems(k), try TV.tensor(x, "value", in: "__setitem__"))
            return true
        }
        h.iterate = chainIter(h.iterate) { v in
            guard case .tensor(let x) = v else { return nil }
            guard x.rank > 0 else { throw typeError("iteration over a 0-d tensor") }
            return try (0..<x.shape[0]).map { .tensor(try Functional.select(x, dim: 0, index: $0)) }
        }
        h.length = chainLen(h.length) { v in
            guard case .tensor(let x) = v else { return nil }
            guard x.rank > 0 else { throw typeError("len() of a 0-d tensor") }
            return x.shape[0]
        }
        h.truth = chainTruth(h.truth) { v in
            guard case .tensor(let x) = v else { return nil }
            guard x.numel == 1 else {
                throw LangError(.RuntimeError, "Boolean value of Tensor with more than one value is ambiguous")
            }
            return try x.item() != 0
        }
        h.toDouble = chainDouble(h.toDouble) { v in
            guard case .tensor(let x) = v else { return nil }
            guard x.numel == 1 else {
                throw valueError("only one element tensors can be converted to Python scalars")
            }
            return try x.item()
        }
    }

    static func tensorOperands(_ a: Value, _ b: Value) -> (Tensor, Tensor)? {
        switch (a, b) {
        case (.tensor(let x), .tensor(let y)): return (x, y)
        case (.tensor(let x), _): return TV.scalar(b).map { (x, $0) }
        case (_, .tensor(let y)): return TV.scalar(a).map { ($0, y) }
        default: return nil
        }
    }

    static func coreOp(_ op: Syntax.BinaryOp) -> TensorCore.BinaryOp? {
        switch op {
        case .add: return .add
        case .sub: return .sub
        case .mul: return .mul
        case .div: return .div
        case .floorDiv: return .floorDiv
        case .mod: return .mod
        case .pow: return .pow
        default: return nil
        }
    }

    static func binary(_ op: Syntax.BinaryOp, _ a: Value, _ b: Value) throws -> Value? {
        guard let (x, y) = tensorOperands(a, b) else { return nil }
        if op == .matmul { return .tensor(try Functional.matmul(x, y)) }
        if let c = coreOp(op) {
            return .tensor(try Functional.binary(c, x, y, aIsNumber: TV.isNumber(a), bIsNumber: TV.isNumber(b)))
        }
        switch op {
        case .bitAnd, .bitOr, .bitXor:
            guard x.dtype == .bool || y.dtype == .bool || (x.dtype == .int64 && y.dtype == .int64) else {
                throw typeError("unsupported operand type(s) for \(op.rawValue): float tensors")
            }
            let f: (Double, Double) -> Bool
            switch op {
            case .bitAnd: f = { $0 != 0 && $1 != 0 }
            case .bitOr: f = { $0 != 0 || $1 != 0 }
            default: f = { ($0 != 0) != ($1 != 0) }
            }
            let shape = try Shape.broadcast(x.shape, y.shape)
            let xs = try x.expand(shape).toDoubles(), ys = try y.expand(shape).toDoubles()
            return .tensor(try Tensor(bools: zip(xs, ys).map(f), shape: shape))
        default: return nil
        }
    }

    static func inplace(_ op: Syntax.BinaryOp, _ a: Value, _ b: Value) throws -> Value? {
        guard case .tensor(let x) = a, let c = coreOp(op) else { return nil }
        let y = try TV.tensor(b, "other", in: "__i\(op.rawValue)__")
        if c == .add || c == .sub || c == .mul || c == .div {
            try Functional.inPlace(c, x, y, otherIsNumber: TV.isNumber(b))
        } else {
            try Autograd.checkInPlace(x)
            guard !Autograd.needsGrad(x, y) else {
                throw LangError(.RuntimeError, "in-place \(op.rawValue)= is not differentiable; write x = x \(op.rawValue) y")
            }
            try x.applyInPlace(c, y)
        }
        return a
    }

    static func unary(_ op: Syntax.UnaryOp, _ v: Value) throws -> Value? {
        guard case .tensor(let x) = v else { return nil }
        switch op {
        case .neg: return .tensor(try Functional.neg(x))
        case .pos: return v
        case .invert:
            guard x.dtype == .bool else { throw typeError("~ (bitwise not) is only supported for bool tensors here") }
            return .tensor(try Tensor.compare(.eq, x, .scalar(bool: false)))
        case .not:
            return nil
        }
    }

    /// Python's comparison operators as TensorCore's (nil for `is`, `in`, ...).
    static func coreCompare(_ op: Syntax.CompareOp) -> TensorCore.CompareOp? {
        switch op {
        case .lt: return .lt
        case .le: return .le
        case .gt: return .gt
        case .ge: return .ge
        case .eq: return .eq
        case .ne: return .ne
        default: return nil
        }
    }

    static func compare(_ op: Syntax.CompareOp, _ a: Value, _ b: Value) throws -> Value? {
        guard let core = TensorHooks.coreCompare(op) else { return nil }
        guard let (x, y) = tensorOperands(a, b) else {
            // Not a tensor comparison at all (e.g. two dtypes): Python's own rules answer.
            if case .tensor = a {} else if case .tensor = b {} else { return nil }
            if op == .eq { return .bool(false) }
            if op == .ne { return .bool(true) }
            return nil
        }
        return .tensor(try Tensor.compare(core, x, y))
    }

    /// The names `attribute` answers, for completion.
    static let attributeNames = ["shape", "dtype", "T", "mT", "data", "grad", "requires_grad", "is_leaf", "ndim", "device", "grad_fn",
                                 "retains_grad", "_version"]

    static func attribute(_ x: Tensor, _ name: String) throws -> Value? {
        switch name {
        case "shape": return .size(x.shape)
        case "dtype": return .object(DTypeObject.of(x.dtype))
        case "T": return x.rank < 2 ? .tensor(x) : .tensor(try Functional.permute(x, Array((0..<x.rank).reversed())))
        case "mT": return .tensor(try Functional.transpose(x, -2, -1))
        case "data": return .tensor(x.detach())
        case "grad": return x.grad.map { .tensor($0) } ?? Value.none
        case "requires_grad": return .bool(x.requiresGrad)
        case "is_leaf": return .bool(x.isLeaf)
        case "retains_grad": return .bool(x.retainsGrad)
        case "_version": return .int(x.version)
        case "ndim": return .int(x.rank)
        case "device": return .object(DeviceObject.cpu)
        case "grad_fn": return x.gradFn.map { .object(GradFnObject($0)) } ?? Value.none
        default: return nil
        }
    }

    static func setAttribute(_ t: Tensor, _ name: String, _ v: Value) throws -> Bool {
        switch name {
        case "data":
            let src = try TV.tensor(v, "data", in: "data")
            guard src.shape == t.shape else {
                throw LangError(.ShapeError, "cannot assign data of shape \(Shape.torchSize(src.shape)) to a tensor of shape \(Shape.torchSize(t.shape)); use a tensor of the same shape")
            }
            try GradMode.withoutGrad { try t.copy_(src) }
            return true
        case "requires_grad":
            try setRequiresGrad(t, TV.bool(v)); return true
        case "grad":
            if case .none = v { t.grad = nil; return true }
            t.grad = try TV.tensor(v, "grad", in: "grad"); return true
        default: return false
        }
    }

    /// `x.requires_grad = b` / `requires_grad_(b)`, with PyTorch's refusals.
    static func setRequiresGrad(_ t: Tensor, _ on: Bool) throws {
        if t.gradFn != nil {
            if on { return }
            throw LangError(.RuntimeError, "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().")
        }
        if on && !t.dtype.isFloatingPoint {
            throw LangError(.RuntimeError, "only Tensors of floating point dtype can require gradients")
        }
        t.requiresGrad = on
    }

    // Hooks are shared between tensors, modules and objects: each installer
    // chains onto whatever was there before.
    static func chain(_ old: ((Value, String) throws -> Value?)?, _ f: @escaping (Value, String) throws -> Value?) -> (Value, String) throws -> Value? {
        { v, n in try f(v, n) ?? old?(v, n) }
    }
    static func chain2(_ old: ((Value, Value) throws -> Value?)?, _ f: @escaping (Value, Value) throws -> Value?) -> (Value, Value) throws -> Value? {
        { v, k in try f(v, k) ?? old?(v, k) }
    }
    static func chainSet<K>(_ old: ((Value, K, Value) throws -> Bool)?, _ f: @escaping (Value, K, Value) throws -> Bool) -> (Value, K, Value) throws -> Bool {
        { v, k, x in try f(v, k, x) ? true : (try old?(v, k, x) ?? false) }
    }
    static func chainIter(_ old: ((Value) throws -> [Value]?)?, _ f: @escaping (Value) throws -> [Value]?) -> (Value) throws -> [Value]? {
        { v in try f(v) ?? old?(v) }
    }
    static func chainLen(_ old: ((Value) throws -> Int?)?, _ f: @escaping (Value) throws -> Int?) -> (Value) throws -> Int? {
        { v in try f(v) ?? old?(v) }
    }
    static func chainTruth(_ old: ((Value) throws -> Bool?)?, _ f: @escaping (Value) throws -> Bool?) -> (Value) throws -> Bool? {
        { v in try f(v) ?? old?(v) }
    }
    static func chainDouble(_ old: ((Value) throws -> Double?)?, _ f: @escaping (Value) throws -> Double?) -> (Value) throws -> Double? {
        { v in try f(v) ?? old?(v) }
    }
}
