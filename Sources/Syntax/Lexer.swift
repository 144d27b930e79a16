/// Turns a cell's text into tokens following Python's tokenizer: INDENT and
/// DEDENT from leading whitespace, NEWLINE only outside brackets, `\` joins
/// lines, comments dropped, f-strings split into parts.
public struct Lexer {
    let chars: [Unicode.Scalar]
    var pos = 0
    var line = 1
    var lineStart = 0
    /// Position of the text inside the cell (for f-string expressions).
    let baseLine: Int
    let baseColumn: Int
    var indents: [Int] = [0]
    var brackets: [(Unicode.Scalar, SourceRange)] = []
    var tokens: [Token] = []
    var atLineStart = true
    let nested: Bool

    public init(_ source: String) {
        chars = Array(source.unicodeScalars)
        baseLine = 0; baseColumn = 0; nested = false
    }

    /// Lexes an f-string's replacement field found at (line, column) of the cell,
    /// as if it were inside parentheses.
    public init(fieldSource: String, line: Int, column: Int) {
        chars = Array(fieldSource.unicodeScalars)
        baseLine = line - 1; baseColumn = column - 1; nested = true
        atLineStart = false
        brackets = [("(", SourceRange(line: line, column: column))]
    }

    public static func tokenize(_ source: String) throws -> [Token] {
        var lexer = Lexer(source)
        return try lexer.tokenize()
    }

    // MARK: positions

    func location(_ p: Int, line l: Int? = nil, lineStart ls: Int? = nil) -> (Int, Int) {
        let ln = l ?? line, start = ls ?? lineStart
        let col = p - start + 1
        return (ln + baseLine, ln == 1 ? col + baseColumn : col)
    }

    func range(from start: Int, startLine: Int, startLineStart: Int) -> SourceRange {
        let (l1, c1) = location(start, line: startLine, lineStart: startLineStart)
        let (l2, c2) = location(pos)
        return SourceRange(line: l1, column: c1, endLine: l2, endColumn: c2)
    }

