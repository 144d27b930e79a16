import XCTest
@testable import TensorCore
import TestSupport

/// The direct convolution for few input channels (`DirectConv.swift`, `DirectConvGrad.swift`,
/// `CConv`): both forward kernels (spatial, channel-vectorised) and the weight gradient against
/// PyTorch's outputs and autograd's gradients (`Fixtures/make_direct_conv.py`: LeNet's convs at
/// their exact shapes, odd widths, padding edges), against the definition over strides,
/// dilations, paddings and partial blocks, and against the im2col path it replaces (the one
/// CPUs without AVX2 + FMA take).
final class DirectConvTests: XCTestCase {
    var rng = RandomGenerator(seed: 23)
    let savedThreads = Parallel.threads

    override func tearDown() {
        Kernels.directConvEnabled = true
        Kernels.directConvKernel = .automatic
        Kernels.directConvRowWinograd = true
        Kernels.directConvWide = Kernels.directConvWideNative
        Parallel.setThreads(savedThreads)
    }

    func randn(_ shape: [Int], scale: Float = 1) throws -> Tensor {
        let n = shape.reduce(1, *)
        return try Tensor((0..<n).map { _ in Float(rng.normal()) * scale }, shape: shape)
    }

    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/direct_conv")
    }

    func testRunsWhereverTheCPUHasAVX2AndFMA() {
        XCTAssertEqual(Kernels.directConvSupported, BLASCore.features.isSuperset(of: [.avx2, .fma]))
        // The wide kernels' AVX-512F builds (vectors of 16 floats) wherever AVX-512F runs; the bench's
        // machine line says which kernels run.
        XCTAssertEqual(Kernels.directConvWideNative, BLASCore.features.isSuperset(of: [.avx512f, .avx2, .fma]))
        let here = Kernels.directConvKernels(for: BLASCore.features)
        XCTAssertTrue(here == (Kernels.directConvSupported, Kernels.directConvWideNative))
        // The choice for each feature set: SSE only (Prescott), AVX without AVX2, Haswell/Zen (AVX2 +
        // FMA), Skylake-SP and Zen 4 (AVX-512F/BW/VL/DQ/CD), and AVX-512F without FMA (not a real CPU).
        let sets: [(BLASCore.Features, Bool, Bool)] = [
            ([.sse3], false, false), ([.sse3, .avx], false, false), ([.sse3, .avx, .avx2, .fma], true, false),
            ([.sse3, .avx, .avx2, .fma, .avx512f, .avx512bw, .avx512vl, .avx512dq, .avx512cd], true, true),
            ([.sse3, .avx, .avx512f], false, false),
        ]
        for (features, supported, wide) in sets {
            XCTAssertTrue(Kernels.directConvKernels(for: features) == (supported, wide), BLASCore.describe(features))
        }
        XCTAssertEqual(Kernels.directConvWide, Kernels.directConvWideNative)
        XCTAssertTrue(Kernels.directConvPlan(cout: 64, ow: 112) == (false, 4, Kernels.directConvWideNative))
        let avx512 = BLASCore.features.isSuperset(of: [.avx512f, .avx2, .fma])
        XCTAssertEqual(Kernels.directConvSummary, avx512 ? "direct conv: AVX-512F, 16 floats a vector"
                                                         : "direct conv: AVX2 + FMA, 8 floats a vector")
        Kernels.directConvWide = true
        XCTAssertEqual(Kernels.directConvSummary, "direct conv: " + (avx512 ? "AVX-512F" : "AVX2 build of the AVX-512F kernels")
                                                  + ", 16 floats a vector")
        Kernels.directConvEnabled = false
        XCTAssertEqual(Kernels.directConvSummary, "direct conv: off (im2col + sgemm)")
    }

    func testMatchesPyTorch() throws {
        let cases = try Golden.cases(in: Self.fixtures)
        XCTAssertEqual(cases.count, 15)
        for c in cases {
            let x = try c.input("input"), w = try c.input("weight"), b = c.inputs["bias"]
            let y = c.outputs[0]
            let padding: ConvPadding
            switch c.string("padding") {
            case "same": padding = .same
            case "valid": padding = .valid
            default: let (a, b) = c.pair("padding", (0, 0)); padding = .sizes([a, b])
            }
            let s = c.pair("stride", (1, 1)), d = c.pair("dilation", (1, 1))
            XCTAssertTrue(Kernels.directConvApplies(cin: x.shape[1], kh: w.shape[2], kw: w.shape[3],
                                                    p: Conv2dParams(stride: s, padding: (0, 0), dilation: d),
                                                    ow: y.shape[3]), c.name)
            let kernels: [(Bool, Kernels.DirectConvKernel)] = [(true, .automatic), (true, .spatial), (true, .channels),
                                                               (false, .automatic)]
            for (direct, kernel) in kernels {
                Kernels.directConvEnabled = direct
                Kernels.directConvKernel = kernel
                for wide in [false, true] {
                    Kernels.directConvWide = wide
                    for threads in [1, 2, 16] {   // 16: fewer images than two per worker, rows as the items
                        Parallel.setThreads(threads)
                        let out = try Kernels.conv2d(x, w, b, stride: s, padding: padding, dilation: d)
                        assertClose(out, y, rtol: 1e-4, atol: 1e-5,
                                    "\(c.name) direct=\(direct) \(kernel) wide=\(wide) threads=\(threads)")
                    }
                }
            }
            Kernels.directConvEnabled = true
            Kernels.directConvKernel = .automatic
            Kernels.directConvWide = Kernels.directConvWideNative
            Parallel.setThreads(savedThreads)
        }
    }

    func testGradientsMatchPyTorch() throws {
        let cases = try Golden.cases(in: Self.fixtures).filter { $0.name.hasPrefix("grad_") }
        XCTAssertEqual(cases.count, 7)
        for c in cases {
            let x = try c.input("input"), w = try c.input("weight")
            guard let gy = c.gradOut, let gx = c.grads["input"], let gw = c.grads["weight"], let gb = c.grads["bias"] else {
                return XCTFail("\(c.name): no gradients")
            }
            let (pt, pl) = c.pair("padding", (0, 0))
            let p = Conv2dParams(stride: c.pair("stride", (1, 1)), padding: (pt, pl))
            XCTAssertTrue(Kernels.directConvApplies(cin: x.shape[1], kh: w.shape[2], kw: w.shape[3], p: p,
                                                    ow: gy.shape[3]), c.name)
            for direct in [true, false] {
                Kernels.directConvEnabled = direct
                for threads in [1, 2, 16] {
                    Parallel.setThreads(threads)
                    let label = "\(c.name) direct=\(direct) threads=\(threads)"
                    let g = try Kernels.conv2dBackward(gy, input: x, weight: w, p)
                    guard let ix = g.input, let iw = g.weight, let ib = g.bias else { return XCTFail(label) }
                    assertClose(ix, gx, rtol: 1e-4, atol: 1e-4, label + " input")
                    assertClose(iw, gw, rtol: 1e-4, atol: 1e-3, label + " weight")
                    assertClose(ib, gb, rtol: 1e-4, atol: 1e-3, label + " bias")
                    // A first layer's backward: the weight gradient alone.
                    let only = try Kernels.conv2dBackward(gy, input: x, weight: w, p, inputGrad: false, biasGrad: false)
                    XCTAssertNil(only.input)
                    XCTAssertNil(only.bias)
                    assertClose(try XCTUnwrap(only.weight), gw, rtol: 1e-4, atol: 1e-3, label + " weight only")
                }
            }
            Kernels.directConvEnabled = true
            Parallel.setThreads(savedThreads)
        }
    }

    func testKernelFillsTheMostLanes() {
        // LeNet's conv1 (6 channels, 28 wide): spatial, blocks of 6 channels; its conv2 (16 channels,
        // 10 wide, which would leave 6 of 16 columns empty): channels in the lanes, 16 at a time;
        // the stem (64 channels, 112 wide): spatial, blocks of 4.
        XCTAssertTrue(Kernels.directConvPlan(cout: 6, ow: 28, wide: false) == (false, 6, false))
        XCTAssertTrue(Kernels.directConvPlan(cout: 16, ow: 10, wide: false) == (true, 16, false))
        XCTAssertTrue(Kernels.directConvPlan(cout: 64, ow: 112, wide: false) == (false, 4, false))
        XCTAssertTrue(Kernels.directConvPlan(cout: 8, ow: 11, wide: false) == (true, 8, false))
        XCTAssertTrue(Kernels.directConvPlan(cout: 7, ow: 32, wide: false) == (false, 4, false))
        // With vectors of 16 columns (AVX-512F): a row of 28 fills 28 of 32 columns, still more than
        // the channel kernel's 6 of 8 lanes; 10 columns of 16 lose to 16 channels in the lanes.
        // Channels take zmm lanes for more than 8 of them: 16 or 32 a block, whichever wastes fewer.
        XCTAssertTrue(Kernels.directConvPlan(cout: 6, ow: 28, wide: true) == (false, 6, true))
        XCTAssertTrue(Kernels.directConvPlan(cout: 16, ow: 10, wide: true) == (true, 16, true))
        XCTAssertTrue(Kernels.directConvPlan(cout: 64, ow: 112, wide: true) == (false, 4, true))
        XCTAssertTrue(Kernels.directConvPlan(cout: 6, ow: 20, wide: true) == (true, 8, false))
        XCTAssertTrue(Kernels.directConvPlan(cout: 32, ow: 9, wide: true) == (true, 32, true))
        XCTAssertTrue(Kernels.directConvPlan(cout: 40, ow: 9, wide: true) == (true, 16, true))
    }

    func testMatchesDefinitionOverShapes() throws {
        // (n, cin, h, w, cout, kh, kw, stride, dilation, padding top/bottom/left/right)
        let configs: [(Int, Int, Int, Int, Int, Int, Int, (Int, Int), (Int, Int), (Int, Int, Int, Int))] = [
            (1, 3, 30, 30, 64, 7, 7, (2, 2), (1, 1), (3, 3, 3, 3)),
            (3, 1, 11, 8, 1, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1)),     // Cout 1: three empty lanes of a block
            (2, 4, 10, 50, 13, 2, 5, (3, 1), (1, 2), (0, 2, 4, 1)),   // asymmetric padding, 3 blocks + tail
            (1, 2, 6, 33, 6, 6, 1, (1, 4), (1, 1), (5, 5, 0, 0)),     // padding wider than the kernel's reach
            (5, 8, 7, 17, 4, 3, 3, (2, 2), (2, 2), (2, 1, 2, 1)),
            (1, 1, 1, 64, 8, 1, 9, (1, 1), (1, 1), (0, 0, 4, 4)),     // a single row
        ]
        for (n, cin, h, w, cout, kh, kw, s, d, pad) in configs {
            let x = try randn([n, cin, h, w]), wt = try randn([cout, cin, kh, kw], scale: 0.2), b = try randn([cout])
            let p = Conv2dParams(stride: s, padding: pad, dilation: d, groups: 1)
            let ow = (w + pad.2 + pad.3 - d.1 * (kw - 1) - 1) / s.1 + 1
            XCTAssertTrue(Kernels.directConvApplies(cin: cin, kh: kh, kw: kw, p: p, ow: ow))
            let label = "\((n, cin, h, w, cout, kh, kw, s, d, pad))"
            let expected = try KernelReferenceTests.naiveConv(x, wt, b, p)
            for kernel in [Kernels.DirectConvKernel.automatic, .spatial, .channels] {
                for wide in [false, true] {
                    Kernels.directConvKernel = kernel
                    Kernels.directConvWide = wide
                    let label = label + " \(kernel) wide=\(wide)"
                    assertClose(try Kernels.conv2d(x, wt, b, p), expected, rtol: 1e-4, atol: 1e-4, label)
                    assertClose(try Kernels.conv2d(x, wt, Optional<Tensor>.none, p),
                                try KernelReferenceTests.naiveConv(x, wt, nil, p), rtol: 1e-4, atol: 1e-4, label + " no bias")
                    Parallel.setThreads(1)
                    assertClose(try Kernels.conv2d(x, wt, b, p), expected, rtol: 1e-4, atol: 1e-4, label + " one thread")
                    Parallel.setThreads(max(2, savedThreads))
                }
            }
            Kernels.directConvKernel = .automatic
            Kernels.directConvWide = Kernels.directConvWideNative
        }
    }

    func testWideKernelsMatchTheDefinitionForEveryBlock() throws {
        // The kernels with vectors of 16 (their AVX-512F builds where the CPU has them, else the same
        // kernels built for AVX2). Spatial: each channel block (4, 6, 3, 2) at rows needing two column
        // chunks, the last vector partly past the row, stride 2 and dilation; the stem's 112 columns
        // are 4 + 3 vectors. Channels: 16 channels a block, 32, 16 with a tail of 8, and chunks of
        // up to 12 or 8 consecutive positions of a row (a range that starts or ends inside a row).
        // (n, cin, h, w, cout, kh, kw, stride, dilation, padding top/bottom/left/right)
        let configs: [(Int, Int, Int, Int, Int, Int, Int, (Int, Int), (Int, Int), (Int, Int, Int, Int))] = [
            (1, 3, 9, 224, 64, 7, 7, (2, 2), (1, 1), (3, 3, 3, 3)),     // cb 4: 7 vectors, 4 + 3
            (2, 2, 5, 75, 6, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1)),       // cb 6: 5 vectors, 3 + 2, 11 columns of the last
            (1, 1, 4, 136, 3, 2, 7, (1, 1), (1, 1), (0, 1, 0, 0)),      // cb 3: 9 vectors, 5 + 4
            (1, 4, 6, 310, 2, 3, 5, (1, 2), (2, 1), (2, 0, 3, 1)),      // cb 2: 10 vectors, 5 + 5
            (3, 3, 12, 40, 13, 5, 5, (2, 2), (1, 1), (2, 2, 2, 2)),     // cb 2 + tail: 20 columns, 2 vectors
        ]
        let channelConfigs: [(Int, Int, Int, Int, Int, Int, Int, (Int, Int), (Int, Int), (Int, Int, Int, Int))] = [
            (2, 6, 14, 14, 16, 5, 5, (1, 1), (1, 1), (0, 0, 0, 0)),     // LeNet's conv2: 16 channels, 100 positions
            (1, 3, 13, 11, 32, 3, 3, (1, 1), (1, 1), (1, 0, 1, 0)),     // 32 channels a block, chunks of 8
            (3, 2, 9, 21, 40, 3, 5, (2, 2), (2, 1), (2, 1, 0, 3)),      // blocks of 16: 16 + 16 + 8
            (1, 1, 5, 12, 9, 2, 2, (1, 1), (1, 1), (0, 0, 0, 0)),       // 9 channels: 7 empty lanes
            (2, 3, 12, 13, 16, 3, 4, (2, 1), (2, 1), (0, 0, 0, 0)),     // no padding, row stride and dilation: reads the image in place
        ]
        let kernels = [Kernels.DirectConvKernel](repeating: .spatial, count: configs.count)
            + [Kernels.DirectConvKernel](repeating: .channels, count: channelConfigs.count)
        for ((n, cin, h, w, cout, kh, kw, s, d, pad), kernel) in zip(configs + channelConfigs, kernels) {
            let x = try randn([n, cin, h, w]), wt = try randn([cout, cin, kh, kw], scale: 0.2), b = try randn([cout])
            let p = Conv2dParams(stride: s, padding: pad, dilation: d, groups: 1)
            let ow = (w + pad.2 + pad.3 - d.1 * (kw - 1) - 1) / s.1 + 1
            XCTAssertTrue(Kernels.directConvApplies(cin: cin, kh: kh, kw: kw, p: p, ow: ow))
            let expected = try KernelReferenceTests.naiveConv(x, wt, b, p)
            Kernels.directConvWide = true
            Kernels.directConvKernel = kernel
            let plan = Kernels.directConvPlan(cout: cout, ow: ow)
            XCTAssertTrue(plan.wide && plan.channels == (kernel == .channels))
            for threads in [1, 2, 5] {
                Parallel.setThreads(threads)
                assertClose(try Kernels.conv2d(x, wt, b, p), expected, rtol: 1e-4, atol: 1e-4,
                            "\((n, cin, h, w, cout, kh, kw, s, d, pad)) \(Kernels.directConvKernel) wide threads=\(threads)")
            }
            Kernels.directConvKernel = .automatic
            Kernels.directConvWide = Kernels.directConvWideNative
            Parallel.setThreads(savedThreads)
        }
    }

    func testEveryShareOfTheBatchRowsMatchesTheDefinition() throws {
        // Each worker takes a contiguous range of the batch's output rows (positions for the channel
        // kernel) and builds only the plane rows that range reads: ranges that start and end inside an
        // image, inside a row (channel kernel), span two images, or hold one row, for 1–64 workers;
        // the first conv (22 MFLOP) is also computed in two pieces per image.
        // (n, cin, h, w, cout, kh, kw, stride, dilation, padding top/bottom/left/right)
        let configs: [(Int, Int, Int, Int, Int, Int, Int, (Int, Int), (Int, Int), (Int, Int, Int, Int))] = [
            (1, 3, 70, 66, 65, 7, 7, (2, 2), (1, 1), (3, 3, 3, 3)),   // an odd stem: Cout 65 (blocks of 6 + 5), two pieces
            (1, 3, 29, 35, 61, 7, 7, (2, 2), (1, 1), (3, 2, 1, 3)),   // Cout 61: blocks of 2 + 1, asymmetric padding
            (2, 3, 19, 23, 10, 5, 5, (1, 1), (2, 2), (2, 2, 2, 2)),   // dilated, two images on many workers
            (3, 2, 12, 20, 16, 3, 3, (2, 1), (1, 1), (1, 0, 2, 1)),   // three images: a worker's range spans two
            (3, 6, 14, 14, 16, 5, 5, (1, 1), (1, 1), (0, 0, 0, 0)),   // LeNet's conv2: the channel kernel reads the images in place
        ]
        for (n, cin, h, w, cout, kh, kw, s, d, pad) in configs {
            let x = try randn([n, cin, h, w]), wt = try randn([cout, cin, kh, kw], scale: 0.2), b = try randn([cout])
            let p = Conv2dParams(stride: s, padding: pad, dilation: d, groups: 1)
            let ow = (w + pad.2 + pad.3 - d.1 * (kw - 1) - 1) / s.1 + 1
            XCTAssertTrue(Kernels.directConvApplies(cin: cin, kh: kh, kw: kw, p: p, ow: ow))
            let expected = try KernelReferenceTests.naiveConv(x, wt, b, p)
            for kernel in [Kernels.DirectConvKernel.automatic, .spatial, .channels] {
                for wide in [false, true] {
                    Kernels.directConvKernel = kernel
                    Kernels.directConvWide = wide
                    for threads in [1, 2, 3, 5, 16, 64] {
                        Parallel.setThreads(threads)
                        assertClose(try Kernels.conv2d(x, wt, b, p), expected, rtol: 1e-4, atol: 1e-4,
                                    "\((n, cin, h, w, cout, kh, kw, s, d, pad)) \(kernel) wide=\(wide) threads=\(threads)")
                    }
                }
            }
            Kernels.directConvKernel = .automatic
            Kernels.directConvWide = Kernels.directConvWideNative
            Parallel.setThreads(savedThreads)
        }
    }

    func testRowWinogradMatchesTheDefinition() throws {
        // Winograd's F(n, r) along the output rows in the spatial kernel: tiles of n rows for r kernel rows per
        // row phase (the stem: r = 4, n = 4), a last partial tile by the plain sums, shares of whole tiles on
        // 1–64 workers; channel blocks of 4, 3, 6 and 2, partial column vectors, column stride and dilation.
        // (n, cin, h, w, cout, kh, kw, stride, dilation, padding top/bottom/left/right, rows per tile)
        let configs: [(Int, Int, Int, Int, Int, Int, Int, (Int, Int), (Int, Int), (Int, Int, Int, Int), Int)] = [
            (1, 3, 37, 57, 64, 7, 7, (2, 2), (1, 1), (3, 3, 3, 3), 4),   // an odd stem: 4 tiles + 3 rows, 29 columns
            (2, 3, 17, 20, 33, 5, 5, (1, 1), (1, 1), (2, 2, 2, 2), 3),   // Cout 33: blocks of 3 × 4 vectors
            (1, 5, 23, 30, 42, 6, 3, (2, 1), (1, 2), (1, 2, 0, 3), 5),   // 6 rows at stride 2: r = 3; blocks of 6
            (3, 8, 9, 16, 62, 3, 2, (1, 1), (1, 1), (1, 1, 0, 1), 5),    // Cout 62: blocks of 2 × 6 vectors
            (1, 2, 19, 33, 36, 5, 7, (2, 2), (1, 1), (2, 2, 3, 3), 5),   // 5 rows at stride 2: two whole tiles
        ]
        // Both widths: blocks of 8 columns a vector, and of 16 (the AVX-512F kernels; here their AVX2 build
        // where the CPU has no AVX-512F), the spatial kernel forced at 16, where the last config's 17 columns
        // would take the channel kernel (a block's last 16-column vector then holds one).
        for wide in [false, true] {
            Kernels.directConvWide = wide
            Kernels.directConvKernel = wide ? .spatial : .automatic
            for (n, cin, h, w, cout, kh, kw, s, d, pad, tile) in configs {
                let x = try randn([n, cin, h, w]), wt = try randn([cout, cin, kh, kw], scale: 0.2), b = try randn([cout])
                let p = Conv2dParams(stride: s, padding: pad, dilation: d, groups: 1)
                let ow = (w + pad.2 + pad.3 - d.1 * (kw - 1) - 1) / s.1 + 1
                let label = "\((n, cin, h, w, cout, kh, kw, s, d, pad)) wide=\(wide)"
                XCTAssertTrue(Kernels.directConvApplies(cin: cin, kh: kh, kw: kw, p: p, ow: ow), label)
                XCTAssertFalse(Kernels.directConvPlan(cout: cout, ow: ow, wide: false).channels, label)
                let plan = Kernels.directConvPlan(cout: cout, ow: ow)   // what the conv below runs
                XCTAssertTrue(!plan.channels && plan.wide == wide, label)
                XCTAssertEqual(Kernels.directConvRowTile(cin: cin, cout: cout, kh: kh, kw: kw, p: p), tile, label)
                let expected = try KernelReferenceTests.naiveConv(x, wt, b, p)
                for threads in [1, 2, 3, 7, 64] {
                    Parallel.setThreads(threads)
                    assertClose(try Kernels.conv2d(x, wt, b, p), expected, rtol: 1e-4, atol: 1e-4, label + " threads=\(threads)")
                }
                assertClose(try Kernels.conv2d(x, wt, nil, p), try KernelReferenceTests.naiveConv(x, wt, nil, p),
                            rtol: 1e-4, atol: 1e-4, label + " no bias")
                Parallel.setThreads(savedThreads)
            }
        }
        // Where it does not pay (few taps per transformed row, few channels) or does not apply.
        XCTAssertEqual(Kernels.directConvRowTile(cin: 1, cout: 6, kh: 5, kw: 5, p: Conv2dParams()), 0)    // LeNet's conv1
        XCTAssertEqual(Kernels.directConvRowTile(cin: 3, cout: 64, kh: 3, kw: 3, p: Conv2dParams()), 0)   // 9 taps
        XCTAssertEqual(Kernels.directConvRowTile(cin: 3, cout: 64, kh: 7, kw: 7, p: Conv2dParams(stride: (3, 3))), 0)
        XCTAssertEqual(Kernels.directConvRowTile(cin: 3, cout: 64, kh: 5, kw: 5, p: Conv2dParams(dilation: (2, 1))), 0)
        XCTAssertEqual(Kernels.directConvRowTile(cin: 3, cout: 64, kh: 2, kw: 5, p: Conv2dParams()), 0)   // r = 2
        // The channel kernel never takes it; the stem's plan is the spatial kernel at either width.
        let stem = Conv2dParams(stride: (2, 2))
        XCTAssertEqual(Kernels.directConvRowTile(cin: 3, cout: 64, kh: 7, kw: 7, p: stem, channels: true), 0)
        for wide in [false, true] {
            XCTAssertTrue(Kernels.directConvPlan(cout: 64, ow: 112, wide: wide) == (false, 4, wide))
        }
        Kernels.directConvRowWinograd = false
        defer { Kernels.directConvRowWinograd = true }
        XCTAssertEqual(Kernels.directConvRowTile(cin: 3, cout: 64, kh: 7, kw: 7, p: stem), 0)
    }

    func testAWorkerDoneWithItsShareTakesTheOthersPieces() throws {
        // Inside another parallel loop the conv's workers run one after the other on one thread, so the
        // first takes every piece of the other shares from their counters, each with a band of its own: the
        // path of a worker whose partner starts late. The stem (row Winograd, one tile per piece), a batch
        // of whole-image pieces (plain sums) and LeNet's conv2 (channel kernel).
        // (n, cin, h, w, cout, kh, kw, stride, padding)
        let configs: [(Int, Int, Int, Int, Int, Int, Int, Int, Int)] = [
            (1, 3, 64, 64, 64, 7, 7, 2, 3), (3, 3, 17, 20, 16, 5, 5, 1, 2), (5, 6, 14, 14, 16, 5, 5, 1, 0),
        ]
        for (n, cin, h, w, cout, kh, kw, st, pd) in configs {
            let x = try randn([n, cin, h, w]), wt = try randn([cout, cin, kh, kw], scale: 0.2), b = try randn([cout])
            let p = Conv2dParams(stride: (st, st), padding: (pd, pd))
            let expected = try KernelReferenceTests.naiveConv(x, wt, b, p)
            for (threads, wide) in [(2, false), (3, false), (7, false), (2, true)] {
                Kernels.directConvWide = wide
                Parallel.setThreads(threads)
                var result: Result<Tensor, Error>?
                Parallel.forEach(2) { i in
                    if i == 0 { result = Result { try Kernels.conv2d(x, wt, b, p) } }
                }
                assertClose(try XCTUnwrap(result).get(), expected, rtol: 1e-4, atol: 1e-4,
                            "\((n, cin, h, cout, kh)) threads=\(threads) wide=\(wide)")
            }
            Parallel.setThreads(savedThreads)
        }
    }

    func testRowWinogradPutsInfAndNaNWhereTheDirectSumsDo() throws {
        // A transform mixes a tile's rows, so one inf would spread NaN over all of them: a tile with an output
        // that is not finite is computed again by the plain sums, whose inf and NaN land where PyTorch's do.
        let x = try randn([2, 3, 40, 38]), wt = try randn([64, 3, 7, 7], scale: 0.2), b = try randn([64])
        let p = Conv2dParams(stride: (2, 2), padding: (3, 3))
        Kernels.directConvWide = false
        XCTAssertEqual(Kernels.directConvRowTile(cin: 3, cout: 64, kh: 7, kw: 7, p: p), 4)
        let xs = x.floatPtr
        xs[(0 * 3 + 1) * 40 * 38 + 10 * 38 + 13] = .infinity
        xs[(0 * 3 + 0) * 40 * 38 + 25 * 38 + 30] = -.infinity
        xs[(1 * 3 + 2) * 40 * 38 + 30 * 38 + 5] = .nan
        Kernels.directConvRowWinograd = false
        let direct = try Kernels.conv2d(x, wt, b, p)
        Kernels.directConvRowWinograd = true
        let d = direct.toDoubles()
        XCTAssertGreaterThan(d.filter { $0.isNaN }.count, 0)
        XCTAssertGreaterThan(d.filter { $0.isInfinite }.count, 0)
        for wide in [false, true] {
            Kernels.directConvWide = wide
            for threads in [1, 2] {
                Parallel.setThreads(threads)
                assertClose(try Kernels.conv2d(x, wt, b, p), direct, rtol: 1e-4, atol: 1e-4, "wide=\(wide) threads=\(threads)")
            }
        }
        Parallel.setThreads(savedThreads)
    }

    func testStopsWhenInterrupted() throws {
        // Ctrl-C: the workers skip their remaining pieces and the conv throws instead of returning a
        // partly computed output.
        let x = try randn([1, 3, 64, 64]), wt = try randn([64, 3, 7, 7]), p = Conv2dParams(stride: (2, 2), padding: (3, 3))
        XCTAssertTrue(Kernels.directConvApplies(cin: 3, kh: 7, kw: 7, p: p, ow: 32))
        for threads in [1, 2] {
            Parallel.setThreads(threads)
            Cancellation.requested = true
            defer { Cancellation.requested = false }
            XCTAssertThrowsError(try Kernels.conv2d(x, wt, Optional<Tensor>.none, p)) { error in
                guard case TensorError.interrupted = error else { return XCTFail("\(error)") }
            }
        }
    }

    func testGradientsMatchIm2colOverStridesAndDilations() throws {
        // (n, cin, h, w, cout, kh, kw, stride, dilation, padding top/bottom/left/right)
        let configs: [(Int, Int, Int, Int, Int, Int, Int, (Int, Int), (Int, Int), (Int, Int, Int, Int))] = [
            (2, 3, 30, 30, 64, 7, 7, (2, 2), (1, 1), (3, 3, 3, 3)),   // the stem: four blocks of 16 channels
            (2, 4, 10, 50, 13, 2, 5, (3, 1), (1, 2), (0, 2, 4, 1)),
            (1, 2, 6, 33, 6, 6, 1, (1, 4), (1, 1), (5, 5, 0, 0)),
            (5, 8, 7, 17, 4, 3, 3, (2, 2), (2, 2), (2, 1, 2, 1)),
            (3, 5, 9, 12, 9, 3, 3, (1, 1), (2, 1), (2, 2, 1, 1)),     // dilated rows, stride 1: the flipped input gradient
        ]
        for (n, cin, h, w, cout, kh, kw, s, d, pad) in configs {
            let x = try randn([n, cin, h, w]), wt = try randn([cout, cin, kh, kw], scale: 0.2)
            let p = Conv2dParams(stride: s, padding: pad, dilation: d, groups: 1)
            let oh = (h + pad.0 + pad.1 - d.0 * (kh - 1) - 1) / s.0 + 1, ow = (w + pad.2 + pad.3 - d.1 * (kw - 1) - 1) / s.1 + 1
            XCTAssertTrue(Kernels.directConvApplies(cin: cin, kh: kh, kw: kw, p: p, ow: ow))
            let gy = try randn([n, cout, oh, ow])
            let label = "\((n, cin, h, w, cout, kh, kw, s, d, pad))"
            Kernels.directConvEnabled = false
            let ref = try Kernels.conv2dBackward(gy, input: x, weight: wt, p)
            Kernels.directConvEnabled = true
            for threads in [1, 2, 16] {
                Parallel.setThreads(threads)
                let g = try Kernels.conv2dBackward(gy, input: x, weight: wt, p)
                assertClose(try XCTUnwrap(g.weight), try XCTUnwrap(ref.weight), rtol: 1e-4, atol: 1e-3, label + " weight")
                assertClose(try XCTUnwrap(g.input), try XCTUnwrap(ref.input), rtol: 1e-4, atol: 1e-4, label + " input")
                assertClose(try XCTUnwrap(g.bias), try XCTUnwrap(ref.bias), rtol: 1e-4, atol: 1e-3, label + " bias")
            }
            Parallel.setThreads(savedThreads)
        }
    }

    func testOnlyFewChannelUngroupedConvsTakeIt() {
        let base = Conv2dParams()
        XCTAssertTrue(Kernels.directConvApplies(cin: 3, kh: 7, kw: 7, p: Conv2dParams(stride: (2, 2)), ow: 112))
        XCTAssertFalse(Kernels.directConvApplies(cin: 16, kh: 3, kw: 3, p: base, ow: 56))
        XCTAssertFalse(Kernels.directConvApplies(cin: 4, kh: 3, kw: 3, p: Conv2dParams(groups: 2), ow: 56))
        XCTAssertFalse(Kernels.directConvApplies(cin: 3, kh: 3, kw: 3, p: base, ow: 7))
        XCTAssertFalse(Kernels.directConvApplies(cin: 8, kh: 13, kw: 13, p: base, ow: 56))   // 1352 taps
        Kernels.directConvEnabled = false
        XCTAssertFalse(Kernels.directConvApplies(cin: 3, kh: 7, kw: 7, p: base, ow: 112))
    }
}
