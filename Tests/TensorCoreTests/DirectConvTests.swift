import XCTest
@testable import TensorCore
import TestSupport

/// The direct convolution for few input channels (`DirectConv.swift`, `CConv`): against
/// PyTorch's outputs (`Fixtures/make_direct_conv.py`), against the definition over strides,
/// dilations, paddings and partial blocks, and against the im2col path it replaces.
final class DirectConvTests: XCTestCase {
    var rng = RandomGenerator(seed: 23)
    let savedThreads = Parallel.threads

    override func tearDown() {
        Kernels.directConvEnabled = true
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
    }

    func testMatchesPyTorch() throws {
        let cases = try Golden.cases(in: Self.fixtures)
        XCTAssertEqual(cases.count, 8)
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
            for direct in [true, false] {
                Kernels.directConvEnabled = direct
                let out = try Kernels.conv2d(x, w, b, stride: s, padding: padding, dilation: d)
                assertClose(out, y, rtol: 1e-4, atol: 1e-5, "\(c.name) direct=\(direct)")
            }
            Kernels.directConvEnabled = true
        }
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
            assertClose(try Kernels.conv2d(x, wt, b, p), expected, rtol: 1e-4, atol: 1e-4, label)
            assertClose(try Kernels.conv2d(x, wt, Optional<Tensor>.none, p), try KernelReferenceTests.naiveConv(x, wt, nil, p),
                        rtol: 1e-4, atol: 1e-4, label + " no bias")
            Parallel.setThreads(1)
            assertClose(try Kernels.conv2d(x, wt, b, p), expected, rtol: 1e-4, atol: 1e-4, label + " one thread")
            Parallel.setThreads(max(2, savedThreads))
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
