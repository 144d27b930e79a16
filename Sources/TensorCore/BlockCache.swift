#if canImport(Glibc)
import Glibc
#endif
import CMemory

/// The caching allocator behind large `Storage` blocks.
///
/// Blocks of `threshold` bytes or more come from `mmap` (page aligned, given back exactly by
/// `munmap`), rounded up to a size class (eight per power of two, so at most 1/8 is rounding).
/// A freed block is kept on its class's free list and handed to the next request of that class,
/// whose pages are then already resident: no page faults, as glibc's heap gives, without the
/// heap's fragmentation (one ResNet-18 training step at batch 8 left glibc's heap holding 640 MiB
/// where at most 460 MiB were ever live at once).
///
/// The bound: `mapped` (live + cached) never exceeds `peakLive + slack`, the most live memory has
/// been plus a slack that starts at 0. A miss that would pass it resizes a cached block of another
/// class (`mremap`: the smallest at least as large, else the largest, so the pages kept need no
/// faults) and unmaps cached blocks, least recently freed first, until the new block fits. Mapping
/// thus grows only when live memory needs it, and one pass of a model peaks where its live memory
/// does. A loop that needs more than that (the next step asks again for a class the bound made the
/// cache give back) grows `slack` by that block, up to half of `peakLive`, so that a training loop
/// settles without misses after a step or two instead of faulting pages in every step.
///
/// Thread-safe (storages are freed on worker threads too); `mmap`, `mremap` and `munmap` run
/// outside the lock. Memory cached stays mapped until a miss needs it or `releaseCached()`.
public final class BlockCache: @unchecked Sendable {
    /// The allocator every `Storage` of `threshold` bytes or more uses. `TENSORPAD_BLOCK_CACHE=0`
    /// turns it off (every block from malloc, as before); `=N` sets the threshold to N KiB.
    public static let shared: BlockCache = {
        guard let v = getenv("TENSORPAD_BLOCK_CACHE").map({ String(cString: $0) }), let kib = Int(v), kib >= 0 else {
            return BlockCache()
        }
        return BlockCache(threshold: kib == 0 ? Int.max : kib << 10)
    }()

    /// What the cache holds, in bytes of class size, and how it was used.
    public struct Stats: Equatable, Sendable {
        /// Blocks handed out and not yet freed.
        public var live = 0
        /// Freed blocks kept for reuse.
        public var cached = 0
        /// Blocks whose `mmap` has been asked for (live + cached, and any being mapped).
        public var mapped = 0
        /// The most `live` has been.
        public var peakLive = 0
        /// Requests served from a free list, and requests that mapped (or resized) a block.
        public var hits = 0, misses = 0
        /// Cached blocks unmapped to keep within the bound (or by `releaseCached`).
        public var released = 0
        /// How far `mapped` may exceed `peakLive`: grown by each miss of a class that was given back
        /// to keep within the bound (a loop whose working set is larger), up to half of `peakLive`.
        public var slack = 0
        /// Misses served by resizing a cached block of another class (`mremap`).
        public var reshaped = 0
    }

    /// Requests of at least this many bytes go through the cache; smaller ones to malloc.
    public let threshold: Int
    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private var stats = Stats()
    /// Free blocks by class size, each list oldest first, with the time each was freed.
    private var free: [Int: [(address: UInt, freedAt: UInt64)]] = [:]
    private var clock: UInt64 = 0
    /// Classes of blocks given back to keep within the bound, and how many of each.
    private var ghosts: [Int: Int] = [:]
    private var ghostBytes = 0

    public init(threshold: Int = 256 << 10) {
        self.threshold = max(threshold, BlockCache.pageSize)
        lock = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
    }

    deinit {
        releaseCached()
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    public var statistics: Stats {
        pthread_mutex_lock(lock); defer { pthread_mutex_unlock(lock) }
        return stats
    }

    /// The size class of a request of `bytes` (≥ `threshold`): rounded up to one of eight steps
    /// per power of two, and to whole pages.
    public static func classSize(_ bytes: Int) -> Int {
        let top = Int.bitWidth - 1 - bytes.leadingZeroBitCount     // 2^top ≤ bytes
        let step = max((1 << top) >> 3, pageSize)
        let (rounded, overflow) = (bytes - 1).addingReportingOverflow(step)
        return overflow ? Int.max : rounded / step * step
    }

    private static let pageSize = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)

    /// The most `mapped` may be.
    private var bound: Int { stats.peakLive + stats.slack }

    /// Under the lock: a block of class `size` was given back to keep within the bound (its class
    /// asked for again means the bound is too tight for the loop running). Forgotten past `peakLive`.
    private func gaveBack(_ size: Int) {
        ghosts[size, default: 0] += 1
        ghostBytes += size
        if ghostBytes > stats.peakLive { ghosts.removeAll(); ghostBytes = 0 }
    }

