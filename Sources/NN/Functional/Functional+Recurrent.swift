import TensorCore

/// The recurrent cell kinds of `nn.RNN` (tanh or relu), `nn.LSTM` and `nn.GRU`.
public enum RecurrentMode: String, Sendable {
    case rnnTanh = "RNN_TANH", rnnRelu = "RNN_RELU", lstm = "LSTM", gru = "GRU"

    /// How many gate blocks of `hidden_size` rows W_ih and W_hh stack.
    public var gates: Int {
        switch self {
        case .lstm: return 4
        case .gru: return 3
        case .rnnTanh, .rnnRelu: return 1
        }
    }
}

/// One direction of one layer: `weight_ih`, `weight_hh`, the optional biases and
/// (LSTM with `proj_size`) `weight_hr`.
public struct RecurrentWeights {
    public let ih: Tensor, hh: Tensor, biasIH: Tensor?, biasHH: Tensor?, hr: Tensor?
    public init(ih: Tensor, hh: Tensor, biasIH: Tensor?, biasHH: Tensor?, hr: Tensor? = nil) {
        self.ih = ih; self.hh = hh; self.biasIH = biasIH; self.biasHH = biasHH; self.hr = hr
    }
}

/// Recurrent cells and whole sequences, composed of differentiable ops (linear,
/// sigmoid, tanh, mul, add, stack, cat): their gradients come from the parts.
/// The formulas and gate order are PyTorch's (aten/src/ATen/native/RNN.cpp):
/// LSTM gates i, f, g, o; GRU gates r, z, n with `h' = (h - n) * z + n`.
extension Functional {
    /// One step given the input's projection `gi = x W_ihᵀ + b_ih` (N, gates·H).
    /// Returns the new hidden state and (LSTM) the new cell state.
    static func recurrentStep(_ mode: RecurrentMode, gi: Tensor, h: Tensor, c: Tensor?,
                              _ w: RecurrentWeights) throws -> (Tensor, Tensor?) {
        let gh = try linear(h, w.hh, w.biasHH)
        let hs = w.hh.shape[0] / mode.gates
        func chunk(_ t: Tensor, _ k: Int) throws -> Tensor { try narrow(t, dim: 1, start: k * hs, length: hs) }
        switch mode {
        case .rnnTanh: return (try tanh(try add(gi, gh)), nil)
        case .rnnRelu: return (try relu(try add(gi, gh)), nil)
        case .lstm:
            guard let c else { throw TensorError.runtime("LSTM needs a cell state") }
            let gates = try add(gi, gh)
            let i = try sigmoid(try chunk(gates, 0)), f = try sigmoid(try chunk(gates, 1))
            let g = try tanh(try chunk(gates, 2)), o = try sigmoid(try chunk(gates, 3))
            let c2 = try add(try mul(f, c), try mul(i, g))
            var h2 = try mul(o, try tanh(c2))
            if let hr = w.hr { h2 = try linear(h2, hr, nil) }
            return (h2, c2)
        case .gru:
            let r = try sigmoid(try add(try chunk(gi, 0), try chunk(gh, 0)))
            let z = try sigmoid(try add(try chunk(gi, 1), try chunk(gh, 1)))
            let n = try tanh(try add(try chunk(gi, 2), try mul(try chunk(gh, 2), r)))
            return (try add(try mul(try sub(h, n), z), n), nil)
        }
    }

