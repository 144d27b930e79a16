/// String literals: quotes, escapes, and the parts of f-strings.
extension Lexer {
    /// A character of a literal's body with its place in the cell.
    struct Located { var c: Unicode.Scalar; var line: Int; var column: Int }

    mutating func string(prefix: String, start: Int) throws {
        let startLine = line, startLineStart = lineStart
        let (sl, sc) = location(start)
        let startRange = SourceRange(line: sl, column: sc)
        let raw = prefix.contains("r"), isF = prefix.contains("f")
        guard let q = peek() else { return }
        let triple = peek(1) == q && peek(2) == q
        pos += triple ? 3 : 1
        var body: [Located] = []
        while true {
            guard let c = peek() else {
                let (l, _) = location(pos)
                if triple {
                    throw SyntaxError("unterminated triple-quoted string literal (detected at line \(l))", startRange)
                }
                throw SyntaxError("unterminated string literal (detected at line \(l))", startRange)
            }
            if c == q && (!triple || (peek(1) == q && peek(2) == q)) {
                pos += triple ? 3 : 1
                break
            }
            if c == "\n" && !triple {
                let (l, _) = location(pos)
                throw SyntaxError("unterminated string literal (detected at line \(l))", startRange)
            }
            let (l, col) = location(pos)
            body.append(Located(c: c, line: l, column: col))
            pos += 1
            if c == "\n" { newLine() }
            if c == "\\", let d = peek() {
                let (l2, c2) = location(pos)
                body.append(Located(c: d, line: l2, column: c2))
                pos += 1
                if d == "\n" { newLine() }
            }
        }
        let r = range(from: start, startLine: startLine, startLineStart: startLineStart)
        if isF {
            var i = 0
            let parts = try Lexer.fstringParts(body, &i, raw: raw, inSpec: false, at: r)
            tokens.append(Token(.fstring(parts), r))
        } else {
            tokens.append(Token(.string(Lexer.text(body.map(\.c), raw: raw)), r))
        }
    }

    /// Applies backslash escapes (unless raw).
    static func text(_ scalars: [Unicode.Scalar], raw: Bool) -> String {
        var out = String.UnicodeScalarView()
        if raw { out.append(contentsOf: scalars); return String(out) }
        var i = 0
        func hex(_ n: Int) -> Unicode.Scalar? {
            guard i + n < scalars.count else { return nil }
            var s = ""
            s.unicodeScalars.append(contentsOf: scalars[(i + 1)...(i + n)])
            guard let v = UInt32(s, radix: 16), let u = Unicode.Scalar(v) else { return nil }
            return u
        }
        while i < scalars.count {
            let c = scalars[i]
            guard c == "\\", i + 1 < scalars.count else { out.append(c); i += 1; continue }
            let e = scalars[i + 1]
            i += 1
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "\\": out.append("\\")
            case "'": out.append("'")
            case "\"": out.append("\"")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "v": out.append("\u{0B}")
            case "\n": break
            case "x", "u", "U":
                let n = e == "x" ? 2 : e == "u" ? 4 : 8
                if let u = hex(n) { out.append(u); i += n } else { out.append("\\"); out.append(e) }
            case "0"..."7":
                var v: UInt32 = 0, n = 0
                while n < 3, i < scalars.count, ("0"..."7").contains(scalars[i]) {
                    v = v * 8 + (scalars[i].value - 48); i += 1; n += 1
                }
                if let u = Unicode.Scalar(v) { out.append(u) }
                continue
            default:
                out.append("\\"); out.append(e)
            }
            i += 1
        }
        return String(out)
    }

    /// Splits an f-string body into literal text and `{...}` fields.
    static func fstringParts(_ s: [Located], _ i: inout Int, raw: Bool, inSpec: Bool,
                             at whole: SourceRange) throws -> [FStringPart] {
        var parts: [FStringPart] = []
        var literal: [Unicode.Scalar] = []
        func flush() {
            if !literal.isEmpty { parts.append(.literal(text(literal, raw: raw))); literal = [] }
        }
        while i < s.count {
            let c = s[i].c
            if c == "{" {
                if !inSpec, i + 1 < s.count, s[i + 1].c == "{" { literal.append("{"); i += 2; continue }
                flush()
                i += 1
                parts.append(try field(s, &i, raw: raw, at: whole))
            } else if c == "}" {
                if inSpec { break }
                if i + 1 < s.count, s[i + 1].c == "}" { literal.append("}"); i += 2; continue }
                throw SyntaxError("f-string: single '}' is not allowed",
                                  SourceRange(line: s[i].line, column: s[i].column))
            } else {
                literal.append(c); i += 1
            }
        }
        flush()
        return parts
    }

    static func field(_ s: [Located], _ i: inout Int, raw: Bool, at whole: SourceRange) throws -> FStringPart {
        let start = i
        var depth = 0
        var quote: Unicode.Scalar?
        var selfDoc = false
        func next(_ k: Int) -> Unicode.Scalar? { i + k < s.count ? s[i + k].c : nil }
        scan: while i < s.count {
            let c = s[i].c
            if let q = quote { if c == q { quote = nil }; i += 1; continue }
            switch c {
            case "'", "\"": quote = c
            case "(", "[", "{": depth += 1
            case ")", "]": depth -= 1
            case "}":
                if depth == 0 { break scan }
                depth -= 1
            case "!" where depth == 0 && next(1) != "=": break scan
            case ":" where depth == 0: break scan
            case "=" where depth == 0 && next(1) != "=":
                let prev = i > start ? s[i - 1].c : " "
                if !"=!<>".unicodeScalars.contains(prev) {
                    var k = 1
                    while next(k) == " " { k += 1 }
                    if let n = next(k), n == "}" || n == "!" || n == ":" { selfDoc = true; break scan }
                }
            default: break
            }
            i += 1
        }
        let end = i
        var source = String.UnicodeScalarView()
        source.append(contentsOf: s[start..<end].map(\.c))
        let text = String(source)
        let here = i < s.count ? SourceRange(line: s[i].line, column: s[i].column)
                               : SourceRange(line: whole.endLine, column: max(1, whole.endColumn - 1))
        if text.allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\t" }) {
            throw SyntaxError("f-string: valid expression required before '}'", here)
        }
        let at = SourceRange(line: s[start].line, column: s[start].column,
                             endLine: s[end - 1].line, endColumn: s[end - 1].column + 1)
        var selfDocText: String?
        if selfDoc {
            i += 1
            var after = "="
            while i < s.count, s[i].c == " " { after += " "; i += 1 }
            selfDocText = text + after
        }
        var conversion: Character?
        if i < s.count, s[i].c == "!" {
            guard i + 1 < s.count, "rsa".unicodeScalars.contains(s[i + 1].c) else {
                throw SyntaxError("f-string: invalid conversion character: expected 's', 'r', or 'a'", here)
            }
            conversion = Character(s[i + 1].c)
            i += 2
        }
        var spec: [FStringPart] = []
        if i < s.count, s[i].c == ":" {
            i += 1
            spec = try fstringParts(s, &i, raw: raw, inSpec: true, at: whole)
        }
        guard i < s.count, s[i].c == "}" else {
            throw SyntaxError("f-string: expecting '}'", here)
        }
        i += 1
        return .field(source: text, at: at, conversion: conversion, spec: spec, selfDoc: selfDocText)
    }
}
