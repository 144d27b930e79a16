import Foundation
import TensorCore
import Render
import Formats

/// The `numpy` namespace: creation, joining, padding, products, files, dtypes
/// and constants. Reductions and shape methods are in `NumpyMethods.swift`.
enum NumpyBindings {
    static func install(_ r: Registry) {
        NumpyHooks.install(r)
        installCreation(r)
        installJoin(r)
        installMath(r)
        installFiles(r)
        NumpyMethods.install(r)
        NumpySorting.install(r)
        NumpyExtras.install(r)
        NumpyRandom.install(r)
        StringArray.install(r)
        for (name, v) in [("pi", Double.pi), ("e", M_E), ("inf", .infinity), ("nan", .nan)] {
            r.register(path: "numpy.\(name)", value: .float(v))
        }
        r.register(path: "numpy.newaxis", value: .none)
        r.register(path: "numpy.True_", value: .object(NDArray(.scalar(bool: true), scalar: true)))
        r.register(path: "numpy.False_", value: .object(NDArray(.scalar(bool: false), scalar: true)))
        for d in DType.allCases {
            let name = d == .bool ? "bool_" : d.rawValue
            r.register(path: "numpy.\(name)", signature: Signature(name, [P("x", .int(0))], doc: "The NumPy \(d.rawValue) scalar type."),
                       typeName: d.rawValue) { a in
                if case .object(let x as NDArray) = a[0], !x.isScalar { return NDArray.array(try x.t.to(d)) }
                if case .list = a[0] { return NDArray.array(try NP.array(a[0], in: name, dtype: d)) }
                return .object(NDArray(try NP.array(a[0], in: name, dtype: d), scalar: true))
            }
        }
        r.register(path: "numpy.bool", value: r.lookup("numpy.bool_") ?? .none)
        installTorchBridge(r)
        r.register(path: "numpy.dtype", signature: Signature("dtype", [P("dtype")], doc: "A data type object."), typeName: "dtype") { a in
            .object(NPDType(try NP.dtype(a[0], in: "dtype") ?? .float64))
        }
    }

    static func fn(_ r: Registry, _ name: String, _ params: [Param], varargs: String? = nil, keywordOnly: [Param] = [],
                   kwargs: String? = nil, doc: String, _ body: @escaping (BoundArgs) throws -> Value) {
        r.register(path: "numpy.\(name)", signature: Signature(name, params, varargs: varargs, keywordOnly: keywordOnly,
                                                                kwargs: kwargs, doc: doc), body: body)
    }

    static func shape(_ v: Value, in fn: String) throws -> [Int] {
        if case .int(let n) = v { return [n] }
        return try TV.ints(v, "shape", in: fn)
    }

    /// The shape of a new array, with NumPy's error for a negative size.
    static func newShape(_ v: Value, in fn: String) throws -> [Int] {
        let s = try shape(v, in: fn)
        if s.contains(where: { $0 < 0 }) { throw LangError(.ValueError, "negative dimensions are not allowed") }
        return s
    }

    static func arrays(_ v: Value, in fn: String) throws -> [Tensor] {
        try a2(v).map { try NP.array($0, in: fn) }
    }

    static func a2(_ v: Value) throws -> [Value] {
        switch v {
        case .list(let l): return l.items
        case .tuple(let t): return t
        case .object(let a as NDArray) where a.t.rank > 0:
            return try (0..<a.t.shape[0]).map { .object(NDArray(try a.t.select(dim: 0, index: $0))) }
        default: throw typeError("expected a sequence of arrays, got \(v.typeName)")
        }
    }

