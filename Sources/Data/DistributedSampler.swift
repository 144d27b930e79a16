import TensorCore

/// `torch.utils.data.distributed.DistributedSampler(dataset, num_replicas,
/// rank, shuffle=True, seed=0, drop_last=False)`: this replica's share of the
/// data set. Each epoch the indices are `torch.randperm(len, generator=g)` with
/// `g` seeded `seed + epoch` (the same on every replica), padded by repeating
/// from the start (or cut, with `drop_last`) to a multiple of `num_replicas`;
/// replica `rank` takes every `num_replicas`-th index from position `rank`.
/// `set_epoch` changes the order between epochs, as in PyTorch.
public final class DistributedSampler: Sampler {
    public let dataset: Dataset
    public let numReplicas: Int
    public let rank: Int
    public let shuffle: Bool
    public let seed: Int
    public let dropLast: Bool
    public var epoch = 0

    public init(_ dataset: Dataset, numReplicas: Int, rank: Int, shuffle: Bool = true, seed: Int = 0,
                dropLast: Bool = false) throws {
        guard numReplicas >= 1 else {
            throw DataError.value("num_replicas should be a positive integer value, but got num_replicas=\(numReplicas)")
        }
        guard rank >= 0 && rank < numReplicas else {
            throw DataError.value("Invalid rank \(rank), rank should be in the interval [0, \(numReplicas - 1)]")
        }
        self.dataset = dataset; self.numReplicas = numReplicas; self.rank = rank
        self.shuffle = shuffle; self.seed = seed; self.dropLast = dropLast
    }

    /// `num_samples`: ceil(len / replicas), or with `drop_last` and a remainder, ceil((len - replicas) / replicas).
    public func numSamples() throws -> Int {
        let n = try dataset.count()
        if dropLast && n % numReplicas != 0 {
            return Int((Double(n - numReplicas) / Double(numReplicas)).rounded(.up))
        }
        return n / numReplicas + (n % numReplicas == 0 ? 0 : 1)
    }

    public func totalSize() throws -> Int { try numSamples() * numReplicas }

    public func count() throws -> Int { try numSamples() }

    public func indices() throws -> [Int] {
        let n = try dataset.count()
        let total = try totalSize()
        // PyTorch pads by repeating the indices; past every index's own size this is a replica count gone wrong.
        guard total <= max(n, 1) * 2 || total <= 1 << 24 else {
            throw DataError.value("DistributedSampler: num_replicas=\(numReplicas) pads \(n) indices to \(total)")
        }
        var idx = shuffle ? try Shuffle.randperm(n, generator: Shuffle.generator(seed: seed &+ epoch)) : Array(0..<n)
        if !dropLast {
            let padding = total - idx.count
            if padding > 0 && !idx.isEmpty {
                var extra: [Int] = []
                while extra.count < padding { extra += idx }
                idx += extra.prefix(padding)
            }
        } else {
            idx = Array(idx.prefix(max(0, total)))
        }
        return stride(from: rank, to: min(total, idx.count), by: numReplicas).map { idx[$0] }
    }
}
