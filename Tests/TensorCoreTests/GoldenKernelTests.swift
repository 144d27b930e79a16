import XCTest
import TensorCore
import TestSupport

/// Every golden case computed by PyTorch, run through the kernels.
final class GoldenKernelTests: XCTestCase {
    func cases(op: String? = nil, prefix: String? = nil) throws -> [GoldenCase] {
        let cs = try Golden.cases(op: op, prefix: prefix)
        XCTAssertFalse(cs.isEmpty, "no golden cases for \(op ?? prefix ?? "")")
        return cs
    }

    func testConv2d() throws {
        for c in try cases(op: "conv2d") {
            let padding: ConvPadding
            switch c.string("padding") {
            case "same": padding = .same
            case "valid": padding = .valid
            default: let p = c.pair("padding", (0, 0)); padding = .sizes([p.0, p.1])
            }
            guard let mode = PadMode(convMode: c.string("padding_mode") ?? "zeros") else { return XCTFail(c.name) }
            let y = try Kernels.conv2d(c.input("input"), c.input("weight"), c.inputs["bias"], stride: c.pair("stride", (1, 1)),
                                       padding: padding, dilation: c.pair("dilation", (1, 1)), groups: c.int("groups", 1),
                                       paddingMode: mode)
            assertClose(y, c.outputs[0], c.name)
        }
    }

    func testConvLeakyStack() throws {
        for c in try cases(op: "conv_leaky_stack") {
            let s = c.pair("stride", (1, 1)), slope = c.double("negative_slope", 0.01)
            var y = try Kernels.conv2d(c.input("input"), c.input("w1"), c.input("b1"), stride: s)
            y = try Kernels.leakyRelu(y, negativeSlope: slope)
            y = try Kernels.conv2d(y, c.input("w2"), c.input("b2"), stride: s)
            y = try Kernels.leakyRelu(y, negativeSlope: slope)
            assertClose(y, c.outputs[0], c.name)
        }
    }

    func testConvTranspose2d() throws {
        for c in try cases(op: "conv_transpose2d") {
            let p = ConvTranspose2dParams(stride: c.pair("stride", (1, 1)), padding: c.pair("padding", (0, 0)),
                                          outputPadding: c.pair("output_padding", (0, 0)), groups: c.int("groups", 1),
                                          dilation: c.pair("dilation", (1, 1)))
            let y = try Kernels.convTranspose2d(c.input("input"), c.input("weight"), c.inputs["bias"], p)
            assertClose(y, c.outputs[0], c.name)
        }
    }

    func poolParams(_ c: GoldenCase) -> Pool2dParams {
        let k = c.pair("kernel_size", (1, 1))
        return Pool2dParams(kernel: k, stride: c.has("stride") ? c.pair("stride", k) : nil, padding: c.pair("padding", (0, 0)),
                            dilation: c.pair("dilation", (1, 1)), ceilMode: c.bool("ceil_mode", false))
    }

    func testMaxPool2d() throws {
        for c in try cases(op: "max_pool2d") {
            let (v, i) = try Kernels.maxPool2d(c.input("input"), poolParams(c))
            assertClose(v, c.outputs[0], rtol: 0, atol: 0, c.name)
            assertClose(i, c.outputs[1], c.name + " indices")
        }
    }

    func testAvgPool2d() throws {
        let cs = try cases(op: "avg_pool2d")
        XCTAssertTrue(cs.contains { $0.name == "seed_avg_pool_divisor" })
        for c in cs {
            let y = try Kernels.avgPool2d(c.input("input"), poolParams(c), countIncludePad: c.bool("count_include_pad", true),
                                          divisorOverride: c.has("divisor_override") ? c.int("divisor_override", 1) : nil)
            assertClose(y, c.outputs[0], c.name)
        }
    }

    func testMaxUnpool2d() throws {
        for c in try cases(op: "max_unpool2d") {
            let k = c.pair("kernel_size", (1, 1))
            let y = try Kernels.maxUnpool2d(c.input("input"), c.input("indices"), kernel: k,
                                            stride: c.has("stride") ? c.pair("stride", k) : nil, padding: c.pair("padding", (0, 0)))
            assertClose(y, c.outputs[0], rtol: 0, atol: 0, c.name)
        }
    }

