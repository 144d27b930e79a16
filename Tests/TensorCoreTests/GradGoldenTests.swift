import XCTest
import TensorCore
import TestSupport

/// Every golden gradient of the backward kernels' ops (Tests/Golden, and the extra cases of
/// Fixtures/grad made by Fixtures/make_grad_golden.py), computed by the backward kernels from
/// the forward kernels' saved values and compared at the golden tolerance.
final class GradGoldenTests: XCTestCase {
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/grad")
    }

    /// The ops these kernels differentiate (matmul and broadcasting add are the graph's).
    static let ops: Set<String> = ["conv2d", "conv1d", "conv_leaky_stack", "conv_transpose2d", "max_pool2d", "avg_pool2d",
                                   "max_unpool2d", "adaptive_avg_pool2d", "adaptive_max_pool2d", "linear", "relu", "sigmoid",
                                   "tanh", "leaky_relu", "elu", "gelu", "softmax_dim1", "log_softmax_dim_last", "softmax",
                                   "log_softmax", "rrelu_eval", "prelu", "batch_norm2d", "cross_entropy", "mse_loss", "nll_loss"]

    func testSharedGoldenGradients() throws {
        let all = try Golden.cases(op: nil, prefix: "")
        let mine = all.filter { Self.ops.contains($0.op) }
        // Every case of the named families is covered (and has gradients to check).
        for prefix in ["conv2d_", "conv_transpose2d_", "max_pool2d_", "avg_pool2d_", "adaptive_", "max_unpool2d_",
                       "batch_norm2d_", "act_", "linear_", "cross_entropy", "mse_loss", "nll_loss"] {
            let family = all.filter { $0.name.hasPrefix(prefix) }
            XCTAssertFalse(family.isEmpty, prefix)
            for c in family { XCTAssertTrue(Self.ops.contains(c.op), "\(c.name): op \(c.op) not covered") }
        }
        XCTAssertGreaterThanOrEqual(mine.count, 58)
        for c in mine { try check(c) }
    }

    func testExtraGoldenGradients() throws {
        let cases = try Golden.cases(in: Self.fixtures)
        XCTAssertGreaterThanOrEqual(cases.count, 50)
        for c in cases {
            XCTAssertTrue(Self.ops.contains(c.op), "\(c.name): op \(c.op) not covered")
            try check(c)
        }
    }

    /// The weight gradient's per-worker tile path (grids of ≥ 1024 positions) on every conv case.
    func testConvGradientsByTiles() throws {
        let saved = Kernels.convBatchFloats
        Kernels.convBatchFloats = 0
        defer { Kernels.convBatchFloats = saved }
        let cases = try Golden.cases(op: nil, prefix: "") + Golden.cases(in: Self.fixtures)
        let convs = cases.filter { ["conv2d", "conv1d", "conv_transpose2d", "conv_leaky_stack"].contains($0.op) }
        XCTAssertGreaterThanOrEqual(convs.count, 40)
        for c in convs { try check(c) }
    }

    /// Runs the case's forward and backward kernels; every golden gradient must be produced and close.
    func check(_ c: GoldenCase, file: StaticString = #filePath, line: UInt = #line) throws {
        guard let gy = c.gradOut else { return XCTFail("\(c.name): no grad_out", file: file, line: line) }
        XCTAssertFalse(c.grads.isEmpty, "\(c.name): no gradients", file: file, line: line)
        let got = try gradients(c, gy)
        for (name, expected) in c.grads {
            guard let g = got[name] else {
                XCTFail("\(c.name): no gradient for \(name)", file: file, line: line)
                continue
            }
            assertClose(g, expected, "\(c.name) grad \(name)", file: file, line: line)
        }
    }

    func padding(_ c: GoldenCase) -> ConvPadding {
        switch c.string("padding") {
        case "same": return .same
        case "valid": return .valid
        default: let p = c.pair("padding", (0, 0)); return .sizes([p.0, p.1])
        }
    }

    func poolParams(_ c: GoldenCase) -> Pool2dParams {
        let k = c.pair("kernel_size", (1, 1))
        return Pool2dParams(kernel: k, stride: c.has("stride") ? c.pair("stride", k) : nil, padding: c.pair("padding", (0, 0)),
                            dilation: c.pair("dilation", (1, 1)), ceilMode: c.bool("ceil_mode", false))
    }

    func reduction(_ c: GoldenCase) -> String { c.string("reduction") ?? "mean" }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    func gradients(_ c: GoldenCase, _ gy: Tensor) throws -> [String: Tensor] {
        let x = try c.input("input")
        switch c.op {
        case "conv2d":
            guard let mode = PadMode(convMode: c.string("padding_mode") ?? "zeros") else { throw GoldenError.missing(c.name) }
            let r = try Kernels.conv2dBackward(gy, input: x, weight: c.input("weight"), stride: c.pair("stride", (1, 1)),
                                               padding: padding(c), dilation: c.pair("dilation", (1, 1)),
                                               groups: c.int("groups", 1), paddingMode: mode, biasGrad: c.inputs["bias"] != nil)
            return named(input: r.input, weight: r.weight, bias: r.bias)
        case "conv1d":
            guard let mode = PadMode(convMode: c.string("padding_mode") ?? "zeros") else { throw GoldenError.missing(c.name) }
            let pad: ConvPadding = c.string("padding") == "same" ? .same : .sizes([c.int("padding", 0)])
            let r = try Kernels.conv1dBackward(gy, input: x, weight: c.input("weight"), stride: c.int("stride", 1), padding: pad,
                                               dilation: c.int("dilation", 1), groups: c.int("groups", 1), paddingMode: mode)
            return named(input: r.input, weight: r.weight, bias: r.bias)
        case "conv_leaky_stack":
            let s = c.pair("stride", (1, 1)), slope = c.double("negative_slope", 0.01)
            let w1 = try c.input("w1"), w2 = try c.input("w2")
            let a1 = try Kernels.conv2d(x, w1, c.input("b1"), stride: s)
            let h1 = try Kernels.leakyRelu(a1, negativeSlope: slope)
            let a2 = try Kernels.conv2d(h1, w2, c.input("b2"), stride: s)
            let g2 = try Kernels.leakyReluBackward(gy, input: a2, negativeSlope: slope)
            let r2 = try Kernels.conv2dBackward(g2, input: h1, weight: w2, stride: s)
            let g1 = try Kernels.leakyReluBackward(XCTUnwrap(r2.input), input: a1, negativeSlope: slope)
            let r1 = try Kernels.conv2dBackward(g1, input: x, weight: w1, stride: s)
            return ["input": try XCTUnwrap(r1.input), "w1": try XCTUnwrap(r1.weight), "b1": try XCTUnwrap(r1.bias),
                    "w2": try XCTUnwrap(r2.weight), "b2": try XCTUnwrap(r2.bias)]
        case "conv_transpose2d":
            let p = ConvTranspose2dParams(stride: c.pair("stride", (1, 1)), padding: c.pair("padding", (0, 0)),
                                          outputPadding: c.pair("output_padding", (0, 0)), groups: c.int("groups", 1),
                                          dilation: c.pair("dilation", (1, 1)))
            let r = try Kernels.convTranspose2dBackward(gy, input: x, weight: c.input("weight"), p, biasGrad: c.inputs["bias"] != nil)
            return named(input: r.input, weight: r.weight, bias: r.bias)
        case "max_pool2d":
            let (_, idx) = try Kernels.maxPool2d(x, poolParams(c))
            return ["input": try Kernels.maxPool2dBackward(gy, indices: idx, inputShape: x.shape)]
        case "adaptive_max_pool2d":
            let (_, idx) = try Kernels.adaptiveMaxPool2d(x, outputSize: c.pair("output_size", (1, 1)))
            return ["input": try Kernels.adaptiveMaxPool2dBackward(gy, indices: idx, inputShape: x.shape)]
        case "avg_pool2d":
            return ["input": try Kernels.avgPool2dBackward(gy, inputShape: x.shape, poolParams(c),
                                                           countIncludePad: c.bool("count_include_pad", true),
                                                           divisorOverride: c.has("divisor_override") ? c.int("divisor_override", 1) : nil)]
        case "adaptive_avg_pool2d":
            return ["input": try Kernels.adaptiveAvgPool2dBackward(gy, inputShape: x.shape)]
        case "max_unpool2d":
            return ["input": try Kernels.maxUnpool2dBackward(gy, indices: c.input("indices"))]
        case "linear":
            let r = try Kernels.linearBackward(gy, input: x, weight: c.input("weight"), biasGrad: c.inputs["bias"] != nil)
            return named(input: r.input, weight: r.weight, bias: r.bias)
        case "relu": return ["input": try Kernels.reluBackward(gy, output: x.relu())]
        case "sigmoid": return ["input": try Kernels.sigmoidBackward(gy, output: x.sigmoid())]
        case "tanh": return ["input": try Kernels.tanhBackward(gy, output: x.tanh())]
        case "leaky_relu":
            return ["input": try Kernels.leakyReluBackward(gy, input: x, negativeSlope: c.double("negative_slope", 0.01))]
        case "elu": return ["input": try Kernels.eluBackward(gy, input: x, alpha: c.double("alpha", 1))]
        case "gelu": return ["input": try Kernels.geluBackward(gy, input: x, approximate: c.string("approximate") ?? "none")]
        case "softmax", "softmax_dim1":
            let dim = c.int("dim", 1)
            return ["input": try Kernels.softmaxBackward(gy, output: Kernels.softmax(x, dim: dim), dim: dim)]
        case "log_softmax", "log_softmax_dim_last":
            let dim = c.int("dim", -1)
            return ["input": try Kernels.logSoftmaxBackward(gy, output: Kernels.logSoftmax(x, dim: dim), dim: dim)]
        case "rrelu_eval":
            return ["input": try Kernels.rreluBackward(gy, input: x, noise: nil, lower: c.double("lower", 0.125),
                                                       upper: c.double("upper", 1.0 / 3), training: false)]
        case "prelu":
            let r = try Kernels.preluBackward(gy, input: x, weight: c.input("weight"))
            return named(input: r.input, weight: r.weight, bias: nil)
        case "batch_norm2d":
            return try batchNormGradients(c, x, gy)
        case "cross_entropy":
            let w = c.bool("weight", false) ? try c.input("weight") : nil
            return ["input": try Kernels.crossEntropyBackward(gy, input: x, target: c.input("target"), weight: w,
                                                              ignoreIndex: c.int("ignore_index", -100), reduction: reduction(c),
                                                              labelSmoothing: c.double("label_smoothing", 0))]
        case "nll_loss":
            let w = c.bool("weight", false) ? try c.input("weight") : nil
            return ["input": try Kernels.nllLossBackward(gy, inputShape: x.shape, target: c.input("target"), weight: w,
                                                         ignoreIndex: c.int("ignore_index", -100), reduction: reduction(c))]
        case "mse_loss":
            let r = try Kernels.mseLossBackward(gy, input: x, target: c.input("target"), reduction: reduction(c))
            return ["input": r.input, "target": r.target]
        default:
            throw GoldenError.missing("\(c.name): no backward for op \(c.op)")
        }
    }

    func named(input: Tensor?, weight: Tensor?, bias: Tensor?) -> [String: Tensor] {
        var d: [String: Tensor] = [:]
        d["input"] = input; d["weight"] = weight; d["bias"] = bias
        return d
    }

    /// Forward (to get the statistics it normalised with), then backward; the running
    /// statistics are the same before and after the backward.
    func batchNormGradients(_ c: GoldenCase, _ x: Tensor, _ gy: Tensor) throws -> [String: Tensor] {
        let training = c.bool("training", false), ch = x.shape[1]
        let rm = try c.inputs["running_mean"] ?? Tensor.zeros([ch])
        let rv = try c.inputs["running_var"] ?? Tensor.ones([ch])
        let w = c.inputs["weight"], b = c.inputs["bias"]
        let f = try Kernels.batchNorm(x, runningMean: rm, runningVar: rv, weight: w, bias: b,
                                      BatchNormParams(training: training, momentum: c.double("momentum", 0.1), eps: c.double("eps", 1e-5)))
        assertClose(f.output, c.outputs[0], c.name + " forward")
        let before = rm.toFloats() + rv.toFloats()
        let r = try Kernels.batchNormBackward(gy, input: x, weight: w, mean: f.mean, invstd: f.invstd, training: training,
                                              biasGrad: b != nil)
        XCTAssertEqual(rm.toFloats() + rv.toFloats(), before, "\(c.name): backward must not touch running stats")
        return named(input: r.input, weight: r.weight, bias: r.bias)
    }
}
