import Foundation
import TensorCore
import NN
import Data

/// `torch.distributed` in one process (`import torch.distributed as dist`):
/// `init_process_group` (any backend; a world of one, rank 0),
/// `is_available`, `is_initialized`, `get_rank`, `get_world_size`,
/// `get_backend`, `barrier`, `all_reduce`, `broadcast`, `all_gather` (each the
/// identity at world size 1), `destroy_process_group`, `ReduceOp`;
/// `nn.parallel.DistributedDataParallel` and `DistributedSampler`.
/// `RANK`, `WORLD_SIZE` and `LOCAL_RANK` are read from the environment as
/// PyTorch reads them: a launcher asking for more than one process gets an
/// error that says to run the exported script under `torchrun`.
enum DistributedBindings {
    /// The default process group's backend while one is initialized (PyTorch's is process-wide too).
    nonisolated(unsafe) static var backend: String?

    static let notInitialized = "Default process group has not been initialized, please make sure to call init_process_group."

    static func requireGroup() throws {
        guard backend != nil else { throw valueError(notInitialized) }
    }

    static func install(_ r: Registry) {
        r.namespace("torch.distributed")
        func fn(_ name: String, _ params: [Param], keywordOnly: [Param] = [], doc: String,
                body: @escaping (BoundArgs) throws -> Value) {
            r.register(path: "torch.distributed." + name,
                       signature: Signature(name, params, keywordOnly: keywordOnly, doc: doc), body: body)
        }
        fn("is_available", [], doc: "True: torch.distributed is available.") { _ in .bool(true) }
        fn("is_initialized", [], doc: "Whether init_process_group has been called (and not destroyed).") { _ in
            .bool(backend != nil)
        }
        fn("init_process_group", [P("backend", .none), P("init_method", .none), P("timeout", .none),
                                  P("world_size", .int(-1)), P("rank", .int(-1)), P("store", .none),
                                  P("group_name", .str("")), P("pg_options", .none), P("device_id", .none)],
           doc: "Starts the default process group. Tensorpad runs one process: world size 1, rank 0 (RANK/WORLD_SIZE from the environment must agree).") { a in
            guard backend == nil else { throw valueError("trying to initialize the default process group twice!") }
            let name = a[0].isNone ? "gloo" : try Convert.string(a[0], what: "backend", in: "init_process_group")
            let world = try a.int(3) == -1 ? try environment("WORLD_SIZE") ?? 1 : try a.int(3)
            let rank = try a.int(4) == -1 ? try environment("RANK") ?? 0 : try a.int(4)
            let local = try environment("LOCAL_RANK") ?? 0
            guard world == 1 && rank == 0 && local == 0 else {
                throw LangError(.RuntimeError, "Tensorpad runs one process, but this process group asks for world_size=\(world), rank=\(rank); run the exported script (tensorpad export NB --to pytorch DIR) under torchrun --nproc_per_node \(max(world, 2)) for several processes")
            }
            backend = name.lowercased()
            return .none
        }
        fn("destroy_process_group", [P("group", .none)], doc: "Ends the default process group.") { _ in
            try requireGroup()
            backend = nil
            return .none
        }
        fn("get_rank", [P("group", .none)], doc: "This process's rank: 0.") { _ in try requireGroup(); return .int(0) }
        fn("get_world_size", [P("group", .none)], doc: "The number of processes: 1.") { _ in try requireGroup(); return .int(1) }
        fn("get_backend", [P("group", .none)], doc: "The backend given to init_process_group (gloo by default).") { _ in
            try requireGroup()
            return .str(backend ?? "gloo")
        }
        fn("barrier", [P("group", .none), P("async_op", .bool(false)), P("device_ids", .none)],
           doc: "Waits for every process: with one process, returns at once.") { a in
            try requireGroup()
            return TV.bool(a[1]) ? .object(WorkObject()) : .none
        }
        fn("all_reduce", [P("tensor"), P("op", .none), P("group", .none), P("async_op", .bool(false))],
           doc: "Reduces the tensor across processes in place: with one process it is unchanged.") { a in
            try requireGroup()
            _ = try TV.tensor(a[0], "tensor", in: "all_reduce")
            try reduceOp(a[1], in: "all_reduce")
            return TV.bool(a[3]) ? .object(WorkObject()) : .none
        }
        fn("broadcast", [P("tensor"), P("src", .none), P("group", .none), P("async_op", .bool(false))],
           doc: "Sends the tensor from rank src to every process: with one process, src must be 0.") { a in
            try requireGroup()
            _ = try TV.tensor(a[0], "tensor", in: "broadcast")
            if let src = try TV.optionalInt(a[1], "src", in: "broadcast"), src != 0 {
                throw valueError("Invalid rank \(src), rank should be in the interval [0, 0]")
            }
            return TV.bool(a[3]) ? .object(WorkObject()) : .none
        }
        fn("all_gather", [P("tensor_list"), P("tensor"), P("group", .none), P("async_op", .bool(false))],
           doc: "Gathers every process's tensor into tensor_list: with one process, tensor_list[0] gets a copy.") { a in
            try requireGroup()
            let t = try TV.tensor(a[1], "tensor", in: "all_gather")
            guard case .list(let l) = a[0], l.items.count == 1, case .tensor(let dst) = l.items[0] else {
                throw valueError("all_gather(): tensor_list must be a list of world_size (1) tensors")
            }
            try GradMode.withoutGrad { _ = try dst.copy_(t) }
            return TV.bool(a[3]) ? .object(WorkObject()) : .none
        }
        let ops = ["SUM", "AVG", "PRODUCT", "MIN", "MAX", "BAND", "BOR", "BXOR", "PREMUL_SUM"]
        r.namespace("torch.distributed.ReduceOp")
        for (i, op) in ops.enumerated() {
            r.register(path: "torch.distributed.ReduceOp." + op, value: .object(ReduceOpValue(name: op, code: i)))
        }
        installParallel(r)
    }

