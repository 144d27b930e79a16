import Foundation
import Notebook
import Lang
import Syntax

/// The interactive front end: IPython-style prompts over a `Session`.
public enum REPLLoop {
    /// Runs until Ctrl-D on an empty line (or `exit()`); returns the exit status.
    public static func run(version: String) -> Int32 {
        let session = Session()
        var atLineStart = true
        session.onOutput = { s in
            fputs(s, stdout)
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
        while true {
            guard let source = readCell(editor, number: session.executionCount + 1) else {
                print("")
                return 0
            }
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
            if let e = r.errorText { fputs(e + "\n", stderr); fflush(stderr) }
            print("")
            fflush(stdout)
        }
    }

    /// Reads one cell: a line, or a block that continues while the code is
    /// incomplete (a line ending in `:` until an empty line, open brackets,
    /// an open triple-quoted string). nil at Ctrl-D on an empty prompt.
    static func readCell(_ editor: LineEditor, number n: Int) -> String? {
        let first = "In [\(n)]: "
        let more = String(repeating: " ", count: max(0, first.count - 5)) + "...: "
        var lines: [String] = []
        while true {
            switch editor.read(prompt: lines.isEmpty ? first : more) {
            case .end:
                if lines.isEmpty { return nil }
                print("")
                lines = []          // Ctrl-D inside a block drops it, as Ctrl-C does
            case .interrupted:
                lines = []
            case .line(let l):
                editor.remember(l)
                if lines.isEmpty && isBlank(l) { continue }
                lines.append(l)
                let text = lines.joined(separator: "\n")
                if checkComplete(text + "\n") == .incomplete { continue }
                while let last = lines.last, isBlank(last) { lines.removeLast() }
                return lines.joined(separator: "\n")
            }
        }
    }

    static func isBlank(_ s: String) -> Bool { s.allSatisfy { $0 == " " || $0 == "\t" } }

    /// `exit`, `exit()`, `quit`, `quit()` end the REPL as Ctrl-D does.
    static func isExit(_ source: String) -> Bool {
        let s = source.trimmingCharacters(in: .whitespaces)
        return ["exit", "exit()", "quit", "quit()"].contains(s)
    }
}
