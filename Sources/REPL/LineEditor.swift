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
///
/// Keys can also come from a queue (`type`): the indentation a new line
/// starts with, a cell to edit again (`%load`), and pasted text. Bracketed
/// paste is on while a line is read: the terminal wraps a paste in
/// `ESC[200~` ... `ESC[201~`, and `getc` turns it into keys that insert it
/// literally (newlines and tabs after Ctrl-V, libedit's quoted insert), so
/// a pasted block lands in the line buffer whole; a paste that ends with a
/// newline is then entered. A history entry may hold several lines: Up
/// recalls a whole cell, which libedit draws over several lines.
public final class LineEditor {
    /// Given the line so far and the cursor (in characters), where the word
    /// being completed starts and the candidates that replace it.
    public typealias Completer = (_ line: String, _ cursor: Int) -> (start: Int, candidates: [String])

    let historyPath: String
    let historyLimit: Int
    /// The history as in the file (one cell per entry, oldest first).
    private var entries: [String] = []
    /// The history file's first line; entries follow one per line, `\` and newlines escaped.
    static let historyHeader = "#tensorpad-history v2"

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

    /// Reads one line (several, when a block was pasted or recalled). `.interrupted`
    /// after Ctrl-C (the line is dropped), `.end` at Ctrl-D on an empty line or end of input.
    /// `initial` is typed into the line first (the indentation of a block's next line).
    public func read(prompt: String, initial: String = "") -> Input {
        Signals.drainWake()
        Signals.sigintSeen = 0
        LineEditor.keys.removeAll()
        type(initial)
        if LineEditor.bracketedPaste { fputs("\u{1B}[?2004h", stdout); fflush(stdout) }
        let raw = readline(prompt)
        if LineEditor.bracketedPaste { fputs("\u{1B}[?2004l", stdout); fflush(stdout) }
        defer { free(raw) }
        if Signals.sigintSeen != 0 {
            fputs("^C\n", stdout)
            fflush(stdout)
            return .interrupted
        }
        guard let raw else { return .end }
        return .line(String(cString: raw))
    }

    /// A block that came in one read (a paste, a recalled cell) was drawn by libedit
    /// without prompts on its later lines; once entered, it is drawn again as IPython
    /// shows it, each later line after `more` (`   ...: `). Rows are counted as the
    /// terminal wrapped them (tabs to the next multiple of 8).
    public func redrawWithPrompts(_ lines: [String], prompt: String, more: String) {
        guard LineEditor.bracketedPaste, lines.count > 1 else { return }
        var ws = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 else { return }
        let cols = Int(ws.ws_col)
        func width(_ s: String, from start: Int) -> Int {
            var w = start
            for c in s { w = c == "\t" ? (w / 8 + 1) * 8 : w + 1 }
            return w
        }
        var rows = 0
        for (k, line) in lines.enumerated() {
            let w = width(line, from: k == 0 ? prompt.count : 0)
            rows += max(1, (w + cols - 1) / cols)
        }
        // A block taller than the screen has scrolled out of reach: leave it as drawn.
        guard rows < Int(ws.ws_row) else { return }
        var out = "\u{1B}[\(rows)A\r\u{1B}[J" + prompt + lines[0] + "\n"
        for line in lines.dropFirst() { out += more + line + "\n" }
        fputs(out, stdout)
        fflush(stdout)
    }

    /// Types `text` as keys before the user's own: each character inserted as is.
    public func type(_ text: String) {
        for u in text.unicodeScalars {
            if u == "\n" || u == "\t" { LineEditor.keys.append(LineEditor.quotedInsert) }
            if u == "\r" { continue }
            LineEditor.keys.append(Int32(bitPattern: u.value))
        }
    }

    // MARK: history

