import TensorCore

/// `torch.utils.data.DataLoader` for map-style data sets, in the main
/// process: `num_workers`, `pin_memory` and `persistent_workers` are accepted
/// by the language layer and change nothing.
public final class DataLoader {
    public let dataset: Dataset
    /// nil when `batch_size=None` (no automatic batching).
    public let batchSize: Int?
    public let dropLast: Bool
    public let sampler: Sampler
    /// nil when `batch_size=None`.
    public let batchSampler: BatchSampling?
    public let generator: Generator?
    /// A user's `collate_fn`; nil means `default_collate` (or, without
    /// batching, the item as it is).
    public let collate: (([Sample]) throws -> Sample)?
    let collateSingle: ((Sample) throws -> Sample)?

    /// Checks the arguments as PyTorch's `DataLoader.__init__` does.
    /// `sampler` and `batchSampler` are the user's (nil when not given).
    public init(dataset: Dataset, batchSize: Int?, shuffle: Bool, sampler: Sampler?,
                batchSampler: BatchSampling?, dropLast: Bool, generator: Generator?,
                collate: (([Sample]) throws -> Sample)?, collateSingle: ((Sample) throws -> Sample)? = nil) throws {
        if shuffle && sampler != nil {
            throw DataError.value("sampler option is mutually exclusive with shuffle")
        }
        if batchSampler != nil && (batchSize != 1 || shuffle || sampler != nil || dropLast) {
            throw DataError.value("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last")
        }
        if batchSize == nil && dropLast {
            throw DataError.value("batch_size=None option disables auto-batching and is mutually exclusive with drop_last")
        }
        self.dataset = dataset
        self.generator = generator
        self.collate = collate
        self.collateSingle = collateSingle
        self.sampler = try sampler ?? (shuffle ? RandomSampler(dataset, generator: generator) : SequentialSampler(dataset))
        if let batchSampler {
            self.batchSampler = batchSampler
            self.batchSize = nil
            self.dropLast = false
        } else if let batchSize {
            self.batchSampler = try BatchSampler(self.sampler, batchSize: batchSize, dropLast: dropLast)
            self.batchSize = batchSize
            self.dropLast = dropLast
        } else {
            self.batchSampler = nil
            self.batchSize = nil
            self.dropLast = false
        }
    }

    /// `len(loader)`: batches per epoch (items without batching).
    public func count() throws -> Int {
        if let b = batchSampler { return try b.count() }
        return try sampler.count()
    }

    /// `iter(loader)`: one pass over the data; the order is drawn when the first batch is asked for.
    public func epoch() throws -> Epoch {
        // PyTorch's iterator draws its base seed from the loader's generator first.
        _ = try Shuffle.seed(generator: generator)
        return Epoch(self)
    }

    /// One pass over a DataLoader (`_SingleProcessDataLoaderIter`).
    public final class Epoch {
        let loader: DataLoader
        var batches: (() throws -> [Int]?)?
        var items: IndexStream?

        init(_ loader: DataLoader) { self.loader = loader }

        /// The next batch, or nil at the end of the epoch. The sampler's order is drawn
        /// as it is reached (the first batch draws the first permutation).
        public func next() throws -> Sample? {
            let indices: [Int]
            if let b = loader.batchSampler {
                if batches == nil { batches = try b.batchStream() }
                guard let next = try batches?() else { return nil }
                indices = next
            } else {
                if items == nil { items = try loader.sampler.stream() }
                guard let i = try items?.next() else { return nil }
                indices = [i]
            }
            let ds = loader.dataset
            guard loader.batchSampler != nil else {
                let item = try ds.item(at: indices[0])
                return try loader.collateSingle.map { try $0(item) } ?? item
            }
            if loader.collate == nil, let fast = try ds.collatedBatch(indices) { return fast }
            var items: [Sample] = []
            items.reserveCapacity(indices.count)
            for i in indices { items.append(try ds.item(at: i)) }
            if let c = loader.collate { return try c(items) }
            return try Collate.collate(items)
        }
    }
}
