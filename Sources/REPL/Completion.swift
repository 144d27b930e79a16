import Lang
import Notebook

/// Tab completion from the live session (never evaluates a call).
enum Completion {
    static func complete(line: String, cursor: Int, session: Session) -> (start: Int, candidates: [String]) {
        let chars = Array(line.prefix(cursor))
        var i = chars.count
        while i > 0, chars[i - 1].isLetter || chars[i - 1].isNumber || chars[i - 1] == "_" || chars[i - 1] == "." { i -= 1 }
        let word = String(chars[i...])
        let names = session.interpreter.visibleNames
        return (i, names.filter { $0.hasPrefix(word) }.sorted())
    }
}
