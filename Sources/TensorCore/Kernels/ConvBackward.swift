/// The gradients a convolution's backward returns: each nil when not asked for
/// (or, for `bias`, when the forward had none). Shapes are the forward's.
public struct ConvGrads {
    public let input: Tensor?
    public let weight: Tensor?
    public let bias: Tensor?
}

/// Backward kernels of `conv2d`, `conv1d` and `conv_transpose2d` (zero padding; other
/// padding modes go through `padBackward`). They share three loops:
/// - weight: im2col of the image times the output gradient, per worker tile, by sgemm (for the
///   convolutions of the direct kernel: `directConvWeightGrad`, on its planes, no sgemm);
/// - input: Wᵀ times the output gradient then col2im (any stride), or for stride 1 a
///   convolution of the output gradient with the flipped, transposed weight (Winograd
///   serves the 3×3 ones);
/// - bias: the output gradient summed over batch and positions.
/// `conv_transpose2d` is the adjoint of `conv2d`, so its backward is the same loops with
/// image and grid swapped.
extension Kernels {
    /// Gradients of `conv2d(input, weight, bias, p)` (resolved zero padding) given
    /// `gradOutput` shaped like its output: input (N, C, H, W) or (C, H, W), weight
    /// (Cout, C/groups, kh, kw). `inputGrad`/`weightGrad`/`biasGrad` say which to compute;
    /// pass `biasGrad: false` when the forward had no bias.
    public static func conv2dBackward(_ gradOutput: Tensor, input: Tensor, weight: Tensor, _ p: Conv2dParams,
                                      inputGrad: Bool = true, weightGrad: Bool = true,
                                      biasGrad: Bool = true) throws -> ConvGrads {
        guard input.rank == 3 || input.rank == 4 else {
            throw TensorError.shape("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: \(sizes(input.shape))")
        }
        let batched = input.rank == 4
        let x = try floatContiguous(batched ? input : try input.unsqueeze(0))
        let w = try floatContiguous(weight)
        let gy = try floatContiguous(batched ? gradOutput : try gradOutput.unsqueeze(0))
        let pad = p.padding
        if min(pad.top, pad.bottom, pad.left, pad.right) < 0 { throw TensorError.value("negative padding is not supported") }
        try checkConvShapes(input: x.shape, weight: w.shape, bias: nil, stride: [p.stride.0, p.stride.1],
                            padding: [pad.top + pad.bottom, pad.left + pad.right], dilation: [p.dilation.0, p.dilation.1],
                            outputPadding: [], groups: p.groups, transposed: false)
        guard w.rank == 4, x.shape[1] == w.shape[1] * p.groups, p.groups > 0, w.shape[0] % p.groups == 0 else {
            throw TensorError.shape("conv2d backward: weight of size \(sizes(w.shape)) does not match input of size \(sizes(x.shape)) with groups=\(p.groups)")
        }
        let n = x.shape[0], cin = x.shape[1], h = x.shape[2], wd = x.shape[3]
        let cout = w.shape[0], kh = w.shape[2], kw = w.shape[3]
        let oh = (h + pad.top + pad.bottom - p.dilation.0 * (kh - 1) - 1) / p.stride.0 + 1
        let ow = (wd + pad.left + pad.right - p.dilation.1 * (kw - 1) - 1) / p.stride.1 + 1
        guard gy.shape == [n, cout, oh, ow] else {
            throw TensorError.shape("conv2d backward: expected grad_output of size \(sizes([n, cout, oh, ow])), but got \(sizes(gy.shape))")
        }
        let g = ConvGeometry(channels: cin / p.groups, imageH: h, imageW: wd, gridH: oh, gridW: ow, kh: kh, kw: kw,
                             sh: p.stride.0, sw: p.stride.1, dh: p.dilation.0, dw: p.dilation.1,
                             padTop: pad.top, padLeft: pad.left)
        var gx: Tensor?
        if inputGrad {
            gx = try convInputGrad(gy, weight: w, imageShape: x.shape, g, groups: p.groups,
                                   padBottom: pad.bottom, padRight: pad.right)
            if !batched { gx = try gx?.squeeze(0) }
        }
        var gw: Tensor?
        if weightGrad {
            gw = directConvApplies(cin: cin, kh: kh, kw: kw, p: p, ow: ow)
                ? try directConvWeightGrad(x: x, gy: gy, weightShape: w.shape, p)
                : try convWeightGrad(image: x, grad: gy, g, groups: p.groups, weightShape: w.shape)
        }
        let gb = biasGrad ? try channelSums(gy) : nil
        try Cancellation.check()
        return ConvGrads(input: gx, weight: gw, bias: gb)
    }

