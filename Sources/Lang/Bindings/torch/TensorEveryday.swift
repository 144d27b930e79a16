import TensorCore
import NN

/// The everyday tensor ops a tutorial reaches for within an hour: sort, argsort,
/// topk, gather, scatter, any/all, repeat, repeat_interleave, unique, tril/triu,
/// diag, flip, roll, outer, isnan, nonzero. Each is composed of differentiable
/// Functional ops (indexing, views, arithmetic), so gradients flow where
/// PyTorch's do.
enum TensorEveryday {
    static func t(_ x: Tensor) -> Value { .tensor(x) }

    static func arange(_ n: Int) throws -> Tensor {
        try Tensor.arange(start: 0, end: Double(n), step: 1, dtype: .int64)
    }

    /// Index items that pick `index` along `dim` and the matching positions elsewhere
    /// (`gather`'s and `scatter`'s addressing): out[i][j][k] = x[i][index[i][j][k]][k].
    static func alongItems(_ rank: Int, dim d: Int, _ index: Tensor) throws -> [IndexItem] {
        guard index.rank == rank else {
            throw TensorError.runtime("Index tensor must have the same number of dimensions as input tensor")
        }
        return try (0..<rank).map { k in
            if k == d { return .tensor(index) }
            var shape = [Int](repeating: 1, count: rank); shape[k] = index.shape[k]
            return .tensor(try arange(index.shape[k]).reshape(shape))
        }
    }

    static func gather(_ x: Tensor, dim: Int, _ index: Tensor) throws -> Tensor {
        let d = try Shape.wrapDim(dim, rank: x.rank)
        guard index.dtype == .int64 else { throw TensorError.runtime("gather(): Expected dtype int64 for index") }
        if index.numel == 0 { return try Tensor(zeros: index.shape, dtype: x.dtype) }
        return Functional.named(try Functional.index(x, try alongItems(x.rank, dim: d, index)), "GatherBackward0")
    }

    /// `scatter_`/`scatter_add_`: writes src (or a number) at index along dim, in place.
    static func scatter(_ x: Tensor, dim: Int, _ index: Tensor, _ src: Value, add: Bool, in fn: String) throws {
        let d = try Shape.wrapDim(dim, rank: x.rank)
        guard index.dtype == .int64 else { throw TensorError.runtime("\(fn)(): Expected dtype int64 for index") }
        if index.numel == 0 { return }
        var value: Tensor
        if case .tensor(let s) = src {
            guard s.rank == index.rank else { throw TensorError.runtime("Index tensor must have the same number of dimensions as src tensor") }
            value = try s.detach().index((0..<s.rank).map { .slice(start: 0, stop: index.shape[$0], step: 1) })
        } else {
            value = Tensor.scalar(try TensorMethods.numberOrItem(src, "value", in: fn), dtype: x.dtype)
        }
        value = try value.to(x.dtype)
        try x.detach().indexAssign(try alongItems(x.rank, dim: d, index), value, accumulate: add)
    }

    /// Sorted values (through gather, so they carry a gradient) and indices.
    static func sorted(_ x: Tensor, dim: Int, descending: Bool) throws -> (Tensor, Tensor) {
        if x.rank == 0 { return (x, Tensor.scalar(int: 0)) }
        let d = try Shape.wrapDim(dim, rank: x.rank)
        let (_, idx) = try x.detach().sort(dim: d, descending: descending)
        return (Functional.named(try gather(x, dim: d, idx), "SortBackward0"), idx)
    }

