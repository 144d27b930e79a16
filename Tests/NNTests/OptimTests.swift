import XCTest
import Foundation
@testable import NN
import TensorCore

/// Each optimiser over six steps and each scheduler epoch by epoch against the values
/// PyTorch computed from the same start (`Fixtures/optim.json`, made by `make_optim.py`).
final class OptimTests: XCTestCase {
    var fixture: [String: Any] = [:]

    override func setUpWithError() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/optim.json")
        fixture = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    func floats(_ v: Any?) -> [Float] { ((v as? [NSNumber]) ?? []).map { $0.floatValue } }

    func makeOptimizer(_ cls: String, _ kw: [String: Any], _ params: [Tensor]) throws -> Optimizer {
        func d(_ k: String, _ f: Double) -> Double { (kw[k] as? NSNumber)?.doubleValue ?? f }
        func b(_ k: String) -> Bool { (kw[k] as? NSNumber)?.boolValue ?? false }
        let groups = [(params, [(String, OptValue)]())]
        switch cls {
        case "SGD":
            return try SGD(groups, lr: d("lr", 1e-3), momentum: d("momentum", 0), dampening: d("dampening", 0),
                           weightDecay: d("weight_decay", 0), nesterov: b("nesterov"), maximize: b("maximize"))
        case "Adam", "AdamW":
            let betas = (kw["betas"] as? [NSNumber]).map { ($0[0].doubleValue, $0[1].doubleValue) } ?? (0.9, 0.999)
            return try Adam(groups, lr: d("lr", 1e-3), betas: betas, eps: d("eps", 1e-8),
                            weightDecay: kw["weight_decay"] == nil ? nil : d("weight_decay", 0), amsgrad: b("amsgrad"),
                            maximize: b("maximize"), decoupled: cls == "AdamW")
        case "RMSprop":
            return try RMSprop(groups, lr: d("lr", 1e-2), alpha: d("alpha", 0.99), eps: d("eps", 1e-8), weightDecay: d("weight_decay", 0),
                               momentum: d("momentum", 0), centered: b("centered"), maximize: b("maximize"))
        case "Adagrad":
            return try Adagrad(groups, lr: d("lr", 1e-2), lrDecay: d("lr_decay", 0), weightDecay: d("weight_decay", 0),
                               initialAccumulatorValue: d("initial_accumulator_value", 0), eps: d("eps", 1e-10), maximize: b("maximize"))
        default: throw TensorError.value("unknown optimizer \(cls)")
        }
    }

    func testOptimizersMatchPyTorchStepByStep() throws {
        let shapes = try XCTUnwrap(fixture["shapes"] as? [[Int]])
        let start = try XCTUnwrap(fixture["start"] as? [[NSNumber]])
        let grads = try XCTUnwrap(fixture["grads"] as? [[[NSNumber]]])
        let optimizers = try XCTUnwrap(fixture["optimizers"] as? [String: [String: Any]])
        XCTAssertEqual(optimizers.count, 11)
        for (name, spec) in optimizers.sorted(by: { $0.key < $1.key }) {
            let params = try zip(start, shapes).map { v, s -> Tensor in
                let t = try Tensor(v.map { $0.floatValue }, shape: s); t.requiresGrad = true; return t
            }
            let opt = try makeOptimizer(spec["class"] as? String ?? "", spec["kwargs"] as? [String: Any] ?? [:], params)
            let steps = try XCTUnwrap(spec["steps"] as? [[[NSNumber]]])
            for (k, expected) in steps.enumerated() {
                for (p, g) in zip(params, grads[k]) { p.grad = try Tensor(g.map { $0.floatValue }, shape: p.shape) }
                try opt.step()
                for (i, p) in params.enumerated() {
                    let got = p.toFloats(), want = expected[i].map { $0.floatValue }
                    for j in 0..<want.count where Swift.abs(got[j] - want[j]) > 1e-5 * Swift.abs(want[j]) + 1e-7 {
                        XCTFail("\(name) step \(k + 1) param \(i)[\(j)]: \(got[j]) vs PyTorch \(want[j])"); return
                    }
                }
            }
        }
    }

