import Syntax
import TensorCore

/// How arrays take part in the language: operators with NumPy's promotion,
/// comparisons, indexing (views for slices), iteration, len, truth, float().
enum NumpyHooks {
    static func isArray(_ v: Value) -> Bool { if case .object(let o) = v, o is NDArray { return true }; return false }
    static func isDType(_ v: Value) -> Bool { if case .object(let o) = v, o is NPDType { return true }; return false }

    static func install(_ r: Registry) {
        let h = r.hooks
        let oldBinary = h.binary, oldInplace = h.inplace, oldUnary = h.unary, oldCompare = h.compare
        h.binary = { op, a, b in
            if isArray(a) || isArray(b) { return try binary(op, a, b) }
            return try oldBinary?(op, a, b)
        }
        h.inplace = { op, a, b in
            if case .object(let x as NDArray) = a, !x.isScalar {
                let r = try binary(op, a, b)
                guard case .object(let y as NDArray)? = r else { return nil }
                try x.t.copy_(y.t.dtype == x.t.dtype ? y.t : try castSameKind(y.t, to: x.t.dtype, op: op))
                return a
            }
            return try oldInplace?(op, a, b)
        }
        h.unary = { op, v in
            guard case .object(let x as NDArray) = v else { return try oldUnary?(op, v) }
            switch op {
            case .neg:
                if x.t.dtype == .bool { throw typeError("The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.") }
                return NDArray.result(x.t.dtype.isFloatingPoint ? try x.t.math(.negative) : try x.t.neg())
            case .pos: return v
            case .invert:
                guard x.t.dtype == .bool else {
                    return NDArray.result(try Tensor.binary(.sub, Tensor.scalar(-1, dtype: x.t.dtype), x.t).to(x.t.dtype))
                }
                return NDArray.result(try Tensor.compare(.eq, x.t, .scalar(bool: false)))
            case .not: return nil
            }
        }
        h.compare = { op, a, b in
            if isDType(a) || isDType(b) {
                guard op == .eq || op == .ne else { return nil }
                let eq = (try? NP.dtype(a, in: "==")) == (try? NP.dtype(b, in: "=="))
                return .bool(op == .eq ? eq : !eq)
            }
            if isArray(a) || isArray(b) { return try compare(op, a, b) }
            return try oldCompare?(op, a, b)
        }
        h.getItem = TensorHooks.chain2(h.getItem) { v, k in
            guard case .object(let x as NDArray) = v else { return nil }
            if x.isScalar { throw indexError("invalid index to scalar variable.") }
            let items = try TV.indexItems(NP.indexKey(k))
            return NDArray.result(try x.t.index(items, negativeSteps: true))
        }
        h.setItem = TensorHooks.chainSet(h.setItem) { v, k, value in
            guard case .object(let x as NDArray) = v else { return false }
            guard let o = NP.operand(value) else { throw typeError("float() argument must be a string or a real number, not '\(value.typeName)'") }
            try x.t.indexAssign(try TV.indexItems(NP.indexKey(k)), try NP.tensor(o, as: x.t.dtype))
            return true
        }
        h.iterate = TensorHooks.chainIter(h.iterate) { v in
            guard case .object(let x as NDArray) = v else { return nil }
            guard x.t.rank > 0 else { throw typeError("iteration over a 0-d array") }
            return try (0..<x.t.shape[0]).map { NDArray.result(try x.t.select(dim: 0, index: $0)) }
        }
        h.length = TensorHooks.chainLen(h.length) { v in
            guard case .object(let x as NDArray) = v else { return nil }
            guard x.t.rank > 0 else { throw typeError(x.isScalar ? "object of type '\(x.typeName)' has no len()" : "len() of unsized object") }
            return x.t.shape[0]
        }
        h.truth = TensorHooks.chainTruth(h.truth) { v in
            guard case .object(let x as NDArray) = v else { return nil }
            guard x.t.numel == 1 else {
                throw valueError("The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()")
            }
            return try x.t.item() != 0
        }
        h.toDouble = TensorHooks.chainDouble(h.toDouble) { v in
            guard case .object(let x as NDArray) = v else { return nil }
            guard x.t.rank == 0 || x.t.numel == 1 else { throw typeError("only length-1 arrays can be converted to Python scalars") }
            return try x.t.item()
        }
    }