    /// Positions (i, j) of the last two dims where j - i compares with k as `keep`.
    static func triangle(_ x: Tensor, _ k: Int, lower: Bool, in fn: String) throws -> Tensor {
        guard x.rank >= 2 else { throw TensorError.runtime("\(fn): input tensor must have at least 2 dimensions") }
        let r = x.shape[x.rank - 2], c = x.shape[x.rank - 1]
        let rows = try arange(r).reshape([r, 1]), cols = try arange(c).reshape([1, c])
        let diff = try Tensor.binary(.sub, cols, rows)
        let drop = try Tensor.compare(lower ? .gt : .lt, diff, Tensor.scalar(int: Int64(k)))
        return Functional.named(try Functional.maskedFill(x, drop, Tensor.scalar(0, dtype: x.dtype)), lower ? "TrilBackward0" : "TriuBackward0")
    }

    static func repeatInterleave(_ x: Tensor, _ repeats: Value, dim: Value) throws -> Tensor {
        var src = x, d = 0
        if dim.isNone { src = try Functional.flatten(x) } else { d = try Shape.wrapDim(try Convert.int(dim, what: "dim", in: "repeat_interleave"), rank: x.rank) }
        let n = src.shape.isEmpty ? 1 : src.shape[d]
        var counts: [Int]
        if case .tensor(let r) = repeats {
            counts = r.toInt64s().map { Int($0) }
            if counts.count == 1 { counts = Array(repeating: counts[0], count: n) }
        } else {
            counts = Array(repeating: try Convert.int(repeats, what: "repeats", in: "repeat_interleave"), count: n)
        }
        guard counts.count == n else { throw TensorError.runtime("repeats must have the same size as input along dim, but got repeats.size(0) = \(counts.count) and input.size(\(d)) = \(n)") }
        guard counts.allSatisfy({ $0 >= 0 }) else { throw TensorError.runtime("repeats can not be negative") }
        let picks = counts.enumerated().flatMap { Array(repeating: Int64($0.offset), count: $0.element) }
        let items: [IndexItem] = Array(repeating: .slice(start: nil, stop: nil, step: nil), count: d) + [.tensor(try Tensor(ints: picks, shape: [picks.count]))]
        return Functional.named(try Functional.index(src, items), "ViewBackward0")
    }

