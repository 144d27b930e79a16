import Foundation
import Formats

/// `tensorpad run --report r.md`: the notebook as Markdown with each code
/// cell, its outputs, and its images: files a cell saved are linked (relative
/// to the report's folder), pictures it only showed are written beside the
/// report (`r_files/cell3-1.png`) and linked from there.
enum Report {
    struct Rendered {
        var markdown: String
        /// Images to write, as (path, PNG bytes); paths as given to the file system.
        var files: [(path: String, png: Data)] = []
    }

    /// `reportPath` (when given) makes image links relative to the report's folder
    /// and gives the folder shown images are written to.
    static func render(_ nb: NotebookFile, source: String, reportPath: String? = nil) -> Rendered {
        var md = "# Report: \(source)\n\n"
        var files: [(String, Data)] = []
        let filesDir = reportPath.map { (($0 as NSString).deletingPathExtension) + "_files" }
        for (index, cell) in nb.cells.enumerated() {
            if cell.kind != .code {
                md += cell.source.trimmingCharacters(in: .newlines) + "\n\n"
                continue
            }
            if let t = cell.title { md += "### \(t)\n\n" }
            md += "```python\n\(cell.source.trimmingCharacters(in: .newlines))\n```\n\n"
            var shown = 0
            for o in cell.outputs {
                switch o {
                case .stream(_, let text): md += fenced(text)
                case .executeResult(let text, let n): md += "Out[\(n ?? 0)]:\n\n" + fenced(text)
                case .error(_, _, let tb): md += "**Error**\n\n" + fenced(tb.joined(separator: "\n"))
                case .displayData(let png, let text):
                    if let t = text, t.hasPrefix("<image "), t.hasSuffix(">") {
                        let path = String(t.dropFirst(7).dropLast())
                        md += image(alt: path, target: link(path, from: reportPath))
                    } else if let png, let filesDir {
                        shown += 1
                        let path = filesDir + "/cell\(index + 1)-\(shown).png"
                        files.append((path, png))
                        md += image(alt: "cell \(index + 1) image \(shown)", target: link(path, from: reportPath))
                    }
                }
            }
        }
        return Rendered(markdown: md, files: files)
    }

    static func markdown(_ nb: NotebookFile, source: String, reportPath: String? = nil) -> String {
        render(nb, source: source, reportPath: reportPath).markdown
    }

    static func image(alt: String, target: String) -> String {
        "![\(alt)](\(target.contains(" ") ? "<\(target)>" : target))\n\n"
    }

    /// The image's path as seen from the report's folder: relative (with `../`
    /// as needed), so the report and its images can be moved together.
    static func link(_ path: String, from reportPath: String?) -> String {
        guard let reportPath else { return path }
        let cwd = FileManager.default.currentDirectoryPath
        func components(_ p: String) -> [String] {
            let full = p.hasPrefix("/") ? p : (cwd as NSString).appendingPathComponent(p)
            return (full as NSString).standardizingPath.split(separator: "/").map(String.init)
        }
        let image = components(path)
        let dir = components(reportPath).dropLast()
        var common = 0
        while common < min(image.count - 1, dir.count), image[common] == dir[common] { common += 1 }
        let up = Array(repeating: "..", count: dir.count - common)
        return (up + image[common...]).joined(separator: "/")
    }

    static func fenced(_ s: String) -> String {
        "```\n" + s.trimmingCharacters(in: .newlines) + "\n```\n\n"
    }
}
