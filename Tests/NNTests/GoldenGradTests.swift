import XCTest
@testable import NN
import TensorCore
import TestSupport

/// Every golden gradient PyTorch computed (`grads`: d sum(output0 · grad_out) / d input),
/// asserted through `Functional` — the path layers and the language take — and the
/// engine's `backward()`.
final class GoldenGradTests: XCTestCase {
    /// Runs `op` on leaf copies of the case's inputs (those with golden gradients
    /// require grad), backpropagates sum(out · grad_out) and compares every gradient.
    func check(_ c: GoldenCase, file: StaticString = #filePath, line: UInt = #line,
               _ op: ([String: Tensor]) throws -> Tensor) throws {
        var leaves: [String: Tensor] = [:]
        for (k, v) in c.inputs {
            let t = try v.clone()
            if c.grads[k] != nil { t.requiresGrad = true }
            leaves[k] = t
        }
        let out = try op(leaves)
        assertClose(out.detach(), c.outputs[0], "\(c.name) output", file: file, line: line)
        let gradOut = try XCTUnwrap(c.gradOut, "\(c.name) has no grad_out", file: file, line: line)
        let loss = try Functional.sum(try Functional.mul(out, gradOut))
        try Engine.backward(loss)
        XCTAssertFalse(c.grads.isEmpty, "\(c.name): no golden gradients", file: file, line: line)
        for (k, expected) in c.grads {
            let g = try XCTUnwrap(leaves[k]?.grad, "\(c.name): no gradient for \(k)", file: file, line: line)
            assertClose(g, expected, "\(c.name) d/d\(k)", file: file, line: line)
        }
    }

    func pair(_ c: GoldenCase, _ key: String, _ d: Int) -> [Int] { let p = c.pair(key, (d, d)); return [p.0, p.1] }

    func testConv2d() throws {
        let cases = try Golden.cases(op: "conv2d")
        XCTAssertEqual(cases.count, 12)
        for c in cases {
            let padding: ConvPadding
            switch c.string("padding") {
            case "same": padding = .same
            case "valid": padding = .valid
            default: padding = .sizes(pair(c, "padding", 0))
            }
            try check(c) { t in
                try Functional.conv2d(t["input"]!, t["weight"]!, t["bias"], stride: pair(c, "stride", 1), padding: padding,
                                      dilation: pair(c, "dilation", 1), groups: c.int("groups", 1),
                                      paddingMode: PaddingMode(rawValue: c.string("padding_mode") ?? "zeros") ?? .zeros)
            }
        }
    }

    func testConvLeakyStacks() throws {
        for c in try Golden.cases(op: "conv_leaky_stack") {
            try check(c) { t in
                var y = try Functional.conv2d(t["input"]!, t["w1"]!, t["b1"], stride: [2, 2])
                y = try Functional.leakyRelu(y, negativeSlope: 0.01)
                y = try Functional.conv2d(y, t["w2"]!, t["b2"], stride: [2, 2])
                return try Functional.leakyRelu(y, negativeSlope: 0.01)
            }
        }
    }

    func testConvTranspose2d() throws {
        let cases = try Golden.cases(op: "conv_transpose2d")
        XCTAssertEqual(cases.count, 6)
        for c in cases {
            try check(c) { t in
                try Functional.convTranspose2d(t["input"]!, t["weight"]!, t["bias"], stride: pair(c, "stride", 1),
                                               padding: pair(c, "padding", 0), outputPadding: pair(c, "output_padding", 0),
                                               groups: c.int("groups", 1), dilation: pair(c, "dilation", 1))
            }
        }
    }

    func testPooling() throws {
        for c in try Golden.cases(op: "max_pool2d") {
            try check(c) { t in
                try Functional.maxPool2d(t["input"]!, kernelSize: pair(c, "kernel_size", 1),
                                         stride: c.has("stride") ? pair(c, "stride", 1) : nil, padding: pair(c, "padding", 0),
                                         dilation: pair(c, "dilation", 1), ceilMode: c.bool("ceil_mode", false)).0
            }
            // The values-only path takes the same gradient.
            try check(c) { t in
                try Functional.maxPool2dValues(t["input"]!, kernelSize: pair(c, "kernel_size", 1),
                                               stride: c.has("stride") ? pair(c, "stride", 1) : nil, padding: pair(c, "padding", 0),
                                               dilation: pair(c, "dilation", 1), ceilMode: c.bool("ceil_mode", false))
            }
        }
        for c in try Golden.cases(op: "avg_pool2d") {
            try check(c) { t in
                try Functional.avgPool2d(t["input"]!, kernelSize: pair(c, "kernel_size", 1),
                                         stride: c.has("stride") ? pair(c, "stride", 1) : nil, padding: pair(c, "padding", 0),
                                         ceilMode: c.bool("ceil_mode", false), countIncludePad: c.bool("count_include_pad", true),
                                         divisorOverride: c.has("divisor_override") ? c.int("divisor_override", 1) : nil)
            }
        }
        for c in try Golden.cases(op: "adaptive_avg_pool2d") {
            try check(c) { t in try Functional.adaptiveAvgPool2d(t["input"]!, outputSize: .tuple(self.pair(c, "output_size", 1))) }
        }
        for c in try Golden.cases(op: "adaptive_max_pool2d") {
            try check(c) { t in try Functional.adaptiveMaxPool2d(t["input"]!, outputSize: .tuple(self.pair(c, "output_size", 1))).0 }
        }
        for c in try Golden.cases(op: "max_unpool2d") {
            try check(c) { t in
                try Functional.maxUnpool2d(t["input"]!, indices: t["indices"]!, kernelSize: self.pair(c, "kernel_size", 1),
                                           stride: self.pair(c, "stride", 1))
            }
        }
    }

