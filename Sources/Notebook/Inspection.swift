import Lang

/// Shift-Tab in Jupyter (`inspect_request`): the help text of the name under
/// the cursor, found by lookups only, like completion — nothing is run.
public enum Inspection {
    /// `help(NAME)`'s text for the dotted name at `cursor` (a character offset
    /// into `code`), or for the function whose call the cursor is in; nil when none.
    public static func help(code: String, cursor: Int, session: Session) -> String? {
        let all = Array(code)
        let cursor = min(max(0, cursor), all.count)
        let lineStart = all[..<cursor].lastIndex(of: "\n").map { $0 + 1 } ?? 0
        var lineEnd = cursor
        while lineEnd < all.count, all[lineEnd] != "\n" { lineEnd += 1 }
        let chars = Array(all[lineStart..<lineEnd])
        let at = cursor - lineStart
        let interp = session.interpreter
        // The name the cursor is in or just after: `nn.Con|v2d` is `nn.Conv2d`.
        var end = at
        while end < chars.count, Completion.isWordChar(chars[end]) { end += 1 }
        if let start = Completion.chainStart(chars, end: end), start < end,
           let v = Completion.resolve(String(chars[start..<end]), interp) {
            return helpText(v, interp)
        }
        // Inside a call's arguments: the callee (`nn.Conv2d(3, |`).
        let scan = Scan(Array(chars[..<at]))
        for (open, kind) in scan.brackets.reversed() where kind == "(" {
            if let start = Completion.chainStart(chars, end: open), start < open,
               let v = Completion.resolve(String(chars[start..<open]), interp) {
                return helpText(v, interp)
            }
        }
        return nil
    }

    /// What `help(v)` prints, without its last newline (the builtin is called
    /// with its output captured; it only describes the value).
    static func helpText(_ v: Value, _ interp: Interpreter) -> String? {
        guard let help = interp.lookupName("help") else { return nil }
        let saved = interp.output
        var text = ""
        interp.output = { text += $0 }
        defer { interp.output = saved }
        guard (try? interp.call(help, [v])) != nil else { return nil }
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
