import XCTest
@testable import TensorCore
import TestSupport

/// Kernels against direct (naive) definitions over many random settings, so
/// they are checked beyond the golden cases' sizes.
final class KernelReferenceTests: XCTestCase {
    var rng = RandomGenerator(seed: 7)

    func randn(_ shape: [Int]) throws -> Tensor {
        let n = shape.reduce(1, *)
        return try Tensor((0..<n).map { _ in Float(rng.normal()) }, shape: shape)
    }

    /// Direct convolution with asymmetric padding.
    static func naiveConv(_ x: Tensor, _ w: Tensor, _ b: Tensor?, _ p: Conv2dParams) throws -> Tensor {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (co, cg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        let og = co / p.groups
        let oh = (h + p.padding.top + p.padding.bottom - p.dilation.0 * (kh - 1) - 1) / p.stride.0 + 1
        let ow = (wd + p.padding.left + p.padding.right - p.dilation.1 * (kw - 1) - 1) / p.stride.1 + 1
        let xs = x.toFloats(), ws = w.toFloats(), bs = b?.toFloats()
        var out = [Float](repeating: 0, count: n * co * oh * ow)
        for s in 0..<n { for o in 0..<co { for y in 0..<oh { for xx in 0..<ow {
            var acc: Double = Double(bs?[o] ?? 0)
            let g = o / og
            for ci in 0..<cg { for i in 0..<kh { for j in 0..<kw {
                let iy = y * p.stride.0 - p.padding.top + i * p.dilation.0
                let ix = xx * p.stride.1 - p.padding.left + j * p.dilation.1
                if iy < 0 || iy >= h || ix < 0 || ix >= wd { continue }
                let cin = g * cg + ci
                acc += Double(xs[((s * c + cin) * h + iy) * wd + ix]) * Double(ws[((o * cg + ci) * kh + i) * kw + j])
            }}}
            out[((s * co + o) * oh + y) * ow + xx] = Float(acc)
        }}}}
        return try Tensor(out, shape: [n, co, oh, ow])
    }

    func testConv2dMatchesDirectDefinition() throws {
        let configs: [(n: Int, c: Int, h: Int, w: Int, co: Int, k: (Int, Int), s: (Int, Int), pad: (Int, Int, Int, Int), d: (Int, Int), g: Int)] = [
            (1, 3, 7, 6, 4, (3, 3), (1, 1), (1, 1, 1, 1), (1, 1), 1),
            (3, 4, 9, 8, 6, (1, 1), (1, 1), (0, 0, 0, 0), (1, 1), 2),      // pointwise fast path, per-sample threads
            (2, 6, 10, 7, 6, (3, 2), (2, 3), (2, 2, 1, 1), (2, 1), 3),
            (5, 2, 5, 5, 2, (5, 5), (1, 1), (0, 0, 0, 0), (1, 1), 2),      // depthwise, kernel = input
            (2, 3, 8, 9, 5, (2, 4), (1, 1), (0, 1, 1, 2), (1, 1), 1),      // asymmetric ('same' with even kernel)
            (4, 8, 16, 16, 16, (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), 1),
            (1, 16, 20, 20, 32, (3, 3), (1, 1), (1, 1, 1, 1), (1, 1), 1),  // big enough for threaded im2col
            (2, 3, 6, 11, 6, (1, 3), (3, 1), (0, 0, 2, 2), (1, 3), 3),
        ]
        for cf in configs {
            let x = try randn([cf.n, cf.c, cf.h, cf.w]), w = try randn([cf.co, cf.c / cf.g, cf.k.0, cf.k.1]), b = try randn([cf.co])
            let p = Conv2dParams(stride: cf.s, padding: (cf.pad.0, cf.pad.1, cf.pad.2, cf.pad.3), dilation: cf.d, groups: cf.g)
            assertClose(try Kernels.conv2d(x, w, b, p), try Self.naiveConv(x, w, b, p), rtol: 1e-4, atol: 1e-4, "\(cf)")
            assertClose(try Kernels.conv2d(x, w, nil, p), try Self.naiveConv(x, w, nil, p), rtol: 1e-4, atol: 1e-4, "\(cf) no bias")
        }
    }

    func testConv2dTilingDoesNotChangeResults() throws {
        // Tiny tiles: many column tiles per product, tiles that split grid rows.
        let saved = Kernels.convTileFloats
        defer { Kernels.convTileFloats = saved }
        let x = try randn([3, 4, 9, 11]), w = try randn([6, 2, 3, 3]), b = try randn([6])
        for (tileFloats, s) in [(50, (1, 1)), (200, (2, 1)), (1 << 20, (1, 2))] {
            Kernels.convTileFloats = tileFloats
            let p = Conv2dParams(stride: s, padding: (top: 1, bottom: 0, left: 2, right: 1), dilation: (1, 2), groups: 2)
            assertClose(try Kernels.conv2d(x, w, b, p), try Self.naiveConv(x, w, b, p), rtol: 1e-4, atol: 1e-4, "tile \(tileFloats)")
            let w1 = try randn([6, 2, 1, 1])
            assertClose(try Kernels.conv2d(x, w1, nil, Conv2dParams(groups: 2)), try Self.naiveConv(x, w1, nil, Conv2dParams(groups: 2)),
                        rtol: 1e-4, atol: 1e-4, "pointwise tile \(tileFloats)")
        }
    }

    func testConv2dUnbatchedSameAndNonContiguous() throws {
        let x = try randn([3, 8, 7]), w = try randn([5, 3, 4, 2])
        let y = try Kernels.conv2d(x, w, nil, padding: .same)
        XCTAssertEqual(y.shape, [5, 8, 7])
        let p = Conv2dParams(stride: (1, 1), padding: (top: 1, bottom: 2, left: 0, right: 1), dilation: (1, 1), groups: 1)
        assertClose(y, try Self.naiveConv(x.unsqueeze(0), w, nil, p).squeeze(0), atol: 1e-4)
        // A transposed (non-contiguous) input gives the same as its contiguous copy.
        let xt = try randn([7, 8, 3]).permute([2, 1, 0])
        assertClose(try Kernels.conv2d(xt, w, nil), try Kernels.conv2d(xt.contiguous(), w, nil), rtol: 0, atol: 0)
        let v = try Kernels.conv2d(x, w, nil, padding: .valid)
        XCTAssertEqual(v.shape, [5, 5, 6])
        XCTAssertEqual(Kernels.samePadding(kernel: 4, dilation: 1).left, 1)
        XCTAssertEqual(Kernels.samePadding(kernel: 4, dilation: 1).right, 2)
        XCTAssertEqual(Kernels.samePadding(kernel: 3, dilation: 3).left, 3)
    }

    func testConv1dIsConv2dWithHeightOne() throws {
        let x = try randn([2, 4, 13]), w = try randn([6, 2, 3]), b = try randn([6])
        let y = try Kernels.conv1d(x, w, b, stride: 2, padding: .sizes([1]), dilation: 2, groups: 2)
        let ref = try Kernels.conv2d(x.unsqueeze(2), w.unsqueeze(2), b, stride: (1, 2), padding: .sizes([0, 1]), dilation: (1, 2), groups: 2)
        assertClose(y, try ref.squeeze(2), rtol: 0, atol: 0)
        XCTAssertEqual(try Kernels.conv1d(try x.select(dim: 0, index: 0), w, b, padding: .same, groups: 2).shape, [6, 13])
        let r = try Kernels.conv1d(x, w, b, padding: .sizes([2]), groups: 2, paddingMode: .circular)
        let manual = try Kernels.conv1d(try Kernels.pad(x, [2, 2], mode: .circular), w, b, groups: 2)
        assertClose(r, manual, rtol: 0, atol: 0)
    }

    func testConvTransposeIsAdjointOfConv() throws {
        // <conv(x), y> == <x, conv_transpose(y)> for matching parameters (no bias).
        let configs: [(s: (Int, Int), p: (Int, Int), d: (Int, Int), g: Int, k: (Int, Int))] = [
            ((1, 1), (0, 0), (1, 1), 1, (3, 3)), ((2, 2), (1, 1), (1, 1), 1, (3, 3)),
            ((2, 3), (1, 0), (2, 1), 2, (3, 2)), ((3, 1), (2, 1), (1, 2), 1, (4, 3)),
        ]
        for cf in configs {
            let x = try randn([2, 4, 11, 10]), w = try randn([6, 4 / cf.g, cf.k.0, cf.k.1])
            let y = try Kernels.conv2d(x, w, nil, Conv2dParams(stride: cf.s, padding: cf.p, dilation: cf.d, groups: cf.g))
            let g = try randn(y.shape)
            // Output padding recovers the exact input size.
            let oph = 11 - ((y.shape[2] - 1) * cf.s.0 - 2 * cf.p.0 + cf.d.0 * (cf.k.0 - 1) + 1)
            let opw = 10 - ((y.shape[3] - 1) * cf.s.1 - 2 * cf.p.1 + cf.d.1 * (cf.k.1 - 1) + 1)
            let t = try Kernels.convTranspose2d(g, w, nil, ConvTranspose2dParams(stride: cf.s, padding: cf.p, outputPadding: (oph, opw),
                                                                               groups: cf.g, dilation: cf.d))
            XCTAssertEqual(t.shape, x.shape)
            let lhs = zip(y.toFloats(), g.toFloats()).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let rhs = zip(x.toFloats(), t.toFloats()).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            XCTAssertEqual(lhs, rhs, accuracy: 1e-3 * max(1, abs(lhs)), "\(cf)")
        }
        // Unbatched input and bias.
        let u = try Kernels.convTranspose2d(try randn([4, 3, 3]), try randn([4, 2, 2, 2]), try Tensor([1, 2], shape: [2]),
                                            ConvTranspose2dParams(stride: (2, 2)))
        XCTAssertEqual(u.shape, [2, 6, 6])
    }

    func testPadModes() throws {
        let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [1, 2, 3])
        XCTAssertEqual(try Kernels.pad(x, [2, 1], mode: .reflect).toFloats(), [3, 2, 1, 2, 3, 2, 6, 5, 4, 5, 6, 5])
        XCTAssertEqual(try Kernels.pad(x, [2, 1], mode: .replicate).toFloats(), [1, 1, 1, 2, 3, 3, 4, 4, 4, 5, 6, 6])
        XCTAssertEqual(try Kernels.pad(x, [2, 1], mode: .circular).toFloats(), [2, 3, 1, 2, 3, 1, 5, 6, 4, 5, 6, 4])
        XCTAssertEqual(try Kernels.pad(x, [1, 0, 0, 1], value: 9).toFloats(), [9, 1, 2, 3, 9, 4, 5, 6, 9, 9, 9, 9])
        XCTAssertEqual(try Kernels.pad(x, [-1, 0]).toFloats(), [2, 3, 5, 6])
        XCTAssertEqual(try Kernels.pad(x, [0, 0, 1, 1], mode: .reflect).toFloats(), [4, 5, 6, 1, 2, 3, 4, 5, 6, 1, 2, 3])
        let i = try Tensor(ints: [1, 2], shape: [1, 2])
        XCTAssertEqual(try Kernels.pad(i, [1, 1], value: 7).toInt64s(), [7, 1, 2, 7])
    }