    /// Adds a cell (one line or several) to the history and appends it to the
    /// file at once, so a session that dies still leaves its cells behind.
    public func remember(_ cell: String) {
        guard !cell.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }) else { return }
        if entries.last == cell { return }
        add_history(cell)
        entries.append(cell)
        if entries.count > historyLimit + historyLimit / 4 {
            entries = Array(entries.suffix(historyLimit))
            rewriteHistory()
        } else if let h = FileHandle(forWritingAtPath: historyPath) ?? createHistoryFile() {
            h.seekToEndOfFile()
            h.write(Data((LineEditor.escape(cell) + "\n").utf8))
            h.closeFile()
        }
    }

    /// One history entry as one file line: `\` → `\\`, newline → `\n`.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func unescape(_ s: Substring) -> String {
        var out = "", backslash = false
        for c in s {
            if backslash { out.append(c == "n" ? "\n" : c); backslash = false }
            else if c == "\\" { backslash = true }
            else { out.append(c) }
        }
        if backslash { out.append("\\") }
        return out
    }

    /// Trims the file to the last `historyLimit` lines.
    public func save() {
        if entries.count > historyLimit { entries = Array(entries.suffix(historyLimit)) }
        rewriteHistory()
    }

    /// Reads the file; one of an older version (a typed line per line) is rewritten in this one.
    func loadHistory() {
        guard let text = try? String(contentsOfFile: historyPath, encoding: .utf8) else { return }
        var lines = text.split(separator: "\n")
        let current = lines.first.map { $0 == LineEditor.historyHeader } ?? false
        if current { lines.removeFirst() }
        entries = lines.map { current ? LineEditor.unescape($0) : String($0) }
        if entries.count > historyLimit { entries = Array(entries.suffix(historyLimit)) }
        if !current || lines.count > historyLimit { rewriteHistory() }
        for e in entries { add_history(e) }
    }

    func createHistoryFile() -> FileHandle? {
        let fd = open(historyPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { return nil }
        let h = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        if lseek(fd, 0, SEEK_END) == 0 { h.write(Data((LineEditor.historyHeader + "\n").utf8)) }
        return h
    }

    func rewriteHistory() {
        let text = ([LineEditor.historyHeader] + entries.map(LineEditor.escape)).joined(separator: "\n") + "\n"
        let tmp = historyPath + ".tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else { return }
        _ = rename(tmp, historyPath)
    }

    // MARK: reading keys

    /// Keys to hand libedit before reading the terminal (see `type`).
    nonisolated(unsafe) static var keys: [Int32] = []
    /// Bytes read ahead while looking for a paste marker, to be read again.
    nonisolated(unsafe) static var pushedBack: [Int32] = []
    /// libedit's Ctrl-V (ed-quoted-insert): the next key is inserted as is.
    static let quotedInsert: Int32 = 0x16
    /// Off on a terminal that cannot take the mode switch (`TERM=dumb`).
    nonisolated(unsafe) static var bracketedPaste = ProcessInfo.processInfo.environment["TERM"].map { $0 != "dumb" && !$0.isEmpty } ?? false

    /// One key for libedit: a queued key, a decoded UTF-8 scalar from the
    /// terminal, or a paste turned into keys; -1 (end of input) at end of
    /// file or when Ctrl-C was pressed.
    static func getc() -> Int32 {
        if Signals.sigintSeen != 0 { keys.removeAll(); return -1 }
        if !keys.isEmpty { return keys.removeFirst() }
        let first = nextByte()
        if first == 0x1B, let paste = readPaste() {
            queuePaste(paste)
            return keys.isEmpty ? getc() : keys.removeFirst()
        }
        guard first >= 0x80 else { return first }
        let extra = first >= 0xF0 ? 3 : first >= 0xE0 ? 2 : first >= 0xC0 ? 1 : 0
        guard extra > 0 else { return 0xFFFD }
        var scalar = first & [0x1F, 0x0F, 0x07][extra - 1]
        for _ in 0..<extra {
            let b = nextByte()
            if b < 0 { return -1 }
            scalar = scalar << 6 | (b & 0x3F)
        }
        return scalar
    }

    static func nextByte() -> Int32 { pushedBack.isEmpty ? byte() : pushedBack.removeFirst() }

    /// After an ESC: the pasted text when `[200~` follows (read up to `ESC[201~`), else nil
    /// with the bytes read put back.
    static func readPaste() -> String? {
        var seen: [Int32] = []
        for want in Array("[200~".utf8) {
            let b = byte()
            if b < 0 { pushedBack += seen; return nil }
            seen.append(b)
            if b != Int32(want) { pushedBack += seen; return nil }
        }
        let end = Array("\u{1B}[201~".utf8).map(Int32.init)
        var bytes: [UInt8] = []
        var tail: [Int32] = []
        while true {
            let b = byte()
            if b < 0 { break }
            tail.append(b)
            if tail.count > end.count { bytes.append(UInt8(truncatingIfNeeded: tail.removeFirst())) }
            if tail == end { break }
        }
        if tail != end { bytes += tail.map { UInt8(truncatingIfNeeded: $0) } }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The paste as keys: its text inserted literally; a final newline enters it.
    static func queuePaste(_ paste: String) {
        var text = paste.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var enter = false
        while text.hasSuffix("\n") { text.removeLast(); enter = true }
        for u in text.unicodeScalars {
            if u == "\n" || u == "\t" { keys.append(quotedInsert) }
            else if u.value < 0x20 { continue }
            keys.append(Int32(bitPattern: u.value))
        }
        if enter { keys.append(0x0D) }
    }

    static func byte() -> Int32 {
        let fd = STDIN_FILENO
        while true {
            if Signals.sigintSeen != 0 { return -1 }
            if Signals.winchSeen != 0 {
                Signals.winchSeen = 0
                rl_resize_terminal()
            }
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
