import Foundation
import Lang
import Formats
import TensorCore
import NN

/// A line magic: `%name argument`, on any top-level line of a cell (see `CellSplit`).
struct Magic {
    let name: String
    let argument: String
    /// The 0-based cell line of a line magic (nil: not from a cell's own lines).
    var line: Int? = nil

    /// The line magics, for `%magic`'s error message and completion.
    static let lineMagics = ["cd", "env", "history", "load", "matplotlib", "pwd", "reset", "run", "save", "threads",
                             "time", "timeit", "who", "whos"]
    static let cellMagics = ["capture", "time", "timeit", "writefile"]
}

/// Every magic a user can type, with `%` or `%%` (completion, `help()`).
public enum Magics {
    public static var names: [String] { Magic.lineMagics.map { "%" + $0 } + Magic.cellMagics.map { "%%" + $0 } }
}

/// IPython's option syntax for magics: `-n 10`, `-n10`, flags, then the rest.
struct MagicOptions {
    var values: [Character: String] = [:]
    var flags: Set<Character> = []
    var rest = ""

    /// `withValue`: options that take a value (`n`, `r`); any other `-x` is a flag.
    /// Options end at the first word that is not one; the rest keeps its own spacing.
    init(_ argument: String, withValue: Set<Character>, magic: String) throws {
        var text = Substring(argument).drop { $0 == " " }
        func word() -> Substring {
            let w = text.prefix { $0 != " " }
            text = text.dropFirst(w.count).drop { $0 == " " }
            return w
        }
        while text.hasPrefix("-"), text.count >= 2, let o = text.dropFirst().first, o.isLetter {
            let w = word()
            if withValue.contains(o) {
                var v = String(w.dropFirst(2))
                if v.isEmpty {
                    guard !text.isEmpty else { throw usage("%\(magic): option -\(o) needs a value") }
                    v = String(word())
                }
                values[o] = v
            } else {
                for f in w.dropFirst() { flags.insert(f) }
            }
        }
        rest = text.trimmingCharacters(in: .whitespaces)
    }

    func int(_ o: Character, magic: String) throws -> Int? {
        guard let v = values[o] else { return nil }
        guard let n = Int(v), n > 0 else { throw usage("%\(magic): -\(o) takes a positive integer, got '\(v)'") }
        return n
    }
}

func usage(_ message: String) -> LangError { LangError(.UsageError, message) }

extension Session {
    /// Runs a line magic; returns its value (`%pwd`, `%env NAME`, `%time EXPR`), if any.
    func runMagic(_ m: Magic, into result: inout ExecutionResult) throws -> Value? {
        switch m.name {
        case "time":
            guard let line = m.line else { return try timeMagic(m.argument, line: nil) }
            return try timeLineMagic(m.argument, line: line)
        case "timeit": try timeitMagic(m.argument, body: nil, line: m.line); return nil
        case "who": print(userNames.sorted().joined(separator: "\t"))
        case "whos": print(Whos.table(self))
        case "reset":
            // As IPython's: the user's names and the output history go, the input history stays.
            interpreter.reset()
            for k in outBox.keys { if let h = HashKey(k) { outBox.remove(h) } }
            BlockCache.shared.releaseCached()      // the freed tensors' memory back to the system
            if !m.argument.contains("-f") { print("Once deleted, variables cannot be recovered.") }
        case "history": print(try historyText(m.argument))
        case "save": try saveMagic(m.argument)
        case "run": return try runMagicFile(try MagicOptions(m.argument, withValue: [], magic: "run").rest)
        case "threads":
            if !m.argument.isEmpty {
                guard let n = Int(m.argument), n > 0 else { throw LangError(.ValueError, "%threads takes a positive integer, got '\(m.argument)'") }
                Parallel.setThreads(n)
            }
            print("threads: \(Parallel.threads)")
        case "pwd": return .str(FileManager.default.currentDirectoryPath)
        case "cd": try cdMagic(m.argument)
        case "env": return try envMagic(m.argument)
        case "load": result.nextInput = try loadMagic(m.argument)
        case "matplotlib": break    // figures are always drawn inline
        default:
            throw usage("Line magic function `%\(m.name)` not found. Magics: " + Magic.lineMagics.map { "%" + $0 }.joined(separator: " "))
        }
        return nil
    }

    /// Output of a magic goes where `print` output goes.
    func print(_ s: String) {
        let text = s.hasSuffix("\n") || s.isEmpty ? s : s + "\n"
        interpreter.output(text)
    }

    /// `%time STMT` on line `line` of the cell: an error inside points at the file line,
    /// the cell line and the column of the statement as typed after `%time`.
    func timeLineMagic(_ code: String, line: Int) throws -> Value? {
        try atMagicLine(code, line: line) { try timeMagic(code, line: line) }
    }

