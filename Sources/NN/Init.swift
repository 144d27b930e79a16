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

extension Init {
    /// `trunc_normal_(tensor, mean=0, std=1, a=-2, b=2)` as PyTorch 2.15 draws it: when
    /// [a, b] holds more than 30 % of the mass, N(mean, std²) for the whole tensor and
    /// fresh whole-tensor draws for the values outside until none is; otherwise U(a, b)
    /// candidates accepted where log U(0, 1) ≤ the log density (relative to its peak).
    public static func trunc_normal_(_ t: Tensor, mean: Double = 0, std: Double = 1, a: Double = -2, b: Double = 2,
                                     generator: Generator? = nil) throws {
        try requireFloat(t)
        func cdf(_ x: Double) -> Double { (1 + erf(x / 2.0.squareRoot())) / 2 }
        let x = try t.contiguous()
        let n = x.numel
        let p = cdf((b - mean) / std) - cdf((a - mean) / std)
        let out = x.floatPtr
        if p > 0.3 {
            let lo = Float(a), hi = Float(b)
            try TorchRandom.normal_(x, mean: mean, std: std, generator: generator)
            let fresh = try Tensor(uninitialized: x.shape)
            // Both loops run until every value is accepted, as PyTorch's do (for [a, b] far in a
            // tail, practically forever): Ctrl-C stops them.
            while (0..<n).contains(where: { out[$0] < lo || out[$0] > hi }) {
                try Cancellation.check()
                try TorchRandom.normal_(fresh, mean: mean, std: std, generator: generator)
                let f = fresh.floatPtr
                for i in 0..<n where out[i] < lo || out[i] > hi { out[i] = f[i] }
            }
        } else {
            let mode = Swift.max(a, Swift.min(mean, b))
            let z = (mode - mean) / std
            let logPeak = Float(-0.5 * (z * z))
            let m = Float(mean), s = Float(std)
            let cand = try Tensor(uninitialized: x.shape), accept = try Tensor(uninitialized: x.shape)
            let c = cand.floatPtr, u = accept.floatPtr
            @inline(__always) func logDensity(_ v: Float) -> Float {
                let w = (v - m) / s
                return (w * w) * -0.5 - logPeak
            }
            try TorchRandom.uniform_(x, from: a, to: b, generator: generator)
            try TorchRandom.uniform_(accept, generator: generator)
            var pending = (0..<n).map { logf(u[$0]) > logDensity(out[$0]) }
            while pending.contains(true) {
                try Cancellation.check()
                try TorchRandom.uniform_(cand, from: a, to: b, generator: generator)
                for i in 0..<n where pending[i] { out[i] = c[i] }
                try TorchRandom.uniform_(accept, generator: generator)
                for i in 0..<n where pending[i] { pending[i] = logf(u[i]) > logDensity(c[i]) }
            }
        }
        if x !== t { try t.copy_(x) }
    }

    /// `sparse_(tensor, sparsity, std=0.01)`: N(0, std²), then in each column the rows
    /// of the first ⌈sparsity·rows⌉ entries of a `randperm(rows)` set to zero.
    public static func sparse_(_ t: Tensor, sparsity: Double, std: Double = 0.01, generator: Generator? = nil) throws {
        guard t.rank == 2 else { throw TensorError.value("Only tensors with 2 dimensions are supported") }
        try requireFloat(t)
        let rows = t.shape[0], cols = t.shape[1]
        let zeros = Int((sparsity * Double(rows)).rounded(.up))
        try TorchRandom.normal_(t, mean: 0, std: std, generator: generator)
        let p = t.storage.floats
        for c in 0..<cols {
            let perm = try TorchRandom.randperm(rows).toInt64s()
            for r in perm.prefix(zeros) { p[t.offset + Int(r) * t.strides[0] + c * t.strides[1]] = 0 }
        }
    }

    /// `eye_(tensor)`: the identity in a 2-D tensor.
    public static func eye_(_ t: Tensor) throws {
        guard t.rank == 2 else { throw TensorError.value("Only tensors with 2 dimensions are supported") }
        try t.fill_(0)
        for i in 0..<Swift.min(t.shape[0], t.shape[1]) {
            t.setDouble(1, atStorageOffset: t.offset + i * t.strides[0] + i * t.strides[1])
        }
    }

    /// `dirac_(tensor, groups=1)`: convolution weights that pass the input through.
    public static func dirac_(_ t: Tensor, groups: Int = 1) throws {
        guard (3...5).contains(t.rank) else { throw TensorError.value("Only tensors with 3, 4, or 5 dimensions are supported") }
        guard groups > 0, t.shape[0] % groups == 0 else { throw TensorError.value("dim 0 must be divisible by groups") }
        let perGroup = t.shape[0] / groups
        try t.fill_(0)
        for g in 0..<groups {
            for d in 0..<Swift.min(perGroup, t.shape[1]) {
                var o = t.offset + (g * perGroup + d) * t.strides[0] + d * t.strides[1]
                for k in 2..<t.rank { o += (t.shape[k] / 2) * t.strides[k] }
                t.setDouble(1, atStorageOffset: o)
            }
        }
    }
}

extension Init {
    /// `orthogonal_(tensor, gain=1, generator=None)`: a (semi-)orthogonal matrix from the
    /// QR of N(0, 1) draws, columns signed by R's diagonal, as PyTorch builds it (the
    /// draws are PyTorch's; the QR is LAPACK's, so values agree to float rounding).
    public static func orthogonal_(_ t: Tensor, gain: Double = 1, generator: Generator? = nil) throws {
        guard t.rank >= 2 else { throw TensorError.value("Only tensors with 2 or more dimensions are supported") }
        guard t.numel > 0 else { return }
        let rows = t.shape[0], cols = t.numel / rows
        var flat = try Tensor(zeros: [rows, cols])
        try TorchRandom.normal_(flat, mean: 0, std: 1, generator: generator)
        if rows < cols { flat = try flat.transpose(0, 1).contiguous() }
        let (q, d) = try BLAS.qrReduced(flat)
        let signs = try Tensor(d.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }, shape: [1, d.count])
        var out = try Tensor.binary(.mul, q, signs)
        if rows < cols { out = try out.transpose(0, 1) }
        let scaled = try Tensor.binary(.mul, out.contiguous(), .scalar(Float(gain)))
        try t.copy_(try scaled.reshape(t.shape).to(t.dtype))
    }
}