    /// Gradients of the public `conv2d(input, weight, bias, stride:, padding:, dilation:, groups:,
    /// paddingMode:)`: resolves `'same'`/`'valid'`/sizes as the forward does; a non-zero
    /// `paddingMode` differentiates the forward's pad + unpadded conv (`padBackward`).
    public static func conv2dBackward(_ gradOutput: Tensor, input: Tensor, weight: Tensor, stride: (Int, Int) = (1, 1),
                                      padding: ConvPadding = .sizes([0]), dilation: (Int, Int) = (1, 1), groups: Int = 1,
                                      paddingMode: PadMode = .constant, inputGrad: Bool = true, weightGrad: Bool = true,
                                      biasGrad: Bool = true) throws -> ConvGrads {
        let p = try resolvePadding(padding, weight: weight, spatial: 2, stride: [stride.0, stride.1], dilation: [dilation.0, dilation.1])
        try checkArguments(p, "padding")
        if paddingMode == .constant {
            return try conv2dBackward(gradOutput, input: input, weight: weight,
                                      Conv2dParams(stride: stride, padding: (p[0], p[1], p[2], p[3]), dilation: dilation, groups: groups),
                                      inputGrad: inputGrad, weightGrad: weightGrad, biasGrad: biasGrad)
        }
        let pads = [p[2], p[3], p[0], p[1]]
        let padded = try pad(input, pads, mode: paddingMode)
        let r = try conv2dBackward(gradOutput, input: padded, weight: weight,
                                   Conv2dParams(stride: stride, padding: (0, 0), dilation: dilation, groups: groups),
                                   inputGrad: inputGrad, weightGrad: weightGrad, biasGrad: biasGrad)
        let gx = try r.input.map { try padBackward($0, inputShape: input.shape, pads, mode: paddingMode) }
        return ConvGrads(input: gx, weight: r.weight, bias: r.bias)
    }

    /// Gradients of `conv1d(input, weight, bias, stride:, padding:, dilation:, groups:, paddingMode:)`:
    /// input (N, C, L) or (C, L), weight (Cout, C/groups, k); computed as conv2d with H = 1.
    public static func conv1dBackward(_ gradOutput: Tensor, input: Tensor, weight: Tensor, stride: Int = 1,
                                      padding: ConvPadding = .sizes([0]), dilation: Int = 1, groups: Int = 1,
                                      paddingMode: PadMode = .constant, inputGrad: Bool = true, weightGrad: Bool = true,
                                      biasGrad: Bool = true) throws -> ConvGrads {
        guard input.rank == 2 || input.rank == 3, weight.rank == 3 else {
            throw TensorError.shape("Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: \(sizes(input.shape))")
        }
        let p = try resolvePadding(padding, weight: weight, spatial: 1, stride: [stride], dilation: [dilation])
        let d = input.rank - 1   // the length dim: H = 1 goes just before it
        // Non-zero modes pad along L only; zero padding goes into the conv.
        var x = input, left = p[0], right = p[1]
        if paddingMode != .constant {
            x = try pad(input, [left, right], mode: paddingMode)
            left = 0; right = 0
        }
        let q = Conv2dParams(stride: (1, stride), padding: (top: 0, bottom: 0, left: left, right: right),
                             dilation: (1, dilation), groups: groups)
        let g2 = try conv2dBackward(gradOutput.unsqueeze(d), input: x.unsqueeze(d), weight: weight.unsqueeze(2), q,
                                    inputGrad: inputGrad, weightGrad: weightGrad, biasGrad: biasGrad)
        var gx = try g2.input?.squeeze(d)
        if paddingMode != .constant, let g = gx { gx = try padBackward(g, inputShape: input.shape, [p[0], p[1]], mode: paddingMode) }
        return ConvGrads(input: gx, weight: try g2.weight?.squeeze(2), bias: g2.bias)
    }

