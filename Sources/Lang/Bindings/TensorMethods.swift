import TensorCore
import NN

/// Tensor methods and their `torch.` functions (SPEC §5), each declared once.
enum TensorMethods {
    static func install(_ r: Registry) {
        installShape(r)
        installMath(r)
        installReductions(r)
        installInPlace(r)
    }

    static func t(_ x: Tensor) -> Value { .tensor(x) }

    static func installShape(_ r: Registry) {
        r.tensorOp("reshape", varargs: "shape", doc: "A tensor with the same data and the given shape (a view when possible).") { x, a in
            reshaped(x, try x.reshape(try TV.shape(a.varargs, in: "reshape")))
        }
        r.tensorOp("view", varargs: "shape", doc: "A view with the given shape; -1 infers one size.", torch: false) { x, a in
            if a.varargs.count == 1, case .object(let o as DTypeObject) = a.varargs[0], o.dtype != x.dtype {
                let d = o.dtype
                throw typeError("view(dtype) is not supported; use .to(\(d.torchName))")
            }
            return GradNames.rec(try x.view(try TV.shape(a.varargs, in: "view")), "ViewBackward0", x)
        }
        r.tensorOp("flatten", [P("start_dim", .int(0)), P("end_dim", .int(-1))], doc: "Flattens dims start_dim..end_dim into one.") { x, a in
            reshaped(x, try x.flatten(startDim: try a.int(1), endDim: try a.int(2)))
        }
        r.tensorOp("permute", varargs: "dims", doc: "A view with the dims reordered.") { x, a in
            GradNames.rec(try x.permute(try TV.shape(a.varargs, in: "permute")), "PermuteBackward0", x)
        }
        r.tensorOp("transpose", [P("dim0"), P("dim1")], doc: "A view with two dims swapped.") { x, a in
            GradNames.rec(try x.transpose(try a.int(1), try a.int(2)), "TransposeBackward0", x)
        }
        r.tensorOp("t", doc: "Transposes a 2-D tensor.") { x, _ in
            guard x.rank <= 2 else { throw LangError(.ShapeError, "t() expects a tensor with <= 2 dimensions, but self is \(x.rank)D") }
            return GradNames.rec(x.rank < 2 ? x.detach() : try x.transpose(0, 1), "TBackward0", x)
        }
        r.tensorOp("squeeze", [P("dim", .none)], doc: "Removes dims of size 1 (or only `dim`).") { x, a in
            guard let dims = try TV.dims(a[1], in: "squeeze") else { return GradNames.rec(try x.squeeze(), "SqueezeBackward0", x) }
            var y = x
            for d in dims.map({ $0 < 0 ? $0 + x.rank : $0 }).sorted(by: >) { y = try y.squeeze(d) }
            return GradNames.rec(y === x ? x.detach() : y, dims.count > 1 ? "SqueezeBackward2" : "SqueezeBackward1", x)
        }
        r.tensorOp("unsqueeze", [P("dim")], doc: "Inserts a dim of size 1.") { x, a in
            GradNames.rec(try x.unsqueeze(try a.int(1)), "UnsqueezeBackward0", x)
        }
        r.tensorOp("contiguous", doc: "This tensor if contiguous, else a contiguous copy.", torch: false) { x, _ in
            x.isContiguous ? t(x) : GradNames.rec(try x.contiguous(), "CloneBackward0", x)
        }
        r.tensorOp("clone", doc: "A copy that shares nothing.") { x, _ in GradNames.rec(try x.clone(), "CloneBackward0", x) }
        r.tensorOp("detach", doc: "The same data without autograd history.") { x, _ in t(x.detach()) }
        r.tensorOp("expand", varargs: "sizes", doc: "A broadcast view; -1 keeps a size.", torch: false) { x, a in
            GradNames.rec(try x.expand(try TV.shape(a.varargs, in: "expand")), "ExpandBackward0", x)
        }
        r.tensorOp("item", doc: "The value of a one-element tensor as a Python number.", torch: false) { x, _ in try TV.item(x) }
        r.tensorOp("tolist", doc: "The tensor as nested Python lists.", torch: false) { x, _ in try TV.toList(x) }
        r.tensorOp("size", [P("dim", .none)], doc: "The shape as torch.Size, or one size.", torch: false) { x, a in
            if case .none = a[1] { return .size(x.shape) }
            return .int(try x.size(try a.int(1)))
        }
        r.tensorOp("dim", doc: "Number of dims.", torch: false) { x, _ in .int(x.rank) }
        r.tensorOp("numel", doc: "Number of elements.") { x, _ in .int(x.numel) }
        r.tensorOp("float", doc: "As float32.", torch: false) { x, _ in
            x.dtype == .float32 ? t(x) : GradNames.rec(try x.to(.float32), "ToCopyBackward0", x)
        }
        r.tensorOp("long", doc: "As int64.", torch: false) { x, _ in t(try x.to(.int64)) }
        r.tensorOp("int", doc: "As int32.", torch: false) { x, _ in t(try x.to(.int32)) }
        r.tensorOp("double", doc: "As float64.", torch: false) { x, _ in
            x.dtype == .float64 ? t(x) : GradNames.rec(try x.to(.float64), "ToCopyBackward0", x)
        }
        r.tensorOp("half", doc: "As float16.", torch: false) { x, _ in
            x.dtype == .float16 ? t(x) : GradNames.rec(try x.to(.float16), "ToCopyBackward0", x)
        }
        r.tensorOp("byte", doc: "As uint8.", torch: false) { x, _ in t(try x.to(.uint8)) }
        r.tensorOp("bool", doc: "As bool.", torch: false) { x, _ in t(try x.to(.bool)) }
        r.tensorOp("to", [P("dtype", .none)], doc: "Converts to a dtype (devices other than 'cpu' are not available).", torch: false) { x, a in
            if case .str(let dev) = a[1] {
                guard dev == "cpu" else { throw LangError(.RuntimeError, "Tensorpad runs on the CPU only; got device '\(dev)'") }
                return t(x)
            }
            guard let d = try TV.dtype(a[1], in: "to") else { return t(x) }
            return t(try x.to(d))
        }
        r.tensorOp("type_as", [P("other")], doc: "Converts to other's dtype.", torch: false) { x, a in
            t(try x.to(try TV.tensor(a[1], "other", in: "type_as").dtype))
        }
        r.tensorOp("view_as", [P("other")], doc: "A view with other's shape.", torch: false) { x, a in
            t(try x.view(try TV.tensor(a[1], "other", in: "view_as").shape))
        }
        r.tensorOp("reshape_as", [P("other")], doc: "Reshaped to other's shape.", torch: false) { x, a in
            t(try x.reshape(try TV.tensor(a[1], "other", in: "reshape_as").shape))
        }
        r.tensorOp("requires_grad_", [P("requires_grad", .bool(true))], doc: "Sets requires_grad in place.", torch: false) { x, a in
            x.requiresGrad = TV.bool(a[1]); return t(x)
        }
        r.tensorOp("is_floating_point", doc: "True for float tensors.") { x, _ in .bool(x.dtype.isFloatingPoint) }
    }

