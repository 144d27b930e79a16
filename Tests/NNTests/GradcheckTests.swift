import XCTest
@testable import NN
import TensorCore

/// Finite differences against the engine's gradients for every differentiable op,
/// as `torch.autograd.gradcheck` does: central differences of sum(f(x)·w) with a
/// fixed random w, accumulated in double precision.
final class GradcheckTests: XCTestCase {
    var seed: UInt64 = 0x9E3779B97F4A7C15

    func random() -> Double {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return Double(seed >> 11) / Double(1 << 53)
    }

    /// Values in ±[0.2, 1.2] (away from the kinks of relu, abs and clamp at 0), or (0.5, 1.5) when positive.
    func input(_ shape: [Int], positive: Bool = false) throws -> Tensor {
        let n = shape.reduce(1, *)
        let v = (0..<n).map { _ -> Float in
            let m = Float(0.2 + random())
            return positive ? m + 0.3 : (random() < 0.5 ? -m : m)
        }
        return try Tensor(v, shape: shape)
    }

    func gradcheck(_ name: String, _ shapes: [[Int]], positive: Bool = false, eps: Float = 1e-3, tol: Double = 2e-2,
                   file: StaticString = #filePath, line: UInt = #line, _ f: ([Tensor]) throws -> Tensor) throws {
        let xs = try shapes.map { try input($0, positive: positive) }
        for x in xs { x.requiresGrad = true }
        let out = try f(xs)
        let w = try input(out.shape)
        func objective() throws -> Double {
            let y = try GradMode.withoutGrad { try f(xs) }.contiguous()
            let a = y.toDoubles(), b = w.toDoubles()
            return zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        }
        try Engine.backward(try Functional.sum(try Functional.mul(out, w)))
        for (i, x) in xs.enumerated() {
            guard let g = x.grad else { XCTFail("\(name): input \(i) got no gradient", file: file, line: line); continue }
            XCTAssertEqual(g.shape, x.shape, "\(name): gradient shape", file: file, line: line)
            let analytic = g.toDoubles()
            let p = x.floatPtr
            for k in 0..<x.numel {
                let old = p[k]
                p[k] = old + eps; let up = try objective()
                p[k] = old - eps; let down = try objective()
                p[k] = old
                let numeric = (up - down) / Double(2 * eps)
                if Swift.abs(numeric - analytic[k]) > tol * Swift.max(1, Swift.abs(numeric)) {
                    XCTFail("\(name): d/dx\(i)[\(k)] analytic \(analytic[k]) vs numeric \(numeric)", file: file, line: line)
                    return
                }
            }
        }
    }

    typealias F = Functional

    func testArithmeticWithBroadcasting() throws {
        try gradcheck("add", [[2, 3], [3]]) { try F.add($0[0], $0[1]) }
        try gradcheck("sub", [[2, 1, 3], [4, 1]]) { try F.sub($0[0], $0[1]) }
        try gradcheck("mul", [[2, 3], [2, 1]]) { try F.mul($0[0], $0[1]) }
        try gradcheck("div", [[3, 2], [2]], positive: true) { try F.div($0[0], $0[1]) }
        try gradcheck("pow", [[2, 3], [3]], positive: true) { try F.pow($0[0], $0[1]) }
        try gradcheck("pow scalar", [[4]], positive: true) { try F.binary(.pow, $0[0], .scalar(2.5), bIsNumber: true) }
        try gradcheck("rpow", [[4]]) { try F.binary(.pow, .scalar(1.7), $0[0], aIsNumber: true) }
        try gradcheck("maximum", [[5], [5]]) { try F.binary(.maximum, $0[0], $0[1]) }
        try gradcheck("minimum", [[2, 3], [3]]) { try F.binary(.minimum, $0[0], $0[1]) }
        try gradcheck("where", [[2, 3], [2, 3]]) { x in
            try F.where(try Tensor.compare(.gt, x[0], x[1]), x[0], x[1])
        }
    }

    func testUnaryMath() throws {
        try gradcheck("neg", [[5]]) { try F.neg($0[0]) }
        try gradcheck("abs", [[5]]) { try F.abs($0[0]) }
        try gradcheck("exp", [[5]]) { try F.exp($0[0]) }
        try gradcheck("log", [[5]], positive: true) { try F.log($0[0]) }
        try gradcheck("sqrt", [[5]], positive: true) { try F.sqrt($0[0]) }
        try gradcheck("square", [[5]]) { try F.square($0[0]) }
        try gradcheck("clamp", [[8]]) { try F.clamp($0[0], min: -0.5, max: 0.6) }
    }

