import CWinograd

/// 3×3 stride-1 convolution by Winograd's minimal filtering F(2×2, 3×3)
/// (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2015):
/// every 2×2 output tile is A^T [ (G g G^T) ⊙ (B^T d B) ] A for the 4×4 input
/// patch d, so the 36 multiplies per tile and channel pair of a direct
/// convolution become 16, and the 16 element-wise products over channels are
/// 16 matrix products (Cout × Cin) · (Cin × tiles).
///
/// Layout: for a chunk of tile rows, the transformed input is V[16][Cin][T] and
/// the products M[16][Cout][T]; the transforms (C, `CWinograd`) run along a row of
/// tiles, so their inner loops are contiguous and vectorise. The products run on a
/// hand AVX2 + FMA kernel (`tp_wino_products`: 6 output channels × 16 tiles in
/// registers, U transformed straight into its blocked layout, V's rows read as they
/// are; 6 × 32 tiles in zmm registers where AVX-512F runs), or through OpenBLAS's sgemm
/// on CPUs without AVX2. Results differ from the
/// direct sum only by float rounding (the transforms add and subtract, and
/// multiply by 1/2 exactly).
extension Kernels {
    /// Whether 3×3 stride-1 convolutions go through Winograd (TENSORPAD_WINOGRAD=0 turns it off,
    /// for A/B measurements; tests compare both paths).
    nonisolated(unsafe) public static var winogradEnabled = getenvString("TENSORPAD_WINOGRAD") != "0"

    /// Whether the 16 products per work item run on the hand kernel (`tp_wino_products`) or on
    /// OpenBLAS: the hand kernel wherever AVX2 + FMA runs (with vectors of 16 where AVX-512F does:
    /// `winogradWideProducts`), OpenBLAS elsewhere. The hand kernel packs nothing and keeps a panel of
    /// V in L1; on AVX2 it ran ResNet's 512-channel convs at batch 1 in 4.5–4.9 ms of CPU against
    /// OpenBLAS's 11, and the 3×3 rows 1.6–2.0× PyTorch. TENSORPAD_WINOGRAD=blas or =hand forces either.
    nonisolated(unsafe) public static var winogradHandProducts: Bool = {
        switch getenvString("TENSORPAD_WINOGRAD") {
        case "blas": return false
        case "hand": return true
        default: return winogradHandProductsServe(BLASCore.features)
        }
    }()

    /// The default of `winogradHandProducts` for a CPU with these features.
    static func winogradHandProductsServe(_ features: BLASCore.Features) -> Bool {
        features.isSuperset(of: [.avx2, .fma])
    }

    /// Whether this CPU runs the hand kernel's AVX-512F build (vectors of 16 tiles).
    public static let winogradWideNative = tp_wino_avx512() != 0
    /// Whether the hand kernel takes vectors of 16 tiles: where AVX-512F runs. TENSORPAD_WINOGRAD_WIDE=1
    /// forces them (their AVX2 build on other CPUs: tests, A/B runs), =0 turns them off.
    nonisolated(unsafe) public static var winogradWideProducts = getenvSwitch("TENSORPAD_WINOGRAD_WIDE",
                                                                              otherwise: winogradWideNative)

    /// For `make bench`'s machine line: what runs the 3×3 convs' Winograd products.
    public static var winogradSummary: String {
        guard winogradEnabled else { return "Winograd: off (im2col + sgemm)" }
        guard winogradHandProducts && winogradHandKernelRuns else { return "Winograd products: OpenBLAS" }
        if !winogradWideProducts { return "Winograd products: AVX2 + FMA, 8 floats a vector" }
        return "Winograd products: " + (winogradWideNative ? "AVX-512F" : "AVX2 build of the AVX-512F kernel")
            + ", 16 floats a vector"
    }

    /// The shapes Winograd serves: 3×3, stride 1, no dilation, one group, enough channels
    /// for the products to be worth a transform (below 16, im2col's one product is as fast).
    static func winogradApplies(cin: Int, cout: Int, kh: Int, kw: Int, p: Conv2dParams, oh: Int, ow: Int) -> Bool {
        winogradEnabled && kh == 3 && kw == 3 && p.stride == (1, 1) && p.dilation == (1, 1) && p.groups == 1
            && cin >= 16 && cout >= 16 && oh >= 1 && ow >= 1
    }

    /// Tiles per work item: 16 × (Cin + Cout) floats each in a worker's V and M, kept to a
    /// few MiB (the shared last-level cache holds both workers'). Measured for 64 → 64
    /// channels on 56×56: 196–392 tiles per item 15–25 % faster than 56–112 (fewer,
    /// longer products; fewer passes over U).
    static func winogradItemTiles(cin: Int, cout: Int) -> Int { max(64, min(512, 65536 / (cin + cout))) }

