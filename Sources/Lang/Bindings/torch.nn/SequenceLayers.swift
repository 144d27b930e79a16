import TensorCore
import NN

/// `nn.RNN`, `nn.LSTM`, `nn.GRU`, their cells, `nn.MultiheadAttention` and
/// `nn.ConvTranspose1d` (constructors with PyTorch's keywords and defaults), how
/// the recurrent and attention layers are called (`lstm(x, (h0, c0))`,
/// `mha(q, k, v, attn_mask=m)`) and what they return (PyTorch's nested tuples), and
/// `F.scaled_dot_product_attention`, `F.conv_transpose1d`.
enum SequenceLayers {
    static func install(_ r: Registry) {
        let recurrent = [P("input_size"), P("hidden_size"), P("num_layers", .int(1))]
        let tail = [P("bias", .bool(true)), P("batch_first", .bool(false)), P("dropout", .float(0)), P("bidirectional", .bool(false))]
        NNLayers.layer(r, "RNN", recurrent + [P("nonlinearity", .str("tanh"))] + tail + [P("proj_size", .int(0))],
                       doc: "Elman RNN: h_t = tanh(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh); returns (output, h_n).") { a in
            try RNN(try a.int(0), try a.int(1), numLayers: try a.int(2), nonlinearity: try Convert.string(a[3], what: "nonlinearity", in: "RNN"),
                    bias: TV.bool(a[4]), batchFirst: TV.bool(a[5]), dropout: try a.double(6), bidirectional: TV.bool(a[7]),
                    projSize: try a.int(8))
        }
        NNLayers.layer(r, "LSTM", recurrent + tail + [P("proj_size", .int(0))],
                       doc: "Long short-term memory; returns (output, (h_n, c_n)).") { a in
            try LSTM(try a.int(0), try a.int(1), numLayers: try a.int(2), bias: TV.bool(a[3]), batchFirst: TV.bool(a[4]),
                     dropout: try a.double(5), bidirectional: TV.bool(a[6]), projSize: try a.int(7))
        }
        NNLayers.layer(r, "GRU", recurrent + tail + [P("proj_size", .int(0))], doc: "Gated recurrent unit; returns (output, h_n).") { a in
            try GRU(try a.int(0), try a.int(1), numLayers: try a.int(2), bias: TV.bool(a[3]), batchFirst: TV.bool(a[4]),
                    dropout: try a.double(5), bidirectional: TV.bool(a[6]), projSize: try a.int(7))
        }
        NNLayers.layer(r, "RNNCell", [P("input_size"), P("hidden_size"), P("bias", .bool(true)), P("nonlinearity", .str("tanh"))],
                       doc: "One step of an Elman RNN: returns h'.") { a in
            try RNNCell(try a.int(0), try a.int(1), bias: TV.bool(a[2]), nonlinearity: try Convert.string(a[3], what: "nonlinearity", in: "RNNCell"))
        }
        NNLayers.layer(r, "LSTMCell", [P("input_size"), P("hidden_size"), P("bias", .bool(true))], doc: "One LSTM step: returns (h', c').") { a in
            try LSTMCell(try a.int(0), try a.int(1), bias: TV.bool(a[2]))
        }
        NNLayers.layer(r, "GRUCell", [P("input_size"), P("hidden_size"), P("bias", .bool(true))], doc: "One GRU step: returns h'.") { a in
            try GRUCell(try a.int(0), try a.int(1), bias: TV.bool(a[2]))
        }
        NNLayers.layer(r, "MultiheadAttention", [P("embed_dim"), P("num_heads"), P("dropout", .float(0)), P("bias", .bool(true)),
                                                 P("add_bias_kv", .bool(false)), P("add_zero_attn", .bool(false)), P("kdim", .none),
                                                 P("vdim", .none), P("batch_first", .bool(false))],
                       doc: "Attention over num_heads heads; called as (query, key, value), returns (attn_output, attn_weights).") { a in
            let n = "MultiheadAttention"
            for (i, name) in [(4, "add_bias_kv"), (5, "add_zero_attn")] where TV.bool(a[i]) {
                throw LangError(.NotImplementedError, "nn.MultiheadAttention(\(name)=True) is not available in Tensorpad")
            }
            let e = try a.int(0), h = try a.int(1)
            if e > 0 && h > 0 && (e / h) * h != e { throw LangError(.AssertionError, "embed_dim must be divisible by num_heads") }
            return try MultiheadAttention(e, h, dropout: try a.double(2), bias: TV.bool(a[3]),
                                          kdim: try TV.optionalInt(a[6], "kdim", in: n), vdim: try TV.optionalInt(a[7], "vdim", in: n),
                                          batchFirst: TV.bool(a[8]))
        }
        NNLayers.layer(r, "ConvTranspose1d", [P("in_channels"), P("out_channels"), P("kernel_size"), P("stride", .int(1)), P("padding", .int(0)),
                                              P("output_padding", .int(0)), P("groups", .int(1)), P("bias", .bool(true)), P("dilation", .int(1)),
                                              P("padding_mode", .str("zeros"))],
                       doc: "1-D transposed convolution (the gradient of Conv1d with respect to its input).") { a in
            let n = "ConvTranspose1d"
            return try ConvTranspose1d(try a.int(0), try a.int(1), kernelSize: try TV.intOrTuple(a[2], "kernel_size", in: n),
                                       stride: try TV.intOrTuple(a[3], "stride", in: n), padding: try TV.intOrTuple(a[4], "padding", in: n),
                                       outputPadding: try TV.intOrTuple(a[5], "output_padding", in: n), groups: try a.int(6),
                                       bias: TV.bool(a[7]), dilation: try TV.intOrTuple(a[8], "dilation", in: n),
                                       paddingMode: try Convert.string(a[9], what: "padding_mode", in: n))
        }
        installFunctional(r)
        installPadSequence(r)
        PackedSequenceBindings.install(r)
    }

