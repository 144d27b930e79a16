import Foundation
import Lang

/// Tab completion from the live session. It never evaluates anything:
/// dotted names and subscripts are followed by looking values up
/// (`Interpreter.peekAttribute`, `peekItem`), so `net.` or `f(x).` cost nothing.
///
/// `complete` returns where the replaced text starts (a character offset
/// into `line`) and the candidates, each replacing `line[start..<cursor]`.
public enum Completion {
    public static func complete(line: String, cursor: Int, session: Session) -> (start: Int, candidates: [String]) {
        let chars = Array(line.prefix(max(0, cursor)))
        let interp = session.interpreter
        let scan = Scan(chars)
        if scan.inComment { return (chars.count, []) }
        if chars.allSatisfy({ $0 == " " || $0 == "\t" }) { return (chars.count, ["    "]) }   // Tab indents
        if let magic = magicCompletion(chars) { return magic }
        if let q = scan.stringStart { return pathCompletion(String(chars[(q + 1)...]), offset: q + 1) }

        // `net[` / `net[1`: indices of a Sequential, list or tuple, keys of a dict.
        if let (open, kind) = scan.brackets.last, kind == "[" {
            let typed = String(chars[(open + 1)...])
            if typed.allSatisfy({ $0.isNumber || $0 == "-" }),
               let base = chainStart(chars, end: open).flatMap({ resolve(String(chars[$0..<open]), interp) }) {
                let keys = interp.itemKeys(of: base).filter { $0.hasPrefix(typed) }
                if !keys.isEmpty { return (open + 1, keys) }
            }
        }

        guard let start = chainStart(chars, end: chars.count) else { return (chars.count, []) }
        let expr = String(chars[start...])
        if let dot = lastTopLevelDot(expr) {
            let prefix = String(expr[expr.index(after: dot)...])
            guard let base = resolve(String(expr[..<dot]), interp) else { return (chars.count, []) }
            let names = interp.attributeNames(of: base).filter { $0.hasPrefix(prefix) }
            return (chars.count - prefix.count, names)
        }
        if expr.contains("[") { return (chars.count, []) }
        var candidates: [String] = []
        if let (open, kind) = scan.brackets.last, kind == "(",
           let calleeStart = chainStart(chars, end: open), calleeStart < open,
           let callee = resolve(String(chars[calleeStart..<open]), interp),
           let sig = interp.signature(of: callee) {
            let written = keywordsWritten(String(chars[(open + 1)...]))
            candidates = sig.keywordNames.filter { $0.hasPrefix(expr) && !written.contains($0) }.map { $0 + "=" }
        }
        let names = Set(interp.visibleNames).union(pythonKeywords).filter { $0.hasPrefix(expr) }
        candidates += names.sorted()
        return (start, candidates)
    }

    static let pythonKeywords = ["False", "None", "True", "and", "as", "assert", "break", "class", "continue", "def",
                                 "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
                                 "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
                                 "while", "with", "yield"]

    static let magics = ["%time", "%timeit", "%who", "%whos", "%reset", "%history", "%save", "%run", "%threads"]

    /// `%ti` → `%time`, `%timeit`; the argument of `%run`/`%save` is a path.
    static func magicCompletion(_ chars: [Character]) -> (start: Int, candidates: [String])? {
        let lead = chars.prefix { $0 == " " }.count
        guard lead < chars.count, chars[lead] == "%" else { return nil }
        let body = String(chars[lead...])
        guard let space = body.firstIndex(of: " ") else {
            return (lead, magics.filter { $0.hasPrefix(body) })
        }
        let name = body[..<space]
        guard name == "%run" || name == "%save" else { return (chars.count, []) }
        let argStart = lead + body.distance(from: body.startIndex, to: space) + 1
        let arg = String(chars[argStart...])
        if arg.contains(" ") { return (chars.count, []) }
        return pathCompletion(arg, offset: argStart)
    }

