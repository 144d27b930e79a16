import TensorCore

/// The `out_proj` of MultiheadAttention: a Linear under PyTorch's class name.
public final class NonDynamicallyQuantizableLinear: Linear {}

/// `nn.MultiheadAttention(embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
/// add_zero_attn=False, kdim=None, vdim=None, batch_first=False)` without add_bias_kv and
/// add_zero_attn. Initialised as PyTorch's `__init__` draws: `out_proj`'s Linear init,
/// then xavier_uniform_ of `in_proj_weight` (or q, k, v weights when kdim/vdim differ),
/// then both biases zeroed.
public final class MultiheadAttention: Module {
    public let embedDim: Int, numHeads: Int, dropout: Double, batchFirst: Bool, kdim: Int, vdim: Int
    public var headDim: Int { embedDim / numHeads }
    public var sameEmbedDim: Bool { kdim == embedDim && vdim == embedDim }

    public init(_ embedDim: Int, _ numHeads: Int, dropout: Double = 0, bias: Bool = true,
                kdim: Int? = nil, vdim: Int? = nil, batchFirst: Bool = false) throws {
        guard embedDim > 0 && numHeads > 0 else {
            throw TensorError.value("embed_dim and num_heads must be greater than 0, got embed_dim=\(embedDim) and num_heads=\(numHeads) instead")
        }
        guard embedDim % numHeads == 0 else { throw TensorError.value("embed_dim must be divisible by num_heads") }
        self.embedDim = embedDim; self.numHeads = numHeads; self.dropout = dropout; self.batchFirst = batchFirst
        self.kdim = kdim ?? embedDim; self.vdim = vdim ?? embedDim
        super.init()
        var drawn: [Tensor] = []
        if sameEmbedDim {
            let w = try Tensor.zeros([try checkedProduct(3, embedDim), embedDim])
            registerParameter("in_proj_weight", w)
            for n in ["q_proj_weight", "k_proj_weight", "v_proj_weight"] { registerParameter(n, nil) }
            drawn = [w]
        } else {
            drawn = try [embedDim, self.kdim, self.vdim].map { try Tensor.zeros([embedDim, $0]) }
            for (n, w) in zip(["q_proj_weight", "k_proj_weight", "v_proj_weight"], drawn) { registerParameter(n, w) }
            registerParameter("in_proj_weight", nil)
        }
        let inBias = bias ? try Tensor.zeros([try checkedProduct(3, embedDim)]) : nil
        registerParameter("in_proj_bias", inBias)
        let out = try NonDynamicallyQuantizableLinear(embedDim, embedDim, bias: bias)
        registerChild("out_proj", out)
        for w in drawn { try Init.xavier_uniform_(w) }
        try inBias?.fill_(0)
        try out.parameter("bias")?.fill_(0)
    }

    /// `forward(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
    /// average_attn_weights=True, is_causal=False)`: the output and the weights (nil unless
    /// `needWeights`).
    public func attend(_ query: Tensor, _ key: Tensor, _ value: Tensor, keyPaddingMask: Tensor? = nil, needWeights: Bool = true,
                       attnMask: Tensor? = nil, averageWeights: Bool = true, isCausal: Bool = false) throws -> (Tensor, Tensor?) {
        if isCausal && attnMask == nil {
            throw TensorError.runtime("Need attn_mask if specifying the is_causal hint. You may use the Transformer module method `generate_square_subsequent_mask` to create this mask.")
        }
        guard let out = child("out_proj"), let outW = out.parameter("weight") else { throw TensorError.type("MultiheadAttention has no out_proj") }
        let batchedFirst = batchFirst && query.rank == 3
        func time(_ t: Tensor) throws -> Tensor { batchedFirst ? try Functional.transpose(t, 0, 1) : t }
        if query.rank == 3 || query.rank == 2, query.shape[query.rank - 1] != embedDim {
            throw TensorError.runtime("was expecting embedding dimension of \(embedDim), but got \(query.shape[query.rank - 1])")
        }
        let p = Functional.AttentionProjections(packed: parameter("in_proj_weight"), q: parameter("q_proj_weight"),
                                                k: parameter("k_proj_weight"), v: parameter("v_proj_weight"),
                                                bias: parameter("in_proj_bias"), out: outW, outBias: out.parameter("bias"))
        var (y, w) = try Functional.multiHeadAttention(try time(query), try time(key), try time(value), heads: numHeads, p,
                                                       keyPaddingMask: keyPaddingMask, needWeights: needWeights, attnMask: attnMask,
                                                       averageWeights: averageWeights, dropoutP: training ? dropout : 0)
        if batchedFirst { y = try Functional.transpose(y, 0, 1) }
        return (y, w)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        throw TensorError.type("MultiheadAttention.forward() missing 2 required positional arguments: 'key' and 'value'")
    }

    /// Inputs `[query, key, value]`; outputs `[attn_output, attn_weights]`.
    public override func forward(inputs: [Tensor], outputSize: [Int]? = nil) throws -> [Tensor] {
        guard inputs.count == 3 else {
            throw TensorError.type("MultiheadAttention.forward() missing \(3 - Swift.min(inputs.count, 3)) required positional argument\(inputs.count == 2 ? "" : "s")")
        }
        let (y, w) = try attend(inputs[0], inputs[1], inputs[2])
        return [y] + (w.map { [$0] } ?? [])
    }
}
