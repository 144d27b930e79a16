/// 3×3 stride-1 convolution by Winograd's minimal filtering F(2×2, 3×3)
/// (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2015):
/// every 2×2 output tile is A^T [ (G g G^T) ⊙ (B^T d B) ] A for the 4×4 input
/// patch d, so the 36 multiplies per tile and channel pair of a direct
/// convolution become 16, and the 16 element-wise products over channels are
/// 16 matrix products (Cout × Cin) · (Cin × tiles) through sgemm.
///
/// Layout: for a chunk of tile rows, the transformed input is V[16][Cin][T] and
/// the products M[16][Cout][T]; the transforms run along a row of tiles, so
/// their inner loops are contiguous and vectorise. Results differ from the
/// direct sum only by float rounding (the transforms add and subtract, and
/// multiply by 1/2 exactly).
extension Kernels {
    /// Whether 3×3 stride-1 convolutions go through Winograd (TENSORPAD_WINOGRAD=0 turns it off,
    /// for A/B measurements; tests compare both paths).
    nonisolated(unsafe) public static var winogradEnabled = getenvString("TENSORPAD_WINOGRAD") != "0"

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
    /// i.e. each work item has fewer than 32 tiles (columns) and U (16·Cin·Cout floats) is
    /// past 1 MiB, so every item streams the whole transformed weights for a few columns.
    /// ResNet-18's 512 → 512 convs at batch 1 (7×7: two items of 8 tiles): 11 ms of CPU per
    /// conv by Winograd, 4.5–5 ms by im2col, whose one threaded product reads the weights
    /// once (`tensorpad-bench --conv-loop 10 1 512 7 3 1 1`, TENSORPAD_WINOGRAD=0 beside).
    static func winogradPays(n: Int, cin: Int, cout: Int, oh: Int, ow: Int) -> Bool {
        cin * cout < 16384 || winogradItems(n: n, cin: cin, cout: cout, oh: oh, ow: ow, workers: Parallel.threads).maxTiles >= 32
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
    /// 16 single-threaded products, output transform) in its own buffers, so no step waits for
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
        let workers = Parallel.threads
        let plan = winogradItems(n: n, cin: cin, cout: cout, oh: oh, ow: ow, workers: workers)
        let rows = n * tilesH, items = plan.items, active = min(workers, items)
        let maxTiles = plan.maxTiles
        // Consecutive U[k], V[k] and M[k] a multiple of 4 KiB apart would put a transform's
        // 16 streams in the same L1 sets: 32 floats of slack shift each by two cache lines.
        let uStride = cout * cin + 32, vStride = cin * maxTiles + 32, mStride = cout * maxTiles + 32
        let scratch = 32 * tilesW + 128
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
        Parallel.forEach(cout) { co in transformWeights(weight + co * cin * 9, cin: cin, into: up + co * cin, stride: uStride) }
        var finite = [Bool](repeating: true, count: active)
        finite.withUnsafeMutableBufferPointer { finite in
            Parallel.forEach(active) { wkr in
                let vp = bufs[wkr].floats, mp = vp + 16 * vStride, tmp = mp + 16 * mStride
                var zero: Float = 0                   // Σ y·0 over the outputs: NaN once one is not finite
                // M starts zeroed and the output transform zeroes what it reads, so the products
                // accumulate (beta = 1) into zeros without a separate pass over M each time.
                mp.update(repeating: 0, count: 16 * mStride)
                for item in stride(from: wkr, to: items, by: active) {
                    if Cancellation.requested { return }   // Ctrl-C: stop between items
                    // Global tile rows g0..<g1 (image s holds rows s·tilesH ..< (s + 1)·tilesH).
                    let g0 = item * rows / items, g1 = (item + 1) * rows / items
                    let tiles = (g1 - g0) * tilesW
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
                        let image = x + s * cin * h * w
                        for c in 0..<cin {
                            transformInput(image + c * h * w, h: h, w: w, padTop: padTop, padLeft: padLeft, ty0: ty0,
                                           ty1: ty1, tilesW: tilesW, into: vp + c * tiles + first, stride: vStride,
                                           scratch: tmp)
                        }
                    }
                    for k in 0..<16 {
                        BLAS.sgemm(transA: false, transB: false, m: cout, n: tiles, k: cin,
                                   a: up + k * uStride, lda: cin, b: vp + k * vStride, ldb: tiles,
                                   beta: 1, c: mp + k * mStride, ldc: tiles)
                    }
                    for (s, ty0, ty1, first) in parts {
                        let dst = out + s * cout * oh * ow
                        for co in 0..<cout {
                            zero += transformOutput(mp + co * tiles + first, stride: mStride, bias: bias?[co] ?? 0,
                                                    ty0: ty0, ty1: ty1, tilesW: tilesW, oh: oh, ow: ow,
                                                    into: dst + co * oh * ow, scratch: tmp)
                        }
                    }
                }
                finite[wkr] = zero == 0
            }
        }
        try Cancellation.check()
        return !finite.contains(false)
    }

    /// U[k][co][ci] = (G g G^T)[k] for one output channel's 3×3 filters g = weight[ci],
    /// G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]]. `u` points at U[0][co][0].
    static func transformWeights(_ weight: UnsafePointer<Float>, cin: Int, into u: UnsafeMutablePointer<Float>, stride: Int) {
        for ci in 0..<cin {
            let g = weight + ci * 9, o = u + ci
            // t = G g (4×3, row a = (t0, t1, t2)), then U = t G^T (4×4).
            @inline(__always) func row(_ a: Int, _ t0: Float, _ t1: Float, _ t2: Float) {
                o[(4 * a) * stride] = t0
                o[(4 * a + 1) * stride] = 0.5 * (t0 + t1 + t2)
                o[(4 * a + 2) * stride] = 0.5 * (t0 - t1 + t2)
                o[(4 * a + 3) * stride] = t2
            }
            row(0, g[0], g[1], g[2])
            row(1, 0.5 * (g[0] + g[3] + g[6]), 0.5 * (g[1] + g[4] + g[7]), 0.5 * (g[2] + g[5] + g[8]))
            row(2, 0.5 * (g[0] - g[3] + g[6]), 0.5 * (g[1] - g[4] + g[7]), 0.5 * (g[2] - g[5] + g[8]))
            row(3, g[6], g[7], g[8])
        }
    }

    /// V[k][c][t] = (B^T d B)[k] for the 4×4 patch d of every tile t of rows ty0..<ty1 of one
    /// channel plane, B^T = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]].
    /// `into` points at V[0][c][0]; V[k] starts `stride` floats after V[k−1].
    ///
    /// The horizontal half (d B) is computed once per input row, into a ring of four rows,
    /// since consecutive tile rows share two input rows; the vertical half combines four of
    /// them. Both run along a row of tiles, contiguous in memory. `scratch`: 18·tilesW + 40 floats.
    static func transformInput(_ plane: UnsafePointer<Float>, h: Int, w: Int, padTop: Int, padLeft: Int,
                               ty0: Int, ty1: Int, tilesW: Int, into v: UnsafeMutablePointer<Float>, stride: Int,
                               scratch: UnsafeMutablePointer<Float>) {
        let rw = (tilesW + 3) & ~3                    // ring rows padded to whole SIMD4s
        let ring = scratch                            // 4 rows × 4 horizontal parts × rw
        let padded = scratch + 16 * rw                // columns −padLeft ..< 2·rw + 8 − padLeft
        let len = 2 * rw + 8
        let first = min(max(padLeft, 0), len), last = min(len, max(padLeft + w, first))
        padded.update(repeating: 0, count: first)
        (padded + last).update(repeating: 0, count: len - last)
        // (d B) of padded input row `y` (patch-row coordinates) into its ring slot, four
        // tiles at a time: columns 2tx … 2tx+3 of tile tx are the even and odd halves of
        // the eight floats at 2tx and of the eight at 2tx + 2.
        func horizontal(_ y: Int) {
            let dst = ring + (y & 3) * 4 * rw
            let iy = y - padTop
            if iy < 0 || iy >= h {
                dst.update(repeating: 0, count: 4 * rw)
                return
            }
            (padded + first).update(from: plane + iy * w + (first - padLeft), count: last - first)
            let src = UnsafeRawPointer(padded), out = UnsafeMutableRawPointer(dst)
            var tx = 0
            while tx < tilesW {
                let a = src.loadUnaligned(fromByteOffset: 8 * tx, as: SIMD8<Float>.self)
                let b = src.loadUnaligned(fromByteOffset: 8 * tx + 8, as: SIMD8<Float>.self)
                let e0 = a.evenHalf, o0 = a.oddHalf, e1 = b.evenHalf, o1 = b.oddHalf
                out.storeBytes(of: e0 - e1, toByteOffset: 4 * tx, as: SIMD4<Float>.self)
                out.storeBytes(of: o0 + e1, toByteOffset: 4 * (rw + tx), as: SIMD4<Float>.self)
                out.storeBytes(of: e1 - o0, toByteOffset: 4 * (2 * rw + tx), as: SIMD4<Float>.self)
                out.storeBytes(of: o0 - o1, toByteOffset: 4 * (3 * rw + tx), as: SIMD4<Float>.self)
                tx += 4
            }
        }
        horizontal(2 * ty0)
        horizontal(2 * ty0 + 1)
        for ty in ty0..<ty1 {
            horizontal(2 * ty + 2)
            horizontal(2 * ty + 3)
            let t0 = (ty - ty0) * tilesW
            for b in 0..<4 {
                let r0 = ring + ((2 * ty) & 3) * 4 * rw + b * rw
                let r1 = ring + ((2 * ty + 1) & 3) * 4 * rw + b * rw
                let r2 = ring + ((2 * ty + 2) & 3) * 4 * rw + b * rw
                let r3 = ring + ((2 * ty + 3) & 3) * 4 * rw + b * rw
                let v0 = v + b * stride + t0, v1 = v0 + 4 * stride, v2 = v1 + 4 * stride, v3 = v2 + 4 * stride
                for tx in 0..<tilesW {
                    let a1 = r1[tx], a2 = r2[tx]
                    v0[tx] = r0[tx] - a2
                    v1[tx] = a1 + a2
                    v2[tx] = a2 - a1
                    v3[tx] = a1 - r3[tx]
                }
            }
        }
    }

    /// Σ p[i]·0 over `count` floats: 0 when all are finite, NaN otherwise (vectorised by hand:
    /// a float sum is not reassociated by the compiler).
    @inline(__always)
    static func nonFinite(_ p: UnsafePointer<Float>, count: Int) -> Float {
        let raw = UnsafeRawPointer(p)
        var acc = SIMD4<Float>(), i = 0
        while i + 4 <= count {
            acc += raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD4<Float>.self) * 0
            i += 4
        }
        var zero = acc.sum()
        while i < count { zero += p[i] * 0; i += 1 }
        return zero
    }

    /// One output channel's tiles of rows ty0..<ty1: Y = A^T m A + bias with
    /// A^T = [[1, 1, 1, 0], [0, 1, −1, −1]], where m[k][t] = M[k][co][t] (`m` points at
    /// M[0][co][0], M[k] `stride` floats after M[k−1]). Tiles past the output's edge
    /// (odd oh or ow) are computed and not written. The m values read are set to zero
    /// (the next products accumulate into them). Returns Σ y·0 (NaN when an output is
    /// not finite). `scratch`: 12·tilesW floats.
    static func transformOutput(_ m: UnsafeMutablePointer<Float>, stride: Int, bias: Float, ty0: Int, ty1: Int,
                                tilesW: Int, oh: Int, ow: Int, into out: UnsafeMutablePointer<Float>,
                                scratch: UnsafeMutablePointer<Float>) -> Float {
        let s = scratch                     // (A^T m): 2 rows × 4 columns
        let y = s + 8 * tilesW              // Y: 2 × 2
        var zero: Float = 0
        for ty in ty0..<ty1 {
            let t0 = (ty - ty0) * tilesW
            // Vertical: S[r][b] = Σ_a A^T[r][a] m[4a + b].
            for b in 0..<4 {
                let m0 = m + b * stride + t0, m1 = m0 + 4 * stride, m2 = m1 + 4 * stride, m3 = m2 + 4 * stride
                let s0 = s + b * tilesW, s1 = s + (4 + b) * tilesW
                for tx in 0..<tilesW {
                    let a0 = m0[tx], a1 = m1[tx], a2 = m2[tx], a3 = m3[tx]
                    s0[tx] = a0 + a1 + a2
                    s1[tx] = a1 - a2 - a3
                    m0[tx] = 0; m1[tx] = 0; m2[tx] = 0; m3[tx] = 0
                }
            }
            // Horizontal: Y[r][c] = Σ_b S[r][b] A[b][c].
            for r in 0..<2 {
                let sr = s + 4 * r * tilesW
                let y0 = y + 2 * r * tilesW, y1 = y0 + tilesW
                for tx in 0..<tilesW {
                    let b1 = sr[tilesW + tx], b2 = sr[2 * tilesW + tx]
                    y0[tx] = sr[tx] + b1 + b2 + bias
                    y1[tx] = b1 - b2 - sr[3 * tilesW + tx] + bias
                }
            }
            zero += nonFinite(y, count: 4 * tilesW)
            // Rows of Y interleaved into the output: columns 2tx and 2tx + 1, four tiles at a time.
            for r in 0..<2 where 2 * ty + r < oh {
                let d = UnsafeMutableRawPointer(out + (2 * ty + r) * ow)
                let y0 = UnsafeRawPointer(y + 2 * r * tilesW), y1 = y0 + 4 * tilesW
                let pairs = ow / 2
                var tx = 0
                while tx + 4 <= pairs {
                    var pair = SIMD8<Float>()
                    pair.evenHalf = y0.loadUnaligned(fromByteOffset: 4 * tx, as: SIMD4<Float>.self)
                    pair.oddHalf = y1.loadUnaligned(fromByteOffset: 4 * tx, as: SIMD4<Float>.self)
                    d.storeBytes(of: pair, toByteOffset: 8 * tx, as: SIMD8<Float>.self)
                    tx += 4
                }
                let yf0 = y + 2 * r * tilesW, yf1 = yf0 + tilesW, df = out + (2 * ty + r) * ow
                while tx < pairs {
                    df[2 * tx] = yf0[tx]
                    df[2 * tx + 1] = yf1[tx]
                    tx += 1
                }
                if ow % 2 == 1 { df[ow - 1] = yf0[pairs] }
            }
        }
        return zero
    }
}
