import Lang
#if canImport(Glibc)
import Glibc
#endif

/// Stopping a running cell, as Ctrl-C does in the REPL: SIGINT (Jupyter's
/// `interrupt_mode: signal`) and `interrupt_request` on the control channel
/// both set Lang's `Interrupt.requested`, which the interpreter checks at
/// every loop step and call and long kernels check between blocks; the cell
/// then raises KeyboardInterrupt and the session lives on. Between cells a
/// SIGINT does nothing (it must not end the kernel).
enum KernelInterrupt {
    /// True while a cell runs.
    nonisolated(unsafe) static var running = false

    static func install() {
        // Touch the statics the handler reads, so none is initialized inside it.
        _ = running; _ = Interrupt.requested
        var sa = sigaction()
        sa.__sigaction_handler.sa_handler = { _ in KernelInterrupt.request() }
        sa.sa_flags = SA_RESTART
        sigemptyset(&sa.sa_mask)
        sigaction(SIGINT, &sa, nil)
    }

    static func request() {
        if running { Interrupt.requested = true }
    }
}
