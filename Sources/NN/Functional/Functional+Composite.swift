import TensorCore

/// Ops composed of other differentiable ops (their gradients come from the parts),
/// shown under PyTorch's grad_fn name: interpolation, layer and group norm.
extension Functional {
    static let allItems = IndexItem.slice(start: nil, stop: nil, step: nil)

    /// A composite op's result under PyTorch's grad_fn name (an identity node on top).
    public static func named(_ y: Tensor, _ name: String) -> Tensor {
        guard y.requiresGrad else { return y }
        return Autograd.record(y.detach(), name, [y]) { g in [g] }
    }

    static func scalar(_ v: Double, like x: Tensor) -> Tensor { Tensor.scalar(v, dtype: x.dtype.isFloatingPoint ? x.dtype : .float32) }

    // MARK: interpolate

    /// Source positions and weights along one dim of size `inSize` resized to `outSize`.
    static func linearTaps(_ inSize: Int, _ outSize: Int, scaleFactor: Double?, alignCorners: Bool) -> ([Int64], [Int64], [Float], [Float]) {
        let scale: Float
        if alignCorners { scale = outSize > 1 ? Float(inSize - 1) / Float(outSize - 1) : 0 }
        else { scale = scaleFactor.map { Float(1 / $0) } ?? Float(inSize) / Float(outSize) }
        var i0s: [Int64] = [], i1s: [Int64] = [], l0s: [Float] = [], l1s: [Float] = []
        for d in 0..<outSize {
            var src = alignCorners ? scale * Float(d) : scale * (Float(d) + 0.5) - 0.5
            if src < 0 { src = 0 }
            let i0 = Swift.min(Int(src), inSize - 1)
            let i1 = i0 + (i0 < inSize - 1 ? 1 : 0)
            let l1 = src - Float(i0)
            i0s.append(Int64(i0)); i1s.append(Int64(i1)); l0s.append(1 - l1); l1s.append(l1)
        }
        return (i0s, i1s, l0s, l1s)
    }

    /// x resized along dim d by linear interpolation (PyTorch's order: w0 * x0 + w1 * x1).
    public static func linearAlong(_ x: Tensor, dim d: Int, to outSize: Int, scaleFactor: Double?, alignCorners: Bool) throws -> Tensor {
        let (i0, i1, l0, l1) = linearTaps(x.shape[d], outSize, scaleFactor: scaleFactor, alignCorners: alignCorners)
        let lead = [IndexItem](repeating: allItems, count: d)
        var wshape = [Int](repeating: 1, count: x.rank - d); wshape[0] = outSize
        let w0 = try Tensor(l0, shape: wshape).to(x.dtype), w1 = try Tensor(l1, shape: wshape).to(x.dtype)
        let x0 = try index(x, lead + [.tensor(try Tensor(ints: i0, shape: [outSize]))])
        let x1 = try index(x, lead + [.tensor(try Tensor(ints: i1, shape: [outSize]))])
        return try add(try mul(w0, x0), try mul(w1, x1))
    }

    public static func nearestAlong(_ x: Tensor, dim d: Int, to outSize: Int, scaleFactor: Double?) throws -> Tensor {
        let inSize = x.shape[d]
        let scale = scaleFactor.map { Float(1 / $0) } ?? Float(inSize) / Float(outSize)
        let idx = (0..<outSize).map { Int64(Swift.min(Int((Float($0) * scale).rounded(.down)), inSize - 1)) }
        return try index(x, [IndexItem](repeating: allItems, count: d) + [.tensor(try Tensor(ints: idx, shape: [outSize]))])
    }

