import XCTest
import TensorCore
import TestSupport

/// Finite differences for every backward kernel, as `torch.autograd.gradcheck` does: for
/// L = Σ f(inputs)·g (random g), each analytic gradient element is compared with
/// (L(θ + ε) − L(θ − ε)) / 2ε, L accumulated in double. Inputs keep away from kinks
/// (ReLU at 0, ties in a max) so the central difference is the derivative.
final class GradCheckTests: XCTestCase {
    var rng = RandomGenerator(seed: 7)
    let savedThreads = Parallel.threads
    override func tearDown() { Parallel.setThreads(savedThreads) }

    func randn(_ shape: [Int], scale: Float = 1) throws -> Tensor {
        try Tensor((0..<shape.reduce(1, *)).map { _ in Float(rng.normal()) * scale }, shape: shape)
    }

    /// Normal values pushed at least `gap` away from 0.
    func awayFromZero(_ shape: [Int], gap: Float = 0.1) throws -> Tensor {
        try Tensor((0..<shape.reduce(1, *)).map { _ in
            let v = Float(rng.normal()); return v >= 0 ? v + gap : v - gap
        }, shape: shape)
    }

    /// Distinct values 0.05 apart in random order: no max changes under a 0.01 step.
    func distinct(_ shape: [Int]) throws -> Tensor {
        let n = shape.reduce(1, *)
        var v = (0..<n).map { Float($0) * 0.05 - Float(n) * 0.025 }
        for i in stride(from: n - 1, to: 0, by: -1) { v.swapAt(i, min(i, Int(rng.uniformDouble() * Double(i + 1)))) }
        return try Tensor(v, shape: shape)
    }

    /// Checks `analytic[k]` against central differences of Σ f(inputs)·gy in each input k.
    func gradcheck(_ name: String, _ inputs: [Tensor], _ analytic: [Tensor?], gy: Tensor, eps: Float = 1e-2,
                   atol: Double = 2e-3, rtol: Double = 1e-2, file: StaticString = #filePath, line: UInt = #line,
                   _ f: ([Tensor]) throws -> Tensor) throws {
        let g = gy.toFloats()
        func loss(_ xs: [Tensor]) throws -> Double {
            let y = try f(xs).contiguous().toFloats()
            XCTAssertEqual(y.count, g.count, "\(name): output size", file: file, line: line)
            var s = 0.0
            for i in 0..<min(y.count, g.count) { s += Double(y[i]) * Double(g[i]) }
            return s
        }
        for (k, a) in analytic.enumerated() {
            guard let a else { continue }
            XCTAssertEqual(a.shape, inputs[k].shape, "\(name): gradient \(k) shape", file: file, line: line)
            let av = a.toFloats(), base = inputs[k].toFloats()
            var bad = 0, worst = ""
            for j in 0..<base.count {
                var plus = base, minus = base
                plus[j] += eps; minus[j] -= eps
                var xs = inputs
                xs[k] = try Tensor(plus, shape: inputs[k].shape)
                let lp = try loss(xs)
                xs[k] = try Tensor(minus, shape: inputs[k].shape)
                let lm = try loss(xs)
                let numeric = (lp - lm) / Double(2 * eps)
                if abs(numeric - Double(av[j])) > atol + rtol * abs(numeric) {
                    bad += 1
                    if worst.isEmpty { worst = "element \(j): analytic \(av[j]) numeric \(numeric)" }
                }
            }
            XCTAssertEqual(bad, 0, "\(name): input \(k): \(bad) of \(base.count) off; first \(worst)", file: file, line: line)
        }
    }

    // MARK: convolution

