import TensorCore
import Render

/// Reductions, elementwise functions and shape methods of `ndarray`, each
/// declared once as `np.name(a, ...)` and `a.name(...)`.
enum NumpyMethods {
    static func install(_ r: Registry) {
        installReductions(r)
        installShape(r)
        installElementwise(r)
    }

    /// Registers `numpy.name(a, params...)` and the method `a.name(params...)`
    /// on arrays and NumPy scalars.
    static func both(_ r: Registry, _ name: String, _ params: [Param] = [], varargs: String? = nil, keywordOnly: [Param] = [],
                     function: Bool = true, method: Bool = true, doc: String,
                     _ body: @escaping (Tensor, BoundArgs) throws -> Value) {
        if function {
            r.register(path: "numpy.\(name)", signature: Signature(name, [P("a")] + params, varargs: varargs, keywordOnly: keywordOnly, doc: doc)) { a in
                try body(try NP.array(a[0], in: name), a)
            }
        }
        if method {
            for type in ["ndarray"] + DType.allCases.map(\.rawValue) {
                r.registerMethod(type: type, signature: Signature(name, [P("self")] + params, varargs: varargs, keywordOnly: keywordOnly, doc: doc)) { a in
                    try body(try NP.array(a[0], in: name), a)
                }
            }
        }
    }

    static func axes(_ v: Value, in fn: String) throws -> [Int]? { try TV.dims(v, in: fn) }

    static func installReductions(_ r: Registry) {
        let reduceParams = [P("axis", .none), P("dtype", .none), P("out", .none), P("keepdims", .bool(false))]
        both(r, "sum", reduceParams, doc: "Sum over the given axes (all by default).") { t, a in
            let dt = try NP.dtype(a[2], in: "sum")
            return NDArray.result(try sum(dt.map { try t.to($0) } ?? t, try axes(a[1], in: "sum"), keepdims: TV.bool(a[4])))
        }
        both(r, "mean", reduceParams, doc: "Arithmetic mean over the given axes.") { t, a in
            let x = try meanInput(t, try NP.dtype(a[2], in: "mean"))
            let dims = try axes(a[1], in: "mean")
            return NDArray.result(try mean(x, dims, keepdims: TV.bool(a[4])))
        }
        for name in ["var", "std"] {
            both(r, name, [P("axis", .none), P("dtype", .none), P("out", .none), P("ddof", .int(0)), P("keepdims", .bool(false))],
                 doc: name == "var" ? "Variance (ddof=0 by default, as NumPy)." : "Standard deviation (ddof=0 by default, as NumPy).") { t, a in
                let x = try meanInput(t, try NP.dtype(a[2], in: name))
                let dims = try axes(a[1], in: name)
                let m = try mean(x, dims, keepdims: true)
                let d = try Tensor.binary(.sub, x, m)
                let ss = try sum(try Tensor.binary(.mul, d, d), dims, keepdims: TV.bool(a[5]))
                let n = dims.map { ds in ds.reduce(1) { $0 * x.shape[(($1 % Swift.max(x.rank, 1)) + x.rank) % Swift.max(x.rank, 1)] } } ?? x.numel
                let denom = Swift.max(n - (try a.int(4)), 0)
                let v = try Tensor.binary(.div, ss, .scalar(Double(denom), dtype: ss.dtype)).to(ss.dtype)
                return NDArray.result(name == "std" ? try v.math(.sqrt) : v)
            }
        }
        for (name, isMax) in [("max", true), ("min", false), ("amax", true), ("amin", false)] {
            both(r, name, [P("axis", .none), P("out", .none), P("keepdims", .bool(false))], method: name.count == 3,
                 doc: "The \(isMax ? "largest" : "smallest") element over the given axes.") { t, a in
                guard t.numel > 0 else {
                    throw valueError("zero-size array to reduction operation \(isMax ? "maximum" : "minimum") which has no identity")
                }
                let keep = TV.bool(a[3])
                guard let dims = try axes(a[1], in: name) else {
                    let v = try t.extremumAll(isMax: isMax)
                    return NDArray.result(keep ? try v.reshape([Int](repeating: 1, count: t.rank)) : v)
                }
                var x = t
                let wrapped = try dims.map { try Shape.wrapDim($0, rank: t.rank) }.sorted(by: >)
                for d in wrapped { x = try x.extremum(dim: d, keepdim: keep, isMax: isMax).0 }
                return NDArray.result(x)
            }
        }
        for (name, isMax) in [("argmax", true), ("argmin", false)] {
            both(r, name, [P("axis", .none), P("out", .none)], keywordOnly: [P("keepdims", .bool(false))],
                 doc: "Indices of the \(isMax ? "largest" : "smallest") elements (of the flattened array without axis).") { t, a in
                if t.numel == 0 { throw valueError("attempt to get \(name) of an empty sequence") }
                let axis = try TV.optionalInt(a[1], "axis", in: name)
                let src = axis == nil ? try t.contiguous().reshape([-1]) : t
                return NDArray.result(try src.argExtremum(dim: axis ?? 0, keepdim: TV.bool(a[3]), isMax: isMax))
            }
        }
        for (name, isAny) in [("any", true), ("all", false)] {
            both(r, name, [P("axis", .none), P("out", .none), P("keepdims", .bool(false))],
                 doc: isAny ? "True if any element is true." : "True if every element is true.") { t, a in
                let nz = try Tensor.compare(.ne, t, .scalar(0, dtype: t.dtype)).to(.int64)
                let s = try nz.sum(dims: try axes(a[1], in: name), keepdim: TV.bool(a[3]))
                let dims = try axes(a[1], in: name)
                let n = dims == nil ? t.numel : (dims ?? []).reduce(1) { $0 * t.shape[(($1 % t.rank) + t.rank) % t.rank] }
                return NDArray.result(try Tensor.compare(isAny ? .gt : .eq, s, .scalar(int: Int64(isAny ? 0 : n))))
            }
        }
    }