    func testPoolingGeneralities() throws {
        // ceil_mode drops a last window that would start in the right padding.
        XCTAssertEqual(try Kernels.poolOutputSize(input: 5, kernel: 2, pad: 1, stride: 2, dilation: 1, ceilMode: true), 3)
        XCTAssertEqual(try Kernels.poolOutputSize(input: 6, kernel: 3, pad: 0, stride: 2, dilation: 1, ceilMode: true), 3)
        XCTAssertEqual(try Kernels.poolOutputSize(input: 6, kernel: 3, pad: 0, stride: 2, dilation: 1, ceilMode: false), 2)
        // Unbatched input; max pool then unpool puts maxima back in place.
        let x = try Tensor.binary(.add, try randn([3, 6, 8]).abs(), .scalar(0.1))   // positive: zeros never win
        let (v, idx) = try Kernels.maxPool2d(x, Pool2dParams(kernel: (2, 2)))
        XCTAssertEqual(v.shape, [3, 3, 4])
        let u = try Kernels.maxUnpool2d(v, idx, kernel: (2, 2))
        XCTAssertEqual(u.shape, [3, 6, 8])
        let back = try Kernels.maxPool2d(u, Pool2dParams(kernel: (2, 2))).values
        assertClose(back, v, rtol: 0, atol: 0)
        XCTAssertEqual(try Kernels.maxUnpool2d(v, idx, kernel: (2, 2), outputSize: [7, 9]).shape, [3, 7, 9])
        // Adaptive pooling to the input size is the identity; to 1×1 is the mean / max.
        assertClose(try Kernels.adaptiveAvgPool2d(x, outputSize: (6, 8)), x, rtol: 0, atol: 0)
        let m = try Kernels.adaptiveAvgPool2d(x, outputSize: (1, 1))
        assertClose(m, try x.mean(dims: [1, 2], keepdim: true), atol: 1e-5)
        // NaN propagates through max pooling.
        let nanIn = try Tensor([1, .nan, 3, 4], shape: [1, 2, 2])
        XCTAssertTrue(try Kernels.maxPool2d(nanIn, Pool2dParams(kernel: (2, 2))).values.toFloats()[0].isNaN)
    }

