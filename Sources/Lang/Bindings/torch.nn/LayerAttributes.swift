import TensorCore
import NN

/// Hyper-parameters of layers as PyTorch exposes them (`conv.kernel_size`
/// is a tuple, `pool.kernel_size` as given, `fc.in_features`, ...).
enum LayerAttributes {
    static func tuple(_ v: [Int]) -> Value { .tuple(v.map { .int($0) }) }
    static func given(_ v: IntOrTuple) -> Value {
        switch v { case .int(let i): return .int(i); case .tuple(let t): return tuple(t) }
    }

    /// Every name `value` may answer (each layer answers some), for completion.
    static let names = ["in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups",
                        "output_padding", "padding_mode", "in_features", "out_features", "ceil_mode", "return_indices",
                        "count_include_pad", "divisor_override", "num_features", "eps", "momentum", "affine",
                        "track_running_stats", "input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout",
                        "bidirectional", "proj_size", "nonlinearity", "mode", "embed_dim", "num_heads", "head_dim", "kdim", "vdim"]

    static func value(_ m: Module, _ name: String) -> Value? {
        switch m {
        case let c as ConvNd:
            switch name {
            case "in_channels": return .int(c.inChannels)
            case "out_channels": return .int(c.outChannels)
            case "kernel_size": return tuple(c.kernelSize)
            case "stride": return tuple(c.stride)
            case "dilation": return tuple(c.dilation)
            case "groups": return .int(c.groups)
            case "output_padding": return tuple(c.outputPadding)
            case "padding_mode": return .str(c.paddingMode.rawValue)
            case "padding":
                switch c.padding {
                case .same: return .str("same")
                case .valid: return .str("valid")
                case .sizes: return tuple(c.paddingAmounts)
                }
            default: return nil
            }
        case let l as Linear:
            switch name {
            case "in_features": return .int(l.inFeatures)
            case "out_features": return .int(l.outFeatures)
            default: return nil
            }
        case let p as MaxPool2d:
            switch name {
            case "kernel_size": return given(p.kernelSize)
            case "stride": return given(p.stride)
            case "padding": return given(p.padding)
            case "dilation": return given(p.dilation)
            case "ceil_mode": return .bool(p.ceilMode)
            case "return_indices": return .bool(p.returnIndices)
            default: return nil
            }
        case let p as AvgPool2d:
            switch name {
            case "kernel_size": return given(p.kernelSize)
            case "stride": return given(p.stride)
            case "padding": return given(p.padding)
            case "ceil_mode": return .bool(p.ceilMode)
            case "count_include_pad": return .bool(p.countIncludePad)
            case "divisor_override": return p.divisorOverride.map { .int($0) } ?? Value.none
            default: return nil
            }
        case let b as BatchNormNd:
            switch name {
            case "num_features": return .int(b.numFeatures)
            case "eps": return .float(b.eps)
            case "momentum": return b.momentum.map { .float($0) } ?? Value.none
            case "affine": return .bool(b.affine)
            case "track_running_stats": return .bool(b.trackRunningStats)
            default: return nil
            }
        case let r as RNNBase:
            switch name {
            case "input_size": return .int(r.inputSize)
            case "hidden_size": return .int(r.hiddenSize)
            case "num_layers": return .int(r.numLayers)
            case "bias": return .bool(r.hasBias)
            case "batch_first": return .bool(r.batchFirst)
            case "dropout": return .float(r.dropout)
            case "bidirectional": return .bool(r.bidirectional)
            case "proj_size": return .int(r.projSize)
            case "mode": return .str(r.mode.rawValue)
            case "nonlinearity": return r is RNN ? .str(r.nonlinearity) : nil
            default: return nil
            }
        case let c as RNNCellBase:
            switch name {
            case "input_size": return .int(c.inputSize)
            case "hidden_size": return .int(c.hiddenSize)
            case "bias": return .bool(c.hasBias)
            case "nonlinearity": return c is RNNCell ? .str(c.nonlinearity) : nil
            default: return nil
            }
        case let m as MultiheadAttention:
            switch name {
            case "embed_dim": return .int(m.embedDim)
            case "num_heads": return .int(m.numHeads)
            case "head_dim": return .int(m.headDim)
            case "dropout": return .float(m.dropout)
            case "batch_first": return .bool(m.batchFirst)
            case "kdim": return .int(m.kdim)
            case "vdim": return .int(m.vdim)
            default: return nil
            }
        case let d as DropoutBase: return name == "p" ? .float(d.p) : name == "inplace" ? .bool(d.inplace) : nil
        case let a as LeakyReLU: return name == "negative_slope" ? .float(a.negativeSlope) : nil
        case let a as ELU: return name == "alpha" ? .float(a.alpha) : nil
        case let s as Softmax: return name == "dim" ? (s.dim.map { .int($0) } ?? Value.none) : nil
        case let s as LogSoftmax: return name == "dim" ? (s.dim.map { .int($0) } ?? Value.none) : nil
        case let f as Flatten:
            return name == "start_dim" ? .int(f.startDim) : name == "end_dim" ? .int(f.endDim) : nil
        default: return nil
        }
    }
}
