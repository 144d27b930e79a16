import XCTest
import Foundation
@testable import TensorCore

/// The caching allocator behind large storages (BlockCache.swift): reuse, zeroing, the bound on
/// what it keeps mapped, threads, and the limits Storage keeps.
final class BlockCacheTests: XCTestCase {
    private let kib = 1 << 10, mib = 1 << 20

    /// The invariants every state of the cache keeps.
    private func checkInvariants(_ c: BlockCache, file: StaticString = #filePath, line: UInt = #line) {
        let s = c.statistics
        XCTAssertEqual(s.mapped, s.live + s.cached, "mapped is live + cached", file: file, line: line)
        XCTAssertLessThanOrEqual(s.mapped, s.peakLive + s.slack, "mapped within the bound", file: file, line: line)
        XCTAssertLessThanOrEqual(s.slack, s.peakLive / 2, file: file, line: line)
        XCTAssertGreaterThanOrEqual(s.live, 0, file: file, line: line)
    }

    func testClassSizesRoundUpByAtMostAnEighth() {
        XCTAssertEqual(BlockCache.classSize(256 * kib), 256 * kib)
        XCTAssertEqual(BlockCache.classSize(256 * kib + 1), 288 * kib)
        XCTAssertEqual(BlockCache.classSize(300_000), 320 * kib)
        XCTAssertEqual(BlockCache.classSize(310_000), 320 * kib)
        XCTAssertEqual(BlockCache.classSize(25_690_112), 26 * mib)        // 8×64×112×112 floats
        for bytes in stride(from: 256 * kib, to: 64 * mib, by: 77_777) {
            let c = BlockCache.classSize(bytes)
            XCTAssertGreaterThanOrEqual(c, bytes)
            XCTAssertLessThanOrEqual(c - bytes, bytes / 8 + 4096)
            XCTAssertEqual(c % 4096, 0)
        }
    }

    func testFreedBlockIsReusedForTheSameClass() throws {
        let c = BlockCache(threshold: 64 * kib)
        let (p, size) = try XCTUnwrap(c.allocate(bytes: 300_000, zeroed: true))
        XCTAssertEqual(size, 320 * kib)
        XCTAssertEqual(Int(bitPattern: p) % 4096, 0, "page aligned")
        p.storeBytes(of: 0x5A5A_5A5A, as: UInt32.self)
        c.deallocate(p, size: size)
        XCTAssertEqual(c.statistics.cached, size)
        let (q, size2) = try XCTUnwrap(c.allocate(bytes: 310_000, zeroed: false))
        XCTAssertEqual(q, p, "same class: the freed block comes back")
        XCTAssertEqual(size2, size)
        XCTAssertEqual(q.load(as: UInt32.self), 0x5A5A_5A5A, "not zeroed when not asked")
        let s = c.statistics
        XCTAssertEqual(s.hits, 1)
        XCTAssertEqual(s.misses, 1)
        XCTAssertEqual(s.live, size)
        XCTAssertEqual(s.cached, 0)
        checkInvariants(c)
        c.deallocate(q, size: size2)
    }

    func testReusedBlockIsZeroedWhenAsked() throws {
        let c = BlockCache(threshold: 64 * kib)
        let bytes = 1_000_000
        let (p, size) = try XCTUnwrap(c.allocate(bytes: bytes, zeroed: true))
        XCTAssertTrue(UnsafeRawBufferPointer(start: p, count: bytes).allSatisfy { $0 == 0 }, "fresh pages are zero")
        p.initializeMemory(as: UInt8.self, repeating: 0xAB, count: size)
        c.deallocate(p, size: size)
        let (q, _) = try XCTUnwrap(c.allocate(bytes: bytes, zeroed: true))
        XCTAssertEqual(q, p)
        XCTAssertTrue(UnsafeRawBufferPointer(start: q, count: bytes).allSatisfy { $0 == 0 })
        XCTAssertEqual(c.statistics.hits, 1)
        c.deallocate(q, size: size)
    }

