/// How a convolution pads its input: explicit sizes (one per spatial dim, or
/// one for all), `'same'` (output as large as the input, stride 1; an odd
/// total puts the extra element on the right/bottom, as PyTorch does) or `'valid'` (none).
public enum ConvPadding: Sendable, Equatable {
    case sizes([Int])
    case same
    case valid
}

/// Parameters of `conv2d` after defaults and padding are resolved.
/// Padding may be asymmetric (as `'same'` needs): top, bottom, left, right.
public struct Conv2dParams: Sendable {
    public var stride: (Int, Int)
    public var padding: (top: Int, bottom: Int, left: Int, right: Int)
    public var dilation: (Int, Int)
    public var groups: Int

    public init(stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1) {
        self.stride = stride
        self.padding = (padding.0, padding.0, padding.1, padding.1)
        self.dilation = dilation
        self.groups = groups
    }

    public init(stride: (Int, Int), padding: (top: Int, bottom: Int, left: Int, right: Int), dilation: (Int, Int), groups: Int) {
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
    }
}

extension Kernels {
    /// Padding for `'same'` along one dim: total = dilation·(k−1), left = total/2, the rest on the right.
    public static func samePadding(kernel: Int, dilation: Int) -> (left: Int, right: Int) {
        let total = dilation * (kernel - 1)
        return (total / 2, total - total / 2)
    }

    /// `F.conv2d` with PyTorch's argument forms, plus `nn.Conv2d`'s `padding_mode`
    /// (non-zero modes pad the input with `pad` and convolve without padding).
    public static func conv2d(_ input: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                              padding: ConvPadding = .sizes([0]), dilation: (Int, Int) = (1, 1), groups: Int = 1,
                              paddingMode: PadMode = .constant) throws -> Tensor {
        guard input.rank == 3 || input.rank == 4 else {
            throw TensorError.shape("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: \(sizes(input.shape))")
        }
        let p = try resolvePadding(padding, weight: weight, spatial: 2, stride: [stride.0, stride.1], dilation: [dilation.0, dilation.1])
        try checkArguments(p, "padding")
        if paddingMode == .constant {
            return try conv2d(input, weight, bias, Conv2dParams(stride: stride, padding: (p[0], p[1], p[2], p[3]), dilation: dilation, groups: groups))
        }
        let padded = try pad(input, [p[2], p[3], p[0], p[1]], mode: paddingMode)
        return try conv2d(padded, weight, bias, Conv2dParams(stride: stride, padding: (0, 0), dilation: dilation, groups: groups))
    }

    /// Explicit / same / valid padding as (before, after) pairs per spatial dim, flattened.
    public static func resolvePadding(_ padding: ConvPadding, weight: Tensor, spatial: Int, stride: [Int], dilation: [Int]) throws -> [Int] {
        switch padding {
        case .valid: return [Int](repeating: 0, count: 2 * spatial)
        case .sizes(let s):
            guard s.count == 1 || s.count == spatial else {
                throw TensorError.value("expected padding to be a single integer value or a list of \(spatial) values to match the convolution dimensions, but got padding=\(sizes(s))")
            }
            return (0..<spatial).flatMap { i in [s.count == 1 ? s[0] : s[i], s.count == 1 ? s[0] : s[i]] }
        case .same:
            if stride.contains(where: { $0 != 1 }) {
                throw TensorError.value("padding='same' is not supported for strided convolutions")
            }
            guard weight.rank == spatial + 2 else {
                throw TensorError.shape("Expected \(weight.rank)-dimensional input for \(weight.rank)-dimensional weight \(sizes(weight.shape)), but got \(spatial + 2)-dimensional input instead")
            }
            return (0..<spatial).flatMap { i -> [Int] in
                let s = samePadding(kernel: weight.shape[2 + i], dilation: dilation[i])
                return [s.left, s.right]
            }
        }
    }

