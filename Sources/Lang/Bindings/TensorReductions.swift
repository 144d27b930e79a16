import TensorCore
import NN

/// Reductions (dim as an int or a tuple, keepdim) and the in-place ops.
extension TensorMethods {
    static func installReductions(_ r: Registry) {
        r.tensorOp("sum", [P("dim", .none), P("keepdim", .bool(false)), P("dtype", .none)], doc: "Sum over all or some dims.") { x, a in
            var y = try x.sum(dims: try TV.dims(a[1], in: "sum"), keepdim: TV.bool(a[2]))
            if let d = try TV.dtype(a[3], in: "sum") { y = try y.to(d) }
            return t(y)
        }
        r.tensorOp("mean", [P("dim", .none), P("keepdim", .bool(false)), P("dtype", .none)], doc: "Mean over all or some dims.") { x, a in
            let src = try TV.dtype(a[3], in: "mean").map { try x.to($0) } ?? x
            return t(try src.mean(dims: try TV.dims(a[1], in: "mean"), keepdim: TV.bool(a[2])))
        }
        for (name, isMax) in [("max", true), ("min", false)] {
            r.tensorOp(name, [P("dim", .none), P("keepdim", .bool(false))],
                       doc: "The \(name)imum of all elements; with dim, (values, indices); with a tensor, elementwise.") { x, a in
                switch a[1] {
                case .none: return t(try x.extremumAll(isMax: isMax))
                case .tensor(let other):
                    return t(try Tensor.binary(isMax ? .maximum : .minimum, x, other))
                default:
                    let (v, i) = try x.extremum(dim: try a.int(1), keepdim: TV.bool(a[2]), isMax: isMax)
                    return .object(ReturnTuple(name, [("values", t(v)), ("indices", t(i))]))
                }
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
                return t(name == "std" ? try x.std(dims: dims, correction: correction, keepdim: keep)
                                       : try x.variance(dims: dims, correction: correction, keepdim: keep))
            }
        }
    }

    static func installInPlace(_ r: Registry) {
        r.tensorOp("fill_", [P("value")], doc: "Fills with value, in place.", torch: false) { x, a in
            try x.fill_(try numberOrItem(a[1], "value", in: "fill_")); return t(x)
        }
        r.tensorOp("zero_", doc: "Fills with zeros, in place.", torch: false) { x, _ in try x.zero_(); return t(x) }
        r.tensorOp("copy_", [P("src")], doc: "Copies src (broadcast) into this tensor, in place.", torch: false) { x, a in
            try x.copy_(try TV.tensor(a[1], "src", in: "copy_")); return t(x)
        }
        r.tensorOp("add_", [P("other"), P("alpha", .int(1))], doc: "self += alpha * other, in place.", torch: false) { x, a in
            try x.add_(try TV.tensor(a[1], "other", in: "add_"), alpha: try a.double(2)); return t(x)
        }
        let ops: [(String, BinaryOp)] = [("sub_", .sub), ("mul_", .mul), ("div_", .div)]
        for (name, op) in ops {
            r.tensorOp(name, [P("other")], doc: "In-place \(name.dropLast()).", torch: false) { x, a in
                try x.applyInPlace(op, try TV.tensor(a[1], "other", in: name)); return t(x)
            }
        }
        r.tensorOp("clamp_", [P("min", .none), P("max", .none)], doc: "clamp, in place.", torch: false) { x, a in
            let y = try x.clamp(min: try TV.optionalDouble(a[1], "min", in: "clamp_"), max: try TV.optionalDouble(a[2], "max", in: "clamp_"))
            try x.copy_(y); return t(x)
        }
        r.tensorOp("normal_", [P("mean", .float(0)), P("std", .float(1))], doc: "Fills with N(mean, std²) samples.", torch: false) { x, a in
            try Init.normal_(x, mean: try a.double(1), std: try a.double(2)); return t(x)
        }
        r.tensorOp("uniform_", [P("from", .float(0)), P("to", .float(1))], doc: "Fills with U(from, to) samples.", torch: false) { x, a in
            try Init.uniform_(x, a: try a.double(1), b: try a.double(2)); return t(x)
        }
        r.tensorOp("backward", [P("gradient", .none)], doc: "Computes gradients (autograd is not in Tensorpad yet).", torch: false) { _, _ in
            throw LangError(.NotImplementedError, "backward(): autograd is not available in this version of Tensorpad")
        }
    }

    static func numberOrItem(_ v: Value, _ what: String, in fn: String) throws -> Double {
        if case .tensor(let x) = v { return try x.item() }
        return try Convert.double(v, what: what, in: fn)
    }
}
