import Syntax

/// A cell as IPython's input transformers see it: Python code with IPython's
/// own lines mixed in. At the top level of a cell (not indented, not inside
/// brackets or a string) a line may be
///   `%magic args`, `x = %magic args`   a line magic (its value assigned)
///   `!cmd`, `x = !cmd`                 a shell command (its lines assigned)
///   `obj?`, `obj??`, `?obj`            help on a name
/// and a cell whose first line is `%%magic args` is a cell magic over the rest.
/// Everything else is code, run in order between them. The same lines inside
/// an indented block (`for f in files:` / `    %time load(f)`) become calls of
/// `__ipython_line_N__(k)` (N: the cell's execution count, so a `def` keeps
/// calling its own cell's lines), which runs `inline[k]` when the code gets there.
public struct CellSplit: Equatable {
    public enum Part: Equatable {
        /// Consecutive code lines; `line` is the 0-based cell line of the first.
        case code(String, line: Int)
        case magic(name: String, argument: String, assign: String?, line: Int)
        case shell(command: String, assign: String?, line: Int)
        /// `obj?` (detail 1) or `obj??` (detail 2).
        case help(expression: String, detail: Int, line: Int)

        /// The 0-based cell line the part starts on.
        public var line: Int {
            switch self {
            case .code(_, let line), .magic(_, _, _, let line), .shell(_, _, let line), .help(_, _, let line): return line
            }
        }
    }

    /// `%%name args` on the first line, with the cell's other lines.
    public var cellMagic: (name: String, argument: String, body: String)?
    /// The 0-based cell line of the `%%name` line.
    public var cellMagicLine = 0
    public var parts: [Part]
    /// The IPython lines of indented blocks, called from the code by index (the code assigns).
    public var inline: [Part] = []
    /// The name of the session builtin that runs `inline[k]`.
    public let inlineCall: String

    public static func == (a: CellSplit, b: CellSplit) -> Bool {
        a.parts == b.parts && a.inline == b.inline && a.cellMagic?.name == b.cellMagic?.name
            && a.cellMagic?.argument == b.cellMagic?.argument && a.cellMagic?.body == b.cellMagic?.body
    }

    public init(_ source: String, inlineCall: String = "__ipython_line__") {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        parts = []
        self.inlineCall = inlineCall
        if let first = lines.firstIndex(where: { !CellSplit.isBlank($0) }),
           lines[first].hasPrefix("%%"), let (name, arg) = CellSplit.magicWords(lines[first].dropFirst(2)) {
            cellMagic = (name, arg, lines[(first + 1)...].joined(separator: "\n"))
            cellMagicLine = first
            return
        }
        var scanner = LineScanner()
        var code: [String] = [], codeStart = 0
        func flush() {
            if code.contains(where: { !CellSplit.isBlank($0) }) { parts.append(.code(code.joined(separator: "\n"), line: codeStart)) }
            code = []
        }
        for (i, line) in lines.enumerated() {
            let atTop = scanner.atStatementStart
            scanner.scan(line)
            if atTop, let special = CellSplit.special(line, at: i) {
                flush()
                parts.append(special)
                codeStart = i + 1
                continue
            }
            if code.isEmpty { codeStart = i }
            if atTop, let (indent, special) = CellSplit.indentedSpecial(line, at: i) {
                var assign: String?
                switch special {
                case .magic(_, _, let target, _), .shell(_, let target, _): assign = target
                default: break
                }
                inline.append(special)
                code.append(indent + (assign.map { $0 + " = " } ?? "") + "\(inlineCall)(\(inline.count - 1))")
                continue
            }
            code.append(line)
        }
        flush()
    }

    /// True when the cell is plain code (no magic, shell or help line).
    public var isPlainCode: Bool { cellMagic == nil && parts.allSatisfy { if case .code = $0 { return true }; return false } }

    /// The cell with every IPython line replaced by `pass`: what the parser
    /// must accept. A cell magic's body is not Python (`%%writefile`).
    public static func masked(_ source: String) -> String {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var scanner = LineScanner()
        var out: [String] = []
        for (i, line) in lines.enumerated() {
            let atTop = scanner.atStatementStart
            scanner.scan(line)
            if atTop, special(line, at: i) != nil { out.append("pass") }
            else if atTop, let (indent, _) = indentedSpecial(line, at: i) { out.append(indent + "pass") }
            else { out.append(line) }
        }
        return out.joined(separator: "\n")
    }