    /// `F.conv2d` on resolved parameters: input (N, C, H, W) or (C, H, W),
    /// weight (Cout, C/groups, kh, kw), bias (Cout) or nil. im2col + sgemm per sample and group;
    /// 3×3 stride-1 ungrouped convs with ≥ 16 channels by Winograd (`Winograd.swift`);
    /// ungrouped convs with ≤ 8 input channels by the direct kernels (`DirectConv.swift`).
    public static func conv2d(_ input: Tensor, _ weight: Tensor, _ bias: Tensor?, _ p: Conv2dParams) throws -> Tensor {
        guard input.rank == 3 || input.rank == 4 else {
            throw TensorError.shape("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: \(sizes(input.shape))")
        }
        let batched = input.rank == 4
        let x4 = batched ? input : try input.unsqueeze(0)
        let pad = p.padding
        try checkArguments([pad.top, pad.bottom, pad.left, pad.right], "padding")
        if min(pad.top, pad.bottom, pad.left, pad.right) < 0 { throw TensorError.value("negative padding is not supported") }
        try checkConvShapes(input: x4.shape, weight: weight.shape, bias: bias, stride: [p.stride.0, p.stride.1],
                            padding: [pad.top + pad.bottom, pad.left + pad.right], dilation: [p.dilation.0, p.dilation.1], outputPadding: [],
                            groups: p.groups, transposed: false)
        let x = try floatContiguous(x4), w = try floatContiguous(weight)
        let n = x.shape[0], cin = x.shape[1], h = x.shape[2], wd = x.shape[3]
        let cout = w.shape[0], kh = w.shape[2], kw = w.shape[3], groups = p.groups
        let effH = p.dilation.0 * (kh - 1) + 1, effW = p.dilation.1 * (kw - 1) + 1
        let padH = h + pad.top + pad.bottom, padW = wd + pad.left + pad.right
        guard padH >= effH, padW >= effW else {
            throw TensorError.shape("Calculated padded input size per channel: (\(padH) x \(padW)). Kernel size: (\(effH) x \(effW)). Kernel size can't be greater than actual input size")
        }
        let oh = (padH - effH) / p.stride.0 + 1, ow = (padW - effW) / p.stride.1 + 1
        // Every element is written below: by the bias fill, or by sgemm with beta = 0.
        let out = try Tensor(uninitialized: [n, cout, oh, ow])
        let g = ConvGeometry(channels: cin / groups, imageH: h, imageW: wd, gridH: oh, gridW: ow, kh: kh, kw: kw,
                             sh: p.stride.0, sw: p.stride.1, dh: p.dilation.0, dw: p.dilation.1,
                             padTop: pad.top, padLeft: pad.left)
        if out.numel > 0 && winogradApplies(cin: cin, cout: cout, kh: kh, kw: kw, p: p, oh: oh, ow: ow)
            && winogradPays(n: n, cin: cin, cout: cout, oh: oh, ow: ow) {
            let biasT = try bias.map { try floatContiguous($0) }
            let done = try withExtendedLifetime((x, w, biasT)) {
                try winograd3x3(x: x.floatPtr, n: n, cin: cin, h: h, w: wd, weight: w.floatPtr, cout: cout,
                                bias: biasT.map { UnsafePointer($0.floatPtr) }, padTop: pad.top, padLeft: pad.left,
                                oh: oh, ow: ow, out: out.floatPtr)
            }
            if done { return batched ? out : try out.squeeze(0) }
            // An output not finite (or buffers over the memory limit): computed directly, below,
            // so NaN and inf land where PyTorch's direct convolution puts them.
        }
        if out.numel > 0 && directConvApplies(cin: cin, kh: kh, kw: kw, p: p, ow: ow) {
            let biasT = try bias.map { try floatContiguous($0) }
            try withExtendedLifetime((x, w, biasT)) {
                try directConv(x: x.floatPtr, n: n, cin: cin, h: h, w: wd, weight: w.floatPtr, cout: cout, kh: kh, kw: kw,
                               bias: biasT.map { UnsafePointer($0.floatPtr) }, p: p, oh: oh, ow: ow, out: out.floatPtr)
            }
            return batched ? out : try out.squeeze(0)
        }
        let og = cout / groups, K = g.rows, P = g.gridSize
        let xp = x.floatPtr, wp = w.floatPtr, op = out.floatPtr
        // The bias is written into each output block just before its sgemm (beta = 1),
        // inside the worker that owns the block, so the block is cache-hot for the sgemm.
        let biasT = try bias.map { try floatContiguous($0) }
        let bp = biasT?.floatPtr
        @inline(__always) func fillBias(_ s: Int, _ grp: Int, _ p0: Int, _ width: Int) {
            guard let bp else { return }
            for c in grp * og..<(grp + 1) * og { (op + (s * cout + c) * P + p0).update(repeating: bp[c], count: width) }
        }
        if out.numel == 0 || K == 0 {
            if bp == nil { out.floatPtr.update(repeating: 0, count: out.numel) }
            for s in 0..<n { for grp in 0..<groups { fillBias(s, grp, 0, P) } }
            return batched ? out : try out.squeeze(0)
        }
        let beta: Float = bias == nil ? 0 : 1
        let pointwise = kh == 1 && kw == 1 && p.stride == (1, 1) && pad == (0, 0, 0, 0)
        // Work items are column tiles of each (sample, group) product: every worker
        // builds its tile's columns in a cache-sized buffer and runs a single-threaded
        // sgemm on it, so im2col is parallel and its output is read back from cache.
        let images = n * groups
        let workers = Parallel.threads
        var tilesPerImage = max(1, (P * K + convTileFloats - 1) / convTileFloats)
        if workers > 1 && images * tilesPerImage < 8 * workers {
            while (images * tilesPerImage) % workers != 0 && tilesPerImage < P { tilesPerImage += 1 }
        }
        let tile = (P + tilesPerImage - 1) / tilesPerImage
        tilesPerImage = (P + tile - 1) / tile
        let items = images * tilesPerImage
        // One image: one product split over the workers (`BLAS.sgemm`) after a threaded
        // whole-matrix im2col; per-worker tiles measured the same for the 7×7/2 stem (A/B,
        // two rounds). Batches go to the per-worker tiles below (for them, per-image split
        // products measured no better).
        let wholeImages = images == 1
        let runItem = { (item: Int, col: UnsafeMutablePointer<Float>?) in
            let image = item / tilesPerImage, t = item % tilesPerImage
            let s = image / groups, grp = image % groups
            let p0 = t * tile, p1 = min(P, p0 + tile), width = p1 - p0
            let src = xp + (s * cin + grp * g.channels) * h * wd
            var B = UnsafePointer(src + p0), ldb = P
            if let col {
                for r in 0..<K { g.im2colTileRow(r, p0: p0, p1: p1, image: src, dst: col + r * width) }
                B = UnsafePointer(col); ldb = width
            }
            fillBias(s, grp, p0, width)
            BLAS.sgemm(transA: false, transB: false, m: og, n: width, k: K, a: wp + grp * og * K, lda: K,
                       b: B, ldb: ldb, beta: beta, c: op + (s * cout + grp * og) * P + p0, ldc: P)
        }
        if items == 1 || wholeImages {
            let col = pointwise ? nil : try ScratchPool.shared.take(K * P)
            defer { col.map { ScratchPool.shared.give($0) } }
            for image in 0..<images {
                let s = image / groups, grp = image % groups
                let src = xp + (s * cin + grp * g.channels) * h * wd
                var B = UnsafePointer(src)
                if let col {
                    g.im2col(image: src, col: col.floats, parallel: true)
                    B = UnsafePointer(col.floats)
                }
                fillBias(s, grp, 0, P)
                BLAS.sgemm(transA: false, transB: false, m: og, n: P, k: K, a: wp + grp * og * K, lda: K,
                           b: B, ldb: P, beta: beta, c: op + (s * cout + grp * og) * P, ldc: P)
            }
            return batched ? out : try out.squeeze(0)
        }
        let active = min(workers, items)
        let bufs = pointwise ? [] : try (0..<active).map { _ in try ScratchPool.shared.take(K * tile) }
        defer { bufs.forEach { ScratchPool.shared.give($0) } }
        Parallel.forEach(active) { wkr in
            let col = pointwise ? nil : bufs[wkr].floats
            for item in stride(from: wkr, to: items, by: active) {
                if Cancellation.requested { return }   // Ctrl-C: stop between items
                runItem(item, col)
            }
        }
        try Cancellation.check()
        return batched ? out : try out.squeeze(0)
    }