    /// Whether Winograd beats im2col for this batch: not when its products are weight-bound,
    /// i.e. each work item has few tiles (columns) and U (16·Cin·Cout floats) is past 1 MiB, so
    /// every item streams the whole transformed weights for a few columns: fewer than 16 tiles
    /// for the hand kernel, 32 for OpenBLAS's products (which also pack U again per product).
    /// ResNet-18's 512 → 512 convs at batch 1 (7×7: two items of 8 tiles): 4.5–4.9 ms of CPU per
    /// conv by Winograd (hand kernel; 11 ms with OpenBLAS's), 4.2 ms by im2col, whose one threaded
    /// product reads the weights once; its 256 → 256 convs (14×14: items of 28 and 21 tiles):
    /// 1.9 ms by Winograd with the hand kernel, 3.3 ms by im2col
    /// (`tensorpad-bench --conv-loop 100 1 512 7 3 1 1`, TENSORPAD_WINOGRAD=0 beside).
    static func winogradPays(n: Int, cin: Int, cout: Int, oh: Int, ow: Int) -> Bool {
        let minTiles = winogradHandProducts && winogradHandKernelRuns ? 16 : 32
        return cin * cout < 16384
            || winogradItems(n: n, cin: cin, cout: cout, oh: oh, ow: ow, workers: Parallel.threads).maxTiles >= minTiles
    }

    /// How the batch's n·⌈oh/2⌉ rows of tiles are cut into work items: about
    /// `winogradItemTiles` tiles each, and at least as many items as workers (a multiple of
    /// them while there are fewer than 4 per worker), so that each gets an equal share.
    static func winogradItems(n: Int, cin: Int, cout: Int, oh: Int, ow: Int, workers: Int) -> (items: Int, maxTiles: Int) {
        let tilesW = (ow + 1) / 2, rows = n * ((oh + 1) / 2)
        let targetRows = max(1, (winogradItemTiles(cin: cin, cout: cout) + tilesW - 1) / tilesW)
        var items = (rows + targetRows - 1) / targetRows
        if items < 4 * workers { items = min(rows, (items + workers - 1) / workers * workers) }
        items = max(1, items)
        return (items, (rows + items - 1) / items * tilesW)
    }

