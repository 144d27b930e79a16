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
/// PyTorch's oneDNN takes zmm registers there; at either width the spatial kernel takes Winograd
/// along the output rows where it pays (`directConvRowTile`). CPUs without AVX2 + FMA take
/// im2col + sgemm (`directConvSupported` is false).
extension Kernels {
    /// TENSORPAD_CONV_DIRECT=0 turns the direct kernel off (for A/B runs).
    nonisolated(unsafe) public static var directConvEnabled = getenvString("TENSORPAD_CONV_DIRECT") != "0"
    public static let directConvSupported = tp_conv_direct_supported() != 0
    /// Whether this CPU runs the wide kernels' AVX-512F builds (vectors of 16 floats).
    public static let directConvWideNative = tp_conv_wide_supported() != 0
    /// Whether the kernels take vectors of 16 floats: where AVX-512F runs. TENSORPAD_CONV_WIDE=1
    /// forces them (their AVX2 builds on other CPUs: tests, A/B runs), =0 turns them off.
    nonisolated(unsafe) public static var directConvWide = getenvSwitch("TENSORPAD_CONV_WIDE", otherwise: directConvWideNative)

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

    /// TENSORPAD_CONV_ROWWINO=0 turns off Winograd along the rows in the spatial kernel (for A/B runs).
    nonisolated(unsafe) public static var directConvRowWinograd = getenvString("TENSORPAD_CONV_ROWWINO") != "0"

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

    /// Output rows per tile of the spatial kernel's Winograd along rows (`direct_conv_rows_winograd.c`),
    /// or 0 for the plain sums. It pays where each of its seven transformed rows still has many taps and
    /// the transforms are shared by many channels (one core, C harness): the stem (42 taps, 64 channels)
    /// 1.5× the plain sums, a 5×5 over 3 channels (15 taps, 64 channels) 1.5×; not LeNet's conv1
    /// (5 taps, 6 channels) nor a 3×3 over 3 channels (9 taps), which it made slower or no faster.
    /// The spatial kernel takes it at either vector width (8, or 16 where AVX-512F runs); the channel
    /// kernel never.
    static func directConvRowTile(cin: Int, cout: Int, kh: Int, kw: Int, p: Conv2dParams, channels: Bool = false) -> Int {
        guard directConvRowWinograd, !channels, cout >= 32, cin * p.stride.0 * kw >= 15 else { return 0 }
        return Int(tp_conv_rowwino_tile(Int32(kh), Int32(p.stride.0), Int32(p.dilation.0)))
    }

