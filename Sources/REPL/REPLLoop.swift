import Foundation
import Notebook
import Lang

/// The interactive front end: IPython-style prompts over a `Session`.
public enum REPLLoop {
    /// Runs until Ctrl-D on an empty line (or `exit()`); returns the exit status.
    public static func run(version: String) -> Int32 {
        let session = Session()
        var atLineStart = true
        session.onOutput = { s in
            Output.write(s, stdout)
            fflush(stdout)
            if let last = s.last { atLineStart = last == "\n" }
        }
        session.interpreter.console = .standard(notebookOutput: false)
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "."
        Signals.install()
        let editor = LineEditor(historyPath: home + "/.tensorpad_history") { line, cursor in
            Completion.complete(line: line, cursor: cursor, session: session)
        }
        defer {
            editor.save()
            Signals.restoreTerminal()
        }
        print("Tensorpad \(version) — PyTorch's layers in a Python-like language. Type help() for help, Ctrl-D to exit.\n")
        fflush(stdout)
        var nextInput: String?
        while true {
            guard let source = readCell(editor, number: session.executionCount + 1, initial: nextInput) else {
                print("")
                return 0
            }
            nextInput = nil
            if isExit(source) { return 0 }
            atLineStart = true
            Signals.running = true
            let r = session.run(source)
            Signals.running = false
            Interrupt.requested = false
            // The terminal echoed "^C" where the output stopped: start the error on a line of its own.
            if !atLineStart || r.error?.kind == .KeyboardInterrupt { print("") }
            if let shown = r.displayed {
                // IPython's rule: a value of several lines starts on the line after the prompt.
                print("Out[\(r.executionCount)]: " + (shown.contains("\n") ? "\n" : "") + shown)
            }
            fflush(stdout)
            if let e = r.errorText { Output.write(e + "\n", stderr); fflush(stderr) }
            print("")
            fflush(stdout)
            nextInput = r.nextInput
        }
    }

    /// Reads one cell: a line, or a block that continues while the code is
    /// incomplete (a line ending in `:` until an empty line, open brackets,
    /// an open triple-quoted string, a `%%` cell magic until an empty line).
    /// Each continuation line starts with the indentation the block needs.
    /// A pasted or recalled block (several lines in one read) runs when it is
    /// complete as it stands. nil at Ctrl-D on an empty prompt.
    static func readCell(_ editor: LineEditor, number n: Int, initial: String? = nil) -> String? {
        let first = "In [\(n)]: "
        let more = String(repeating: " ", count: max(0, first.count - 5)) + "...: "
        var lines: [String] = []
        var pending = initial ?? ""
        while true {
            let input = editor.read(prompt: lines.isEmpty ? first : more, initial: pending)
            pending = ""
            switch input {
            case .end:
                if lines.isEmpty { return nil }
                print("")
                lines = []          // Ctrl-D inside a block drops it, as Ctrl-C does
            case .interrupted:
                lines = []
            case .line(let l):
                if lines.isEmpty && isBlank(l) { continue }
                let block = l.contains("\n")
                let read = l.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if block { editor.redrawWithPrompts(read, prompt: lines.isEmpty ? first : more, more: more) }
                lines += read
                let text = lines.joined(separator: "\n")
                // A block that arrived whole is finished as it stands (as if an empty line followed).
                if CellSplit.completeness(text + (block ? "\n\n" : "\n")) == .incomplete {
                    pending = indentation(after: lines)
                    continue
                }
                while let last = lines.last, isBlank(last) { lines.removeLast() }
                let cell = lines.joined(separator: "\n")
                editor.remember(cell)
                return cell
            }
        }
    }

    /// IPython's auto-indent: the last line's indentation, four more after a
    /// line that opens a block, four less after `return`, `pass`, `break`,
    /// `continue` or `raise`.
    static func indentation(after lines: [String]) -> String {
        guard let last = lines.last(where: { !isBlank($0) }) else { return "" }
        var n = last.prefix { $0 == " " }.count
        var code = last.trimmingCharacters(in: .whitespaces)
        if let hash = code.firstIndex(of: "#"), !code[..<hash].contains("'"), !code[..<hash].contains("\"") {
            code = code[..<hash].trimmingCharacters(in: .whitespaces)
        }
        let word = code.prefix { $0.isLetter }
        if code.hasSuffix(":") { n += 4 }
        else if ["return", "pass", "break", "continue", "raise"].contains(String(word)) { n = max(0, n - 4) }
        // A cell magic's body and a line inside open brackets keep the indentation.
        if lines.first?.hasPrefix("%%") == true, lines.count == 1 { n = 0 }
        return String(repeating: " ", count: n)
    }

    static func isBlank(_ s: String) -> Bool { s.allSatisfy { $0 == " " || $0 == "\t" } }

    /// `exit`, `exit()`, `quit`, `quit()` end the REPL as Ctrl-D does.
    static func isExit(_ source: String) -> Bool {
        let s = source.trimmingCharacters(in: .whitespaces)
        return ["exit", "exit()", "quit", "quit()"].contains(s)
    }
}