    /// `a op= b` keeps a's dtype; NumPy refuses to cast float results into int arrays.
    static func castSameKind(_ t: Tensor, to dt: DType, op: Syntax.BinaryOp) throws -> Tensor {
        if t.dtype.isFloatingPoint && !dt.isFloatingPoint {
            let name = "\(op == .div ? "divide" : op == .mul ? "multiply" : op == .sub ? "subtract" : op == .add ? "add" : "ufunc")"
            throw LangError(.TypeError, "Cannot cast ufunc '\(name)' output from dtype('\(t.dtype.rawValue)') to dtype('\(dt.rawValue)') with casting rule 'same_kind'")
        }
        return try t.to(dt)
    }

    static func shape(_ o: NP.Operand) -> [Int] { if case .array(let t) = o { return t.shape }; return [] }

    static func binary(_ op: Syntax.BinaryOp, _ a: Value, _ b: Value) throws -> Value? {
        guard let x = NP.operand(a), let y = NP.operand(b) else { return nil }
        var dt = NP.resultType([x, y])
        if op == .matmul {
            let ta = try NP.tensor(x, as: dt), tb = try NP.tensor(y, as: dt)
            if ta.rank == 0 || tb.rank == 0 {
                throw valueError("matmul: Input operand \(ta.rank == 0 ? 0 : 1) does not have enough dimensions (has 0, gufunc core with signature (n?,k),(k,m?)->(n?,m?) requires 1)")
            }
            return NDArray.result(try Tensor.matmul(ta, tb))
        }
        if op == .bitAnd || op == .bitOr || op == .bitXor {
            guard !dt.isFloatingPoint else {
                throw typeError("ufunc 'bitwise_\(op == .bitAnd ? "and" : op == .bitOr ? "or" : "xor")' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''")
            }
            let ta = try NP.tensor(x, as: dt).toInt64s(), tb = try NP.tensor(y, as: dt)
            let shape = try Shape.broadcast(try NP.tensor(x, as: dt).shape, tb.shape)
            let ea = try NP.tensor(x, as: .int64).expand(shape).toInt64s(), eb = try tb.to(.int64).expand(shape).toInt64s()
            _ = ta
            let out = try Tensor(ints: zip(ea, eb).map { op == .bitAnd ? $0 & $1 : op == .bitOr ? $0 | $1 : $0 ^ $1 }, shape: shape)
            return NDArray.result(try out.to(dt))
        }
        guard let c = TensorHooks.coreOp(op) else { return nil }
        _ = try NP.broadcast([shape(x), shape(y)])
        if c == .div && !dt.isFloatingPoint { dt = .float64 }
        if c == .pow, !dt.isFloatingPoint, case .array(let e) = y, e.toInt64s().contains(where: { $0 < 0 }) {
            throw valueError("Integers to negative integer powers are not allowed.")
        }
        if c == .pow, !dt.isFloatingPoint, case .int(let e) = y, e < 0 {
            throw valueError("Integers to negative integer powers are not allowed.")
        }
        let out = try Tensor.binary(c, try NP.tensor(x, as: dt), try NP.tensor(y, as: dt))
        return NDArray.result(out.dtype == dt ? out : try out.to(dt))
    }

    static func compare(_ op: Syntax.CompareOp, _ a: Value, _ b: Value) throws -> Value? {
        guard let core = TensorHooks.coreCompare(op) else { return nil }
        guard let x = NP.operand(a), let y = NP.operand(b) else {
            if op == .eq { return .bool(false) }
            if op == .ne { return .bool(true) }
            return nil
        }
        let dt = NP.resultType([x, y])
        _ = try NP.broadcast([shape(x), shape(y)])
        return NDArray.result(try Tensor.compare(core, try NP.tensor(x, as: dt), try NP.tensor(y, as: dt)))
    }
}
