import TensorCore

/// `nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True, bias=True)`.
public final class LayerNorm: Module {
    public let normalizedShape: [Int], eps: Double, affine: Bool, hasBias: Bool
    public init(_ shape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) throws {
        normalizedShape = shape; self.eps = eps; affine = elementwiseAffine; hasBias = bias && elementwiseAffine
        super.init()
        if affine { registerParameter("weight", try Tensor.full(shape, 1)) }
        if hasBias { registerParameter("bias", try Tensor.full(shape, 0)) }
    }
    public override func extraRepr() -> String {
        let shape = normalizedShape.count == 1 ? "(\(normalizedShape[0]),)" : "(" + normalizedShape.map(String.init).joined(separator: ", ") + ")"
        return "\(shape), eps=\(PyFormat.float(eps)), elementwise_affine=\(affine ? "True" : "False"), bias=\(hasBias ? "True" : "False")"
    }
    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.layerNorm(input, normalizedShape, weight: parameter("weight"), bias: parameter("bias"), eps: eps)
    }
}

/// `nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=True)`.
public final class GroupNorm: Module {
    public let groups: Int, channels: Int, eps: Double, affine: Bool
    public init(_ groups: Int, _ channels: Int, eps: Double = 1e-5, affine: Bool = true) throws {
        guard groups > 0, channels % groups == 0 else { throw TensorError.value("num_channels must be divisible by num_groups") }
        self.groups = groups; self.channels = channels; self.eps = eps; self.affine = affine
        super.init()
        if affine {
            registerParameter("weight", try Tensor.full([channels], 1))
            registerParameter("bias", try Tensor.full([channels], 0))
        }
    }
    public override func extraRepr() -> String {
        "\(groups), \(channels), eps=\(PyFormat.float(eps)), affine=\(affine ? "True" : "False"), bias=\(affine ? "True" : "False")"
    }
    public override func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank >= 2, input.shape[1] == channels else {
            throw TensorError.runtime("Expected number of channels in input to be divisible by num_groups, but got input of shape \(input.shape) and num_groups=\(groups)")
        }
        return try Functional.groupNorm(input, groups: groups, weight: parameter("weight"), bias: parameter("bias"), eps: eps)
    }
}

/// `nn.Embedding(num_embeddings, embedding_dim, padding_idx=None)`: weights from N(0, 1)
/// on PyTorch's stream, the padding row zeroed.
public final class Embedding: Module {
    public let count: Int, dim: Int, paddingIdx: Int?
    public init(_ count: Int, _ dim: Int, paddingIdx: Int? = nil) throws {
        var pad = paddingIdx
        if let p = pad {
            guard p < count && p >= -count else { throw TensorError.value("Padding_idx must be within num_embeddings") }
            pad = p < 0 ? p + count : p
        }
        self.count = count; self.dim = dim; self.paddingIdx = pad
        super.init()
        let w = try Tensor.zeros([count, dim])
        try Init.normal_(w)
        if let p = pad { try w.select(dim: 0, index: p).fill_(0) }
        registerParameter("weight", w)
    }
    public override func extraRepr() -> String { "\(count), \(dim)" + (paddingIdx.map { ", padding_idx=\($0)" } ?? "") }
    public override func forward(_ input: Tensor) throws -> Tensor {
        guard let w = parameter("weight") else { throw TensorError.type("Embedding has no weight") }
        return try Functional.embedding(input, w)
    }
}

/// `nn.Upsample(size=None, scale_factor=None, mode='nearest', align_corners=None)`.
public final class Upsample: Module {
    public let size: [Int]?, scaleFactor: [Double]?, mode: String, alignCorners: Bool?
    public init(size: [Int]?, scaleFactor: [Double]?, mode: String = "nearest", alignCorners: Bool? = nil) {
        self.size = size; self.scaleFactor = scaleFactor; self.mode = mode; self.alignCorners = alignCorners
        super.init()
    }
    public override func extraRepr() -> String {
        var parts: [String] = []
        if let size { parts.append("size=" + (size.count == 1 ? "\(size[0])" : "(" + size.map(String.init).joined(separator: ", ") + ")")) }
        if let f = scaleFactor {
            parts.append("scale_factor=" + (f.count == 1 ? PyFormat.float(f[0]) : "(" + f.map { PyFormat.float($0) }.joined(separator: ", ") + ")"))
        }
        parts.append("mode='\(mode)'")
        return parts.joined(separator: ", ")
    }
    public override func forward(_ input: Tensor) throws -> Tensor {
        try Functional.interpolate(input, size: size, scaleFactor: scaleFactor, mode: mode, alignCorners: alignCorners)
    }
}