    /// Entries of the directory named by `typed` (relative to the working
    /// directory, `~` expanded) that start with its last component;
    /// directories end in `/`. Replaces from after the last `/`.
    static func pathCompletion(_ typed: String, offset: Int) -> (start: Int, candidates: [String]) {
        let slash = typed.lastIndex(of: "/")
        let dirPart = slash.map { String(typed[...$0]) } ?? ""
        let prefix = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        var dir = dirPart.isEmpty ? "." : dirPart
        if dir.hasPrefix("~"), let home = ProcessInfo.processInfo.environment["HOME"] {
            dir = home + dir.dropFirst()
        }
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: dir) else { return (offset + typed.count, []) }
        let names = entries.filter { $0.hasPrefix(prefix) && (prefix.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().map { name -> String in
            var isDir: ObjCBool = false
            let full = (dir.hasSuffix("/") ? dir : dir + "/") + name
            return fm.fileExists(atPath: full, isDirectory: &isDir) && isDir.boolValue ? name + "/" : name
        }
        return (offset + typed.count - prefix.count, names)
    }

    /// Where the dotted/subscripted name ending at `end` begins (`net[0].con`), or nil.
    static func chainStart(_ chars: [Character], end: Int) -> Int? {
        var i = end
        while i > 0 {
            let c = chars[i - 1]
            if isWordChar(c) || c == "." { i -= 1; continue }
            if c == "]" {
                var depth = 0, j = i - 1
                while j >= 0 {
                    if chars[j] == "]" { depth += 1 } else if chars[j] == "[" { depth -= 1; if depth == 0 { break } }
                    j -= 1
                }
                guard j >= 0 else { return nil }
                i = j
                continue
            }
            break
        }
        if i < chars.count, chars[i].isNumber || chars[i] == "." { return nil }   // `1.5`, `.x`
        if i < end, chars[i] == "[" { return nil }                                 // a list display `[1, 2]`
        return i
    }

    /// The last `.` outside brackets.
    static func lastTopLevelDot(_ s: String) -> String.Index? {
        var depth = 0
        var found: String.Index?
        for i in s.indices {
            switch s[i] {
            case "[": depth += 1
            case "]": depth -= 1
            case "." where depth == 0: found = i
            default: break
            }
        }
        return found
    }

    /// Follows `a.b[0].c` by lookups only; nil when a step needs code to run.
    static func resolve(_ expr: String, _ interp: Interpreter) -> Value? {
        let chars = Array(expr)
        var i = 0
        func name() -> String? {
            let s = i
            while i < chars.count, isWordChar(chars[i]) { i += 1 }
            return i > s ? String(chars[s..<i]) : nil
        }
        guard let first = name(), var value = interp.lookupName(first) else { return nil }
        while i < chars.count {
            if chars[i] == "." {
                i += 1
                guard let n = name(), let next = interp.peekAttribute(value, n) else { return nil }
                value = next
            } else if chars[i] == "[" {
                guard let close = chars[i...].firstIndex(of: "]") else { return nil }
                let inner = String(chars[(i + 1)..<close]).trimmingCharacters(in: .whitespaces)
                i = close + 1
                let key: Value
                if let n = Int(inner) { key = .int(n) }
                else if inner.count >= 2, let q = inner.first, q == "\"" || q == "'", inner.last == q {
                    key = .str(String(inner.dropFirst().dropLast()))
                } else { return nil }
                guard let next = interp.peekItem(value, key) else { return nil }
                value = next
            } else { return nil }
        }
        return value
    }

    /// `name=` keywords already given in a call's argument text.
    static func keywordsWritten(_ args: String) -> Set<String> {
        var out = Set<String>()
        let chars = Array(args)
        for (k, c) in chars.enumerated() where c == "=" {
            if k + 1 < chars.count, chars[k + 1] == "=" { continue }
            if k > 0, "=!<>".contains(chars[k - 1]) { continue }
            var j = k
            while j > 0, chars[j - 1] == " " { j -= 1 }
            let end = j
            while j > 0, isWordChar(chars[j - 1]) { j -= 1 }
            if j < end { out.insert(String(chars[j..<end])) }
        }
        return out
    }

    static func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
}

/// Strings, comments and open brackets of a line up to the cursor.
struct Scan {
    /// Offset of the quote that opens the string the cursor is in.
    var stringStart: Int?
    var inComment = false
    /// Open brackets, innermost last: (offset, character).
    var brackets: [(Int, Character)] = []

    init(_ chars: [Character]) {
        var quote: Character?
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == "\\" { i += 2; continue }
                if c == q { quote = nil; stringStart = nil }
            } else {
                switch c {
                case "#": inComment = true; return
                case "\"", "'": quote = c; stringStart = i
                case "(", "[", "{": brackets.append((i, c))
                case ")", "]", "}": if !brackets.isEmpty { brackets.removeLast() }
                default: break
                }
            }
            i += 1
        }
    }
}
