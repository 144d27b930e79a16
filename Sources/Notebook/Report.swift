import Foundation
import Formats

/// `tensorpad run --report r.md`: the notebook as Markdown with each code
/// cell, its outputs, and links to the images it saved.
enum Report {
    /// `reportPath` (when given) makes image links relative to the report's folder.
    static func markdown(_ nb: NotebookFile, source: String, reportPath: String? = nil) -> String {
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
                        let target = link(path, from: reportPath)
                        md += "![\(path)](\(target.contains(" ") ? "<\(target)>" : target))\n\n"
                    }
                }
            }
        }
        return md
    }

    /// The image's path as seen from the report's folder: relative when the
    /// image lies under it, absolute otherwise.
    static func link(_ path: String, from reportPath: String?) -> String {
        guard let reportPath else { return path }
        let cwd = FileManager.default.currentDirectoryPath
        func absolute(_ p: String) -> String {
            let full = p.hasPrefix("/") ? p : (cwd as NSString).appendingPathComponent(p)
            return (full as NSString).standardizingPath
        }
        let image = absolute(path)
        let dir = (absolute(reportPath) as NSString).deletingLastPathComponent
        if dir == "/" { return String(image.dropFirst()) }
        return image.hasPrefix(dir + "/") ? String(image.dropFirst(dir.count + 1)) : image
    }

    static func fenced(_ s: String) -> String {
        "```\n" + s.trimmingCharacters(in: .newlines) + "\n```\n\n"
    }
}
