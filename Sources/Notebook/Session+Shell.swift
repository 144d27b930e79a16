import Foundation
import Lang

/// The shell and the process's surroundings: `!cmd`, `x = !cmd`, `%cd`, `%env`, `%load`.
extension Session {
    /// Runs `cmd` with /bin/sh. Its output is printed as it comes; with `capture`,
    /// it is returned instead as a list of lines (IPython's `x = !ls`).
    func shell(_ command: String, capture: Bool) throws -> Value? {
        guard !command.isEmpty else { return nil }
        let line = expand(command)
        try refuseNul(line)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", line]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = capture ? FileHandle.standardError : pipe
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { throw LangError(.IOError, "cannot run /bin/sh: \(error)") }
        var all = Data()
        let reader = pipe.fileHandleForReading
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            if capture { all.append(chunk) } else { interpreter.output(String(decoding: chunk, as: UTF8.self)) }
        }
        p.waitUntilExit()
        guard capture else { return nil }
        var lines = String(decoding: all, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return .list(ListBox(lines.map { .str($0) }))
    }

    /// A NUL would cut a command, path or environment value short where C reads it (`!echo a\0b; rm x`
    /// would run `echo a`): refused as Python refuses it in `os.system`, `os.chdir`, `open`.
    func refuseNul(_ text: String) throws {
        if text.utf8.contains(0) { throw LangError(.ValueError, "embedded null byte") }
    }

    /// IPython's expansion of a shell line: `{expr}` becomes str(expr), `$name` the
    /// str of a session variable (else it is left to the shell), `$$` and `{{`/`}}`
    /// stand for `$`, `{`, `}`. An expression that fails is left as written.
    func expand(_ command: String) -> String {
        let chars = Array(command)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if (c == "$" && next == "$") || (c == "{" && next == "{") || (c == "}" && next == "}") {
                out.append(c); i += 2; continue
            }
            if c == "$", let n = next, n.isLetter || n == "_" {
                var j = i + 1
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
                let name = String(chars[(i + 1)..<j])
                if let v = interpreter.global(name) { out += interpreter.str(v) } else { out += "$" + name }
                i = j
                continue
            }
            if c == "{", let close = chars[(i + 1)...].firstIndex(of: "}") {
                let expr = String(chars[(i + 1)..<close])
                let cell = CellSource(source: expr, fileName: nil, firstLine: 1, label: current.label)
                if !expr.isEmpty, let v = try? interpreter.run(expr, cell: cell) {
                    out += interpreter.str(v); i = close + 1; continue
                }
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// `%cd DIR` (`%cd` alone: home; `%cd -`: back), printing the new folder.
    func cdMagic(_ arg: String) throws {
        try refuseNul(arg)
        let fm = FileManager.default
        let here = fm.currentDirectoryPath
        var target = arg.isEmpty ? (ProcessInfo.processInfo.environment["HOME"] ?? here) : arg
        if target == "-" {
            guard let back = previousDirectory else { throw usage("%cd -: no previous directory") }
            target = back
        }
        if (target.hasPrefix("'") && target.hasSuffix("'")) || (target.hasPrefix("\"") && target.hasSuffix("\"")), target.count >= 2 {
            target = String(target.dropFirst().dropLast())
        }
        target = (target as NSString).expandingTildeInPath
        guard fm.changeCurrentDirectoryPath(target) else {
            throw LangError(.IOError, "[Errno 2] No such file or directory: '\(target)'")
        }
        previousDirectory = here
        print(fm.currentDirectoryPath)
    }

    /// `%env`: the environment as a dict; `%env NAME`: its value; `%env NAME=VALUE` or `%env NAME VALUE`: sets it.
    func envMagic(_ arg: String) throws -> Value? {
        if arg.isEmpty {
            let d = DictBox()
            for (k, v) in ProcessInfo.processInfo.environment.sorted(by: { $0.key < $1.key }) {
                if let key = HashKey(.str(k)) { d.set(key, .str(k), .str(v)) }
            }
            return .dict(d)
        }
        try refuseNul(arg)
        var name = arg, value: String?
        if let eq = arg.firstIndex(of: "=") {
            name = arg[..<eq].trimmingCharacters(in: .whitespaces)
            value = arg[arg.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        } else if let sp = arg.firstIndex(of: " ") {
            name = String(arg[..<sp])
            value = arg[sp...].trimmingCharacters(in: .whitespaces)
        }
        guard let value else {
            guard let v = ProcessInfo.processInfo.environment[name] else {
                throw usage("Environment does not have key: \(name)")
            }
            return .str(v)
        }
        setenv(name, value, 1)
        print("env: \(name)=\(value)")
        return nil
    }

    /// `%load PATH`: the file's text, offered as the next input (IPython's first line names it).
    func loadMagic(_ arg: String) throws -> String {
        guard !arg.isEmpty else { throw usage("%load needs a file name, e.g. %load model.py") }
        try refuseNul(arg)
        let path = (arg as NSString).expandingTildeInPath
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw LangError(.IOError, "[Errno 2] No such file or directory: '\(arg)'")
        }
        return "# %load \(arg)\n" + text.trimmingCharacters(in: .newlines)
    }

    /// `obj?` / `obj??`: what `help(obj)` prints; `??` adds the source of a `def` or
    /// `class` typed in this session (builtins are Swift: there is no Python source).
    func helpText(_ v: Value, expression: String, detail: Int) -> String {
        var out = interpreter.helpText(for: v)
        if detail >= 2, let src = definitionSource(of: v) { out += "\nSource:\n" + src }
        return out
    }

    /// The lines of the last cell that defined `v` (a user function or class) by name.
    func definitionSource(of v: Value) -> String? {
        let name: String
        switch v {
        case .function(let f): name = f.name
        case .classValue(let c): name = c.name
        default: return nil
        }
        for cell in inputs.reversed() {
            let lines = cell.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let start = lines.firstIndex(where: { l in
                let t = l.drop { $0 == " " }
                return t.hasPrefix("def \(name)(") || t.hasPrefix("class \(name)(") || t.hasPrefix("class \(name):")
            }) else { continue }
            let indent = lines[start].prefix { $0 == " " }.count
            var end = start + 1
            while end < lines.count, lines[end].allSatisfy({ $0 == " " }) || lines[end].prefix(while: { $0 == " " }).count > indent { end += 1 }
            while end > start + 1, lines[end - 1].allSatisfy({ $0 == " " }) { end -= 1 }
            return lines[start..<end].joined(separator: "\n")
        }
        return nil
    }
}
