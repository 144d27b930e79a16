import TensorCore
import NN

/// `torch.optim.lr_scheduler`: StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR,
/// LambdaLR, OneCycleLR and ReduceLROnPlateau, with `step()` and `get_last_lr()`.
enum SchedulerBindings {
    static func optimizer(_ v: Value, in fn: String) throws -> Optimizer {
        guard case .object(let o as OptimizerObject) = v else { throw typeError("\(v.typeName) is not an Optimizer") }
        return o.opt
    }

    static func scheduler(_ r: Registry, _ name: String, _ params: [Param], doc: String,
                          _ make: @escaping (Optimizer, BoundArgs) throws -> LRScheduler) {
        r.register(path: "torch.optim.lr_scheduler.\(name)", signature: Signature(name, [P("optimizer")] + params, doc: doc),
                   typeName: name) { a in
            .object(SchedulerObject(try make(try optimizer(a[0], in: name), a)))
        }
    }

    static func install(_ r: Registry) {
        scheduler(r, "StepLR", [P("step_size"), P("gamma", .float(0.1)), P("last_epoch", .int(-1))],
                  doc: "Multiplies the learning rate by gamma every step_size epochs.") { o, a in
            try StepLR(o, stepSize: try a.int(1), gamma: try a.double(2), lastEpoch: try a.int(3))
        }
        scheduler(r, "MultiStepLR", [P("milestones"), P("gamma", .float(0.1)), P("last_epoch", .int(-1))],
                  doc: "Multiplies the learning rate by gamma at each milestone epoch.") { o, a in
            try MultiStepLR(o, milestones: try TV.ints(a[1], "milestones", in: "MultiStepLR"), gamma: try a.double(2), lastEpoch: try a.int(3))
        }
        scheduler(r, "ExponentialLR", [P("gamma"), P("last_epoch", .int(-1))], doc: "Multiplies the learning rate by gamma every epoch.") { o, a in
            try ExponentialLR(o, gamma: try a.double(1), lastEpoch: try a.int(2))
        }
        scheduler(r, "CosineAnnealingLR", [P("T_max"), P("eta_min", .float(0)), P("last_epoch", .int(-1))],
                  doc: "Anneals the learning rate along a cosine from its initial value to eta_min over T_max epochs.") { o, a in
            try CosineAnnealingLR(o, tMax: try a.int(1), etaMin: try a.double(2), lastEpoch: try a.int(3))
        }
        scheduler(r, "LambdaLR", [P("lr_lambda"), P("last_epoch", .int(-1))],
                  doc: "Sets each group's learning rate to its initial value times lr_lambda(epoch).") { o, a in
            let fns: [Value]
            if case .list(let l) = a[1] { fns = l.items } else if case .tuple(let t) = a[1] { fns = t } else { fns = [a[1]] }
            weak var interp = a.interpreter
            let lambdas = fns.map { fn -> (Int) throws -> Double in
                { epoch in
                    guard let interp else { return 1 }
                    return try Convert.double(try interp.call(fn, [.int(epoch)]), what: "lr_lambda result", in: "LambdaLR")
                }
            }
            return try LambdaLR(o, lambdas: lambdas, lastEpoch: try a.int(2))
        }
        scheduler(r, "OneCycleLR", [P("max_lr"), P("total_steps", .none), P("epochs", .none), P("steps_per_epoch", .none),
                                    P("pct_start", .float(0.3)), P("anneal_strategy", .str("cos")), P("cycle_momentum", .bool(true)),
                                    P("base_momentum", .float(0.85)), P("max_momentum", .float(0.95)), P("div_factor", .float(25)),
                                    P("final_div_factor", .float(1e4)), P("three_phase", .bool(false)), P("last_epoch", .int(-1))],
                  doc: "The 1cycle policy: warm up to max_lr, then anneal far below the initial rate.") { o, a in
            let maxLR: [Double]
            if case .list(let l) = a[1] { maxLR = try l.items.map { try Convert.double($0, what: "max_lr", in: "OneCycleLR") } }
            else { maxLR = [try a.double(1)] }
            return try OneCycleLR(o, maxLR: maxLR, totalSteps: try TV.optionalInt(a[2], "total_steps", in: "OneCycleLR"),
                                  epochs: try TV.optionalInt(a[3], "epochs", in: "OneCycleLR"),
                                  stepsPerEpoch: try TV.optionalInt(a[4], "steps_per_epoch", in: "OneCycleLR"),
                                  pctStart: try a.double(5), annealStrategy: try Convert.string(a[6], what: "anneal_strategy", in: "OneCycleLR"),
                                  cycleMomentum: TV.bool(a[7]), baseMomentum: try a.double(8), maxMomentum: try a.double(9),
                                  divFactor: try a.double(10), finalDivFactor: try a.double(11), threePhase: TV.bool(a[12]),
                                  lastEpoch: try a.int(13))
        }
        r.register(path: "torch.optim.lr_scheduler.ReduceLROnPlateau", signature: Signature("ReduceLROnPlateau",
            [P("optimizer"), P("mode", .str("min")), P("factor", .float(0.1)), P("patience", .int(10)), P("threshold", .float(1e-4)),
             P("threshold_mode", .str("rel")), P("cooldown", .int(0)), P("min_lr", .int(0)), P("eps", .float(1e-8))],
            doc: "Reduces the learning rate by factor when a metric has stopped improving for patience epochs."),
                   typeName: "ReduceLROnPlateau") { a in
            let minLR: [Double]
            if case .list(let l) = a[7] { minLR = try l.items.map { try Convert.double($0, what: "min_lr", in: "ReduceLROnPlateau") } }
            else { minLR = [try a.double(7)] }
            return .object(PlateauObject(try ReduceLROnPlateau(
                try optimizer(a[0], in: "ReduceLROnPlateau"), mode: try Convert.string(a[1], what: "mode", in: "ReduceLROnPlateau"),
                factor: try a.double(2), patience: try a.int(3), threshold: try a.double(4),
                thresholdMode: try Convert.string(a[5], what: "threshold_mode", in: "ReduceLROnPlateau"),
                cooldown: try a.int(6), minLR: minLR, eps: try a.double(8))))
        }
    }
}

