#if canImport(Glibc)
import Glibc
#endif
import CBLAS

/// The numeric kernels behind `torch.nn.functional`: pure functions from
/// tensors to new tensors (no autograd), each with a parameter struct so a
/// backward function can sit next to its forward. Errors are worded as
/// PyTorch 2.x words them.
public enum Kernels {
    /// PyTorch's short names for dtypes inside messages (`Float`, `Long`).
    static func scalarName(_ d: DType) -> String {
        d.scalarTypeName
    }

    /// A contiguous float32 view (or copy) of `t`, or PyTorch's dtype error.
    static func floatContiguous(_ t: Tensor) throws -> Tensor {
        guard t.dtype == .float32 else {
            throw TensorError.type("expected scalar type Float but found \(scalarName(t.dtype))")
        }
        return try t.contiguous()
    }

    /// Floats in one worker's im2col tile: sized to stay in a core's L2 cache.
    nonisolated(unsafe) public static var convTileFloats = 1 << 18

    /// Rejects sizes, strides and paddings so large that index arithmetic could overflow.
    static func checkArguments(_ values: [Int], _ what: String) throws {
        if let v = values.first(where: { $0 > 1 << 31 || $0 < -(1 << 31) }) {
            throw TensorError.value("\(what) is too large: \(v)")
        }
    }

    /// Throws the MemoryError an output of `shape` (float32) would raise, before any
    /// per-position bookkeeping is sized by it.
    static func checkAllocation(_ shape: [Int]) throws {
        let n = try Shape.numel(shape)
        let (bytes, overflow) = n.multipliedReportingOverflow(by: 4)
        if overflow || bytes > Storage.limitBytes {
            throw TensorError.memory(bytes: overflow ? Int.max : bytes, limit: Storage.limitBytes)
        }
    }

    /// `[2, 3]` as PyTorch prints sizes.
    static func sizes(_ s: [Int]) -> String { Shape.describe(s) }
}

/// Reusable float scratch buffers, so hot kernels (im2col, col2im) do not
/// allocate per call. Buffers are checked out and returned; each checkout is
/// exclusive, so worker threads can each hold one.
final class ScratchPool: @unchecked Sendable {
    static let shared = ScratchPool()
    private var free: [Storage] = []
    private var lock = pthread_mutex_t()

    init() { pthread_mutex_init(&lock, nil) }

    /// A buffer of at least `count` floats (contents unspecified).
    func take(_ count: Int) throws -> Storage {
        pthread_mutex_lock(&lock)
        if let i = free.firstIndex(where: { $0.count >= count }) {
            let s = free.remove(at: i)
            pthread_mutex_unlock(&lock)
            return s
        }
        pthread_mutex_unlock(&lock)
        return try Storage(count: max(count, 1), dtype: .float32)
    }

    func give(_ s: Storage) {
        pthread_mutex_lock(&lock)
        // Keep a few buffers, dropping the smallest; very large ones are not kept.
        if s.count <= (64 << 20) {
            free.append(s)
            free.sort { $0.count < $1.count }
            if free.count > 2 * Parallel.threads + 2 { free.removeFirst() }
        }
        pthread_mutex_unlock(&lock)
    }

    /// Drops every kept buffer (tests that exercise allocation failures start from here).
    func removeAll() {
        pthread_mutex_lock(&lock)
        free.removeAll()
        pthread_mutex_unlock(&lock)
    }

    /// Runs `body` with a scratch buffer of `count` floats.
    func with<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) throws -> R {
        let s = try take(count)
        defer { give(s) }
        return try body(s.floats)
    }
}
