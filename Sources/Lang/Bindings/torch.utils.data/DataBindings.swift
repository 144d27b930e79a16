import TensorCore
import Data

/// `torch.utils.data` (also as `from torch.utils import data`) and
/// `torch.Generator`: Dataset (a class to derive from), TensorDataset,
/// Subset, ConcatDataset, random_split, the samplers, DataLoader and
/// default_collate. The pipeline itself is the `Data` module's.
enum DataBindings {
    /// `class MyData(Dataset):` derives from this.
    nonisolated(unsafe) static let datasetBase = ClassValue(name: "Dataset", bases: [], attributes: [:])

    static func install(_ r: Registry) {
        r.namespace("torch.utils.data")
        r.register(path: "torch.utils.data.Dataset", value: .classValue(datasetBase))
        func fn(_ name: String, _ params: [Param], varargs: String? = nil, keywordOnly: [Param] = [],
                type: Bool = true, doc: String, body: @escaping (BoundArgs) throws -> Value) {
            r.register(path: "torch.utils.data." + name,
                       signature: Signature(name, params, varargs: varargs, keywordOnly: keywordOnly, doc: doc),
                       typeName: type ? name : nil, body: body)
        }
        func dataset(_ a: BoundArgs, _ i: Int) throws -> Dataset {
            try DataValues.dataset(a[i], a.interpreter, in: a.signature.name)
        }

        fn("TensorDataset", [], varargs: "tensors", doc: "Item i is the tuple of each tensor's row i.") { a in
            let ts = try a.varargs.map { try TV.tensor($0, "tensors", in: "TensorDataset") }
            return .object(DatasetObject(try TensorDataset(ts)))
        }
        fn("Subset", [P("dataset"), P("indices")], doc: "The items of a data set at the given indices.") { a in
            .object(DatasetObject(Subset(try dataset(a, 0), try DataValues.ints(a[1], a.interpreter, "indices"))))
        }
        fn("ConcatDataset", [P("datasets")], doc: "The items of several data sets in turn.") { a in
            let parts = try a.interpreter.toArray(a[0]).map { try DataValues.dataset($0, a.interpreter, in: "ConcatDataset") }
            return .object(DatasetObject(try ConcatDataset(parts)))
        }
        fn("random_split", [P("dataset"), P("lengths"), P("generator", .none)], type: false,
           doc: "Splits a data set into non-overlapping Subsets of the given lengths (ints, or fractions summing to 1).") { a in
            let ds = try dataset(a, 0)
            let given = try a.interpreter.toArray(a[1])
            let asDoubles = try given.map { try Convert.double($0, what: "lengths", in: "random_split") }
            // PyTorch: lengths summing to 1 (math.isclose) are fractions, otherwise counts.
            let lengths = RandomSplit.areFractions(asDoubles)
                ? try RandomSplit.lengths(fractions: asDoubles, total: try ds.count())
                : try given.map { try Convert.int($0, what: "lengths", in: "random_split") }
            let parts = try RandomSplit.split(ds, lengths: lengths, generator: try DataValues.generator(a[2], in: "random_split"))
            return .list(ListBox(parts.map { .object(DatasetObject($0)) }))
        }
        fn("SequentialSampler", [P("data_source")], doc: "Indices 0, 1, ..., len - 1.") { a in
            .object(SamplerObject(sampler: SequentialSampler(try dataset(a, 0)), name: "SequentialSampler"))
        }
        fn("RandomSampler", [P("data_source"), P("replacement", .bool(false)), P("num_samples", .none), P("generator", .none)],
           doc: "Indices in random order (a new order each epoch).") { a in
            guard case .bool(let replacement) = a[1] else {
                throw typeError("replacement should be a boolean value, but got replacement=\(a.interpreter.repr(a[1]))")
            }
            let s = try RandomSampler(try dataset(a, 0), replacement: replacement,
                                      numSamples: try TV.optionalInt(a[2], "num_samples", in: "RandomSampler"),
                                      generator: try DataValues.generator(a[3], in: "RandomSampler"))
            return .object(SamplerObject(sampler: s, name: "RandomSampler"))
        }
        fn("SubsetRandomSampler", [P("indices"), P("generator", .none)], doc: "The given indices in random order.") { a in
            let s = SubsetRandomSampler(try DataValues.ints(a[0], a.interpreter, "indices"),
                                        generator: try DataValues.generator(a[1], in: "SubsetRandomSampler"))
            return .object(SamplerObject(sampler: s, name: "SubsetRandomSampler"))
        }
        fn("BatchSampler", [P("sampler"), P("batch_size"), P("drop_last")], doc: "Groups a sampler's indices into lists of batch_size.") { a in
            guard case .int(let bs) = a[1] else {
                throw valueError("batch_size should be a positive integer value, but got batch_size=\(a.interpreter.repr(a[1]))")
            }
            guard case .bool(let drop) = a[2] else {
                throw valueError("drop_last should be a boolean value, but got drop_last=\(a.interpreter.repr(a[2]))")
            }
            return .object(SamplerObject(batchSampler: try BatchSampler(try sampler(a[0], a.interpreter), batchSize: bs, dropLast: drop)))
        }
        fn("default_collate", [P("batch")], type: false, doc: "Stacks a list of items into a batch as DataLoader does.") { a in
            DataValues.value(try Collate.collate(try a.interpreter.toArray(a[0]).map(DataValues.sample)))
        }
        installLoader(r)
        installHooks(r)
    }