    /// Gradients of `conv_transpose2d(input, weight, bias, p)`: input (N, Cin, H, W) or
    /// (Cin, H, W), weight (Cin, Cout/groups, kh, kw). The input gradient is `conv2d` of the
    /// output gradient with the same weight; the weight gradient is conv2d's with image and
    /// grid swapped.
    public static func convTranspose2dBackward(_ gradOutput: Tensor, input: Tensor, weight: Tensor,
                                               _ p: ConvTranspose2dParams, inputGrad: Bool = true,
                                               weightGrad: Bool = true, biasGrad: Bool = true) throws -> ConvGrads {
        guard input.rank == 3 || input.rank == 4 else {
            throw TensorError.shape("Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: \(sizes(input.shape))")
        }
        let batched = input.rank == 4
        let x = try floatContiguous(batched ? input : try input.unsqueeze(0))
        let w = try floatContiguous(weight)
        let gy = try floatContiguous(batched ? gradOutput : try gradOutput.unsqueeze(0))
        try checkConvShapes(input: x.shape, weight: w.shape, bias: nil, stride: [p.stride.0, p.stride.1],
                            padding: [p.padding.0, p.padding.1], dilation: [p.dilation.0, p.dilation.1],
                            outputPadding: [p.outputPadding.0, p.outputPadding.1], groups: p.groups, transposed: true)
        guard w.rank == 4, p.groups > 0, x.shape[1] == w.shape[0], w.shape[0] % p.groups == 0 else {
            throw TensorError.shape("conv_transpose2d backward: weight of size \(sizes(w.shape)) does not match input of size \(sizes(x.shape)) with groups=\(p.groups)")
        }
        let n = x.shape[0], h = x.shape[2], wd = x.shape[3]
        let og = w.shape[1], kh = w.shape[2], kw = w.shape[3], cout = og * p.groups
        let oh = (h - 1) * p.stride.0 - 2 * p.padding.0 + p.dilation.0 * (kh - 1) + p.outputPadding.0 + 1
        let ow = (wd - 1) * p.stride.1 - 2 * p.padding.1 + p.dilation.1 * (kw - 1) + p.outputPadding.1 + 1
        guard gy.shape == [n, cout, oh, ow] else {
            throw TensorError.shape("conv_transpose2d backward: expected grad_output of size \(sizes([n, cout, oh, ow])), but got \(sizes(gy.shape))")
        }
        var gx: Tensor?
        if inputGrad {
            var r = try conv2d(gy, w, nil, Conv2dParams(stride: p.stride, padding: p.padding, dilation: p.dilation, groups: p.groups))
            // output_padding ≥ stride (allowed when below dilation) leaves extra rows: not the input's.
            if r.shape[2] != h || r.shape[3] != wd { r = try cropTo(r, h: h, w: wd) }
            gx = batched ? r : try r.squeeze(0)
        }
        var gw: Tensor?
        if weightGrad {
            // Kernel positions are the input's pixels; the image they touch is the output.
            let g = ConvGeometry(channels: og, imageH: oh, imageW: ow, gridH: h, gridW: wd, kh: kh, kw: kw,
                                 sh: p.stride.0, sw: p.stride.1, dh: p.dilation.0, dw: p.dilation.1,
                                 padTop: p.padding.0, padLeft: p.padding.1)
            gw = try convWeightGrad(image: gy, grad: x, g, groups: p.groups, weightShape: w.shape)
        }
        let gb = biasGrad ? try channelSums(gy) : nil
        try Cancellation.check()
        return ConvGrads(input: gx, weight: gw, bias: gb)
    }

    /// (N, C, H', W') → its top-left (N, C, h, w), contiguous.
    static func cropTo(_ t: Tensor, h: Int, w: Int) throws -> Tensor {
        try t.view(shape: [t.shape[0], t.shape[1], h, w], strides: t.strides, offset: t.offset).contiguous()
    }

