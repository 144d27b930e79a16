import Foundation
import Formats

/// `open(path, mode)`: text files read whole on open, or collected and written
/// atomically on close ('w', 'a', 'x'), as a `with` block or `close()` ends them.
final class TextFile: HostObject {
    let path: String
    let mode: String
    var text: String
    var position: String.Index
    var closed = false

    init(path: String, mode: String) throws {
        self.path = path; self.mode = mode
        if path.utf8.contains(0) { throw valueError("embedded null byte") }
        if mode.contains("r") {
            let data = try FileIO.read(path: path)
            guard let s = String(data: data, encoding: .utf8) else {
                throw LangError(.ValueError, "'utf-8' codec can't decode the file '\(path)'")
            }
            text = s
        } else if mode.contains("a"), FileSystem.exists(path) {
            text = String(data: try FileIO.read(path: path), encoding: .utf8) ?? ""
        } else {
            if mode.contains("x") && FileSystem.exists(path) { throw LangError(.FileExistsError, "[Errno 17] File exists: '\(path)'") }
            text = ""
        }
        position = mode.contains("r") ? text.startIndex : text.endIndex
    }

    var typeName: String { "TextIOWrapper" }
    func repr() -> String { "<_io.TextIOWrapper name='\(path)' mode='\(mode)' encoding='UTF-8'>" }
    var writable: Bool { !mode.contains("r") || mode.contains("+") }

    func check() throws { if closed { throw valueError("I/O operation on closed file.") } }

    func write(_ s: String) throws {
        try check()
        guard writable else { throw LangError(.OSError, "not writable") }
        text += s
    }

    func close() throws {
        guard !closed else { return }
        closed = true
        if writable { try FileIO.writeAtomically(Data(text.utf8), path: path) }
    }

    func readLine() -> String? {
        guard position < text.endIndex else { return nil }
        let end = text[position...].firstIndex(of: "\n").map { text.index(after: $0) } ?? text.endIndex
        defer { position = end }
        return String(text[position..<end])
    }

    func enter(_ interp: Interpreter) throws -> Value? { .object(self) }
    func exit(_ interp: Interpreter) throws { try close() }

    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        func method(_ params: [Param] = [], _ body: @escaping (BoundArgs) throws -> Value) -> Value {
            .builtin(Builtin(path: "TextIOWrapper.\(name)", signature: Signature(name, params), body: body))
        }
        switch name {
        case "name": return .str(path)
        case "mode": return .str(mode)
        case "closed": return .bool(closed)
        case "read": return method { _ in
            try self.check()
            defer { self.position = self.text.endIndex }
            return .str(String(self.text[self.position...]))
        }
        case "readline": return method { _ in try self.check(); return .str(self.readLine() ?? "") }
        case "readlines": return method { _ in
            try self.check()
            var lines: [Value] = []
            while let l = self.readLine() { lines.append(.str(l)) }
            return .list(ListBox(lines))
        }
        case "write": return method([P("s")]) { a in
            guard case .str(let s) = a[0] else { throw typeError("write() argument must be str, not \(a[0].typeName)") }
            try self.write(s)
            return .int(s.count)
        }
        case "writelines": return method([P("lines")]) { a in
            for l in try a.interpreter.toArray(a[0]) { try self.write(a.interpreter.str(l)) }
            return .none
        }
        case "close": return method { _ in try self.close(); return .none }
        case "flush": return method { _ in .none }
        default: return nil
        }
    }
}

func installOpen(_ r: Registry) {
    r.register(path: "open", signature: Signature("open", [P("file"), P("mode", .str("r"))], keywordOnly: [P("encoding", .none), P("newline", .none)],
                                                  doc: "A text file: read whole ('r'), or written atomically on close ('w', 'a', 'x').")) { a in
        guard case .str(let path) = a[0] else { throw typeError("expected str, bytes or os.PathLike object, not \(a[0].typeName)") }
        let mode = try Convert.string(a[1], what: "mode", in: "open")
        guard mode.allSatisfy({ "rwaxt+".contains($0) }), mode.filter({ "rwax".contains($0) }).count == 1 else {
            if mode.contains("b") { throw valueError("binary mode '\(mode)' is not available in Tensorpad; use np.load/torch.load for data files") }
            throw valueError("invalid mode: '\(mode)'")
        }
        if FileSystem.isDirectory(path) { throw LangError(.OSError, "[Errno 21] Is a directory: '\(path)'") }
        return .object(try TextFile(path: path, mode: mode))
    }
    r.hooks.iterate = TensorHooks.chainIter(r.hooks.iterate) { v in
        guard case .object(let f as TextFile) = v else { return nil }
        try f.check()
        var lines: [Value] = []
        while let l = f.readLine() { lines.append(.str(l)) }
        return lines
    }
    // json.dump / json.load over open files.
    r.register(path: "json.dump", signature: Signature("dump", [P("obj"), P("fp")], keywordOnly: [P("indent", .none), P("sort_keys", .bool(false))],
                                                       doc: "Writes the object as JSON to an open file.")) { a in
        guard case .object(let f as TextFile) = a[1], case .builtin(let dumps)? = r.lookup("json.dumps") else {
            throw LangError(.AttributeError, "'\(a[1].typeName)' object has no attribute 'write'")
        }
        let s = try a.interpreter.call(.builtin(dumps), Arguments([a[0]], keywords: [("indent", a[2]), ("sort_keys", a[3])]))
        try f.write(a.interpreter.str(s))
        return .none
    }
    r.register(path: "json.load", signature: Signature("load", [P("fp")], doc: "The value of the JSON in an open file.")) { a in
        guard case .object(let f as TextFile) = a[0], case .builtin(let loads)? = r.lookup("json.loads") else {
            throw LangError(.AttributeError, "'\(a[0].typeName)' object has no attribute 'read'")
        }
        try f.check()
        defer { f.position = f.text.endIndex }
        return try a.interpreter.call(.builtin(loads), [.str(String(f.text[f.position...]))])
    }
}
