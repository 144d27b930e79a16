import Foundation

/// A notebook as data: the cells of a `.tpad` or `.ipynb` file, with outputs once run.
public struct NotebookFile: Equatable, Sendable {
    public var cells: [Cell]
    /// The `.ipynb` top-level `metadata` object as JSON text (kernelspec, jupytext, ...),
    /// kept from a read notebook so `convert` and `run --out` write it back.
    public var metadata: String?
    /// The comment block of a percent file before its first cell (Jupytext's
    /// `# ---` YAML header), kept whole and written back first.
    public var header: String?

    public init(cells: [Cell] = [], metadata: String? = nil, header: String? = nil) {
        self.cells = cells; self.metadata = metadata; self.header = header
    }

    /// Reads `.ipynb` files as nbformat 4 JSON and any other file as percent format.
    public static func read(path: String) throws -> NotebookFile {
        isIpynb(path) ? try Ipynb.read(path: path) : try PercentNotebook.read(path: path)
    }

    /// Writes `.ipynb` files as nbformat 4.5 JSON and any other file as percent format (atomically).
    public func write(to path: String) throws {
        if NotebookFile.isIpynb(path) { try Ipynb.write(self, to: path) } else { try PercentNotebook.write(self, to: path) }
    }

    public static func isIpynb(_ path: String) -> Bool { path.lowercased().hasSuffix(".ipynb") }
}

public enum CellKind: String, Equatable, Sendable {
    case code
    case markdown
    /// nbformat's raw cell: text passed through untouched, never run (`# %% [raw]`).
    case raw
}

/// One cell: its source, an optional title (`# %% Title`, or `metadata.title` in
/// `.ipynb`), the 1-based file line where its source starts (`.tpad`; 1 for `.ipynb`),
/// and what running it produced.
public struct Cell: Equatable, Sendable {
    public var kind: CellKind
    public var source: String
    public var title: String?
    /// File line (1-based) of the source's first line, so errors can point at `PATH:LINE:COL`.
    public var firstLine: Int
    public var outputs: [CellOutput]
    public var executionCount: Int?
    /// The nbformat 4.5 cell id, kept from a read `.ipynb`; generated on write when nil.
    public var id: String?

    public init(kind: CellKind = .code, source: String, title: String? = nil, firstLine: Int = 1,
                outputs: [CellOutput] = [], executionCount: Int? = nil, id: String? = nil) {
        self.kind = kind
        self.source = source
        self.title = title
        self.firstLine = firstLine
        self.outputs = outputs
        self.executionCount = executionCount
        self.id = id
    }
}

/// What a cell produced, as nbformat 4 output kinds.
public enum CellOutput: Equatable, Sendable {
    /// Printed text; `name` is `stdout` (or `stderr`).
    case stream(name: String, text: String)
    /// The value of the cell's last expression, shown as `Out[n]`.
    case executeResult(text: String, executionCount: Int?)
    /// An error: kind (`ShapeError`), message, and the lines shown for it.
    case error(ename: String, evalue: String, traceback: [String])
    /// A picture shown in the cell (PNG bytes) and/or its plain-text stand-in.
    case displayData(png: Data?, text: String?)
}

/// `s` split at every `\n` scalar (a `\r\n` pair counts, unlike `String`'s grapheme view),
/// keeping empty pieces: `"a\n"` gives `["a", ""]`.
func splitAtNewlines(_ s: String) -> [String] {
    var out: [String] = []
    var current = String.UnicodeScalarView()
    for u in s.unicodeScalars {
        if u == "\n" {
            out.append(String(current))
            current = String.UnicodeScalarView()
        } else {
            current.append(u)
        }
    }
    out.append(String(current))
    return out
}
