import CConv

/// Direct convolution for 1–8 input channels (`CConv`, AVX2 + FMA): the 7×7 stride-2
/// stem of image networks and LeNet's 5×5 convs. There im2col + sgemm spends as much
/// time building and packing the column matrix (Cin·k² rows by every output pixel) as
/// multiplying; here each image is copied once into zero-padded planes split by column
/// phase (so a stride-2 tap reads 8 consecutive floats), and each output block is summed
/// over all taps in registers, by one of two kernels (whichever leaves fewer vector lanes
/// empty): *spatial* — 2–6 output channels × up to 48 columns of a row (wide outputs: the
/// stem, LeNet's conv1 with Cout 6); *channels* — 8 or 16 output channels × up to 6–8
/// output positions (narrow outputs: LeNet's conv2, 16 channels of 10 columns).
/// CPUs without AVX2 + FMA take im2col + sgemm (`directConvSupported` is false).
extension Kernels {
    /// TENSORPAD_CONV_DIRECT=0 turns the direct kernel off (for A/B runs).
    nonisolated(unsafe) public static var directConvEnabled = getenvString("TENSORPAD_CONV_DIRECT") != "0"
    public static let directConvSupported = tp_conv_direct_supported() != 0

    /// Which direct kernel runs: `.automatic` (by lane use), or one forced (tests, and A/B runs
    /// with TENSORPAD_CONV_DIRECT=spatial or =channels).
    public enum DirectConvKernel: Sendable { case automatic, spatial, channels }
    nonisolated(unsafe) public static var directConvKernel: DirectConvKernel = {
        switch getenvString("TENSORPAD_CONV_DIRECT") {
        case "spatial": return .spatial
        case "channels": return .channels
        default: return .automatic
        }
    }()

    public static func directConvApplies(cin: Int, kh: Int, kw: Int, p: Conv2dParams, ow: Int) -> Bool {
        directConvEnabled && directConvSupported && p.groups == 1 && cin <= 8 && cin * kh * kw <= 1024
            && ow >= 8 && p.stride.0 <= 4 && p.stride.1 <= 4
    }

    /// The kernel and its channel block for `cout` channels and `ow` output columns: the
    /// channel kernel (8 or 16 channels in the lanes) when it fills clearly more lanes than the
    /// spatial one (channel blocks of 2–6 × column vectors of 8).
    static func directConvPlan(cout: Int, ow: Int) -> (channels: Bool, block: Int) {
        let cb = Int(tp_conv_spatial_block(Int32(cout)))
        let spatialUse = Double(cout) / Double((cout + cb - 1) / cb * cb) * Double(ow) / Double((ow + 7) / 8 * 8)
        let lanes = cout > 8 ? 16 : 8
        let channelUse = Double(cout) / Double((cout + lanes - 1) / lanes * lanes)
        switch directConvKernel {
        case .spatial: return (false, cb)
        case .channels: return (true, lanes)
        case .automatic: return channelUse > spatialUse + 0.1 ? (true, lanes) : (false, cb)
        }
    }

