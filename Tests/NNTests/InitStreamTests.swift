import XCTest
import TensorCore
import NN
import TestSupport

/// `nn.init` and each layer's default initialisation draw PyTorch's values after
/// `torch.manual_seed(s)`, bit for bit (fixtures from PyTorch 2.15).
final class InitStreamTests: XCTestCase {
    override func tearDown() { Generator.default.manualSeed(Generator.defaultSeed) }

    func check(_ fn: String, file: StaticString = #filePath, line: UInt = #line, _ body: (Int) throws -> [Float]) throws {
        for c in try RandomFixtures.cases("torch", fn, file: file, line: line) {
            Generator.default.manualSeed(UInt64(c.seed))
            let got = try body(c.n).map { $0.bitPattern }
            XCTAssertEqual(got.count, c.u32.count, c.label, file: file, line: line)
            let bad = zip(got, c.u32).filter { $0 != $1 }.count
            XCTAssertEqual(bad, 0, "\(c.label): \(bad) values differ", file: file, line: line)
        }
    }

    func filled(_ shape: [Int], _ f: (Tensor) throws -> Void) throws -> [Float] {
        let t = try Tensor(zeros: shape)
        try f(t)
        return t.toFloats()
    }

    func testInitFunctions() throws {
        try check("kaiming_uniform_") { try self.filled([$0, 7]) { try Init.kaiming_uniform_($0) } }
        try check("kaiming_uniform_sqrt5") { try self.filled([$0, 7]) { try Init.kaiming_uniform_($0, a: 5.0.squareRoot()) } }
        try check("kaiming_normal_") {
            try self.filled([$0, 7]) { try Init.kaiming_normal_($0, mode: "fan_out", nonlinearity: "relu") }
        }
        try check("xavier_uniform_") { try self.filled([$0, 5]) { try Init.xavier_uniform_($0) } }
        try check("xavier_normal_") { try self.filled([$0, 5]) { try Init.xavier_normal_($0, gain: 2) } }
        try check("init_uniform_") { try self.filled([$0]) { try Init.uniform_($0, a: -0.1, b: 0.2) } }
        try check("init_normal_") { try self.filled([$0]) { try Init.normal_($0, mean: 0, std: 0.02) } }
    }

    func testTruncNormalAndSparse() throws {
        try check("trunc_normal_") { try self.filled([$0, 7]) { try Init.trunc_normal_($0) } }
        try check("trunc_normal_custom") { try self.filled([$0]) { try Init.trunc_normal_($0, mean: 0.5, std: 0.2, a: 0, b: 1) } }
        try check("trunc_normal_tail") { try self.filled([$0, 3]) { try Init.trunc_normal_($0, mean: 0, std: 1, a: 2, b: 2.5) } }
        try check("sparse_") { try self.filled([$0, 5]) { try Init.sparse_($0, sparsity: 0.3) } }
    }

    func testLayerDefaults() throws {
        try check("linear") { n in
            let m = try Linear(7, n)
            return (m.parameter("weight")?.toFloats() ?? []) + (m.parameter("bias")?.toFloats() ?? [])
        }
        try check("conv2d") { n in
            let m = try Conv2d(3, n, kernelSize: .int(3))
            return (m.weight?.toFloats() ?? []) + (m.bias?.toFloats() ?? [])
        }
    }
}
