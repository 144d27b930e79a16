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

    /// Images shown but not saved by the cell (`plt.show()`, `show(t)`) written
    /// beside the report (`REPORT_files/cellN-K.png`) so the report can link them.
    static func savingShownImages(_ nb: NotebookFile, reportPath: String) throws -> NotebookFile {
        var out = nb
        let stem = ((reportPath as NSString).lastPathComponent as NSString).deletingPathExtension
        let dir = ((reportPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent(stem + "_files")
        for i in out.cells.indices {
            var k = 0
            for j in out.cells[i].outputs.indices {
                guard case .displayData(let png?, let text) = out.cells[i].outputs[j], text == nil || !(text ?? "").hasPrefix("<image ") else { continue }
                k += 1
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                let path = (dir as NSString).appendingPathComponent("cell\(i + 1)-\(k).png")
                try FileIO.writeAtomically(png, path: path)
                out.cells[i].outputs[j] = .displayData(png: png, text: "<image \(path)>")
            }
        }
        return out
    }

    static func fenced(_ s: String) -> String {
        "```\n" + s.trimmingCharacters(in: .newlines) + "\n```\n\n"
    }
}