    static func repeatTensor(_ x: Tensor, _ reps: [Int]) throws -> Tensor {
        guard reps.count >= x.rank else {
            throw TensorError.runtime("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
        }
        let shape = [Int](repeating: 1, count: reps.count - x.rank) + x.shape
        var interleaved: [Int] = [], expanded: [Int] = []
        for (r, s) in zip(reps, shape) { interleaved += [1, s]; expanded += [r, s] }
        let v = try Functional.reshape(x, interleaved)
        let e = try Functional.expand(v, expanded)
        return Functional.named(try Functional.reshape(try Functional.contiguous(e), zip(reps, shape).map { $0 * $1 }), "RepeatBackward0")
    }

    static func unique(_ x: Tensor, inverse: Bool, counts: Bool) throws -> Value {
        let vals = x.toDoubles()
        let keys = Array(Set(vals.map { $0.isNaN ? Double.nan : $0 })).sorted()
        var pos: [Double: Int] = [:]
        for (i, k) in keys.enumerated() { pos[k] = i }
        let out = try Tensor(zeros: [keys.count], dtype: x.dtype)
        for (i, k) in keys.enumerated() { out.setDouble(k, atStorageOffset: i) }
        var result: [Value] = [t(out)]
        if inverse {
            result.append(t(try Tensor(ints: vals.map { Int64(pos[$0] ?? 0) }, shape: x.shape)))
        }
        if counts {
            var c = [Int64](repeating: 0, count: keys.count)
            for v in vals { c[pos[v] ?? 0] += 1 }
            result.append(t(try Tensor(ints: c, shape: [keys.count])))
        }
        return result.count == 1 ? result[0] : .tuple(result)
    }

    /// `unique(dim=d)`: the distinct slices along d in lexicographic order, as PyTorch's
    /// `unique_dim` (the inverse maps each slice to its unique one; counts per unique one).
    static func uniqueDim(_ x: Tensor, dim: Int, inverse: Bool, counts: Bool) throws -> Value {
        guard x.rank > 0 else { throw LangError(.IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got \(dim))") }
        let d = try Shape.wrapDim(dim, rank: x.rank)
        let n = x.shape[d]
        let rows = try (0..<n).map { try x.select(dim: d, index: $0).toDoubles() }
        let order = (0..<n).sorted { a, b in
            for (p, q) in zip(rows[a], rows[b]) where p != q { return p < q }
            return a < b
        }
        var groups: [[Int]] = []
        for i in order {
            if let last = groups.last?.first, rows[last] == rows[i] { groups[groups.count - 1].append(i) } else { groups.append([i]) }
        }
        let out: Tensor
        if groups.isEmpty {
            out = try x.contiguous()
        } else {
            out = try Tensor.stack(try groups.map { try x.select(dim: d, index: $0[0]) }, dim: d)
        }
        var result: [Value] = [t(out)]
        if inverse {
            var inv = [Int64](repeating: 0, count: n)
            for (g, members) in groups.enumerated() { for i in members { inv[i] = Int64(g) } }
            result.append(t(try Tensor(ints: inv, shape: [n])))
        }
        if counts { result.append(t(try Tensor(ints: groups.map { Int64($0.count) }, shape: [groups.count]))) }
        return result.count == 1 ? result[0] : .tuple(result)
    }

    static func install(_ r: Registry) {
        r.tensorOp("sort", [P("dim", .int(-1)), P("descending", .bool(false)), P("stable", .bool(false))], doc: "Sorted values and their indices along dim.") { x, a in
            let (v, i) = try sorted(x, dim: try a.int(1), descending: TV.bool(a[2]))
            return .object(ReturnTuple("sort", [("values", t(v)), ("indices", t(i))]))
        }
        r.tensorOp("argsort", [P("dim", .int(-1)), P("descending", .bool(false)), P("stable", .bool(false))], doc: "Indices that sort along dim.") { x, a in
            t(try sorted(x.detach(), dim: try a.int(1), descending: TV.bool(a[2])).1)
        }
        r.tensorOp("topk", [P("k"), P("dim", .int(-1)), P("largest", .bool(true)), P("sorted", .bool(true))], doc: "The k largest (or smallest) values and their indices.") { x, a in
            let k = try a.int(1), d = try Shape.wrapDim(try a.int(2), rank: Swift.max(x.rank, 1))
            let n = x.rank == 0 ? 1 : x.shape[d]
            guard k >= 0 && k <= n else { throw LangError(.RuntimeError, "selected index k out of range") }
            let (v, i) = try sorted(x, dim: d, descending: TV.bool(a[3]))
            let vk = x.rank == 0 ? v : Functional.named(try Functional.narrow(v, dim: d, start: 0, length: k), "TopkBackward0")
            let ik = x.rank == 0 ? i : try i.narrow(dim: d, start: 0, length: k).contiguous()
            return .object(ReturnTuple("topk", [("values", t(vk)), ("indices", t(ik))]))
        }
        r.tensorOp("gather", [P("dim"), P("index")], doc: "Values picked along dim at index.") { x, a in
            t(try gather(x, dim: try a.int(1), try TV.tensor(a[2], "index", in: "gather")))
        }
        for (name, add) in [("scatter", false), ("scatter_add", true)] {
            r.tensorOp(name + "_", [P("dim"), P("index"), P("src", .none), P("value", .none)], doc: "Writes src at index along dim, in place.", torch: false) { x, a in
                let src = a[3].isNone ? a[4] : a[3]
                try scatter(x, dim: try a.int(1), try TV.tensor(a[2], "index", in: name + "_"), src, add: add, in: name + "_")
                return t(x)
            }
            r.tensorOp(name, [P("dim"), P("index"), P("src", .none), P("value", .none)], doc: "A copy with src written at index along dim.") { x, a in
                let y = try x.detach().clone()
                try scatter(y, dim: try a.int(1), try TV.tensor(a[2], "index", in: name), a[3].isNone ? a[4] : a[3], add: add, in: name)
                return t(y)
            }
        }
        for (name, isAny) in [("any", true), ("all", false)] {
            r.tensorOp(name, [P("dim", .none), P("keepdim", .bool(false))], doc: isAny ? "Whether any element is true (non-zero)." : "Whether every element is true (non-zero).") { x, a in
                let hits = try Tensor.compare(isAny ? .ne : .eq, x.detach(), Tensor.scalar(0, dtype: x.dtype)).to(.int64)
                let dims = try TV.dims(a[1], in: name)
                let s = try hits.sum(dims: dims, keepdim: TV.bool(a[2]))
                return t(try Tensor.compare(isAny ? .gt : .eq, s, Tensor.scalar(int: 0)))
            }
        }
        r.tensorOp("repeat", varargs: "sizes", doc: "The tensor tiled sizes times along each dim.", torch: false) { x, a in
            t(try repeatTensor(x, try TV.shape(a.varargs, in: "repeat")))
        }
        r.tensorOp("repeat_interleave", [P("repeats"), P("dim", .none)], doc: "Each element repeated repeats times.") { x, a in
            t(try repeatInterleave(x, a[1], dim: a[2]))
        }
        r.tensorOp("unique", [P("sorted", .bool(true)), P("return_inverse", .bool(false)), P("return_counts", .bool(false)), P("dim", .none)],
                   doc: "The distinct values, sorted; optionally the inverse indices and counts.") { x, a in
            if !a[4].isNone { return try uniqueDim(x, dim: try a.int(4), inverse: TV.bool(a[2]), counts: TV.bool(a[3])) }
            return try unique(x, inverse: TV.bool(a[2]), counts: TV.bool(a[3]))
        }
        for (name, lower) in [("tril", true), ("triu", false)] {
            r.tensorOp(name, [P("diagonal", .int(0))], doc: lower ? "The lower triangle (zeros above the diagonal)." : "The upper triangle (zeros below the diagonal).") { x, a in
                t(try triangle(x, try a.int(1), lower: lower, in: name))
            }
        }
        r.tensorOp("diag", [P("diagonal", .int(0))], doc: "A 1-D tensor as a diagonal matrix, or a matrix's diagonal.") { x, a in
            let k = try a.int(1)
            if x.rank == 1 {
                let n = x.shape[0] + Swift.abs(k)
                let out = try Tensor(zeros: [n, n], dtype: x.dtype)
                let rows = try Tensor.binary(.add, try arange(x.shape[0]), Tensor.scalar(int: Int64(Swift.max(-k, 0))))
                let cols = try Tensor.binary(.add, try arange(x.shape[0]), Tensor.scalar(int: Int64(Swift.max(k, 0))))
                try out.indexAssign([.tensor(rows), .tensor(cols)], x.detach())
                return t(out)
            }
            guard x.rank == 2 else { throw LangError(.RuntimeError, "diag(): Supports 1D or 2D tensors. Got \(x.rank)D") }
            let r0 = Swift.max(-k, 0), c0 = Swift.max(k, 0)
            let n = Swift.max(0, Swift.min(x.shape[0] - r0, x.shape[1] - c0))
            let rows = try Tensor.binary(.add, try arange(n), Tensor.scalar(int: Int64(r0)))
            let cols = try Tensor.binary(.add, try arange(n), Tensor.scalar(int: Int64(c0)))
            return t(Functional.named(try Functional.index(x, [.tensor(rows), .tensor(cols)]), "DiagonalBackward0_copy"))
        }
        r.tensorOp("flip", varargs: "dims", doc: "The tensor reversed along dims.") { x, a in
            var dims = a.varargs
            if dims.count == 1, case .int = dims[0] {} else if dims.count == 1 { dims = try a.interpreter.toArray(dims[0]) }
            var y = x
            for dv in dims {
                let d = try Shape.wrapDim(try Convert.int(dv, what: "dims", in: "flip"), rank: x.rank)
                let n = x.shape[d]
                let rev = try Tensor(ints: (0..<n).reversed().map { Int64($0) }, shape: [n])
                y = try Functional.index(y, Array(repeating: .slice(start: nil, stop: nil, step: nil), count: d) + [.tensor(rev)])
            }
            return t(Functional.named(y, "FlipBackward0"))
        }
        r.tensorOp("roll", [P("shifts"), P("dims", .none)], doc: "Elements shifted along dims, wrapping around.") { x, a in
            if a[2].isNone {
                let s = try a.int(1), flat = try Functional.flatten(x), n = flat.numel
                let idx = try Tensor(ints: (0..<n).map { Int64((((($0 - s) % Swift.max(n, 1)) + n) % Swift.max(n, 1))) }, shape: [n])
                return t(Functional.named(try Functional.reshape(try Functional.index(flat, [.tensor(idx)]), x.shape), "RollBackward0"))
            }
            let shifts = try TV.ints(a[1], "shifts", in: "roll"), dims = try TV.ints(a[2], "dims", in: "roll")
            guard shifts.count == dims.count else { throw LangError(.RuntimeError, "shifts and dimensions must align. shifts: \(shifts.count), dims:\(dims.count)") }
            var y = x
            for (s, dv) in zip(shifts, dims) {
                let d = try Shape.wrapDim(dv, rank: x.rank), n = x.shape[d]
                let idx = try Tensor(ints: (0..<n).map { Int64(((($0 - s) % n) + n) % n) }, shape: [n])
                y = try Functional.index(y, Array(repeating: .slice(start: nil, stop: nil, step: nil), count: d) + [.tensor(idx)])
            }
            return t(Functional.named(y, "RollBackward0"))
        }
        r.tensorOp("outer", [P("vec2")], doc: "The outer product of two 1-D tensors.") { x, a in
            let b = try TV.tensor(a[1], "vec2", in: "outer")
            return t(try Functional.binary(.mul, try Functional.unsqueeze(x, 1), try Functional.unsqueeze(b, 0)))
        }
        r.tensorOp("isnan", doc: "Where the elements are NaN.") { x, _ in t(try Tensor.compare(.ne, x.detach(), x.detach())) }
        r.tensorOp("rsqrt", doc: "1 / sqrt(x), elementwise.") { x, _ in
            t(Functional.named(try Functional.binary(.div, Tensor.scalar(1, dtype: x.dtype.isFloatingPoint ? x.dtype : .float32), try Functional.sqrt(x), aIsNumber: true), "RsqrtBackward0"))
        }
        r.tensorOp("count_nonzero", [P("dim", .none)], doc: "How many elements are non-zero.") { x, a in
            let nz = try Tensor.compare(.ne, x.detach(), Tensor.scalar(0, dtype: x.dtype)).to(.int64)
            return t(try nz.sum(dims: try TV.dims(a[1], in: "count_nonzero")))
        }
        r.tensorOp("nonzero", [P("as_tuple", .bool(false))], doc: "The indices of the non-zero elements.") { x, a in
            let vals = x.toDoubles(), strides = Shape.contiguousStrides(x.shape)
            var rows: [[Int64]] = []
            for (i, v) in vals.enumerated() where v != 0 {
                var rem = i
                rows.append(strides.map { s in let q = rem / s; rem %= s; return Int64(q) })
            }
            if TV.bool(a[1]) {
                return .tuple(try (0..<Swift.max(x.rank, 1)).map { k in t(try Tensor(ints: rows.map { x.rank == 0 ? 0 : $0[k] }, shape: [rows.count])) })
            }
            return t(try Tensor(ints: rows.flatMap { $0 }, shape: [rows.count, x.rank]))
        }
    }
}
