import TensorCore

/// Reductions: the gradient is spread back over the reduced dims (evenly for
/// sum and mean, to the chosen element for max/min).
extension Functional {
    /// g reshaped with the reduced dims kept (size 1), then expanded to `shape`.
    static func expandBack(_ g: Tensor, _ shape: [Int], dims: [Int]?, keepdim: Bool) throws -> Tensor {
        var gk = g
        if !keepdim {
            var kshape = shape
            for d in try reducedDims(dims, rank: shape.count) { kshape[d] = 1 }
            gk = try reshape(g, kshape)
        }
        return try expand(gk, shape)
    }

    static func reducedDims(_ dims: [Int]?, rank: Int) throws -> [Int] {
        guard let dims, !dims.isEmpty else { return Array(0..<rank) }
        return try dims.map { try Shape.wrapDim($0, rank: rank) }
    }

    /// Elements reduced into each output element.
    static func reducedCount(_ shape: [Int], dims: [Int]?) throws -> Int {
        try reducedDims(dims, rank: shape.count).reduce(1) { $0 * shape[$1] }
    }

    public static func sum(_ x: Tensor, dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        let y = try x.sum(dims: dims, keepdim: keepdim)
        return Autograd.record(y, dims == nil ? "SumBackward0" : "SumBackward1", [x]) { g in
            [try expandBack(g, x.shape, dims: dims, keepdim: keepdim)]
        }
    }

    public static func mean(_ x: Tensor, dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        let y = try x.mean(dims: dims, keepdim: keepdim)
        return Autograd.record(y, dims == nil ? "MeanBackward0" : "MeanBackward1", [x]) { g in
            let n = try reducedCount(x.shape, dims: dims)
            return [try div(try expandBack(g, x.shape, dims: dims, keepdim: keepdim), scalar(Double(n)))]
        }
    }

    /// `var(dims, correction)`: d/dx = 2 (x − mean) / (N − correction).
    public static func variance(_ x: Tensor, dims: [Int]? = nil, correction: Int = 1, keepdim: Bool = false) throws -> Tensor {
        let y = try x.variance(dims: dims, correction: correction, keepdim: keepdim)
        return Autograd.record(y, "VarBackward0", [x], saving: [x]) { g in
            let n = try reducedCount(x.shape, dims: dims)
            let centred = try sub(x, try mean(x, dims: dims, keepdim: true))
            let scale = scalar(2.0 / Double(n - correction))
            return [try mul(try mul(try expandBack(g, x.shape, dims: dims, keepdim: keepdim), centred), scale)]
        }
    }

    /// `std(dims, correction)`: d/dx = (x − mean) / ((N − correction) · std).
    public static func std(_ x: Tensor, dims: [Int]? = nil, correction: Int = 1, keepdim: Bool = false) throws -> Tensor {
        let y = try x.std(dims: dims, correction: correction, keepdim: keepdim)
        let saved = y.detach()
        return Autograd.record(y, "StdBackward0", [x], saving: [x, saved]) { g in
            let n = try reducedCount(x.shape, dims: dims)
            let s = GradMode.enabled ? try std(x, dims: dims, correction: correction, keepdim: keepdim) : saved
            let centred = try sub(x, try mean(x, dims: dims, keepdim: true))
            let gs = try div(g, try mul(s, scalar(Double(n - correction))))
            return [try mul(try expandBack(gs, x.shape, dims: dims, keepdim: keepdim), centred)]
        }
    }

    /// `max()`/`min()` over everything: the gradient is shared evenly by the elements
    /// equal to the result, as PyTorch's.
    public static func extremumAll(_ x: Tensor, isMax: Bool) throws -> Tensor {
        let y = try x.extremumAll(isMax: isMax)
        return Autograd.record(y, isMax ? "MaxBackward1" : "MinBackward1", [x], saving: [x]) { g in
            try evenlyDistributed(g, x, y, dims: nil, keepdim: false)
        }
    }

    /// `amax(dims, keepdim)` / `amin`: the extremum over several dims; ties share the gradient.
    public static func amax(_ x: Tensor, dims: [Int], keepdim: Bool = false, isMax: Bool = true) throws -> Tensor {
        let red = try reducedDims(dims, rank: x.rank)
        let kept = (0..<x.rank).filter { !red.contains($0) }
        let moved = try x.permute(kept + red).reshape(kept.map { x.shape[$0] } + [-1])
        var (y, _) = try moved.extremum(dim: -1, isMax: isMax)
        if keepdim {
            var kshape = x.shape
            for d in red { kshape[d] = 1 }
            y = try y.reshape(kshape)
        }
        return Autograd.record(y, isMax ? "AmaxBackward0" : "AminBackward0", [x], saving: [x]) { g in
            try evenlyDistributed(g, x, y, dims: dims, keepdim: keepdim)
        }
    }

    static func evenlyDistributed(_ g: Tensor, _ x: Tensor, _ y: Tensor, dims: [Int]?, keepdim: Bool) throws -> [Tensor?] {
        let yb = try expandBack(y.detach(), x.shape, dims: dims, keepdim: keepdim)
        let mask = try Tensor.compare(.eq, x, yb).to(.float32)
        let count = try mask.sum(dims: dims.map { try reducedDims($0, rank: x.rank) }, keepdim: true)
        let share = try Tensor.binary(.div, mask, count)
        return [try mul(try expandBack(g, x.shape, dims: dims, keepdim: keepdim), share)]
    }

