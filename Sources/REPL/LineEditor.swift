import CEdit
#if canImport(Glibc)
import Glibc
#endif

/// The libedit front end: prompts, Emacs keys, history in a file, Tab
/// completion from a provider, and Ctrl-C that clears the line. The only
/// file in the project that touches libedit.
public final class LineEditor {
    /// Given the line so far and the cursor, the candidates for the word being completed.
    public typealias Completer = (_ line: String, _ cursor: Int) -> (start: Int, candidates: [String])

    let historyPath: String
    let historyLimit: Int

    public init(historyPath: String, historyLimit: Int = 10_000, completer: @escaping Completer) {
        self.historyPath = historyPath
        self.historyLimit = historyLimit
        LineEditor.completer = completer
        rl_readline_name = UnsafePointer(strdup("tensorpad"))
        rl_initialize()
        stifle_history(Int32(historyLimit))
        _ = read_history(historyPath)
        // Break words at spaces and operators, but keep dots and quotes' contents together
        // so `nn.Conv` and `"Notebooks/0` complete as one word.
        rl_completer_word_break_characters = strdup(" \t\n()[]{},=+-*/%<>!&|^~:;@")
        rl_attempted_completion_function = { text, start, end in
            LineEditor.attemptCompletion(text, start, end)
        }
    }

    /// Reads one line; nil at end of input (Ctrl-D on an empty line).
    /// A Ctrl-C while typing returns `.interrupted` so the caller clears its buffer.
    public enum Input: Equatable { case line(String), interrupted, end }

    public func read(prompt: String) -> Input {
        LineEditor.sigintSeen = 0
        guard let raw = readline(prompt) else {
            if LineEditor.sigintSeen != 0 { return .interrupted }
            return .end
        }
        defer { free(raw) }
        if LineEditor.sigintSeen != 0 { return .interrupted }
        return .line(String(cString: raw))
    }

    /// Adds a cell's text to history (one entry per cell, as IPython does) and saves the file.
    public func remember(_ entry: String) {
        guard !entry.trimmingCharacters(in: " \n\t").isEmpty else { return }
        add_history(entry)
        _ = write_history(historyPath)
    }

    public func save() { _ = write_history(historyPath) }

    // MARK: completion plumbing (C callbacks cannot capture, so state is static)

    nonisolated(unsafe) static var completer: Completer?
    nonisolated(unsafe) static var matches: [String] = []
    nonisolated(unsafe) static var matchIndex = 0
    nonisolated(unsafe) public static var sigintSeen: sig_atomic_t = 0

    static func attemptCompletion(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        guard let completer, let buf = rl_line_buffer else { return nil }
        let line = String(cString: buf)
        let bytes = Array(line.utf8)
        let cursor = min(Int(rl_point), bytes.count)
        let prefixLine = String(decoding: bytes[..<cursor], as: UTF8.self)
        let (wordStart, candidates) = completer(prefixLine, prefixLine.count)
        // readline replaces [start, end); our word may start earlier (e.g. after a dot).
        let lead = String(prefixLine.prefix(max(0, min(Int(start), prefixLine.count))))
        let typedWord = String(prefixLine.dropFirst(min(wordStart, prefixLine.count)))
        let alreadyInWord = String(prefixLine.dropFirst(lead.count))
        let cut = typedWord.count - alreadyInWord.count
        matches = candidates.compactMap { c -> String? in
            guard cut >= 0, c.count >= cut else { return nil }
            return String(c.dropFirst(cut))
        }
        matchIndex = 0
        rl_completion_append_character = 0
        if matches.isEmpty { return nil }
        guard let text else { return nil }
        return rl_completion_matches(text) { _, state in
            if state == 0 { LineEditor.matchIndex = 0 }
            guard LineEditor.matchIndex < LineEditor.matches.count else { return nil }
            defer { LineEditor.matchIndex += 1 }
            return strdup(LineEditor.matches[LineEditor.matchIndex])
        }
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