    /// Runs `body`, which runs the statement `code` of a line magic typed on cell line `line`
    /// (compiled with `line` newlines before it): an error inside is moved to the column
    /// where `code` stands on that line, and shows the cell's own text.
    func atMagicLine<T>(_ code: String, line: Int, _ body: () throws -> T) throws -> T {
        let lines = current.source.split(separator: "\n", omittingEmptySubsequences: false)
        let text = line < lines.count ? String(lines[line]) : ""
        let offset = text.range(of: code).map { text.distance(from: text.startIndex, to: $0.lowerBound) } ?? 0
        do {
            return try body()
        } catch var e as LangError {
            let id = interpreter.lastCellID
            func shift(_ l: inout ErrorLocation) {
                guard l.cell == id, l.range.line == line + 1 else { return }
                l.range.column += offset
                if l.range.endLine == l.range.line { l.range.endColumn += offset }
            }
            if var l = e.location { shift(&l); e.location = l }
            for i in e.callers.indices { shift(&e.callers[i]) }
            interpreter.setCellSource(id, current.source)
            throw e
        }
    }

    /// `%time STMT` (or a `%%time` cell's body, with `line` its first cell line).
    func timeMagic(_ code: String, line: Int?) throws -> Value? {
        guard !code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw LangError(.SyntaxError, "%time needs a statement, e.g. %time y = net(x)")
        }
        let w0 = DispatchTime.now().uptimeNanoseconds
        var usage0 = rusage(); getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage0)
        let v: Value?
        if let line { v = try runCode(code, line: line) } else {
            v = try interpreter.run(code, cell: CellSource(source: code, fileName: nil, firstLine: 1, label: current.label))
        }
        var usage1 = rusage(); getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage1)
        let wall = Double(DispatchTime.now().uptimeNanoseconds - w0) / 1e9
        let user = seconds(usage1.ru_utime) - seconds(usage0.ru_utime)
        let sys = seconds(usage1.ru_stime) - seconds(usage0.ru_stime)
        print("CPU times: user \(TimeText.format(user)), sys: \(TimeText.format(sys)), total: \(TimeText.format(user + sys))")
        print("Wall time: \(TimeText.format(wall))")
        return v
    }

    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }

    /// `%timeit [-n N] [-r R] [-q] STMT`, or `%%timeit [-n N] [-r R] [SETUP]` with `body` timed.
    /// IPython's rule without -n: loops of 1, 2, 5, 10, 20, 50, ... until one timing takes
    /// 0.2 s; 7 runs without -r. The statement is compiled once and every loop runs on
    /// one interpreter thread, so what is timed is the statement, not the set-up of a cell.
    /// A line magic's statement on cell line `line` reports errors there (`atMagicLine`).
    func timeitMagic(_ argument: String, body: String?, line: Int? = nil) throws {
        let o = try MagicOptions(argument, withValue: ["n", "r", "p"], magic: "timeit")
        let stmt = body ?? o.rest
        guard !stmt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw LangError(.SyntaxError, "%timeit needs a statement, e.g. %timeit net(x)")
        }
        if body != nil, !o.rest.isEmpty { _ = try runCode(o.rest, line: 0) }    // %%timeit's setup line
        guard body == nil, let line else { return try timeStatement(o, body == nil ? stmt : "\n" + stmt) }
        try atMagicLine(stmt, line: line) { try timeStatement(o, String(repeating: "\n", count: line) + stmt) }
    }

    /// Times `source` (the statement, or the `%%timeit` body, after the lines before it) as
    /// `%timeit`'s options `o` say.
    func timeStatement(_ o: MagicOptions, _ source: String) throws {
        let fixedLoops = try o.int("n", magic: "timeit")
        let runs = try o.int("r", magic: "timeit") ?? 7
        let cell = CellSource(source: source, fileName: current.fileName, firstLine: current.firstLine, label: current.label)
        let snippet = try interpreter.prepareRepeated(source, cell: cell)
        let (loops, per) = try interpreter.onInterpreterStack { () throws -> (Int, [Double]) in
            func timeLoops(_ n: Int) throws -> Double {
                let t0 = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<n {
                    if Interrupt.requested { throw LangError(.KeyboardInterrupt, "") }
                    _ = try snippet()
                }
                return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            }
            var loops = fixedLoops ?? 1
            if fixedLoops == nil {
                outer: for base in [1, 10, 100, 1000, 10_000, 100_000, 1_000_000] {
                    for k in [1, 2, 5] {
                        loops = base * k
                        if try timeLoops(loops) >= 0.2 { break outer }
                    }
                }
            }
            var per: [Double] = []
            for _ in 0..<runs { per.append(try timeLoops(loops) / Double(loops)) }
            return (loops, per)
        }
        if o.flags.contains("q") { return }
        let mean = per.reduce(0, +) / Double(per.count)
        let std = (per.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(per.count)).squareRoot()
        let loopsText = loops == 1 ? "1 loop each" : "\(TimeText.grouped(loops)) loops each"
        let runsText = runs == 1 ? "1 run" : "\(runs) runs"
        print("\(TimeText.format(mean)) ± \(TimeText.format(std)) per loop (mean ± std. dev. of \(runsText), \(loopsText))")
    }

    /// `%history`, `%history 4-6`, `%history 2 5`, `-n` for numbers.
    func historyText(_ arg: String) throws -> String {
        var numbered = false
        var wanted: [Int] = []
        // The %history cell itself is the last input: leave it out.
        let past = Array(inputs.dropLast())
        for part in arg.split(separator: " ") {
            if part == "-n" { numbered = true; continue }
            let pieces = part.split(separator: "-"), ends = pieces.compactMap { Int($0) }
            // Every end a number: `1-2**62` is a bad range, not cell 1.
            guard ends.count == pieces.count else { throw LangError(.ValueError, "%history: bad range '\(part)' (use N, N-M)") }
            // A range is cut to the cells that exist, so `1-4611686018427387904` lists them all at once.
            if ends.count == 2, ends[0] <= ends[1] {
                let lo = max(ends[0], 1), hi = min(ends[1], past.count)
                if lo <= hi { wanted += Array(lo...hi) }
            }
            else if ends.count == 1 { wanted.append(ends[0]) }
            else { throw LangError(.ValueError, "%history: bad range '\(part)' (use N, N-M)") }
        }
        let numbers = wanted.isEmpty ? Array(1...max(past.count, 1)).filter { $0 <= past.count } : wanted
        var lines: [String] = []
        for n in numbers where n >= 1 && n <= past.count {
            let src = past[n - 1]
            if numbered {
                let body = src.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + String(repeating: " ", count: "\(n): ".count))
                lines.append("\(n): " + body)
            } else { lines.append(src) }
        }
        return lines.joined(separator: "\n")
    }

    /// `%save PATH`: the session's cells (without this one) as a .tpad.
    func saveMagic(_ arg: String) throws {
        guard !arg.isEmpty else { throw LangError(.ValueError, "%save needs a file name, e.g. %save session.tpad") }
        try refuseNul(arg)
        let path = arg.hasSuffix(".tpad") || arg.hasSuffix(".py") || arg.hasSuffix(".ipynb") ? arg : arg + ".tpad"
        let cells = inputs.dropLast().map { Cell(kind: .code, source: $0) }
        do { try NotebookFile(cells: Array(cells)).write(to: path) } catch let e as FormatError {
            throw LangError.from(e)
        }
        print("The following commands were written to file `\(path)`: \(cells.count) cells")
    }

    /// `%run [-i] PATH`: runs a notebook's code cells into this session (which `-i` asks for anyway).
    func runMagicFile(_ arg: String) throws -> Value? {
        guard !arg.isEmpty else { throw LangError(.ValueError, "%run needs a notebook path") }
        try refuseNul(arg)
        let nb: NotebookFile
        do { nb = try NotebookFile.read(path: arg) } catch let e as FormatError { throw LangError.from(e) }
        var last: Value?
        for (i, cell) in nb.cells.enumerated() where cell.kind == .code {
            if Interrupt.requested { throw LangError(.KeyboardInterrupt, "") }
            let v = try interpreter.run(cell.source, cell: CellSource(source: cell.source, fileName: arg, firstLine: cell.firstLine,
                                                                      label: "cell \(i + 1)"))
            last = i == nb.cells.count - 1 ? v : nil
        }
        return last
    }
}

/// IPython's `_format_time`: three significant digits in s, ms, µs or ns.
enum TimeText {
    static func format(_ t: Double) -> String {
        if t >= 60 {
            let m = Int(t / 60), s = t - Double(m) * 60
            return "\(m)min \(String(format: "%.0f", s))s"
        }
        let units: [(String, Double)] = [("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)]
        var (name, scale) = units.last ?? ("ns", 1e-9)
        if t > 0 { for u in units where t >= u.1 { (name, scale) = u; break } }
        else { (name, scale) = ("ns", 1e-9) }
        return String(format: "%.3g", t / scale) + " " + name
    }

    /// `100,000`.
    static func grouped(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, c) in s.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }
}