    func testBatchNormShapesAndEval() throws {
        let x = try randn([6, 5]), rm = try Tensor.zeros([5]), rv = try Tensor.ones([5])
        let r = try Kernels.batchNorm(x, runningMean: rm, runningVar: rv, weight: nil, bias: nil, BatchNormParams(training: true))
        let mean = try r.output.mean(dims: [0]).toFloats(), v = try r.output.variance(dims: [0], correction: 0).toFloats()
        for j in 0..<5 { XCTAssertEqual(mean[j], 0, accuracy: 1e-5); XCTAssertEqual(v[j], 1, accuracy: 1e-3) }
        let unbiased = try x.variance(dims: [0]).toFloats(), xm = try x.mean(dims: [0]).toFloats()
        for j in 0..<5 {
            XCTAssertEqual(rm.toFloats()[j], 0.1 * xm[j], accuracy: 1e-6)
            XCTAssertEqual(rv.toFloats()[j], 0.9 + 0.1 * unbiased[j], accuracy: 1e-5)
        }
        let x3 = try randn([2, 3, 4])
        XCTAssertEqual(try Kernels.batchNorm(x3, runningMean: nil, runningVar: nil, weight: nil, bias: nil,
                                             BatchNormParams(training: true)).output.shape, [2, 3, 4])
    }

