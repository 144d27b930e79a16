import TensorCore
import NN

/// Reductions (dim as an int or a tuple, keepdim) and the in-place ops.
extension TensorMethods {
    static func installReductions(_ r: Registry) {
        r.tensorOp("sum", [P("dim", .none), P("keepdim", .bool(false)), P("dtype", .none)], doc: "Sum over all or some dims.") { x, a in
            let dims = try TV.dims(a[1], in: "sum")
            var y = try x.sum(dims: dims, keepdim: TV.bool(a[2]))
            if let d = try TV.dtype(a[3], in: "sum") { y = try y.to(d) }
            return GradNames.rec(y, dims == nil ? "SumBackward0" : "SumBackward1", x)
        }
        r.tensorOp("mean", [P("dim", .none), P("keepdim", .bool(false)), P("dtype", .none)], doc: "Mean over all or some dims.") { x, a in
            let src = try TV.dtype(a[3], in: "mean").map { try x.to($0) } ?? x
            let dims = try TV.dims(a[1], in: "mean")
            return GradNames.rec(try src.mean(dims: dims, keepdim: TV.bool(a[2])), dims == nil ? "MeanBackward0" : "MeanBackward1", x)
        }
        for (name, isMax) in [("max", true), ("min", false)] {
            r.tensorOp(name, [P("dim", .none), P("keepdim", .bool(false))],
                       doc: "The \(name)imum of all elements; with dim, (values, indices); with a tensor, elementwise.") { x, a in
                switch a[1] {
                case .none: return GradNames.rec(try x.extremumAll(isMax: isMax), isMax ? "MaxBackward1" : "MinBackward1", x)
                case .tensor(let other):
                    return GradNames.rec(try Tensor.binary(isMax ? .maximum : .minimum, x, other), isMax ? "MaximumBackward0" : "MinimumBackward0", x, other)
                default:
                    let (v, i) = try x.extremum(dim: try a.int(1), keepdim: TV.bool(a[2]), isMax: isMax)
                    History.record(v, isMax ? "MaxBackward0" : "MinBackward0", [x])
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
                return GradNames.rec(name == "std" ? try x.std(dims: dims, correction: correction, keepdim: keep)
                                                   : try x.variance(dims: dims, correction: correction, keepdim: keep),
                                     name == "std" ? "StdBackward0" : "VarBackward0", x)
            }
        }
    }

    static func installInPlace(_ r: Registry) {
        r.tensorOp("fill_", [P("value")], doc: "Fills with value, in place.", torch: false) { x, a in
            try GradNames.checkInPlace(x)
            try x.fill_(try numberOrItem(a[1], "value", in: "fill_")); return t(x)
        }
        r.tensorOp("zero_", doc: "Fills with zeros, in place.", torch: false) { x, _ in
            try GradNames.checkInPlace(x); try x.zero_(); return t(x)
        }
        r.tensorOp("copy_", [P("src")], doc: "Copies src (broadcast) into this tensor, in place.", torch: false) { x, a in
            try GradNames.checkInPlace(x)
            let src = try TV.tensor(a[1], "src", in: "copy_")
            try x.copy_(src); GradNames.afterInPlace(x, "CopyBackwards", src); return t(x)
        }
        r.tensorOp("add_", [P("other"), P("alpha", .int(1))], doc: "self += alpha * other, in place.", torch: false) { x, a in
            try GradNames.checkInPlace(x)
            let y = try TV.tensor(a[1], "other", in: "add_")
            try x.add_(y, alpha: try a.double(2)); GradNames.afterInPlace(x, "AddBackward0", y); return t(x)
        }
        let ops: [(String, BinaryOp)] = [("sub_", .sub), ("mul_", .mul), ("div_", .div)]
        for (name, op) in ops {
            r.tensorOp(name, [P("other")], doc: "In-place \(name.dropLast()).", torch: false) { x, a in
                try GradNames.checkInPlace(x)
                let y = try TV.tensor(a[1], "other", in: name)
                try x.applyInPlace(op, y)
                if let g = GradNames.binary(op, leftIsNumber: false, rightIsNumber: TV.isNumber(a[1])) { GradNames.afterInPlace(x, g, y) }
                return t(x)
            }
        }
        r.tensorOp("clamp_", [P("min", .none), P("max", .none)], doc: "clamp, in place.", torch: false) { x, a in
            let y = try x.clamp(min: try TV.optionalDouble(a[1], "min", in: "clamp_"), max: try TV.optionalDouble(a[2], "max", in: "clamp_"))
            try x.copy_(y); return t(x)
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
