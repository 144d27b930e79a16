import Foundation
import Lang
import Formats

/// Cell magics: the first line `%%name args` applies to the whole cell.
///   %%time             times the cell, shows its last value
///   %%timeit [-n N] [-r R] [SETUP]   times the cell's body (SETUP runs once first)
///   %%capture [NAME]   runs the cell without showing its output; NAME.stdout keeps it
///   %%writefile [-a] PATH   writes (or appends) the cell's text to PATH
extension Session {
    /// `magicLine`: the 0-based cell line of the `%%` line (`CellSplit.cellMagicLine`).
    func runCellMagic(name: String, argument: String, body: String, magicLine: Int,
                      into result: inout ExecutionResult) throws {
        // The body starts on the cell line after the `%%` line.
        let bodyLine = magicLine + 1
        switch name {
        case "time":
            if let v = try timeMagic(body, line: bodyLine) { try display(v, into: &result) }
        case "timeit":
            try timeitMagic(argument, body: String(repeating: "\n", count: bodyLine - 1) + body)
        case "capture":
            let o = try MagicOptions(argument, withValue: [], magic: "capture")
            let before = captured
            silenced += 1
            defer { silenced -= 1 }
            var failure: Error?
            do { _ = try runCode(body, line: bodyLine) } catch { failure = error }
            let text = String(captured.dropFirst(before.count))
            captured = before
            if !o.rest.isEmpty {
                let io = Namespace(path: "CapturedIO")
                io.set("stdout", .str(text))
                io.set("stderr", .str(""))
                interpreter.setGlobal(o.rest, .namespace(io))
            }
            if let failure { throw failure }
        case "writefile":
            let o = try MagicOptions(argument, withValue: [], magic: "writefile")
            guard !o.rest.isEmpty else { throw usage("%%writefile needs a file name, e.g. %%writefile model.py") }
            try refuseNul(o.rest)
            let path = (o.rest as NSString).expandingTildeInPath
            let exists = FileManager.default.fileExists(atPath: path)
            let append = o.flags.contains("a")
            var text = body.hasSuffix("\n") ? body : body + "\n"
            if append, exists { text = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "") + text }
            do { try FileIO.writeAtomically(Data(text.utf8), path: path) } catch {
                throw LangError(.IOError, "cannot write \(o.rest): \(error)")
            }
            print(append && exists ? "Appending to \(o.rest)" : exists ? "Overwriting \(o.rest)" : "Writing \(o.rest)")
        default:
            throw usage("Cell magic `%%\(name)` not found. Cell magics: " + Magic.cellMagics.map { "%%" + $0 }.joined(separator: " "))
        }
    }
}