    /// Integers average in float64; float16 in float32 then back (as NumPy).
    static func meanInput(_ t: Tensor, _ dt: DType?) throws -> Tensor {
        if let dt { return try t.to(dt) }
        return t.dtype.isFloatingPoint ? t : try t.to(.float64)
    }

    static func sum(_ t: Tensor, _ dims: [Int]?, keepdims: Bool) throws -> Tensor {
        if t.dtype.isFloatingPoint { return try t.pairwiseSum(dims: dims, keepdim: keepdims) }
        return try t.sum(dims: dims, keepdim: keepdims)
    }

    static func mean(_ x: Tensor, _ dims: [Int]?, keepdims: Bool) throws -> Tensor {
        let s = try sum(x, dims, keepdims: keepdims)
        let n = dims.map { ds in ds.reduce(1) { $0 * x.shape[(($1 % Swift.max(x.rank, 1)) + x.rank) % Swift.max(x.rank, 1)] } } ?? x.numel
        return try Tensor.binary(.div, s, .scalar(Double(n), dtype: s.dtype)).to(s.dtype)
    }

    static func installShape(_ r: Registry) {
        both(r, "reshape", [P("shape", .none)], varargs: "dims", keywordOnly: [P("order", .str("C"))], function: false,
             doc: "The same data with a new shape (a view when possible).") { t, a in
            let dims = a.varargs.isEmpty ? try NumpyBindings.shape(a[1], in: "reshape") : try TV.shape([a[1]] + a.varargs, in: "reshape")
            return NDArray.array(try reshape(t, dims))
        }
        r.register(path: "numpy.reshape", signature: Signature("reshape", [P("a"), P("newshape")], doc: "The same data with a new shape.")) { a in
            NDArray.array(try reshape(try NP.array(a[0], in: "reshape"), try NumpyBindings.shape(a[1], in: "reshape")))
        }
        both(r, "transpose", [P("axes", .none)], varargs: "more", doc: "The axes reversed or permuted (a view).") { t, a in
            let perm: [Int] = a[1].isNone ? Array((0..<t.rank).reversed())
                : try TV.shape([a[1]] + a.varargs, in: "transpose")
            guard perm.count == t.rank else { throw valueError("axes don't match array") }
            return NDArray.array(try t.permute(perm))
        }
        both(r, "swapaxes", [P("axis1"), P("axis2")], doc: "Two axes interchanged (a view).") { t, a in
            NDArray.array(try t.transpose(try a.int(1), try a.int(2)))
        }
        both(r, "flatten", function: false, doc: "A 1-D copy.") { t, _ in NDArray.array(try t.copyContiguous().reshape([-1])) }
        both(r, "ravel", doc: "A 1-D view when possible.") { t, _ in NDArray.array(try reshape(t, [-1])) }
        both(r, "squeeze", [P("axis", .none)], doc: "Axes of length one removed.") { t, a in
            guard let dims = try axes(a[1], in: "squeeze") else { return NDArray.result(try t.squeeze()) }
            var y = t
            for d in try dims.map({ try Shape.wrapDim($0, rank: t.rank) }).sorted(by: >) {
                guard t.shape[d] == 1 else { throw valueError("cannot select an axis to squeeze out which has size not equal to one") }
                y = try y.squeeze(d)
            }
            return NDArray.result(y)
        }
        both(r, "expand_dims", [P("axis")], method: false, doc: "A new axis of length one inserted.") { t, a in
            NDArray.array(try t.unsqueeze(try a.int(1)))
        }
        both(r, "astype", [P("dtype")], function: false, doc: "A copy converted to dtype.") { t, a in
            NDArray.array(try t.to(try NP.dtype(a[1], in: "astype") ?? .float64).copyContiguous())
        }
        both(r, "copy", doc: "A copy that shares nothing.") { t, _ in NDArray.array(try t.copyContiguous()) }
        both(r, "tolist", function: false, doc: "The array as nested Python lists.") { t, _ in try TV.toList(t) }
        both(r, "item", function: false, doc: "The one element as a Python number.") { t, _ in
            guard t.numel == 1 else { throw valueError("can only convert an array of size 1 to a Python scalar") }
            return try TV.item(t)
        }
        both(r, "fill", [P("value")], function: false, doc: "Sets every element to value.") { t, a in
            try t.fill_(try Convert.double(a[1], what: "value", in: "fill")); return .none
        }
        both(r, "clip", [P("a_min", .none), P("a_max", .none)], doc: "Values limited to [a_min, a_max].") { t, a in
            var out = t
            for (i, op) in [(1, BinaryOp.maximum), (2, .minimum)] where !a[i].isNone {
                guard let b = NP.operand(a[i]) else { throw typeError("clip bounds must be numbers or arrays") }
                let dt = NP.resultType([.array(out), b])
                out = try Tensor.binary(op, try out.to(dt), try NP.tensor(b, as: dt))
            }
            return NDArray.result(out)
        }
        both(r, "dot", [P("b")], function: false, doc: "Dot product with b.") { t, a in
            guard case .builtin(let dot)? = r.lookup("numpy.dot") else { return .none }
            return try a.interpreter.call(.builtin(dot), Arguments([NDArray.array(t), a[1]]))
        }
    }

