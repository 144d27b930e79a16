import TensorCore

/// k·n, or the MemoryError PyTorch's allocator would raise when it overflows.
func checkedProduct(_ k: Int, _ n: Int) throws -> Int {
    let (r, overflow) = k.multipliedReportingOverflow(by: n)
    if overflow { throw TensorError.memory(bytes: Int.max, limit: Storage.limitBytes) }
    return r
}

/// `nn.RNN`, `nn.LSTM` and `nn.GRU` (PyTorch's `RNNBase`): parameters named
/// `weight_ih_l{k}[_reverse]`, `weight_hh_l…`, `bias_ih_l…`, `bias_hh_l…` (and
/// `weight_hr_l…` with `proj_size`), all drawn from U(±1/√hidden_size) in
/// `parameters()` order on the default generator, as `reset_parameters` does.
public class RNNBase: Module {
    public let mode: RecurrentMode
    public let inputSize: Int, hiddenSize: Int, numLayers: Int, hasBias: Bool, batchFirst: Bool
    public let dropout: Double, bidirectional: Bool, projSize: Int

    init(mode: RecurrentMode, inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bias: Bool = true,
         batchFirst: Bool = false, dropout: Double = 0, bidirectional: Bool = false, projSize: Int = 0) throws {
        guard dropout >= 0 && dropout <= 1 else {
            throw TensorError.value("dropout should be a number in range [0, 1] representing the probability of an element being zeroed")
        }
        guard hiddenSize > 0 else { throw TensorError.value("hidden_size must be greater than zero") }
        guard numLayers > 0 else { throw TensorError.value("num_layers must be greater than zero") }
        guard projSize >= 0 else { throw TensorError.value("proj_size should be a positive integer or zero to disable projections") }
        guard projSize < hiddenSize else { throw TensorError.value("proj_size has to be smaller than hidden_size") }
        guard projSize == 0 || mode == .lstm else { throw TensorError.value("proj_size argument is only supported for LSTM, not RNN or GRU") }
        guard inputSize >= 0 else {
            throw TensorError.runtime("Trying to create tensor with negative dimension \(inputSize): [\((try? checkedProduct(mode.gates, hiddenSize)) ?? hiddenSize), \(inputSize)]")
        }
        self.mode = mode; self.inputSize = inputSize; self.hiddenSize = hiddenSize; self.numLayers = numLayers
        self.hasBias = bias; self.batchFirst = batchFirst; self.dropout = dropout
        self.bidirectional = bidirectional; self.projSize = projSize
        super.init()
        let dirs = bidirectional ? 2 : 1, out = projSize > 0 ? projSize : hiddenSize, g = try checkedProduct(mode.gates, hiddenSize)
        let upper = try checkedProduct(out, dirs)
        for layer in 0..<numLayers {
            for d in 0..<dirs {
                let sfx = "_l\(layer)" + (d == 1 ? "_reverse" : "")
                registerParameter("weight_ih" + sfx, try Tensor.zeros([g, layer == 0 ? inputSize : upper]))
                registerParameter("weight_hh" + sfx, try Tensor.zeros([g, out]))
                if bias {
                    registerParameter("bias_ih" + sfx, try Tensor.zeros([g]))
                    registerParameter("bias_hh" + sfx, try Tensor.zeros([g]))
                }
                if projSize > 0 { registerParameter("weight_hr" + sfx, try Tensor.zeros([projSize, hiddenSize])) }
            }
        }
        let bound = 1 / Double(hiddenSize).squareRoot()
        for p in parameters() { try Init.uniform_(p, a: -bound, b: bound) }
    }

    /// `nonlinearity` of nn.RNN ('tanh' or 'relu').
    public var nonlinearity: String { mode == .rnnRelu ? "relu" : "tanh" }

    public override var typeName: String {
        switch mode {
        case .lstm: return "LSTM"
        case .gru: return "GRU"
        case .rnnTanh, .rnnRelu: return "RNN"
        }
    }

    public override func extraRepr() -> String {
        var s = "\(inputSize), \(hiddenSize)"
        if projSize != 0 { s += ", proj_size=\(projSize)" }
        if numLayers != 1 { s += ", num_layers=\(numLayers)" }
        if !hasBias { s += ", bias=False" }
        if batchFirst { s += ", batch_first=True" }
        if dropout != 0 { s += ", dropout=\(PyFormat.float(dropout))" }
        if bidirectional { s += ", bidirectional=True" }
        return s
    }

