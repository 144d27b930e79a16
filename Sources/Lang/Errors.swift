import Syntax
import TensorCore
import Formats
import Data

public enum ErrorKind: String, Equatable, Sendable, CaseIterable {
    case SyntaxError, NameError, TypeError, ValueError, IndexError, KeyError, ZeroDivisionError
    case ShapeError, IOError, RecursionError, MemoryError, KeyboardInterrupt, AttributeError
    case AssertionError, OverflowError, ModuleNotFoundError, RuntimeError, NotImplementedError
    /// IPython's error for a magic used wrongly (`%timeit -n x`, an unknown `%magic`).
    case UsageError
    case BaseException, Exception, ArithmeticError, LookupError, ImportError, OSError
    case FileNotFoundError, FileExistsError, StopIteration, UnboundLocalError, SystemExit, PermissionError
}

/// Where something happened: a range in a cell, inside a function or at top level.
public struct ErrorLocation: Equatable, Sendable {
    public var cell: Int
    public var range: SourceRange
    /// The `def` containing the range; nil at the top level of a cell.
    public var function: String?
    public init(cell: Int, range: SourceRange, function: String?) {
        self.cell = cell; self.range = range; self.function = function
    }
}

/// Every error the user sees: its kind, message, where it happened and,
/// for errors inside a `def`, the call sites that led there.
public struct LangError: Error, Equatable, CustomStringConvertible {
    public var kind: ErrorKind
    public var message: String
    /// The innermost place (the failing expression); nil until located.
    public var location: ErrorLocation?
    /// The call sites that led to `location`, outermost first.
    public var callers: [ErrorLocation] = []
    /// The exception object a `raise` threw (its `args`), handed to `except ... as e`.
    public var raised: RaisedObject?
    /// The user's exception class (`class E(ValueError)`), named in place of the kind.
    public var className: String?
    /// The name shown: the user's class, or the kind.
    public var name: String { className ?? kind.rawValue }

    public init(_ kind: ErrorKind, _ message: String, at location: ErrorLocation? = nil) {
        self.kind = kind; self.message = message; self.location = location
    }

    public var description: String { message.isEmpty ? name : "\(name): \(message)" }

    /// Maps a TensorCore error to the kind a user sees.
    public init(_ e: TensorError) {
        switch e {
        case .shape(let m): self.init(.ShapeError, m)
        case .value(let m): self.init(.ValueError, m)
        case .index(let m): self.init(.IndexError, m)
        case .type(let m): self.init(.TypeError, m)
        case .memory: self.init(.MemoryError, e.description)
        case .interrupted: self.init(.KeyboardInterrupt, "")
        case .runtime(let m): self.init(.RuntimeError, m)
        case .overflow(let m): self.init(.OverflowError, m)
        case .recursion(let m): self.init(.RecursionError, m)
        case .notImplemented(let m): self.init(.NotImplementedError, m)
        }
    }

    /// Any thrown error as a LangError (unknown errors become RuntimeError).
    public static func from(_ e: Error) -> LangError {
        if let l = e as? LangError { return l }
        if let t = e as? TensorError { return LangError(t) }
        if let s = e as? SyntaxError { return LangError(.SyntaxError, s.message) }
        if let f = e as? FormatError {
            // A missing file is FileNotFoundError, as Python's open() raises it.
            let m = f.description
            if m.hasPrefix("[Errno 2] ") { return LangError(.FileNotFoundError, m) }
            if m.hasPrefix("[Errno 17] ") { return LangError(.FileExistsError, m) }
            if m.hasPrefix("[Errno 13] ") { return LangError(.PermissionError, m) }
            if f == .nulInPath { return LangError(.ValueError, m) }
            if m.hasPrefix("[Errno ") { return LangError(.OSError, m) }
            return LangError(.IOError, m)
        }
        if let d = e as? DataError { return LangError(d) }
        return LangError(.RuntimeError, "\(e)")
    }
}

/// Carries the raised object inside a LangError without taking part in its equality.
public struct RaisedObject: Equatable {
    public let object: AnyObject
    public init(_ object: AnyObject) { self.object = object }
    public static func == (a: RaisedObject, b: RaisedObject) -> Bool { true }
}

// Shorthands used all over the interpreter.
func typeError(_ m: String) -> LangError { LangError(.TypeError, m) }
func valueError(_ m: String) -> LangError { LangError(.ValueError, m) }
func indexError(_ m: String) -> LangError { LangError(.IndexError, m) }

/// A cell's text and where it sits, for rendering errors.
public struct CellSource: Equatable, Sendable {
    public var source: String
    /// The notebook's path; nil in the REPL.
    public var fileName: String?
    /// The file line of the cell's first line (1 for the REPL).
    public var firstLine: Int
    /// `cell 2` for files, `In [5]` in the REPL.
    public var label: String
    public init(source: String, fileName: String? = nil, firstLine: Int = 1, label: String) {
        self.source = source; self.fileName = fileName; self.firstLine = firstLine; self.label = label
    }
}

/// Renders an error as SPEC §9 shows it:
/// ```
/// ShapeError: mat1 and mat2 shapes cannot be multiplied (1x512 and 256x10)
///   --> shape.tpad:6:5 (cell 2, line 2)
///    |
///  6 | y = fc(x)
///    |     ^^^^^
/// ```
/// With a call chain, each call site follows, outermost first and the
/// failing expression last, as Python's tracebacks order them.
public enum ErrorRenderer {
    public static func render(_ e: LangError, cells: (Int) -> CellSource?) -> String {
        var out = e.description
        var places = e.callers
        if let l = e.location { places.append(l) }
        // As Python does, a frame repeated more than 3 times in a row is shown
        // 3 times and then counted (deep recursion).
        var i = 0
        while i < places.count {
            var run = 1
            while i + run < places.count && places[i + run] == places[i] { run += 1 }
            for _ in 0..<min(run, 3) {
                if let cell = cells(places[i].cell) { out += "\n" + snippet(places[i], cell) }
            }
            if run > 3 { out += "\n  [Previous line repeated \(run - 3) more times]" }
            i += run
        }
        return out
    }

    /// A single-cell convenience.
    public static func render(_ e: LangError, source: CellSource) -> String {
        render(e, cells: { _ in source })
    }

    static func snippet(_ place: ErrorLocation, _ cell: CellSource) -> String {
        let r = place.range
        let fileLine = cell.firstLine + r.line - 1
        var header = "  --> "
        let inFunction = place.function.map { ", in \($0)" } ?? ""
        if let f = cell.fileName {
            header += "\(f):\(fileLine):\(r.column) (\(cell.label), line \(r.line)\(inFunction))"
        } else {
            header += "\(cell.label), line \(r.line):\(r.column)\(inFunction)"
        }
        let lines = cell.source.split(separator: "\n", omittingEmptySubsequences: false)
        guard r.line >= 1, r.line <= lines.count else { return header }
        let text = String(lines[r.line - 1]).replacingOccurrences(of: "\t", with: " ")
        let number = String(fileLine)
        let gutter = String(repeating: " ", count: number.count + 2)
        let lineLength = text.unicodeScalars.count
        let start = max(1, r.column)
        var end = r.endLine == r.line ? r.endColumn : lineLength + 1
        if end <= start { end = start + 1 }
        // carets stop at the end of the text (but always at least one)
        if end > lineLength + 1 && start <= lineLength { end = lineLength + 1 }
        let carets = String(repeating: " ", count: start - 1) + String(repeating: "^", count: end - start)
        return header + "\n" + gutter + "|\n" + " \(number) | \(text)\n" + gutter + "| " + carets
    }
}