    func testSchedulersMatchPyTorch() throws {
        let schedulers = try XCTUnwrap(fixture["schedulers"] as? [String: [String: Any]])
        XCTAssertEqual(schedulers.count, 6)
        for (name, spec) in schedulers.sorted(by: { $0.key < $1.key }) {
            let p = try Tensor.ones([1]); p.requiresGrad = true
            let opt = try makeOptimizer(spec["optimizer"] as? String ?? "", spec["optimizer_kwargs"] as? [String: Any] ?? [:], [p])
            let kw = spec["kwargs"] as? [String: Any] ?? [:]
            func d(_ k: String, _ f: Double) -> Double { (kw[k] as? NSNumber)?.doubleValue ?? f }
            func i(_ k: String) -> Int? { (kw[k] as? NSNumber)?.intValue }
            let s: LRScheduler
            switch spec["class"] as? String {
            case "StepLR": s = try StepLR(opt, stepSize: i("step_size") ?? 1, gamma: d("gamma", 0.1))
            case "MultiStepLR": s = try MultiStepLR(opt, milestones: (kw["milestones"] as? [Int]) ?? [], gamma: d("gamma", 0.1))
            case "ExponentialLR": s = try ExponentialLR(opt, gamma: d("gamma", 1))
            case "CosineAnnealingLR": s = try CosineAnnealingLR(opt, tMax: i("T_max") ?? 1, etaMin: d("eta_min", 0))
            case "OneCycleLR":
                s = try OneCycleLR(opt, maxLR: [d("max_lr", 0)], totalSteps: i("total_steps"), epochs: i("epochs"),
                                   stepsPerEpoch: i("steps_per_epoch"), annealStrategy: kw["anneal_strategy"] as? String ?? "cos",
                                   threePhase: (kw["three_phase"] as? Bool) ?? false)
            default: XCTFail("unknown scheduler in \(name)"); continue
            }
            let lrs = floats(spec["lrs"]).map(Double.init), expectedMoms = ((spec["momenta"] as? [NSNumber]) ?? []).map(\.doubleValue)
            var got = [s.lastLR[0]], moms = [opt.paramGroups[0]["betas"]?.number ?? opt.paramGroups[0].number("momentum")]
            for _ in 1..<lrs.count {
                try opt.step(); try s.step()
                got.append(s.lastLR[0])
                moms.append(opt.paramGroups[0]["betas"]?.number ?? opt.paramGroups[0].number("momentum"))
            }
            let want = ((spec["lrs"] as? [NSNumber]) ?? []).map(\.doubleValue)
            for (k, (a, b)) in zip(got, want).enumerated() { XCTAssertEqual(a, b, accuracy: 1e-12 + 1e-9 * Swift.abs(b), "\(name) epoch \(k)") }
            for (k, (a, b)) in zip(moms, expectedMoms).enumerated() { XCTAssertEqual(a, b, accuracy: 1e-9, "\(name) momentum \(k)") }
        }
    }

    func testReduceLROnPlateauAndClipping() throws {
        let spec = try XCTUnwrap(fixture["plateau"] as? [String: Any])
        let p = try Tensor.ones([1]); p.requiresGrad = true
        let opt = try SGD([([p], [])], lr: 1.0)
        let s = try ReduceLROnPlateau(opt, factor: 0.5, patience: 2, cooldown: 1, minLR: [0.1])
        let metrics = ((spec["metrics"] as? [NSNumber]) ?? []).map(\.doubleValue)
        let want = ((spec["lrs"] as? [NSNumber]) ?? []).map(\.doubleValue)
        for (m, w) in zip(metrics, want) { s.step(m); XCTAssertEqual(opt.paramGroups[0].lr, w, accuracy: 1e-12) }

        let clip = try XCTUnwrap(fixture["clip"] as? [String: Any])
        let a = try Tensor.zeros([3]), b = try Tensor.zeros([2, 2])
        a.grad = try Tensor([3, -4, 1], shape: [3]); b.grad = try Tensor([0.5, 2, -1, 6], shape: [2, 2])
        let total = try ClipGrad.clipNorm([a, b], maxNorm: 2)
        XCTAssertEqual(Double(try total.item()), (clip["total"] as? NSNumber)?.doubleValue ?? 0, accuracy: 1e-5)
        for (x, y) in zip(try XCTUnwrap(a.grad).toFloats(), floats(clip["a"])) { XCTAssertEqual(x, y, accuracy: 1e-6) }
        for (x, y) in zip(try XCTUnwrap(b.grad).toFloats(), floats(clip["b"])) { XCTAssertEqual(x, y, accuracy: 1e-6) }
    }

    func testOptimizerErrorsInPyTorchsWords() throws {
        let p = try Tensor.ones([1]); p.requiresGrad = true
        XCTAssertThrowsError(try SGD([([p], [])], lr: -1)) { XCTAssertEqual("\($0)", "Invalid learning rate: -1.0") }
        XCTAssertThrowsError(try SGD([([p], [])], lr: 0.1, nesterov: true)) {
            XCTAssertEqual("\($0)", "Nesterov momentum requires a momentum and zero dampening")
        }
        XCTAssertThrowsError(try Adam([([p], [])], betas: (1.0, 0.999))) { XCTAssertEqual("\($0)", "Invalid beta parameter at index 0: 1.0") }
        XCTAssertThrowsError(try SGD([([p, p], [])], lr: 0.1))
        let y = try Functional.mul(p, .scalar(2))
        XCTAssertThrowsError(try SGD([([y], [])], lr: 0.1)) { XCTAssertEqual("\($0)", "can't optimize a non-leaf Tensor") }
    }
}