/// A scheduler in the language: `step()`, `get_last_lr()`, `last_epoch`, `base_lrs`.
final class SchedulerObject: HostObject {
    let s: LRScheduler
    init(_ s: LRScheduler) { self.s = s }
    var typeName: String { s.name }
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "step":
            return .builtin(Builtin(path: "\(s.name).step", signature: Signature("step", [P("epoch", .none)], doc: "Advances one epoch.")) { [s] _ in
                try s.step(); return .none
            })
        case "get_last_lr":
            return .builtin(Builtin(path: "\(s.name).get_last_lr", signature: Signature("get_last_lr", [], doc: "The learning rates the last step set.")) { [s] _ in
                .list(ListBox(s.lastLR.map { .float($0) }))
            })
        case "last_epoch": return .int(s.lastEpoch)
        case "base_lrs": return .list(ListBox(s.baseLRs.map { .float($0) }))
        case "optimizer": return nil
        default: return nil
        }
    }
}

/// `ReduceLROnPlateau`: `step(metrics)`.
final class PlateauObject: HostObject {
    let s: ReduceLROnPlateau
    init(_ s: ReduceLROnPlateau) { self.s = s }
    var typeName: String { "ReduceLROnPlateau" }
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "step":
            return .builtin(Builtin(path: "ReduceLROnPlateau.step", signature: Signature("step", [P("metrics"), P("epoch", .none)],
                                                                                        doc: "Records the metric; reduces the rate after patience bad epochs.")) { [s] a in
                s.step(try Convert.double(a[0], what: "metrics", in: "step")); return .none
            })
        case "get_last_lr":
            return .builtin(Builtin(path: "ReduceLROnPlateau.get_last_lr", signature: Signature("get_last_lr", [], doc: "The current learning rates.")) { [s] _ in
                .list(ListBox(s.lastLRs.map { .float($0) }))
            })
        case "best": return .float(s.best)
        case "num_bad_epochs": return .int(s.numBadEpochs)
        case "last_epoch": return .int(s.lastEpoch)
        default: return nil
        }
    }
}
