/// Whether operations record history for autograd: `torch.no_grad()`,
/// `torch.enable_grad()`, `torch.set_grad_enabled(b)`, `torch.inference_mode()`.
public enum GradMode {
    nonisolated(unsafe) public static var enabled = true

    /// Runs body with recording off, restoring the previous state after.
    public static func withoutGrad<T>(_ body: () throws -> T) rethrows -> T {
        try with(false, body)
    }

    /// Runs body with recording set to `on`, restoring the previous state after.
    public static func with<T>(_ on: Bool, _ body: () throws -> T) rethrows -> T {
        let old = enabled
        enabled = on
        defer { enabled = old }
        return try body()
    }
}
