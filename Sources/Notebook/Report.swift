import Foundation
import Formats

/// `tensorpad run --report r.md`: the notebook as Markdown with each code
/// cell, its outputs, and links to the images it saved.
enum Report {
    static func markdown(_ nb: NotebookFile, source: String) -> String {
        var md = "# Report: \(source)\n\n"
        for cell in nb.cells {
            if cell.kind == .markdown {
                md += cell.source.trimmingCharacters(in: .newlines) + "\n\n"
                continue
            }
            if let t = cell.title { md += "### \(t)\n\n" }
            md += "```python\n\(cell.source.trimmingCharacters(in: .newlines))\n```\n\n"
            for o in cell.outputs {
                switch o {
                case .stream(_, let text): md += fenced(text)
                case .executeResult(let text, let n): md += "Out[\(n ?? 0)]:\n\n" + fenced(text)
                case .error(_, _, let tb): md += "**Error**\n\n" + fenced(tb.joined(separator: "\n"))
                case .displayData(_, let text):
                    if let t = text, t.hasPrefix("<image "), t.hasSuffix(">") {
                        let path = String(t.dropFirst(7).dropLast())
                        md += "![\(path)](\(path))\n\n"
                    }
                }
            }
        }
        return md
    }

    static func fenced(_ s: String) -> String {
        "```\n" + s.trimmingCharacters(in: .newlines) + "\n```\n\n"
    }
}
