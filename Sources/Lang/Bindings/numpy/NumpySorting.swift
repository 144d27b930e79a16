import TensorCore

/// `np.sort`, `argsort`, `unique`, `cumsum`, `cumprod`, `prod`, `nonzero`,
/// `count_nonzero` and `np.linalg.norm`.
enum NumpySorting {
    static func install(_ r: Registry) {
        func both(_ r: Registry, _ name: String, _ params: [Param] = [], method: Bool = true, doc: String,
                  _ body: @escaping (Tensor, BoundArgs) throws -> Value) {
            NumpyMethods.both(r, name, params, method: method, doc: doc, body)
        }
        /// axis=None flattens first, as NumPy does.
        func along(_ t: Tensor, _ axis: Value, in fn: String, default d: Int?) throws -> (Tensor, Int) {
            if axis.isNone {
                if let d { return (t, d) }
                return (try t.contiguous().reshape([-1]), 0)
            }
            return (t, try Convert.int(axis, what: "axis", in: fn))
        }
        both(r, "sort", [P("axis", .int(-1))], method: false, doc: "A sorted copy along axis (flattened for axis=None).") { t, a in
            let (x, d) = try along(t, a[1], in: "sort", default: nil)
            return NDArray.array(try x.sort(dim: d).values)
        }
        r.registerMethod(type: "ndarray", signature: Signature("sort", [P("self"), P("axis", .int(-1))], doc: "Sorts in place along axis.")) { a in
            guard case .object(let x as NDArray) = a[0] else { return .none }
            try x.t.copy_(try x.t.sort(dim: try a.int(1)).values)
            return .none
        }
        both(r, "argsort", [P("axis", .int(-1))], doc: "Indices that sort along axis.") { t, a in
            let (x, d) = try along(t, a[1], in: "argsort", default: nil)
            return NDArray.array(try x.sort(dim: d).indices)
        }
        for (name, product) in [("cumsum", false), ("cumprod", true)] {
            both(r, name, [P("axis", .none)], doc: "Running \(product ? "products" : "sums") along axis (of the flattened array for axis=None).") { t, a in
                let (x, d) = try along(t, a[1], in: name, default: nil)
                return NDArray.array(try x.cumulative(dim: d, product: product))
            }
        }
        both(r, "prod", [P("axis", .none), P("dtype", .none), P("out", .none), P("keepdims", .bool(false))], doc: "Product over the given axes.") { t, a in
            let x = try NP.dtype(a[2], in: "prod").map { try t.to($0) } ?? t
            return NDArray.result(try x.prod(dims: try TV.dims(a[1], in: "prod"), keepdim: TV.bool(a[4])))
        }
        both(r, "unique", [P("return_counts", .bool(false))], method: false, doc: "The sorted unique values (and their counts).") { t, a in
            let s = try t.contiguous().reshape([-1]).sort(dim: 0).values
            var keep: [Int] = [], counts: [Int64] = []
            let n = s.numel
            for i in 0..<n {
                if i > 0 && s.double(atStorageOffset: s.offset + i) == s.double(atStorageOffset: s.offset + i - 1) {
                    counts[counts.count - 1] += 1
                } else { keep.append(i); counts.append(1) }
            }
            let idx = try Tensor(ints: keep.map(Int64.init), shape: [keep.count])
            let u = NDArray.array(try s.index([.tensor(idx)]))
            return TV.bool(a[1]) ? .tuple([u, NDArray.array(try Tensor(ints: counts, shape: [counts.count]))]) : u
        }
        both(r, "nonzero", doc: "Indices of the non-zero elements, one array per axis.") { t, _ in
            let flags = try Tensor.compare(.ne, t, .scalar(0, dtype: t.dtype)).contiguous().toInt64s()
            var perAxis = [[Int64]](repeating: [], count: Swift.max(t.rank, 1))
            let strides = Shape.contiguousStrides(t.shape)
            for (i, f) in flags.enumerated() where f != 0 {
                var rest = i
                for d in 0..<t.rank { perAxis[d].append(Int64(rest / strides[d])); rest %= strides[d] }
            }
            return .tuple(try perAxis.prefix(Swift.max(t.rank, 1)).map { NDArray.array(try Tensor(ints: $0, shape: [$0.count])) })
        }
        both(r, "count_nonzero", [P("axis", .none)], method: false, doc: "Number of non-zero elements.") { t, a in
            let nz = try Tensor.compare(.ne, t, .scalar(0, dtype: t.dtype)).to(.int64)
            let s = try nz.sum(dims: try TV.dims(a[1], in: "count_nonzero"))
            return s.rank == 0 ? .int(Int(s.storage.ints[s.offset])) : NDArray.array(s)
        }
        r.register(path: "numpy.linalg.norm", signature: Signature("norm", [P("x"), P("ord", .none), P("axis", .none), P("keepdims", .bool(false))],
                                                                   doc: "The 2-norm (Frobenius for matrices) over axis.")) { a in
            guard a[1].isNone else { throw valueError("norm: only ord=None (the 2-norm) is available") }
            let t = try NP.array(a[0], in: "norm")
            let x = t.dtype.isFloatingPoint ? t : try t.to(.float64)
            let sq = try Tensor.binary(.mul, x, x)
            return NDArray.result(try NumpyMethods.sum(sq, try TV.dims(a[2], in: "norm"), keepdims: TV.bool(a[3])).math(.sqrt))
        }
    }
}
