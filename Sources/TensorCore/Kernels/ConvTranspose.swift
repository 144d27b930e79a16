/// Parameters of `conv_transpose2d`.
public struct ConvTranspose2dParams: Sendable {
    public var stride: (Int, Int)
    public var padding: (Int, Int)
    public var outputPadding: (Int, Int)
    public var groups: Int
    public var dilation: (Int, Int)

    public init(stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0), outputPadding: (Int, Int) = (0, 0),
                groups: Int = 1, dilation: (Int, Int) = (1, 1)) {
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        self.groups = groups
        self.dilation = dilation
    }
}

extension Kernels {
    /// `F.conv_transpose2d`: input (N, Cin, H, W) or (Cin, H, W), weight (Cin, Cout/groups, kh, kw),
    /// bias (Cout) or nil. Output size (H−1)·stride − 2·padding + dilation·(k−1) + output_padding + 1.
    /// Per sample and group: col = Wᵀ·x by sgemm, then col2im scatters it into the output.
    public static func convTranspose2d(_ input: Tensor, _ weight: Tensor, _ bias: Tensor?,
                                       _ p: ConvTranspose2dParams) throws -> Tensor {
        guard input.rank == 3 || input.rank == 4 else {
            throw TensorError.shape("Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: \(sizes(input.shape))")
        }
        let batched = input.rank == 4
        let x4 = batched ? input : try input.unsqueeze(0)
        try checkConvShapes(input: x4.shape, weight: weight.shape, bias: bias, stride: [p.stride.0, p.stride.1],
                            padding: [p.padding.0, p.padding.1], dilation: [p.dilation.0, p.dilation.1],
                            outputPadding: [p.outputPadding.0, p.outputPadding.1], groups: p.groups, transposed: true)
        let (oph, opw) = p.outputPadding, (sh, sw) = p.stride, (dh, dw) = p.dilation
        guard (opw < sw || opw < dw) && (oph < sh || oph < dh) else {
            throw TensorError.value("output padding must be smaller than either stride or dilation, but got output_padding_height: \(oph) output_padding_width: \(opw) stride_height: \(sh) stride_width: \(sw) dilation_height: \(dh) dilation_width: \(dw)")
        }
        let x = try floatContiguous(x4), w = try floatContiguous(weight)
        let n = x.shape[0], cin = x.shape[1], h = x.shape[2], wd = x.shape[3]
        let groups = p.groups, og = w.shape[1], kh = w.shape[2], kw = w.shape[3], cout = og * groups
        let oh = (h - 1) * sh - 2 * p.padding.0 + dh * (kh - 1) + oph + 1
        let ow = (wd - 1) * sw - 2 * p.padding.1 + dw * (kw - 1) + opw + 1
        guard oh >= 1, ow >= 1 else {
            throw TensorError.shape("Given input size per channel: (\(h) x \(wd)). Calculated output size per channel: (\(oh) x \(ow)). Output size is too small")
        }
        let out = try Tensor(zeros: [n, cout, oh, ow])
        // The output is the image the kernel writes into; the input is the grid of kernel positions.
        let g = ConvGeometry(channels: og, imageH: oh, imageW: ow, gridH: h, gridW: wd, kh: kh, kw: kw,
                             sh: sh, sw: sw, dh: dh, dw: dw, padTop: p.padding.0, padLeft: p.padding.1)
        let cg = cin / groups, M = g.rows, P = g.gridSize
        let xp = x.floatPtr, wp = w.floatPtr, op = out.floatPtr
        try ScratchPool.shared.with(M * P) { col in
            for s in 0..<n {
                for grp in 0..<groups {
                    BLAS.sgemm(transA: true, transB: false, m: M, n: P, k: cg, a: wp + grp * cg * M, lda: M,
                               b: xp + (s * cin + grp * cg) * P, ldb: P, c: col, ldc: P)
                    g.col2im(col: col, image: op + (s * cout + grp * og) * oh * ow, parallel: true)
                }
            }
        }
        if let bias { addBias(op, bias: try floatContiguous(bias), samples: n, channels: cout, plane: oh * ow) }
        return batched ? out : try out.squeeze(0)
    }
}
