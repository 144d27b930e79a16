import XCTest
@testable import NN
import TensorCore

/// The fused inference paths (Conv→BN→ReLU in place, in-place Residual add) give
/// the same numbers as the layers run one by one, and leave their inputs alone.
final class FusionTests: XCTestCase {
    func close(_ a: Tensor, _ b: Tensor, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.shape, b.shape, file: file, line: line)
        let x = a.toFloats(), y = b.toFloats()
        for i in 0..<x.count where abs(x[i] - y[i]) > 1e-5 * max(1, abs(y[i])) {
            XCTFail("element \(i): \(x[i]) vs \(y[i])", file: file, line: line); return
        }
    }

    /// A batch norm in eval mode with non-trivial statistics and affine parameters.
    func batchNorm(_ c: Int) throws -> BatchNorm2d {
        let bn = try BatchNorm2d(c)
        _ = bn.eval()
        bn.buffer("running_mean")?.storage.floats.update(from: (0..<c).map { Float($0) * 0.1 - 0.2 }, count: c)
        bn.buffer("running_var")?.storage.floats.update(from: (0..<c).map { 0.5 + Float($0) * 0.3 }, count: c)
        bn.parameter("weight")?.storage.floats.update(from: (0..<c).map { 1 - Float($0) * 0.2 }, count: c)
        bn.parameter("bias")?.storage.floats.update(from: (0..<c).map { Float($0) * 0.05 }, count: c)
        return bn
    }

    func testConvBatchNormReLUMatchesLayerByLayer() throws {
        let conv = try Conv2d(3, 4, kernelSize: .int(3), padding: .sizes([1]))
        let bn = try batchNorm(4), relu = ReLU()
        let x = try Tensor.randn([2, 3, 8, 8])
        let before = x.toFloats()
        let fused = try Sequential([conv, bn, relu])(x)
        let reference = try relu.forward(bn.forward(conv.forward(x)))
        close(fused, reference)
        XCTAssertEqual(x.toFloats(), before)
    }

    func testResidualAddsInPlaceOnlyIntoFreshOutputs() throws {
        let block = try ResNet18.block(4, 4, stride: 1)
        if let body = block.body as? Sequential { _ = body.eval() }
        let x = try Tensor.randn([1, 4, 6, 6])
        let before = x.toFloats()
        let y = try block(x)
        guard let body = block.body else { return XCTFail("no body") }
        let reference = try Functional.relu(Functional.add(body.forward(x), x))
        close(y, reference)
        XCTAssertEqual(x.toFloats(), before)
        // An identity body returns its input: the add must not write into it.
        let identity = Residual(body: Sequential([]), activation: ReLU())
        let z = try identity(x)
        XCTAssertEqual(x.toFloats(), before)
        close(z, try Functional.relu(Functional.add(x, x)))
    }
}
