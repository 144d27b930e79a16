import CConv

/// Direct convolution for 1–8 input channels (`CConv`, AVX2 + FMA): the 7×7 stride-2
/// stem of image networks and LeNet's 5×5 convs. There im2col + sgemm spends as much
/// time building and packing the column matrix (Cin·k² rows by every output pixel) as
/// multiplying; here each image is copied once into zero-padded planes split by column
/// phase (so a stride-2 tap reads 8 consecutive floats), and each output block is summed
/// over all taps in registers, by one of two kernels (whichever leaves fewer vector lanes
/// empty): *spatial* — 2–6 output channels × up to 48 columns of a row (wide outputs: the
/// stem, LeNet's conv1 with Cout 6); *channels* — 8 or 16 output channels × up to 6–8
/// output positions (narrow outputs: LeNet's conv2, 16 channels of 10 columns). Where AVX-512F
/// runs, both take vectors of 16 floats (`direct_conv_wide.c`: 16 columns, or 16 channels), as
/// PyTorch's oneDNN takes zmm registers there. CPUs without AVX2 + FMA take im2col + sgemm
/// (`directConvSupported` is false).
extension Kernels {
    /// TENSORPAD_CONV_DIRECT=0 turns the direct kernel off (for A/B runs).
    nonisolated(unsafe) public static var directConvEnabled = getenvString("TENSORPAD_CONV_DIRECT") != "0"
    public static let directConvSupported = tp_conv_direct_supported() != 0
    /// Whether this CPU runs the wide kernels' AVX-512F builds (vectors of 16 floats).
    public static let directConvWideNative = tp_conv_wide_supported() != 0
    /// Whether the kernels take vectors of 16 floats: where AVX-512F runs. TENSORPAD_CONV_WIDE=1
    /// forces them (their AVX2 builds on other CPUs: tests, A/B runs), =0 turns them off.
    nonisolated(unsafe) public static var directConvWide: Bool = {
        switch getenvString("TENSORPAD_CONV_WIDE") {
        case "1": return true
        case "0": return false
        default: return directConvWideNative
        }
    }()

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

    /// Which direct kernels a CPU with these features runs: the AVX2 + FMA ones, and the wide
    /// (AVX-512F) builds. `directConvSupported` and `directConvWideNative` ask the CPU itself
    /// (CConv's cpuid); the tests check that they agree with this for the CPU they run on.
    public static func directConvKernels(for features: BLASCore.Features) -> (supported: Bool, wide: Bool) {
        let avx2 = features.isSuperset(of: [.avx2, .fma])
        return (avx2, avx2 && features.contains(.avx512f))
    }

    /// For `make bench`'s machine line: which direct kernels the few-channel convs run.
    public static var directConvSummary: String {
        guard directConvSupported && directConvEnabled else { return "direct conv: off (im2col + sgemm)" }
        if !directConvWide { return "direct conv: AVX2 + FMA, 8 floats a vector" }
        return "direct conv: " + (directConvWideNative ? "AVX-512F" : "AVX2 build of the AVX-512F kernels") + ", 16 floats a vector"
    }

    public static func directConvApplies(cin: Int, kh: Int, kw: Int, p: Conv2dParams, ow: Int) -> Bool {
        directConvEnabled && directConvSupported && p.groups == 1 && cin <= 8 && cin * kh * kw <= 1024
            && ow >= 8 && p.stride.0 <= 4 && p.stride.1 <= 4
    }

    /// The kernel, its channel block and its vector width for `cout` channels and `ow` output
    /// columns: the channel kernel when it fills clearly more lanes than the spatial one (channel
    /// blocks of 2–6 × column vectors of 8, or of 16 where `wide`). The channel kernel's block is
    /// 8 or 16 channels (vectors of 8), or 16 or 32 for more than 8 channels where `wide`.
    static func directConvPlan(cout: Int, ow: Int, wide: Bool = directConvWide)
        -> (channels: Bool, block: Int, wide: Bool) {
        let cb = Int(tp_conv_spatial_block(Int32(cout)))
        let columns = wide ? 16 : 8
        let spatialUse = Double(cout) / Double((cout + cb - 1) / cb * cb) * Double(ow)
            / Double((ow + columns - 1) / columns * columns)
        let wideChannels = wide && cout > 8
        let waste = { (lanes: Int) in (cout + lanes - 1) / lanes * lanes - cout }
        let lanes = wideChannels ? (cout > 16 && waste(32) <= waste(16) ? 32 : 16) : (cout > 8 ? 16 : 8)
        let channelUse = Double(cout) / Double(cout + waste(lanes))
        switch directConvKernel {
        case .spatial: return (false, cb, wide)
        case .channels: return (true, lanes, wideChannels)
        case .automatic: return channelUse > spatialUse + 0.1 ? (true, lanes, wideChannels) : (false, cb, wide)
        }
    }

