import XCTest
@testable import NN
import TensorCore
import TestSupport

/// The golden cases run through the layers a user builds (`nn.Conv2d` with its
/// weights set, `nn.BatchNorm2d` in train and eval, losses), and the shapes of a
/// ResNet-18.
final class GoldenLayerTests: XCTestCase {
    func convPadding(_ c: GoldenCase) -> ConvPadding {
        switch c.string("padding") {
        case "same": return .same
        case "valid": return .valid
        default: let p = c.pair("padding", (0, 0)); return .sizes([p.0, p.1])
        }
    }

    func ints(_ c: GoldenCase, _ key: String, _ fallback: Int) -> IntOrTuple {
        let p = c.pair(key, (fallback, fallback))
        return .tuple([p.0, p.1])
    }

    func testConv2dModules() throws {
        let cases = try Golden.cases(op: "conv2d")
        XCTAssertEqual(cases.count, 12)
        for c in cases {
            let w = try c.input("weight")
            let conv = try Conv2d(c.int("in_channels", 0), c.int("out_channels", 0),
                                  kernelSize: .tuple([w.shape[2], w.shape[3]]), stride: ints(c, "stride", 1),
                                  padding: convPadding(c), dilation: ints(c, "dilation", 1), groups: c.int("groups", 1),
                                  bias: c.inputs["bias"] != nil, paddingMode: c.string("padding_mode") ?? "zeros")
            try conv.assignParameter("weight", w)
            if let b = c.inputs["bias"] { try conv.assignParameter("bias", b) }
            assertClose(try conv(c.input("input")), c.outputs[0], c.name)
        }
    }

    func testSeedStacksThroughSequential() throws {
        for c in try Golden.cases(op: "conv_leaky_stack") {
            let ch = try c.input("w1").shape[0]
            let net = Sequential([try Conv2d(ch, ch, kernelSize: .int(3), stride: .int(2)), LeakyReLU(),
                                  try Conv2d(ch, ch, kernelSize: .int(3), stride: .int(2)), LeakyReLU()])
            let c0 = try XCTUnwrap(net.module(at: 0) as? Conv2d), c2 = try XCTUnwrap(net.module(at: 2) as? Conv2d)
            try c0.assignParameter("weight", c.input("w1")); try c0.assignParameter("bias", c.input("b1"))
            try c2.assignParameter("weight", c.input("w2")); try c2.assignParameter("bias", c.input("b2"))
            let y = try net(c.input("input"))
            assertClose(y, c.outputs[0], c.name)
        }
        // The seed shapes: (1, 3, 6, 6) and (1, 1, 7, 7).
        XCTAssertEqual(try Golden.load("seed_conv_stack_3x28").outputs[0].shape, [1, 3, 6, 6])
        XCTAssertEqual(try Golden.load("seed_conv_stack_1x32").outputs[0].shape, [1, 1, 7, 7])
    }

    func testSeedLinearAndAvgPool() throws {
        let c = try Golden.load("seed_linear")
        let fc = try Linear(3, 4)
        try fc.assignParameter("weight", c.input("weight"))
        try fc.assignParameter("bias", c.input("bias"))
        let y = try fc(c.input("input"))
        XCTAssertEqual(y.toFloats(), [6.5, 12.5, 18.5, 24.5])
        assertClose(y, c.outputs[0])
        for name in ["linear_00", "linear_01_3d"] {
            let l = try Golden.load(name)
            assertClose(try Functional.linear(l.input("input"), l.input("weight"), l.inputs["bias"]), l.outputs[0], name)
        }
        let pool = try AvgPool2d(kernelSize: .int(2), stride: .int(2), divisorOverride: 3)
        let p = try pool(try Tensor.ones([1, 1, 4, 4]))
        XCTAssertEqual(p.toFloats(), [Float](repeating: Float(4.0 / 3.0), count: 4))
        assertClose(p, try Golden.load("seed_avg_pool_divisor").outputs[0])
    }

    func testPoolingModules() throws {
        for c in try Golden.cases(op: "max_pool2d") {
            let m = try MaxPool2d(kernelSize: ints(c, "kernel_size", 1), stride: ints(c, "stride", 1),
                                  padding: ints(c, "padding", 0), dilation: ints(c, "dilation", 1),
                                  returnIndices: true, ceilMode: c.bool("ceil_mode", false))
            let out = try m.forward(inputs: [c.input("input")])
            XCTAssertEqual(out.count, 2)
            assertClose(out[0], c.outputs[0], c.name)
            assertClose(out[1], c.outputs[1], c.name + " indices")
            // The values-only path (no indices, as `m(x)` runs) gives the same values.
            assertClose(try m(c.input("input")), c.outputs[0], c.name + " values only")
        }
        for c in try Golden.cases(op: "avg_pool2d") {
            let m = try AvgPool2d(kernelSize: ints(c, "kernel_size", 1), stride: ints(c, "stride", 1),
                                  padding: ints(c, "padding", 0), ceilMode: c.bool("ceil_mode", false),
                                  countIncludePad: c.bool("count_include_pad", true),
                                  divisorOverride: c.has("divisor_override") ? c.int("divisor_override", 1) : nil)
            assertClose(try m(c.input("input")), c.outputs[0], c.name)
        }
        let u = try Golden.load("max_unpool2d_00")
        let unpool = try MaxUnpool2d(kernelSize: .int(2), stride: .int(2))
        assertClose(try unpool.forward(inputs: [u.input("input"), u.input("indices")])[0], u.outputs[0], u.name)
        for c in try Golden.cases(prefix: "adaptive_") {
            let p = c.pair("output_size", (1, 1))
            let size = AdaptiveSize.tuple([p.0, p.1])
            let m: Module = c.op == "adaptive_avg_pool2d" ? AdaptiveAvgPool2d(outputSize: size) : AdaptiveMaxPool2d(outputSize: size)
            assertClose(try m(c.input("input")), c.outputs[0], c.name)
        }
    }