    func testSoftmaxStableAndAnyDim() throws {
        let x = try Tensor([1000, 1001, 1002, -5, 0, 5], shape: [2, 3])
        let s = try Kernels.softmax(x, dim: 1).toFloats()
        XCTAssertEqual(s[2], 0.66524096, accuracy: 1e-6)
        XCTAssertFalse(s.contains { $0.isNaN })
        let ls = try Kernels.logSoftmax(x, dim: 0).toFloats()
        XCTAssertEqual(ls[0], 0, accuracy: 1e-6)
        XCTAssertEqual(ls[3], -1005, accuracy: 1e-3)
        let y = try randn([2, 3, 4])
        for d in -3..<3 {
            let sum = try Kernels.softmax(y, dim: d).sum(dims: [d]).toFloats()
            for v in sum { XCTAssertEqual(v, 1, accuracy: 1e-5) }
        }
    }

    func testRandomActivationsAndDropout() throws {
        RandomGenerator.manualSeed(3)
        let x = try Tensor((0..<4000).map { Float($0 % 7) - 3.5 }, shape: [40, 100])
        let (y, noise) = try Kernels.rreluWithNoise(x, lower: 0.1, upper: 0.3, training: true)
        guard let noise else { return XCTFail("no noise in training") }
        let xs = x.toFloats(), ys = y.toFloats(), ns = noise.toFloats()
        for i in 0..<xs.count {
            if xs[i] > 0 { XCTAssertEqual(ys[i], xs[i]); XCTAssertEqual(ns[i], 1) } else {
                XCTAssertTrue(ns[i] >= 0.1 && ns[i] <= 0.3); XCTAssertEqual(ys[i], xs[i] * ns[i])
            }
        }
        let d = try Kernels.dropout(x, p: 0.25, training: true).toFloats()
        let zeros = d.filter { $0 == 0 }.count
        XCTAssertTrue(zeros > 800 && zeros < 1200, "\(zeros)")
        for i in 0..<xs.count where d[i] != 0 { XCTAssertEqual(d[i], xs[i] / 0.75, accuracy: 1e-5) }
        XCTAssertTrue(try Kernels.dropout(x, p: 0.5, training: false) === x)
        XCTAssertEqual(try Kernels.dropout(x, p: 1).toFloats().filter { $0 != 0 }.count, 0)
        let planes = try Kernels.dropout2d(try Tensor.ones([4, 50, 3, 3]), p: 0.5).reshape([200, 9]).toFloats()
        for r in 0..<200 { XCTAssertEqual(Set(planes[(r * 9)..<(r * 9 + 9)]).count, 1) }
        let e = try Kernels.gelu(try Tensor([-1, 0, 2], shape: [3]), approximate: "tanh").toFloats()
        XCTAssertEqual(e[0], -0.158808, accuracy: 1e-5)
        XCTAssertEqual(e[2], 1.954598, accuracy: 1e-5)
    }
}