    /// out (N, Cout, oh, ow) = conv(x (N, Cin, h, w), weight (Cout, Cin, kh, kw)) + bias.
    /// One parallel pass: each worker takes a contiguous share of the batch's output rows (whole
    /// images in a large batch; half of the stem's one image on two workers), copying the plane rows
    /// its share reads into its own planes just before computing it.
    static func directConv(x: UnsafePointer<Float>, n: Int, cin: Int, h: Int, w: Int,
                           weight: UnsafePointer<Float>, cout: Int, kh: Int, kw: Int,
                           bias: UnsafePointer<Float>?, p: Conv2dParams, oh: Int, ow: Int,
                           out: UnsafeMutablePointer<Float>) throws {
        let (sh, sw) = p.stride, (dh, dw) = p.dilation
        let taps = cin * kh * kw
        let hp = (oh - 1) * sh + (kh - 1) * dh + 1
        let plan = directConvPlan(cout: cout, ow: ow)
        let columns = plan.wide ? 16 : 8   // a plane row holds the last vector's columns past ow
        let wq = (ow + columns - 1) / columns * columns + ((kw - 1) * dw) / sw + 1
        try CIntArgument.check("conv2d", ["cout": cout, "taps": taps, "h": h, "w": w, "padding": p.padding.top,
                                  "padding": p.padding.left, "dh": dh, "dw": dw, "hp": hp, "wq": wq, "oh": oh, "ow": ow, "oh * ow": oh * ow])
        let block = plan.block
        let packed = try ScratchPool.shared.take((cout + block - 1) / block * block * taps)
        defer { ScratchPool.shared.give(packed) }
        tp_conv_pack_weights(weight, Int32(cout), Int32(taps), Int32(block), packed.floats)
        let wp = UnsafePointer(packed.floats)
        let imageFloats = cin * h * w, outFloats = cout * oh * ow
        // Output rows [r0, r1) (spatial) or positions [r0, r1) (channels) of one image, from planes of
        // `rows` rows each (a band: `dst` and r0, r1 then count from the band's first output row).
        let compute = { (pl: UnsafePointer<Float>, rows: Int, dst: UnsafeMutablePointer<Float>, r0: Int, r1: Int) in
            if plan.channels && plan.wide {
                tp_conv_direct_positions_wide(pl, Int32(cin), Int32(sw), Int32(rows), Int32(wq), wp, Int32(block / 16),
                                              Int32(cout), Int32(kh), Int32(kw), Int32(sh), Int32(dh), Int32(dw), bias,
                                              dst, Int32(oh), Int32(ow), Int32(r0), Int32(r1), directConvWideNative ? 1 : 0)
            } else if plan.channels {
                tp_conv_direct_positions(pl, Int32(cin), Int32(sw), Int32(rows), Int32(wq), wp, Int32(block / 8),
                                         Int32(cout), Int32(kh), Int32(kw), Int32(sh), Int32(dh), Int32(dw), bias,
                                         dst, Int32(oh), Int32(ow), Int32(r0), Int32(r1))
            } else if plan.wide {
                tp_conv_direct_rows_wide(pl, Int32(cin), Int32(sw), Int32(rows), Int32(wq), wp, Int32(block),
                                         Int32(cout), Int32(kh), Int32(kw), Int32(sh), Int32(dh), Int32(dw), bias,
                                         dst, Int32(oh), Int32(ow), Int32(r0), Int32(r1), directConvWideNative ? 1 : 0)
            } else {
                tp_conv_direct_rows(pl, Int32(cin), Int32(sw), Int32(rows), Int32(wq), wp, Int32(block),
                                    Int32(cout), Int32(kh), Int32(kw), Int32(sh), Int32(dh), Int32(dw), bias,
                                    dst, Int32(oh), Int32(ow), Int32(r0), Int32(r1))
            }
        }
        // The batch's output rows (positions), image after image, in one contiguous share per worker.
        // For each image its share touches, a worker copies the band of plane rows that part reads
        // into its own planes (the whole image's when the share holds whole images; half of the stem's
        // one image plus a few rows of overlap on two workers), then computes the part in pieces
        // (up to eight per image), so that Ctrl-C is honoured between pieces. One parallel pass:
        // no planes pass before it, and each worker's planes stay in its own cache.
        let units = plan.channels ? oh * ow : oh
        let total = n * units
        let active = min(Parallel.threads, total)
        // Pieces of at least ~8 MFLOP (0.1 ms): the stem's image in eight, a LeNet image whole (each
        // call recomputes the tap offsets, and the channel kernel's position chunks shrink with it).
        let imageFlops = 2 * Double(cout) * Double(oh * ow) * Double(taps)
        let pieces = max(1, Int(min(8, imageFlops / 8e6)))
        let piece = (units + pieces - 1) / pieces
        let share = (total + active - 1) / active
        let shareRows = plan.channels ? min(oh, (share + ow - 1) / ow + 1) : min(oh, share)
        let bandFloats = cin * sw * ((shareRows - 1) * sh + (kh - 1) * dh + 1) * wq
        let bufs = try (0..<active).map { _ in try ScratchPool.shared.take(bandFloats) }
        defer { bufs.forEach { ScratchPool.shared.give($0) } }
        Parallel.forEach(active) { wkr in
            let pl = bufs[wkr].floats
            var u = total * wkr / active
            let end = total * (wkr + 1) / active
            while u < end {
                let s = u / units, r0 = u % units, r1 = min(units, r0 + (end - u))
                let (i0, i1) = plan.channels ? (r0 / ow, (r1 - 1) / ow + 1) : (r0, r1)
                let rows = (i1 - 1 - i0) * sh + (kh - 1) * dh + 1
                tp_conv_phase_plane_band(x + s * imageFloats, Int32(cin), Int32(h), Int32(w), Int32(p.padding.top),
                                         Int32(p.padding.left), Int32(sw), Int32(i0 * sh), Int32(rows), Int32(wq), pl)
                let skip = plan.channels ? i0 * ow : i0   // units before the band's first output row
                var a = r0
                while a < r1 {
                    if Cancellation.requested { return }
                    let b = min(r1, a + piece)
                    compute(pl, rows, out + s * outFloats + i0 * ow, a - skip, b - skip)
                    a = b
                }
                u += r1 - r0
            }
        }
        try Cancellation.check()
    }
}