    func testBatchNormModuleTrainAndEval() throws {
        let c = try Golden.load("batch_norm2d_train")
        let bn = try BatchNorm2d(3)
        try bn.assignParameter("weight", c.input("weight"))
        try bn.assignParameter("bias", c.input("bias"))
        assertClose(try bn(c.input("input")), c.outputs[0], c.name)
        assertClose(try XCTUnwrap(bn.buffer("running_mean")), try c.file("running_mean.npy"), "running_mean")
        assertClose(try XCTUnwrap(bn.buffer("running_var")), try c.file("running_var.npy"), "running_var")
        XCTAssertEqual(bn.buffer("num_batches_tracked")?.toInt64s(), [1])

        let e = try Golden.load("batch_norm2d_eval")
        let bn2 = try BatchNorm2d(3)
        bn2.eval()
        try bn2.assignParameter("weight", e.input("weight"))
        try bn2.assignParameter("bias", e.input("bias"))
        try bn2.assignBuffer("running_mean", e.input("running_mean"))
        try bn2.assignBuffer("running_var", e.input("running_var"))
        assertClose(try bn2(e.input("input")), e.outputs[0], e.name)
        XCTAssertEqual(bn2.buffer("num_batches_tracked")?.toInt64s(), [0])
    }

    func testActivationModules() throws {
        let x = try Golden.load("act_relu").input("input")
        let modules: [(String, Module)] = [
            ("act_relu", ReLU()), ("act_leaky_relu", LeakyReLU(negativeSlope: 0.2)), ("act_sigmoid", Sigmoid()),
            ("act_tanh", Tanh()), ("act_elu", ELU()), ("act_gelu", try GELU()), ("act_softmax_dim1", Softmax(dim: 1)),
            ("act_log_softmax_dim_last", LogSoftmax(dim: -1)), ("act_rrelu_eval", RReLU().eval()),
        ]
        for (name, m) in modules {
            assertClose(try m(x), try Golden.load(name).outputs[0], name)
        }
        let pc = try Golden.load("act_prelu_channel")
        let prelu = try PReLU(numParameters: 3)
        try prelu.assignParameter("weight", pc.input("weight"))
        assertClose(try prelu(x), pc.outputs[0], pc.name)
        assertClose(try PReLU()(x), try Golden.load("act_prelu_shared").outputs[0], "act_prelu_shared")
    }

    func testLosses() throws {
        let ce = try Golden.load("cross_entropy")
        assertClose(try CrossEntropyLoss().forward(inputs: [ce.input("input"), ce.input("target")])[0], ce.outputs[0], ce.name)
        let nll = try Golden.load("nll_loss")
        assertClose(try NLLLoss().forward(inputs: [nll.input("input"), nll.input("target")])[0], nll.outputs[0], nll.name)
        let mse = try Golden.load("mse_loss")
        assertClose(try MSELoss().forward(inputs: [mse.input("input"), mse.input("target")])[0], mse.outputs[0], mse.name)
        XCTAssertThrowsError(try Functional.crossEntropy(try Tensor.zeros([2, 3]), try Tensor(ints: [0, 3], shape: [2]))) { e in
            XCTAssertEqual(e as? TensorError, .index("Target 3 is out of bounds."))
        }
    }

    func testResNet18StageShapes() throws {
        let net = try ResNet18.make()
        var x = try Tensor.randn([1, 1, 224, 224])
        var shapes: [[Int]] = []
        for stage in net.children {
            if let seq = stage as? Sequential, seq.count == 3, seq.children.last is Linear {
                for m in seq.children { x = try m(x); shapes.append(x.shape) }
            } else {
                x = try stage(x); shapes.append(x.shape)
            }
        }
        XCTAssertEqual(shapes, [[1, 64, 56, 56], [1, 64, 56, 56], [1, 128, 28, 28], [1, 256, 14, 14],
                                [1, 512, 7, 7], [1, 512, 1, 1], [1, 512], [1, 10]])
        XCTAssertEqual(net.parameterCount(), 11_180_170)
    }
}
