import TensorCore

/// Convolutions and padding. Their gradients are TensorCore's backward kernels
/// (`Kernels.conv2dBackward`, `convTranspose2dBackward`, `padBackward`); a
/// convolution's gradient is not itself differentiable (no double backward).
extension Functional {
    /// `F.conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)`,
    /// plus `nn.Conv2d`'s `padding_mode`.
    public static func conv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: [Int] = [1, 1],
                              padding: ConvPadding = .sizes([0]), dilation: [Int] = [1, 1], groups: Int = 1,
                              paddingMode: PaddingMode = .zeros) throws -> Tensor {
        try requireFloat32(x, w, b, "conv2d")
        let s = try pair(stride, "stride"), d = try pair(dilation, "dilation")
        let mode = PadMode(convMode: paddingMode.rawValue) ?? .constant
        guard Autograd.needsGrad(x, w, b) else {
            return try Kernels.conv2d(x, w, b, stride: s, padding: padding, dilation: d, groups: groups, paddingMode: mode)
        }
        // With gradients: padding other than symmetric zeros becomes its own (differentiable) pad.
        let p = try Kernels.resolvePadding(padding, weight: w, spatial: 2, stride: [s.0, s.1], dilation: [d.0, d.1])
        var input = x
        var sym = (p[0], p[2])
        if mode != .constant || p[0] != p[1] || p[2] != p[3] {
            guard x.rank == 3 || x.rank == 4 else {
                throw TensorError.shape("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [\(x.shape.map(String.init).joined(separator: ", "))]")
            }
            input = try pad(x, [p[2], p[3], p[0], p[1]], mode: mode.rawValue)
            sym = (0, 0)
        }
        let params = Conv2dParams(stride: s, padding: sym, dilation: d, groups: groups)
        let y = try Kernels.conv2d(input, w, b, params)
        // Unbatched input: PyTorch convolves a batch of one and squeezes it.
        return Autograd.record(y, x.rank == 3 ? "SqueezeBackward1" : "ConvolutionBackward0", [input, w, b], saving: [input, w]) { g in
            let r = try Kernels.conv2dBackward(g.detach(), input: input.detach(), weight: w.detach(), params,
                                               inputGrad: input.requiresGrad, weightGrad: w.requiresGrad,
                                               biasGrad: b?.requiresGrad == true)
            return [r.input, r.weight, r.bias]
        }
    }

    /// `F.conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)`:
    /// a conv2d over a height of one.
    public static func conv1d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: [Int] = [1],
                              padding: ConvPadding = .sizes([0]), dilation: [Int] = [1], groups: Int = 1,
                              paddingMode: PaddingMode = .zeros) throws -> Tensor {
        guard stride.count == 1, dilation.count == 1 else {
            throw TensorError.value("expected stride and dilation to be a single integer value or a list of 1 values")
        }
        guard Autograd.needsGrad(x, w, b) else {
            return try Kernels.conv1d(x, w, b, stride: stride[0], padding: padding, dilation: dilation[0], groups: groups,
                                      paddingMode: PadMode(convMode: paddingMode.rawValue) ?? .constant)
        }
        guard x.rank == 2 || x.rank == 3 else {
            throw TensorError.shape("Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [\(x.shape.map(String.init).joined(separator: ", "))]")
        }
        guard w.rank == 3 else { throw TensorError.shape("conv1d: weight must be 3-D, got \(w.rank)-D") }
        let p2: ConvPadding
        switch padding {
        case .sizes(let s): p2 = .sizes([0, s.first ?? 0])
        default: p2 = padding
        }
        let y = try conv2d(try unsqueeze(x, -2), try unsqueeze(w, 2), b, stride: [1, stride[0]], padding: p2,
                           dilation: [1, dilation[0]], groups: groups, paddingMode: paddingMode)
        return try squeeze(y, dims: [-2])
    }

    /// `F.conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1)`.
    public static func convTranspose2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: [Int] = [1, 1],
                                       padding: [Int] = [0, 0], outputPadding: [Int] = [0, 0], groups: Int = 1,
                                       dilation: [Int] = [1, 1]) throws -> Tensor {
        try requireFloat32(x, w, b, "conv_transpose2d")
        let params = ConvTranspose2dParams(
            stride: try pair(stride, "stride"), padding: try pair(padding, "padding"),
            outputPadding: try pair(outputPadding, "output_padding"), groups: groups,
            dilation: try pair(dilation, "dilation"))
        let y = try Kernels.convTranspose2d(x, w, b, params)
        return Autograd.record(y, x.rank == 3 ? "SqueezeBackward1" : "ConvolutionBackward0", [x, w, b], saving: [x, w]) { g in
            let r = try Kernels.convTranspose2dBackward(g.detach(), input: x.detach(), weight: w.detach(), params,
                                                        inputGrad: x.requiresGrad, weightGrad: w.requiresGrad,
                                                        biasGrad: b?.requiresGrad == true)
            return [r.input, r.weight, r.bias]
        }
    }

    /// `F.conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
    /// dilation=1)`: a conv_transpose2d over a height of one.
    public static func convTranspose1d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: [Int] = [1], padding: [Int] = [0],
                                       outputPadding: [Int] = [0], groups: Int = 1, dilation: [Int] = [1]) throws -> Tensor {
        for (v, name) in [(stride, "stride"), (padding, "padding"), (outputPadding, "output_padding"), (dilation, "dilation")] where v.count != 1 {
            throw TensorError.value("expected \(name) to be a single integer value or a list of 1 values to match the convolution dimensions, but got \(name)=\(Shape.describe(v))")
        }
        guard x.rank == 2 || x.rank == 3 else {
            throw TensorError.shape("Expected 2D (unbatched) or 3D (batched) input to conv_transpose1d, but got input of size: \(Shape.describe(x.shape))")
        }
        guard w.rank == 3 else { throw TensorError.shape("conv_transpose1d: weight must be 3-D, got \(w.rank)-D") }
        let y = try convTranspose2d(try unsqueeze(x, -2), try unsqueeze(w, 2), b, stride: [1, stride[0]], padding: [0, padding[0]],
                                    outputPadding: [0, outputPadding[0]], groups: groups, dilation: [1, dilation[0]])
        return try squeeze(y, dims: [-2])
    }

    /// `F.pad(input, pad, mode='constant', value=None)`. The gradient of each input element
    /// is the sum over the output places that copied it (one place for constant padding).
    public static func pad(_ x: Tensor, _ pads: [Int], mode: String = "constant", value: Double = 0) throws -> Tensor {
        guard let m = PadMode(rawValue: mode) else {
            throw TensorError.value("Unrecognised padding mode \(mode)")
        }
        let names: [PadMode: String] = [.constant: "ConstantPadNdBackward0", .reflect: "ReflectionPad2DBackward0",
                                        .replicate: "ReplicationPad2DBackward0", .circular: "CopySlices"]
        let y = try Kernels.pad(x, pads, mode: m, value: value)
        return Autograd.record(y, names[m] ?? "ConstantPadNdBackward0", [x]) { g in
            if fused(g, x) { return [try Kernels.padBackward(g, inputShape: x.shape, pads, mode: m)] }
            if m == .constant {
                // Crop: negative padding of the gradient, built from slices.
                var items: [IndexItem] = []
                for d in 0..<x.rank {
                    let k = x.rank - 1 - d
                    let before = 2 * k < pads.count ? pads[2 * k] : 0
                    items.append(.slice(start: before, stop: before + x.shape[d], step: 1))
                }
                return [try index(g, items)]
            }
            // Reflect/replicate/circular: pad the flat positions the same way, then add up.
            let n = x.numel
            let ids = try Tensor.arange(start: 0, end: Double(n), step: 1, dtype: .float32).reshape(x.shape)
            let moved = try Kernels.pad(ids, pads, mode: m, value: -1).contiguous()
            let src = try g.detach().contiguous()
            let out = try Tensor.zeros([n])
            let o = out.floatPtr, p = moved.floatPtr, s = src.floatPtr
            for k in 0..<moved.numel { let i = Int(p[k]); if i >= 0 { o[i] += s[k] } }
            return [try out.reshape(x.shape)]
        }
    }

    /// An int-or-pair argument as a pair (`_pair`).
    static func pair(_ v: [Int], _ name: String) throws -> (Int, Int) {
        if v.count == 1 { return (v[0], v[0]) }
        guard v.count == 2 else { throw TensorError.value("\(name) must be an int or a tuple of 2 ints, but got \(PyFormat.tuple(v))") }
        return (v[0], v[1])
    }
}

extension Functional {
    /// The convolution kernels compute in float32 only: other floating dtypes get a
    /// clear error instead of a wrong message from deeper down.
    static func requireFloat32(_ x: Tensor, _ w: Tensor, _ b: Tensor?, _ op: String) throws {
        for t in [x, w] + (b.map { [$0] } ?? []) where t.dtype != .float32 && t.dtype.isFloatingPoint {
            throw TensorError.type("\(op): Tensorpad's convolutions run in float32; got a \(t.dtype.torchName) tensor (convert with .float(), or the module with .float())")
        }
    }
}
