import Lang
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C and the terminal. While a cell runs, SIGINT asks the interpreter
/// (and long kernels) to stop at the next safe point: KeyboardInterrupt. At
/// the prompt it ends the line being typed: the handler also writes a byte
/// to a pipe that the line editor's reader polls, so the prompt notices
/// whichever thread the signal lands on. SIGTERM, SIGHUP and SIGQUIT restore
/// the terminal before the process ends, so it is never left in raw mode.
enum Signals {
    /// True while a cell runs.
    nonisolated(unsafe) static var running = false
    /// Set by every SIGINT; the line editor clears it before reading a line.
    nonisolated(unsafe) static var sigintSeen: sig_atomic_t = 0
    /// Set by SIGWINCH: the line editor takes the terminal's new size.
    nonisolated(unsafe) static var winchSeen: sig_atomic_t = 0
    /// The self-pipe: [read end, write end], both non-blocking; -1 until installed.
    nonisolated(unsafe) static var pipeFDs: [Int32] = [-1, -1]
    nonisolated(unsafe) static var wakeFD: Int32 = -1
    /// tcgetattr writes glibc's struct termios, 60 bytes on x86-64, past the 57 Swift's
    /// imported layout counts (AddressSanitizer's global-buffer-overflow in `make
    /// test-asan`): the saved state lives in a buffer with room to spare.
    nonisolated(unsafe) static let savedTermios: UnsafeMutablePointer<termios> = {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 16)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: 256)
        return raw.bindMemory(to: termios.self, capacity: 1)
    }()
    nonisolated(unsafe) static var haveTermios = false

    static func install() {
        // Touch every static the handlers read, so none is lazily initialized inside a handler.
        _ = running; sigintSeen = 0; winchSeen = 0; _ = Interrupt.requested
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            pipeFDs = fds
            wakeFD = fds[1]
        }
        saveTerminal()
        // SA_RESTART: a Ctrl-C while a cell runs must not fail its writes with EINTR.
        setHandler(SIGINT, flags: SA_RESTART) { _ in
            if Signals.running { Interrupt.requested = true }
            Signals.sigintSeen = 1
            var b: UInt8 = 3
            if Signals.wakeFD >= 0 { _ = write(Signals.wakeFD, &b, 1) }
        }
        // A resize: the prompt re-reads the size; show() and tables read it on every call.
        setHandler(SIGWINCH, flags: SA_RESTART) { _ in
            Signals.winchSeen = 1
            var b: UInt8 = 0
            if Signals.wakeFD >= 0 { _ = write(Signals.wakeFD, &b, 1) }
        }
        for sig in [SIGTERM, SIGHUP, SIGQUIT] {
            setHandler(sig, flags: 0) { s in
                Signals.restoreTerminal()
                signal(s, SIG_DFL)
                raise(s)
            }
        }
    }

    static func setHandler(_ sig: Int32, flags: Int32, _ handler: @convention(c) (Int32) -> Void) {
        var sa = sigaction()
        sa.__sigaction_handler.sa_handler = handler
        sa.sa_flags = flags
        sigemptyset(&sa.sa_mask)
        sigaction(sig, &sa, nil)
    }

    /// The read end of the self-pipe (-1 if there is none).
    static var wakeReadFD: Int32 { pipeFDs[0] }

    /// Empties the self-pipe (Ctrl-Cs pressed while a cell ran are spent).
    static func drainWake() {
        guard pipeFDs[0] >= 0 else { return }
        var buf = [UInt8](repeating: 0, count: 64)
        while read(pipeFDs[0], &buf, buf.count) > 0 {}
    }

    static func saveTerminal() {
        if isatty(STDIN_FILENO) != 0, tcgetattr(STDIN_FILENO, savedTermios) == 0 { haveTermios = true }
    }

    /// Puts the terminal back as it was when the REPL started (async-signal-safe).
    static func restoreTerminal() {
        if haveTermios {
            _ = tcsetattr(STDIN_FILENO, TCSANOW, savedTermios)
            var off: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0x1B, 0x5B, 0x3F, 0x32, 0x30, 0x30, 0x34, 0x6C)
            _ = withUnsafeBytes(of: &off) { write(STDOUT_FILENO, $0.baseAddress, 8) }   // bracketed paste off
        }
    }
}