    static func installFunctional(_ r: Registry) {
        FunctionalBindings.fn(r, "conv_transpose1d", [P("input"), P("weight"), P("bias", .none), P("stride", .int(1)), P("padding", .int(0)),
                                                      P("output_padding", .int(0)), P("groups", .int(1)), P("dilation", .int(1))],
                              doc: "1-D transposed convolution.") { a in
            let n = "conv_transpose1d"
            return .tensor(try Functional.convTranspose1d(try TV.tensor(a[0], "input", in: n), try TV.tensor(a[1], "weight", in: n),
                                                          try TV.optionalTensor(a[2], "bias", in: n),
                                                          stride: try TV.ints(a[3], "stride", in: n), padding: try TV.ints(a[4], "padding", in: n),
                                                          outputPadding: try TV.ints(a[5], "output_padding", in: n), groups: try a.int(6),
                                                          dilation: try TV.ints(a[7], "dilation", in: n)))
        }
        FunctionalBindings.fn(r, "scaled_dot_product_attention", [P("query"), P("key"), P("value"), P("attn_mask", .none), P("dropout_p", .float(0)),
                                                                  P("is_causal", .bool(false)), P("scale", .none), P("enable_gqa", .bool(false))],
                              doc: "softmax(q kᵀ · scale + mask) v; a boolean mask keeps the places that are True.") { a in
            let n = "scaled_dot_product_attention"
            guard !TV.bool(a[7]) else { throw LangError(.NotImplementedError, "scaled_dot_product_attention(enable_gqa=True) is not available in Tensorpad") }
            return .tensor(try Functional.scaledDotProductAttention(
                try TV.tensor(a[0], "query", in: n), try TV.tensor(a[1], "key", in: n), try TV.tensor(a[2], "value", in: n),
                attnMask: try TV.optionalTensor(a[3], "attn_mask", in: n), dropoutP: try a.double(4), isCausal: TV.bool(a[5]),
                scale: try TV.optionalDouble(a[6], "scale", in: n)))
        }
    }