    /// A block of at least `bytes` bytes, zero-filled when `zeroed`, and its class size (what
    /// `deallocate` takes back); nil when the system has no memory to map.
    public func allocate(bytes: Int, zeroed: Bool) -> (UnsafeMutableRawPointer, Int)? {
        let size = BlockCache.classSize(bytes)
        if size == Int.max { return nil }
        pthread_mutex_lock(lock)
        let peakBefore = stats.peakLive
        stats.live += size
        stats.peakLive = max(stats.peakLive, stats.live)
        if var list = free[size], let block = list.popLast() {
            free[size] = list.isEmpty ? nil : list
            stats.cached -= size
            stats.hits += 1
            pthread_mutex_unlock(lock)
            // A reused block holds its last user's values.
            let p = UnsafeMutableRawPointer(bitPattern: block.address).unsafelyUnwrapped
            if zeroed { p.initializeMemory(as: UInt8.self, repeating: 0, count: bytes) }
            return (p, size)
        }
        stats.misses += 1
        if let g = ghosts[size] {
            // A class given back is asked for again: the loop's working set is larger than the bound.
            ghosts[size] = g > 1 ? g - 1 : nil
            ghostBytes -= size
            stats.slack = min(stats.slack + size, stats.peakLive / 2)
        }
        // At the bound, a cached block of another class is resized to this one (the smallest
        // at least as large, else the largest): the pages it keeps are already resident.
        var reshaped: (address: UInt, size: Int)?
        if stats.cached > 0 && stats.mapped + size > bound {
            var pick = 0
            for (s, list) in free where !list.isEmpty {
                if pick == 0 || (s >= size ? (pick < size || s < pick) : (pick < size && s > pick)) { pick = s }
            }
            if pick > 0, var list = free[pick], let block = list.popLast() {
                free[pick] = list.isEmpty ? nil : list
                stats.cached -= pick
                stats.mapped -= pick
                stats.reshaped += 1
                gaveBack(pick)
                reshaped = (block.address, pick)
            }
        }
        let victims = evict(toFit: size)
        stats.mapped += size
        pthread_mutex_unlock(lock)
        unmap(victims)
        if let (address, old) = reshaped {
            if let p = tp_remap(UnsafeMutableRawPointer(bitPattern: address), old, size) {
                // The kept pages hold the old block's values; pages added read as zeros.
                if zeroed { p.initializeMemory(as: UInt8.self, repeating: 0, count: min(bytes, old)) }
                return (p, size)
            }
            unmap([(address, old)])
        }
        if let p = map(size) { return (p, size) }       // fresh pages read as zeros
        // Out of address space or memory: give back everything cached and try once more.
        pthread_mutex_lock(lock)
        let rest = evict(toFit: Int.max)
        pthread_mutex_unlock(lock)
        unmap(rest)
        if let p = map(size) { return (p, size) }
        pthread_mutex_lock(lock)
        stats.mapped -= size
        stats.live -= size
        stats.peakLive = max(peakBefore, stats.live)     // the failed request was never live
        pthread_mutex_unlock(lock)
        return nil
    }

    /// Takes back a block from `allocate` (`size` is the class size it returned).
    public func deallocate(_ p: UnsafeMutableRawPointer, size: Int) {
        pthread_mutex_lock(lock)
        clock &+= 1
        free[size, default: []].append((UInt(bitPattern: p), clock))
        stats.live -= size
        stats.cached += size
        pthread_mutex_unlock(lock)
    }

    /// Unmaps every cached block (live blocks are untouched); returns the bytes given back.
    @discardableResult
    public func releaseCached() -> Int {
        pthread_mutex_lock(lock)
        let victims = evict(toFit: Int.max)
        pthread_mutex_unlock(lock)
        unmap(victims)
        return victims.reduce(0) { $0 + $1.size }
    }

    /// Under the lock: takes cached blocks, least recently freed first, off the lists until
    /// `mapped` + `size` fits under the bound (all of them for `Int.max`).
    private func evict(toFit size: Int) -> [(address: UInt, size: Int)] {
        var out: [(address: UInt, size: Int)] = []
        while stats.cached > 0 && (size == Int.max || stats.mapped + size > bound) {
            var oldest: (size: Int, freedAt: UInt64)?
            for (s, list) in free {
                guard let first = list.first else { continue }
                if let o = oldest, o.freedAt < first.freedAt { continue }
                oldest = (s, first.freedAt)
            }
            guard let victim = oldest, var list = free[victim.size] else { break }
            out.append((list.removeFirst().address, victim.size))
            free[victim.size] = list.isEmpty ? nil : list
            stats.cached -= victim.size
            stats.mapped -= victim.size
            stats.released += 1
            if size != Int.max { gaveBack(victim.size) }
        }
        return out
    }

    private func map(_ size: Int) -> UnsafeMutableRawPointer? {
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        return p == MAP_FAILED ? nil : p
    }

    private func unmap(_ blocks: [(address: UInt, size: Int)]) {
        for b in blocks { munmap(UnsafeMutableRawPointer(bitPattern: b.address), b.size) }
    }
}
