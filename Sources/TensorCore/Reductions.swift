/// Reductions over one or more dims, with `keepdim`, as PyTorch's.
extension Tensor {
    /// Moves the reduced dims last and returns (contiguous data, kept shape,
    /// output shape with keepdim applied, reduced block length).
    func reductionLayout(_ dims: [Int]?, keepdim: Bool) throws -> (Tensor, [Int], Int) {
        let all = Array(0..<rank)
        var red: [Int]
        if let dims, !dims.isEmpty {
            red = []
            for d in dims {
                let w = try Shape.wrapDim(d, rank: rank)
                if red.contains(w) { throw TensorError.runtime("dim \(w) appears multiple times in the list of dims") }
                red.append(w)
            }
        } else { red = all }
        if rank == 0 { return (try contiguous(), [], 1) }
        let kept = all.filter { !red.contains($0) }
        let perm = kept + red.sorted()
        let moved = try permute(perm).contiguous()
        let block = red.reduce(1) { $0 * shape[$1] }
        var outShape = [Int]()
        for d in 0..<rank {
            if red.contains(d) { if keepdim { outShape.append(1) } }
            else { outShape.append(shape[d]) }
        }
        return (moved, outShape, block)
    }

    /// `sum(dim, keepdim)`. Integer and bool tensors sum to int64.
    public func sum(dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        let (src, outShape, block) = try reductionLayout(dims, keepdim: keepdim)
        let groups = block == 0 ? Shape.count(outShape) : src.numel / block
        if dtype == .float32 {
            let out = try Tensor(zeros: outShape, dtype: .float32)
            let x = src.floatPtr, o = out.floatPtr
            for g in 0..<groups {
                var acc: Double = 0
                let base = x + g * block
                for j in 0..<block { acc += Double(base[j]) }
                o[g] = Float(acc)
            }
            return out
        }
        if dtype == .float64 || dtype == .float16 {
            let out = try Tensor(zeros: outShape, dtype: .float64)
            let x = try src.to(.float64).storage.doubles, o = out.storage.doubles
            for g in 0..<groups {
                var acc: Double = 0
                for j in 0..<block { acc += x[g * block + j] }
                o[g] = acc
            }
            return try out.to(dtype)
        }
        let isrc = try src.to(.int64)
        let out = try Tensor(zeros: outShape, dtype: .int64)
        let x = isrc.intPtr, o = out.intPtr
        for g in 0..<groups {
            var acc: Int64 = 0
            for j in 0..<block { acc &+= x[g * block + j] }
            o[g] = acc
        }
        return out
    }

    /// `mean(dim, keepdim)`; float tensors only, as PyTorch.
    public func mean(dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        guard dtype.isFloatingPoint else {
            throw TensorError.type("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: \(dtype.scalarTypeName)")
        }
        if dtype != .float32 {
            let sum = try self.to(.float64).sum(dims: dims, keepdim: keepdim)
            let count = try reductionLayout(dims, keepdim: keepdim).2
            return try Tensor.binary(.div, sum, .scalar(double: Double(count))).to(dtype)
        }
        let (src, outShape, block) = try reductionLayout(dims, keepdim: keepdim)
        let out = try Tensor(zeros: outShape, dtype: .float32)
        let groups = Shape.count(outShape)
        let x = src.floatPtr, o = out.floatPtr
        for g in 0..<groups {
            var acc: Double = 0
            for j in 0..<block { acc += Double(x[g * block + j]) }
            o[g] = block == 0 ? .nan : Float(acc / Double(block))
        }
        return out
    }

    /// `var(dim, unbiased/correction, keepdim)`.
    public func variance(dims: [Int]? = nil, correction: Int = 1, keepdim: Bool = false) throws -> Tensor {
        guard dtype.isFloatingPoint else {
            throw TensorError.type("std and var only support floating point and complex dtypes")
        }
        if dtype != .float32 {
            let x = try self.to(.float64)
            let m = try x.mean(dims: dims, keepdim: true)
            let d = try Tensor.binary(.sub, x, m)
            let ss = try Tensor.binary(.mul, d, d).sum(dims: dims, keepdim: keepdim)
            let block = try reductionLayout(dims, keepdim: keepdim).2
            let denom = Double(block - correction)
            let r = denom <= 0 ? try Tensor.binary(.mul, ss, .scalar(double: .nan)) : try Tensor.binary(.div, ss, .scalar(double: denom))
            return try r.to(dtype)
        }
        let (src, outShape, block) = try reductionLayout(dims, keepdim: keepdim)
        let out = try Tensor(zeros: outShape, dtype: .float32)
        let groups = Shape.count(outShape)
        let x = src.floatPtr, o = out.floatPtr
        for g in 0..<groups {
            var mean: Double = 0
            for j in 0..<block { mean += Double(x[g * block + j]) }
            mean /= Double(max(block, 1))
            var ss: Double = 0
            for j in 0..<block { let d = Double(x[g * block + j]) - mean; ss += d * d }
            let denom = block - correction
            o[g] = denom <= 0 ? .nan : Float(ss / Double(denom))
        }
        return out
    }

    /// `std(...)`: square root of `var`.
    public func std(dims: [Int]? = nil, correction: Int = 1, keepdim: Bool = false) throws -> Tensor {
        try variance(dims: dims, correction: correction, keepdim: keepdim).sqrt()
    }

    /// `max(dim, keepdim)` / `min(...)`: values and int64 indices (first occurrence; NaN wins).
    public func extremum(dim: Int, keepdim: Bool = false, isMax: Bool) throws -> (Tensor, Tensor) {
        let d = try Shape.wrapDim(dim, rank: rank)
        if rank > 0 && shape[d] == 0 {
            throw TensorError.index("\(isMax ? "max" : "min")(): Expected reduction dim \(d) to have non-zero size.")
        }
        let (src, outShape, block) = try reductionLayout([d], keepdim: keepdim)
        let values = try Tensor(zeros: outShape, dtype: dtype == .bool ? .bool : dtype)
        let indices = try Tensor(zeros: outShape, dtype: .int64)
        let groups = Shape.count(outShape)
        let xs = src.toDoubles()
        for g in 0..<groups {
            var best = xs[g * block], bi = 0
            for j in 1..<max(block, 1) {
                let v = xs[g * block + j]
                if best.isNaN { break }
                if v.isNaN || (isMax ? v > best : v < best) { best = v; bi = j }
            }
            values.setDouble(best, atStorageOffset: g)
            indices.storage.ints[g] = Int64(bi)
        }
        return (values, indices)
    }

    /// `max()` / `min()` over all elements.
    public func extremumAll(isMax: Bool) throws -> Tensor {
        guard numel > 0 else {
            throw TensorError.value("\(isMax ? "max" : "min")(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
        }
        let (v, _) = try reshape([-1]).extremum(dim: 0, isMax: isMax)
        return v
    }

    /// `argmax(dim=None, keepdim=False)` / `argmin`.
    public func argExtremum(dim: Int?, keepdim: Bool = false, isMax: Bool) throws -> Tensor {
        guard let dim else {
            guard numel > 0 else {
                throw TensorError.value("\(isMax ? "argmax" : "argmin")(): Expected reduction dim to be specified for input.numel() == 0.")
            }
            let (_, i) = try reshape([-1]).extremum(dim: 0, isMax: isMax)
            if keepdim { return try i.reshape([Int](repeating: 1, count: rank)) }
            return i
        }
        return try extremum(dim: dim, keepdim: keepdim, isMax: isMax).1
    }
}
