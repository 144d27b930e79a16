import TensorCore

/// `torch.utils.data` samplers: each epoch they give the order in which a
/// DataLoader reads the data set's indices.
public protocol Sampler: AnyObject {
    /// The indices of one epoch (drawn anew on every call for random samplers).
    func indices() throws -> [Int]
    /// `len(sampler)`.
    func count() throws -> Int
    /// `iter(sampler)` read one index at a time: random samplers draw each chunk of
    /// their order only when it is reached, as PyTorch's generator functions do, so an
    /// epoch left early consumes the random stream as PyTorch's does.
    func stream() throws -> IndexStream
}

extension Sampler {
    public func stream() throws -> IndexStream {
        var all: [Int]?
        return IndexStream(chunks: 1) { _ in
            if all == nil { all = try self.indices() }
            return all ?? []
        }
    }
}

/// The indices of one pass, produced chunk by chunk: chunk k is drawn when the
/// reader first needs an index past chunk k - 1 (the last chunk is drawn even when
/// it is empty, as `yield from randperm(n)[:0]` runs randperm).
public final class IndexStream {
    let chunks: Int
    let draw: (Int) throws -> [Int]
    var buffer: [Int] = []
    var position = 0
    var drawn = 0

    public init(chunks: Int, draw: @escaping (Int) throws -> [Int]) {
        self.chunks = chunks; self.draw = draw
    }

    public func next() throws -> Int? {
        while position == buffer.count {
            guard drawn < chunks else { return nil }
            buffer = try draw(drawn)
            drawn += 1
            position = 0
        }
        position += 1
        return buffer[position - 1]
    }
}

/// `SequentialSampler(data_source)`: 0, 1, ..., len - 1.
public final class SequentialSampler: Sampler {
    public let dataset: Dataset
    public init(_ dataset: Dataset) { self.dataset = dataset }
    public func indices() throws -> [Int] { Array(0..<(try dataset.count())) }
    public func count() throws -> Int { try dataset.count() }
}

/// `RandomSampler(data_source, replacement=False, num_samples=None, generator=None)`.
public final class RandomSampler: Sampler {
    public let dataset: Dataset
    public let replacement: Bool
    let requestedSamples: Int?
    public let generator: Generator?

    public init(_ dataset: Dataset, replacement: Bool = false, numSamples: Int? = nil,
                generator: Generator? = nil) throws {
        self.dataset = dataset
        self.replacement = replacement
        requestedSamples = numSamples
        self.generator = generator
        let n = try self.numSamples()
        guard n > 0 else {
            throw DataError.value("num_samples should be a positive integer value, but got num_samples=\(n)")
        }
    }

    /// `num_samples`: the data set's length unless given.
    public func numSamples() throws -> Int { try requestedSamples ?? dataset.count() }

    public func count() throws -> Int { try numSamples() }

    public func indices() throws -> [Int] {
        let s = try stream()
        var out: [Int] = []
        out.reserveCapacity(try numSamples())
        while let i = try s.next() { out.append(i) }
        return out
    }

    /// PyTorch's `__iter__`: `total / n` permutations then the first `total % n` of one
    /// more (with replacement: chunks of 32 draws then the rest), each drawn when reached.
    /// Unseeded, a fresh generator seeded from the global one, when the pass starts.
    public func stream() throws -> IndexStream {
        let n = try dataset.count()
        let total = try numSamples()
        var g: Generator?
        func gen() throws -> Generator? {
            if g == nil { g = try generator ?? Shuffle.generator(seed: Shuffle.seed(generator: nil)) }
            return g
        }
        if replacement {
            return IndexStream(chunks: total / 32 + 1) { k in
                try Shuffle.randint(n, count: k < total / 32 ? 32 : total % 32, generator: try gen())
            }
        }
        guard n > 0 else { return IndexStream(chunks: 0) { _ in [] } }
        return IndexStream(chunks: total / n + 1) { k in
            let perm = try Shuffle.randperm(n, generator: try gen())
            return k < total / n ? perm : Array(perm.prefix(total % n))
        }
    }
}

/// `SubsetRandomSampler(indices, generator=None)`: the given indices in random order.
public final class SubsetRandomSampler: Sampler {
    public let subset: [Int]
    public let generator: Generator?
    public init(_ indices: [Int], generator: Generator? = nil) {
        subset = indices; self.generator = generator
    }
    public func count() throws -> Int { subset.count }
    public func indices() throws -> [Int] {
        try Shuffle.randperm(subset.count, generator: generator).map { subset[$0] }
    }
}

/// A sampler given as any sequence of indices (a list, or a user's sampler
/// read by the language layer through `indicesOf`).
public final class FunctionSampler: Sampler {
    let read: () throws -> [Int]
    let length: () throws -> Int
    public init(indices: @escaping () throws -> [Int], count: @escaping () throws -> Int) {
        read = indices; length = count
    }
    public func indices() throws -> [Int] { try read() }
    public func count() throws -> Int { try length() }
}

/// Something that yields the batches of indices of an epoch: `BatchSampler`
/// or a user's batch sampler.
public protocol BatchSampling: AnyObject {
    func batches() throws -> [[Int]]
    func count() throws -> Int
    /// The batches one at a time (drawn as they are reached).
    func batchStream() throws -> () throws -> [Int]?
}

extension BatchSampling {
    public func batchStream() throws -> () throws -> [Int]? {
        var all: [[Int]]?
        var k = 0
        return {
            if all == nil { all = try self.batches() }
            guard let all, k < all.count else { return nil }
            k += 1
            return all[k - 1]
        }
    }
}

/// `BatchSampler(sampler, batch_size, drop_last)`.
public final class BatchSampler: BatchSampling {
    public let sampler: Sampler
    public let batchSize: Int
    public let dropLast: Bool

    public init(_ sampler: Sampler, batchSize: Int, dropLast: Bool) throws {
        guard batchSize > 0 else {
            throw DataError.value("batch_size should be a positive integer value, but got batch_size=\(batchSize)")
        }
        self.sampler = sampler; self.batchSize = batchSize; self.dropLast = dropLast
    }

    public func batches() throws -> [[Int]] {
        let s = try batchStream()
        var out: [[Int]] = []
        while let b = try s() { out.append(b) }
        return out
    }

    /// PyTorch's `__iter__`: each batch takes up to batch_size indices from the
    /// sampler's stream; a short last batch is kept unless drop_last.
    public func batchStream() throws -> () throws -> [Int]? {
        let s = try sampler.stream()
        let size = batchSize, dropLast = dropLast
        return {
            var batch: [Int] = []
            batch.reserveCapacity(size)
            while batch.count < size, let i = try s.next() { batch.append(i) }
            if batch.isEmpty || (batch.count < size && dropLast) { return nil }
            return batch
        }
    }

    public func count() throws -> Int {
        let n = try sampler.count()
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize
    }
}

/// A user's batch sampler read by the language layer.
public final class FunctionBatchSampler: BatchSampling {
    let read: () throws -> [[Int]]
    let length: () throws -> Int
    public init(batches: @escaping () throws -> [[Int]], count: @escaping () throws -> Int) {
        read = batches; length = count
    }
    public func batches() throws -> [[Int]] { try read() }
    public func count() throws -> Int { try length() }
}
