/// Sorting, running sums and products along a dim: the kernels behind
/// `sort`/`argsort`, `cumsum`/`cumprod` and `prod` (PyTorch's and NumPy's).
extension Tensor {
    /// This tensor with `dim` moved last, contiguous; and the permutation back.
    func movedLast(_ d: Int) throws -> (Tensor, [Int]) {
        var perm = Array(0..<rank)
        perm.remove(at: d); perm.append(d)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, p) in perm.enumerated() { inverse[p] = i }
        return (try permute(perm).contiguous(), inverse)
    }

    /// Values sorted along `dim` and their int64 indices; stable, NaN last (first when descending).
    public func sort(dim: Int = -1, descending: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        if rank == 0 { return (try clone(), try Tensor(zeros: [], dtype: .int64)) }
        let d = try Shape.wrapDim(dim, rank: rank)
        let (src, back) = try movedLast(d)
        let n = shape[d], groups = n == 0 ? 0 : src.numel / n
        let values = try Tensor(zeros: src.shape, dtype: dtype)
        let indices = try Tensor(zeros: src.shape, dtype: .int64)
        let integral = !dtype.isFloatingPoint
        var keysD = [Double](repeating: 0, count: n), keysI = [Int64](repeating: 0, count: n)
        for g in 0..<groups {
            let base = src.offset + g * n
            if integral { for j in 0..<n { keysI[j] = src.int64(atStorageOffset: base + j) } }
            else { for j in 0..<n { keysD[j] = src.double(atStorageOffset: base + j) } }
            let order: [Int]
            if integral {
                order = (0..<n).sorted { a, b in
                    keysI[a] != keysI[b] ? (descending ? keysI[a] > keysI[b] : keysI[a] < keysI[b]) : a < b
                }
            } else {
                order = (0..<n).sorted { a, b in
                    let x = keysD[a], y = keysD[b]
                    if x.isNaN || y.isNaN {
                        if x.isNaN && y.isNaN { return a < b }
                        return descending ? x.isNaN : y.isNaN
                    }
                    return x != y ? (descending ? x > y : x < y) : a < b
                }
            }
            for (j, k) in order.enumerated() {
                if integral { values.setInt64(keysI[k], atStorageOffset: g * n + j) }
                else { values.setDouble(keysD[k], atStorageOffset: g * n + j) }
                indices.storage.ints[g * n + j] = Int64(k)
            }
        }
        return (try values.permute(back).contiguous(), try indices.permute(back).contiguous())
    }

    /// Running sums (or products) along `dim`; integers and bools accumulate in int64.
    public func cumulative(dim: Int, product: Bool = false) throws -> Tensor {
        let d = try Shape.wrapDim(dim, rank: Swift.max(rank, 1))
        if rank == 0 { return dtype.isFloatingPoint ? try clone() : try to(.int64).clone() }
        let (src, back) = try movedLast(d)
        let n = shape[d], groups = n == 0 ? 0 : src.numel / n
        let outType: DType = dtype.isFloatingPoint ? dtype : .int64
        let out = try Tensor(zeros: src.shape, dtype: outType)
        for g in 0..<groups {
            let base = src.offset + g * n
            if outType == .int64 {
                var acc: Int64 = product ? 1 : 0
                for j in 0..<n {
                    let v = src.int64(atStorageOffset: base + j)
                    acc = product ? acc &* v : acc &+ v
                    out.storage.ints[g * n + j] = acc
                }
            } else if outType == .float64 {
                var acc: Double = product ? 1 : 0
                for j in 0..<n {
                    let v = src.storage.doubles[base + j]
                    acc = product ? acc * v : acc + v
                    out.storage.doubles[g * n + j] = acc
                }
            } else {
                // float32 (and float16 through float32) accumulate in float, as both libraries do.
                var acc: Float = product ? 1 : 0
                for j in 0..<n {
                    let v = Float(src.double(atStorageOffset: base + j))
                    acc = product ? acc * v : acc + v
                    out.setDouble(Double(acc), atStorageOffset: g * n + j)
                }
            }
        }
        return try out.permute(back).contiguous()
    }

    /// The product over `dims` (all by default); integers and bools multiply in int64.
    public func prod(dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        let (src, outShape, block) = try reductionLayout(dims, keepdim: keepdim)
        let groups = Shape.count(outShape)
        let outType: DType = dtype.isFloatingPoint ? dtype : .int64
        let out = try Tensor(zeros: outShape, dtype: outType)
        for g in 0..<groups {
            let base = src.offset + g * block
            if outType == .int64 {
                var acc: Int64 = 1
                for j in 0..<block { acc = acc &* src.int64(atStorageOffset: base + j) }
                out.storage.ints[g] = acc
            } else if outType == .float64 {
                var acc: Double = 1
                for j in 0..<block { acc *= src.storage.doubles[base + j] }
                out.storage.doubles[g] = acc
            } else {
                var acc: Float = 1
                for j in 0..<block { acc *= Float(src.double(atStorageOffset: base + j)) }
                out.setDouble(Double(acc), atStorageOffset: g)
            }
        }
        return out
    }
}
