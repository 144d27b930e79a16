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
            t(try Functional.reshape(x, try TV.shape(a.varargs, in: "reshape")))
        }
        r.tensorOp("view", varargs: "shape", doc: "A view with the given shape; -1 infers one size.", torch: false) { x, a in
            if a.varargs.count == 1, case .object(let o as DTypeObject) = a.varargs[0], o.dtype != x.dtype {
                let d = o.dtype
                throw typeError("view(dtype) is not supported; use .to(\(d.torchName))")
            }
            return t(try Functional.view(x, try TV.shape(a.varargs, in: "view")))
        }
        r.tensorOp("flatten", [P("start_dim", .int(0)), P("end_dim", .int(-1))], doc: "Flattens dims start_dim..end_dim into one.") { x, a in
            t(try Functional.flatten(x, startDim: try a.int(1), endDim: try a.int(2)))
        }
        r.tensorOp("permute", varargs: "dims", doc: "A view with the dims reordered.") { x, a in
            t(try Functional.permute(x, try TV.shape(a.varargs, in: "permute")))
        }
        r.tensorOp("transpose", [P("dim0"), P("dim1")], doc: "A view with two dims swapped.") { x, a in
            t(try Functional.transpose(x, try a.int(1), try a.int(2)))
        }
        r.tensorOp("t", doc: "Transposes a 2-D tensor.") { x, _ in
            t(try Functional.t(x))
        }
        r.tensorOp("squeeze", [P("dim", .none)], doc: "Removes dims of size 1 (or only `dim`).") { x, a in
            t(try Functional.squeeze(x, dims: try TV.dims(a[1], in: "squeeze")))
        }
        r.tensorOp("unsqueeze", [P("dim")], doc: "Inserts a dim of size 1.") { x, a in
            t(try Functional.unsqueeze(x, try a.int(1)))
        }
        r.tensorOp("contiguous", doc: "This tensor if contiguous, else a contiguous copy.", torch: false) { x, _ in
            t(try Functional.contiguous(x))
        }
        r.tensorOp("clone", doc: "A copy that shares nothing.") { x, _ in t(try Functional.clone(x)) }
        r.tensorOp("detach", doc: "The same data without autograd history.") { x, _ in t(x.detach()) }
        r.tensorOp("expand", varargs: "sizes", doc: "A broadcast view; -1 keeps a size.", torch: false) { x, a in
            t(try Functional.expand(x, try TV.shape(a.varargs, in: "expand")))
        }
        r.tensorOp("split", [P("split_size_or_sections"), P("dim", .int(0))], doc: "Pieces of the given size (or sizes) along dim, as views.") { x, a in
            let d = try Shape.wrapDim(try a.int(2), rank: x.rank)
            if case .int(let n) = a[1] {
                return .tuple(try Functional.split(x, sizes: try Functional.splitSizes(total: x.shape[d], piece: n), dim: d, evenly: true).map(t))
            }
            return .tuple(try Functional.split(x, sizes: try TV.ints(a[1], "split_size_or_sections", in: "split"), dim: d).map(t))
        }
        r.tensorOp("chunk", [P("chunks"), P("dim", .int(0))], doc: "At most `chunks` equal pieces along dim (the last may be smaller).") { x, a in
            let chunks = try a.int(1)
            guard chunks > 0 else { throw LangError(.RuntimeError, "chunk expects `chunks` to be greater than 0, got: \(chunks)") }
            let d = try Shape.wrapDim(try a.int(2), rank: x.rank)
            let piece = (x.shape[d] + chunks - 1) / chunks
            return .tuple(try Functional.split(x, sizes: try Functional.splitSizes(total: x.shape[d], piece: piece), dim: d, evenly: true).map(t))
        }
        r.tensorOp("unbind", [P("dim", .int(0))], doc: "The slices along dim, as a tuple.") { x, a in
            let d = try Shape.wrapDim(try a.int(1), rank: x.rank)
            return .tuple(try (0..<x.shape[d]).map { t(try Functional.select(x, dim: d, index: $0)) })
        }
        r.tensorOp("narrow", [P("dim"), P("start"), P("length")], doc: "A view of `length` elements from `start` along dim.") { x, a in
            t(try Functional.narrow(x, dim: try a.int(1), start: try a.int(2), length: try a.int(3)))
        }
        r.tensorOp("select", [P("dim"), P("index")], doc: "The slice at index along dim (one dim fewer), a view.") { x, a in
            t(try Functional.select(x, dim: try a.int(1), index: try a.int(2)))
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
            t(try Functional.to(x, .float32))
        }
        r.tensorOp("long", doc: "As int64.", torch: false) { x, _ in t(try x.to(.int64)) }
        r.tensorOp("int", doc: "As int32.", torch: false) { x, _ in t(try x.to(.int32)) }
        r.tensorOp("double", doc: "As float64.", torch: false) { x, _ in
            t(try Functional.to(x, .float64))
        }
        r.tensorOp("half", doc: "As float16.", torch: false) { x, _ in
            t(try Functional.to(x, .float16))
        }
        r.tensorOp("byte", doc: "As uint8.", torch: false) { x, _ in t(try x.to(.uint8)) }
        r.tensorOp("bool", doc: "As bool.", torch: false) { x, _ in t(try x.to(.bool)) }
        r.tensorOp("to", [P("device", .none), P("dtype", .none), P("non_blocking", .bool(false)), P("copy", .bool(false))],
                   doc: "Converts to a dtype, or another tensor's dtype ('cpu' is the only device).", torch: false) { x, a in
            var y = x
            for v in [a[1], a[2]] where !v.isNone {
                switch v {
                case .str, .object(_ as DeviceObject): try DeviceObject.make(v).requireCPU()
                case .tensor(let other): y = try Functional.to(y, other.dtype)
                default: if let d = try TV.dtype(v, in: "to") { y = try Functional.to(y, d) }
                }
            }
            return t(TV.bool(a[4]) && y === x ? try Functional.clone(x) : y)
        }
        r.tensorOp("cpu", doc: "The tensor itself (Tensorpad computes on the CPU).", torch: false) { x, _ in t(x) }
        r.tensorOp("cuda", [P("device", .none)], doc: "Not available: Tensorpad computes on the CPU.", torch: false) { _, _ in
            try DeviceObject(type: "cuda", index: nil).requireCPU(); return .none
        }
        r.tensorOp("type_as", [P("other")], doc: "Converts to other's dtype.", torch: false) { x, a in
            t(try Functional.to(x, try TV.tensor(a[1], "other", in: "type_as").dtype))
        }
        r.tensorOp("view_as", [P("other")], doc: "A view with other's shape.", torch: false) { x, a in
            t(try Functional.view(x, try TV.tensor(a[1], "other", in: "view_as").shape))
        }
        r.tensorOp("reshape_as", [P("other")], doc: "Reshaped to other's shape.", torch: false) { x, a in
            t(try Functional.reshape(x, try TV.tensor(a[1], "other", in: "reshape_as").shape))
        }
        r.tensorOp("requires_grad_", [P("requires_grad", .bool(true))], doc: "Sets requires_grad in place.", torch: false) { x, a in
            try TensorHooks.setRequiresGrad(x, TV.bool(a[1])); return t(x)
        }
        r.tensorOp("is_floating_point", doc: "True for float tensors.") { x, _ in .bool(x.dtype.isFloatingPoint) }
    }

    static func installMath(_ r: Registry) {
        let unary: [(String, String, (Tensor) throws -> Tensor)] = [
            ("abs", "Absolute value.", Functional.abs),
            ("exp", "e to the x.", Functional.exp),
            ("log", "Natural logarithm.", Functional.log),
            ("sqrt", "Square root.", Functional.sqrt),
            ("relu", "max(x, 0).", Functional.relu),
            ("sigmoid", "1 / (1 + exp(-x)).", Functional.sigmoid),
            ("tanh", "Hyperbolic tangent.", Functional.tanh),
            ("neg", "-x.", Functional.neg),
            ("sign", "-1, 0 or 1 by sign.", Functional.sign),
            ("square", "x * x.", Functional.square),
            ("floor", "Rounds down.", { try Functional.rounding($0, "FloorBackward0") { $0.rounded(.down) } }),
            ("ceil", "Rounds up.", { try Functional.rounding($0, "CeilBackward0") { $0.rounded(.up) } }),
            ("round", "Rounds half to even.", { try Functional.rounding($0, "RoundBackward0") { $0.rounded(.toNearestOrEven) } }),
        ]
        for (name, doc, f) in unary {
            r.tensorOp(name, doc: doc) { x, _ in t(try f(x)) }
        }
        r.tensorOp("pow", [P("exponent")], doc: "x ** exponent.") { x, a in
            t(try Functional.binary(.pow, x, try TV.tensor(a[1], "exponent", in: "pow"), bIsNumber: TV.isNumber(a[1])))
        }
        r.tensorOp("clamp", [P("min", .none), P("max", .none)], doc: "Limits values to [min, max].") { x, a in
            t(try Functional.clamp(x, min: try TV.optionalDouble(a[1], "min", in: "clamp"), max: try TV.optionalDouble(a[2], "max", in: "clamp")))
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
                t(try Functional.binary(op, x, try TV.tensor(a[1], "other", in: name), bIsNumber: TV.isNumber(a[1])))
            }
        }
        let comparisons: [(String, CompareOp)] = [("eq", .eq), ("ne", .ne), ("lt", .lt), ("le", .le), ("gt", .gt), ("ge", .ge)]
        for (name, op) in comparisons {
            r.tensorOp(name, [P("other")], doc: "Elementwise comparison, a bool tensor.") { x, a in
                t(try Tensor.compare(op, x, try TV.tensor(a[1], "other", in: name)))
            }
        }
        r.tensorOp("matmul", [P("other")], doc: "Matrix product with broadcasting (the @ operator).") { x, a in
            t(try Functional.matmul(x, try TV.tensor(a[1], "other", in: "matmul")))
        }
        r.tensorOp("mm", [P("mat2")], doc: "Matrix product of two 2-D tensors.") { x, a in
            t(try Functional.mm(x, try TV.tensor(a[1], "mat2", in: "mm")))
        }
        r.tensorOp("bmm", [P("mat2")], doc: "Batched matrix product of two 3-D tensors.") { x, a in
            t(try Functional.bmm(x, try TV.tensor(a[1], "mat2", in: "bmm")))
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
            t(try Functional.maskedFill(x, try TV.tensor(a[1], "mask", in: "masked_fill"), try TV.tensor(a[2], "value", in: "masked_fill")))
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
}
