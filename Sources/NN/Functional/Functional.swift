import TensorCore

/// `torch.nn.functional`: every differentiable op's forward lives here, one
/// function per op, calling a TensorCore kernel. The autograd issue adds a
/// backward beside each forward (recorded through `Autograd.record`), so
/// layers and the language never change when gradients arrive.
public enum Functional {
    public static func add(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        History.record(try Tensor.binary(.add, a, b), "AddBackward0", [a, b])
    }

    /// `F.linear(input, weight, bias=None)`: input @ weight.T + bias.
    public static func linear(_ input: Tensor, _ weight: Tensor, _ bias: Tensor?) throws -> Tensor {
        guard weight.rank == 2 || weight.rank == 1 else {
            throw TensorError.shape("linear(): weight must be 1-D or 2-D, got \(weight.rank)-D")
        }
        if input.rank == 0 { throw TensorError.shape("both arguments to linear need to be at least 1D, but they are 0D and \(weight.rank)D") }
        let wt = weight.rank == 2 ? try weight.transpose(0, 1) : weight
        let inFeatures = input.shape[input.rank - 1]
        if weight.rank == 2 && inFeatures != weight.shape[1] {
            let rows = Shape.count(Array(input.shape.dropLast()))
            throw TensorError.shape("mat1 and mat2 shapes cannot be multiplied (\(rows)x\(inFeatures) and \(weight.shape[1])x\(weight.shape[0]))")
        }
        let y = try Tensor.matmul(input, wt)
        // PyTorch: addmm for 2-D input with bias, mm without, matmul + view otherwise.
        let name = input.rank == 2 ? (bias == nil ? "MmBackward0" : "AddmmBackward0")
                 : (input.rank == 1 && bias == nil ? "SqueezeBackward4" : "UnsafeViewBackward0")
        History.record(y, name, [input, weight, bias])
        guard let bias else { return y }
        if y.isContiguous && bias.isContiguous && bias.rank == 1 && y.rank >= 1 && y.shape[y.rank - 1] == bias.numel {
            let n = bias.numel, rows = n == 0 ? 0 : y.numel / n
            let o = y.floatPtr, b = bias.floatPtr
            for r in 0..<rows { let row = o + r * n; for j in 0..<n { row[j] += b[j] } }
            return y
        }
        return History.record(try Tensor.binary(.add, y, bias), name, [input, weight, bias])
    }

    // MARK: activations

    public static func relu(_ x: Tensor) throws -> Tensor { History.record(try x.relu(), "ReluBackward0", [x]) }
    public static func sigmoid(_ x: Tensor) throws -> Tensor { History.record(try x.sigmoid(), "SigmoidBackward0", [x]) }
    public static func tanh(_ x: Tensor) throws -> Tensor { History.record(try x.tanh(), "TanhBackward0", [x]) }

    public static func leakyRelu(_ x: Tensor, negativeSlope: Double = 0.01) throws -> Tensor {
        History.record(try Kernels.leakyRelu(x, negativeSlope: negativeSlope), "LeakyReluBackward0", [x])
    }

    public static func elu(_ x: Tensor, alpha: Double = 1) throws -> Tensor {
        History.record(try Kernels.elu(x, alpha: alpha), "EluBackward0", [x])
    }

    public static func gelu(_ x: Tensor, approximate: String = "none") throws -> Tensor {
        History.record(try Kernels.gelu(x, approximate: approximate), "GeluBackward0", [x])
    }

    /// PyTorch's implicit softmax dim (with its deprecation rule): 0 for 0-, 1- and 3-D, else 1.
    public static func implicitSoftmaxDim(_ rank: Int) -> Int { (rank == 0 || rank == 1 || rank == 3) ? 0 : 1 }
}
