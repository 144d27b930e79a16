import XCTest
import TensorCore
import TestSupport
@testable import Data

/// DataLoader batches, samplers, default_collate and random_split.
final class LoaderTests: XCTestCase {
    func rows(_ n: Int) throws -> TensorDataset {
        try TensorDataset([try Tensor((0..<(2 * n)).map { Float($0) }, shape: [n, 2]),
                           try Tensor(ints: (0..<n).map { Int64($0) }, shape: [n])])
    }

    func batches(_ l: DataLoader) throws -> [[Int64]] {
        let e = try l.epoch()
        var out: [[Int64]] = []
        while let b = try e.next() {
            guard case .list(let parts) = b else { XCTFail("batch \(b)"); return [] }
            out.append(try tensor(parts[1]).toInt64s())
        }
        return out
    }

    func testSequentialBatchesAndDropLast() throws {
        let ds = try rows(10)
        let l = try DataLoader(dataset: ds, batchSize: 4, shuffle: false, sampler: nil, batchSampler: nil,
                               dropLast: false, generator: nil, collate: nil)
        XCTAssertEqual(try l.count(), 3)
        XCTAssertEqual(try batches(l), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        XCTAssertEqual(try batches(l), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]], "a second epoch")
        let d = try DataLoader(dataset: ds, batchSize: 4, shuffle: false, sampler: nil, batchSampler: nil,
                               dropLast: true, generator: nil, collate: nil)
        XCTAssertEqual(try d.count(), 2)
        XCTAssertEqual(try batches(d), [[0, 1, 2, 3], [4, 5, 6, 7]])
        let e = try d.epoch()
        guard case .list(let first)? = try e.next() else { return XCTFail() }
        XCTAssertEqual(try tensor(first[0]).toFloats(), [0, 1, 2, 3, 4, 5, 6, 7])
        XCTAssertEqual(try tensor(first[0]).shape, [4, 2])
    }

    func testShuffleDrawsANewPermutationEachEpochFromTheGenerator() throws {
        let ds = try rows(50)
        func loader(_ seed: Int) throws -> DataLoader {
            try DataLoader(dataset: ds, batchSize: 8, shuffle: true, sampler: nil, batchSampler: nil,
                           dropLast: false, generator: Shuffle.generator(seed: seed), collate: nil)
        }
        let l = try loader(42)
        let a = try batches(l).flatMap { $0 }, b = try batches(l).flatMap { $0 }
        XCTAssertEqual(a.sorted(), (0..<50).map { Int64($0) })
        XCTAssertNotEqual(a, b, "each epoch is shuffled anew")
        XCTAssertEqual(try batches(try loader(42)).flatMap { $0 }, a, "same seed, same order")
        XCTAssertNotEqual(try batches(try loader(7)).flatMap { $0 }, a)
        XCTAssertEqual(try batches(l).map(\.count), [8, 8, 8, 8, 8, 8, 2])
    }

    func testArgumentChecksInPyTorchsWords() throws {
        let ds = try rows(4)
        let s = SequentialSampler(ds)
        XCTAssertThrowsError(try DataLoader(dataset: ds, batchSize: 1, shuffle: true, sampler: s, batchSampler: nil,
                                            dropLast: false, generator: nil, collate: nil)) { e in
            XCTAssertEqual(e as? DataError, .value("sampler option is mutually exclusive with shuffle"))
        }
        XCTAssertThrowsError(try DataLoader(dataset: ds, batchSize: 2, shuffle: false, sampler: nil,
                                            batchSampler: try BatchSampler(s, batchSize: 2, dropLast: false),
                                            dropLast: false, generator: nil, collate: nil)) { e in
            XCTAssertEqual(e as? DataError, .value("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last"))
        }
        XCTAssertThrowsError(try DataLoader(dataset: ds, batchSize: nil, shuffle: false, sampler: nil, batchSampler: nil,
                                            dropLast: true, generator: nil, collate: nil)) { e in
            XCTAssertEqual(e as? DataError, .value("batch_size=None option disables auto-batching and is mutually exclusive with drop_last"))
        }
        XCTAssertThrowsError(try BatchSampler(s, batchSize: 0, dropLast: false)) { e in
            XCTAssertEqual(e as? DataError, .value("batch_size should be a positive integer value, but got batch_size=0"))
        }
    }

    func testBatchSamplerAndRandomSampler() throws {
        let ds = try rows(7)
        let b = try BatchSampler(SequentialSampler(ds), batchSize: 3, dropLast: false)
        XCTAssertEqual(try b.batches(), [[0, 1, 2], [3, 4, 5], [6]])
        XCTAssertEqual(try b.count(), 3)
        XCTAssertEqual(try BatchSampler(SequentialSampler(ds), batchSize: 3, dropLast: true).count(), 2)
        let r = try RandomSampler(ds, replacement: false, numSamples: 10, generator: Shuffle.generator(seed: 1))
        let idx = try r.indices()
        XCTAssertEqual(idx.count, 10)
        XCTAssertEqual(idx.prefix(7).sorted(), Array(0..<7), "a full permutation first, then part of another")
        let w = try RandomSampler(ds, replacement: true, numSamples: 40, generator: Shuffle.generator(seed: 1))
        XCTAssertEqual(try w.indices().count, 40)
        XCTAssertTrue(try w.indices().allSatisfy { (0..<7).contains($0) })
        XCTAssertThrowsError(try RandomSampler(ds, numSamples: 0)) { e in
            XCTAssertEqual(e as? DataError, .value("num_samples should be a positive integer value, but got num_samples=0"))
        }
    }

    func testDefaultCollateStructure() throws {
        let t = Tensor.scalar(1.5)
        let item = Sample.dict([(.string("x"), .tensor(try Tensor([1, 2], shape: [2]))),
                                (.string("y"), .tuple([.int(3), .string("a")])), (.string("t"), .tensor(t))])
        let batch = try Collate.collate([item, item, item])
        guard case .dict(let d) = batch else { return XCTFail("\(batch)") }
        XCTAssertEqual(try tensor(d[0].value).shape, [3, 2])
        guard case .list(let y) = d[1].value, case .list(let strs) = y[1] else { return XCTFail("\(d[1].value)") }
        XCTAssertEqual(try tensor(y[0]).toInt64s(), [3, 3, 3]); XCTAssertEqual(try tensor(y[0]).dtype, .int64)
        XCTAssertEqual(strs.count, 3)
        XCTAssertEqual(try tensor(d[2].value).shape, [3])
        XCTAssertThrowsError(try Collate.collate([.none, .none])) { e in
            XCTAssertEqual(e as? DataError, .type("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found <class 'NoneType'>"))
        }
        XCTAssertThrowsError(try Collate.collate([.list([.int(1)]), .list([.int(1), .int(2)])])) { e in
            XCTAssertEqual(e as? DataError, .runtime("each element in list of batch should be of equal size"))
        }
        XCTAssertThrowsError(try Collate.collate([.tensor(try Tensor([1], shape: [1])), .tensor(try Tensor([1, 2], shape: [2]))])) { e in
            XCTAssertEqual(e as? TensorError, .shape("stack expects each tensor to be equal size, but got [1] at entry 0 and [2] at entry 1"))
        }
    }

    func testRandomSplitLengths() throws {
        XCTAssertEqual(try RandomSplit.lengths(fractions: [0.7, 0.3], total: 10), [7, 3])
        XCTAssertEqual(try RandomSplit.lengths(fractions: [0.3, 0.3, 0.4], total: 11), [4, 3, 4], "torch gives [4, 3, 4]")
        XCTAssertTrue(RandomSplit.areFractions([0.1, 0.2, 0.7]))
        XCTAssertFalse(RandomSplit.areFractions([3, 7]))
        let ds = try rows(10)
        let parts = try RandomSplit.split(ds, lengths: [7, 3], generator: Shuffle.generator(seed: 0))
        XCTAssertEqual(parts.map { $0.indices.count }, [7, 3])
        XCTAssertEqual((parts[0].indices + parts[1].indices).sorted(), Array(0..<10))
        XCTAssertThrowsError(try RandomSplit.split(ds, lengths: [7, 4], generator: nil)) { e in
            XCTAssertEqual(e as? DataError, .value("Sum of input lengths does not equal the length of the input dataset!"))
        }
        // A Subset's batch comes from the parent's rows in the subset's order.
        let l = try DataLoader(dataset: parts[1], batchSize: 3, shuffle: false, sampler: nil, batchSampler: nil,
                               dropLast: false, generator: nil, collate: nil)
        XCTAssertEqual(try batches(l), [parts[1].indices.map { Int64($0) }])
    }

    func testRandperm() throws {
        let g = Shuffle.generator(seed: 5)
        let p = try Shuffle.randperm(1000, generator: g)
        XCTAssertEqual(p.sorted(), Array(0..<1000))
        XCTAssertNotEqual(p, Array(0..<1000))
        XCTAssertEqual(try Shuffle.randperm(1, generator: g), [0])
        XCTAssertEqual(try Shuffle.randperm(0, generator: g), [])
    }
}