    func testMatrixProducts() throws {
        try gradcheck("mm", [[3, 4], [4, 2]]) { try F.mm($0[0], $0[1]) }
        try gradcheck("dot", [[4], [4]]) { try F.matmul($0[0], $0[1]) }
        try gradcheck("mv", [[3, 4], [4]]) { try F.matmul($0[0], $0[1]) }
        try gradcheck("vm", [[4], [4, 2]]) { try F.matmul($0[0], $0[1]) }
        try gradcheck("batched broadcast", [[2, 1, 3, 4], [3, 4, 2]]) { try F.matmul($0[0], $0[1]) }
        try gradcheck("batched @ matrix", [[2, 3, 4], [4, 2]]) { try F.matmul($0[0], $0[1]) }
        try gradcheck("bmm", [[2, 3, 4], [2, 4, 2]]) { try F.bmm($0[0], $0[1]) }
        try gradcheck("linear", [[2, 3, 4], [5, 4], [5]]) { try F.linear($0[0], $0[1], $0[2]) }
        try gradcheck("linear 1-D", [[4], [5, 4]]) { try F.linear($0[0], $0[1], nil) }
    }

    func testViewsAndIndexing() throws {
        try gradcheck("view", [[2, 6]]) { try F.view($0[0], [3, 4]) }
        try gradcheck("reshape of a transpose", [[3, 4]]) { try F.reshape(try F.transpose($0[0], 0, 1), [12]) }
        try gradcheck("permute", [[2, 3, 4]]) { try F.permute($0[0], [2, 0, 1]) }
        try gradcheck("squeeze/unsqueeze", [[2, 1, 3]]) { try F.unsqueeze(try F.squeeze($0[0]), 0) }
        try gradcheck("expand", [[3, 1]]) { try F.expand($0[0], [2, 3, 4]) }
        try gradcheck("flatten", [[2, 3, 2]]) { try F.flatten($0[0], startDim: 1) }
        try gradcheck("t", [[3, 2]]) { try F.t($0[0]) }
        try gradcheck("basic index", [[4, 5]]) { try F.index($0[0], [.int(1), .slice(start: 1, stop: nil, step: 2)]) }
        try gradcheck("ellipsis and None", [[2, 3, 4]]) { try F.index($0[0], [.ellipsis, .newAxis, .int(-1)]) }
        let idx = try Tensor(ints: [2, 0, 2, 3], shape: [4])
        try gradcheck("repeated tensor index", [[4, 3]]) { try F.index($0[0], [.tensor(idx)]) }
        let mask = try Tensor(bools: [true, false, true, true, false, false], shape: [2, 3])
        try gradcheck("mask", [[2, 3]]) { try F.index($0[0], [.tensor(mask)]) }
        try gradcheck("select", [[3, 4]]) { try F.select($0[0], dim: 1, index: -1) }
        try gradcheck("narrow", [[3, 5]]) { try F.narrow($0[0], dim: 1, start: 1, length: 3) }
        try gradcheck("setitem", [[3, 4], [4]]) { x in
            let y = try F.mul(x[0], .scalar(2))
            try F.indexAssign(y, [.int(1)], x[1])
            return y
        }
        try gradcheck("masked_fill", [[2, 3]]) { try F.maskedFill($0[0], mask, .scalar(5)) }
    }

    func testJoinsAndSplits() throws {
        try gradcheck("cat", [[2, 3], [1, 3]]) { try F.cat($0, dim: 0) }
        try gradcheck("stack", [[2, 3], [2, 3]]) { try F.stack($0, dim: 1) }
        try gradcheck("split", [[5, 2]]) { x in
            let parts = try F.split(x[0], sizes: [2, 3])
            return try F.add(try F.mul(parts[0], .scalar(3)), try F.narrow(parts[1], dim: 0, start: 0, length: 2))
        }
        try gradcheck("pad constant", [[1, 2, 3]]) { try F.pad($0[0], [1, 2, 0, 1]) }
        try gradcheck("pad reflect", [[1, 1, 3, 4]]) { try F.pad($0[0], [2, 1, 1, 2], mode: "reflect") }
        try gradcheck("pad replicate", [[1, 1, 3, 3]]) { try F.pad($0[0], [1, 2, 2, 1], mode: "replicate") }
        try gradcheck("pad circular", [[1, 1, 3, 3]]) { try F.pad($0[0], [1, 1, 2, 0], mode: "circular") }
    }

