import TensorCore

/// Attention, composed of differentiable ops (linear, matmul, softmax, masked fill,
/// dropout): `F.scaled_dot_product_attention` and the maths of
/// `F.multi_head_attention_forward` (the path that returns attention weights).
extension Functional {
    static func negInf(_ mask: Tensor, like x: Tensor) throws -> Tensor {
        try Tensor.where(mask, Tensor.scalar(-Double.infinity, dtype: x.dtype), Tensor.scalar(0, dtype: x.dtype))
    }

    static func logicalNot(_ mask: Tensor) throws -> Tensor { try Tensor.compare(.eq, mask, Tensor.scalar(bool: false)) }

    /// `F.scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
    /// is_causal=False, scale=None)`: softmax(q kᵀ · scale + bias) v, where a boolean mask
    /// keeps the places that are True and a float mask is added.
    public static func scaledDotProductAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor, attnMask: Tensor? = nil,
                                                 dropoutP: Double = 0, isCausal: Bool = false, scale: Double? = nil) throws -> Tensor {
        guard q.rank >= 2, k.rank >= 2, v.rank >= 2 else {
            throw TensorError.runtime("scaled_dot_product_attention: expected query, key and value to be at least 2-D, got \(q.rank)-D, \(k.rank)-D and \(v.rank)-D")
        }
        guard q.shape[q.rank - 1] == k.shape[k.rank - 1] else {
            throw TensorError.runtime("Expected query and key to have the same embedding size, got \(q.shape[q.rank - 1]) and \(k.shape[k.rank - 1])")
        }
        if isCausal && attnMask != nil {
            throw TensorError.runtime("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")
        }
        guard dropoutP >= 0 && dropoutP <= 1 else {
            throw TensorError.value("dropout probability has to be between 0 and 1, but got \(PyFormat.float(dropoutP))")
        }
        let l = q.shape[q.rank - 2], s = k.shape[k.rank - 2], e = q.shape[q.rank - 1]
        let factor = scale ?? 1 / Double(e).squareRoot()
        var w = try mul(try matmul(q, try transpose(k, k.rank - 2, k.rank - 1)), Tensor.scalar(factor, dtype: q.dtype))
        if isCausal {
            let above = (0..<(l * s)).map { ($0 % s) > ($0 / s) }
            w = try maskedFill(w, try Tensor(bools: above, shape: [l, s]), Tensor.scalar(-Double.infinity, dtype: w.dtype))
        }
        if let m = attnMask {
            if m.dtype == .bool {
                w = try maskedFill(w, try logicalNot(m), Tensor.scalar(-Double.infinity, dtype: w.dtype))
            } else {
                w = try add(w, m)
            }
        }
        w = try softmax(w, dim: w.rank - 1)
        if dropoutP > 0 { w = try dropout(w, p: dropoutP, training: true) }
        return try matmul(w, v)
    }

    /// A key-padding or attention mask as PyTorch's `_canonical_mask` makes it:
    /// booleans become 0 and -inf (True = not attended), floats stay.
    static func canonicalMask(_ m: Tensor?, _ name: String, like x: Tensor) throws -> Tensor? {
        guard let m else { return nil }
        if m.dtype == .bool { return try negInf(m, like: x) }
        guard m.dtype.isFloatingPoint else { throw TensorError.runtime("only bool and floating types of \(name) are supported") }
        return m
    }

    /// The projections of `F.multi_head_attention_forward`: one packed (3E, E) weight
    /// or separate q, k and v weights, and the packed bias.
    public struct AttentionProjections {
        public let packed: Tensor?, q: Tensor?, k: Tensor?, v: Tensor?, bias: Tensor?, out: Tensor, outBias: Tensor?
        public init(packed: Tensor?, q: Tensor?, k: Tensor?, v: Tensor?, bias: Tensor?, out: Tensor, outBias: Tensor?) {
            self.packed = packed; self.q = q; self.k = k; self.v = v; self.bias = bias; self.out = out; self.outBias = outBias
        }
    }

    /// Multi-head attention on time-major (L, N, E) query and (S, N, E_k/E_v) key and
    /// value, or unbatched (L, E): returns the output and, when `needWeights`, the
    /// attention weights averaged over heads (N, L, S) or per head (N, H, L, S).
    public static func multiHeadAttention(_ query: Tensor, _ key: Tensor, _ value: Tensor, heads: Int,
                                          _ p: AttentionProjections, keyPaddingMask: Tensor?, needWeights: Bool,
                                          attnMask: Tensor?, averageWeights: Bool, dropoutP: Double) throws -> (Tensor, Tensor?) {
        let batched: Bool
        switch query.rank {
        case 3:
            guard key.rank == 3 && value.rank == 3 else {
                throw TensorError.runtime("For batched (3-D) `query`, expected `key` and `value` to be 3-D but found \(key.rank)-D and \(value.rank)-D tensors respectively")
            }
            batched = true
        case 2:
            guard key.rank == 2 && value.rank == 2 else {
                throw TensorError.runtime("For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found \(key.rank)-D and \(value.rank)-D tensors respectively")
            }
            batched = false
        default:
            throw TensorError.runtime("query should be unbatched 2D or batched 3D tensor but received \(query.rank)-D query tensor")
        }
        let q0 = batched ? query : try unsqueeze(query, 1), k0 = batched ? key : try unsqueeze(key, 1)
        let v0 = batched ? value : try unsqueeze(value, 1)
        let kpm0 = try keyPaddingMask.map { batched ? $0 : try unsqueeze($0, 0) }
        let (tgt, bsz, e) = (q0.shape[0], q0.shape[1], q0.shape[2]), src = k0.shape[0]
        let hd = e / heads
        guard k0.shape[1] == bsz, v0.shape[1] == bsz, v0.shape[0] == src else {
            throw TensorError.runtime("key shape \(Shape.torchSize(key.shape)) does not match value shape \(Shape.torchSize(value.shape))")
        }
        func bias(_ i: Int) throws -> Tensor? { try p.bias.map { try narrow($0, dim: 0, start: i * e, length: e) } }
        func weight(_ i: Int, _ separate: Tensor?) throws -> Tensor {
            if let packed = p.packed { return try narrow(packed, dim: 0, start: i * e, length: e) }
            guard let separate else { throw TensorError.runtime("multi_head_attention: missing projection weight") }
            return separate
        }
        let q = try linear(q0, try weight(0, p.q), try bias(0))
        let k = try linear(k0, try weight(1, p.k), try bias(1))
        let v = try linear(v0, try weight(2, p.v), try bias(2))
        var mask = try canonicalMask(attnMask, "attn_mask", like: q)
        if let m = mask {
            if m.rank == 2 {
                guard m.shape == [tgt, src] else {
                    throw TensorError.runtime("The shape of the 2D attn_mask is \(Shape.torchSize(m.shape)), but should be \(PyFormat.tuple([tgt, src])).")
                }
                mask = try unsqueeze(m, 0)
            } else if m.rank == 3 {
                guard m.shape == [bsz * heads, tgt, src] else {
                    throw TensorError.runtime("The shape of the 3D attn_mask is \(Shape.torchSize(m.shape)), but should be \(PyFormat.tuple([bsz * heads, tgt, src])).")
                }
            } else {
                throw TensorError.runtime("attn_mask's dimension \(m.rank) is not supported")
            }
        }
        func heads3(_ t: Tensor, _ len: Int) throws -> Tensor { try transpose(try reshape(t, [len, bsz * heads, hd]), 0, 1) }
        let qh = try heads3(q, tgt), kh = try heads3(k, src), vh = try heads3(v, src)
        if let kpm = try canonicalMask(kpm0, "key_padding_mask", like: q) {
            guard kpm.shape == [bsz, src] else {
                throw TensorError.runtime("expecting key_padding_mask shape of \(PyFormat.tuple([bsz, src])), but got \(Shape.torchSize(kpm.shape))")
            }
            let expanded = try reshape(try expand(try reshape(kpm, [bsz, 1, 1, src]), [bsz, heads, 1, src]), [bsz * heads, 1, src])
            mask = try mask.map { try add($0, expanded) } ?? expanded
        }
        var w = try bmm(try mul(qh, Tensor.scalar((1 / Double(hd)).squareRoot(), dtype: qh.dtype)), try transpose(kh, 1, 2))
        if let m = mask { w = try add(m, w) }
        w = try softmax(w, dim: 2)
        if dropoutP > 0 { w = try dropout(w, p: dropoutP, training: true) }
        var out = try bmm(w, vh)
        out = try reshape(try transpose(out, 0, 1), [tgt * bsz, e])
        out = try reshape(try linear(out, p.out, p.outBias), [tgt, bsz, p.out.shape[0]])
        var weights: Tensor? = nil
        if needWeights {
            var aw = try reshape(w, [bsz, heads, tgt, src])
            if averageWeights { aw = try mean(aw, dims: [1]) }
            weights = batched ? aw : try squeeze(aw, dims: [0])
        }
        if !batched { out = try squeeze(out, dims: [1]) }
        return (out, weights)
    }
}