    func here(width: Int = 1) -> SourceRange {
        let (l, c) = location(pos)
        return SourceRange(line: l, column: c, width: width)
    }

    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let i = pos + offset
        return i < chars.count ? chars[i] : nil
    }

    mutating func newLine() { line += 1; lineStart = pos }

    // MARK: main loop

    public mutating func tokenize() throws -> [Token] {
        // CPython refuses a NUL anywhere in the source, strings and comments included.
        if !nested, let nul = chars.firstIndex(of: "\u{0}") {
            var l = 1, start = 0
            for i in 0..<nul where chars[i] == "\n" { l += 1; start = i + 1 }
            throw SyntaxError("source code cannot contain null bytes", SourceRange(line: l, column: nul - start + 1))
        }
        while true {
            if atLineStart && brackets.isEmpty {
                if try !indentation() { break }
                continue
            }
            guard let c = peek() else { break }
            switch c {
            case " ", "\t", "\u{0C}", "\r":
                pos += 1
            case "#":
                while let d = peek(), d != "\n" { _ = d; pos += 1 }
            case "\\":
                if peek(1) == "\n" { pos += 2; newLine() }
                else if peek(1) == "\r" && peek(2) == "\n" { pos += 3; newLine() }
                else if peek(1) == nil {
                    throw SyntaxError("unexpected EOF while parsing", here())
                } else {
                    throw SyntaxError("unexpected character after line continuation character", here())
                }
            case "\n":
                if brackets.isEmpty {
                    tokens.append(Token(.newline, here()))
                    atLineStart = true
                }
                pos += 1
                newLine()
            case "0"..."9":
                try number()
            case "." where peek(1).map { ("0"..."9").contains($0) } ?? false:
                try number()
            case "\"", "'":
                try string(prefix: "", start: pos)
            default:
                if isIdentStart(c) { try identifier() } else { try op(c) }
            }
        }
        return try finish()
    }

    /// Measures the indentation of a new logical line; false at end of input.
    mutating func indentation() throws -> Bool {
        var width = 0
        let start = pos
        while let c = peek(), c == " " || c == "\t" || c == "\u{0C}" {
            width = c == "\t" ? (width / 8 + 1) * 8 : width + 1
            pos += 1
        }
        guard let c = peek() else { return false }
        if c == "\n" || c == "#" || c == "\r" {
            while let d = peek(), d != "\n" { _ = d; pos += 1 }
            if peek() == "\n" { pos += 1; newLine() }
            return true
        }
        atLineStart = false
        let (l, _) = location(start)
        let current = indents.last ?? 0
        if width > current {
            indents.append(width)
            tokens.append(Token(.indent, SourceRange(line: l, column: 1, endLine: l, endColumn: width + 1)))
        } else if width < current {
            while let top = indents.last, top > width {
                indents.removeLast()
                tokens.append(Token(.dedent, SourceRange(line: l, column: width + 1, width: 0)))
            }
            if indents.last != width {
                throw SyntaxError("unindent does not match any outer indentation level",
                                  SourceRange(line: l, column: width + 1, width: 0))
            }
        }
        return true
    }

    mutating func finish() throws -> [Token] {
        if let (open, r) = brackets.last, !nested {
            throw SyntaxError("'\(open)' was never closed", r)
        }
        let end = here(width: 0)
        if let last = tokens.last, last.kind != .newline, !nested {
            tokens.append(Token(.newline, end))
        }
        while indents.count > 1 {
            indents.removeLast()
            tokens.append(Token(.dedent, end))
        }
        tokens.append(Token(.eof, end))
        return tokens
    }

    // MARK: names and operators

    func isIdentStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c)
            || (c.value > 127 && c.properties.isXIDStart)
    }

    func isIdentContinue(_ c: Unicode.Scalar) -> Bool {
        isIdentStart(c) || ("0"..."9").contains(c) || (c.value > 127 && c.properties.isXIDContinue)
    }

    mutating func identifier() throws {
        let start = pos
        while let c = peek(), isIdentContinue(c) { _ = c; pos += 1 }
        var text = ""
        text.unicodeScalars.append(contentsOf: chars[start..<pos])
        if let q = peek(), q == "\"" || q == "'",
           ["r", "f", "b", "u", "rf", "fr", "br", "rb"].contains(text.lowercased()) {
            try string(prefix: text.lowercased(), start: start)
            return
        }
        let r = range(from: start, startLine: line, startLineStart: lineStart)
        tokens.append(Token(pythonKeywords.contains(text) ? .keyword(text) : .name(text), r))
    }

    static let operators3: Set<String> = ["**=", "//=", "...", ">>=", "<<="]
    static let operators2: Set<String> = ["**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=",
                                          "%=", "@=", "&=", "|=", "^=", "->", "<<", ">>", ":="]
    static let operators1: Set<String> = ["+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">",
                                          "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "="]

    mutating func op(_ c: Unicode.Scalar) throws {
        for n in [3, 2, 1] where pos + n <= chars.count {
            var text = ""
            text.unicodeScalars.append(contentsOf: chars[pos..<pos + n])
            let set = n == 3 ? Lexer.operators3 : n == 2 ? Lexer.operators2 : Lexer.operators1
            guard set.contains(text) else { continue }
            let r = here(width: n)
            try bracket(c, r)
            pos += n
            tokens.append(Token(.op(text), r))
            return
        }
        let hex = String(c.value, radix: 16, uppercase: true)
        let code = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        throw SyntaxError("invalid character '\(c)' (U+\(code))", here())
    }

    mutating func bracket(_ c: Unicode.Scalar, _ r: SourceRange) throws {
        switch c {
        case "(", "[", "{":
            brackets.append((c, r))
            if brackets.count > 200 { throw SyntaxError("too many nested parentheses", r) }
        case ")", "]", "}":
            guard let (open, _) = brackets.last, !(nested && brackets.count == 1) else {
                throw SyntaxError("unmatched '\(c)'", r)
            }
            let expected: Unicode.Scalar = open == "(" ? ")" : open == "[" ? "]" : "}"
            if c != expected {
                throw SyntaxError("closing parenthesis '\(c)' does not match opening parenthesis '\(open)'", r)
            }
            brackets.removeLast()
        default: break
        }
    }

    // MARK: numbers

    mutating func digits(_ valid: (Unicode.Scalar) -> Bool, into text: inout String) throws {
        while let c = peek() {
            if valid(c) { text.unicodeScalars.append(c); pos += 1 }
            else if c == "_", let d = peek(1), valid(d) { pos += 1 }
            else if c == "_" { throw SyntaxError("invalid decimal literal", here()) }
            else { break }
        }
    }

    mutating func number() throws {
        let start = pos
        let isDigit: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
        var text = ""
        if peek() == "0", let p = peek(1), "xXoObB".unicodeScalars.contains(p) {
            pos += 2
            let radix = (p == "x" || p == "X") ? 16 : (p == "o" || p == "O") ? 8 : 2
            if peek() == "_" { pos += 1 }
            try digits({ Int(String($0), radix: radix) != nil }, into: &text)
            let r = range(from: start, startLine: line, startLineStart: lineStart)
            if let c = peek(), isIdentContinue(c) {
                let name = radix == 16 ? "hexadecimal" : radix == 8 ? "octal" : "binary"
                throw SyntaxError("invalid \(name) literal", r)
            }
            guard let v = Int(text, radix: radix) else {
                throw SyntaxError(text.isEmpty ? "invalid syntax" : "integer literal too large (Tensorpad ints are 64-bit)", r)
            }
            tokens.append(Token(.int(v), r))
            return
        }
        try digits(isDigit, into: &text)
        var isFloat = false
        if peek() == "." {
            isFloat = true
            text += "."; pos += 1
            try digits(isDigit, into: &text)
        }
        if let e = peek(), e == "e" || e == "E" {
            let sign = peek(1)
            let hasSign = sign == "+" || sign == "-"
            if let d = peek(hasSign ? 2 : 1), isDigit(d) {
                isFloat = true
                text += "e"; pos += 1
                if hasSign, let s = sign { text.unicodeScalars.append(s); pos += 1 }
                try digits(isDigit, into: &text)
            }
        }
        let r = range(from: start, startLine: line, startLineStart: lineStart)
        if let c = peek(), isIdentContinue(c) {
            if c == "j" || c == "J" { throw SyntaxError("complex numbers are not supported", r) }
            throw SyntaxError("invalid decimal literal", r)
        }
        if isFloat {
            guard let v = Double(text.hasPrefix(".") ? "0" + text : text) else {
                throw SyntaxError("invalid decimal literal", r)
            }
            tokens.append(Token(.float(v), r))
        } else {
            if text.count > 1 && text.hasPrefix("0") && text.contains(where: { $0 != "0" }) {
                throw SyntaxError("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", r)
            }
            guard let v = Int(text) else {
                throw SyntaxError("integer literal too large (Tensorpad ints are 64-bit)", r)
            }
            tokens.append(Token(.int(v), r))
        }
    }
}
