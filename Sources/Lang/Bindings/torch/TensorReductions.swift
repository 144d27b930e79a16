import TensorCore
import NN

/// Reductions (dim as an int or a tuple, keepdim) and the in-place ops.
extension TensorMethods {
    static func installReductions(_ r: Registry) {
        r.tensorOp("sum", [P("dim", .none), P("keepdim", .bool(false)), P("dtype", .none)], doc: "Sum over all or some dims.") { x, a in
            let src = try TV.dtype(a[3], in: "sum").map { try Functional.to(x, $0) } ?? x
            return t(try Functional.sum(src, dims: try TV.dims(a[1], in: "sum"), keepdim: TV.bool(a[2])))
        }
        r.tensorOp("mean", [P("dim", .none), P("keepdim", .bool(false)), P("dtype", .none)], doc: "Mean over all or some dims.") { x, a in
            let src = try TV.dtype(a[3], in: "mean").map { try Functional.to(x, $0) } ?? x
            return t(try Functional.mean(src, dims: try TV.dims(a[1], in: "mean"), keepdim: TV.bool(a[2])))
        }
        for (name, isMax) in [("max", true), ("min", false)] {
            r.tensorOp(name, [P("dim", .none), P("keepdim", .bool(false))],
                       doc: "The \(name)imum of all elements; with dim, (values, indices); with a tensor, elementwise.") { x, a in
                switch a[1] {
                case .none: return t(try Functional.extremumAll(x, isMax: isMax))
                case .tensor(let other): return t(try Functional.binary(isMax ? .maximum : .minimum, x, other))
                default:
                    let (v, i) = try Functional.extremum(x, dim: try a.int(1), keepdim: TV.bool(a[2]), isMax: isMax)
                    return .object(ReturnTuple(name, [("values", t(v)), ("indices", t(i))]))
                }
            }
        }
        for (name, isMax) in [("amax", true), ("amin", false)] {
            r.tensorOp(name, [P("dim", .tuple([])), P("keepdim", .bool(false))], doc: "The \(isMax ? "largest" : "smallest") value over dims (all when empty).") { x, a in
                t(try Functional.amax(x, dims: try TV.dims(a[1], in: name) ?? [], keepdim: TV.bool(a[2]), isMax: isMax))
            }
        }
        for (name, isMax) in [("argmax", true), ("argmin", false)] {
            r.tensorOp(name, [P("dim", .none), P("keepdim", .bool(false))], doc: "Index of the \(isMax ? "largest" : "smallest") element.") { x, a in
                t(try x.argExtremum(dim: try TV.optionalInt(a[1], "dim", in: name), keepdim: TV.bool(a[2]), isMax: isMax))
            }
        }
        for name in ["std", "var"] {
            r.tensorOp(name, [P("dim", .none), P("unbiased", .bool(true)), P("keepdim", .bool(false)), P("correction", .none)],
                       doc: name == "std" ? "Standard deviation (Bessel-corrected by default)." : "Variance (Bessel-corrected by default).") { x, a in
                let correction = try TV.optionalInt(a[4], "correction", in: name) ?? (TV.bool(a[2]) ? 1 : 0)
                let dims = try TV.dims(a[1], in: name), keep = TV.bool(a[3])
                return t(name == "std" ? try Functional.std(x, dims: dims, correction: correction, keepdim: keep)
                                       : try Functional.variance(x, dims: dims, correction: correction, keepdim: keep))
            }
        }
        r.tensorOp("prod", [P("dim", .none), P("keepdim", .bool(false)), P("dtype", .none)], doc: "Product of all elements, or along dim.") { x, a in
            let src = try TV.dtype(a[3], in: "prod").map { try Functional.to(x, $0) } ?? x
            return t(try Functional.prod(src, dim: try TV.optionalInt(a[1], "dim", in: "prod"), keepdim: TV.bool(a[2])))
        }
        r.tensorOp("cumsum", [P("dim"), P("dtype", .none)], doc: "Running sum along dim.") { x, a in
            let src = try TV.dtype(a[2], in: "cumsum").map { try Functional.to(x, $0) } ?? x
            return t(try Functional.cumsum(src, dim: try a.int(1)))
        }
        r.tensorOp("norm", [P("p", .float(2)), P("dim", .none), P("keepdim", .bool(false))], doc: "The p-norm over all or some dims.") { x, a in
            var p = 2.0
            switch a[1] {
            case .str(let s) where s == "fro": p = 2
            case .str(let s): throw valueError("norm: p='\(s)' is not supported; use a number or 'fro'")
            default: p = try a.double(1)
            }
            return t(try Functional.norm(x, p: p, dims: try TV.dims(a[2], in: "norm"), keepdim: TV.bool(a[3])))
        }
    }

    static func installInPlace(_ r: Registry) {
        r.tensorOp("fill_", [P("value")], doc: "Fills with value, in place.", torch: false) { x, a in
            try Functional.fill_(x, try numberOrItem(a[1], "value", in: "fill_")); return t(x)
        }
        r.tensorOp("zero_", doc: "Fills with zeros, in place.", torch: false) { x, _ in
            try Functional.fill_(x, 0); return t(x)
        }
        r.tensorOp("copy_", [P("src")], doc: "Copies src (broadcast) into this tensor, in place.", torch: false) { x, a in
            try Functional.copy_(x, try TV.tensor(a[1], "src", in: "copy_")); return t(x)
        }
        for (name, op) in [("add_", BinaryOp.add), ("sub_", .sub)] {
            r.tensorOp(name, [P("other"), P("alpha", .int(1))], doc: "self \(op == .add ? "+" : "-")= alpha * other, in place.", torch: false) { x, a in
                try Functional.inPlace(op, x, try TV.tensor(a[1], "other", in: name), alpha: try a.double(2)); return t(x)
            }
        }
        for (name, op) in [("mul_", BinaryOp.mul), ("div_", .div)] {
            r.tensorOp(name, [P("other")], doc: "In-place \(name.dropLast()).", torch: false) { x, a in
                try Functional.inPlace(op, x, try TV.tensor(a[1], "other", in: name)); return t(x)
            }
        }
        r.tensorOp("clamp_", [P("min", .none), P("max", .none)], doc: "clamp, in place.", torch: false) { x, a in
            try Functional.clamp_(x, min: try TV.optionalDouble(a[1], "min", in: "clamp_"), max: try TV.optionalDouble(a[2], "max", in: "clamp_"))
            return t(x)
        }
        r.tensorOp("relu_", doc: "relu, in place.", torch: false) { x, _ in try Functional.relu_(x); return t(x) }
    }

    static func numberOrItem(_ v: Value, _ what: String, in fn: String) throws -> Double {
        if case .tensor(let x) = v { return try x.item() }
        return try Convert.double(v, what: what, in: fn)
    }
}
