import TensorCore

/// `table(t, precision=4)`: a 1-D or 2-D tensor as a box-drawn table with row and
/// column indices (a 1-D tensor is one row with column indices only); a 3-D tensor as
/// one table per channel, each under a `channel N` title. Numbers are right-aligned,
/// floats with `precision` decimals, ints without decimals, bools as `True`/`False`.
/// Tables wider than `maxWidth` characters keep the first and last columns around a `…`
/// column; more than `maxRows` rows keep the first and last rows around a `…` row.
public func table(_ t: Tensor, precision: Int = 4, maxWidth: Int = 100, maxRows: Int = 40) throws -> String {
    try NumberText.check(precision)
    switch t.rank {
    case 1:
        return TableLayout(t, rows: 1, cols: t.shape[0], rowStride: 0, colStride: t.strides[0], base: t.offset,
                           rowIndices: false, precision: precision).render(maxWidth: maxWidth, maxRows: maxRows)
    case 2:
        return TableLayout(t, rows: t.shape[0], cols: t.shape[1], rowStride: t.strides[0], colStride: t.strides[1],
                           base: t.offset, rowIndices: true, precision: precision).render(maxWidth: maxWidth, maxRows: maxRows)
    case 3:
        var parts: [String] = []
        for c in 0..<t.shape[0] {
            let layout = TableLayout(t, rows: t.shape[1], cols: t.shape[2], rowStride: t.strides[1], colStride: t.strides[2],
                                     base: t.offset + c * t.strides[0], rowIndices: true, precision: precision)
            parts.append("channel \(c)\n" + layout.render(maxWidth: maxWidth, maxRows: maxRows))
        }
        return parts.isEmpty ? "(no channels, shape \(TensorPrinter.tupleString(t.shape)))" : parts.joined(separator: "\n\n")
    default:
        throw TensorError.value("table() expects a 1-D, 2-D or 3-D tensor, but got a \(t.rank)-D tensor of shape \(TensorPrinter.tupleString(t.shape))")
    }
}

/// One 2-D table: which cells to show and how wide each column is.
struct TableLayout {
    let t: Tensor
    let rows: Int, cols: Int
    let rowStride: Int, colStride: Int, base: Int
    let rowIndices: Bool
    let precision: Int

    init(_ t: Tensor, rows: Int, cols: Int, rowStride: Int, colStride: Int, base: Int, rowIndices: Bool, precision: Int) {
        self.t = t
        self.rows = rows; self.cols = cols
        self.rowStride = rowStride; self.colStride = colStride; self.base = base
        self.rowIndices = rowIndices
        self.precision = max(0, precision)
    }

    func cell(_ r: Int, _ c: Int) -> String {
        let o = base + r * rowStride + c * colStride
        switch t.dtype {
        case .float32: return NumberText.fixed(Double(t.storage.floats[o]), precision)
        case .int64: return String(t.storage.ints[o])
        case .bool: return t.storage.bools[o] ? "True" : "False"
        case .float64, .float16: return NumberText.fixed(t.double(atStorageOffset: o), precision)
        case .int32, .uint8: return String(t.int64(atStorageOffset: o))
        }
    }

    /// Kept indices of `n`, with nil where the `…` goes.
    static func keep(_ n: Int, shown k: Int) -> [Int?] {
        if k >= n { return Array(0..<n) }
        let left = (k + 1) / 2, right = k / 2
        return Array(0..<left) + [nil] + Array((n - right)..<n)
    }

    func render(maxWidth: Int, maxRows: Int) -> String {
        if rows == 0 || cols == 0 {
            return "(empty table, shape \(TensorPrinter.tupleString(rowIndices ? [rows, cols] : [cols])))"
        }
        let rowSel = TableLayout.keep(rows, shown: max(2, maxRows))
        // Cell texts of every shown row, for all columns (only the shown rows are formatted).
        var texts: [[String]?] = []
        // Every column takes at least 4 characters, so at most maxWidth / 4 can be shown:
        // only those candidates at each end are formatted (the rest stay empty).
        let candidates = Set(TableLayout.keep(cols, shown: max(1, maxWidth / 4)).compactMap { $0 })
        for r in rowSel {
            texts.append(r.map { r in (0..<cols).map { candidates.contains($0) ? cell(r, $0) : "" } })
        }
        let colWidth: [Int] = (0..<cols).map { c in
            texts.reduce(String(c).count) { w, row in max(w, row?[c].count ?? 1) }
        }
        let labelWidth = rowSel.reduce(1) { max($0, $1.map { String($0).count } ?? 1) }
        func totalWidth(_ sel: [Int?]) -> Int {
            let body = sel.reduce(0) { $0 + ($1.map { colWidth[$0] } ?? 1) + 3 }
            return 1 + body + (rowIndices ? labelWidth + 3 : 0)
        }
        var colSel = TableLayout.keep(cols, shown: cols)
        if totalWidth(colSel) > maxWidth {
            var k = min(cols - 1, max(1, maxWidth / 4))
            colSel = TableLayout.keep(cols, shown: k)
            while k > 1 && totalWidth(colSel) > maxWidth {
                k -= 1
                colSel = TableLayout.keep(cols, shown: k)
            }
        }
        var widths = colSel.map { $0.map { colWidth[$0] } ?? 1 }
        if rowIndices { widths.insert(labelWidth, at: 0) }

        func rule(_ l: String, _ m: String, _ r: String) -> String {
            l + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: m) + r
        }
        func line(_ cells: [String]) -> String {
            var s = "│"
            for (w, text) in zip(widths, cells) {
                s += " " + String(repeating: " ", count: max(0, w - text.count)) + text + " │"
            }
            return s
        }
        var out = [rule("┌", "┬", "┐")]
        let header = colSel.map { $0.map(String.init) ?? "…" }
        out.append(line(rowIndices ? [""] + header : header))
        out.append(rule("├", "┼", "┤"))
        for (i, r) in rowSel.enumerated() {
            let cells = colSel.map { c -> String in
                guard let c, let row = texts[i] else { return "…" }
                return row[c]
            }
            let label = r.map(String.init) ?? "…"
            out.append(line(rowIndices ? [label] + cells : cells))
        }
        out.append(rule("└", "┴", "┘"))
        return out.joined(separator: "\n")
    }
}