    /// `F.conv1d`: input (N, C, L) or (C, L), weight (Cout, C/groups, k); runs as conv2d with H = 1.
    public static func conv1d(_ input: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: Int = 1,
                              padding: ConvPadding = .sizes([0]), dilation: Int = 1, groups: Int = 1,
                              paddingMode: PadMode = .constant) throws -> Tensor {
        guard input.rank == 2 || input.rank == 3 else {
            throw TensorError.shape("Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: \(sizes(input.shape))")
        }
        let batched = input.rank == 3
        var x = batched ? input : try input.unsqueeze(0)
        let p = try resolvePadding(padding, weight: weight, spatial: 1, stride: [stride], dilation: [dilation])
        try checkArguments(p, "padding")
        var left = p[0], right = p[1]
        if paddingMode != .constant {
            x = try pad(x, [left, right], mode: paddingMode)
            left = 0; right = 0
        }
        if min(left, right) < 0 { throw TensorError.value("negative padding is not supported") }
        try checkConvShapes(input: x.shape, weight: weight.shape, bias: bias, stride: [stride], padding: [left + right],
                            dilation: [dilation], outputPadding: [], groups: groups, transposed: false)
        let params = Conv2dParams(stride: (1, stride), padding: (top: 0, bottom: 0, left: left, right: right),
                                  dilation: (1, dilation), groups: groups)
        let y = try conv2d(x.unsqueeze(2), weight.unsqueeze(2), bias, params).squeeze(2)
        return batched ? y : try y.squeeze(0)
    }
}
