import TensorCore

/// `torch.nn.functional` and the tensor ops: every differentiable op's forward
/// and backward live here, side by side, one family per file (arithmetic,
/// views, indexing, reductions, joins, activations, conv, pooling, norm, losses).
/// Each op computes its result with a TensorCore kernel and, when a gradient is
/// needed, records a node with its inputs, what it saved and its backward
/// closure (`Autograd.record`). Backward closures are written with these same
/// ops, so with `create_graph=True` the gradient is itself differentiable; when
/// no graph of the backward is being built (`fused`) they run TensorCore's fused
/// backward kernels instead (Sources/TensorCore/Kernels/*Backward.swift).
/// The language's bindings and the layers only call these.
public enum Functional {
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
        var y = try Tensor.matmul(input, wt)
        if let bias {
            if y.dtype == .float32 && bias.dtype == .float32 && y.isContiguous && bias.isContiguous && bias.rank == 1
                && y.rank >= 1 && y.shape[y.rank - 1] == bias.numel {
                let n = bias.numel, rows = n == 0 ? 0 : y.numel / n
                let o = y.floatPtr, b = bias.floatPtr
                for r in 0..<rows { let row = o + r * n; for j in 0..<n { row[j] += b[j] } }
            } else {
                y = try Tensor.binary(.add, y, bias)
            }
        }
        // PyTorch: addmm for 2-D input with bias, mm without, matmul + view otherwise.
        let name = input.rank == 2 ? (bias == nil ? "MmBackward0" : "AddmmBackward0")
                 : (input.rank == 1 && bias == nil ? "SqueezeBackward4" : (bias == nil ? "UnsafeViewBackward0" : "ViewBackward0"))
        return Autograd.record(y, name, [input, weight, bias], saving: [input, weight]) { g in
            if weight.rank == 2 && input.rank >= 2 && input.numel > inFeatures && fused(g, input, weight, bias) {
                let r = try Kernels.linearBackward(g, input: input, weight: weight, inputGrad: input.requiresGrad,
                                                   weightGrad: weight.requiresGrad, biasGrad: bias?.requiresGrad == true)
                return [r.input, r.weight, try r.bias.map { try $0.reshape(bias?.shape ?? [$0.numel]) }]
            }
            let gx = weight.rank == 2 ? try matmul(g, weight) : try mul(try unsqueeze(g, -1), weight)
            // grad_weight = g^T @ input over every leading dim.
            let rows = input.rank == 1 ? 1 : Shape.count(Array(input.shape.dropLast()))
            let g2 = try reshape(g, [rows, weight.rank == 2 ? weight.shape[0] : 1])
            let x2 = try reshape(input, [rows, inFeatures])
            // One row: the outer product elementwise (as PyTorch, whose result keeps −0.0 signs).
            var gw = rows == 1 ? try mul(try transpose(g2, 0, 1), x2) : try matmul(try transpose(g2, 0, 1), x2)
            if weight.rank == 1 { gw = try reshape(gw, weight.shape) }
            let gb = try bias.map { b in try reshape(try sum(g2, dims: [0]), b.shape) }
            return [try reshape(gx, input.shape), gw, gb]
        }
    }

    /// True inside a backward closure when no graph of the backward is being built: the
    /// engine runs closures with grad mode off unless `create_graph=True`, and even then
    /// nothing records when none of the closure's tensors require grad. The closure may
    /// then compute its gradients with a fused TensorCore kernel. The kernels are float32:
    /// any other dtype among `ts` takes the composed path.
    @inline(__always) static func fused(_ ts: Tensor?...) -> Bool {
        for case let t? in ts where t.dtype != .float32 { return false }
        return !Autograd.needsGrad(ts)
    }

    /// PyTorch's implicit softmax dim (with its deprecation rule): 0 for 0-, 1- and 3-D, else 1.
    public static func implicitSoftmaxDim(_ rank: Int) -> Int { (rank == 0 || rank == 1 || rank == 3) ? 0 : 1 }

    /// A float tensor holding one number, for backward formulas.
    @inline(__always) static func scalar(_ v: Double) -> Tensor { .scalar(Float(v)) }
}
