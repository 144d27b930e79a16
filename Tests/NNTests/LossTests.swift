import XCTest
import Foundation
@testable import NN
import TensorCore

/// Every loss and reduction: value and gradients against PyTorch (`Fixtures/losses.json`).
final class LossTests: XCTestCase {
    func testLossesMatchPyTorch() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/losses.json")
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try XCTUnwrap(root["cases"] as? [[String: Any]])
        let cls = try Tensor(ints: ((root["class_target"] as? [NSNumber]) ?? []).map { $0.int64Value }, shape: [4])
        func tensor(_ v: Any?) throws -> Tensor {
            let d = v as? [String: Any] ?? [:]
            return try Tensor(((d["values"] as? [NSNumber]) ?? []).map(\.floatValue), shape: (d["shape"] as? [Int]) ?? [])
        }
        let w = try Tensor(((root["weight"] as? [NSNumber]) ?? []).map(\.floatValue), shape: [3])
        let pw = try Tensor(((root["pos_weight"] as? [NSNumber]) ?? []).map(\.floatValue), shape: [3])
        XCTAssertEqual(cases.count, 28)
        for c in cases {
            let name = c["name"] as? String ?? ""
            let inputs = c["inputs"] as? [String: Any] ?? [:]
            let grads = c["grads"] as? [String: [NSNumber]] ?? [:]
            let a = try tensor(inputs["a"]), b = inputs["b"] == nil ? nil : try tensor(inputs["b"])
            a.requiresGrad = grads["a"] != nil
            b?.requiresGrad = grads["b"] != nil
            let red = ["mean", "sum", "none"].first { name.hasSuffix("_" + $0) } ?? "mean"
            let out: Tensor
            switch name {
            case let n where n.hasPrefix("l1_"): out = try Functional.l1Loss(a, b!, reduction: red)
            case "smooth_l1_beta0": out = try Functional.smoothL1Loss(a, b!, beta: 0)
            case let n where n.hasPrefix("smooth_l1_"): out = try Functional.smoothL1Loss(a, b!, reduction: red, beta: 0.5)
            case let n where n.hasPrefix("huber_"): out = try Functional.huberLoss(a, b!, reduction: red, delta: 0.7)
            case "bce_logits_plain": out = try Functional.binaryCrossEntropyWithLogits(a, b!)
            case let n where n.hasPrefix("bce_logits_"):
                out = try Functional.binaryCrossEntropyWithLogits(a, b!, weight: w, reduction: red, posWeight: pw)
            case let n where n.hasPrefix("bce_"): out = try Functional.binaryCrossEntropy(a, b!, weight: w, reduction: red)
            case "kl_batchmean_logtarget": out = try Functional.klDiv(a, b!, reduction: "batchmean", logTarget: true)
            case let n where n.hasPrefix("kl_"): out = try Functional.klDiv(a, b!, reduction: red)
            case let n where n.hasPrefix("mse_"): out = try Functional.mseLoss(a, b!, reduction: red)
            case "ce_probs": out = try Functional.crossEntropy(a, b!, labelSmoothing: 0.1)
            case let n where n.hasPrefix("ce_"):
                out = try Functional.crossEntropy(a, cls, weight: w, ignoreIndex: 0, reduction: red, labelSmoothing: 0.2)
            default: XCTFail("no loss for case \(name)"); continue
            }
            let want = try tensor(c["out"])
            XCTAssertEqual(out.shape, want.shape, name)
            for (x, y) in zip(out.toFloats(), want.toFloats()) { XCTAssertEqual(x, y, accuracy: 1e-5 + 1e-4 * Swift.abs(y), "\(name) value") }
            try Engine.backward(try Functional.sum(out))
            for (k, g) in grads {
                let t = k == "a" ? a : try XCTUnwrap(b)
                let got = try XCTUnwrap(t.grad, "\(name): no gradient for \(k)").toFloats()
                for (x, y) in zip(got, g.map(\.floatValue)) { XCTAssertEqual(x, y, accuracy: 1e-5 + 1e-4 * Swift.abs(y), "\(name) d/d\(k)") }
            }
        }
    }

    func testBinaryCrossEntropyRefusesOutOfRangeInput() throws {
        XCTAssertThrowsError(try Functional.binaryCrossEntropy(try Tensor([1.5], shape: [1]), try Tensor([1], shape: [1]))) {
            XCTAssertEqual("\($0)", "all elements of input should be between 0 and 1")
        }
    }
}