    /// `nn.utils.rnn.pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side='right')`:
    /// tensors (L_i, *) padded to the longest and stacked, differentiably.
    static func installPadSequence(_ r: Registry) {
        let n = "pad_sequence"
        r.register(path: "torch.nn.utils.rnn.pad_sequence",
                   signature: Signature(n, [P("sequences"), P("batch_first", .bool(false)), P("padding_value", .float(0)),
                                            P("padding_side", .str("right"))],
                                        doc: "Pads tensors of different lengths (L_i, *) to the longest and stacks them: (L, B, *) or (B, L, *).")) { a in
            let items: [Value]
            switch a[0] {
            case .list(let l): items = l.items
            case .tuple(let t): items = t
            case .tensor(let t): items = try (0..<(t.rank > 0 ? t.shape[0] : 0)).map { .tensor(try Functional.select(t, dim: 0, index: $0)) }
            default: throw typeError("pad_sequence(): argument 'sequences' must be a list of tensors, not \(a[0].typeName)")
            }
            let seqs = try items.map { try TV.tensor($0, "sequences", in: n) }
            guard let first = seqs.first else { throw LangError(.RuntimeError, "received an empty list of sequences") }
            let side = try Convert.string(a[3], what: "padding_side", in: n)
            guard side == "right" || side == "left" else {
                throw valueError("Expected padding_side to be one of left or right, but got \(side).")
            }
            let trailing = Array(first.shape.dropFirst())
            for t in seqs {
                guard t.rank > 0 else { throw LangError(.IndexError, "Dimension specified as 0 but tensor has no dimensions") }
                let other = Array(t.shape.dropFirst())
                if other != trailing, let k = (0..<Swift.min(other.count, trailing.count)).first(where: { trailing[$0] != other[$0] }) {
                    throw LangError(.RuntimeError, "The size of tensor a (\(trailing[k])) must match the size of tensor b (\(other[k])) at non-singleton dimension \(k + 1)")
                }
                guard other.count == trailing.count else {
                    throw LangError(.RuntimeError, "The expanded size of the tensor must match the existing size in pad_sequence (got \(Shape.describe(t.shape)) after \(Shape.describe(first.shape)))")
                }
            }
            let longest = seqs.map { $0.shape[0] }.max() ?? 0
            let value = try a.double(2)
            let padded = try seqs.map { t -> Tensor in
                var pads = [Int](repeating: 0, count: 2 * t.rank)
                let missing = longest - t.shape[0]
                pads[2 * t.rank - (side == "right" ? 1 : 2)] = missing
                return missing == 0 ? t : try Functional.pad(t, pads, value: value)
            }
            return .tensor(Functional.named(try Functional.stack(padded, dim: TV.bool(a[1]) ? 0 : 1), "CopySlices"))
        }
    }

    /// Binds a layer's forward arguments to `params` (Python's messages for missing or unexpected ones).
    static func bind(_ name: String, _ params: [Param], _ args: Arguments) throws -> [Value] {
        let sig = Signature("forward", params)
        var slots = [Value?](repeating: nil, count: sig.slotCount)
        do { try Binder.bind(sig, args, into: &slots) } catch var e as LangError {
            e.message = e.message.replacingOccurrences(of: "forward()", with: "\(name).forward()")
            throw e
        }
        return slots.map { $0 ?? .none }
    }

    /// `hx` of an LSTM: a tuple (or list) of two tensors.
    static func pair(_ v: Value, in fn: String) throws -> (Tensor, Tensor)? {
        let items: [Value]
        switch v {
        case .none: return nil
        case .tuple(let t): items = t
        case .list(let l): items = l.items
        default: throw typeError("\(fn).forward(): hx must be a tuple (h_0, c_0), not \(v.typeName)")
        }
        guard items.count == 2 else { throw valueError("too many values to unpack (expected 2)") }
        return (try TV.tensor(items[0], "h_0", in: fn), try TV.tensor(items[1], "c_0", in: fn))
    }