    func testLinearAndMatmul() throws {
        for c in try Golden.cases(op: "linear") {
            try check(c) { t in try Functional.linear(t["input"]!, t["weight"]!, t["bias"]) }
        }
        for c in try Golden.cases(op: "matmul") {
            try check(c) { t in try Functional.matmul(t["input"]!, t["other"]!) }
        }
        for c in try Golden.cases(op: "add") {
            try check(c) { t in try Functional.add(t["input"]!, t["other"]!) }
        }
    }

    func testActivations() throws {
        let cases = try Golden.cases(prefix: "act_")
        XCTAssertEqual(cases.count, 11)
        for c in cases {
            try check(c) { t in
                let x = t["input"]!
                switch c.op {
                case "relu": return try Functional.relu(x)
                case "leaky_relu": return try Functional.leakyRelu(x, negativeSlope: c.double("negative_slope", 0.01))
                case "sigmoid": return try Functional.sigmoid(x)
                case "tanh": return try Functional.tanh(x)
                case "elu": return try Functional.elu(x, alpha: c.double("alpha", 1))
                case "gelu": return try Functional.gelu(x)
                case "softmax_dim1": return try Functional.softmax(x, dim: 1)
                case "log_softmax_dim_last": return try Functional.logSoftmax(x, dim: -1)
                case "rrelu_eval": return try Functional.rrelu(x, lower: c.double("lower", 0.125), upper: c.double("upper", 1.0 / 3))
                case "prelu": return try Functional.prelu(x, weight: t["weight"]!)
                default: throw GoldenError.missing("unknown activation \(c.op)")
                }
            }
        }
    }

    func testBatchNorm() throws {
        let train = try Golden.load("batch_norm2d_train")
        let c = train.inputs["input"]!.shape[1]
        let rm = try Tensor.zeros([c]), rv = try Tensor.ones([c])
        try check(train) { t in
            try Functional.batchNorm(t["input"]!, runningMean: rm, runningVar: rv, weight: t["weight"], bias: t["bias"],
                                     training: true, momentum: 0.1, eps: 1e-5)
        }
        // Backward leaves the running statistics as the forward left them.
        assertClose(rm, try train.file("running_mean.npy"), "running_mean")
        assertClose(rv, try train.file("running_var.npy"), "running_var")
        let eval = try Golden.load("batch_norm2d_eval")
        try check(eval) { t in
            try Functional.batchNorm(t["input"]!, runningMean: t["running_mean"], runningVar: t["running_var"],
                                     weight: t["weight"], bias: t["bias"], training: false, eps: 1e-5)
        }
    }

    func testLosses() throws {
        try check(try Golden.load("cross_entropy")) { t in try Functional.crossEntropy(t["input"]!, t["target"]!) }
        try check(try Golden.load("nll_loss")) { t in try Functional.nllLoss(t["input"]!, t["target"]!) }
        try check(try Golden.load("mse_loss")) { t in try Functional.mseLoss(t["input"]!, t["target"]!) }
    }

    /// Every golden case with gradients is exercised by one of the tests above.
    func testEveryGoldenGradientIsCovered() throws {
        let covered: Set<String> = ["conv2d", "conv_leaky_stack", "conv_transpose2d", "max_pool2d", "avg_pool2d",
                                    "adaptive_avg_pool2d", "adaptive_max_pool2d", "max_unpool2d", "linear", "matmul", "add",
                                    "relu", "leaky_relu", "sigmoid", "tanh", "elu", "gelu", "softmax_dim1",
                                    "log_softmax_dim_last", "rrelu_eval", "prelu", "batch_norm2d", "cross_entropy",
                                    "nll_loss", "mse_loss"]
        for c in try Golden.cases(prefix: "") where !c.grads.isEmpty {
            XCTAssertTrue(covered.contains(c.op), "golden gradients of \(c.name) (\(c.op)) are not asserted")
        }
    }
}