    /// One entry per layer and direction, in PyTorch's order.
    func weightSets() throws -> [RecurrentWeights] {
        var out: [RecurrentWeights] = []
        for layer in 0..<numLayers {
            for d in 0..<(bidirectional ? 2 : 1) {
                let sfx = "_l\(layer)" + (d == 1 ? "_reverse" : "")
                guard let ih = parameter("weight_ih" + sfx), let hh = parameter("weight_hh" + sfx) else {
                    throw TensorError.type("\(typeName) has no weight_ih\(sfx)")
                }
                out.append(RecurrentWeights(ih: ih, hh: hh, biasIH: parameter("bias_ih" + sfx),
                                            biasHH: parameter("bias_hh" + sfx), hr: parameter("weight_hr" + sfx)))
            }
        }
        return out
    }

    /// `forward(input, hx=None)`: `hx` is h0 (RNN, GRU) or h0 and c0 (LSTM), each
    /// (layers·D, N, H) or, for unbatched 2-D input, (layers·D, H). Returns the
    /// output, h_n and (LSTM) c_n, with PyTorch's checks and messages.
    public func run(_ input: Tensor, h0: Tensor?, c0: Tensor?, lengths: [Int]? = nil) throws -> (Tensor, Tensor, Tensor?) {
        guard input.rank == 2 || input.rank == 3 else {
            throw TensorError.value("\(typeName): Expected input to be 2D or 3D, got \(input.rank)D instead")
        }
        let batched = input.rank == 3
        let batchDim = batchFirst ? 0 : 1
        var x = batched ? input : try Functional.unsqueeze(input, batchDim)
        if batchFirst { x = try Functional.transpose(x, 0, 1) }
        let dirs = bidirectional ? 2 : 1, n = x.shape[1], out = projSize > 0 ? projSize : hiddenSize
        var h = h0, c = c0
        if mode == .lstm, (h == nil) != (c == nil) { throw TensorError.type("LSTM: hx must be a tuple of two tensors (h_0, c_0)") }
        if let hh = h {
            let ranks = [hh.rank] + (c.map { [$0.rank] } ?? [])
            let want = batched ? 3 : 2
            if ranks.contains(where: { $0 != want }) {
                let what = batched ? "For batched 3-D input" : "For unbatched 2-D input"
                if mode == .lstm {
                    throw TensorError.runtime("\(what), hx and cx should also be \(want)-D but got (\(ranks[0])-D, \(ranks[1])-D) tensors")
                }
                throw TensorError.runtime("\(what), hx should also be \(want)-D but got \(hh.rank)-D tensor")
            }
            if !batched { h = try Functional.unsqueeze(hh, 1); c = try c.map { try Functional.unsqueeze($0, 1) } }
        }
        guard x.shape[2] == inputSize else {
            throw TensorError.runtime("input.size(-1) must be equal to input_size. Expected \(inputSize), got \(x.shape[2])")
        }
        let wantH = [numLayers * dirs, n, out], wantC = [numLayers * dirs, n, hiddenSize]
        let hName = mode == .lstm ? "hidden[0]" : "hidden"
        if let hh = h, hh.shape != wantH {
            throw TensorError.runtime("Expected \(hName) size \(PyFormat.tuple(wantH)), got \(Shape.describe(hh.shape))")
        }
        if let cc = c, cc.shape != wantC {
            throw TensorError.runtime("Expected hidden[1] size \(PyFormat.tuple(wantC)), got \(Shape.describe(cc.shape))")
        }
        let hStart = try h ?? Tensor.zeros(wantH, dtype: x.dtype)
        let cStart = mode == .lstm ? try c ?? Tensor.zeros(wantC, dtype: x.dtype) : nil
        var (y, hn, cn) = try Functional.recurrent(mode, x, h0: hStart, c0: cStart, weights: try weightSets(),
                                                   layers: numLayers, bidirectional: bidirectional,
                                                   dropout: dropout, training: training, lengths: lengths)
        if batchFirst { y = try Functional.transpose(y, 0, 1) }
        if !batched {
            y = try Functional.squeeze(y, dims: [batchDim])
            hn = try Functional.squeeze(hn, dims: [1])
            cn = try cn.map { try Functional.squeeze($0, dims: [1]) }
        }
        return (y, hn, cn)
    }