    static func installMath(_ r: Registry) {
        let unary: [(String, String, String, (Tensor) throws -> Tensor)] = [
            ("abs", "Absolute value.", "AbsBackward0", { try $0.abs() }),
            ("exp", "e to the x.", "ExpBackward0", { try $0.exp() }),
            ("log", "Natural logarithm.", "LogBackward0", { try $0.log() }),
            ("sqrt", "Square root.", "SqrtBackward0", { try $0.sqrt() }),
            ("relu", "max(x, 0).", "ReluBackward0", { try $0.relu() }),
            ("sigmoid", "1 / (1 + exp(-x)).", "SigmoidBackward0", { try $0.sigmoid() }),
            ("tanh", "Hyperbolic tangent.", "TanhBackward0", { try $0.tanh() }),
            ("neg", "-x.", "NegBackward0", { try $0.neg() }),
            ("square", "x * x.", "PowBackward0", { try Tensor.binary(.mul, $0, $0) }),
            ("floor", "Rounds down.", "FloorBackward0", { try $0.mapFloat { $0.rounded(.down) } }),
            ("ceil", "Rounds up.", "CeilBackward0", { try $0.mapFloat { $0.rounded(.up) } }),
            ("round", "Rounds half to even.", "RoundBackward0", { try $0.mapFloat { $0.rounded(.toNearestOrEven) } }),
        ]
        for (name, doc, grad, f) in unary {
            r.tensorOp(name, doc: doc) { x, _ in GradNames.rec(try f(x), grad, x) }
        }
        r.tensorOp("pow", [P("exponent")], doc: "x ** exponent.") { x, a in
            GradNames.rec(try Tensor.binary(.pow, x, try TV.tensor(a[1], "exponent", in: "pow")),
                          TV.isNumber(a[1]) ? "PowBackward0" : "PowBackward1", x, try TV.tensor(a[1], "exponent", in: "pow"))
        }
        r.tensorOp("clamp", [P("min", .none), P("max", .none)], doc: "Limits values to [min, max].") { x, a in
            GradNames.rec(try x.clamp(min: try TV.optionalDouble(a[1], "min", in: "clamp"), max: try TV.optionalDouble(a[2], "max", in: "clamp")),
                          "ClampBackward1", x)
        }
        r.tensorOp("softmax", [P("dim")], doc: "exp(x) / sum(exp(x)) along dim.") { x, a in
            t(try Functional.softmax(x, dim: try a.int(1)))
        }
        r.tensorOp("log_softmax", [P("dim")], doc: "log(softmax(x)) along dim, computed stably.") { x, a in
            t(try Functional.logSoftmax(x, dim: try a.int(1)))
        }
        let binaries: [(String, BinaryOp, String)] = [
            ("add", .add, "input + other"), ("sub", .sub, "input - other"), ("mul", .mul, "input * other"),
            ("div", .div, "input / other (true division)"), ("maximum", .maximum, "elementwise max"),
            ("minimum", .minimum, "elementwise min"),
        ]
        for (name, op, doc) in binaries {
            r.tensorOp(name, [P("other")], doc: doc) { x, a in
                let y = try TV.tensor(a[1], "other", in: name)
                let out = try Tensor.binary(op, x, y)
                guard let grad = GradNames.binary(op, leftIsNumber: false, rightIsNumber: TV.isNumber(a[1])) else { return t(out) }
                return GradNames.rec(out, grad, x, y)
            }
        }
        let comparisons: [(String, CompareOp)] = [("eq", .eq), ("ne", .ne), ("lt", .lt), ("le", .le), ("gt", .gt), ("ge", .ge)]
        for (name, op) in comparisons {
            r.tensorOp(name, [P("other")], doc: "Elementwise comparison, a bool tensor.") { x, a in
                t(try Tensor.compare(op, x, try TV.tensor(a[1], "other", in: name)))
            }
        }
        r.tensorOp("matmul", [P("other")], doc: "Matrix product with broadcasting (the @ operator).") { x, a in
            let y = try TV.tensor(a[1], "other", in: "matmul")
            return GradNames.rec(try Tensor.matmul(x, y), GradNames.matmul(x, y), x, y)
        }
        r.tensorOp("mm", [P("mat2")], doc: "Matrix product of two 2-D tensors.") { x, a in
            let y = try TV.tensor(a[1], "mat2", in: "mm")
            return GradNames.rec(try Tensor.mm(x, y), "MmBackward0", x, y)
        }
        r.tensorOp("allclose", [P("other"), P("rtol", .float(1e-5)), P("atol", .float(1e-8)), P("equal_nan", .bool(false))],
                   doc: "True when |input - other| <= atol + rtol * |other| everywhere.") { x, a in
            .bool(try allclose(x, try TV.tensor(a[1], "other", in: "allclose"), rtol: try a.double(2),
                               atol: try a.double(3), equalNan: TV.bool(a[4])))
        }
        r.tensorOp("equal", [P("other")], doc: "True when both have the same shape and elements.") { x, a in
            let y = try TV.tensor(a[1], "other", in: "equal")
            return .bool(x.shape == y.shape && x.toDoubles() == y.toDoubles())
        }
        r.tensorOp("masked_fill", [P("mask"), P("value")], doc: "A copy with value where mask is True.") { x, a in
            let m = try TV.tensor(a[1], "mask", in: "masked_fill")
            return GradNames.rec(try Tensor.where(m, try TV.tensor(a[2], "value", in: "masked_fill").to(x.dtype), x), "MaskedFillBackward0", x)
        }
    }

    static func allclose(_ a: Tensor, _ b: Tensor, rtol: Double, atol: Double, equalNan: Bool) throws -> Bool {
        let shape = try Shape.broadcast(a.shape, b.shape)
        let x = try a.expand(shape).toDoubles(), y = try b.expand(shape).toDoubles()
        for i in 0..<x.count {
            if x[i].isNaN || y[i].isNaN {
                if equalNan && x[i].isNaN && y[i].isNaN { continue }
                return false
            }
            if x[i] == y[i] { continue }
            if Swift.abs(x[i] - y[i]) > atol + rtol * Swift.abs(y[i]) { return false }
        }
        return true
    }

    /// reshape/flatten: a view records ViewBackward0, a copy UnsafeViewBackward0, no-op nothing.
    static func reshaped(_ x: Tensor, _ y: Tensor) -> Value {
        if y === x { return .tensor(y) }
        return GradNames.rec(y, y.sharesStorage(with: x) ? "ViewBackward0" : "UnsafeViewBackward0", x)
    }
}
