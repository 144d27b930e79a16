import CCancel
import Dispatch

/// Ctrl-C for kernels. The front end's SIGINT handler sets `requested`
/// (through Lang's `Interrupt`); `Parallel.forEach` then skips the
/// iterations it has not started, so a long kernel returns early with an
/// incomplete result. Whoever sets it must discard that result: Lang raises
/// KeyboardInterrupt as soon as the kernel returns. Kernels that would
/// fold an incomplete result into state (running statistics) throw
/// `TensorError.interrupted` instead, through `Cancellation.check()`.
public enum Cancellation {
    /// Set from a signal handler or another thread (the Jupyter kernel's control channel, a
    /// watchdog) while the interpreter and kernel workers read it: an atomic, so the reads
    /// see the store without a data race (ThreadSanitizer reported the plain Bool).
    /// Relaxed ordering: it is a flag, nothing else is published through it. The flag is a C
    /// global (`CCancel`) and the getter inlinable: the interpreter's check on every loop
    /// iteration is one load, not a call.
    public static var requested: Bool {
        @inlinable @inline(__always) get { tp_cancel_requested() != 0 }
        set { tp_cancel_set(newValue ? 1 : 0) }
    }

    /// Throws `TensorError.interrupted` when a stop was requested.
    @inline(__always)
    public static func check() throws { if requested { throw TensorError.interrupted } }

    /// Runs `body` over `0..<n` in chunks (65,536 elements: well under a millisecond for
    /// the serial kernels that use it, random fills), stopping before the next chunk once a
    /// stop was requested, as `Parallel.forEach` skips what it has not started. Returns false
    /// when it stopped early (the caller then discards the incomplete result).
    @inline(__always) @discardableResult
    public static func chunks(_ n: Int, _ body: (Range<Int>) throws -> Void) rethrows -> Bool {
        var start = 0
        while start < n {
            if requested { return false }
            let end = Swift.min(n, start + 65_536)
            try body(start..<end)
            start = end
        }
        return true
    }
}

/// Thread count for kernels (`--threads`, `%threads`): every parallel loop, and the
/// parts a large GEMM is split into (see `BLAS`), run on `concurrentPerform`'s workers.
public enum Parallel {
    nonisolated(unsafe) public private(set) static var threads: Int = defaultThreads()

    /// True while a parallel loop runs: work started inside it (a GEMM in a worker's
    /// tile) stays on its worker's thread instead of splitting again. Kernels are
    /// started from one thread at a time (the interpreter's), so a plain flag serves.
    nonisolated(unsafe) public private(set) static var inRegion = false

    public static func setThreads(_ n: Int) {
        threads = max(1, n)
    }

    static func defaultThreads() -> Int {
        var n = ProcessInfoLite.activeProcessorCount
        if let s = getenvString("TENSORPAD_THREADS"), let v = Int(s), v > 0 { n = v }
        return max(1, n)
    }

    /// Runs body(i) for i in 0..<count, split over the worker threads.
    /// Small counts or one thread run inline. Stops early (leaving later
    /// iterations undone) when `Cancellation.requested` is set.
    public static func forEach(_ count: Int, minPerThread: Int = 1, _ body: (Int) -> Void) {
        let workers = inRegion ? 1 : min(threads, count / max(minPerThread, 1))
        if workers <= 1 {
            for i in 0..<count {
                if Cancellation.requested { return }
                body(i)
            }
            return
        }
        inRegion = true
        defer { inRegion = false }
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let lo = count * w / workers, hi = count * (w + 1) / workers
                for i in lo..<hi {
                    if Cancellation.requested { return }
                    body(i)
                }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

enum ProcessInfoLite {
    static var activeProcessorCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}

func getenvString(_ name: String) -> String? {
    guard let p = getenv(name) else { return nil }
    return String(cString: p)
}

/// An on/off switch from the environment for A/B runs and tests: "1" on, "0" off, else `otherwise`.
func getenvSwitch(_ name: String, otherwise: Bool) -> Bool {
    switch getenvString(name) {
    case "1": return true
    case "0": return false
    default: return otherwise
    }
}
