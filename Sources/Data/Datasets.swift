import Foundation
import TensorCore

/// A map-style data set (`torch.utils.data.Dataset`): a length and items by index.
/// The language layer adapts a user's class with `__len__`/`__getitem__` to it.
public protocol Dataset: AnyObject {
    /// `len(dataset)`.
    func count() throws -> Int
    /// `dataset[i]` for 0 <= i < count (the caller has wrapped negative indices).
    func item(_ index: Int) throws -> Sample
    /// The default-collated batch of `indices`, when the data set can build it
    /// faster than item by item (same values); nil otherwise.
    func collatedBatch(_ indices: [Int]) throws -> Sample?
}

extension Dataset {
    public func collatedBatch(_ indices: [Int]) throws -> Sample? { nil }

    /// `dataset[i]` with Python's negative indices and PyTorch's IndexError.
    public func item(at index: Int) throws -> Sample {
        let n = try count()
        let i = index < 0 ? index + n : index
        guard i >= 0 && i < n else {
            throw DataError.index("index \(index) is out of bounds for dimension 0 with size \(n)")
        }
        return try item(i)
    }
}

/// `TensorDataset(*tensors)`: item i is the tuple of each tensor's row i.
public final class TensorDataset: Dataset {
    public let tensors: [Tensor]

    public init(_ tensors: [Tensor]) throws {
        if tensors.contains(where: { $0.rank == 0 }) {
            throw DataError.index("tuple index out of range")
        }
        if let first = tensors.first, tensors.contains(where: { $0.shape[0] != first.shape[0] }) {
            throw DataError.assertion("Size mismatch between tensors")
        }
        self.tensors = tensors
    }

    public func count() throws -> Int { tensors.first?.shape[0] ?? 0 }

    public func item(_ index: Int) throws -> Sample {
        .tuple(try tensors.map { .tensor(try $0.select(dim: 0, index: index)) })
    }

    /// Rows gathered straight into each batch tensor (what stacking the items gives).
    public func collatedBatch(_ indices: [Int]) throws -> Sample? {
        .list(try tensors.map { .tensor(try Rows.gather($0, indices)) })
    }
}

/// `Subset(dataset, indices)`.
public final class Subset: Dataset {
    public let dataset: Dataset
    public let indices: [Int]
    public init(_ dataset: Dataset, _ indices: [Int]) {
        self.dataset = dataset; self.indices = indices
    }
    public func count() throws -> Int { indices.count }
    public func item(_ index: Int) throws -> Sample { try dataset.item(at: indices[index]) }
    public func collatedBatch(_ idx: [Int]) throws -> Sample? {
        try dataset.collatedBatch(idx.map { indices[$0] })
    }
}

/// `ConcatDataset(datasets)`: the items of each data set in turn.
public final class ConcatDataset: Dataset {
    public let datasets: [Dataset]
    public init(_ datasets: [Dataset]) throws {
        guard !datasets.isEmpty else { throw DataError.value("datasets should not be an empty iterable") }
        self.datasets = datasets
    }
    public func count() throws -> Int { try datasets.reduce(0) { $0 + (try $1.count()) } }
    public func item(_ index: Int) throws -> Sample {
        var i = index
        for d in datasets {
            let n = try d.count()
            if i < n { return try d.item(i) }
            i -= n
        }
        throw DataError.index("index \(index) is out of range")
    }
}

/// `random_split(dataset, lengths, generator=default_generator)`.
public enum RandomSplit {
    /// Lengths given as fractions that sum to 1 become counts as PyTorch
    /// makes them: floor of each share, the remainder handed out round-robin.
    public static func lengths(fractions: [Double], total: Int) throws -> [Int] {
        var out: [Int] = []
        for (i, f) in fractions.enumerated() {
            guard f >= 0 && f <= 1 else { throw DataError.value("Fraction at index \(i) is not between 0 and 1") }
            out.append(Int((Double(total) * f).rounded(.down)))
        }
        let remainder = total - out.reduce(0, +)
        if !out.isEmpty { for i in 0..<max(remainder, 0) { out[i % out.count] += 1 } }
        return out
    }

    /// True when `values` sum to 1 (within `math.isclose`) and not above it.
    public static func areFractions(_ values: [Double]) -> Bool {
        let s = values.reduce(0, +)
        return Swift.abs(s - 1) <= 1e-9 * Swift.max(Swift.abs(s), 1) && s <= 1
    }

    public static func split(_ dataset: Dataset, lengths: [Int], generator: Generator?) throws -> [Subset] {
        let n = try dataset.count()
        guard lengths.reduce(0, +) == n else {
            throw DataError.value("Sum of input lengths does not equal the length of the input dataset!")
        }
        let perm = try Shuffle.randperm(n, generator: generator)
        var out: [Subset] = []
        var offset = 0
        for len in lengths {
            out.append(Subset(dataset, Array(perm[offset..<(offset + len)])))
            offset += len
        }
        return out
    }
}

/// Row gathers: `t[indices]` along dim 0 as one copy per row.
public enum Rows {
    public static func gather(_ t: Tensor, _ indices: [Int]) throws -> Tensor {
        let src = try t.contiguous()
        let n = src.shape.first ?? 0
        var shape = src.shape
        shape[0] = indices.count
        let out = try Tensor(uninitialized: shape, dtype: src.dtype)
        let rowBytes = src.numel / max(n, 1) * src.dtype.itemSize
        let from = src.storage.raw + src.offset * src.dtype.itemSize
        let to = out.storage.raw
        for (k, index) in indices.enumerated() {
            let i = index < 0 ? index + n : index
            guard i >= 0 && i < n else {
                throw DataError.index("index \(index) is out of bounds for dimension 0 with size \(n)")
            }
            (to + k * rowBytes).copyMemory(from: from + i * rowBytes, byteCount: rowBytes)
        }
        return out
    }
}