    /// Per-channel sums of a contiguous (N, C, spatial...) tensor: the bias gradient.
    static func channelSums(_ gy: Tensor) throws -> Tensor {
        let n = gy.shape[0], c = gy.shape[1], plane = Shape.count(Array(gy.shape.dropFirst(2)))
        let out = try Tensor(zeros: [c])
        let gp = gy.floatPtr, op = out.floatPtr
        Parallel.forEach(c, minPerThread: max(1, 16_384 / max(n * plane, 1))) { ch in
            // Eight lanes of two vectors summed apart (a scalar `+=` chain runs at one add per
            // latency: it took longer than LeNet's whole direct weight gradient).
            var total: Double = 0
            for s in 0..<n {
                let q = gp + (s * c + ch) * plane
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
                var i = 0
                while i + 16 <= plane {
                    a0 += UnsafeRawPointer(q + i).loadUnaligned(as: SIMD8<Float>.self)
                    a1 += UnsafeRawPointer(q + i + 8).loadUnaligned(as: SIMD8<Float>.self)
                    i += 16
                }
                var acc = (a0 + a1).sum()
                while i < plane { acc += q[i]; i += 1 }
                total += Double(acc)
            }
            op[ch] = Float(total)
        }
        return out
    }

    /// Floats of the column matrix one weight-gradient product reads: several images'
    /// columns side by side, so the product's inner dimension is long (the output gradient
    /// of a 7×7 or 14×14 layer gives only 49 or 196 positions per image).
    nonisolated(unsafe) public static var convBatchFloats = 1 << 22