    /// A call of one of these layers, or nil for other modules.
    static func call(_ m: Module, _ args: Arguments) throws -> Value? {
        switch m {
        case let rnn as RNNBase:
            let a = try bind(rnn.typeName, [P("input"), P("hx", .none)], args)
            // A PackedSequence runs as its padded (T, B, *) tensor with each sequence's length.
            var packed: PackedSequence?
            if case .object(let o) = a[0], let p = o as? PackedSequence { packed = p }
            let x = try packed.map { rnn.batchFirst ? try Functional.transpose($0.padded, 0, 1) : $0.padded }
                ?? TV.tensor(a[0], "input", in: rnn.typeName)
            func output(_ y: Tensor) throws -> Value {
                guard let packed else { return .tensor(y) }
                return .object(try packed.with(rnn.batchFirst ? try Functional.transpose(y, 0, 1) : y))
            }
            if rnn.mode == .lstm {
                let hx = try pair(a[1], in: rnn.typeName)
                let out = try rnn.observed([x] + (hx.map { [$0.0, $0.1] } ?? [])) {
                    let (y, h, c) = try rnn.run(x, h0: hx?.0, c0: hx?.1, lengths: packed?.lengths)
                    return [y, h] + (c.map { [$0] } ?? [])
                }
                guard out.count == 3 else { return nil }
                return .tuple([try output(out[0]), .tuple([.tensor(out[1]), .tensor(out[2])])])
            }
            let h0 = try TV.optionalTensor(a[1], "hx", in: rnn.typeName)
            let out = try rnn.observed([x] + (h0.map { [$0] } ?? [])) {
                let (y, h, _) = try rnn.run(x, h0: h0, c0: nil, lengths: packed?.lengths)
                return [y, h]
            }
            guard out.count == 2 else { return nil }
            return .tuple([try output(out[0]), .tensor(out[1])])
        case let cell as RNNCellBase:
            let a = try bind(cell.typeName, [P("input"), P("hx", .none)], args)
            let x = try TV.tensor(a[0], "input", in: cell.typeName)
            let hx: (Tensor, Tensor?)? = cell.mode == .lstm ? try pair(a[1], in: cell.typeName).map { ($0.0, $0.1) }
                                                            : try TV.optionalTensor(a[1], "hx", in: cell.typeName).map { ($0, nil) }
            let out = try cell.observed([x] + (hx.map { [$0.0] + ($0.1.map { [$0] } ?? []) } ?? [])) {
                let (h, c) = try cell.step(x, h0: hx?.0, c0: hx?.1)
                return [h] + (c.map { [$0] } ?? [])
            }
            return out.count == 1 ? .tensor(out[0]) : .tuple(out.map { .tensor($0) })
        case let mha as MultiheadAttention:
            let n = "MultiheadAttention"
            let a = try bind(n, [P("query"), P("key"), P("value"), P("key_padding_mask", .none), P("need_weights", .bool(true)),
                                 P("attn_mask", .none), P("average_attn_weights", .bool(true)), P("is_causal", .bool(false))], args)
            let q = try TV.tensor(a[0], "query", in: n), k = try TV.tensor(a[1], "key", in: n), v = try TV.tensor(a[2], "value", in: n)
            let kpm = try TV.optionalTensor(a[3], "key_padding_mask", in: n), mask = try TV.optionalTensor(a[5], "attn_mask", in: n)
            let needWeights = TV.bool(a[4])
            let out = try mha.observed([q, k, v]) {
                let (y, w) = try mha.attend(q, k, v, keyPaddingMask: kpm, needWeights: needWeights, attnMask: mask,
                                            averageWeights: TV.bool(a[6]), isCausal: TV.bool(a[7]))
                return [y] + (w.map { [$0] } ?? [])
            }
            return .tuple([.tensor(out[0]), out.count > 1 ? .tensor(out[1]) : .none])
        default:
            return nil
        }
    }
}