    /// A sampler argument: one of ours, or any iterable of indices (with `len`).
    static func sampler(_ v: Value, _ interp: Interpreter) throws -> Sampler {
        if case .object(let o as SamplerObject) = v, let s = o.sampler { return s }
        return FunctionSampler(indices: { try DataValues.ints(v, interp, "sampler") }, count: { try interp.length(v) })
    }

    static func installLoader(_ r: Registry) {
        let params = [P("dataset"), P("batch_size", .int(1)), P("shuffle", .none), P("sampler", .none),
                      P("batch_sampler", .none), P("num_workers", .int(0)), P("collate_fn", .none),
                      P("pin_memory", .bool(false)), P("drop_last", .bool(false)), P("timeout", .int(0)),
                      P("worker_init_fn", .none), P("multiprocessing_context", .none), P("generator", .none)]
        let kw = [P("prefetch_factor", .none), P("persistent_workers", .bool(false)), P("pin_memory_device", .str("")),
                  P("in_order", .bool(true))]
        r.register(path: "torch.utils.data.DataLoader",
                   signature: Signature("DataLoader", params, keywordOnly: kw,
                                        doc: "Batches of a data set: for x, y in DataLoader(ds, batch_size=64, shuffle=True). Runs in this process (num_workers is accepted)."),
                   typeName: "DataLoader") { a in
            let interp = a.interpreter
            let fn = "DataLoader"
            let ds = try DataValues.dataset(a[0], interp, in: fn)
            let batchSize = try TV.optionalInt(a[1], "batch_size", in: fn)
            if let b = batchSize, b <= 0 {
                throw valueError("batch_size should be a positive integer value, but got batch_size=\(b)")
            }
            let workers = try Convert.int(a[5], what: "num_workers", in: fn)
            if workers < 0 {
                throw valueError("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.")
            }
            if workers == 0 && !a[13].isNone {
                throw valueError("prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.")
            }
            if workers == 0 && TV.bool(a[14]) {
                throw valueError("persistent_workers option needs num_workers > 0")
            }
            var batchSampler: BatchSampling?
            if !a[4].isNone {
                let v = a[4]
                if case .object(let o as SamplerObject) = v, let b = o.batchSampler { batchSampler = b } else {
                    batchSampler = FunctionBatchSampler(batches: {
                        try interp.toArray(v).map { try DataValues.ints($0, interp, "batch_sampler") }
                    }, count: { try interp.length(v) })
                }
            }
            let collate: (([Sample]) throws -> Sample)?
            let single: ((Sample) throws -> Sample)?
            if a[6].isNone { collate = nil; single = nil } else {
                let f = a[6]
                collate = { items in
                    DataValues.sample(try interp.call(f, [.list(ListBox(items.map(DataValues.value)))]))
                }
                single = { item in DataValues.sample(try interp.call(f, [DataValues.value(item)])) }
            }
            let loader = try DataLoader(dataset: ds, batchSize: batchSize, shuffle: TV.bool(a[2]),
                                        sampler: a[3].isNone ? nil : try sampler(a[3], interp),
                                        batchSampler: batchSampler, dropLast: TV.bool(a[8]),
                                        generator: try DataValues.generator(a[12], in: fn),
                                        collate: collate, collateSingle: single)
            return .object(LoaderObject(loader: loader, dataset: a[0], generator: a[12], sampler: a[3],
                                        batchSampler: a[4], collate: a[6], numWorkers: workers, pinMemory: TV.bool(a[7])))
        }
    }

    static func installHooks(_ r: Registry) {
        let h = r.hooks
        h.length = TensorHooks.chainLen(h.length) { v in
            switch v {
            case .object(let o as DatasetObject): return try o.dataset.count()
            case .object(let o as SamplerObject): return try o.count()
            case .object(let o as LoaderObject): return try o.loader.count()
            default: return nil
            }
        }
        h.getItem = TensorHooks.chain2(h.getItem) { v, k in
            guard case .object(let o as DatasetObject) = v else { return nil }
            let i: Int
            switch k {
            case .int(let x): i = x
            case .bool(let b): i = b ? 1 : 0
            case .tensor(let t) where t.numel == 1 && !t.dtype.isFloatingPoint: i = Int(t.toInt64s()[0])
            default: throw typeError("\(o.typeName) indices must be integers, not \(k.typeName)")
            }
            return DataValues.value(try o.dataset.item(at: i))
        }
        h.iterate = TensorHooks.chainIter(h.iterate) { v in
            guard case .object(let o) = v, let it = o as? HostIterable else { return nil }
            let box = try it.makeIterator()
            var out: [Value] = []
            while let x = try box.next() { out.append(x) }
            return out
        }
    }
}