    /// At the bound a miss resizes a cached block of another class: the kept part is zeroed when
    /// asked, the rest reads as fresh zeros, and nothing is mapped past the peak of live memory.
    func testMissAtTheBoundResizesACachedBlock() throws {
        let c = BlockCache(threshold: 64 * kib)
        let (a, sa) = try XCTUnwrap(c.allocate(bytes: 1 * mib, zeroed: false))
        let (b, sb) = try XCTUnwrap(c.allocate(bytes: 1 * mib, zeroed: false))
        a.initializeMemory(as: UInt8.self, repeating: 0xCD, count: sa)
        b.initializeMemory(as: UInt8.self, repeating: 0xCD, count: sb)
        c.deallocate(a, size: sa)
        c.deallocate(b, size: sb)
        XCTAssertEqual(c.statistics.peakLive, 2 * mib)
        // 1.5 MiB: a fresh map would make 3.5 MiB mapped, over the 2 MiB peak.
        let (d, sd) = try XCTUnwrap(c.allocate(bytes: 1536 * kib, zeroed: true))
        XCTAssertEqual(sd, 1536 * kib)
        XCTAssertTrue(UnsafeRawBufferPointer(start: d, count: sd).allSatisfy { $0 == 0 })
        var s = c.statistics
        XCTAssertEqual(s.reshaped, 1)
        XCTAssertEqual(s.released, 1, "the other 1 MiB block is unmapped")
        XCTAssertEqual(s.mapped, 1536 * kib)
        XCTAssertEqual(s.cached, 0)
        checkInvariants(c)
        // A smaller class: under the bound (1.5 + 0.25 ≤ 2 MiB), so a fresh block is mapped.
        let (e, se) = try XCTUnwrap(c.allocate(bytes: 256 * kib, zeroed: true))
        s = c.statistics
        XCTAssertEqual(s.reshaped, 1)
        XCTAssertEqual(s.mapped, 1792 * kib)
        checkInvariants(c)
        c.deallocate(d, size: sd)
        c.deallocate(e, size: se)
        XCTAssertEqual(c.releaseCached(), 1792 * kib)
        s = c.statistics
        XCTAssertEqual(s.mapped, 0)
        XCTAssertEqual(s.cached, 0)
    }

    /// Random allocations and frees of many classes: the mapped total stays within the bound
    /// after every step, and the blocks handed out never overlap.
    func testMappedTotalNeverExceedsTheBound() throws {
        let c = BlockCache(threshold: 64 * kib)
        var rng = SystemRandomNumberGenerator()
        var live: [(UnsafeMutableRawPointer, Int, UInt8)] = []
        var maxMapped = 0, maxLive = 0
        for step in 0..<600 {
            if live.isEmpty || (live.count < 12 && Bool.random(using: &rng)) {
                let bytes = Int.random(in: 64 * kib...(3 * mib), using: &rng)
                let (p, size) = try XCTUnwrap(c.allocate(bytes: bytes, zeroed: step % 3 == 0))
                let tag = UInt8(truncatingIfNeeded: step)
                p.initializeMemory(as: UInt8.self, repeating: tag, count: size)
                live.append((p, size, tag))
            } else {
                let (p, size, tag) = live.remove(at: Int.random(in: 0..<live.count, using: &rng))
                XCTAssertEqual(p.load(fromByteOffset: size - 1, as: UInt8.self), tag, "no other block wrote here")
                XCTAssertEqual(p.load(as: UInt8.self), tag)
                c.deallocate(p, size: size)
            }
            checkInvariants(c)
            let s = c.statistics
            maxMapped = max(maxMapped, s.mapped)
            maxLive = max(maxLive, s.live)
            XCTAssertEqual(s.live, live.reduce(0) { $0 + $1.1 })
        }
        XCTAssertLessThanOrEqual(maxMapped, maxLive + maxLive / 2)
        for (p, size, _) in live { c.deallocate(p, size: size) }
        XCTAssertEqual(c.statistics.live, 0)
    }

    /// A loop whose steps need more classes than the peak of live memory holds: the first rounds
    /// miss (and grow the slack), later rounds only hit, and the mapped total stays ≤ 1.5 × peak.
    func testALoopSettlesWithoutMisses() throws {
        let c = BlockCache(threshold: 64 * kib)
        func round() throws {
            for (bytes, n) in [(2 * mib, 4), (1 * mib, 2), (512 * kib, 2)] {     // phases of different classes
                var blocks: [(UnsafeMutableRawPointer, Int)] = []
                for _ in 0..<n { blocks.append(try XCTUnwrap(c.allocate(bytes: bytes, zeroed: false))) }
                for (p, s) in blocks { c.deallocate(p, size: s) }
                checkInvariants(c)
            }
        }
        try round()
        let first = c.statistics
        XCTAssertEqual(first.peakLive, 8 * mib)
        XCTAssertEqual(first.misses, 8, "every request of the first round maps or resizes")
        XCTAssertEqual(first.reshaped, 2, "the first request of the second and third phases is over the bound")
        XCTAssertEqual(first.mapped, 8 * mib)
        for _ in 0..<3 { try round() }
        let settled = c.statistics
        for _ in 0..<5 { try round() }
        let after = c.statistics
        XCTAssertEqual(after.misses, settled.misses, "no misses once settled")
        XCTAssertEqual(after.hits, settled.hits + 5 * 8)
        XCTAssertGreaterThan(after.slack, 0)
        XCTAssertEqual(after.mapped, 11 * mib, "the loop's working set: 8 + 2 + 1 MiB")
        XCTAssertLessThanOrEqual(after.mapped, after.peakLive + after.peakLive / 2)
    }