    /// dW[grp·og + o, r] = Σ over samples and grid positions of grad[s, grp·og + o, pos] ·
    /// im2col(image[s, group grp])[r, pos]. `image` is (N, groups·g.channels, imageH, imageW),
    /// `grad` (N, Cout, gridH, gridW), both contiguous. Small grids (< 1024 positions) whose
    /// columns fit in `convBatchFloats`: chunks of images, their columns built side by side (rows split over
    /// the workers) and one product per chunk and group, split over the workers by `BLAS.sgemm`.
    /// Larger grids: column tiles of each (sample, group) as in the forward, each worker
    /// accumulating its own partial weight gradient, the partials summed at the end.
    static func convWeightGrad(image: Tensor, grad: Tensor, _ g: ConvGeometry, groups: Int,
                               weightShape: [Int]) throws -> Tensor {
        let n = image.shape[0], cin = image.shape[1], hw = g.imageH * g.imageW
        let cout = grad.shape[1], og = cout / groups, K = g.rows, P = g.gridSize
        let out = try Tensor(zeros: weightShape)
        if out.numel == 0 || P == 0 || n == 0 { return out }
        let xp = image.floatPtr, gp = grad.floatPtr
        if P < 1024 && K * P <= convBatchFloats {
            let b = max(1, min(n, convBatchFloats / (K * P)))
            let col = try ScratchPool.shared.take(K * b * P), gbuf = try ScratchPool.shared.take(og * b * P)
            defer { ScratchPool.shared.give(col); ScratchPool.shared.give(gbuf) }
            let cp = col.floats, bp = gbuf.floats, op = out.floatPtr
            for s0 in stride(from: 0, to: n, by: b) {
                let bs = min(b, n - s0), width = bs * P
                for grp in 0..<groups {
                    Parallel.forEach(K, minPerThread: max(1, 8192 / max(width, 1))) { r in
                        for j in 0..<bs {
                            g.im2colTileRow(r, p0: 0, p1: P, image: xp + ((s0 + j) * cin + grp * g.channels) * hw,
                                            dst: cp + r * width + j * P)
                        }
                    }
                    for j in 0..<bs {
                        for o in 0..<og {
                            (bp + o * width + j * P).update(from: gp + ((s0 + j) * cout + grp * og + o) * P, count: P)
                        }
                    }
                    BLAS.sgemm(transA: false, transB: true, m: og, n: K, k: width, a: bp, lda: width, b: cp, ldb: width,
                               beta: s0 == 0 ? 0 : 1, c: op + grp * og * K, ldc: K)
                }
                if Cancellation.requested { break }
            }
            return out
        }
        let pointwise = g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.padTop == 0 && g.padLeft == 0
            && g.imageH == g.gridH && g.imageW == g.gridW
        let images = n * groups, workers = Parallel.threads
        var tilesPerImage = max(1, (P * K + convTileFloats - 1) / convTileFloats)
        if workers > 1 && images * tilesPerImage < 4 * workers {
            while images * tilesPerImage < 4 * workers && tilesPerImage < P { tilesPerImage += 1 }
        }
        let tile = (P + tilesPerImage - 1) / tilesPerImage
        tilesPerImage = (P + tile - 1) / tile
        let items = images * tilesPerImage
        let active = max(1, min(workers, items))
        let wsize = cout * K
        let partials = try (1..<active).map { _ in try Tensor(zeros: [wsize]) }
        let bufs = pointwise ? [] : try (0..<active).map { _ in try ScratchPool.shared.take(K * tile) }
        defer { bufs.forEach { ScratchPool.shared.give($0) } }
        // Raw pointers below: the partials must outlive every use of them.
        defer { withExtendedLifetime(partials) {} }
        let outs = [out.floatPtr] + partials.map { $0.floatPtr }
        let runItem = { (item: Int, acc: UnsafeMutablePointer<Float>, col: UnsafeMutablePointer<Float>?) in
            let im = item / tilesPerImage, t = item % tilesPerImage
            let s = im / groups, grp = im % groups
            let p0 = t * tile, p1 = min(P, p0 + tile), width = p1 - p0
            let src = xp + (s * cin + grp * g.channels) * hw
            var B = UnsafePointer(src + p0), ldb = P
            if let col {
                for r in 0..<K { g.im2colTileRow(r, p0: p0, p1: p1, image: src, dst: col + r * width) }
                B = UnsafePointer(col); ldb = width
            }
            // (og × width) · (K × width)ᵀ added into this group's (og × K) block.
            BLAS.sgemm(transA: false, transB: true, m: og, n: K, k: width, a: gp + (s * cout + grp * og) * P + p0, lda: P,
                       b: B, ldb: ldb, beta: 1, c: acc + grp * og * K, ldc: K)
        }
        if active == 1 {
            for item in 0..<items {
                if Cancellation.requested { break }
                runItem(item, outs[0], pointwise ? nil : bufs[0].floats)
            }
            return out
        }
        Parallel.forEach(active) { wkr in
            let col = pointwise ? nil : bufs[wkr].floats
            for item in stride(from: wkr, to: items, by: active) {
                if Cancellation.requested { return }
                runItem(item, outs[wkr], col)
            }
        }
        // Sum the partials into the output, split over the workers by element ranges.
        let op = outs[0]
        Parallel.forEach(active) { part in
            let lo = wsize * part / active, hi = wsize * (part + 1) / active
            for k in 1..<active {
                let src = outs[k]
                for i in lo..<hi { op[i] += src[i] }
            }
        }
        return out
    }

