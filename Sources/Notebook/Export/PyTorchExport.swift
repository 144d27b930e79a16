import Foundation
import Formats
import Lang
import Syntax

/// `tensorpad export NB --to pytorch DIR`: the notebook as a Python script
/// that runs under Python + PyTorch (and `torchrun`) as it ran in Tensorpad.
///
/// - `DIR/NAME.py`: a header (the imports every Tensorpad session has, the
///   notebook's folder as working directory, `from tensorpad_compat import *`),
///   then the cells in order, still in percent format (`# %%` markers, Markdown
///   as comments). A cell whose last statement is an expression (not ending in
///   `;`) shows its value through `tensorpad_compat.display(...)`, as Jupyter and
///   Tensorpad show it. Magic lines (`%time`, `!ls`) become comments.
/// - `DIR/tensorpad_compat.py`: Tensorpad's own names on torch and NumPy (`CompatModule`).
/// - The files the notebook reads by a literal relative path (`load_pgm("data/x.pgm")`,
///   `load_weights(net, "w.safetensors")`, `torch.load(...)`, `np.load(...)`, ...)
///   copied unchanged to the same relative path under DIR.
public enum PyTorchExport {
    public struct Result: Equatable {
        public var script: String
        public var compat: String
        public var copied: [String]
        public var warnings: [String]
    }

    /// The calls whose literal path arguments are files the notebook reads.
    static let readers = ["load_pgm", "load_npy", "load_npz", "load_idx", "load_weights", "torch.load",
                          "np.load", "numpy.load", "safetensors.torch.load_file", "load_file"]

    public static func export(notebook path: String, to dir: String) throws -> Result {
        let nb = try NotebookFile.read(path: path)
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let name = base.isEmpty ? "notebook" : base
        var warnings: [String] = []
        var cells: [Cell] = []
        for (i, cell) in nb.cells.enumerated() {
            guard cell.kind == .code else { cells.append(cell); continue }
            var c = cell
            c.source = script(cell: cell.source, index: i + 1, warnings: &warnings)
            cells.append(c)
        }
        var out = NotebookFile(cells: cells)
        out.header = nil
        let text = header(name: (path as NSString).lastPathComponent) + "\n" + PercentNotebook.serialize(out)
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw FormatError.io("cannot create directory '\(dir)': \(error.localizedDescription)")
        }
        let script = (dir as NSString).appendingPathComponent(name + ".py")
        let compat = (dir as NSString).appendingPathComponent("tensorpad_compat.py")
        try FileIO.writeAtomically(Data(text.utf8), path: script)
        try FileIO.writeAtomically(Data(CompatModule.source.utf8), path: compat)
        let full = (path as NSString).isAbsolutePath
            ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        let folder = (full as NSString).deletingLastPathComponent
        var copied: [String] = []
        for file in readFiles(nb) {
            let src = (folder as NSString).appendingPathComponent(file)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: src, isDirectory: &isDir), !isDir.boolValue else { continue }
            let dst = (dir as NSString).appendingPathComponent(file)
            guard (src as NSString).standardizingPath != (dst as NSString).standardizingPath else { continue }
            do {
                try FileManager.default.createDirectory(atPath: (dst as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
            } catch {
                throw FormatError.io("cannot create directory for '\(dst)': \(error.localizedDescription)")
            }
            try FileIO.writeAtomically(try FileIO.read(path: src), path: dst)
            copied.append(dst)
        }
        return Result(script: script, compat: compat, copied: copied, warnings: warnings)
    }

    static func header(name: String) -> String {
        """
        # Exported from \(name) by `tensorpad export --to pytorch`. Runs under Python + PyTorch
        # (`python THIS.py`) and under `torchrun` as it ran in Tensorpad; Tensorpad's own names
        # (summary, show, save_grid, ...) come from tensorpad_compat.py beside this file.
        import os
        import sys

        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        from torch import optim

        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import tensorpad_compat
        from tensorpad_compat import *

        # A notebook runs in its own folder, as Jupyter and Tensorpad run it.
        os.chdir(os.path.dirname(os.path.abspath(__file__)))

        """
    }

    /// One code cell as Python: magic lines commented out, the last
    /// expression's value shown.
    static func script(cell source: String, index: Int, warnings: inout [String]) -> String {
        var lines = source.components(separatedBy: "\n")
        for (k, line) in lines.enumerated() {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("%") || t.hasPrefix("!") {
                let indent = String(line.prefix { $0 == " " || $0 == "\t" })
                lines[k] = indent + "# " + t + "  # a Tensorpad magic: not run under Python"
                warnings.append("cell \(index): the magic `\(t)` is left as a comment")
            }
        }
        let text = lines.joined(separator: "\n")
        guard let parsed = try? Parser.parse(text), !parsed.endsWithSemicolon,
              case .expr(let e, let r)? = parsed.statements.last, !returnsNone(e) else { return text }
        let first = r.line - 1, last = r.endLine - 1
        guard first >= 0, last < lines.count, first <= last else { return text }
        let head = lines[first]
        let cut = head.index(head.startIndex, offsetBy: max(0, min(r.column - 1, head.count)))
        var out = Array(lines[..<first])
        let opened = String(head[..<cut]) + "tensorpad_compat.display((" + String(head[cut...])
        if first == last && !head.contains("#") {
            out.append(opened + "))")
        } else {
            out.append(opened)
            out += lines[(first + 1)..<(last + 1)]
            out.append("))")
        }
        out += lines[(last + 1)...]
        return out.joined(separator: "\n")
    }

    /// Calls that show nothing as a cell's value (they print, or return None).
    static let silent: Set<String> = ["print", "show", "table", "summary", "shapes", "plt.show", "help"]

    static func returnsNone(_ e: Expr) -> Bool {
        guard case .call(let f, _, _) = e else { return false }
        switch f {
        case .name(let n, _): return silent.contains(n)
        case .attribute(.name(let m, _), let n, _): return silent.contains(m + "." + n)
        default: return false
        }
    }

    /// Relative paths given as string literals to the reading calls, in order, each once.
    static func readFiles(_ nb: NotebookFile) -> [String] {
        let names = readers.map { NSRegularExpression.escapedPattern(for: $0) }.joined(separator: "|")
        guard let call = try? NSRegularExpression(pattern: "(?<![\\w.])(?:\(names))\\s*\\(([^()]*)\\)"),
              let literal = try? NSRegularExpression(pattern: "[\"']([^\"'\\n]+)[\"']") else { return [] }
        var seen = Set<String>(), out: [String] = []
        for cell in nb.cells where cell.kind == .code {
            let s = cell.source as NSString
            for m in call.matches(in: cell.source, range: NSRange(location: 0, length: s.length)) {
                let args = s.substring(with: m.range(at: 1)) as NSString
                for l in literal.matches(in: args as String, range: NSRange(location: 0, length: args.length)) {
                    let p = args.substring(with: l.range(at: 1))
                    guard !p.hasPrefix("/"), !p.hasPrefix("~"), !p.split(separator: "/").contains(".."),
                          seen.insert(p).inserted else { continue }
                    out.append(p)
                }
            }
        }
        return out
    }
}
