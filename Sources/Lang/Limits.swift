import TensorCore

/// The memory limit (`Storage.limitBytes`, `--max-memory`) applied to strings and
/// lists before they are built: a width, a repetition or a range past it raises
/// MemoryError (named by the builtin that asked, see `Interpreter.callBuiltin`)
/// instead of a failed allocation that ends the process.
enum Budget {
    /// A string of `count` characters (at least one byte each in UTF-8).
    static func string(_ count: Int) throws { try bytes(count, each: 1) }

    /// A list or tuple of `count` items.
    static func items(_ count: Int) throws { try bytes(count, each: MemoryLayout<Value>.stride) }

    /// The check outside a builtin call, named: `MemoryError: sequence repetition needs 32 GiB, ...`.
    static func named(_ what: String, _ check: () throws -> Void) throws {
        do { try check() } catch let e as TensorError {
            throw LangError(.MemoryError, "\(what) \(e.description)")
        }
    }

    static func bytes(_ count: Int, each: Int) throws {
        let (total, overflow) = Swift.max(count, 0).multipliedReportingOverflow(by: each)
        if overflow || total > Storage.limitBytes {
            throw TensorError.memory(bytes: overflow ? Int.max : total, limit: Storage.limitBytes)
        }
    }
}

extension String {
    /// `count` copies of `c`, written as bytes when `c` is ASCII (a billion spaces in a
    /// fraction of a second, where appending Characters takes most of a minute).
    init(repeatingFast c: Character, count: Int) {
        let n = Swift.max(count, 0)
        guard let b = c.asciiValue else { self.init(repeating: String(c), count: n); return }
        self.init(unsafeUninitializedCapacity: n) { buf in
            buf.initialize(repeating: b)
            return n
        }
    }
}

extension Interpreter {
    /// One level of a comparison over nested containers: CPython's RecursionError past
    /// the recursion limit (shared with calls) or when the stack runs low.
    func nested<T>(_ body: () throws -> T) throws -> T {
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > recursionLimit || StackGuard.exhausted {
            throw LangError(.RecursionError, "maximum recursion depth exceeded in comparison")
        }
        return try body()
    }
}