    /// Inputs `[x]`, `[x, h0]` or (LSTM) `[x, h0, c0]`; outputs `[output, h_n]` or `[output, h_n, c_n]`.
    public override func forward(inputs: [Tensor], outputSize: [Int]? = nil) throws -> [Tensor] {
        guard inputs.count >= 1 && inputs.count <= (mode == .lstm ? 3 : 2) else {
            throw TensorError.type("\(typeName).forward() takes from 2 to 3 positional arguments but \(inputs.count + 1) were given")
        }
        let (y, h, c) = try run(inputs[0], h0: inputs.count > 1 ? inputs[1] : nil, c0: inputs.count > 2 ? inputs[2] : nil)
        return [y, h] + (c.map { [$0] } ?? [])
    }

    /// A recurrent layer returns a tuple, which a container (`nn.Sequential`) would hand on
    /// whole to the next layer, as PyTorch does, where it fails: say so here.
    public override func forward(_ input: Tensor) throws -> Tensor {
        throw TensorError.type("\(typeName) returns a tuple \(mode == .lstm ? "(output, (h_n, c_n))" : "(output, h_n)"), not a tensor, so nn.Sequential cannot hand it to the next layer; call it in your Module's forward and unpack it")
    }
}

/// `nn.RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True,
/// batch_first=False, dropout=0.0, bidirectional=False)` (proj_size must stay 0).
public final class RNN: RNNBase {
    public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, nonlinearity: String = "tanh", bias: Bool = true,
                batchFirst: Bool = false, dropout: Double = 0, bidirectional: Bool = false, projSize: Int = 0) throws {
        let mode: RecurrentMode
        switch nonlinearity {
        case "tanh": mode = .rnnTanh
        case "relu": mode = .rnnRelu
        default: throw TensorError.value("Unknown nonlinearity '\(nonlinearity)'. Select from 'tanh' or 'relu'.")
        }
        try super.init(mode: mode, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
                       batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, projSize: projSize)
    }
}

/// `nn.LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
/// dropout=0.0, bidirectional=False, proj_size=0)`.
public final class LSTM: RNNBase {
    public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
                dropout: Double = 0, bidirectional: Bool = false, projSize: Int = 0) throws {
        try super.init(mode: .lstm, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
                       batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, projSize: projSize)
    }
}

/// `nn.GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
/// dropout=0.0, bidirectional=False)`.
public final class GRU: RNNBase {
    public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
                dropout: Double = 0, bidirectional: Bool = false, projSize: Int = 0) throws {
        try super.init(mode: .gru, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
                       batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, projSize: projSize)
    }
}

/// `nn.RNNCell`, `nn.LSTMCell`, `nn.GRUCell` (PyTorch's `RNNCellBase`): one step,
/// parameters `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh` from U(±1/√hidden_size).
public class RNNCellBase: Module {
    public let mode: RecurrentMode, inputSize: Int, hiddenSize: Int, hasBias: Bool

    init(mode: RecurrentMode, inputSize: Int, hiddenSize: Int, bias: Bool) throws {
        guard inputSize >= 0, hiddenSize >= 0 else {
            throw TensorError.runtime("Trying to create tensor with negative dimension \(min(inputSize, hiddenSize)): [\((try? checkedProduct(mode.gates, hiddenSize)) ?? hiddenSize), \(inputSize)]")
        }
        self.mode = mode; self.inputSize = inputSize; self.hiddenSize = hiddenSize; self.hasBias = bias
        super.init()
        let g = try checkedProduct(mode.gates, hiddenSize)
        registerParameter("weight_ih", try Tensor.zeros([g, inputSize]))
        registerParameter("weight_hh", try Tensor.zeros([g, hiddenSize]))
        if bias {
            registerParameter("bias_ih", try Tensor.zeros([g]))
            registerParameter("bias_hh", try Tensor.zeros([g]))
        }
        let bound = hiddenSize > 0 ? 1 / Double(hiddenSize).squareRoot() : 0
        for p in parameters() { try Init.uniform_(p, a: -bound, b: bound) }
    }

    public var nonlinearity: String { mode == .rnnRelu ? "relu" : "tanh" }

    public override var typeName: String {
        switch mode {
        case .lstm: return "LSTMCell"
        case .gru: return "GRUCell"
        case .rnnTanh, .rnnRelu: return "RNNCell"
        }
    }

