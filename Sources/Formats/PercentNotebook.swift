import Foundation

/// `.tpad` files: the percent format of Jupytext, VS Code and Spyder.
///
/// A line starting with `# %%` (or `#%%`) begins a cell; the rest of the line is its
/// title, and a `[markdown]` (or `[md]`) token makes it a Markdown cell whose lines are
/// `# text` comments (`[raw]`: a raw cell, written the same way). A Jupytext header
/// (`# ---` ... `# ---` comment lines) before the first marker is kept as the
/// notebook's header; other text before the first marker is a cell of its own; a
/// file without markers is one cell. Trailing blank lines of a cell belong to the gap between cells.
///
/// The canonical form, which `serialize` writes and which reads back byte for byte:
/// every cell starts with a marker (`# %% Title [markdown]`), cells are separated by one
/// blank line, Markdown lines are `# text` (`#` for an empty line), and the file ends
/// with a newline.
public enum PercentNotebook {
    public static func parse(_ text: String) -> NotebookFile {
        var lines = splitAtNewlines(text)
        if lines.last == "" { lines.removeLast() }
        lines = lines.map { $0.unicodeScalars.last == "\r" ? String(String.UnicodeScalarView($0.unicodeScalars.dropLast())) : $0 }

        var cells: [Cell] = []
        var pending: (kind: CellKind, title: String?, firstLine: Int, lines: [String])? = nil
        var preamble: [String] = []
        func flush() {
            guard let p = pending else { return }
            cells.append(makeCell(p.kind, p.title, p.firstLine, p.lines))
        }
        for (i, line) in lines.enumerated() {
            if let (kind, title) = marker(line) {
                if pending == nil, preamble.contains(where: { !isBlank($0) }) {
                    cells.append(makeCell(.code, nil, 1, preamble))
                }
                flush()
                pending = (kind, title, i + 2, [])
            } else if pending != nil {
                pending?.lines.append(line)
            } else {
                preamble.append(line)
            }
        }
        if pending == nil {
            if preamble.contains(where: { !isBlank($0) }) { cells.append(makeCell(.code, nil, 1, preamble)) }
        } else {
            flush()
        }
        var header: String?
        if let first = cells.first, first.kind == .code, first.firstLine == 1, let h = jupytextHeader(first.source) {
            header = h
            let rest = String(first.source.dropFirst(h.count)).trimmingCharacters(in: .newlines)
            if rest.isEmpty { cells.removeFirst() } else { cells[0].source = rest }
        }
        return NotebookFile(cells: cells, header: header)
    }

    /// The leading `# ---` ... `# ---` comment block of a text, if it starts with one.
    static func jupytextHeader(_ text: String) -> String? {
        let lines = splitAtNewlines(text)
        guard lines.first == "# ---", lines.count > 1 else { return nil }
        for k in 1..<lines.count {
            guard lines[k].hasPrefix("#") else { return nil }
            if lines[k] == "# ---" { return lines[0...k].joined(separator: "\n") }
        }
        return nil
    }

    /// The canonical percent-format text of a notebook (outputs are not part of it).
    public static func serialize(_ nb: NotebookFile) -> String {
        let cells = nb.cells.map { cell -> String in
            var header = "# %%"
            if let t = cell.title, !t.isEmpty { header += " " + t }
            if cell.kind != .code { header += " [\(cell.kind.rawValue)]" }
            if cell.source.isEmpty { return header + "\n" }
            var body = splitAtNewlines(cell.source)
            if cell.kind != .code { body = body.map { $0.isEmpty ? "#" : "# " + $0 } }
            return header + "\n" + body.joined(separator: "\n") + "\n"
        }
        return ((nb.header.map { [$0 + "\n"] } ?? []) + cells).joined(separator: "\n")
    }

    public static func read(path: String) throws -> NotebookFile {
        let data = try FileIO.read(path: path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw FormatError.io("\(path): not valid UTF-8 text")
        }
        return parse(text)
    }

    public static func write(_ nb: NotebookFile, to path: String) throws {
        try FileIO.writeAtomically(Data(serialize(nb).utf8), path: path)
    }

    /// The kind and title of a cell marker line, or nil for any other line.
    static func marker(_ line: String) -> (CellKind, String?)? {
        let rest: Substring
        if line.hasPrefix("# %%") { rest = line.dropFirst(4) }
        else if line.hasPrefix("#%%") { rest = line.dropFirst(3) }
        else { return nil }
        if let c = rest.first, !c.isWhitespace { return nil }   // `# %%time` is a comment
        var words = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var kind = CellKind.code
        if let i = words.firstIndex(where: { $0 == "[markdown]" || $0 == "[md]" }) {
            kind = .markdown
            words.remove(at: i)
        } else if let i = words.firstIndex(of: "[raw]") {
            kind = .raw
            words.remove(at: i)
        }
        let title = words.joined(separator: " ")
        return (kind, title.isEmpty ? nil : title)
    }

    static func isBlank(_ s: String) -> Bool { s.allSatisfy { $0 == " " || $0 == "\t" } }

    static func makeCell(_ kind: CellKind, _ title: String?, _ firstLine: Int, _ rawLines: [String]) -> Cell {
        var lines = rawLines
        while let last = lines.last, isBlank(last) { lines.removeLast() }
        if kind != .code {
            lines = lines.map { l in
                if l.hasPrefix("# ") { return String(l.dropFirst(2)) }
                if l == "#" { return "" }
                return l
            }
        }
        return Cell(kind: kind, source: lines.joined(separator: "\n"), title: title, firstLine: firstLine)
    }
}
