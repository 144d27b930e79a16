import TensorCore

/// `torch.utils.data` samplers: each epoch they give the order in which a
/// DataLoader reads the data set's indices.
public protocol Sampler: AnyObject {
    /// The indices of one epoch (drawn anew on every call for random samplers).
    func indices() throws -> [Int]
    /// `len(sampler)`.
    func count() throws -> Int
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
        let n = try dataset.count()
        let total = try numSamples()
        // Unseeded, PyTorch seeds a fresh generator from the global one each epoch.
        let g = try generator ?? Shuffle.generator(seed: Shuffle.seed(generator: nil))
        var out: [Int] = []
        out.reserveCapacity(total)
        if replacement {
            for _ in 0..<(total / 32) { out += try Shuffle.randint(n, count: 32, generator: g) }
            out += try Shuffle.randint(n, count: total % 32, generator: g)
        } else {
            guard n > 0 else { return [] }
            for _ in 0..<(total / n) { out += try Shuffle.randperm(n, generator: g) }
            out += try Shuffle.randperm(n, generator: g).prefix(total % n)
        }
        return out
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
        let idx = try sampler.indices()
        var out: [[Int]] = []
        out.reserveCapacity(idx.count / batchSize + 1)
        var start = 0
        while start < idx.count {
            let end = min(start + batchSize, idx.count)
            if end - start < batchSize && dropLast { break }
            out.append(Array(idx[start..<end]))
            start = end
        }
        return out
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