    func testReductions() throws {
        try gradcheck("sum", [[2, 3, 4]]) { try F.sum($0[0], dims: [0, 2]) }
        try gradcheck("sum keepdim", [[2, 3]]) { try F.sum($0[0], dims: [1], keepdim: true) }
        try gradcheck("mean", [[2, 3, 4]]) { try F.mean($0[0], dims: [-1]) }
        try gradcheck("mean all", [[2, 3]]) { try F.mean($0[0]) }
        try gradcheck("var", [[3, 4]]) { try F.variance($0[0], dims: [1]) }
        try gradcheck("std", [[3, 4]]) { try F.std($0[0], dims: [0], correction: 0, keepdim: true) }
        try gradcheck("max all", [[3, 4]]) { try F.extremumAll($0[0], isMax: true) }
        try gradcheck("min dim", [[3, 4]]) { try F.extremum($0[0], dim: 1, isMax: false).0 }
        try gradcheck("max dim keepdim", [[3, 4]]) { try F.extremum($0[0], dim: 0, keepdim: true, isMax: true).0 }
        try gradcheck("amax", [[2, 3, 4]]) { try F.amax($0[0], dims: [0, 2]) }
        try gradcheck("norm", [[3, 4]]) { try F.norm($0[0]) }
        try gradcheck("prod all", [[2, 3]]) { try F.prod($0[0]) }
        try gradcheck("prod dim keepdim", [[3, 4]]) { try F.prod($0[0], dim: 1, keepdim: true) }
        try gradcheck("prod with a zero", [[4]]) { x in try F.prod(try F.mul(x[0], try Tensor([1, 0, 1, 1], shape: [4]))) }
        try gradcheck("cumsum", [[3, 4]]) { try F.cumsum($0[0], dim: 1) }
        try gradcheck("cumsum dim 0", [[3, 2]]) { try F.cumsum($0[0], dim: 0) }
        try gradcheck("norm p=1 dim", [[3, 4]]) { try F.norm($0[0], p: 1, dims: [1]) }
        try gradcheck("norm p=3", [[3, 4]]) { try F.norm($0[0], p: 3, dims: [0], keepdim: true) }
    }

    func testActivations() throws {
        try gradcheck("relu", [[6]]) { try F.relu($0[0]) }
        try gradcheck("sigmoid", [[6]]) { try F.sigmoid($0[0]) }
        try gradcheck("tanh", [[6]]) { try F.tanh($0[0]) }
        try gradcheck("leaky_relu", [[6]]) { try F.leakyRelu($0[0], negativeSlope: 0.2) }
        try gradcheck("elu", [[6]]) { try F.elu($0[0], alpha: 0.7) }
        try gradcheck("gelu", [[6]]) { try F.gelu($0[0]) }
        try gradcheck("gelu tanh", [[6]]) { try F.gelu($0[0], approximate: "tanh") }
        try gradcheck("softmax", [[2, 5]]) { try F.softmax($0[0], dim: 1) }
        try gradcheck("log_softmax", [[3, 4]]) { try F.logSoftmax($0[0], dim: 0) }
        try gradcheck("prelu channels", [[2, 3, 2, 2], [3]]) { try F.prelu($0[0], weight: $0[1]) }
        try gradcheck("prelu shared", [[2, 3], [1]]) { try F.prelu($0[0], weight: $0[1]) }
        try gradcheck("rrelu eval", [[6]]) { try F.rrelu($0[0]) }
    }

