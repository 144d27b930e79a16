import Foundation
import XCTest
import NN
import TensorCore
@testable import Render

final class SummaryTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    func fixture(_ name: String) throws -> String {
        let s = try String(contentsOf: Self.fixtures.appendingPathComponent(name), encoding: .utf8)
        return s.hasSuffix("\n") ? String(s.dropLast()) : s
    }

    func lenet() throws -> Sequential {
        Sequential([
            try Conv2d(1, 6, kernelSize: .int(5), padding: .sizes([2])), Sigmoid(), try AvgPool2d(kernelSize: .int(2), stride: .int(2)),
            try Conv2d(6, 16, kernelSize: .int(5)), Sigmoid(), try AvgPool2d(kernelSize: .int(2), stride: .int(2)),
            Flatten(), try Linear(400, 120), Sigmoid(), try Linear(120, 84), Sigmoid(), try Linear(84, 10),
        ])
    }

    /// The model of Fixtures/make_summaries.py's `residual`.
    func residualNet() throws -> Sequential {
        let stem = try Conv2d(1, 8, kernelSize: .int(3), padding: .sizes([1]))
        for p in stem.parameters() { p.requiresGrad = false }
        let bn = try BatchNorm2d(8)
        bn.parameter("weight")?.requiresGrad = false
        func block(_ cin: Int, _ cout: Int, stride: Int) throws -> Sequential {
            Sequential([
                try Conv2d(cin, cout, kernelSize: .int(3), stride: .int(stride), padding: .sizes([1])), try BatchNorm2d(cout), ReLU(),
                try Conv2d(cout, cout, kernelSize: .int(3), padding: .sizes([1])), try BatchNorm2d(cout),
            ])
        }
        return Sequential([
            stem, bn, ReLU(),
            Residual(body: try block(8, 8, stride: 1), activation: ReLU()),
            Residual(body: try block(8, 16, stride: 2), shortcut: try Conv2d(8, 16, kernelSize: .int(1), stride: .int(2))),
            ReLU(), AdaptiveAvgPool2d(outputSize: .int(1)), Flatten(), try Linear(16, 10),
        ])
    }

    func testLeNetMatchesTorchinfo() throws {
        XCTAssertEqual(try summary(try lenet(), inputSize: [1, 1, 28, 28]), try fixture("lenet.txt"))
    }

    func testResidualMatchesTorchinfo() throws {
        XCTAssertEqual(try summary(try residualNet(), inputSize: [2, 1, 16, 16]), try fixture("residual.txt"))
    }

    func testRecurrentLayersMatchTorchinfo() throws {
        XCTAssertEqual(try summary(try LSTM(4, 8, numLayers: 2, bidirectional: true), inputSize: [5, 3, 4]), try fixture("lstm.txt"))
        XCTAssertEqual(try summary(try GRU(16, 32, batchFirst: true), inputSize: [4, 20, 16]), try fixture("gru.txt"))
    }

    func testDepthLimitHidesDeeperRowsButCountsThem() throws {
        let s = try summary(try residualNet(), inputSize: [2, 1, 16, 16], depth: 2)
        XCTAssertFalse(s.contains("3-1"))
        // At the depth limit a container shows all its parameters.
        XCTAssertTrue(s.contains("│    └─Sequential: 2-1                   [2, 8, 16, 16]            1,200                     True"), s)
        XCTAssertTrue(s.contains("Total params: 5,162"))
        XCTAssertTrue(s.contains("Total mult-adds (M): 1.10"))
    }

    func testStateIsUnchanged() throws {
        let net = try residualNet()
        net.train()
        let bn = try XCTUnwrap(net.child("1"))
        let before = net.namedBuffers().map { ($0.0, $0.1.toDoubles()) }
        _ = try summary(net, inputSize: [2, 1, 16, 16])
        _ = try shapes(net, try Tensor.randn([2, 1, 16, 16]))
        let after = net.namedBuffers().map { ($0.0, $0.1.toDoubles()) }
        XCTAssertEqual(before.map { $0.0 }, after.map { $0.0 })
        for (b, a) in zip(before, after) { XCTAssertEqual(b.1, a.1, b.0) }
        XCTAssertTrue(net.namedModules().allSatisfy { $0.1.training })
        XCTAssertEqual(bn.buffer("num_batches_tracked")?.toDoubles(), [0])
        XCTAssertTrue(GradMode.enabled)

        net.eval()
        let head = try XCTUnwrap(net.child("3"))
        head.train()
        _ = try summary(net, inputSize: [2, 1, 16, 16])
        XCTAssertFalse(net.training)
        XCTAssertTrue(head.training)
        XCTAssertTrue(head.namedModules().allSatisfy { $0.1.training })
        XCTAssertFalse(try XCTUnwrap(net.child("4")).training)
    }

    func testWrongLinearNamesLayerAndFix() throws {
        let net = Sequential([try Conv2d(1, 2, kernelSize: .int(3)), Flatten(), try Linear(256, 10)])
        XCTAssertThrowsError(try summary(net, inputSize: [1, 1, 18, 18])) { error in
            guard let e = error as? SummaryError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.layer, "Linear: 1-3")
            XCTAssertEqual(e.path, "2")
            XCTAssertEqual(e.underlying as? TensorError, .shape("mat1 and mat2 shapes cannot be multiplied (1x512 and 256x10)"))
            let bar = String(repeating: "=", count: 115)
            XCTAssertEqual(e.description, """
                \(bar)
                Layer (type:depth-idx)                   Output Shape              Param #                   Trainable
                \(bar)
                Sequential                               --                        --                        True
                ├─Conv2d: 1-1                            [1, 2, 16, 16]            20                        True
                ├─Flatten: 1-2                           [1, 512]                  --                        --
                ├─Linear: 1-3                            --                        2,570                     True
                \(bar)

                Linear: 1-3 ('2') failed: mat1 and mat2 shapes cannot be multiplied (1x512 and 256x10)
                  it receives 512 input features; use nn.Linear(512, 10)
                """)
        }
    }

    func testWrongConvChannelsInNestedModel() throws {
        let inner = Sequential([try Conv2d(3, 8, kernelSize: .int(3), padding: .sizes([1]), bias: false), ReLU()])
        let net = Sequential([try Conv2d(1, 4, kernelSize: .int(3), padding: .sizes([1])), inner])
        XCTAssertThrowsError(try summary(net, inputSize: [1, 1, 8, 8])) { error in
            guard let e = error as? SummaryError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.layer, "Conv2d: 2-1")
            XCTAssertEqual(e.path, "1.0")
            XCTAssertEqual(e.fix, "it receives 4 input channels; use nn.Conv2d(4, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)")
            XCTAssertTrue(e.table.contains("├─Sequential: 1-2                        --                        --"), e.table)
        }
        XCTAssertEqual(fixHint(try BatchNorm2d(3), input: [1, 4, 2, 2]), "it receives 4 channels; use nn.BatchNorm2d(4)")
        XCTAssertNil(fixHint(ReLU(), input: [1, 4]))
    }

    func testShapesLikeD2LLoop() throws {
        let out = try shapes(try lenet(), try Tensor.zeros([1, 1, 28, 28]))
        XCTAssertEqual(out, """
            Conv2d output shape:\t torch.Size([1, 6, 28, 28])
            Sigmoid output shape:\t torch.Size([1, 6, 28, 28])
            AvgPool2d output shape:\t torch.Size([1, 6, 14, 14])
            Conv2d output shape:\t torch.Size([1, 16, 10, 10])
            Sigmoid output shape:\t torch.Size([1, 16, 10, 10])
            AvgPool2d output shape:\t torch.Size([1, 16, 5, 5])
            Flatten output shape:\t torch.Size([1, 400])
            Linear output shape:\t torch.Size([1, 120])
            Sigmoid output shape:\t torch.Size([1, 120])
            Linear output shape:\t torch.Size([1, 84])
            Sigmoid output shape:\t torch.Size([1, 84])
            Linear output shape:\t torch.Size([1, 10])
            """)
        let bad = Sequential([Flatten(), try Linear(3, 2)])
        XCTAssertThrowsError(try shapes(bad, try Tensor.zeros([1, 2, 2]))) { error in
            guard let e = error as? SummaryError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.table, "Flatten output shape:\t torch.Size([1, 4])")
            XCTAssertEqual(e.fix, "it receives 4 input features; use nn.Linear(4, 2)")
        }
    }

    func testMultAddRules() throws {
        // Conv: weight and bias times N·Hout·Wout; ConvTranspose: weight per input position.
        let conv = try Conv2d(2, 4, kernelSize: .int(3), groups: 2)
        let convT = try ConvTranspose2d(4, 2, kernelSize: .int(2), stride: .int(2))
        let lin = try Linear(8, 3)
        let net = Sequential([conv, convT, Flatten(), try Linear(2 * 12 * 12, 8), lin])
        let rec = try SummaryRecorder(model: net)
        _ = try QuietRun.run(net) { try ModuleObservers.with(rec.observer) { try net(try Tensor.zeros([2, 2, 8, 8])) } }
        rec.finish()
        let macs = rec.rows.map { $0.macs }
        XCTAssertEqual(macs[1], (4 * 1 * 9 + 4) * 2 * 6 * 6)
        XCTAssertEqual(macs[2], 4 * 2 * 4 * (2 * 6 * 6) + 2 * 2 * 12 * 12)
        XCTAssertEqual(macs[5], 2 * (8 * 3 + 3))
        XCTAssertEqual(SummaryTable(maxDepth: 3).readable(1_820_000_000), "(G): 1.82")
        XCTAssertEqual(SummaryTable(maxDepth: 3).readable(2_000_000), "(M): 2")
        XCTAssertEqual(SummaryTable(maxDepth: 3).readable(1_234_567_000_000_000), "(T): 1,234.57")
        XCTAssertEqual(grouped(1_234_567), "1,234,567")
        XCTAssertEqual(grouped(12), "12")
    }

    func testSharedParametersCountOnceAndRecursiveRows() throws {
        let shared = try Linear(4, 4)
        let net = Sequential([shared, ReLU(), shared])
        let s = try summary(net, inputSize: [1, 4])
        XCTAssertTrue(s.contains("├─Linear: 1-3                            [1, 4]                    (recursive)               True"), s)
        XCTAssertTrue(s.contains("Total params: 20\n"), s)
        XCTAssertThrowsError(try summary(net, inputSize: [1, 0]))
        // Tied weights in two different layers: torchinfo would count them twice.
        let a = try Linear(4, 4), b = try Linear(4, 4)
        try b.assignParameter("weight", a.parameter("weight"))
        let tied = try summary(Sequential([a, b]), inputSize: [1, 4])
        XCTAssertTrue(tied.contains("Total params: 24\n"), tied)
        XCTAssertTrue(tied.contains("├─Linear: 1-2                            [1, 4]                    20"), tied)
    }
}