    /// out (N, Cout, oh, ow) = conv3x3(x (N, Cin, h, w), weight (Cout, Cin, 3, 3)) + bias, stride 1,
    /// zero padding `padTop`/`padLeft` (bottom/right padding is implied by oh, ow).
    ///
    /// Work items are runs of tile rows of the batch, taken in order through the images (an
    /// item may end one image and start the next), so deep layers with few tiles per image
    /// still run products on `winogradItemTiles` columns and read U once per item, not once per
    /// image. Each worker takes whole items and runs all three steps on them (input transform,
    /// 16 products on its own thread, output transform) in its own buffers, so no step waits for
    /// the others' threads and V and M are read back from the worker's cache.
    ///
    /// Returns false, with `out` partly written, when its buffers exceed the memory limit
    /// or when an output is not finite: a NaN or
    /// infinity in the input (or an overflow) would spread over its whole tile, since the
    /// transforms subtract values a direct sum keeps apart, where PyTorch's direct
    /// convolution confines it to the outputs whose window holds it. The caller then
    /// computes the convolution directly.
    static func winograd3x3(x: UnsafePointer<Float>, n: Int, cin: Int, h: Int, w: Int,
                            weight: UnsafePointer<Float>, cout: Int, bias: UnsafePointer<Float>?,
                            padTop: Int, padLeft: Int, oh: Int, ow: Int,
                            out: UnsafeMutablePointer<Float>) throws -> Bool {
        let tilesW = (ow + 1) / 2, tilesH = (oh + 1) / 2
        // The C transforms take 32-bit sizes (any tensor that fits in memory has them).
        guard [cin, cout, h, w, padTop, padLeft, oh, ow].allSatisfy({ $0 <= Int(Int32.max) / 2 }) else { return false }
        let workers = Parallel.threads
        let plan = winogradItems(n: n, cin: cin, cout: cout, oh: oh, ow: ow, workers: workers)
        let rows = n * tilesH, items = plan.items, active = min(workers, items)
        let maxTiles = plan.maxTiles
        // The hand kernel's rows of V and M are whole vectors of 8 tiles; U is in blocks of 6 channels.
        let hand = winogradHandProducts && winogradHandKernelRuns
        let maxTiles8 = (maxTiles + 7) / 8 * 8, blocks = (cout + 5) / 6
        // Consecutive U[k], V[k] and M[k] a multiple of 4 KiB apart would put a transform's
        // 16 streams in the same L1 sets: 32 floats of slack shift each by two cache lines.
        let uStride = (hand ? blocks * 6 : cout) * cin + 32
        let vStride = cin * maxTiles8 + 32, mStride = cout * maxTiles8 + 32
        let scratch = max(tp_wino_input_scratch(Int32(tilesW)), tp_wino_output_scratch(Int32(tilesW)))
        // Transformed weights are 16/9 of the weights; when that or the workers' buffers cannot
        // be had (the memory limit), the caller's im2col path does the conv instead.
        guard let u = try? ScratchPool.shared.take(16 * uStride) else { return false }
        defer { ScratchPool.shared.give(u) }
        var bufs: [Storage] = []
        defer { bufs.forEach { ScratchPool.shared.give($0) } }
        for _ in 0..<active {
            guard let b = try? ScratchPool.shared.take(16 * (vStride + mStride) + scratch) else { return false }
            bufs.append(b)
        }
        let up = u.floats
        if hand {
            Parallel.forEach(blocks) { cb in transformWeightsBlocked(weight, block: cb, cout: cout, cin: cin, into: up, stride: uStride) }
        } else {
            Parallel.forEach(cout) { co in transformWeights(weight + co * cin * 9, cin: cin, into: up + co * cin, stride: uStride) }
        }
        var finite = [Bool](repeating: true, count: active)
        finite.withUnsafeMutableBufferPointer { finite in
            Parallel.forEach(active) { wkr in
                let vp = bufs[wkr].floats, mp = vp + 16 * vStride, tmp = mp + 16 * mStride
                var bad: Int32 = 0                    // 1 once an output is not finite
                // OpenBLAS: M starts zeroed and the output transform zeroes what it reads, so the
                // products accumulate (beta = 1) into zeros without a separate pass over M each time
                // (beta = 0 has OpenBLAS clear C first). The hand kernel overwrites M.
                if !hand { mp.update(repeating: 0, count: 16 * mStride) }
                for item in stride(from: wkr, to: items, by: active) {
                    if Cancellation.requested { return }   // Ctrl-C: stop between items
                    // Global tile rows g0..<g1 (image s holds rows s·tilesH ..< (s + 1)·tilesH).
                    let g0 = item * rows / items, g1 = (item + 1) * rows / items
                    let tiles = (g1 - g0) * tilesW, ld = hand ? (tiles + 7) / 8 * 8 : tiles
                    if tiles == 0 { continue }
                    // Each image's part of the item: (image, ty0, ty1, first tile in the item).
                    var parts: [(Int, Int, Int, Int)] = []
                    var g = g0
                    while g < g1 {
                        let s = g / tilesH, end = min(g1, (s + 1) * tilesH)
                        parts.append((s, g - s * tilesH, end - s * tilesH, (g - g0) * tilesW))
                        g = end
                    }
                    for (s, ty0, ty1, first) in parts {
                        tp_wino_input(x + s * cin * h * w, Int32(cin), Int32(h), Int32(w), Int32(padTop), Int32(padLeft),
                                      Int32(ty0), Int32(ty1), Int32(tilesW), vp + first, ld, vStride, tmp)
                    }
                    if hand {
                        tp_wino_products(up, uStride, vp, vStride, mp, mStride, Int32(cout), Int32(cin), Int32(tiles), Int32(ld),
                                         winogradWideProducts ? 1 : 0)
                    } else {
                        for k in 0..<16 {
                            BLAS.sgemm(transA: false, transB: false, m: cout, n: tiles, k: cin,
                                       a: up + k * uStride, lda: cin, b: vp + k * vStride, ldb: tiles,
                                       beta: 1, c: mp + k * mStride, ldc: tiles)
                        }
                    }
                    for (s, ty0, ty1, first) in parts {
                        bad |= tp_wino_output(mp + first, Int32(cout), ld, mStride, bias, Int32(ty0), Int32(ty1), Int32(tilesW),
                                              Int32(oh), Int32(ow), out + s * cout * oh * ow, tmp, hand ? 0 : 1)
                    }
                }
                finite[wkr] = bad == 0
            }
        }
        try Cancellation.check()
        return !finite.contains(false)
    }

    /// Whether this CPU runs the hand product kernel (AVX2 + FMA).
    static var winogradHandKernelRuns: Bool { tp_wino_avx2() != 0 }

    /// Tests: the C transforms' generic (SSE) build and OpenBLAS's products, as on a CPU without
    /// AVX2 (`false`: back to cpuid's choice).
    static func winogradAsWithoutAVX2(_ on: Bool) { tp_wino_set_generic(on ? 1 : 0) }

    /// The hand kernel's U: output channels 6·block ..< 6·block + 6 of `weight` (cout × cin × 3 × 3;
    /// channels past cout zero), U[k][co][ci] at u[k·stride + ((co / 6)·cin + ci)·6 + co % 6], the
    /// same values as `transformWeights`.
    static func transformWeightsBlocked(_ weight: UnsafePointer<Float>, block: Int, cout: Int, cin: Int,
                                        into u: UnsafeMutablePointer<Float>, stride: Int) {
        tp_wino_weights_blocked(weight, Int32(block), Int32(cout), Int32(cin), u, stride)
    }

    /// U[k][co][ci] = (G g G^T)[k] for one output channel's 3×3 filters g = weight[ci],
    /// G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]]. `u` points at U[0][co][0]
    /// (`tp_wino_weights`: 8 filters at a time in vectors).
    static func transformWeights(_ weight: UnsafePointer<Float>, cin: Int, into u: UnsafeMutablePointer<Float>, stride: Int) {
        tp_wino_weights(weight, Int32(cin), u, stride)
    }
}