    public override func extraRepr() -> String {
        var s = "\(inputSize), \(hiddenSize)"
        if !hasBias { s += ", bias=False" }
        if mode == .rnnRelu { s += ", nonlinearity=relu" }
        return s
    }

    /// `forward(input, hx=None)` on (N, H_in) or unbatched (H_in) input: h' and (LSTMCell) c'.
    public func step(_ input: Tensor, h0: Tensor?, c0: Tensor?) throws -> (Tensor, Tensor?) {
        guard input.rank == 1 || input.rank == 2 else {
            throw TensorError.value("\(typeName): Expected input to be 1D or 2D, got \(input.rank)D instead")
        }
        for t in [h0, c0].compactMap({ $0 }) where t.rank != 1 && t.rank != 2 {
            throw TensorError.value("\(typeName): Expected \(mode == .lstm ? "hx[0]" : "hidden") to be 1D or 2D, got \(t.rank)D instead")
        }
        if mode == .lstm, (h0 == nil) != (c0 == nil) { throw TensorError.type("LSTMCell: hx must be a tuple of two tensors (h_0, c_0)") }
        let batched = input.rank == 2
        let x = batched ? input : try Functional.unsqueeze(input, 0)
        func state(_ t: Tensor?) throws -> Tensor {
            guard let t else { return try Tensor.zeros([x.shape[0], hiddenSize], dtype: x.dtype) }
            return batched ? t : try Functional.unsqueeze(t, 0)
        }
        guard let ih = parameter("weight_ih"), let hh = parameter("weight_hh") else { throw TensorError.type("\(typeName) has no weight_ih") }
        let w = RecurrentWeights(ih: ih, hh: hh, biasIH: parameter("bias_ih"), biasHH: parameter("bias_hh"))
        var (h, c) = try Functional.recurrentCell(mode, x, h: try state(h0), c: mode == .lstm ? try state(c0) : nil, w)
        if !batched {
            h = try Functional.squeeze(h, dims: [0])
            c = try c.map { try Functional.squeeze($0, dims: [0]) }
        }
        return (h, c)
    }

    /// Inputs `[x]`, `[x, h]` or (LSTMCell) `[x, h, c]`; outputs `[h']` or `[h', c']`.
    public override func forward(inputs: [Tensor], outputSize: [Int]? = nil) throws -> [Tensor] {
        guard inputs.count >= 1 && inputs.count <= (mode == .lstm ? 3 : 2) else {
            throw TensorError.type("\(typeName).forward() takes from 2 to 3 positional arguments but \(inputs.count + 1) were given")
        }
        let (h, c) = try step(inputs[0], h0: inputs.count > 1 ? inputs[1] : nil, c0: inputs.count > 2 ? inputs[2] : nil)
        return [h] + (c.map { [$0] } ?? [])
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard mode != .lstm else {
            throw TensorError.type("LSTMCell returns a tuple (h_1, c_1), not a tensor, so nn.Sequential cannot hand it to the next layer; call it in your Module's forward and unpack it")
        }
        return try step(input, h0: nil, c0: nil).0
    }
}

/// `nn.RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh')`.
public final class RNNCell: RNNCellBase {
    public init(_ inputSize: Int, _ hiddenSize: Int, bias: Bool = true, nonlinearity: String = "tanh") throws {
        let mode: RecurrentMode
        switch nonlinearity {
        case "tanh": mode = .rnnTanh
        case "relu": mode = .rnnRelu
        default: throw TensorError.runtime("Unknown nonlinearity: \(nonlinearity)")
        }
        try super.init(mode: mode, inputSize: inputSize, hiddenSize: hiddenSize, bias: bias)
    }
}

/// `nn.LSTMCell(input_size, hidden_size, bias=True)`.
public final class LSTMCell: RNNCellBase {
    public init(_ inputSize: Int, _ hiddenSize: Int, bias: Bool = true) throws {
        try super.init(mode: .lstm, inputSize: inputSize, hiddenSize: hiddenSize, bias: bias)
    }
}

/// `nn.GRUCell(input_size, hidden_size, bias=True)`.
public final class GRUCell: RNNCellBase {
    public init(_ inputSize: Int, _ hiddenSize: Int, bias: Bool = true) throws {
        try super.init(mode: .gru, inputSize: inputSize, hiddenSize: hiddenSize, bias: bias)
    }
}