    func testConv2d() throws {
        let settings: [(Conv2dParams, Int, Int, (Int, Int))] = [   // params, cin, cout, kernel
            (Conv2dParams(stride: (2, 1), padding: (1, 2), dilation: (1, 2), groups: 2), 4, 6, (3, 2)),
            (Conv2dParams(stride: (1, 1), padding: (1, 1), dilation: (1, 1), groups: 1), 3, 4, (3, 3)),   // flipped-conv path
            (Conv2dParams(stride: (1, 1), padding: (top: 0, bottom: 2, left: 1, right: 0), dilation: (2, 1), groups: 1), 2, 3, (2, 3)),
            (Conv2dParams(stride: (1, 1), padding: (3, 3), dilation: (1, 1), groups: 1), 2, 2, (3, 3)),   // padding beyond reach
            (Conv2dParams(stride: (2, 2), padding: (0, 0), dilation: (1, 1), groups: 1), 3, 4, (1, 1)),
            (Conv2dParams(stride: (1, 1), padding: (0, 0), dilation: (1, 1), groups: 3), 3, 6, (1, 1)),
        ]
        for (i, (p, cin, cout, k)) in settings.enumerated() {
            let x = try randn([2, cin, 7, 6]), w = try randn([cout, cin / p.groups, k.0, k.1], scale: 0.5), b = try randn([cout])
            let y = try Kernels.conv2d(x, w, b, p)
            let gy = try randn(y.shape)
            let r = try Kernels.conv2dBackward(gy, input: x, weight: w, p)
            try gradcheck("conv2d \(i)", [x, w, b], [r.input, r.weight, r.bias], gy: gy) { try Kernels.conv2d($0[0], $0[1], $0[2], p) }
        }
        // Unbatched, with a reflect padding mode.
        let x = try randn([2, 6, 5]), w = try randn([3, 2, 3, 3], scale: 0.5)
        let y = try Kernels.conv2d(x, w, nil, padding: .sizes([1, 2]), paddingMode: .reflect)
        let gy = try randn(y.shape)
        let r = try Kernels.conv2dBackward(gy, input: x, weight: w, padding: .sizes([1, 2]), paddingMode: .reflect, biasGrad: false)
        XCTAssertNil(r.bias)
        try gradcheck("conv2d reflect", [x, w], [r.input, r.weight], gy: gy) {
            try Kernels.conv2d($0[0], $0[1], nil, padding: .sizes([1, 2]), paddingMode: .reflect)
        }
    }

    func testConv1d() throws {
        for mode in [PadMode.constant, .replicate] {
            let x = try randn([2, 4, 9]), w = try randn([4, 2, 3], scale: 0.5), b = try randn([4])
            let f = { (t: [Tensor]) in try Kernels.conv1d(t[0], t[1], t[2], stride: 2, padding: .sizes([2]), dilation: 2, groups: 2, paddingMode: mode) }
            let gy = try randn(try f([x, w, b]).shape)
            let r = try Kernels.conv1dBackward(gy, input: x, weight: w, stride: 2, padding: .sizes([2]), dilation: 2, groups: 2, paddingMode: mode)
            try gradcheck("conv1d \(mode)", [x, w, b], [r.input, r.weight, r.bias], gy: gy, f)
        }
    }

    func testConvTranspose2d() throws {
        let settings = [
            ConvTranspose2dParams(stride: (2, 1), padding: (1, 0), outputPadding: (1, 0), groups: 2, dilation: (1, 2)),
            ConvTranspose2dParams(stride: (1, 1), padding: (0, 1), outputPadding: (1, 0), groups: 1, dilation: (2, 2)),
        ]
        for (i, p) in settings.enumerated() {
            let x = try randn([2, 4, 4, 5]), w = try randn([4, 3, 3, 2], scale: 0.5), b = try randn([3 * p.groups])
            let y = try Kernels.convTranspose2d(x, w, b, p)
            let gy = try randn(y.shape)
            let r = try Kernels.convTranspose2dBackward(gy, input: x, weight: w, p)
            try gradcheck("conv_transpose2d \(i)", [x, w, b], [r.input, r.weight, r.bias], gy: gy) {
                try Kernels.convTranspose2d($0[0], $0[1], $0[2], p)
            }
        }
    }

