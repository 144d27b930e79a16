#if canImport(Glibc)
import Glibc
#endif
import CStack

/// How much of the current thread's stack is left, so that recursion over user data
/// (repr, comparisons, module trees, the compiler over a long chain) ends in
/// RecursionError before the stack overflows. The stack's low end is looked up once
/// per thread (`pthread_getattr_np`) and kept in a thread-specific slot. The stack
/// pointer comes from C (`tp_stack_address`, the frame address), not from a Swift
/// local's address: AddressSanitizer's fake stacks (use-after-return detection, on by
/// default) keep such locals on the heap, where the stack would look used up.
public enum StackGuard {
    nonisolated(unsafe) static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { free($0) }
        return k
    }()

    /// Bytes kept free for the work done after the last check (a kernel, a print).
    public static let reserve = 1 << 20

    /// True when less than `reserve` bytes of stack are left (or a quarter of a small stack).
    @inline(__always) public static var exhausted: Bool {
        let (low, size) = bounds()
        return isExhausted(sp: Int(bitPattern: tp_stack_address()), low: low, size: size)
    }

    /// The decision for a stack pointer `sp` and a stack of `size` bytes from `low`. An
    /// address outside the stack (a fake stack frame, or bounds that could not be read)
    /// measures nothing: it is never taken for an exhausted stack.
    static func isExhausted(sp: Int, low: Int, size: Int) -> Bool {
        guard sp >= low, sp - low <= size else { return false }
        return sp - low < Swift.min(reserve, size / 4)
    }

    /// Throws `RecursionError: maximum recursion depth exceeded<suffix>` when the stack is nearly used up.
    @inline(__always) public static func check(_ suffix: String = "") throws {
        if exhausted { throw TensorError.recursion("maximum recursion depth exceeded" + suffix) }
    }

    static func bounds() -> (Int, Int) {
        if let p = pthread_getspecific(key) {
            let b = p.assumingMemoryBound(to: Int.self)
            return (b[0], b[1])
        }
        var attr = pthread_attr_t()
        var addr: UnsafeMutableRawPointer?
        var size = 0
        var low = 0
        if getAttributes(pthread_self(), &attr) == 0 {
            if pthread_attr_getstack(&attr, &addr, &size) == 0 { low = Int(bitPattern: addr) }
            pthread_attr_destroy(&attr)
        }
        if low == 0 {   // unknown: assume 8 MiB below here
            size = 8 << 20
            low = Int(bitPattern: tp_stack_address()) - size
        }
        guard let raw = malloc(2 * MemoryLayout<Int>.stride) else { return (low, size) }   // freed when the thread ends
        let b = raw.assumingMemoryBound(to: Int.self)
        b[0] = low; b[1] = size
        pthread_setspecific(key, b)
        return (low, size)
    }
}

/// glibc's `pthread_getattr_np` (declared under _GNU_SOURCE, which the Glibc module does not set).
@_silgen_name("pthread_getattr_np")
private func getAttributes(_ thread: pthread_t, _ attr: UnsafeMutablePointer<pthread_attr_t>) -> Int32
