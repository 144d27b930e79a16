import Foundation
import Notebook
import Lang
import Syntax

/// The interactive front end: IPython-style prompts over a `Session`.
public enum REPLLoop {
    public static func run(version: String) -> Int32 {
        let session = Session()
        session.onOutput = { s in fputs(s, stdout); fflush(stdout) }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "."
        let editor = LineEditor(historyPath: home + "/.tensorpad_history") { line, cursor in
            Completion.complete(line: line, cursor: cursor, session: session)
        }
        print("Tensorpad \(version) — PyTorch's layers in a Python-like language. Type help() for help, Ctrl-D to exit.")
        Signals.install()
        while true {
            let n = session.executionCount + 1
            var buffer: [String] = []
            var prompt = "In [\(n)]: "
            var cancelled = false
            while true {
                switch editor.read(prompt: prompt) {
                case .end:
                    if buffer.isEmpty { print(""); editor.save(); return 0 }
                    cancelled = true
                case .interrupted:
                    print("KeyboardInterrupt")
                    cancelled = true
                case .line(let l):
                    buffer.append(l)
                }
                if cancelled { break }
                let text = buffer.joined(separator: "\n")
                if text.trimmingCharacters(in: .whitespaces).isEmpty { buffer = []; break }
                if buffer.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { break }
                if case .incomplete = checkComplete(text) {
                    prompt = String(repeating: " ", count: max(0, "In [\(n)]: ".count - 5)) + "...: "
                    continue
                }
                break
            }
            if cancelled { continue }
            let source = buffer.joined(separator: "\n")
            guard !source.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            editor.remember(source)
            Signals.running = true
            let r = session.run(source)
            Signals.running = false
            if let shown = r.displayed { print("Out[\(r.executionCount)]: " + shown + "\n") }
            if let e = r.errorText { fputs(e + "\n", stderr); fflush(stderr) }
        }
    }
}

extension String {
    func trimmingCharacters(in set: CharacterSet) -> String {
        var s = Substring(self)
        while let f = s.unicodeScalars.first, set.contains(f) { s.removeFirst() }
        while let l = s.unicodeScalars.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