    /// `t.numpy()` and `torch.from_numpy(a)` share memory, as in PyTorch.
    static func installTorchBridge(_ r: Registry) {
        r.registerMethod(type: "Tensor", signature: Signature("numpy", [P("self")], keywordOnly: [P("force", .bool(false))],
                                                              doc: "A NumPy array sharing this tensor's memory.")) { a in
            let t = try TV.tensor(a[0], "self", in: "numpy")
            if t.requiresGrad && !TV.bool(a[1]) {
                throw LangError(.RuntimeError, "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
            }
            return NDArray.array(t.detach())
        }
        // torch.Tensor: the type (isinstance(x, torch.Tensor)) and the legacy constructor.
        if r.lookup("torch.Tensor") == nil {
            r.register(path: "torch.Tensor", signature: Signature("Tensor", varargs: "data", doc: "The tensor type; Tensor(data) or Tensor(*size) makes a float32 tensor."),
                       typeName: "Tensor") { a in
                if a.varargs.count == 1, !TV.isNumber(a.varargs[0]) { return .tensor(try TV.fromNested(a.varargs[0], dtype: .float32)) }
                return .tensor(try Tensor.zeros(try TV.shape(a.varargs, in: "Tensor")))
            }
        }
        r.register(path: "torch.from_numpy", signature: Signature("from_numpy", [P("ndarray")], doc: "A tensor sharing the array's memory.")) { a in
            guard case .object(let x as NDArray) = a[0] else {
                throw typeError("expected np.ndarray (got \(a[0].typeName))")
            }
            return .tensor(x.t.detach())
        }
    }

    // MARK: creation

    static func installCreation(_ r: Registry) {
        for name in ["array", "asarray"] {
            fn(r, name, [P("object"), P("dtype", .none)], keywordOnly: [P("copy", .bool(true))], doc: "An array from nested sequences, an array or a tensor.") { a in
                let dt = try NP.dtype(a[1], in: name)
                if name == "asarray", case .object(let x as NDArray) = a[0], dt == nil || dt == x.t.dtype, !x.isScalar { return a[0] }
                if case .tensor(let t) = a[0] { return NDArray.array(try t.to(dt ?? t.dtype).clone()) }
                let t = try NP.array(a[0], in: name, dtype: dt)
                if case .object(let x as NDArray) = a[0], t === x.t { return NDArray.array(try t.clone()) }
                return NDArray.array(t)
            }
        }
        for (name, value) in [("zeros", 0.0), ("ones", 1.0), ("empty", 0.0)] {
            fn(r, name, [P("shape"), P("dtype", .none)], doc: "An array of \(name == "ones" ? "ones" : "zeros").") { a in
                NDArray.array(try Tensor.full(try newShape(a[0], in: name), value, dtype: try NP.dtype(a[1], in: name) ?? .float64))
            }
            fn(r, name + "_like", [P("a"), P("dtype", .none)], doc: "An array of \(name) shaped like a.") { a in
                let t = try NP.array(a[0], in: name + "_like")
                return NDArray.array(try Tensor.full(t.shape, value, dtype: try NP.dtype(a[1], in: name) ?? t.dtype))
            }
        }
        fn(r, "full", [P("shape"), P("fill_value"), P("dtype", .none)], doc: "An array filled with fill_value.") { a in
            let fill = try NP.array(a[1], in: "full")
            return NDArray.array(try Tensor.full(try newShape(a[0], in: "full"), try fill.item(), dtype: try NP.dtype(a[2], in: "full") ?? fill.dtype))
        }
        fn(r, "full_like", [P("a"), P("fill_value"), P("dtype", .none)], doc: "An array like a filled with fill_value.") { a in
            let t = try NP.array(a[0], in: "full_like")
            return NDArray.array(try Tensor.full(t.shape, try a.double(1), dtype: try NP.dtype(a[2], in: "full_like") ?? t.dtype))
        }
        fn(r, "arange", [P("start"), P("stop", .none), P("step", .none), P("dtype", .none)], doc: "Evenly spaced values in [start, stop).") { a in
            var start = a[0], stop = a[1]
            if stop.isNone { stop = start; start = .int(0) }
            let step = a[2].isNone ? Value.int(1) : a[2]
            let allInts = [start, stop, step].allSatisfy { if case .int = $0 { return true }; if case .bool = $0 { return true }; return false }
            let dt = try NP.dtype(a[3], in: "arange") ?? (allInts ? .int64 : .float64)
            let s = try Convert.double(start, what: "start", in: "arange"), e = try Convert.double(stop, what: "stop", in: "arange")
            let st = try Convert.double(step, what: "step", in: "arange")
            guard st != 0 else { throw LangError(.ZeroDivisionError, "division by zero") }
            let n = Swift.max(0, Int(((e - s) / st).rounded(.up)))
            let t = try Tensor(zeros: [n], dtype: dt)
            for i in 0..<n { t.setDouble(s + Double(i) * st, atStorageOffset: i) }
            return NDArray.array(t)
        }
        fn(r, "linspace", [P("start"), P("stop"), P("num", .int(50)), P("endpoint", .bool(true)), P("retstep", .bool(false)), P("dtype", .none)],
           doc: "num evenly spaced values from start to stop.") { a in
            let s = try a.double(0), e = try a.double(1), n = try a.int(2)
            guard n >= 0 else { throw valueError("Number of samples, \(n), must be non-negative.") }
            let endpoint = TV.bool(a[3])
            let div = endpoint ? n - 1 : n
            let step = div > 0 ? (e - s) / Double(div) : .nan
            let t = try Tensor(zeros: [n], dtype: .float64)
            for i in 0..<n { t.storage.doubles[i] = div > 0 ? Double(i) * step + s : s }
            if endpoint && n > 1 { t.storage.doubles[n - 1] = e }
            let out = NDArray.array(try t.to(try NP.dtype(a[5], in: "linspace") ?? .float64))
            return TV.bool(a[4]) ? .tuple([out, .float(step)]) : out
        }
        fn(r, "eye", [P("N"), P("M", .none), P("k", .int(0)), P("dtype", .none)], doc: "A 2-D array with ones on the diagonal.") { a in
            let n = try a.int(0), m = a[1].isNone ? n : try a.int(1), k = try a.int(2)
            let t = try Tensor(zeros: [n, m], dtype: try NP.dtype(a[3], in: "eye") ?? .float64)
            for i in 0..<n where i + k >= 0 && i + k < m { t.setDouble(1, atStorageOffset: i * m + i + k) }
            return NDArray.array(t)
        }
        fn(r, "identity", [P("n"), P("dtype", .none)], doc: "The n×n identity array.") { a in
            let n = try a.int(0)
            return NDArray.array(try Tensor.eye(n, n, dtype: try NP.dtype(a[1], in: "identity") ?? .float64))
        }
    }

    // MARK: joining, padding, selection

    static func installJoin(_ r: Registry) {
        func joined(_ ts: [Tensor]) throws -> [Tensor] {
            guard let first = ts.first else { throw valueError("need at least one array to concatenate") }
            let dt = ts.dropFirst().reduce(first.dtype) { NP.promote($0, $1.dtype) }
            return try ts.map { try $0.to(dt) }
        }
        fn(r, "concatenate", [P("arrays"), P("axis", .int(0))], doc: "Joins arrays along an existing axis.") { a in
            let ts = try joined(try arrays(a[0], in: "concatenate"))
            if a[1].isNone { return NDArray.array(try Tensor.cat(try ts.map { try $0.reshape([-1]) }, dim: 0)) }
            let axis = try a.int(1)
            for (i, t) in ts.enumerated() where t.rank != ts[0].rank {
                throw valueError("all the input array dimensions except for the concatenation axis must match exactly, but along dimension 0, the array at index 0 has \(ts[0].rank) dimension(s) and the array at index \(i) has \(t.rank) dimension(s)")
            }
            return NDArray.array(try Tensor.cat(ts, dim: axis))
        }
        fn(r, "stack", [P("arrays"), P("axis", .int(0))], doc: "Joins arrays along a new axis.") { a in
            let ts = try joined(try arrays(a[0], in: "stack"))
            for t in ts where t.shape != ts[0].shape { throw valueError("all input arrays must have the same shape") }
            return NDArray.array(try Tensor.stack(ts, dim: try a.int(1)))
        }
        fn(r, "vstack", [P("tup")], doc: "Stacks arrays as rows.") { a in
            let ts = try joined(try arrays(a[0], in: "vstack")).map { $0.rank < 2 ? try $0.reshape([1, -1]) : $0 }
            return NDArray.array(try Tensor.cat(ts, dim: 0))
        }
        fn(r, "hstack", [P("tup")], doc: "Stacks arrays as columns.") { a in
            let ts = try joined(try arrays(a[0], in: "hstack")).map { $0.rank == 0 ? try $0.reshape([1]) : $0 }
            return NDArray.array(try Tensor.cat(ts, dim: ts.first?.rank == 1 ? 0 : 1))
        }
        fn(r, "where", [P("condition"), P("x", .missing), P("y", .missing)], doc: "Elements of x where condition, else of y.") { a in
            let c = try NP.array(a[0], in: "where")
            guard !a.isMissing(1), !a.isMissing(2) else {
                throw valueError("np.where(condition) with one argument is not available; use np.nonzero(condition)")
            }
            guard let x = NP.operand(a[1]), let y = NP.operand(a[2]) else { throw typeError("where: x and y must be arrays or numbers") }
            let dt = NP.resultType([x, y])
            let cb = c.dtype == .bool ? c : try Tensor.compare(.ne, c, .scalar(0, dtype: c.dtype))
            return NDArray.result(try Tensor.where(cb, try NP.tensor(x, as: dt), try NP.tensor(y, as: dt)).to(dt))
        }
        fn(r, "pad", [P("array"), P("pad_width"), P("mode", .str("constant"))], keywordOnly: [P("constant_values", .int(0))],
           doc: "Pads an array: pad_width per axis as (before, after), (n,) or n.") { a in
            let t = try NP.array(a[0], in: "pad")
            let widths = try padWidths(a[1], rank: t.rank)
            let modeName = try Convert.string(a[2], what: "mode", in: "pad")
            let mode: PadMode
            switch modeName {
            case "constant": mode = .constant
            case "edge": mode = .replicate
            case "reflect": mode = .reflect
            case "wrap": mode = .circular
            default: throw valueError("mode '\(modeName)' is not supported")
            }
            var pads: [Int] = []
            for (b, e) in widths.reversed() { pads += [b, e] }
            if mode == .constant {
                return NDArray.array(try Kernels.pad(t, pads, mode: .constant, value: try Convert.double(a[3], what: "constant_values", in: "pad")))
            }
            // Non-constant modes pad one trailing block of dims at a time through the kernel.
            var out = t
            for d in 0..<t.rank where widths[d] != (0, 0) {
                let moved = try out.transpose(d, t.rank - 1).unsqueeze(0)
                let p = try Kernels.pad(moved.contiguous(), [widths[d].0, widths[d].1], mode: mode)
                out = try p.squeeze(0).transpose(d, t.rank - 1).contiguous()
            }
            return NDArray.array(out)
        }
    }

    /// NumPy's pad_width forms: n, (n,), (before, after), or one of those per axis.
    static func padWidths(_ v: Value, rank: Int) throws -> [(Int, Int)] {
        func pair(_ x: Value) throws -> (Int, Int)? {
            var items: [Value]
            switch x {
            case .int(let n): return (n, n)
            case .tuple(let t): items = t
            case .list(let l): items = l.items
            default: return nil
            }
            do {
                if items.count == 1, case .int(let n) = items[0] { return (n, n) }
                if items.count == 2, case .int(let b) = items[0], case .int(let e) = items[1] { return (b, e) }
                return nil
            }
        }
        var out: [(Int, Int)]
        if let p = try pair(v) {
            out = Array(repeating: p, count: rank)
        } else {
            let items: [Value]
            switch v {
            case .tuple(let t): items = t
            case .list(let l): items = l.items
            default: throw typeError("`pad_width` must be of integral type.")
            }
            let pairs = try items.map { x -> (Int, Int) in
                guard let p = try pair(x) else { throw typeError("`pad_width` must be of integral type.") }
                return p
            }
            if pairs.count == 1 { out = Array(repeating: pairs[0], count: rank) }
            else if pairs.count == rank { out = pairs }
            else { throw valueError("operands could not be broadcast together with remapped shapes [original->remapped]: (\(pairs.count),2)  and requested shape (\(rank),2)") }
        }
        if out.contains(where: { $0.0 < 0 || $0.1 < 0 }) { throw valueError("index can't contain negative values") }
        return out
    }

    // MARK: products and comparisons

    static func installMath(_ r: Registry) {
        for name in ["dot", "matmul"] {
            fn(r, name, [P("a"), P("b")], doc: name == "dot" ? "Dot product (matrix product for 2-D arrays)." : "Matrix product.") { a in
                guard let x = NP.operand(a[0]), let y = NP.operand(a[1]) else { throw typeError("\(name): arrays expected") }
                let dt = NP.resultType([x, y])
                let ta = try NP.tensor(x, as: dt), tb = try NP.tensor(y, as: dt)
                if ta.rank == 0 || tb.rank == 0 { return NDArray.result(try Tensor.binary(.mul, ta, tb)) }
                if name == "dot" && ta.rank == 1 && tb.rank == 1 {
                    guard ta.shape[0] == tb.shape[0] else {
                        throw valueError("shapes (\(ta.shape[0]),) and (\(tb.shape[0]),) not aligned: \(ta.shape[0]) (dim 0) != \(tb.shape[0]) (dim 0)")
                    }
                    return NDArray.result(try Tensor.binary(.mul, ta, tb).pairwiseSumAny())
                }
                if ta.shape.last != (tb.rank == 1 ? tb.shape[0] : tb.shape[tb.rank - 2]) {
                    if name == "dot" {
                        throw valueError("shapes \(NP.shapeText(ta.shape)) and \(NP.shapeText(tb.shape)) not aligned: \(ta.shape.last ?? 0) (dim \(ta.rank - 1)) != \(tb.rank == 1 ? tb.shape[0] : tb.shape[tb.rank - 2]) (dim \(Swift.max(0, tb.rank - 2)))")
                    }
                    throw valueError("matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size \(tb.rank == 1 ? tb.shape[0] : tb.shape[tb.rank - 2]) is different from \(ta.shape.last ?? 0))")
                }
                return NDArray.result(try Tensor.matmul(ta, tb))
            }
        }
        for name in ["allclose", "isclose"] {
            fn(r, name, [P("a"), P("b"), P("rtol", .float(1e-5)), P("atol", .float(1e-8)), P("equal_nan", .bool(false))],
               doc: name == "allclose" ? "True if all elements are equal within tolerance." : "Elementwise equality within tolerance.") { a in
                let x = try NP.array(a[0], in: name, dtype: .float64), y = try NP.array(a[1], in: name, dtype: .float64)
                if name == "allclose" {
                    return .bool(try TensorMethods.allclose(x, y, rtol: try a.double(2), atol: try a.double(3), equalNan: TV.bool(a[4])))
                }
                let shape = try Shape.broadcast(x.shape, y.shape)
                let xs = try x.expand(shape).toDoubles(), ys = try y.expand(shape).toDoubles()
                let rtol = try a.double(2), atol = try a.double(3)
                let flags = zip(xs, ys).map { p, q in p == q || Swift.abs(p - q) <= atol + rtol * Swift.abs(q) }
                return NDArray.result(try Tensor(bools: flags, shape: shape))
            }
        }
        fn(r, "array_equal", [P("a1"), P("a2")], doc: "True if shapes and elements are equal.") { a in
            let x = try NP.array(a[0], in: "array_equal"), y = try NP.array(a[1], in: "array_equal")
            return .bool(x.shape == y.shape && x.toDoubles() == y.toDoubles())
        }
    }

    // MARK: files

    static func installFiles(_ r: Registry) {
        fn(r, "load", [P("file")], keywordOnly: [P("allow_pickle", .bool(false))], doc: "An array from a .npy file, or the arrays of a .npz.") { a in
            let path = try Convert.string(a[0], what: "file", in: "load")
            if path.hasSuffix(".npz") {
                let d = DictBox()
                for (name, t) in try NPZ.load(path: path, native: true) {
                    if let h = HashKey(.str(name)) { d.set(h, .str(name), NDArray.array(t)) }
                }
                return .dict(d)
            }
            return NDArray.array(try NPY.load(path: path, native: true))
        }
        fn(r, "save", [P("file"), P("arr")], doc: "Writes an array to a .npy file (the suffix is added when missing).") { a in
            var path = try Convert.string(a[0], what: "file", in: "save")
            if !path.hasSuffix(".npy") { path += ".npy" }
            try NPY.save(try NP.array(a[1], in: "save"), path: path)
            return .none
        }
        fn(r, "savez", [P("file")], varargs: "args", kwargs: "kwds", doc: "Writes arrays to a .npz archive (arr_0, ... and keyword names).") { a in
            var path = try Convert.string(a[0], what: "file", in: "savez")
            if !path.hasSuffix(".npz") { path += ".npz" }
            var items: [(String, Tensor)] = []
            for (i, v) in a.varargs.enumerated() { items.append(("arr_\(i)", try NP.array(v, in: "savez"))) }
            for (k, v) in a.kwargs { items.append((k, try NP.array(v, in: "savez"))) }
            try NPZ.save(items, path: path)
            return .none
        }
    }
}

extension Tensor {
    /// The sum of every element as NumPy adds (pairwise for floats).
    func pairwiseSumAny() throws -> Tensor {
        dtype.isFloatingPoint ? try pairwiseSum(dims: nil, keepdim: false) : try sum()
    }
}
