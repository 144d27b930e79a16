import CEdit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The libedit front end (its readline interface): prompts, Emacs keys,
/// Ctrl-R history search, history kept in a file, Tab completion from a
/// provider, and Ctrl-C that ends the line being typed. The only file in
/// the project that touches libedit.
///
/// Ctrl-C: libedit's own signal handling is off (`rl_catch_signals = 0`);
/// libedit reads keys through `getc` below, which polls the terminal and
/// the SIGINT self-pipe (`Signals`) and reports end of input when a Ctrl-C
/// arrives, so `readline` returns at once and the caller clears the line.
public final class LineEditor {
    /// Given the line so far and the cursor (in characters), where the word
    /// being completed starts and the candidates that replace it.
    public typealias Completer = (_ line: String, _ cursor: Int) -> (start: Int, candidates: [String])

    let historyPath: String
    let historyLimit: Int
    /// The history as in the file (one line typed per entry, oldest first).
    private var entries: [String] = []

    public init(historyPath: String, historyLimit: Int = 2000, completer: @escaping Completer) {
        self.historyPath = historyPath
        self.historyLimit = max(1, historyLimit)
        LineEditor.completer = completer
        setlocale(LC_CTYPE, "")
        rl_catch_signals = 0
        rl_getc_function = { _ in LineEditor.getc() }
        rl_readline_name = UnsafePointer(strdup("tensorpad"))
        rl_initialize()
        // Break words at spaces, brackets and operators; the completer finds its own word
        // (dots, subscripts, a path in a string) and the candidates are adjusted to these breaks.
        rl_basic_word_break_characters = UnsafePointer(strdup(LineEditor.wordBreaks))
        rl_completer_word_break_characters = strdup(LineEditor.wordBreaks)
        rl_completion_entry_function = { _, _ in nil }
        rl_attempted_completion_function = { text, start, end in
            LineEditor.attemptCompletion(text, start, end)
        }
        stifle_history(Int32(self.historyLimit))
        loadHistory()
    }

    static let wordBreaks = " \t\n\"'`()[]{},=+-*/%<>!&|^~:;@"

    /// What one `read` got.
    public enum Input: Equatable { case line(String), interrupted, end }

    /// Reads one line. `.interrupted` after Ctrl-C (the line is dropped),
    /// `.end` at Ctrl-D on an empty line or end of input.
    public func read(prompt: String) -> Input {
        Signals.drainWake()
        Signals.sigintSeen = 0
        let raw = readline(prompt)
        defer { free(raw) }
        if Signals.sigintSeen != 0 {
            fputs("^C\n", stdout)
            fflush(stdout)
            return .interrupted
        }
        guard let raw else { return .end }
        return .line(String(cString: raw))
    }

    // MARK: history

    /// Adds a typed line to the history and appends it to the file at once,
    /// so a session that dies still leaves its lines behind.
    public func remember(_ line: String) {
        guard !line.allSatisfy({ $0 == " " || $0 == "\t" }), !line.contains("\n") else { return }
        if entries.last == line { return }
        add_history(line)
        entries.append(line)
        if entries.count > historyLimit + historyLimit / 4 {
            entries = Array(entries.suffix(historyLimit))
            rewriteHistory()
        } else if let h = FileHandle(forWritingAtPath: historyPath) ?? createHistoryFile() {
            h.seekToEndOfFile()
            h.write(Data((line + "\n").utf8))
            h.closeFile()
        }
    }

    /// Trims the file to the last `historyLimit` lines.
    public func save() {
        if entries.count > historyLimit { entries = Array(entries.suffix(historyLimit)) }
        rewriteHistory()
    }

    func loadHistory() {
        guard let text = try? String(contentsOfFile: historyPath, encoding: .utf8) else { return }
        entries = text.split(separator: "\n").map(String.init)
        if entries.count > historyLimit {
            entries = Array(entries.suffix(historyLimit))
            rewriteHistory()
        }
        for e in entries { add_history(e) }
    }

    func createHistoryFile() -> FileHandle? {
        let fd = open(historyPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { return nil }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    func rewriteHistory() {
        let text = entries.isEmpty ? "" : entries.joined(separator: "\n") + "\n"
        let tmp = historyPath + ".tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else { return }
        _ = rename(tmp, historyPath)
    }

    // MARK: reading keys

    /// One key for libedit: a byte, or a decoded UTF-8 scalar; -1 (end of
    /// input) at end of file or when Ctrl-C was pressed.
    static func getc() -> Int32 {
        let first = byte()
        guard first >= 0x80 else { return first }
        let extra = first >= 0xF0 ? 3 : first >= 0xE0 ? 2 : first >= 0xC0 ? 1 : 0
        guard extra > 0 else { return 0xFFFD }
        var scalar = first & [0x1F, 0x0F, 0x07][extra - 1]
        for _ in 0..<extra {
            let b = byte()
            if b < 0 { return -1 }
            scalar = scalar << 6 | (b & 0x3F)
        }
        return scalar
    }

    static func byte() -> Int32 {
        let fd = STDIN_FILENO
        while true {
            if Signals.sigintSeen != 0 { return -1 }
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: Signals.wakeReadFD, events: Int16(POLLIN), revents: 0)]
            let r = poll(&fds, Signals.wakeReadFD >= 0 ? 2 : 1, -1)
            if r < 0 {
                if errno == EINTR { continue }
                return -1
            }
            if fds[1].revents != 0 { Signals.drainWake(); continue }
            var c: UInt8 = 0
            let n = Glibc.read(fd, &c, 1)
            if n == 1 { return Int32(c) }
            if n < 0, errno == EINTR || errno == EAGAIN { continue }
            return -1
        }
    }

    // MARK: completion plumbing (C callbacks cannot capture, so state is static)

    nonisolated(unsafe) static var completer: Completer?
    nonisolated(unsafe) static var matches: [String] = []
    nonisolated(unsafe) static var matchIndex = 0

    static func attemptCompletion(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        rl_attempted_completion_over = 1
        rl_completion_append_character = 0
        guard let completer, let buf = rl_line_buffer, let text else { return nil }
        let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(buf).assumingMemoryBound(to: UInt8.self), count: strlen(buf)))
        let prefix = String(decoding: bytes[..<min(max(0, Int(rl_point)), bytes.count)], as: UTF8.self)
        let chars = Array(prefix)
        let (wordStart, candidates) = completer(prefix, chars.count)
        matches = adjust(candidates, line: chars, wordStart: wordStart, word: String(cString: text))
        matchIndex = 0
        if matches.isEmpty { return nil }
        return rl_completion_matches(text) { _, state in
            if state == 0 { LineEditor.matchIndex = 0 }
            guard LineEditor.matchIndex < LineEditor.matches.count else { return nil }
            defer { LineEditor.matchIndex += 1 }
            return strdup(LineEditor.matches[LineEditor.matchIndex])
        }
    }

    /// libedit replaces `word` (the text after the last break character);
    /// the completer's candidates replace `line[wordStart...]`. Rewrites
    /// them to replace `word`.
    static func adjust(_ candidates: [String], line: [Character], wordStart: Int, word: String) -> [String] {
        let rlStart = line.count - word.count
        guard rlStart >= 0, String(line[rlStart...]) == word, wordStart >= 0, wordStart <= line.count else { return [] }
        if wordStart >= rlStart {
            let lead = String(line[rlStart..<wordStart])
            return candidates.map { lead + $0 }
        }
        let typed = String(line[wordStart..<rlStart])
        return candidates.compactMap { $0.hasPrefix(typed) ? String($0.dropFirst(typed.count)) : nil }
    }
}