    func testAdaptivePools() throws {
        for c in try cases(op: "adaptive_avg_pool2d") {
            let y = try Kernels.adaptiveAvgPool2d(c.input("input"), outputSize: c.pair("output_size", (1, 1)))
            assertClose(y, c.outputs[0], c.name)
        }
        for c in try cases(op: "adaptive_max_pool2d") {
            let (v, i) = try Kernels.adaptiveMaxPool2d(c.input("input"), outputSize: c.pair("output_size", (1, 1)))
            assertClose(v, c.outputs[0], rtol: 0, atol: 0, c.name)
            if c.outputs.count > 1 { assertClose(i, c.outputs[1], c.name + " indices") }
            // The indices point at the values.
            let x = try c.input("input").reshape([-1]).toFloats(), iv = i.toInt64s(), vv = v.toFloats()
            let plane = try c.input("input").shape.suffix(2).reduce(1, *), outPlane = v.shape.suffix(2).reduce(1, *)
            for j in 0..<iv.count { XCTAssertEqual(x[(j / outPlane) * plane + Int(iv[j])], vv[j]) }
        }
    }

    func testActivations() throws {
        let cs = try cases(prefix: "act_")
        for c in cs {
            let x = try c.input("input")
            let y: Tensor
            switch c.op {
            case "relu": y = try x.relu()
            case "sigmoid": y = try x.sigmoid()
            case "tanh": y = try x.tanh()
            case "leaky_relu": y = try Kernels.leakyRelu(x, negativeSlope: c.double("negative_slope", 0.01))
            case "elu": y = try Kernels.elu(x, alpha: c.double("alpha", 1))
            case "gelu": y = try Kernels.gelu(x, approximate: c.string("approximate") ?? "none")
            case "softmax_dim1": y = try Kernels.softmax(x, dim: c.int("dim", 1))
            case "log_softmax_dim_last": y = try Kernels.logSoftmax(x, dim: c.int("dim", -1))
            case "rrelu_eval":
                y = try Kernels.rrelu(x, lower: c.double("lower", 0.125), upper: c.double("upper", 1.0 / 3),
                                      training: c.bool("training", false))
            case "prelu": y = try Kernels.prelu(x, c.input("weight"))
            default: XCTFail("unknown activation case \(c.name) (\(c.op))"); continue
            }
            assertClose(y, c.outputs[0], c.name)
        }
    }

    func testBatchNorm2d() throws {
        let train = try Golden.load("batch_norm2d_train")
        let x = try train.input("input"), ch = x.shape[1]
        let rm = try Tensor.zeros([ch]), rv = try Tensor.ones([ch])
        let r = try Kernels.batchNorm(x, runningMean: rm, runningVar: rv, weight: train.input("weight"), bias: train.input("bias"),
                                      BatchNormParams(training: true, momentum: train.double("momentum", 0.1), eps: train.double("eps", 1e-5)))
        assertClose(r.output, train.outputs[0], "batch_norm2d_train")
        assertClose(rm, try train.file("running_mean.npy"), "running_mean")
        assertClose(rv, try train.file("running_var.npy"), "running_var")

        let ev = try Golden.load("batch_norm2d_eval")
        let rm2 = try ev.input("running_mean"), rv2 = try ev.input("running_var")
        let before = rm2.toFloats() + rv2.toFloats()
        let y = try Kernels.batchNorm(ev.input("input"), runningMean: rm2, runningVar: rv2, weight: ev.input("weight"),
                                      bias: ev.input("bias"), BatchNormParams(training: false, eps: ev.double("eps", 1e-5)))
        assertClose(y.output, ev.outputs[0], "batch_norm2d_eval")
        XCTAssertEqual(rm2.toFloats() + rv2.toFloats(), before, "eval must not touch running stats")
    }

    func testMatmulBroadcastLinear() throws {
        for c in try cases(op: "matmul") {
            assertClose(try Tensor.matmul(c.input("input"), c.input("other")), c.outputs[0], c.name)
        }
        for c in try cases(op: "add") {
            assertClose(try Tensor.binary(.add, c.input("input"), c.input("other")), c.outputs[0], c.name)
        }
        for c in try cases(op: "linear") {
            let y = try Tensor.binary(.add, Tensor.matmul(c.input("input"), c.input("weight").T), c.input("bias"))
            assertClose(y, c.outputs[0], c.name)
        }
    }
}
