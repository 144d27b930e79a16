/// Whether operations record history for autograd (`torch.no_grad()`,
/// `torch.set_grad_enabled`). The graph itself comes with the autograd work;
/// the switch is here so the language's `with torch.no_grad():` has a home.
public enum GradMode {
    nonisolated(unsafe) public static var enabled = true

    /// Runs body with recording off, restoring the previous state after.
    public static func withoutGrad<T>(_ body: () throws -> T) rethrows -> T {
        let old = enabled
        enabled = false
        defer { enabled = old }
        return try body()
    }
}
