/// Whether the REPL should run what was typed or ask for more (IPython's
/// `check_complete`): open brackets, an unfinished triple-quoted string, a
/// trailing `\`, or a block not yet closed by an empty line are incomplete.
public enum Completeness: Equatable, Sendable {
    case complete, incomplete, invalid
}

public func checkComplete(_ source: String) -> Completeness {
    if source.allSatisfy({ $0.isWhitespace }) { return .complete }
    let tokens: [Token]
    do {
        tokens = try Lexer.tokenize(source)
    } catch let e as SyntaxError {
        if e.message.hasSuffix("was never closed") || e.message.hasPrefix("unterminated triple-quoted")
            || e.message.hasPrefix("unexpected EOF") {
            return .incomplete
        }
        return .invalid
    } catch {
        return .invalid
    }
    let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    // Lines as typed, each ending in "\n": a block ends with an empty line.
    let blank: (Substring) -> Bool = { $0.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" } }
    let endsWithBlank = lines.count >= 2 && blank(lines[lines.count - 1]) && blank(lines[lines.count - 2])
    // A block is open when the last logical line ends with ':' or is indented.
    let opensBlock = tokens.contains { $0.kind == .indent }
        || lastSignificant(tokens)?.kind == .op(":")
    if opensBlock && !endsWithBlank {
        if lastSignificant(tokens)?.kind == .op(":") { return .incomplete }
        do { _ = try Parser.parse(source) } catch { return .invalid }
        return .incomplete
    }
    do { _ = try Parser.parse(source) } catch { return .invalid }
    return .complete
}

private func lastSignificant(_ tokens: [Token]) -> Token? {
    tokens.last { t in
        switch t.kind {
        case .newline, .dedent, .eof: return false
        default: return true
        }
    }
}