    func testConcurrentAllocationAndFree() throws {
        let c = BlockCache(threshold: 64 * kib)
        let failures = UnsafeMutablePointer<Int>.allocate(capacity: 4)
        failures.initialize(repeating: 0, count: 4)
        defer { failures.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            var held: [(UnsafeMutableRawPointer, Int, UInt8)] = []
            for i in 0..<300 {
                if held.count < 6 && (held.isEmpty || i % 3 != 2) {
                    let bytes = (64 + 37 * ((i * 7 + t * 13) % 64)) * 1024
                    guard let (p, size) = c.allocate(bytes: bytes, zeroed: i % 2 == 0) else { failures[t] += 1; continue }
                    if i % 2 == 0, p.load(fromByteOffset: bytes - 1, as: UInt8.self) != 0 { failures[t] += 1 }
                    let tag = UInt8(truncatingIfNeeded: t * 64 + i)
                    p.initializeMemory(as: UInt8.self, repeating: tag, count: size)
                    held.append((p, size, tag))
                } else {
                    let (p, size, tag) = held.removeFirst()
                    if p.load(as: UInt8.self) != tag || p.load(fromByteOffset: size - 1, as: UInt8.self) != tag {
                        failures[t] += 1
                    }
                    c.deallocate(p, size: size)
                }
            }
            for (p, size, _) in held { c.deallocate(p, size: size) }
        }
        XCTAssertEqual((0..<4).map { failures[$0] }, [0, 0, 0, 0], "no block shared by two threads, zeroing kept")
        let s = c.statistics
        XCTAssertEqual(s.live, 0)
        XCTAssertEqual(s.mapped, s.cached)
        XCTAssertGreaterThan(s.hits, 0)
        checkInvariants(c)
    }

    /// A request the system cannot map returns nil and leaves the accounts as they were.
    func testFailedMapLeavesTheAccountsUnchanged() throws {
        let c = BlockCache(threshold: 64 * kib)
        let (p, size) = try XCTUnwrap(c.allocate(bytes: 1 * mib, zeroed: false))
        c.deallocate(p, size: size)
        XCTAssertNil(c.allocate(bytes: 1 << 60, zeroed: true))
        let s = c.statistics
        XCTAssertEqual(s.live, 0)
        XCTAssertEqual(s.peakLive, 1 * mib)
        XCTAssertEqual(s.mapped, 0, "the cached block was given back before the second try")
        checkInvariants(c)
    }

    // MARK: - Storage through the shared cache

    func testStorageReusesAndZeroesLargeBlocks() throws {
        let n = 1 << 18                                     // 1 MiB of floats
        XCTAssertGreaterThanOrEqual(n * 4, BlockCache.shared.threshold)
        let before = BlockCache.shared.statistics
        var address: UnsafeMutableRawPointer?
        do {
            let s = try Storage(count: n, dtype: .float32, zeroed: false)
            s.floats.update(repeating: 7, count: n)
            address = s.raw
        }
        let t = try Storage(count: n, dtype: .float32)
        XCTAssertEqual(t.raw, address, "the freed block serves the next storage of its class")
        XCTAssertTrue((0..<n).allSatisfy { t.floats[$0] == 0 }, "zeroed on reuse")
        XCTAssertGreaterThan(BlockCache.shared.statistics.hits, before.hits)
        let small = try Storage(count: 1000, dtype: .float32)
        XCTAssertTrue((0..<1000).allSatisfy { small.floats[$0] == 0 })
    }

    func testStorageMemoryErrorsUnchanged() throws {
        let saved = Storage.limitBytes
        defer { Storage.limitBytes = saved }
        Storage.limitBytes = 1 << 20
        XCTAssertThrowsError(try Storage(count: 1 << 20, dtype: .float32)) { e in
            XCTAssertEqual(e as? TensorError, .memory(bytes: 4 << 20, limit: 1 << 20))
        }
        XCTAssertThrowsError(try Storage(count: Int.max / 2, dtype: .float32)) { e in
            XCTAssertEqual(e as? TensorError, .memory(bytes: Int.max, limit: 1 << 20))
        }
        XCTAssertEqual(try Storage(count: 1 << 18, dtype: .float32).count, 1 << 18, "at the limit: allowed")
        // Under the limit but more than the system can map: PyTorch's allocator error.
        Storage.limitBytes = Int.max
        XCTAssertThrowsError(try Storage(count: 1 << 60, dtype: .uint8)) { e in
            XCTAssertEqual(e as? TensorError, .runtime("DefaultCPUAllocator: can't allocate memory: you tried to "
                + "allocate 1152921504606846976 bytes. Error code 12 (Cannot allocate memory)"))
        }
    }
}
