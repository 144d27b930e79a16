import TensorCore
import Data

/// `TensorDataset`, `Subset`, `ConcatDataset` and the vision data sets as
/// values: `len(ds)`, `ds[i]`, and their attributes.
final class DatasetObject: HostObject, HostIterable {
    let dataset: Dataset
    init(_ d: Dataset) { dataset = d }

    var typeName: String {
        switch dataset {
        case is TensorDataset: return "TensorDataset"
        case is Subset: return "Subset"
        case is ConcatDataset: return "ConcatDataset"
        case let m as MNISTDataset: return m.kind.rawValue
        default: return "Dataset"
        }
    }

    func repr() -> String {
        if let m = dataset as? MNISTDataset { return m.repr }
        return "<torch.utils.data.dataset.\(typeName) object>"
    }

    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch (dataset, name) {
        case (let d as TensorDataset, "tensors"): return .tuple(d.tensors.map { .tensor($0) })
        case (let d as Subset, "dataset"): return DataValues.datasetValue(d.dataset)
        case (let d as Subset, "indices"): return .list(ListBox(d.indices.map { .int($0) }))
        case (let d as ConcatDataset, "datasets"): return .list(ListBox(d.datasets.map(DataValues.datasetValue)))
        default: return try VisionValues.attribute(dataset, name, interp)
        }
    }

    func setAttribute(_ name: String, _ value: Value, _ interp: Interpreter) throws -> Bool {
        try VisionValues.setAttribute(dataset, name, value, interp)
    }

    func makeIterator() throws -> IteratorBox {
        let d = dataset
        var i = 0
        let n = try d.count()
        return IteratorBox(typeName: "iterator") {
            guard i < n else { return nil }
            defer { i += 1 }
            return DataValues.value(try d.item(i))
        }
    }
}

/// The samplers as values: iterable, `len()`.
final class SamplerObject: HostObject, HostIterable {
    let sampler: Sampler?
    let batchSampler: BatchSampling?
    let name: String
    init(sampler: Sampler, name: String) { self.sampler = sampler; batchSampler = nil; self.name = name }
    init(batchSampler: BatchSampling) { sampler = nil; self.batchSampler = batchSampler; name = "BatchSampler" }
    var typeName: String { name }
    func repr() -> String { "<torch.utils.data.sampler.\(name) object>" }

    func count() throws -> Int { try sampler?.count() ?? batchSampler?.count() ?? 0 }

    func makeIterator() throws -> IteratorBox {
        if let s = sampler { return .over(try s.indices().map { .int($0) }, typeName: "generator") }
        let batches = try batchSampler?.batches() ?? []
        return .over(batches.map { .list(ListBox($0.map { .int($0) })) }, typeName: "generator")
    }

    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch (sampler, batchSampler, name) {
        case (_, let b as BatchSampler, "batch_size"): return .int(b.batchSize)
        case (_, let b as BatchSampler, "drop_last"): return .bool(b.dropLast)
        case (_, let b as BatchSampler, "sampler"): return .object(SamplerObject(sampler: b.sampler, name: samplerName(b.sampler)))
        case (let s as RandomSampler, _, "replacement"): return .bool(s.replacement)
        case (let s as RandomSampler, _, "num_samples"): return .int(try s.numSamples())
        case (let s as RandomSampler, _, "data_source"): return DataValues.datasetValue(s.dataset)
        case (let s as SequentialSampler, _, "data_source"): return DataValues.datasetValue(s.dataset)
        case (let s as DistributedSampler, _, _): return distributedAttribute(s, name)
        default: return nil
        }
    }
}

extension SamplerObject {
    /// `DistributedSampler`'s attributes and `set_epoch`.
    func distributedAttribute(_ s: DistributedSampler, _ name: String) -> Value? {
        switch name {
        case "dataset": return DataValues.datasetValue(s.dataset)
        case "num_replicas": return .int(s.numReplicas)
        case "rank": return .int(s.rank)
        case "shuffle": return .bool(s.shuffle)
        case "seed": return .int(s.seed)
        case "drop_last": return .bool(s.dropLast)
        case "epoch": return .int(s.epoch)
        case "num_samples": return (try? s.numSamples()).map { .int($0) }
        case "total_size": return (try? s.totalSize()).map { .int($0) }
        case "set_epoch":
            let sig = Signature("set_epoch", [P("epoch")], doc: "Sets the epoch, which seeds the next shuffle (seed + epoch).")
            return .builtin(Builtin(path: "DistributedSampler.set_epoch", signature: sig) { a in
                s.epoch = try Convert.int(a[0], what: "epoch", in: "set_epoch")
                return .none
            })
        default: return nil
        }
    }
}

func samplerName(_ s: Sampler) -> String {
    switch s {
    case is RandomSampler: return "RandomSampler"
    case is SequentialSampler: return "SequentialSampler"
    case is SubsetRandomSampler: return "SubsetRandomSampler"
    case is DistributedSampler: return "DistributedSampler"
    default: return "Sampler"
    }
}

/// `DataLoader`: `len(loader)`, `for batch in loader` (a new epoch each time), attributes.
final class LoaderObject: HostObject, HostIterable {
    let loader: DataLoader
    let datasetValue: Value
    let generatorValue: Value
    let samplerValue: Value
    let batchSamplerValue: Value
    let collateValue: Value
    let numWorkers: Int
    let pinMemory: Bool

    init(loader: DataLoader, dataset: Value, generator: Value, sampler: Value, batchSampler: Value,
         collate: Value, numWorkers: Int, pinMemory: Bool) {
        self.loader = loader; datasetValue = dataset; generatorValue = generator
        samplerValue = sampler; batchSamplerValue = batchSampler; collateValue = collate
        self.numWorkers = numWorkers; self.pinMemory = pinMemory
    }

    var typeName: String { "DataLoader" }
    func repr() -> String { "<torch.utils.data.dataloader.DataLoader object>" }

    func makeIterator() throws -> IteratorBox {
        let epoch = try loader.epoch()
        return IteratorBox(typeName: "_SingleProcessDataLoaderIter") {
            guard let batch = try epoch.next() else { return nil }
            return DataValues.value(batch)
        }
    }

    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "dataset": return datasetValue
        case "batch_size": return loader.batchSize.map { .int($0) } ?? Value.none
        case "drop_last": return .bool(loader.dropLast)
        case "generator": return generatorValue
        case "num_workers": return .int(numWorkers)
        case "pin_memory": return .bool(pinMemory)
        case "collate_fn": return collateValue
        case "sampler":
            if case .none = samplerValue { return .object(SamplerObject(sampler: loader.sampler, name: samplerName(loader.sampler))) }
            return samplerValue
        case "batch_sampler":
            if case .none = batchSamplerValue, let b = loader.batchSampler { return .object(SamplerObject(batchSampler: b)) }
            return batchSamplerValue
        default: return nil
        }
    }
}

/// Host objects that iterate lazily (a DataLoader yields one batch at a time).
protocol HostIterable {
    func makeIterator() throws -> IteratorBox
}