    /// An int from the environment, nil when unset; a bad value raises as PyTorch's int() would.
    static func environment(_ name: String) throws -> Int? {
        guard let s = ProcessInfo.processInfo.environment[name] else { return nil }
        guard let v = Int(s.trimmingCharacters(in: .whitespaces)) else {
            throw valueError("invalid literal for int() with base 10: '\(s)'")
        }
        return v
    }

    static func reduceOp(_ v: Value, in fn: String) throws {
        if v.isNone { return }
        guard case .object(let o) = v, o is ReduceOpValue else {
            throw typeError("\(fn)(): argument 'op' must be a torch.distributed.ReduceOp, not \(v.typeName)")
        }
    }

    static func installParallel(_ r: Registry) {
        r.namespace("torch.nn.parallel")
        r.register(path: "torch.nn.parallel.DistributedDataParallel",
                   signature: Signature("DistributedDataParallel", [P("module"), P("device_ids", .none), P("output_device", .none),
                                                                    P("dim", .int(0)), P("broadcast_buffers", .none)],
                                        kwargs: "options",
                                        doc: "Wraps a model for data-parallel training; in one process the model itself runs (as .module)."),
                   typeName: "DistributedDataParallel") { a in
            let m = try NNLayers.module(a[0], in: "DistributedDataParallel")
            try requireGroup()
            guard m.parameters().contains(where: { $0.requiresGrad }) else {
                throw LangError(.RuntimeError, "DistributedDataParallel is not needed when a module doesn't have any parameter that requires a gradient.")
            }
            return .module(DistributedDataParallel(m))
        }
        let params = [P("dataset"), P("num_replicas", .none), P("rank", .none), P("shuffle", .bool(true)),
                      P("seed", .int(0)), P("drop_last", .bool(false))]
        let doc = "This process's share of a data set, in PyTorch's order (randperm seeded seed + epoch); set_epoch(e) each epoch."
        for path in ["torch.utils.data.distributed.DistributedSampler", "torch.utils.data.DistributedSampler"] {
            r.namespace((path as NSString).deletingPathExtension)
            r.register(path: path, signature: Signature("DistributedSampler", params, doc: doc),
                       typeName: "DistributedSampler") { a in
                let fn = "DistributedSampler"
                let ds = try DataValues.dataset(a[0], a.interpreter, in: fn)
                let replicas: Int, rank: Int
                if let n = try TV.optionalInt(a[1], "num_replicas", in: fn) { replicas = n } else { try requireGroup(); replicas = 1 }
                if let k = try TV.optionalInt(a[2], "rank", in: fn) { rank = k } else { try requireGroup(); rank = 0 }
                let s = try DistributedSampler(ds, numReplicas: replicas, rank: rank, shuffle: TV.bool(a[3]),
                                               seed: try a.int(4), dropLast: TV.bool(a[5]))
                return .object(SamplerObject(sampler: s, name: fn))
            }
        }
    }
}

/// `dist.ReduceOp.SUM` and friends, printed as PyTorch prints them.
final class ReduceOpValue: HostObject {
    let name: String, code: Int
    init(name: String, code: Int) { self.name = name; self.code = code }
    var typeName: String { "RedOpType" }
    func repr() -> String { "<RedOpType.\(name): \(code)>" }
}

/// What `async_op=True` returns: already complete.
final class WorkObject: HostObject {
    var typeName: String { "Work" }
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        guard name == "wait" || name == "is_completed" else { return nil }
        return .builtin(Builtin(path: "Work." + name, signature: Signature(name, [P("timeout", .none)], doc: "True: done.")) { _ in .bool(true) })
    }
}
