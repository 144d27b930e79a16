import XCTest
@testable import TensorCore
import TestSupport

/// The Winograd F(2×2, 3×3) path of conv2d (3×3, stride 1, ≥ 16 channels): against
/// PyTorch's outputs, against the direct definition over many shapes and paddings,
/// and against the im2col path it replaces.
final class WinogradTests: XCTestCase {
    var rng = RandomGenerator(seed: 11)

    func randn(_ shape: [Int], scale: Float = 1) throws -> Tensor {
        let n = shape.reduce(1, *)
        return try Tensor((0..<n).map { _ in Float(rng.normal()) * scale }, shape: shape)
    }

    let savedThreads = Parallel.threads

    override func tearDown() {
        Kernels.winogradEnabled = true
        Kernels.winogradHandProducts = Kernels.winogradHandProductsServe(BLASCore.features)
        Kernels.winogradWideProducts = Kernels.winogradWideNative
        Parallel.setThreads(savedThreads)
    }

    /// The product kernels a test runs each conv through: the hand kernel with vectors of 8 and of 16
    /// tiles (the AVX-512F build, or its AVX2 build here), and OpenBLAS's.
    static let productKernels: [(hand: Bool, wide: Bool)] = [(true, false), (true, true), (false, false)]

    func useProducts(_ k: (hand: Bool, wide: Bool)) {
        Kernels.winogradHandProducts = k.hand
        Kernels.winogradWideProducts = k.wide
    }

    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/winograd")
    }

    func padding(_ c: GoldenCase) -> ConvPadding {
        if c.string("padding") == "same" { return .same }
        let (a, b) = c.pair("padding", (0, 0))
        return .sizes([a, b])
    }

    func testWeightTransformIsGgGtForEveryInputChannel() throws {
        // U[k][ci] = (G g G^T)[k] with G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]], computed
        // here from the definition, bit for bit, into rows `stride` floats apart.
        let cin = 19, stride = cin + 5
        let w = try randn([cin, 3, 3])
        var u = [Float](repeating: .nan, count: 16 * stride)
        let v = w.toFloats()
        v.withUnsafeBufferPointer { g in
            u.withUnsafeMutableBufferPointer { dst in
                guard let gp = g.baseAddress, let up = dst.baseAddress else { return XCTFail("empty buffers") }
                Kernels.transformWeights(gp, cin: cin, into: up, stride: stride)
            }
        }
        for ci in 0..<cin {
            let g = Array(v[ci * 9 ..< ci * 9 + 9])
            // t = G g: rows of three.
            let t: [[Float]] = [
                [g[0], g[1], g[2]],
                [0.5 * (g[0] + g[3] + g[6]), 0.5 * (g[1] + g[4] + g[7]), 0.5 * (g[2] + g[5] + g[8])],
                [0.5 * (g[0] - g[3] + g[6]), 0.5 * (g[1] - g[4] + g[7]), 0.5 * (g[2] - g[5] + g[8])],
                [g[6], g[7], g[8]],
            ]
            for a in 0..<4 {
                let expected: [Float] = [t[a][0], 0.5 * (t[a][0] + t[a][1] + t[a][2]), 0.5 * (t[a][0] - t[a][1] + t[a][2]), t[a][2]]
                for b in 0..<4 {
                    XCTAssertEqual(u[(4 * a + b) * stride + ci].bitPattern, expected[b].bitPattern, "ci \(ci) k \(4 * a + b)")
                }
            }
        }
        // Nothing written past the channels of each row.
        for k in 0..<16 { XCTAssertTrue(u[k * stride + cin].isNaN) }
    }

    func testBlockedWeightsAreTheSameTransformInBlocksOfSix() throws {
        // 13 output channels: two blocks of 6 and one of 1 (five zero rows); 11 input channels
        // (a vector of 8 and a tail). Bit for bit the values of transformWeights, nothing past the blocks.
        let cout = 13, cin = 11, blocks = 3, stride = blocks * 6 * cin + 7
        let w = try randn([cout, cin, 3, 3])
        let v = w.toFloats()
        var plain = [Float](repeating: .nan, count: 16 * cout * cin)
        var blocked = [Float](repeating: .nan, count: 16 * stride)
        v.withUnsafeBufferPointer { g in
            plain.withUnsafeMutableBufferPointer { p in
                blocked.withUnsafeMutableBufferPointer { b in
                    guard let gp = g.baseAddress, let pp = p.baseAddress, let bp = b.baseAddress else { return XCTFail("empty") }
                    for co in 0..<cout {
                        Kernels.transformWeights(gp + co * cin * 9, cin: cin, into: pp + co * cin, stride: cout * cin)
                    }
                    for cb in 0..<blocks {
                        Kernels.transformWeightsBlocked(gp, block: cb, cout: cout, cin: cin, into: bp, stride: stride)
                    }
                }
            }
        }
        for k in 0..<16 {
            for co in 0..<blocks * 6 {
                for ci in 0..<cin {
                    let got = blocked[k * stride + ((co / 6) * cin + ci) * 6 + co % 6]
                    let want: Float = co < cout ? plain[(k * cout + co) * cin + ci] : 0
                    XCTAssertEqual(got.bitPattern, want.bitPattern, "k \(k) co \(co) ci \(ci)")
                }
            }
            for i in blocks * 6 * cin ..< stride { XCTAssertTrue(blocked[k * stride + i].isNaN, "k \(k) slack \(i)") }
        }
    }

    /// The hand product kernel runs wherever the CPU has AVX2 + FMA (so the tests below check it on
    /// such machines, and OpenBLAS's products beside it), with vectors of 16 tiles where AVX-512F runs.
    func testHandKernelRunsOnAVX2() {
        XCTAssertEqual(Kernels.winogradHandKernelRuns, BLASCore.features.isSuperset(of: [.avx2, .fma]))
        // By default it serves every CPU with AVX2 + FMA, AVX-512F ones included; OpenBLAS's products
        // serve those without AVX2.
        XCTAssertEqual(Kernels.winogradHandProducts, Kernels.winogradHandProductsServe(BLASCore.features))
        let sets: [(BLASCore.Features, Bool)] = [
            ([.sse3], false), ([.sse3, .avx], false), ([.sse3, .avx, .avx2, .fma], true),
            ([.sse3, .avx, .avx2, .fma, .avx512f, .avx512bw, .avx512vl, .avx512dq, .avx512cd], true),
        ]
        for (features, hand) in sets {
            XCTAssertEqual(Kernels.winogradHandProductsServe(features), hand, BLASCore.describe(features))
        }
        let avx512 = BLASCore.features.isSuperset(of: [.avx512f, .avx2, .fma])
        XCTAssertEqual(Kernels.winogradWideNative, avx512)
        XCTAssertEqual(Kernels.winogradWideProducts, avx512)
        if Kernels.winogradHandKernelRuns {
            XCTAssertEqual(Kernels.winogradSummary, avx512 ? "Winograd products: AVX-512F, 16 floats a vector"
                                                           : "Winograd products: AVX2 + FMA, 8 floats a vector")
            Kernels.winogradWideProducts = true
            XCTAssertEqual(Kernels.winogradSummary, "Winograd products: "
                           + (avx512 ? "AVX-512F" : "AVX2 build of the AVX-512F kernel") + ", 16 floats a vector")
        }
        Kernels.winogradHandProducts = false
        XCTAssertEqual(Kernels.winogradSummary, "Winograd products: OpenBLAS")
        Kernels.winogradEnabled = false
        XCTAssertEqual(Kernels.winogradSummary, "Winograd: off (im2col + sgemm)")
    }

    /// Every thread count gives the direct definition's values, for sizes that leave half tiles,
    /// tile counts that are not whole vectors and channel counts that are not whole blocks of 6.
    func testAnyThreadCountAndBothProductKernels() throws {
        let p = Conv2dParams(stride: (1, 1), padding: (1, 0, 2, 1), dilation: (1, 1), groups: 1)
        let x = try randn([3, 17, 11, 13]), w = try randn([23, 17, 3, 3], scale: 0.1), b = try randn([23])
        let expected = try KernelReferenceTests.naiveConv(x, w, b, p)
        for k in Self.productKernels {
            useProducts(k)
            for threads in [1, 2, 3, 5, 8, 64] {
                Parallel.setThreads(threads)
                assertClose(try Kernels.conv2d(x, w, b, p), expected, rtol: 1e-4, atol: 1e-4, "\(k) threads \(threads)")
            }
        }
    }

    /// The transforms compiled without AVX2 (what a CPU without it runs), with OpenBLAS's products:
    /// the same values.
    func testGenericTransformsWithoutAVX2() throws {
        Kernels.winogradAsWithoutAVX2(true)
        defer { Kernels.winogradAsWithoutAVX2(false) }
        XCTAssertFalse(Kernels.winogradHandKernelRuns)
        let p = Conv2dParams(stride: (1, 1), padding: (2, 1, 1, 0), dilation: (1, 1), groups: 1)
        let x = try randn([2, 19, 21, 30]), w = try randn([20, 19, 3, 3], scale: 0.1), b = try randn([20])
        let expected = try KernelReferenceTests.naiveConv(x, w, b, p)
        for threads in [1, 2] {
            Parallel.setThreads(threads)
            assertClose(try Kernels.conv2d(x, w, b, p), expected, rtol: 1e-4, atol: 1e-4, "threads \(threads)")
        }
        // Non-finite inputs are still found (and computed directly).
        x.floatPtr[5] = .nan
        let y = try Kernels.conv2d(x, w, b, p)
        XCTAssertEqual(y.toFloats().filter(\.isNaN).count,
                       try KernelReferenceTests.naiveConv(x, w, b, p).toFloats().filter(\.isNaN).count)
    }

    func testMatchesPyTorch() throws {
        let cases = try Golden.cases(in: Self.fixtures)
        XCTAssertEqual(cases.count, 7)
        for c in cases {
            let x = try c.input("input"), w = try c.input("weight"), b = c.inputs["bias"]
            let y = c.outputs[0]
            XCTAssertTrue(Kernels.winogradApplies(cin: x.shape[1], cout: w.shape[0], kh: 3, kw: 3, p: Conv2dParams(),
                                                  oh: y.shape[2], ow: y.shape[3]), c.name)
            for (winograd, k) in Self.productKernels.map({ (true, $0) }) + [(false, (hand: true, wide: false))] {
                Kernels.winogradEnabled = winograd
                useProducts(k)
                assertClose(try Kernels.conv2d(x, w, b, padding: padding(c)), y, "\(c.name) winograd=\(winograd) \(k)")
            }
            Kernels.winogradEnabled = true
            useProducts((true, Kernels.winogradWideNative))
        }
    }

    func testMatchesDirectDefinitionOverShapesAndPaddings() throws {
        // (n, cin, h, w, cout, padding top/bottom/left/right)
        let configs: [(Int, Int, Int, Int, Int, (Int, Int, Int, Int))] = [
            (1, 16, 3, 3, 16, (0, 0, 0, 0)),        // a 1×1 output: half a tile each way
            (1, 16, 2, 2, 16, (1, 1, 1, 1)),
            (2, 17, 5, 8, 19, (1, 0, 0, 1)),        // asymmetric padding, odd channel counts
            (3, 16, 9, 4, 16, (2, 3, 1, 0)),
            (1, 20, 40, 9, 16, (1, 1, 1, 1)),       // many work items per image
            (1, 16, 1, 6, 16, (1, 2, 0, 0)),        // a single input row
            (2, 33, 13, 13, 40, (3, 3, 3, 3)),      // padding wider than the kernel's reach
            (1, 16, 30, 31, 16, (1, 1, 0, 2)),
        ]
        for (n, cin, h, w, cout, pad) in configs {
            for k in Self.productKernels {
                useProducts(k)
                let x = try randn([n, cin, h, w]), wt = try randn([cout, cin, 3, 3], scale: 0.1), b = try randn([cout])
                let p = Conv2dParams(stride: (1, 1), padding: pad, dilation: (1, 1), groups: 1)
                let oh = h + pad.0 + pad.1 - 2, ow = w + pad.2 + pad.3 - 2
                XCTAssertTrue(Kernels.winogradApplies(cin: cin, cout: cout, kh: 3, kw: 3, p: p, oh: oh, ow: ow))
                let expected = try KernelReferenceTests.naiveConv(x, wt, b, p)
                assertClose(try Kernels.conv2d(x, wt, b, p), expected, rtol: 1e-4, atol: 1e-4, "\((n, cin, h, w, cout, pad)) \(k)")
                assertClose(try Kernels.conv2d(x, wt, Optional<Tensor>.none, p), try KernelReferenceTests.naiveConv(x, wt, nil, p), rtol: 1e-4, atol: 1e-4,
                            "\((n, cin, h, w, cout, pad)) no bias")
                Parallel.setThreads(1)
                assertClose(try Kernels.conv2d(x, wt, b, p), expected, rtol: 1e-4, atol: 1e-4, "one thread")
                Parallel.setThreads(max(2, savedThreads))
            }
        }
    }

    func testOnlyThreeByThreeStrideOneUngroupedWideConvsTakeIt() {
        let base = Conv2dParams()
        XCTAssertTrue(Kernels.winogradApplies(cin: 16, cout: 16, kh: 3, kw: 3, p: base, oh: 8, ow: 8))
        XCTAssertFalse(Kernels.winogradApplies(cin: 8, cout: 64, kh: 3, kw: 3, p: base, oh: 8, ow: 8))
        XCTAssertFalse(Kernels.winogradApplies(cin: 64, cout: 64, kh: 5, kw: 5, p: base, oh: 8, ow: 8))
        XCTAssertFalse(Kernels.winogradApplies(cin: 64, cout: 64, kh: 3, kw: 3, p: Conv2dParams(stride: (2, 2)), oh: 8, ow: 8))
        XCTAssertFalse(Kernels.winogradApplies(cin: 64, cout: 64, kh: 3, kw: 3, p: Conv2dParams(dilation: (2, 2)), oh: 8, ow: 8))
        XCTAssertFalse(Kernels.winogradApplies(cin: 64, cout: 64, kh: 3, kw: 3, p: Conv2dParams(groups: 2), oh: 8, ow: 8))
        Kernels.winogradEnabled = false
        XCTAssertFalse(Kernels.winogradApplies(cin: 16, cout: 16, kh: 3, kw: 3, p: base, oh: 8, ow: 8))
    }

    /// Work items are runs of tile rows through the whole batch: with few tiles per image an
    /// item ends one image and starts the next (deep layers: 512 → 512 on 7×7 at batch 8 runs
    /// two items of 64 tiles, not eight of 16), and the outputs land in the right images.
    func testWorkItemsSpanImages() throws {
        XCTAssertEqual(Kernels.winogradItems(n: 8, cin: 512, cout: 512, oh: 7, ow: 7, workers: 2).items, 2)
        XCTAssertEqual(Kernels.winogradItems(n: 8, cin: 512, cout: 512, oh: 7, ow: 7, workers: 2).maxTiles, 64)
        // 5 images of 3 tile rows, two items of 7 and 8 rows: both cross images.
        XCTAssertEqual(Kernels.winogradItems(n: 5, cin: 16, cout: 24, oh: 6, ow: 6, workers: 2).items, 2)
        let p = Conv2dParams(stride: (1, 1), padding: (1, 1, 1, 1), dilation: (1, 1), groups: 1)
        let x = try randn([5, 16, 6, 6]), w = try randn([24, 16, 3, 3], scale: 0.1), b = try randn([24])
        let expected = try KernelReferenceTests.naiveConv(x, w, b, p)
        Parallel.setThreads(2)
        assertClose(try Kernels.conv2d(x, w, b, p), expected, rtol: 1e-4, atol: 1e-4, "two workers")
        Parallel.setThreads(1)
        assertClose(try Kernels.conv2d(x, w, b, p), expected, rtol: 1e-4, atol: 1e-4, "one worker")
    }

    /// Weight-bound batches go to im2col: 512 → 512 on 7×7 at batch 1 has 8 tiles per item
    /// and 16 MiB of transformed weights; with 8 images, or small channel counts, Winograd stays.
    /// 256 → 256 on 14×14 (items of 28 tiles) pays with the hand kernel, not with OpenBLAS's products.
    func testWeightBoundBatchesTakeIm2col() throws {
        Parallel.setThreads(2)
        Kernels.winogradHandProducts = true
        XCTAssertFalse(Kernels.winogradPays(n: 1, cin: 512, cout: 512, oh: 7, ow: 7))
        XCTAssertEqual(Kernels.winogradPays(n: 1, cin: 256, cout: 256, oh: 14, ow: 14), Kernels.winogradHandKernelRuns)
        Kernels.winogradHandProducts = false
        XCTAssertFalse(Kernels.winogradPays(n: 1, cin: 256, cout: 256, oh: 14, ow: 14))
        Kernels.winogradHandProducts = true
        XCTAssertTrue(Kernels.winogradPays(n: 8, cin: 512, cout: 512, oh: 7, ow: 7))
        XCTAssertTrue(Kernels.winogradPays(n: 1, cin: 128, cout: 128, oh: 28, ow: 28))
        XCTAssertTrue(Kernels.winogradPays(n: 1, cin: 64, cout: 64, oh: 56, ow: 56))
        XCTAssertTrue(Kernels.winogradPays(n: 1, cin: 16, cout: 16, oh: 2, ow: 2))
        // The same values either way.
        let x = try randn([1, 512, 7, 7]), w = try randn([512, 512, 3, 3], scale: 0.02), b = try randn([512])
        let p = Conv2dParams(stride: (1, 1), padding: (1, 1, 1, 1), dilation: (1, 1), groups: 1)
        let y = try Kernels.conv2d(x, w, b, p)
        let x8 = try Tensor.cat([x] + (1..<8).map { _ in try randn([1, 512, 7, 7]) }, dim: 0)
        assertClose(try Kernels.conv2d(x8, w, b, p).narrow(dim: 0, start: 0, length: 1), y, rtol: 1e-3, atol: 1e-3)
    }

    /// Under a memory limit too small for the transformed weights, the conv still runs (by im2col).
    func testFallsBackToIm2colWhenItsBuffersExceedTheLimit() throws {
        let x = try randn([1, 64, 8, 8]), w = try randn([64, 64, 3, 3], scale: 0.1), b = try randn([64])
        let expected = try KernelReferenceTests.naiveConv(x, w, b, Conv2dParams(padding: (1, 1)))
        let saved = Storage.limitBytes
        defer { Storage.limitBytes = saved }
        ScratchPool.shared.removeAll()
        Storage.limitBytes = 200_000          // weights 147 KB fit; 16 transformed 64×64 planes (264 KB) do not
        XCTAssertThrowsError(try Tensor.zeros([16, 64 * 64 + 32]))
        assertClose(try Kernels.conv2d(x, w, b, padding: .sizes([1])), expected, rtol: 1e-4, atol: 1e-4)
    }

    /// A NaN or infinity reaches exactly the outputs whose window holds it, as in PyTorch's
    /// direct convolution (a Winograd tile would mix it into its neighbours).
    func testNonFiniteInputsStayInTheirWindows() throws {
        for bad: Float in [.nan, .infinity] {
            let x = try Tensor.zeros([1, 16, 8, 8])
            x.floatPtr[3 * 8 + 3] = bad                       // channel 0, row 3, column 3
            let w = try Tensor.ones([16, 16, 3, 3])
            let y = try Kernels.conv2d(x, w, nil, padding: .sizes([1]))
            let plane = Array(y.toFloats()[0..<64])
            for r in 0..<8 {
                for c in 0..<8 {
                    let inside = (2...4).contains(r) && (2...4).contains(c)
                    let v = plane[r * 8 + c]
                    XCTAssertEqual(v.isFinite, !inside, "\(bad) at (\(r), \(c)): \(v)")
                    if bad.isInfinite && inside { XCTAssertEqual(v, .infinity) }
                }
            }
        }
    }
}