    /// The gradient of conv2d's input: (N, groups·g.channels, imageH, imageW). Stride 1 with
    /// the flipped kernel fitting in the padding and a grid as large as the image ('same'
    /// padding): a convolution of `grad` with the flipped, transposed weight (Winograd when
    /// 3×3 with enough channels; the direct kernel for 3–8 image channels and ≤ 16 grid channels,
    /// whatever the grid's size). Otherwise col = Wᵀ·grad by sgemm, scattered back by col2im,
    /// one (sample, group) per worker: for a grid smaller than the image (LeNet's unpadded
    /// 5×5) that is fewer multiplies (kernel·grid, not kernel·image) and a smaller column.
    static func convInputGrad(_ grad: Tensor, weight w: Tensor, imageShape: [Int], _ g: ConvGeometry, groups: Int,
                              padBottom: Int, padRight: Int) throws -> Tensor {
        let n = imageShape[0], cin = imageShape[1], h = g.imageH, wd = g.imageW
        let cout = w.shape[0], og = cout / groups, cg = g.channels, kh = g.kh, kw = g.kw
        let reachH = g.dh * (kh - 1), reachW = g.dw * (kw - 1)
        let flipPad = (top: reachH - g.padTop, bottom: reachH - padBottom, left: reachW - g.padLeft, right: reachW - padRight)
        let flipFits = g.sh == 1 && g.sw == 1 && min(flipPad.top, flipPad.bottom, flipPad.left, flipPad.right) >= 0
            && !(kh == 1 && kw == 1) && grad.numel > 0
        // The flipped convolution by the direct kernel (its Cout = this conv's Cin, 3–8; its Cin =
        // this conv's Cout, up to 16): LeNet's conv2, whose 14×14 image gradient takes 6·400 taps per
        // position there, twice the multiplies of 150 × 16 by sgemm plus a col2im scatter, and
        // still 1.4× less CPU time at batch 256 (4.1 against 5.6 ms, one thread).
        let direct = flipFits && groups == 1 && directConvEnabled && directConvSupported && (3...8).contains(cin)
            && cout <= 16 && cout * kh * kw <= 1024 && wd >= 8
        if flipFits && (direct || h * wd <= g.gridSize) {
            // wf[grp·cg + c, o, i, j] = w[grp·og + o, c, kh−1−i, kw−1−j]
            let wf = try Tensor(uninitialized: [cin, og, kh, kw])
            let wp = w.floatPtr, fp = wf.floatPtr, kk = kh * kw
            for grp in 0..<groups {
                for o in 0..<og {
                    for c in 0..<cg {
                        let src = wp + ((grp * og + o) * cg + c) * kk, dst = fp + ((grp * cg + c) * og + o) * kk
                        for i in 0..<kk { dst[i] = src[kk - 1 - i] }
                    }
                }
            }
            let q = Conv2dParams(stride: (1, 1), padding: flipPad, dilation: (g.dh, g.dw), groups: groups)
            if direct {
                let y = try Tensor(uninitialized: imageShape)
                try withExtendedLifetime((grad, wf)) {
                    try directConv(x: grad.floatPtr, n: n, cin: cout, h: g.gridH, w: g.gridW, weight: wf.floatPtr, cout: cin,
                                   kh: kh, kw: kw, bias: nil, p: q, oh: h, ow: wd, out: y.floatPtr)
                }
                return y
            }
            let y = try conv2d(grad, wf, nil, q)
            if y.shape == imageShape { return y }
        }
        let out = try Tensor(zeros: imageShape)
        let K = g.rows, P = g.gridSize
        if out.numel == 0 || P == 0 || og == 0 { return out }
        let gp = grad.floatPtr, wp = w.floatPtr, op = out.floatPtr
        let pointwise = kh == 1 && kw == 1 && g.sh == 1 && g.sw == 1 && g.padTop == 0 && g.padLeft == 0
            && g.gridH == h && g.gridW == wd
        let images = n * groups
        let runImage = { (im: Int, col: UnsafeMutablePointer<Float>?, parallel: Bool) in
            let s = im / groups, grp = im % groups
            let dst = op + (s * cin + grp * cg) * h * wd
            let a = wp + grp * og * K, b = gp + (s * cout + grp * og) * P
            if let col {
                BLAS.sgemm(transA: true, transB: false, m: K, n: P, k: og, a: a, lda: K, b: b, ldb: P, c: col, ldc: P)
                g.col2im(col: col, image: dst, parallel: parallel)
            } else {
                BLAS.sgemm(transA: true, transB: false, m: K, n: P, k: og, a: a, lda: K, b: b, ldb: P, c: dst, ldc: P)
            }
        }
        let workers = Parallel.threads
        if images < workers || workers == 1 {
            let col = pointwise ? nil : try ScratchPool.shared.take(K * P)
            defer { col.map { ScratchPool.shared.give($0) } }
            for im in 0..<images {
                if Cancellation.requested { break }
                runImage(im, col?.floats, true)
            }
            return out
        }
        let bufs = pointwise ? [] : try (0..<workers).map { _ in try ScratchPool.shared.take(K * P) }
        defer { bufs.forEach { ScratchPool.shared.give($0) } }
        Parallel.forEach(workers) { wkr in
            let col = pointwise ? nil : bufs[wkr].floats
            for im in stride(from: wkr, to: images, by: workers) {
                if Cancellation.requested { return }
                runImage(im, col, false)
            }
        }
        return out
    }
}