    /// Both weight-gradient paths (images batched into one product; per-worker tiles with
    /// partials) and the per-image input gradients give the single-thread result.
    func testConvBackwardThreadCounts() throws {
        let x = try randn([3, 16, 10, 9]), w = try randn([24, 16, 3, 3], scale: 0.2)
        let saved = Kernels.convBatchFloats
        defer { Kernels.convBatchFloats = saved }
        for (p, batch) in [(Conv2dParams(stride: (1, 1), padding: (1, 1)), saved), (Conv2dParams(stride: (2, 2), padding: (1, 1)), saved),
                           (Conv2dParams(stride: (1, 1), padding: (1, 1)), 0), (Conv2dParams(stride: (2, 2), padding: (0, 1)), 0)] {
            Kernels.convBatchFloats = batch
            let gy = try randn(try Kernels.conv2d(x, w, nil, p).shape)
            Parallel.setThreads(1)
            let one = try Kernels.conv2dBackward(gy, input: x, weight: w, p)
            Parallel.setThreads(3)
            let three = try Kernels.conv2dBackward(gy, input: x, weight: w, p)
            Parallel.setThreads(savedThreads)
            assertClose(try XCTUnwrap(three.input), try XCTUnwrap(one.input), rtol: 1e-5, atol: 1e-5, "input")
            assertClose(try XCTUnwrap(three.weight), try XCTUnwrap(one.weight), rtol: 1e-5, atol: 1e-4, "weight")
            assertClose(try XCTUnwrap(three.bias), try XCTUnwrap(one.bias), rtol: 1e-5, atol: 1e-5, "bias")
        }
    }

    func testPadBackward() throws {
        for (mode, pads) in [(PadMode.constant, [1, -1, 2, 0]), (.reflect, [2, 1, 1, 2]), (.replicate, [3, 0, 1, 2]), (.circular, [2, 3, 1, 0])] {
            let x = try randn([2, 3, 4])
            let gy = try randn(try Kernels.pad(x, pads, mode: mode).shape)
            let g = try Kernels.padBackward(gy, inputShape: x.shape, pads, mode: mode)
            try gradcheck("pad \(mode)", [x], [g], gy: gy) { try Kernels.pad($0[0], pads, mode: mode) }
        }
    }

    // MARK: pooling

    func testPools() throws {
        let x = try distinct([2, 2, 9, 8])
        for p in [Pool2dParams(kernel: (3, 2), stride: (2, 1), padding: (1, 1), dilation: (1, 2), ceilMode: true),
                  Pool2dParams(kernel: (2, 2))] {
            let (v, idx) = try Kernels.maxPool2d(x, p)
            let gy = try randn(v.shape)
            let g = try Kernels.maxPool2dBackward(gy, indices: idx, inputShape: x.shape)
            try gradcheck("max_pool2d", [x], [g], gy: gy) { try Kernels.maxPool2dValues($0[0], p) }
        }
        for (p, inc, div) in [(Pool2dParams(kernel: (3, 3), stride: (2, 2), padding: (1, 1), ceilMode: true), false, nil),
                              (Pool2dParams(kernel: (3, 2), stride: (2, 3), padding: (1, 1), ceilMode: true), true, nil),
                              (Pool2dParams(kernel: (2, 3), stride: (1, 2)), true, 4)] as [(Pool2dParams, Bool, Int?)] {
            let y = try Kernels.avgPool2d(x, p, countIncludePad: inc, divisorOverride: div)
            let gy = try randn(y.shape)
            let g = try Kernels.avgPool2dBackward(gy, inputShape: x.shape, p, countIncludePad: inc, divisorOverride: div)
            try gradcheck("avg_pool2d", [x], [g], gy: gy) { try Kernels.avgPool2d($0[0], p, countIncludePad: inc, divisorOverride: div) }
        }
        for size in [(4, 3), (11, 10)] {
            let ya = try Kernels.adaptiveAvgPool2d(x, outputSize: size)
            let gy = try randn(ya.shape)
            let ga = try Kernels.adaptiveAvgPool2dBackward(gy, inputShape: x.shape)
            try gradcheck("adaptive_avg_pool2d", [x], [ga], gy: gy) { try Kernels.adaptiveAvgPool2d($0[0], outputSize: size) }
            let (ym, idx) = try Kernels.adaptiveMaxPool2d(x, outputSize: size)
            let gm = try Kernels.adaptiveMaxPool2dBackward(gy, indices: idx, inputShape: x.shape)
            XCTAssertEqual(ym.shape, ya.shape)
            try gradcheck("adaptive_max_pool2d", [x], [gm], gy: gy) { try Kernels.adaptiveMaxPool2d($0[0], outputSize: size).values }
        }
        // Unpooling: windows that do not overlap, so no two inputs share an index (where they
        // do, the forward keeps one and PyTorch's backward, a gather, gives both the gradient:
        // Fixtures/grad's max_unpool2d_output_size checks that).
        let (v, idx) = try Kernels.maxPool2d(x, Pool2dParams(kernel: (2, 2)))
        let u = try Kernels.maxUnpool2d(v, idx, kernel: (2, 2), outputSize: [9, 8])
        let gy = try randn(u.shape)
        let g = try Kernels.maxUnpool2dBackward(gy, indices: idx)
        try gradcheck("max_unpool2d", [v], [g], gy: gy) {
            try Kernels.maxUnpool2d($0[0], idx, kernel: (2, 2), outputSize: [9, 8])
        }
    }

