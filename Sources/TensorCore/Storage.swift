/// A flat block of elements that one or more tensors (views) look into.
/// Memory is allocated zeroed and freed when the last tensor lets go; blocks of
/// `BlockCache.shared.threshold` bytes or more come from (and go back to) `BlockCache.shared`.
public final class Storage: @unchecked Sendable {
    public let dtype: DType
    public let count: Int
    public let raw: UnsafeMutableRawPointer
    /// Bumped by every in-place write (PyTorch's version counter, shared by all views):
    /// autograd compares it with the version a saved tensor had, to refuse a backward
    /// through values that were overwritten.
    public var version: Int = 0
    /// The class size of a block from `BlockCache.shared`; 0 for one from malloc.
    private let cachedSize: Int

    /// Largest single allocation allowed, in bytes (`MemoryError` past it).
    /// Settable by the front end; defaults to 3/4 of physical memory.
    nonisolated(unsafe) public static var limitBytes: Int = defaultLimit()

    public convenience init(count: Int, dtype: DType) throws {
        try self.init(count: count, dtype: dtype, zeroed: true)
    }

    /// `zeroed: false` leaves the contents unspecified, for kernels that write every element.
    public init(count: Int, dtype: DType, zeroed: Bool) throws {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
        if count < 0 { throw TensorError.value("Trying to create tensor with negative size \(count)") }
        if overflow || bytes > Storage.limitBytes {
            throw TensorError.memory(bytes: overflow ? Int.max : bytes, limit: Storage.limitBytes)
        }
        self.dtype = dtype
        self.count = count
        if bytes >= BlockCache.shared.threshold {
            guard let (p, size) = BlockCache.shared.allocate(bytes: bytes, zeroed: zeroed) else {
                // Under the limit but the system has no memory to give (PyTorch's words).
                throw TensorError.runtime("DefaultCPUAllocator: can't allocate memory: you tried to allocate "
                                          + "\(bytes) bytes. Error code 12 (Cannot allocate memory)")
            }
            raw = p
            cachedSize = size
        } else {
            raw = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 64)
            cachedSize = 0
            if zeroed { raw.initializeMemory(as: UInt8.self, repeating: 0, count: max(bytes, 1)) }
        }
    }

    /// One element, exempt from the limit (scalars must always be creatable).
    init(scalarOf dtype: DType) {
        self.dtype = dtype
        count = 1
        cachedSize = 0
        raw = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: 8)
    }

    deinit {
        if cachedSize > 0 { BlockCache.shared.deallocate(raw, size: cachedSize) } else { raw.deallocate() }
    }

    @inline(__always) public var floats: UnsafeMutablePointer<Float> { raw.assumingMemoryBound(to: Float.self) }
    @inline(__always) public var ints: UnsafeMutablePointer<Int64> { raw.assumingMemoryBound(to: Int64.self) }
    @inline(__always) public var bools: UnsafeMutablePointer<Bool> { raw.assumingMemoryBound(to: Bool.self) }
    @inline(__always) public var doubles: UnsafeMutablePointer<Double> { raw.assumingMemoryBound(to: Double.self) }
    @inline(__always) public var halves: UnsafeMutablePointer<Float16> { raw.assumingMemoryBound(to: Float16.self) }
    @inline(__always) public var int32s: UnsafeMutablePointer<Int32> { raw.assumingMemoryBound(to: Int32.self) }
    @inline(__always) public var uint8s: UnsafeMutablePointer<UInt8> { raw.assumingMemoryBound(to: UInt8.self) }

    static func defaultLimit() -> Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        if pages > 0 && size > 0 { return Int(pages) * Int(size) / 4 * 3 }
        return 8 << 30
    }
}

#if canImport(Glibc)
import Glibc
#endif
