import NN
import Foundation
import Formats

/// Python's `os`, `os.path` and `sys`, the parts notebooks use.
func installOS(_ r: Registry) {
    func fn(_ path: String, _ params: [Param] = [], varargs: String? = nil, keywordOnly: [Param] = [], doc: String,
            _ body: @escaping (BoundArgs) throws -> Value) {
        let name = String(path.split(separator: ".").last ?? "")
        r.register(path: path, signature: Signature(name, params, varargs: varargs, keywordOnly: keywordOnly, doc: doc), body: body)
    }
    func str(_ a: BoundArgs, _ i: Int, _ fn: String) throws -> String {
        let what = a.signature.params[safe: i]?.name ?? "path"
        if case .str(let s) = a[i] { return s }
        throw typeError("\(fn)() argument '\(what)' must be str, not \(a[i].typeName)")
    }
    r.register(path: "os.sep", value: .str("/"))
    r.register(path: "os.name", value: .str("posix"))
    let env = DictBox()
    for (k, v) in ProcessInfo.processInfo.environment.sorted(by: { $0.key < $1.key }) {
        if let h = HashKey(.str(k)) { env.set(h, .str(k), .str(v)) }
    }
    r.register(path: "os.environ", value: .dict(env))
    fn("os.getcwd", doc: "The current working directory.") { _ in .str(FileSystem.currentDirectory) }
    fn("os.chdir", [P("path")], doc: "Changes the working directory.") { a in
        try FileSystem.changeDirectory(try str(a, 0, "chdir")); return .none
    }
    fn("os.listdir", [P("path", .str("."))], doc: "Names of the entries in a directory.") { a in
        .list(ListBox(try FileSystem.list(try str(a, 0, "listdir")).sorted().map { .str($0) }))
    }
    fn("os.makedirs", [P("name"), P("mode", .int(0o777)), P("exist_ok", .bool(false))], doc: "Creates a directory and its parents.") { a in
        try FileSystem.makeDirectories(try str(a, 0, "makedirs"), existOK: TV.bool(a[2])); return .none
    }
    fn("os.mkdir", [P("path"), P("mode", .int(0o777))], doc: "Creates a directory.") { a in
        try FileSystem.makeDirectory(try str(a, 0, "mkdir")); return .none
    }
    for name in ["remove", "unlink"] {
        fn("os.\(name)", [P("path")], doc: "Deletes a file.") { a in try FileSystem.remove(try str(a, 0, name)); return .none }
    }
    fn("os.path.join", [P("a")], varargs: "p", doc: "Joins path components with '/'.") { a in
        var path = try str(a, 0, "join")
        for v in a.varargs {
            guard case .str(let b) = v else { throw typeError("join() argument must be str, bytes, or os.PathLike object, not '\(v.typeName)'") }
            if b.hasPrefix("/") { path = b } else if path.isEmpty || path.hasSuffix("/") { path += b } else { path += "/" + b }
        }
        return .str(path)
    }
    fn("os.path.basename", [P("p")], doc: "The final component of a path.") { a in .str(PathText.split(try str(a, 0, "basename")).1) }
    fn("os.path.dirname", [P("p")], doc: "The directory component of a path.") { a in .str(PathText.split(try str(a, 0, "dirname")).0) }
    fn("os.path.split", [P("p")], doc: "(head, tail) of a path.") { a in
        let (h, t) = PathText.split(try str(a, 0, "split"))
        return .tuple([.str(h), .str(t)])
    }
    fn("os.path.splitext", [P("p")], doc: "(root, ext) of a path.") { a in
        let (root, ext) = PathText.splitext(try str(a, 0, "splitext"))
        return .tuple([.str(root), .str(ext)])
    }
    fn("os.path.exists", [P("path")], doc: "Whether the path exists.") { a in .bool(FileSystem.exists(try str(a, 0, "exists"))) }
    fn("os.path.isdir", [P("s")], doc: "Whether the path is a directory.") { a in .bool(FileSystem.isDirectory(try str(a, 0, "isdir"))) }
    fn("os.path.isfile", [P("path")], doc: "Whether the path is a regular file.") { a in .bool(FileSystem.isFile(try str(a, 0, "isfile"))) }
    fn("os.path.isabs", [P("s")], doc: "Whether the path is absolute.") { a in .bool(try str(a, 0, "isabs").hasPrefix("/")) }
    fn("os.path.getsize", [P("filename")], doc: "The size of a file in bytes.") { a in .int(try FileSystem.size(try str(a, 0, "getsize"))) }
    fn("os.path.normpath", [P("path")], doc: "The path with '.', '..' and doubled slashes resolved.") { a in
        .str(PathText.normalize(try str(a, 0, "normpath")))
    }
    fn("os.path.abspath", [P("path")], doc: "The absolute, normalized path.") { a in
        let p = try str(a, 0, "abspath")
        return .str(PathText.normalize(p.hasPrefix("/") ? p : FileSystem.currentDirectory + "/" + p))
    }
    fn("os.path.expanduser", [P("path")], doc: "'~' replaced by the home directory.") { a in
        let p = try str(a, 0, "expanduser")
        guard p == "~" || p.hasPrefix("~/") else { return .str(p) }
        return .str(NSHomeDirectory() + p.dropFirst())
    }

    // sys
    r.register(path: "sys.platform", value: .str("linux"))
    r.register(path: "sys.version", value: .str("3.11 (Tensorpad)"))
    r.register(path: "sys.maxsize", value: .int(Int.max))
    r.register(path: "sys.path", value: .list(ListBox([])))
    r.register(path: "sys.argv", value: .list(ListBox([.str("")])))
    fn("sys.getrecursionlimit", doc: "The recursion limit: calls and nested data deeper than it raise RecursionError.") { a in
        .int(a.interpreter.recursionLimit)
    }
    fn("sys.setrecursionlimit", [P("limit")], doc: "Sets the recursion limit (the thread's stack still bounds it).") { a in
        let n = try Convert.int(a[0], what: "limit", in: "setrecursionlimit"), i = a.interpreter
        if n < 1 { throw valueError("recursion limit must be greater or equal than 1") }
        if n > Int(Int32.max) { throw LangError(.OverflowError, "Python int too large to convert to C int") }
        if n <= i.callDepth {
            throw LangError(.RecursionError, "cannot set the recursion limit to \(n) at the recursion depth \(i.callDepth): the limit is too low")
        }
        i.recursionLimit = n
        Printing.depthLimit = n
        Module.recursionLimit = n
        return .none
    }
    fn("sys.exit", [P("status", .none)], doc: "Stops the program (SystemExit).") { a in
        var e = LangError(.SystemExit, a[0].isNone ? "" : a.interpreter.str(a[0]))
        e.raised = RaisedObject(ExceptionValue(kind: .SystemExit, message: e.message, args: a[0].isNone ? [] : [a[0]]))
        throw e
    }
}

/// Python's posixpath string rules.
enum PathText {
    static func split(_ p: String) -> (String, String) {
        guard let i = p.lastIndex(of: "/") else { return ("", p) }
        var head = String(p[..<p.index(after: i)])
        let tail = String(p[p.index(after: i)...])
        if !head.isEmpty && !head.allSatisfy({ $0 == "/" }) { while head.hasSuffix("/") { head.removeLast() } }
        return (head, tail)
    }

    static func splitext(_ p: String) -> (String, String) {
        let base = split(p).1
        guard let dot = base.lastIndex(of: "."), base[..<dot].contains(where: { $0 != "." }) else { return (p, "") }
        let ext = String(base[dot...])
        return (String(p.dropLast(ext.count)), ext)
    }

    static func normalize(_ p: String) -> String {
        if p.isEmpty { return "." }
        let absolute = p.hasPrefix("/")
        var parts: [String] = []
        for c in p.split(separator: "/") where c != "." {
            if c == ".." {
                if let last = parts.last, last != ".." { parts.removeLast() } else if !absolute { parts.append("..") }
            } else { parts.append(String(c)) }
        }
        let body = parts.joined(separator: "/")
        return absolute ? "/" + body : (body.isEmpty ? "." : body)
    }
}