    func testConvolutionsPoolingNorm() throws {
        try gradcheck("conv2d stride pad", [[2, 2, 5, 5], [3, 2, 3, 3], [3]]) {
            try F.conv2d($0[0], $0[1], $0[2], stride: [2, 2], padding: .sizes([1]))
        }
        try gradcheck("conv2d groups dilation", [[1, 4, 6, 6], [4, 2, 2, 3], [4]]) {
            try F.conv2d($0[0], $0[1], $0[2], padding: .sizes([1, 2]), dilation: [2, 1], groups: 2)
        }
        try gradcheck("conv2d same reflect", [[1, 1, 4, 4], [2, 1, 2, 2]]) {
            try F.conv2d($0[0], $0[1], nil, padding: .same, paddingMode: .reflect)
        }
        try gradcheck("conv2d unbatched", [[2, 4, 4], [1, 2, 3, 3]]) { try F.conv2d($0[0], $0[1], nil) }
        try gradcheck("conv1d", [[2, 2, 7], [3, 2, 3], [3]]) { try F.conv1d($0[0], $0[1], $0[2], stride: [2], padding: .sizes([1])) }
        try gradcheck("conv_transpose2d", [[1, 4, 3, 3], [4, 1, 3, 2], [2]]) {
            try F.convTranspose2d($0[0], $0[1], $0[2], stride: [2, 1], padding: [1, 0], outputPadding: [1, 0], groups: 2)
        }
        try gradcheck("max_pool2d", [[1, 2, 5, 5]]) { try F.maxPool2d($0[0], kernelSize: [3], stride: [2], padding: [1]).0 }
        try gradcheck("avg_pool2d", [[1, 2, 5, 5]]) {
            try F.avgPool2d($0[0], kernelSize: [3], stride: [2], padding: [1], ceilMode: true, countIncludePad: false)
        }
        try gradcheck("adaptive avg", [[1, 2, 5, 7]]) { try F.adaptiveAvgPool2d($0[0], outputSize: .tuple([3, 4])) }
        try gradcheck("adaptive max", [[1, 2, 5, 7]]) { try F.adaptiveMaxPool2d($0[0], outputSize: .tuple([2, 3])).0 }
        let rm = try Tensor.zeros([3]), rv = try Tensor.ones([3])
        try gradcheck("batch_norm train", [[4, 3, 2], [3], [3]]) {
            try F.batchNorm($0[0], runningMean: rm, runningVar: rv, weight: $0[1], bias: $0[2], training: true)
        }
        try gradcheck("batch_norm eval", [[4, 3], [3], [3]]) {
            try F.batchNorm($0[0], runningMean: rm, runningVar: rv, weight: $0[1], bias: $0[2], training: false)
        }
    }

    func testLosses() throws {
        let target = try Tensor(ints: [1, 0, 3, 1], shape: [4])
        let weight = try Tensor([0.5, 2, 1, 1.5], shape: [4])
        try gradcheck("cross_entropy", [[4, 4]]) { try F.crossEntropy($0[0], target) }
        try gradcheck("cross_entropy weight ignore", [[4, 4]]) { try F.crossEntropy($0[0], target, weight: weight, ignoreIndex: 3) }
        try gradcheck("cross_entropy smoothing", [[4, 4]]) { try F.crossEntropy($0[0], target, weight: weight, labelSmoothing: 0.1) }
        try gradcheck("cross_entropy sum", [[4, 4]]) { try F.crossEntropy($0[0], target, reduction: "sum", labelSmoothing: 0.2) }
        try gradcheck("cross_entropy probabilities", [[4, 4], [4, 4]], positive: true) { try F.crossEntropy($0[0], $0[1]) }
        let t3 = try Tensor(ints: [1, 0, 2, 2, 1, 0], shape: [2, 3])
        try gradcheck("cross_entropy (N, C, d)", [[2, 3, 3]]) { try F.crossEntropy($0[0], t3, reduction: "none") }
        try gradcheck("nll_loss", [[4, 4]]) { try F.nllLoss($0[0], target, weight: weight) }
        try gradcheck("mse_loss", [[3, 2], [3, 2]]) { try F.mseLoss($0[0], $0[1]) }
        try gradcheck("mse_loss sum", [[3, 2], [3, 2]]) { try F.mseLoss($0[0], $0[1], reduction: "sum") }
    }

    func testSecondDerivatives() throws {
        // create_graph: the gradient is differentiable again (d²/dx² of x³ = 6x, of sigmoid, of tanh).
        let x = try Tensor([0.5, -1.2, 2], shape: [3]); x.requiresGrad = true
        let y = try F.sum(try F.mul(try F.mul(x, x), x))
        let (g) = try Engine.grad([y], [x], gradOutputs: [], createGraph: true)
        let gx = try XCTUnwrap(g[0])
        XCTAssertTrue(gx.requiresGrad)
        try Engine.backward(try F.sum(gx))
        let h = try XCTUnwrap(x.grad).toFloats()
        for (a, b) in zip(h, [3.0, -7.2, 12.0]) { XCTAssertEqual(Double(a), b, accuracy: 1e-5) }
        let z = try Tensor([0.3, -0.4], shape: [2]); z.requiresGrad = true
        let s = try F.sum(try F.add(try F.sigmoid(z), try F.tanh(z)))
        let gz = try XCTUnwrap(try Engine.grad([s], [z], gradOutputs: [], createGraph: true)[0])
        let hz = try XCTUnwrap(try Engine.grad([try F.sum(gz)], [z], gradOutputs: [])[0]).toFloats()
        for (k, v) in [0.3, -0.4].enumerated() {
            let sg = 1 / (1 + Foundation.exp(-v)), th = Foundation.tanh(v)
            let expected = sg * (1 - sg) * (1 - 2 * sg) - 2 * th * (1 - th * th)
            XCTAssertEqual(Double(hz[k]), expected, accuracy: 1e-5)
        }
    }
}