    /// out (N, Cout, oh, ow) = conv(x (N, Cin, h, w), weight (Cout, Cin, kh, kw)) + bias.
    /// One parallel pass: each worker owns a contiguous share of the batch's pieces (whole images in
    /// a large batch; half of the stem's row tiles on two workers), copying the plane rows its share
    /// reads into its own planes just before computing it, then takes what is left of the others'.
    static func directConv(x: UnsafePointer<Float>, n: Int, cin: Int, h: Int, w: Int,
                           weight: UnsafePointer<Float>, cout: Int, kh: Int, kw: Int,
                           bias: UnsafePointer<Float>?, p: Conv2dParams, oh: Int, ow: Int,
                           out: UnsafeMutablePointer<Float>) throws {
        let (sh, sw) = p.stride, (dh, dw) = p.dilation
        let taps = cin * kh * kw
        let hp = (oh - 1) * sh + (kh - 1) * dh + 1
        let plan = directConvPlan(cout: cout, ow: ow)
        // The channel kernel reads single floats, none past a row's last tap: with no padding and stride
        // 1 along rows it reads the image itself, copying no planes (LeNet's conv2: 12 % of its time, perf).
        let inPlace = plan.channels && p.padding == (0, 0, 0, 0) && sw == 1
        let columns = plan.wide ? 16 : 8   // a plane row holds the last vector's columns past ow
        let wq = inPlace ? w : (ow + columns - 1) / columns * columns + ((kw - 1) * dw) / sw + 1
        try CIntArgument.check("conv2d", ["cout": cout, "taps": taps, "h": h, "w": w, "padding": p.padding.top,
                                  "padding": p.padding.left, "dh": dh, "dw": dw, "hp": hp, "wq": wq, "oh": oh, "ow": ow, "oh * ow": oh * ow])
        let block = plan.block
        let tile = directConvRowTile(cin: cin, cout: cout, kh: kh, kw: kw, p: p, channels: plan.channels)
        let packed = try ScratchPool.shared.take((cout + block - 1) / block * block * taps)
        defer { ScratchPool.shared.give(packed) }
        tp_conv_pack_weights(weight, Int32(cout), Int32(taps), Int32(block), packed.floats)
        let wp = UnsafePointer(packed.floats)
        let packedT = try ScratchPool.shared.take(tile > 0 ? 7 * (cout + block - 1) / block * block * cin * sh * kw : 1)
        defer { ScratchPool.shared.give(packedT) }
        if tile > 0 {
            tp_conv_rowwino_pack(weight, Int32(cout), Int32(cin), Int32(kh), Int32(kw), Int32(sh), Int32(block), packedT.floats)
        }
        let wt = UnsafePointer(packedT.floats)
        let imageFloats = cin * h * w, outFloats = cout * oh * ow
        // Output rows [r0, r1) (spatial) or positions [r0, r1) (channels) of one image, from planes of
        // `rows` rows each (a band: `dst` and r0, r1 then count from the band's first output row).
        let compute = { (pl: UnsafePointer<Float>, rows: Int, dst: UnsafeMutablePointer<Float>, r0: Int, r1: Int,
                         scratch: UnsafeMutablePointer<Float>) in
            if plan.channels && plan.wide {
                tp_conv_direct_positions_wide(pl, Int32(cin), Int32(sw), Int32(rows), Int32(wq), wp, Int32(block / 16),
                                              Int32(cout), Int32(kh), Int32(kw), Int32(sh), Int32(dh), Int32(dw), bias,
                                              dst, Int32(oh), Int32(ow), Int32(r0), Int32(r1), directConvWideNative ? 1 : 0)
            } else if plan.channels {
                tp_conv_direct_positions(pl, Int32(cin), Int32(sw), Int32(rows), Int32(wq), wp, Int32(block / 8),
                                         Int32(cout), Int32(kh), Int32(kw), Int32(sh), Int32(dh), Int32(dw), bias,
                                         dst, Int32(oh), Int32(ow), Int32(r0), Int32(r1))
            } else if tile > 0 {
                tp_conv_rowwino_rows(pl, Int32(cin), Int32(sw), Int32(rows), Int32(wq), wt, wp, Int32(block), Int32(cout),
                                     Int32(kh), Int32(kw), Int32(sh), Int32(dw), bias, dst, Int32(oh), Int32(ow),
                                     Int32(r0), Int32(r1), scratch, plan.wide ? 1 : 0, directConvWideNative ? 1 : 0)
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
        // The batch's units (output rows; positions for the channel kernel; tiles of `tile` rows for the
        // row Winograd, an image's last one possibly shorter), cut into pieces of ~8 MFLOP within each image
        // (the stem's image in 28 tiles of 4 rows, a LeNet or CIFAR image whole; at least four pieces per
        // worker where the batch has fewer images), so that Ctrl-C is honoured between pieces. Each worker
        // owns a contiguous share of the pieces: for each image its share touches it copies the band of plane
        // rows that part reads into its own planes (the whole image's when the share holds whole images;
        // half of the stem's image plus a few rows of overlap on two workers), then takes its pieces one by
        // one from a counter. A worker done with its share takes the other shares' remaining pieces from
        // their counters, each with a band of its own: a worker that starts late (a thread waking up, a
        // core held by another process) is not waited for. One parallel pass: no planes pass before it.
        let units = plan.channels ? oh * ow : tile > 0 ? (oh + tile - 1) / tile : oh
        // Output rows [i0, i1) of image-relative units [a, b).
        func rowsOf(_ a: Int, _ b: Int) -> (Int, Int) {
            plan.channels ? (a / ow, (b - 1) / ow + 1) : tile > 0 ? (a * tile, min(oh, b * tile)) : (a, b)
        }
        // Plane rows a band for output rows [i0, i1) holds (the row Winograd reads sh·r rows per tile
        // start, one more than the kernel's reach for the stem's 7 = 2·4 − 1 rows: zeros past the image).
        let reach = tile > 0 ? sh * (8 - tile) : (kh - 1) * dh + 1
        let imageFlops = 2 * Double(cout) * Double(oh * ow) * Double(taps)
        let wanted = max(Int(min(1e6, imageFlops / 8e6)), (4 * min(Parallel.threads, 1 << 20) + n - 1) / n, 1)
        let piece = (units + min(units, wanted) - 1) / min(units, wanted)
        let perImage = (units + piece - 1) / piece, totalPieces = n * perImage
        let active = min(Parallel.threads, totalPieces)
        let shareUnits = (totalPieces + active - 1) / active * piece   // a share's units within one image, at most
        let shareRows = plan.channels ? min(oh, (shareUnits + ow - 1) / ow + 1) : min(oh, shareUnits * max(tile, 1))
        let bandRows = (shareRows - 1) * sh + reach
        try CIntArgument.check("conv2d", ["band": bandRows, "pieces": totalPieces])
        let bandFloats = cin * sw * bandRows * wq
        let scratchFloats = tile > 0 ? Int(tp_conv_rowwino_scratch(Int32(cin), Int32(sh), Int32(sw), Int32(wq))) : 0
        let bufs = try (0..<active).map { _ in try ScratchPool.shared.take(inPlace ? 1 : bandFloats + scratchFloats) }
        defer { bufs.forEach { ScratchPool.shared.give($0) } }
        let next = UnsafeMutablePointer<Int32>.allocate(capacity: active)   // each share's next piece
        defer { next.deallocate() }
        for v in 0..<active { next[v] = Int32(totalPieces * v / active) }
        Parallel.forEach(active) { wkr in
            let pl = bufs[wkr].floats, scratch = pl + bandFloats
            var band = (image: -1, i0: 0, i1: 0)   // the output rows whose plane rows `pl` holds
            for k in 0..<active {
                let v = (wkr + k) % active, end = totalPieces * (v + 1) / active
                while true {
                    if Cancellation.requested { return }
                    let g = Int(tp_conv_next_piece(next + v))
                    if g >= end { break }
                    let s = g / perImage, a = g % perImage * piece, b = min(units, a + piece)
                    if inPlace {
                        compute(x + s * imageFloats, h, out + s * outFloats, a, b, scratch)
                        continue
                    }
                    let (pi0, pi1) = rowsOf(a, b)
                    if band.image != s || pi0 < band.i0 || pi1 > band.i1 {
                        // Its own share: the plane rows of the rest of the share in this image; another's: this piece's.
                        let last = v == wkr ? min(end - 1, (s + 1) * perImage - 1) : g
                        band = (s, pi0, rowsOf(a, min(units, (last % perImage + 1) * piece)).1)
                        tp_conv_phase_plane_band(x + s * imageFloats, Int32(cin), Int32(h), Int32(w), Int32(p.padding.top),
                                                 Int32(p.padding.left), Int32(sw), Int32(band.i0 * sh),
                                                 Int32((band.i1 - 1 - band.i0) * sh + reach), Int32(wq), pl)
                    }
                    let skip = plan.channels ? band.i0 * ow : band.i0   // units (rows) before the band's first row
                    let (lo, hi) = plan.channels ? (a, b) : (pi0, pi1)
                    compute(pl, (band.i1 - 1 - band.i0) * sh + reach, out + s * outFloats + band.i0 * ow,
                            lo - skip, hi - skip, scratch)
                }
            }
        }
        try Cancellation.check()
    }
}
