import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A child process on a pseudo-terminal opened by the test: it gets the
/// pty as its controlling terminal (so Ctrl-C written to the master raises
/// SIGINT in it, as a keyboard would). `expect` reads until a text appears,
/// with a deadline; nothing sleeps blindly. The child is killed on `close`.
final class PseudoTerminal {
    let pid: pid_t
    private(set) var master: Int32
    /// Everything the child wrote, terminal escapes included.
    private(set) var transcript: [UInt8] = []
    /// Where the next `expect` starts looking.
    private var mark = 0
    private(set) var exitStatus: Int32?

    struct Timeout: Error, CustomStringConvertible {
        let needle: String, seen: String
        var description: String { "timed out waiting for \(needle.debugDescription); output since last match:\n\(seen)" }
    }

    /// glibc's POSIX_SPAWN_SETSID (a GNU extension Swift does not import).
    static let spawnSetsid: Int32 = 0x80

    /// Sanitized builds run many times slower: TENSORPAD_TEST_TIMEOUT_SCALE (set by `make
    /// test-asan` / `test-tsan`) scales the waits.
    static var timeoutScale: Double {
        ProcessInfo.processInfo.environment["TENSORPAD_TEST_TIMEOUT_SCALE"].flatMap(Double.init).map { max($0, 1) } ?? 1
    }

    init(executable: String, arguments: [String] = [], environment: [String: String]) throws {
        var m: Int32 = -1, s: Int32 = -1
        var size = winsize(ws_row: 40, ws_col: 132, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&m, &s, nil, nil, &size) == 0 else { throw POSIXError(.EIO) }
        _ = fcntl(m, F_SETFD, FD_CLOEXEC)
        guard let slaveName = ttyname(s).map({ String(cString: $0) }) else { throw POSIXError(.ENOTTY) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // After setsid, opening the tty makes it the child's controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slaveName, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        posix_spawn_file_actions_addclose(&actions, s)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setflags(&attr, Int16(PseudoTerminal.spawnSetsid | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none); sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setsigdefault(&attr, &all)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        // `make test-asan` / `test-tsan`: the sanitizer's options reach the REPL too.
        var environment = environment
        for key in ["ASAN_OPTIONS", "TSAN_OPTIONS", "SWIFT_BACKTRACE"] where environment[key] == nil {
            environment[key] = ProcessInfo.processInfo.environment[key]
        }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attr, argv, envp)
        Glibc.close(s)
        guard rc == 0 else { Glibc.close(m); throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        pid = child
        master = m
    }

    deinit { close() }

    /// Types text (use "\r" for Enter, "\t" for Tab, "\u{03}" for Ctrl-C, "\u{04}" for Ctrl-D).
    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { raw in write(master, raw.baseAddress! + off, bytes.count - off) }
            if n <= 0 { if errno == EINTR { continue }; return }
            off += n
        }
    }

    /// Reads until `needle` appears after the previous match; returns the text up to and including it.
    @discardableResult
    func expect(_ needle: String, timeout: Double = 10) throws -> String {
        let want = Array(needle.utf8)
        let deadline = Date().addingTimeInterval(timeout * Self.timeoutScale)
        while true {
            if let r = find(want, from: mark) {
                let text = String(decoding: transcript[mark..<r], as: UTF8.self)
                mark = r
                return text
            }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 || !pump(timeout: min(left, 0.5)) {
                throw Timeout(needle: needle, seen: String(decoding: transcript[mark...], as: UTF8.self))
            }
        }
    }

    /// Reads until the prompt `text` appears and the line editor has put the
    /// terminal in raw mode (the pty master sees the slave's modes): keys sent
    /// earlier would meet the kernel's line discipline instead (a Ctrl-D
    /// there becomes a NUL byte once libedit switches modes).
    @discardableResult
    func expectPrompt(_ text: String, timeout: Double = 10) throws -> String {
        let seen = try expect(text, timeout: timeout)
        let deadline = Date().addingTimeInterval(timeout)
        var mode = termios()
        while tcgetattr(master, &mode) == 0, mode.c_lflag & tcflag_t(ICANON) != 0 {
            if deadline.timeIntervalSinceNow <= 0 { throw Timeout(needle: "raw mode after \(text)", seen: pending) }
            _ = pump(timeout: 0.002)
        }
        return seen
    }

    /// Waits for the child to exit (reading its output meanwhile); nil on timeout.
    func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout * Self.timeoutScale)
        while exitStatus == nil {
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                break
            }
            if deadline.timeIntervalSinceNow <= 0 { return nil }
            _ = pump(timeout: 0.05)
        }
        return exitStatus
    }

    /// Text written since the last match.
    var pending: String { String(decoding: transcript[mark...], as: UTF8.self) }

    /// Resizes the terminal, as a user dragging the window does (the child gets SIGWINCH).
    func resize(columns: Int, rows: Int) {
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    /// Kills the child if it still runs and reaps it.
    func close() {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            exitStatus = -1
        }
        if master >= 0 { Glibc.close(master); master = -1 }
    }

    /// Reads what arrives within `timeout` seconds; false once the child closed the terminal.
    private func pump(timeout: Double) -> Bool {
        guard master >= 0 else { return false }
        var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let r = poll(&p, 1, Int32(max(1, timeout * 1000)))
        if r < 0 { return errno == EINTR }
        if r == 0 { return true }
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = read(master, &buf, buf.count)
        if n <= 0 { return false }   // EIO: the child closed the terminal
        transcript += buf[0..<n]
        return true
    }

    private func find(_ needle: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, transcript.count - from >= needle.count else { return nil }
        var i = from
        while i + needle.count <= transcript.count {
            if transcript[i] == needle[0], Array(transcript[i..<(i + needle.count)]) == needle { return i + needle.count }
            i += 1
        }
        return nil
    }
}
