extension Kernels {
    static func checkDropout(_ p: Double) throws {
        guard p >= 0 && p <= 1 else {
            throw TensorError.value("dropout probability has to be between 0 and 1, but got \(p)")
        }
    }

    /// `F.dropout(x, p, training)`: zeroes each element with probability p and scales the rest by 1/(1−p).
    public static func dropout(_ x: Tensor, p: Double = 0.5, training: Bool = true) throws -> Tensor {
        try dropoutWithMask(x, p: p, training: training, featureDims: 0).output
    }

    /// `F.dropout2d(x, p, training)`: zeroes whole channels — one draw per (dim 0, dim 1) pair
    /// for batched input, one per channel for unbatched (C, H, W), as PyTorch's feature dropout.
    public static func dropout2d(_ x: Tensor, p: Double = 0.5, training: Bool = true) throws -> Tensor {
        try dropoutWithMask(x, p: p, training: training, featureDims: 2).output
    }

    /// Dropout and its mask (0 or 1/(1−p) per element or per plane); nil when not training.
    /// `featureDims` 0 draws per element, 2 draws per (dim 0, dim 1) plane.
    public static func dropoutWithMask(_ x: Tensor, p: Double, training: Bool,
                                       featureDims: Int) throws -> (output: Tensor, mask: Tensor?) {
        try checkDropout(p)
        if featureDims > 0 && x.rank < 2 {
            throw TensorError.value("Feature dropout requires at least 2 dimensions in the input")
        }
        if !training || p == 0 { return (x, nil) }
        let (s, o) = try unaryBuffers(x)
        // Unbatched (C, H, W) input to dropout2d: one draw per channel, as PyTorch's unsqueeze(0) gives.
        let lead = featureDims > 0 && x.rank == 3 ? 1 : 2
        let planes = featureDims > 0 ? x.shape.prefix(lead).reduce(1, *) : o.numel
        let plane = planes == 0 ? 0 : o.numel / planes
        let maskShape = featureDims > 0 ? Array(x.shape.prefix(lead)) + Array(repeating: 1, count: x.rank - lead) : x.shape
        let mask = try Tensor(zeros: maskShape)
        let m = mask.floatPtr, a = s.floatPtr, b = o.floatPtr
        if p < 1 {
            // ATen: noise.bernoulli_(1 - p), then noise.div_(1 - p).
            let keep = 1 - p, scale = Float(1) / Float(keep)
            try TorchRandom.bernoulli_(mask, p: keep)
            for i in 0..<planes { m[i] = m[i] * scale }
        }
        for i in 0..<planes {
            let k = m[i], base = i * plane
            for j in base..<(base + plane) { b[j] = a[j] * k }
        }
        return (o, mask)
    }
}