    /// `F.interpolate`: `size` or `scaleFactor` (one value per spatial dim, or one for all).
    public static func interpolate(_ x: Tensor, size: [Int]?, scaleFactor: [Double]?, mode: String, alignCorners: Bool?) throws -> Tensor {
        let spatial = x.rank - 2
        guard spatial >= 1 && spatial <= 3 else {
            throw TensorError.value("Input Error: Only 3D, 4D and 5D input Tensors supported (got \(x.rank)D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got \(mode))")
        }
        let inSpatial = Array(x.shape[2...])
        var sizes: [Int] = [], scales: [Double?] = []
        if let size {
            guard scaleFactor == nil else { throw TensorError.value("only one of size or scale_factor should be defined") }
            sizes = size.count == 1 ? Array(repeating: size[0], count: spatial) : size
            guard sizes.count == spatial else { throw TensorError.value("Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of \(inSpatial) and output size of \(sizes).") }
            scales = Array(repeating: nil, count: spatial)
        } else if let scaleFactor {
            let f = scaleFactor.count == 1 ? Array(repeating: scaleFactor[0], count: spatial) : scaleFactor
            guard f.count == spatial else { throw TensorError.value("Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of \(inSpatial) and scale_factor of shape \(f).") }
            sizes = try zip(inSpatial, f).map { n, s in
                let v = (Double(n) * s).rounded(.down)
                guard v.isFinite, Swift.abs(v) < 9.2e18 else {
                    throw TensorError.runtime("value cannot be converted to type int64_t without overflow")
                }
                return Int(v)
            }
            scales = f.map { Optional($0) }
        } else {
            throw TensorError.value("either size or scale_factor should be defined")
        }
        if ["nearest", "linear", "bilinear", "trilinear"].contains(mode) {
            try checkResize(inSpatial, sizes)
            // The index and weight tables below hold one entry per output position.
            _ = try Shape.numel(Array(x.shape[..<2]) + sizes)
            for n in sizes where n.multipliedReportingOverflow(by: 8).overflow || n * 8 > Storage.limitBytes {
                throw TensorError.memory(bytes: n.multipliedReportingOverflow(by: 8).overflow ? Int.max : n * 8,
                                         limit: Storage.limitBytes)
            }
        }
        var y = x
        switch mode {
        case "nearest":
            guard alignCorners == nil else { throw TensorError.value("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear") }
            for k in 0..<spatial { y = try nearestAlong(y, dim: 2 + k, to: sizes[k], scaleFactor: scales[k]) }
            return named(y, "UpsampleNearest\(spatial)DBackward0")
        case "linear", "bilinear", "trilinear":
            let want = ["linear": 1, "bilinear": 2, "trilinear": 3][mode] ?? 0
            guard want == spatial else { throw TensorError.value("Got \(x.rank)D input, but \(mode) mode needs \(want + 2)D input") }
            let ac = alignCorners ?? false
            for k in (0..<spatial).reversed() { y = try linearAlong(y, dim: 2 + k, to: sizes[k], scaleFactor: scales[k], alignCorners: ac) }
            let names = ["linear": "UpsampleLinear1DBackward0", "bilinear": "UpsampleBilinear2DBackward0", "trilinear": "UpsampleTrilinear3DBackward0"]
            return named(y, names[mode] ?? "")
        default:
            throw TensorError.value("interpolate(mode='\(mode)') is not available in Tensorpad; use 'nearest', 'linear', 'bilinear' or 'trilinear'")
        }
    }

    /// PyTorch's check of an upsampling's input and output sizes (every one positive).
    static func checkResize(_ input: [Int], _ output: [Int]) throws {
        guard input.contains(where: { $0 <= 0 }) || output.contains(where: { $0 <= 0 }) else { return }
        let names = Array(["D", "H", "W"].suffix(input.count))
        func describe(_ v: [Int]) -> String { zip(names, v).map { "\($0): \($1)" }.joined(separator: ", ") }
        let joiner = input.count == 1 ? " and output" : " output"
        throw TensorError.runtime("Input and output sizes should be greater than 0, but got input (\(describe(input)))\(joiner) (\(describe(output)))")
    }

    // MARK: normalisation

    public static func normalized(_ x: Tensor, dims: [Int], eps: Double) throws -> Tensor {
        let mean = try mean(x, dims: dims, keepdim: true)
        let centred = try binary(.sub, x, mean)
        let v = try variance(x, dims: dims, correction: 0, keepdim: true)
        let rstd = try binary(.div, scalar(1, like: x), try sqrt(try add(v, scalar(eps, like: x))), aIsNumber: true)
        return try mul(centred, rstd)
    }

    public static func layerNorm(_ x: Tensor, _ shape: [Int], weight: Tensor?, bias: Tensor?, eps: Double) throws -> Tensor {
        let k = shape.count
        guard k <= x.rank, Array(x.shape[(x.rank - k)...]) == shape else {
            throw TensorError.runtime("Given normalized_shape=\(shape), expected input with shape [*, \(shape.map(String.init).joined(separator: ", "))], but got input of size\(x.shape)")
        }
        var y = try normalized(x, dims: Array((x.rank - k)..<x.rank), eps: eps)
        if let weight { y = try mul(y, weight) }
        if let bias { y = try add(y, bias) }
        return named(y, "NativeLayerNormBackward0")
    }

    public static func groupNorm(_ x: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Double) throws -> Tensor {
        guard x.rank >= 2, groups > 0, x.shape[1] % groups == 0 else {
            throw TensorError.runtime("Expected number of channels in input to be divisible by num_groups, but got input of shape \(x.shape) and num_groups=\(groups)")
        }
        let n = x.shape[0]
        let g = try reshape(x, [n, groups, -1])
        var y = try reshape(try normalized(g, dims: [2], eps: eps), x.shape)
        let affine = [x.shape[1]] + [Int](repeating: 1, count: x.rank - 2)
        if let weight { y = try mul(y, try reshape(weight, affine)) }
        if let bias { y = try add(y, try reshape(bias, affine)) }
        return named(y, "NativeGroupNormBackward0")
    }

}

extension Functional {
    /// `F.embedding`: rows of weight picked by integer indices.
    public static func embedding(_ indices: Tensor, _ weight: Tensor) throws -> Tensor {
        guard indices.dtype == .int64 || indices.dtype == .int32 else {
            throw TensorError.runtime("Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead (while checking arguments for embedding)")
        }
        return named(try index(weight, [.tensor(indices)]), "EmbeddingBackward0")
    }
}