    /// `_VF.rnn_tanh_cell` / `lstm_cell` / `gru_cell` on batched (N, H_in) input with
    /// PyTorch's size checks.
    public static func recurrentCell(_ mode: RecurrentMode, _ x: Tensor, h: Tensor, c: Tensor?,
                                     _ w: RecurrentWeights) throws -> (Tensor, Tensor?) {
        let inputSize = w.ih.shape[1], hiddenSize = w.hh.shape[1]
        guard x.rank == 2, x.shape[1] == inputSize else {
            throw TensorError.runtime("input has inconsistent input_size: got \(x.rank == 2 ? x.shape[1] : 0) expected \(inputSize)")
        }
        for (k, t) in ([h] + (c.map { [$0] } ?? [])).enumerated() {
            let batch = t.rank >= 1 ? t.shape[0] : 1, size = t.rank >= 2 ? t.shape[1] : 1
            guard batch == x.shape[0] else {
                throw TensorError.runtime("Input batch size \(x.shape[0]) doesn't match hidden\(k) batch size \(batch)")
            }
            guard t.rank == 2, size == hiddenSize else {
                throw TensorError.runtime("hidden\(k) has inconsistent hidden_size: got \(size), expected \(hiddenSize)")
            }
        }
        return try recurrentStep(mode, gi: try linear(x, w.ih, w.biasIH), h: h, c: c, w)
    }

    /// A whole sequence through every layer and direction (`_VF.lstm` and friends),
    /// time-major: `x` (L, N, H_in), `h0` and `c0` (layers·D, N, H). `weights` holds one
    /// entry per layer and direction in PyTorch's order (l0, l0_reverse, l1, ...).
    /// Dropout (training only) goes between layers, not after the last.
    /// Returns the last layer's outputs (L, N, D·H_out), h_n and (LSTM) c_n.
    public static func recurrent(_ mode: RecurrentMode, _ x: Tensor, h0: Tensor, c0: Tensor?,
                                 weights: [RecurrentWeights], layers: Int, bidirectional: Bool,
                                 dropout p: Double = 0, training: Bool = false, lengths: [Int]? = nil) throws -> (Tensor, Tensor, Tensor?) {
        let dirs = bidirectional ? 2 : 1
        guard weights.count == layers * dirs, x.rank == 3 else {
            throw TensorError.runtime("recurrent: expected \(layers * dirs) weight sets and a 3-D input")
        }
        let steps = x.shape[0]
        var input = x
        // Packed sequences: sequence b takes part in steps t < lengths[b]; elsewhere its state
        // is carried unchanged and its output is zero (as PyTorch's packed kernels leave it).
        let masks: [Tensor]? = try lengths.map { lens in
            guard lens.count == x.shape[1] else {
                throw TensorError.runtime("Expected \(x.shape[1]) sequence lengths, got \(lens.count)")
            }
            return try (0..<steps).map { t in try Tensor(bools: lens.map { t < $0 }, shape: [lens.count, 1]) }
        }
        var hn: [Tensor] = [], cn: [Tensor] = []
        for layer in 0..<layers {
            var outs: [Tensor] = []
            for d in 0..<dirs {
                let k = layer * dirs + d, w = weights[k]
                var h = try select(h0, dim: 0, index: k)
                var c = try c0.map { try select($0, dim: 0, index: k) }
                var seq = [Tensor?](repeating: nil, count: steps)
                for s in 0..<steps {
                    let t = d == 0 ? s : steps - 1 - s
                    // One input step at a time: its gradient is padded back to the input's size,
                    // which is smaller than the gates' (cheaper than slicing a whole-sequence projection).
                    let gi = try linear(try select(input, dim: 0, index: t), w.ih, w.biasIH)
                    let (h2, c2) = try recurrentStep(mode, gi: gi, h: h, c: c, w)
                    if let m = masks?[t] {
                        h = try `where`(m, h2, h)
                        if let c2, let c0 = c { c = try `where`(m, c2, c0) }
                        seq[t] = try `where`(m, h2, Tensor.scalar(0, dtype: h2.dtype))
                    } else {
                        (h, c) = (h2, c2)
                        seq[t] = h
                    }
                }
                outs.append(steps == 0 ? try Tensor.zeros([0] + h.shape) : try stack(seq.compactMap { $0 }, dim: 0))
                hn.append(h)
                if let c { cn.append(c) }
            }
            input = dirs == 1 ? outs[0] : try cat(outs, dim: 2)
            if p > 0 && training && layer < layers - 1 { input = try dropout(input, p: p, training: true) }
        }
        return (input, try stack(hn, dim: 0), cn.isEmpty ? nil : try stack(cn, dim: 0))
    }
}