    static func reshape(_ t: Tensor, _ dims: [Int]) throws -> Tensor {
        do { return try t.reshape(dims) } catch {
            throw valueError("cannot reshape array of size \(t.numel) into shape \(NP.shapeText(dims))")
        }
    }

    static func installElementwise(_ r: Registry) {
        for f in MathFunction.allCases {
            let names = f == .abs ? ["abs", "absolute"] : [f.rawValue]
            for name in names {
                r.register(path: "numpy.\(name)", signature: Signature(name, [P("x")], doc: "\(f.rawValue)(x) elementwise.")) { a in
                    let t = try NP.array(a[0], in: name)
                    if !t.dtype.isFloatingPoint && [.abs, .negative, .square, .sign].contains(f) {
                        switch f {
                        case .abs: return NDArray.result(try t.abs())
                        case .negative: return NDArray.result(try t.neg())
                        case .square: return NDArray.result(try Tensor.binary(.mul, t, t))
                        default: return NDArray.result(try Tensor.binary(.sub, Tensor.compare(.gt, t, .scalar(0, dtype: t.dtype)).to(t.dtype),
                                                                         Tensor.compare(.lt, t, .scalar(0, dtype: t.dtype)).to(t.dtype)))
                        }
                    }
                    let x = t.dtype.isFloatingPoint ? t : try t.to(NP.promote(t.dtype, .float16))
                    return NDArray.result(try x.math(f))
                }
            }
        }
        for (name, op) in [("maximum", BinaryOp.maximum), ("minimum", .minimum), ("add", .add), ("subtract", .sub),
                           ("multiply", .mul), ("divide", .div), ("power", .pow)] {
            r.register(path: "numpy.\(name)", signature: Signature(name, [P("x1"), P("x2")], doc: "\(name)(x1, x2) elementwise with broadcasting.")) { a in
                guard let x = NP.operand(a[0]), let y = NP.operand(a[1]) else { throw typeError("\(name): arrays or numbers expected") }
                var dt = NP.resultType([x, y])
                if op == .div && !dt.isFloatingPoint { dt = .float64 }
                let out = try Tensor.binary(op, try NP.tensor(x, as: dt), try NP.tensor(y, as: dt))
                return NDArray.result(out.dtype == dt ? out : try out.to(dt))
            }
        }
        r.register(path: "numpy.round", signature: Signature("round", [P("a"), P("decimals", .int(0))], doc: "Rounded to the given decimals (half to even).")) { a in
            let t = try NP.array(a[0], in: "round")
            guard t.dtype.isFloatingPoint else { return NDArray.result(t) }
            let scale = Foundation.pow(10.0, Double(try a.int(1)))
            let s = try Tensor.binary(.mul, t, .scalar(scale, dtype: t.dtype)).math(.rint)
            return NDArray.result(try Tensor.binary(.div, s, .scalar(scale, dtype: t.dtype)).to(t.dtype))
        }
    }
}

import Foundation