    /// The fast indices path of max pooling picks what PyTorch's row-major scan picks: the first
    /// of equal maxima, the last NaN, the first element of an all −inf window.
    func testMaxPoolIndicesTiesAndNaN() throws {
        let h = 9, w = 10
        var v = (0..<(2 * h * w)).map { _ in Float(Int(rng.uniformDouble() * 3)) }
        for i in [5, 17, 18, 40, 41, 95, 130] { v[i] = .nan }
        for i in 150..<180 { v[i] = -.infinity }
        let x = try Tensor(v, shape: [2, h, w])
        for p in [Pool2dParams(kernel: (3, 3), stride: (2, 2), padding: (1, 1)), Pool2dParams(kernel: (2, 3), stride: (1, 2), ceilMode: true),
                  Pool2dParams(kernel: (3, 2), stride: (3, 1), padding: (1, 1), ceilMode: true)] {
            let (vals, idx) = try Kernels.maxPool2d(x, p)
            let oh = vals.shape[1], ow = vals.shape[2], got = idx.toInt64s(), gotV = vals.toFloats()
            for plane in 0..<2 {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var best = -Float.infinity, bi = -1
                        for y in max(0, oy * p.stride.0 - p.padding.0)..<min(h, oy * p.stride.0 - p.padding.0 + p.kernel.0) {
                            for xx in max(0, ox * p.stride.1 - p.padding.1)..<min(w, ox * p.stride.1 - p.padding.1 + p.kernel.1) {
                                let e = v[plane * h * w + y * w + xx]
                                if bi < 0 { bi = y * w + xx }
                                if e > best || e.isNaN { best = e; bi = y * w + xx }
                            }
                        }
                        let o = (plane * oh + oy) * ow + ox
                        XCTAssertEqual(got[o], Int64(bi), "plane \(plane) (\(oy), \(ox))")
                        XCTAssertTrue(gotV[o] == best || (gotV[o].isNaN && best.isNaN))
                    }
                }
            }
        }
    }

    // MARK: normalisation

    func testBatchNorm() throws {
        for (shape, training) in [([4, 3, 2, 3], true), ([5, 2], true), ([3, 2, 4], false)] {
            let c = shape[1]
            let x = try randn(shape, scale: 2), w = try randn([c]), b = try randn([c])
            let rm = try randn([c]), rv = try Tensor((0..<c).map { Float($0) * 0.5 + 0.7 }, shape: [c])
            let p = BatchNormParams(training: training, momentum: 0.1, eps: 1e-5)
            // Each probe runs on copies, so the running statistics seen by the backward stay put.
            func forward(_ t: [Tensor]) throws -> BatchNormResult {
                try Kernels.batchNorm(t[0], runningMean: rm.copyContiguous(), runningVar: rv.copyContiguous(), weight: t[1], bias: t[2], p)
            }
            let f = try forward([x, w, b])
            let gy = try randn(shape)
            let r = try Kernels.batchNormBackward(gy, input: x, weight: w, mean: f.mean, invstd: f.invstd, training: training)
            try gradcheck("batch_norm \(shape) training=\(training)", [x, w, b], [r.input, r.weight, r.bias], gy: gy,
                          eps: 5e-3, atol: 5e-3) { try forward($0).output }
        }
    }

    // MARK: activations

    func testActivations() throws {
        let x = try awayFromZero([2, 3, 4], gap: 0.05)
        let gy = try randn(x.shape)
        try gradcheck("relu", [x], [try Kernels.reluBackward(gy, output: x.relu())], gy: gy) { try $0[0].relu() }
        try gradcheck("sigmoid", [x], [try Kernels.sigmoidBackward(gy, output: x.sigmoid())], gy: gy) { try $0[0].sigmoid() }
        try gradcheck("tanh", [x], [try Kernels.tanhBackward(gy, output: x.tanh())], gy: gy) { try $0[0].tanh() }
        try gradcheck("leaky_relu", [x], [try Kernels.leakyReluBackward(gy, input: x, negativeSlope: 0.2)], gy: gy) {
            try Kernels.leakyRelu($0[0], negativeSlope: 0.2)
        }
        try gradcheck("elu", [x], [try Kernels.eluBackward(gy, input: x, alpha: 0.7)], gy: gy) { try Kernels.elu($0[0], alpha: 0.7) }
        for a in ["none", "tanh"] {
            try gradcheck("gelu \(a)", [x], [try Kernels.geluBackward(gy, input: x, approximate: a)], gy: gy) {
                try Kernels.gelu($0[0], approximate: a)
            }
        }
        for w in [try Tensor([0.3], shape: [1]), try Tensor([0.1, -0.4, 0.25], shape: [3])] {
            let r = try Kernels.preluBackward(gy, input: x, weight: w)
            try gradcheck("prelu \(w.numel)", [x, w], [r.input, r.weight], gy: gy) { try Kernels.prelu($0[0], $0[1]) }
        }
        try gradcheck("rrelu eval", [x], [try Kernels.rreluBackward(gy, input: x, noise: nil, lower: 0.1, upper: 0.3)], gy: gy) {
            try Kernels.rrelu($0[0], lower: 0.1, upper: 0.3, training: false)
        }
        // Training: the forward's noise is the slope; the same noise is reused for each probe.
        let (_, noise) = try Kernels.rreluWithNoise(x, lower: 0.1, upper: 0.3, training: true)
        let n = try XCTUnwrap(noise)
        try gradcheck("rrelu training", [x], [try Kernels.rreluBackward(gy, input: x, noise: n, lower: 0.1, upper: 0.3, training: true)],
                      gy: gy) { try Tensor.binary(.mul, $0[0], n) }
        for dim in [0, 1, -1] {
            try gradcheck("softmax \(dim)", [x], [try Kernels.softmaxBackward(gy, output: Kernels.softmax(x, dim: dim), dim: dim)],
                          gy: gy) { try Kernels.softmax($0[0], dim: dim) }
            try gradcheck("log_softmax \(dim)", [x],
                          [try Kernels.logSoftmaxBackward(gy, output: Kernels.logSoftmax(x, dim: dim), dim: dim)], gy: gy) {
                try Kernels.logSoftmax($0[0], dim: dim)
            }
        }
    }

    // MARK: losses and linear

    /// Reference losses in double from log_softmax, PyTorch's formulas (the forward lives in NN).
    func crossEntropy(_ x: Tensor, _ t: [Int64], weight: [Float]?, ignore: Int, smoothing: Double, reduction: String) throws -> Tensor {
        let lp = try Kernels.logSoftmax(x, dim: 1).toFloats(), c = x.shape[1], n = x.shape[0]
        var per = [Float](repeating: 0, count: n), nll = 0.0, smooth = 0.0, wsum = 0.0
        for i in 0..<n where Int(t[i]) != ignore {
            let cls = Int(t[i]), wc = Double(weight?[cls] ?? 1)
            var s = 0.0
            for k in 0..<c { s -= Double(weight?[k] ?? 1) * Double(lp[i * c + k]) }
            let li = -wc * Double(lp[i * c + cls])
            per[i] = Float((1 - smoothing) * li + smoothing / Double(c) * s)
            nll += li; smooth += s; wsum += wc
        }
        switch reduction {
        case "none": return try Tensor(per, shape: [n])
        case "sum": return Tensor.scalar(Float((1 - smoothing) * nll + smoothing / Double(c) * smooth))
        default:
            return Tensor.scalar(Float(((1 - smoothing) * nll + smoothing / Double(c) * smooth) / wsum))
        }
    }

    func testLosses() throws {
        let x = try randn([5, 4]), t: [Int64] = [0, 3, 1, 3, 2], w: [Float] = [0.5, 2, 1, 0.3]
        let target = try Tensor(ints: t, shape: [5])
        for (weight, ignore, smoothing, reduction) in [(true, 3, 0.2, "mean"), (false, 1, 0.1, "mean"), (true, -100, 0.3, "sum"),
                                                       (false, -100, 0, "none")] as [(Bool, Int, Double, String)] {
            let wt = weight ? try Tensor(w, shape: [4]) : nil
            let gy = reduction == "none" ? try randn([5]) : Tensor.scalar(1.3)
            let g = try Kernels.crossEntropyBackward(gy, input: x, target: target, weight: wt, ignoreIndex: ignore,
                                                     reduction: reduction, labelSmoothing: smoothing)
            try gradcheck("cross_entropy \(weight) \(ignore) \(smoothing) \(reduction)", [x], [g], gy: gy) {
                try self.crossEntropy($0[0], t, weight: weight ? w : nil, ignore: ignore, smoothing: smoothing, reduction: reduction)
            }
            let gn = try Kernels.nllLossBackward(gy, inputShape: x.shape, target: target, weight: wt, ignoreIndex: ignore, reduction: reduction)
            try gradcheck("nll_loss", [x], [gn], gy: gy) { xs in
                // nll on log-probabilities = cross_entropy without smoothing, minus the log_softmax.
                let v = xs[0].toFloats()
                var per = [Float](repeating: 0, count: 5), total = 0.0, wsum = 0.0
                for i in 0..<5 where Int(t[i]) != ignore {
                    let wc = Double(weight ? w[Int(t[i])] : 1)
                    per[i] = Float(-wc * Double(v[i * 4 + Int(t[i])])); total += Double(per[i]); wsum += wc
                }
                return reduction == "none" ? try Tensor(per, shape: [5]) : Tensor.scalar(Float(reduction == "sum" ? total : total / wsum))
            }
        }
        // Probability targets with smoothing: −Σ w_c·t'_c·log p_c, mean over samples.
        let probs = try Kernels.softmax(randn([5, 4]), dim: 1)
        let gy = Tensor.scalar(0.7)
        let g = try Kernels.crossEntropyBackward(gy, input: x, target: probs, weight: try Tensor(w, shape: [4]), labelSmoothing: 0.2)
        try gradcheck("cross_entropy probabilities", [x], [g], gy: gy) { xs in
            let lp = try Kernels.logSoftmax(xs[0], dim: 1).toFloats(), tp = probs.toFloats()
            var s = 0.0
            for i in 0..<20 { s -= Double(w[i % 4]) * (Double(tp[i]) * 0.8 + 0.05) * Double(lp[i]) }
            return Tensor.scalar(Float(s / 5))
        }
        // mse with a broadcast target.
        let a = try randn([3, 4]), b = try randn([1, 4])
        for reduction in ["mean", "sum"] {
            let r = try Kernels.mseLossBackward(Tensor.scalar(1.1), input: a, target: b, reduction: reduction)
            try gradcheck("mse_loss \(reduction)", [a, b], [r.input, r.target], gy: Tensor.scalar(1.1)) { xs in
                let d = try Tensor.binary(.sub, xs[0], xs[1])
                let sq = try Tensor.binary(.mul, d, d)
                return reduction == "sum" ? try sq.sum() : try sq.mean()
            }
        }
    }

    /// Gradients arriving as views (transposed, expanded) give what their contiguous copies give.
    func testNonContiguousGradients() throws {
        let x = try randn([2, 4, 6, 5]), w = try randn([3, 4, 3, 3], scale: 0.5)
        let p = Conv2dParams(stride: (1, 1), padding: (1, 1))
        let gy = try randn([2, 3, 5, 6]).transpose(2, 3)          // (2, 3, 6, 5), not contiguous
        XCTAssertFalse(gy.isContiguous)
        let a = try Kernels.conv2dBackward(gy, input: x.transpose(2, 3).contiguous().transpose(2, 3), weight: w, p)
        let b = try Kernels.conv2dBackward(gy.contiguous(), input: x, weight: w, p)
        for (u, v) in [(a.input, b.input), (a.weight, b.weight), (a.bias, b.bias)] {
            assertClose(try XCTUnwrap(u), try XCTUnwrap(v), rtol: 1e-6, atol: 1e-6)
        }
        let ones = try Tensor.ones([1]).expand(x.shape)             // d(sum)/dy: an expanded scalar
        let f = try Kernels.batchNorm(x, runningMean: nil, runningVar: nil, weight: nil, bias: nil, BatchNormParams(training: true))
        let r1 = try Kernels.batchNormBackward(ones, input: x, weight: nil, mean: f.mean, invstd: f.invstd, training: true)
        let r2 = try Kernels.batchNormBackward(ones.contiguous(), input: x, weight: nil, mean: f.mean, invstd: f.invstd, training: true)
        assertClose(try XCTUnwrap(r1.input), try XCTUnwrap(r2.input), rtol: 0, atol: 0)
        let gs = try randn([2, 4, 5, 6]).transpose(2, 3)
        assertClose(try Kernels.softmaxBackward(gs, output: Kernels.softmax(x, dim: 1), dim: 1),
                    try Kernels.softmaxBackward(gs.contiguous(), output: Kernels.softmax(x, dim: 1), dim: 1), rtol: 0, atol: 0)
        let (v, idx) = try Kernels.maxPool2d(x, Pool2dParams(kernel: (2, 2)))
        let gv = try randn([2, 4, 2, 3]).transpose(2, 3)
        XCTAssertEqual(gv.shape, v.shape)
        assertClose(try Kernels.maxPool2dBackward(gv, indices: idx, inputShape: x.shape),
                    try Kernels.maxPool2dBackward(gv.contiguous(), indices: idx, inputShape: x.shape), rtol: 0, atol: 0)
    }

    /// Wrong shapes and indices throw PyTorch-worded errors instead of trapping.
    func testBackwardErrors() throws {
        func message(_ body: () throws -> Any) -> String {
            do { _ = try body(); return "no error" } catch { return "\(error)" }
        }
        let x = try randn([2, 3, 5, 5]), w = try randn([4, 3, 3, 3])
        XCTAssertTrue(message { try Kernels.conv2dBackward(try self.randn([2, 4, 5, 5]), input: x, weight: w, Conv2dParams()) }
            .contains("expected grad_output of size [2, 4, 3, 3], but got [2, 4, 5, 5]"))
        XCTAssertTrue(message { try Kernels.conv2dBackward(try self.randn([2, 4, 3, 3]), input: x, weight: w, Conv2dParams(stride: (0, 1))) }
            .contains("non-positive stride is not supported"))
        let idx = try Tensor(ints: [0, 25], shape: [1, 1, 1, 2])
        XCTAssertTrue(message { try Kernels.maxPool2dBackward(try self.randn([1, 1, 1, 2]), indices: idx, inputShape: [1, 1, 5, 5]) }
            .contains("Found an invalid max index: 25"))
        XCTAssertTrue(message { try Kernels.padBackward(try self.randn([1, 9]), inputShape: [1, 3], [3, 3], mode: .reflect) }
            .contains("reads index"))
        let t = try Tensor(ints: [0, 7], shape: [2])
        XCTAssertTrue(message { try Kernels.crossEntropyBackward(Tensor.scalar(1), input: try self.randn([2, 4]), target: t) }
            .contains("Target 7 is out of bounds."))
        XCTAssertTrue(message { try Kernels.nllLossBackward(Tensor.scalar(1), inputShape: [2, 8], target: t, reduction: "avg") }
            .contains("avg is not a valid value for reduction"))
        XCTAssertTrue(message { try Kernels.geluBackward(try self.randn([2]), input: try self.randn([2]), approximate: "fast") }
            .contains("approximate argument must be either none or tanh."))
    }

    func testLinear() throws {
        let x = try randn([2, 3, 5]), w = try randn([4, 5]), b = try randn([4])
        let f = { (t: [Tensor]) in try Tensor.binary(.add, Tensor.matmul(t[0], t[1].T), t[2]) }
        let gy = try randn([2, 3, 4])
        let r = try Kernels.linearBackward(gy, input: x, weight: w)
        try gradcheck("linear", [x, w, b], [r.input, r.weight, r.bias], gy: gy, f)
    }
}