    /// Whether the lines typed so far (each ended by Enter, so `source` ends in
    /// "\n") make a cell the REPL can run. A cell magic runs at an empty line.
    public static func completeness(_ source: String) -> Completeness {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        if let first = lines.first(where: { !isBlank(String($0)) }), first.hasPrefix("%%") {
            return lines.count >= 3 && isBlank(String(lines[lines.count - 2])) ? .complete : .incomplete
        }
        return checkComplete(masked(source))
    }

    static func isBlank(_ s: String) -> Bool { s.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" } }

    /// `name rest` after `%`: the magic's name (letters, digits, `_`) and its argument text.
    static func magicWords(_ s: Substring) -> (String, String)? {
        let name = s.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        guard let f = name.first, f.isLetter else { return nil }
        return (String(name), s.dropFirst(name.count).trimmingCharacters(in: .whitespaces))
    }

    /// The IPython meaning of a top-level line, if it has one.
    static func special(_ line: String, at i: Int) -> Part? {
        guard let f = line.first, f != " ", f != "\t" else { return nil }
        let t = line.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("%"), !t.hasPrefix("%%"), let (name, arg) = magicWords(t.dropFirst()) {
            return .magic(name: name, argument: arg, assign: nil, line: i)
        }
        if t.hasPrefix("!") { return .shell(command: String(t.dropFirst()).trimmingCharacters(in: .whitespaces), assign: nil, line: i) }
        // `x = !ls`, `x = %pwd`
        let name = t.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        if let n0 = name.first, !n0.isNumber {
            let rest = t.dropFirst(name.count).drop { $0 == " " }
            if rest.hasPrefix("="), !rest.hasPrefix("==") {
                let value = rest.dropFirst().drop { $0 == " " }
                if value.hasPrefix("!") {
                    return .shell(command: value.dropFirst().trimmingCharacters(in: .whitespaces), assign: String(name), line: i)
                }
                if value.hasPrefix("%"), !value.hasPrefix("%%"), let (m, arg) = magicWords(value.dropFirst()) {
                    return .magic(name: m, argument: arg, assign: String(name), line: i)
                }
            }
        }
        // `obj?`, `obj??`, `?obj`, `??obj`
        var body = Substring(t), detail = 0
        if body.hasSuffix("?") {
            while body.hasSuffix("?"), detail < 2 { body = body.dropLast(); detail += 1 }
        } else if body.hasPrefix("?") {
            while body.hasPrefix("?"), detail < 2 { body = body.dropFirst(); detail += 1 }
        }
        if detail > 0, isDottedName(body) { return .help(expression: String(body), detail: detail, line: i) }
        return nil
    }

    /// An IPython line inside an indented block: its indentation and meaning.
    static func indentedSpecial(_ line: String, at i: Int) -> (String, Part)? {
        let indent = String(line.prefix { $0 == " " || $0 == "\t" })
        guard !indent.isEmpty, indent.count < line.count else { return nil }
        return special(String(line.dropFirst(indent.count)), at: i).map { (indent, $0) }
    }

    /// `a`, `nn.Conv2d`, `model.conv1.weight`, `net[0]`.
    static func isDottedName(_ s: Substring) -> Bool {
        guard let f = s.first, f.isLetter || f == "_" else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || "_.[]'\"".contains($0) } && !s.hasSuffix(".")
    }
}

/// Follows strings, brackets and backslash continuations across lines, to
/// tell whether the next line starts a statement at the top level.
struct LineScanner {
    var depth = 0
    /// The quote of an open triple-quoted string ("\"\"\"" or "'''").
    var tripleQuote: String?
    var continued = false

    var atStatementStart: Bool { depth == 0 && tripleQuote == nil && !continued }

    mutating func scan(_ line: String) {
        let chars = Array(line)
        var i = 0
        continued = false
        while i < chars.count {
            let c = chars[i]
            if let q = tripleQuote {
                if c == "\\" { i += 2; continue }
                if i + 3 <= chars.count, String(chars[i..<(i + 3)]) == q { tripleQuote = nil; i += 3; continue }
                i += 1
                continue
            }
            switch c {
            case "#": return
            case "\"", "'":
                let three = String(repeating: String(c), count: 3)
                if i + 3 <= chars.count, String(chars[i..<(i + 3)]) == three {
                    tripleQuote = three
                    i += 3
                    continue
                }
                i += 1
                while i < chars.count, chars[i] != c {
                    if chars[i] == "\\" { i += 1 }
                    i += 1
                }
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth = max(0, depth - 1)
            case "\\" where i == chars.count - 1: continued = true
            default: break
            }
            i += 1
        }
    }
}
