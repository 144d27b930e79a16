import TensorCore

/// More of the NumPy namespace tutorials reach for: predicates, logical ops,
/// median, tile/repeat, outer, diag/trace, flip, meshgrid, round.
enum NumpyExtras {
    static func install(_ r: Registry) {
        func fn(_ name: String, _ params: [Param], doc: String, _ body: @escaping (BoundArgs) throws -> Value) {
            r.register(path: "numpy.\(name)", signature: Signature(name, params, doc: doc), body: body)
        }
        r.register(path: "numpy.einsum", signature: Signature("einsum", [P("subscripts")], varargs: "operands",
                                                              doc: "Einstein summation, with '...' broadcasting.")) { a in
            guard case .str(let eq) = a[0] else { throw typeError("einsum(): subscripts must be a string") }
            let ops = try a.varargs.map { v -> NP.Operand in
                guard let o = NP.operand(v) else { throw typeError("einsum(): operands must be arrays, not '\(v.typeName)'") }
                return o
            }
            let dt = NP.resultType(ops)
            return NDArray.result(try FunctionalExtras.einsum(eq, try ops.map { try NP.tensor($0, as: dt) }))
        }
        fn("isnan", [P("x")], doc: "True where x is NaN.") { a in
            let t = try NP.array(a[0], in: "isnan")
            return NDArray.result(try Tensor.compare(.ne, t, t))
        }
        fn("isinf", [P("x")], doc: "True where x is ±inf.") { a in
            let t = try NP.array(a[0], in: "isinf")
            guard t.dtype.isFloatingPoint else { return NDArray.result(try Tensor.compare(.ne, t, t)) }
            return NDArray.result(try Tensor.compare(.eq, try t.math(.abs), .scalar(.infinity, dtype: t.dtype)))
        }
        fn("isfinite", [P("x")], doc: "True where x is neither NaN nor ±inf.") { a in
            let t = try NP.array(a[0], in: "isfinite")
            guard t.dtype.isFloatingPoint else { return NDArray.result(try Tensor.compare(.eq, t, t)) }
            return NDArray.result(try Tensor.compare(.lt, try t.math(.abs), .scalar(.infinity, dtype: t.dtype)))
        }
        for (name, op) in [("logical_and", "and"), ("logical_or", "or"), ("logical_xor", "xor")] {
            fn(name, [P("x1"), P("x2")], doc: "Elementwise \(op) of the truth values.") { a in
                let x = try truth(a[0], name), y = try truth(a[1], name)
                let s = try NP.broadcast([x.shape, y.shape])
                let xs = try x.expand(s).toInt64s(), ys = try y.expand(s).toInt64s()
                let v = zip(xs, ys).map { p, q in op == "and" ? (p != 0 && q != 0) : op == "or" ? (p != 0 || q != 0) : ((p != 0) != (q != 0)) }
                return NDArray.result(try Tensor(bools: v, shape: s))
            }
        }
        fn("logical_not", [P("x")], doc: "Elementwise not of the truth values.") { a in
            NDArray.result(try Tensor.compare(.eq, try truth(a[0], "logical_not"), .scalar(bool: false)))
        }
        NumpyMethods.both(r, "median", [P("axis", .none), P("keepdims", .bool(false))], method: false, doc: "The median (mean of the two middle values for even counts).") { t, a in
            let x = t.dtype.isFloatingPoint ? t : try t.to(.float64)
            let flat = a[1].isNone
            let src = flat ? try x.contiguous().reshape([-1]) : x
            let d = flat ? 0 : try Shape.wrapDim(try a.int(1), rank: x.rank)
            let n = src.shape[d]
            guard n > 0 else { return NDArray.result(try Tensor.full([], .nan, dtype: x.dtype)) }
            let s = try src.sort(dim: d).values
            let lo = try s.select(dim: d, index: (n - 1) / 2), hi = try s.select(dim: d, index: n / 2)
            var m = try Tensor.binary(.div, try Tensor.binary(.add, lo, hi), .scalar(2, dtype: x.dtype)).to(x.dtype)
            if TV.bool(a[2]) { m = flat ? try m.reshape([Int](repeating: 1, count: x.rank)) : try m.unsqueeze(d) }
            return NDArray.result(m)
        }
        fn("tile", [P("A"), P("reps")], doc: "The array repeated reps times along each axis.") { a in
            var t = try NP.array(a[0], in: "tile")
            var reps = try NumpyBindings.shape(a[1], in: "tile")
            while t.rank < reps.count { t = try t.unsqueeze(0) }
            while reps.count < t.rank { reps.insert(1, at: 0) }
            for (d, k) in reps.enumerated() where k != 1 {
                t = try Tensor.cat(Array(repeating: t, count: Swift.max(k, 0)).isEmpty ? [try t.narrow(dim: d, start: 0, length: 0)]
                                   : Array(repeating: t, count: k), dim: d)
            }
            return NDArray.array(try t.contiguous())
        }
        NumpyMethods.both(r, "repeat", [P("repeats"), P("axis", .none)], doc: "Each element repeated (along axis, or of the flattened array).") { t, a in
            let flat = a[2].isNone
            let src = flat ? try t.contiguous().reshape([-1]) : t
            let d = flat ? 0 : try Shape.wrapDim(try a.int(2), rank: t.rank)
            let n = src.shape[d]
            let counts: [Int] = try { if case .int(let k) = a[1] { return Array(repeating: k, count: n) }; return try TV.ints(a[1], "repeats", in: "repeat") }()
            guard counts.count == n else { throw valueError("operands could not be broadcast together with shape (\(n),) (\(counts.count),)") }
            var idx: [Int64] = []
            for (i, k) in counts.enumerated() { idx += Array(repeating: Int64(i), count: Swift.max(k, 0)) }
            var items: [IndexItem] = Array(repeating: .slice(start: nil, stop: nil, step: nil), count: d)
            items.append(.tensor(try Tensor(ints: idx, shape: [idx.count])))
            return NDArray.array(try src.index(items))
        }
        fn("outer", [P("a"), P("b")], doc: "The outer product of the flattened inputs.") { a in
            guard let x = NP.operand(a[0]), let y = NP.operand(a[1]) else { throw typeError("outer: arrays expected") }
            let dt = NP.resultType([x, y])
            let ta = try NP.tensor(x, as: dt).contiguous().reshape([-1, 1]), tb = try NP.tensor(y, as: dt).contiguous().reshape([1, -1])
            return NDArray.array(try Tensor.binary(.mul, ta, tb).to(dt))
        }
        NumpyMethods.both(r, "diagonal", doc: "The main diagonal of a 2-D array.") { t, _ in
            guard t.rank == 2 else { throw valueError("diag requires an array of at least two dimensions") }
            let n = Swift.min(t.shape[0], t.shape[1])
            return NDArray.array(t.view(shape: [n], strides: [t.strides[0] + t.strides[1]], offset: t.offset))
        }
        fn("diag", [P("v"), P("k", .int(0))], doc: "The diagonal of a 2-D array, or a diagonal matrix from a 1-D one.") { a in
            let t = try NP.array(a[0], in: "diag"), k = try a.int(1)
            if t.rank == 1 {
                let n = t.shape[0] + Swift.abs(k)
                let out = try Tensor(zeros: [n, n], dtype: t.dtype)
                for i in 0..<t.shape[0] {
                    let (row, col) = k >= 0 ? (i, i + k) : (i - k, i)
                    out.setDouble(t.double(atStorageOffset: t.offset + i * t.strides[0]), atStorageOffset: row * n + col)
                }
                return NDArray.array(out)
            }
            guard t.rank == 2 else { throw valueError("Input must be 1- or 2-d.") }
            let rows = t.shape[0], cols = t.shape[1]
            let start = k >= 0 ? k * t.strides[1] : -k * t.strides[0]
            let n = Swift.max(0, k >= 0 ? Swift.min(rows, cols - k) : Swift.min(rows + k, cols))
            return NDArray.array(try t.view(shape: [n], strides: [t.strides[0] + t.strides[1]], offset: t.offset + (n > 0 ? start : 0)).copyContiguous())
        }
        NumpyMethods.both(r, "trace", doc: "Sum of the main diagonal.") { t, _ in
            guard t.rank == 2 else { throw valueError("diag requires an array of at least two dimensions") }
            let n = Swift.min(t.shape[0], t.shape[1])
            let d = t.view(shape: [n], strides: [t.strides[0] + t.strides[1]], offset: t.offset)
            return NDArray.result(try NumpyMethods.sum(d, nil, keepdims: false))
        }
        NumpyMethods.both(r, "flip", [P("axis", .none)], method: false, doc: "The order of elements reversed along axis (all axes by default).") { t, a in
            let dims = try TV.dims(a[1], in: "flip").map { try $0.map { try Shape.wrapDim($0, rank: t.rank) } } ?? Array(0..<t.rank)
            let items: [IndexItem] = (0..<t.rank).map { dims.contains($0) ? .slice(start: nil, stop: nil, step: -1) : .slice(start: nil, stop: nil, step: nil) }
            return NDArray.array(try t.index(items, negativeSteps: true))
        }
        r.register(path: "numpy.meshgrid", signature: Signature("meshgrid", varargs: "xi", keywordOnly: [P("indexing", .str("xy"))],
                                                               doc: "Coordinate matrices from coordinate vectors ('xy' or 'ij' indexing).")) { a in
            let xs = try a.varargs.map { try NP.array($0, in: "meshgrid").contiguous().reshape([-1]) }
            let ij = try Convert.string(a[0], what: "indexing", in: "meshgrid") == "ij"
            var shape = xs.map { $0.shape[0] }
            if !ij && shape.count >= 2 { shape.swapAt(0, 1) }
            return .tuple(try xs.enumerated().map { i, x in
                var axis = i
                if !ij && xs.count >= 2 && i < 2 { axis = 1 - i }
                var view = [Int](repeating: 1, count: shape.count)
                view[axis] = x.shape[0]
                return NDArray.array(try x.reshape(view).expand(shape).copyContiguous())
            })
        }
        NumpyMethods.both(r, "round", [P("decimals", .int(0))], function: false, doc: "Rounded to the given decimals (half to even).") { t, a in
            guard case .builtin(let round)? = r.lookup("numpy.round") else { return .none }
            return try a.interpreter.call(.builtin(round), Arguments([NDArray.result(t), a[1]]))
        }
    }

    static func truth(_ v: Value, _ fn: String) throws -> Tensor {
        let t = try NP.array(v, in: fn)
        return t.dtype == .bool ? t : try Tensor.compare(.ne, t, .scalar(0, dtype: t.dtype))
    }
}