    /// `max(dim)` / `min(dim)`: values (differentiable) and int64 indices; the gradient
    /// goes to the element each index names.
    public static func extremum(_ x: Tensor, dim: Int, keepdim: Bool = false, isMax: Bool) throws -> (Tensor, Tensor) {
        let (v, i) = try x.extremum(dim: dim, keepdim: keepdim, isMax: isMax)
        let d = try Shape.wrapDim(dim, rank: Swift.max(x.rank, 1))
        let values = Autograd.record(v, isMax ? "MaxBackward0" : "MinBackward0", [x]) { g in
            [try scatterAlong(g, i, shape: x.shape, dim: d, keepdim: keepdim)]
        }
        return (values, i)
    }

    /// Zeros of `shape` with g's elements written at `indices` along `dim` (one per output element).
    static func scatterAlong(_ g: Tensor, _ indices: Tensor, shape: [Int], dim d: Int, keepdim: Bool) throws -> Tensor {
        if shape.isEmpty { return g }
        let gk = keepdim ? g : try g.unsqueeze(d)
        let ik = keepdim ? indices : try indices.unsqueeze(d)
        let out = try Tensor.zeros(shape)
        let gc = try gk.detach().contiguous(), ic = try ik.contiguous()
        let outer = Shape.count(Array(shape[..<d])), inner = Shape.count(Array(shape[(d + 1)...])), n = shape[d]
        let o = out.floatPtr, gp = gc.floatPtr, ip = ic.intPtr
        for a in 0..<outer {
            for b in 0..<inner {
                let k = a * inner + b
                o[(a * n + Int(ip[k])) * inner + b] += gp[k]
            }
        }
        return Autograd.record(out, "ScatterBackward0", [g]) { gg in
            var r = try gatherAlong(gg, ik, dim: d)
            if !keepdim { r = try squeeze(r, dims: [d]) }
            return [r]
        }
    }

    /// The elements of x at `indices` along `dim` (`torch.gather` with one index per position).
    static func gatherAlong(_ x: Tensor, _ indices: Tensor, dim d: Int) throws -> Tensor {
        let xc = try x.detach().contiguous(), ic = try indices.contiguous()
        var shape = x.shape; shape[d] = indices.shape[d]
        let out = try Tensor.zeros(shape)
        let outer = Shape.count(Array(shape[..<d])), inner = Shape.count(Array(shape[(d + 1)...]))
        let n = x.shape[d], m = shape[d]
        let o = out.floatPtr, xp = xc.floatPtr, ip = ic.intPtr
        for a in 0..<outer { for j in 0..<m { for b in 0..<inner {
            let k = (a * m + j) * inner + b
            o[k] = xp[(a * n + Int(ip[k])) * inner + b]
        } } }
        return Autograd.record(out, "GatherBackward0", [x]) { g in
            [try scatterAlong(g, indices, shape: x.shape, dim: d, keepdim: true)]
        }
    }

    /// `norm(p=2, dim=None, keepdim=False)` (`torch.linalg.vector_norm`).
    public static func norm(_ x: Tensor, p: Double = 2, dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        let ax = try x.abs()
        let y: Tensor
        if p == .infinity || p == -.infinity {
            return try amax(abs(x), dims: try reducedDims(dims, rank: x.rank), keepdim: keepdim, isMax: p > 0)
        } else if p == 2 {
            y = try Tensor.binary(.mul, ax, ax).sum(dims: dims, keepdim: keepdim).sqrt()
        } else if p == 1 {
            y = try ax.sum(dims: dims, keepdim: keepdim)
        } else {
            y = try Tensor.binary(.pow, try Tensor.binary(.pow, ax, scalar(p)).sum(dims: dims, keepdim: keepdim), scalar(1 / p))
        }
        let saved = y.detach()
        return Autograd.record(y, "LinalgVectorNormBackward0", [x], saving: [x, saved]) { g in
            let yb = try expandBack(GradMode.enabled ? try norm(x, p: p, dims: dims, keepdim: keepdim) : saved,
                                    x.shape, dims: dims, keepdim: keepdim)
            let gb = try expandBack(g, x.shape, dims: dims, keepdim: keepdim)
            if p == 1 { return [try mul(gb, try sign(x))] }
            // x·|x|^(p−2) / ‖x‖^(p−1), zero where the norm is zero.
            let num = p == 2 ? x : try mul(x, try pow(try abs(x), scalar(p - 2)))
            let den = p == 2 ? yb : try pow(yb, scalar(p - 1))
            let r = try mul(gb, try div(num, den))
            return [try whereZero(try Tensor.compare(.eq, yb.detach(), .scalar(0)), r)]
        }
    }
}

extension Functional {
    /// `prod(dim=None, keepdim=False)`: d/dx_i = g · Π_{j≠i} x_j.
    public static func prod(_ x: Tensor, dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        let y = try x.prod(dims: dim.map { [$0] }, keepdim: keepdim)
        return Autograd.record(y, dim == nil ? "ProdBackward0" : "ProdBackward1", [x], saving: [x]) { g in
            let others = try x.detach().exclusiveProducts(dim: dim)
            return [try mul(try expandBack(g, x.shape, dims: dim.map { [$0] }, keepdim: keepdim), others)]
        }
    }

    /// `cumsum(dim)`: the gradient is the reversed running sum of g.
    public static func cumsum(_ x: Tensor, dim: Int) throws -> Tensor {
        let y = try x.cumulative(dim: dim)
        return Autograd.record(y, "CumsumBackward0", [x]) { g in
            guard x.rank > 0 else { return [g] }
            let d = try Shape.wrapDim(dim, rank: x.rank)
            let n = x.shape[d]
            // Σ_{j ≥ i} g_j = total − (running sum before i).
            let total = try sum(g, dims: [d], keepdim: true)
            let before = try sub(try cumsum(g, dim: d), g)
            return [n == 0 ? g : try sub(try expand(total, g.shape), before)]
        }
    }
}
