/// Errors raised by tensor operations, worded as PyTorch words them.
/// The language layer maps each case to the error kind a user sees
/// (`ShapeError`, `IndexError`, ...).
public enum TensorError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Shapes that do not fit together (`ShapeError`).
    case shape(String)
    /// A bad value of an argument (`ValueError`).
    case value(String)
    /// An index out of range (`IndexError`).
    case index(String)
    /// A wrong dtype or argument type (`TypeError`).
    case type(String)
    /// An allocation over the memory limit (`MemoryError`): bytes asked, limit in bytes.
    case memory(bytes: Int, limit: Int)
    /// The user pressed Ctrl-C while a kernel ran (`KeyboardInterrupt`).
    case interrupted
    /// A failure PyTorch raises as `RuntimeError` (`TORCH_CHECK`, autograd's graph errors).
    case runtime(String)
    /// A result out of range (`OverflowError`).
    case overflow(String)
    /// Nesting past the recursion limit or the thread's stack (`RecursionError`).
    case recursion(String)
    /// A combination PyTorch does not implement (`NotImplementedError`, a RuntimeError).
    case notImplemented(String)

    public var description: String {
        switch self {
        case .shape(let m), .value(let m), .index(let m), .type(let m), .runtime(let m), .overflow(let m), .recursion(let m),
             .notImplemented(let m): return m
        case .memory(let bytes, let limit):
            return "needs \(formatGiB(bytes)), over the limit of \(formatGiB(limit))"
        case .interrupted: return "interrupted"
        }
    }
}

/// `37.25 GiB`: two decimals, as the MemoryError message shows sizes.
public func formatGiB(_ bytes: Int) -> String {
    let gib = Double(bytes) / 1_073_741_824
    let r = (gib * 100).rounded() / 100
    if r == r.rounded() { return "\(Int(r)) GiB" }
    var s = String(format2(r))
    while s.hasSuffix("0") { s.removeLast() }
    return s + " GiB"
}

func format2(_ x: Double) -> String {
    let cents = Int((x * 100).rounded())
    let whole = cents / 100, frac = cents % 100
    return "\(whole)." + (frac < 10 ? "0\(frac)" : "\(frac)")
}
