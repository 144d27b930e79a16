#if canImport(Glibc)
import Glibc
#endif
import TensorCore

/// `nn.init`: in-place initialisers with PyTorch's names, defaults and
/// fan/gain rules, and the default initialisation each layer uses.
public enum Init {
    /// `calculate_gain(nonlinearity, param=None)`.
    public static func gain(_ nonlinearity: String, param: Double? = nil) throws -> Double {
        switch nonlinearity {
        case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid":
            return 1
        case "tanh": return 5.0 / 3
        case "relu": return 2.0.squareRoot()
        case "leaky_relu":
            let slope = param ?? 0.01
            return (2.0 / (1 + slope * slope)).squareRoot()
        case "selu": return 3.0 / 4
        default: throw TensorError.value("Unsupported nonlinearity \(nonlinearity)")
        }
    }

    /// `_calculate_fan_in_and_fan_out`.
    public static func fans(_ t: Tensor) throws -> (fanIn: Int, fanOut: Int) {
        guard t.rank >= 2 else {
            throw TensorError.value("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
        }
        let receptive = t.shape.dropFirst(2).reduce(1, *)
        return (t.shape[1] * receptive, t.shape[0] * receptive)
    }

    static func requireFloat(_ t: Tensor) throws {
        guard t.dtype == .float32 else { throw TensorError.type("nn.init expects a floating point tensor") }
    }

    /// `uniform_(tensor, a, b)`: PyTorch's `tensor.uniform_(a, b)` stream.
    public static func uniform_(_ t: Tensor, a: Double = 0, b: Double = 1, generator: Generator? = nil) throws {
        try requireFloat(t)
        try TorchRandom.uniform_(t, from: a, to: b, generator: generator)
    }

    /// `normal_(tensor, mean, std)`: PyTorch's `tensor.normal_(mean, std)` stream.
    public static func normal_(_ t: Tensor, mean: Double = 0, std: Double = 1, generator: Generator? = nil) throws {
        try requireFloat(t)
        try TorchRandom.normal_(t, mean: mean, std: std, generator: generator)
    }

    public static func constant_(_ t: Tensor, _ val: Double) throws { try t.fill_(val) }
    public static func zeros_(_ t: Tensor) throws { try t.fill_(0) }
    public static func ones_(_ t: Tensor) throws { try t.fill_(1) }

    public static func xavier_uniform_(_ t: Tensor, gain: Double = 1, generator: Generator? = nil) throws {
        let (fi, fo) = try fans(t)
        let std = gain * (2.0 / Double(fi + fo)).squareRoot()
        let bound = 3.0.squareRoot() * std
        try uniform_(t, a: -bound, b: bound, generator: generator)
    }

    public static func xavier_normal_(_ t: Tensor, gain: Double = 1, generator: Generator? = nil) throws {
        let (fi, fo) = try fans(t)
        try normal_(t, mean: 0, std: gain * (2.0 / Double(fi + fo)).squareRoot(), generator: generator)
    }

    static func kaimingStd(_ t: Tensor, a: Double, mode: String, nonlinearity: String) throws -> Double {
        let (fi, fo) = try fans(t)
        let fan: Int
        switch mode {
        case "fan_in": fan = fi
        case "fan_out": fan = fo
        default: throw TensorError.value("Mode \(mode) not supported, please use one of fan_in, fan_out")
        }
        let g = try gain(nonlinearity, param: a)
        return g / Double(max(fan, 1)).squareRoot()
    }

    public static func kaiming_uniform_(_ t: Tensor, a: Double = 0, mode: String = "fan_in",
                                        nonlinearity: String = "leaky_relu", generator: Generator? = nil) throws {
        let bound = 3.0.squareRoot() * (try kaimingStd(t, a: a, mode: mode, nonlinearity: nonlinearity))
        try uniform_(t, a: -bound, b: bound, generator: generator)
    }

    public static func kaiming_normal_(_ t: Tensor, a: Double = 0, mode: String = "fan_in",
                                       nonlinearity: String = "leaky_relu", generator: Generator? = nil) throws {
        try normal_(t, mean: 0, std: try kaimingStd(t, a: a, mode: mode, nonlinearity: nonlinearity), generator: generator)
    }

    /// The default of Linear and the convolutions (their `reset_parameters`):
    /// kaiming_uniform_(a=√5) for the weight, then U(±1/√fan_in) for the bias,
    /// drawn in that order from the default generator. A convolution with no
    /// fan-in leaves its bias undrawn (PyTorch's `if fan_in != 0`); Linear draws U(0, 0).
    static func defaultLayerInit(weight: Tensor, bias: Tensor?, conv: Bool = false) throws {
        try kaiming_uniform_(weight, a: 5.0.squareRoot())
        if let bias {
            let (fi, _) = try fans(weight)
            if conv && fi == 0 { return }
            let bound = fi > 0 ? 1 / Double(fi).squareRoot() : 0
            try uniform_(bias, a: -bound, b: bound)
        }
    }
}