    /// out (N, Cout, oh, ow) = conv(x (N, Cin, h, w), weight (Cout, Cin, kh, kw)) + bias.
    /// Batches of at least two images per worker: each worker takes whole images, copying each
    /// into its own planes just before computing it (one parallel pass, the planes cache-hot).
    /// Fewer images: all planes first, then rows (or positions) of every image as the work items.
    static func directConv(x: UnsafePointer<Float>, n: Int, cin: Int, h: Int, w: Int,
                           weight: UnsafePointer<Float>, cout: Int, kh: Int, kw: Int,
                           bias: UnsafePointer<Float>?, p: Conv2dParams, oh: Int, ow: Int,
                           out: UnsafeMutablePointer<Float>) throws {
        let (sh, sw) = p.stride, (dh, dw) = p.dilation
        let taps = cin * kh * kw
        let hp = (oh - 1) * sh + (kh - 1) * dh + 1
        let wq = (ow + 7) / 8 * 8 + ((kw - 1) * dw) / sw + 1
        let planeFloats = cin * sw * hp * wq
        try CIntArgument.check("conv2d", ["cout": cout, "taps": taps, "h": h, "w": w, "padding": p.padding.top,
                                  "padding": p.padding.left, "dh": dh, "dw": dw, "hp": hp, "wq": wq, "oh": oh, "ow": ow, "oh * ow": oh * ow])
        let plan = directConvPlan(cout: cout, ow: ow)
        let block = plan.block
        let packed = try ScratchPool.shared.take((cout + block - 1) / block * block * taps)
        defer { ScratchPool.shared.give(packed) }
        tp_conv_pack_weights(weight, Int32(cout), Int32(taps), Int32(block), packed.floats)
        let wp = UnsafePointer(packed.floats)
        let imageFloats = cin * h * w, outFloats = cout * oh * ow
        let planes = { (src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) in
            tp_conv_phase_planes(src, Int32(cin), Int32(h), Int32(w), Int32(p.padding.top), Int32(p.padding.left),
                                 Int32(sw), Int32(hp), Int32(wq), dst)
        }
        // Output rows [r0, r1) (spatial) or positions [r0, r1) (channels) of one image.
        let compute = { (pl: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>, r0: Int, r1: Int) in
            if plan.channels {
                tp_conv_direct_positions(pl, Int32(cin), Int32(sw), Int32(hp), Int32(wq), wp, Int32(block / 8),
                                         Int32(cout), Int32(kh), Int32(kw), Int32(sh), Int32(dh), Int32(dw), bias,
                                         dst, Int32(oh), Int32(ow), Int32(r0), Int32(r1))
            } else {
                tp_conv_direct_rows(pl, Int32(cin), Int32(sw), Int32(hp), Int32(wq), wp, Int32(block),
                                    Int32(cout), Int32(kh), Int32(kw), Int32(sh), Int32(dh), Int32(dw), bias,
                                    dst, Int32(oh), Int32(ow), Int32(r0), Int32(r1))
            }
        }
        let units = plan.channels ? oh * ow : oh
        let workers = Parallel.threads
        if n >= 2 * workers {
            let bufs = try (0..<workers).map { _ in try ScratchPool.shared.take(planeFloats) }
            defer { bufs.forEach { ScratchPool.shared.give($0) } }
            Parallel.forEach(workers) { wkr in
                let pl = bufs[wkr].floats
                for s in n * wkr / workers..<n * (wkr + 1) / workers {
                    if Cancellation.requested { return }
                    planes(x + s * imageFloats, pl)
                    compute(pl, out + s * outFloats, 0, units)
                }
            }
            try Cancellation.check()
            return
        }
        let chunk = max(1, min(n, (4 << 20) / max(planeFloats, 1)))
        let planeBuf = try ScratchPool.shared.take(chunk * planeFloats)
        defer { ScratchPool.shared.give(planeBuf) }
        let pp = planeBuf.floats
        for first in stride(from: 0, to: n, by: chunk) {
            let images = min(chunk, n - first)
            Parallel.forEach(images * cin) { item in
                let s = item / cin, c = item % cin
                tp_conv_phase_planes(x + (first + s) * imageFloats + c * h * w, 1, Int32(h), Int32(w),
                                     Int32(p.padding.top), Int32(p.padding.left), Int32(sw), Int32(hp), Int32(wq),
                                     pp + s * planeFloats + c * sw * hp * wq)
            }
            // Items of a few rows (positions) each: enough of them to balance the workers.
            let perItem = max(1, min(units, (images * units) / (8 * workers)))
            let itemsPerImage = (units + perItem - 1) / perItem
            Parallel.forEach(images * itemsPerImage) { item in
                let s = item / itemsPerImage, r0 = (item % itemsPerImage) * perItem
                compute(pp + s * planeFloats, out + (first + s) * outFloats, r0, min(units, r0 + perItem))
            }
            try Cancellation.check()
        }
    }
}
