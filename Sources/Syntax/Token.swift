/// A span of source text inside one cell: 1-based lines and columns,
/// the end column being one past the last character (so `endColumn - column`
/// is the width of a one-line span).
public struct SourceRange: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var endLine: Int
    public var endColumn: Int

    public init(line: Int, column: Int, endLine: Int, endColumn: Int) {
        self.line = line; self.column = column
        self.endLine = endLine; self.endColumn = endColumn
    }

    /// A one-character (or empty) span at a point.
    public init(line: Int, column: Int, width: Int = 1) {
        self.init(line: line, column: column, endLine: line, endColumn: column + width)
    }

    /// The smallest span covering both.
    public func through(_ other: SourceRange) -> SourceRange {
        SourceRange(line: line, column: column, endLine: other.endLine, endColumn: other.endColumn)
    }

    /// Moved by a position: used for the nested expressions of f-strings.
    public func shifted(lines: Int, columnsOnFirstLine: Int) -> SourceRange {
        SourceRange(line: line + lines,
                    column: line == 1 ? column + columnsOnFirstLine : column,
                    endLine: endLine + lines,
                    endColumn: endLine == 1 ? endColumn + columnsOnFirstLine : endColumn)
    }

    public var description: String { "\(line):\(column)-\(endLine):\(endColumn)" }
}

/// One piece of an f-string: literal text, or a replacement field whose
/// expression is kept as source text (with its position) for the parser.
public enum FStringPart: Equatable, Sendable {
    case literal(String)
    /// `{expr!conv:spec}`; `selfDoc` is the text `{x = }` shows before the value.
    case field(source: String, at: SourceRange, conversion: Character?, spec: [FStringPart], selfDoc: String?)
}

public enum TokenKind: Equatable, Sendable {
    case name(String)
    case keyword(String)
    /// Operators and delimiters, by their text: `+`, `**=`, `(`, `...`.
    case op(String)
    case int(Int)
    case float(Double)
    case string(String)
    case fstring([FStringPart])
    case newline
    case indent
    case dedent
    case eof
}

public struct Token: Equatable, Sendable {
    public var kind: TokenKind
    public var range: SourceRange
    public init(_ kind: TokenKind, _ range: SourceRange) { self.kind = kind; self.range = range }

    /// How the token reads in an error message.
    public var display: String {
        switch kind {
        case .name(let s), .keyword(let s), .op(let s): return s
        case .int(let i): return String(i)
        case .float(let d): return String(d)
        case .string, .fstring: return "string"
        case .newline: return "newline"
        case .indent: return "indent"
        case .dedent: return "dedent"
        case .eof: return "end of input"
        }
    }
}

public let pythonKeywords: Set<String> = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
    "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
    "return", "try", "while", "with", "yield",
]

/// A syntax error at a position in a cell, worded as CPython words it.
public struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var range: SourceRange
    public init(_ message: String, _ range: SourceRange) { self.message = message; self.range = range }
    public var description: String { "SyntaxError: \(message) (line \(range.line), column \(range.column))" }
}
