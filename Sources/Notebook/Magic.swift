import Foundation
import Lang
import Formats
import TensorCore
import NN

/// A line magic: `%time STMT`, `%timeit STMT`, `%who`, `%whos`, `%reset`,
/// `%history [range]`, `%save PATH`, `%run PATH`, `%threads [N]`.
struct Magic {
    let name: String
    let argument: String

    /// A cell that is one magic line (leading/trailing blank lines allowed).
    static func parse(_ source: String) -> Magic? {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: true)
            .filter { !$0.allSatisfy { $0 == " " || $0 == "\t" } }
        guard lines.count == 1, let line = lines.first else { return nil }
        let t = line.drop { $0 == " " }
        guard t.hasPrefix("%"), !t.hasPrefix("%%") else { return nil }
        let body = t.dropFirst()
        let name = body.prefix { $0.isLetter }
        guard !name.isEmpty else { return nil }
        let arg = body.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        return Magic(name: String(name), argument: arg)
    }
}

extension Session {
    func runMagic(_ m: Magic, into result: inout ExecutionResult) throws {
        switch m.name {
        case "time": try timeMagic(m.argument, into: &result)
        case "timeit": try timeitMagic(m.argument)
        case "who": print(userNames.sorted().joined(separator: "\t"))
        case "whos": print(Whos.table(self))
        case "reset":
            interpreter.reset()
            if !m.argument.contains("-f") { print("Once deleted, variables cannot be recovered.") }
        case "history": print(try historyText(m.argument))
        case "save": try saveMagic(m.argument)
        case "run": try runMagicFile(m.argument, into: &result)
        case "threads":
            if !m.argument.isEmpty {
                guard let n = Int(m.argument), n > 0 else { throw LangError(.ValueError, "%threads takes a positive integer, got '\(m.argument)'") }
                Parallel.setThreads(n)
            }
            print("threads: \(Parallel.threads)")
        default:
            throw LangError(.NameError, "UsageError: Line magic function `%\(m.name)` not found. Magics: %time %timeit %who %whos %reset %history %save %run %threads")
        }
    }

    /// Output of a magic goes where `print` output goes.
    func print(_ s: String) {
        let text = s.hasSuffix("\n") || s.isEmpty ? s : s + "\n"
        interpreter.output(text)
    }

    func runSnippet(_ code: String) throws -> Value? {
        try interpreter.run(code, cell: CellSource(source: code, fileName: nil, firstLine: 1, label: "In [\(executionCount)]"))
    }

    func timeMagic(_ code: String, into result: inout ExecutionResult) throws {
        guard !code.isEmpty else { throw LangError(.SyntaxError, "%time needs a statement, e.g. %time y = net(x)") }
        let w0 = DispatchTime.now().uptimeNanoseconds
        var usage0 = rusage(); getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage0)
        let v = try runSnippet(code)
        var usage1 = rusage(); getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage1)
        let wall = Double(DispatchTime.now().uptimeNanoseconds - w0) / 1e9
        let user = seconds(usage1.ru_utime) - seconds(usage0.ru_utime)
        let sys = seconds(usage1.ru_stime) - seconds(usage0.ru_stime)
        print("CPU times: user \(TimeText.format(user)), sys: \(TimeText.format(sys)), total: \(TimeText.format(user + sys))")
        print("Wall time: \(TimeText.format(wall))")
        if let v { result.displayed = interpreter.repr(v) }
    }

    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }

    /// IPython's rule: loops of 1, 2, 5, 10, 20, 50, ... until one timing takes 0.2 s; 7 runs.
    /// The statement is compiled once and every loop runs on one interpreter thread,
    /// so what is timed is the statement, not the set-up of a cell.
    func timeitMagic(_ code: String) throws {
        guard !code.isEmpty else { throw LangError(.SyntaxError, "%timeit needs a statement, e.g. %timeit net(x)") }
        let cell = CellSource(source: code, fileName: nil, firstLine: 1, label: "In [\(executionCount)]")
        let snippet = try interpreter.prepareRepeated(code, cell: cell)
        let (loops, per) = try interpreter.onInterpreterStack { () throws -> (Int, [Double]) in
            func timeLoops(_ n: Int) throws -> Double {
                let t0 = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<n {
                    if Interrupt.requested { throw LangError(.KeyboardInterrupt, "") }
                    _ = try snippet()
                }
                return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            }
            var loops = 1
            outer: for base in [1, 10, 100, 1000, 10_000, 100_000, 1_000_000] {
                for k in [1, 2, 5] {
                    loops = base * k
                    if try timeLoops(loops) >= 0.2 { break outer }
                }
            }
            var per: [Double] = []
            for _ in 0..<7 { per.append(try timeLoops(loops) / Double(loops)) }
            return (loops, per)
        }
        let mean = per.reduce(0, +) / Double(per.count)
        let std = (per.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(per.count)).squareRoot()
        let loopsText = loops == 1 ? "1 loop each" : "\(TimeText.grouped(loops)) loops each"
        print("\(TimeText.format(mean)) ± \(TimeText.format(std)) per loop (mean ± std. dev. of 7 runs, \(loopsText))")
    }

    /// `%history`, `%history 4-6`, `%history 2 5`, `-n` for numbers.
    func historyText(_ arg: String) throws -> String {
        var numbered = false
        var wanted: [Int] = []
        for part in arg.split(separator: " ") {
            if part == "-n" { numbered = true; continue }
            let ends = part.split(separator: "-").compactMap { Int($0) }
            if ends.count == 2, ends[0] <= ends[1] { wanted += Array(ends[0]...ends[1]) }
            else if ends.count == 1 { wanted.append(ends[0]) }
            else { throw LangError(.ValueError, "%history: bad range '\(part)' (use N, N-M)") }
        }
        // The %history cell itself is the last input: leave it out.
        let past = Array(inputs.dropLast())
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
        let path = arg.hasSuffix(".tpad") || arg.hasSuffix(".py") || arg.hasSuffix(".ipynb") ? arg : arg + ".tpad"
        let cells = inputs.dropLast().map { Cell(kind: .code, source: $0) }
        do { try NotebookFile(cells: Array(cells)).write(to: path) } catch let e as FormatError {
            throw LangError.from(e)
        }
        print("The following commands were written to file `\(path)`: \(cells.count) cells")
    }

    /// `%run PATH`: runs a notebook's code cells into this session.
    func runMagicFile(_ arg: String, into result: inout ExecutionResult) throws {
        guard !arg.isEmpty else { throw LangError(.ValueError, "%run needs a notebook path") }
        let nb: NotebookFile
        do { nb = try NotebookFile.read(path: arg) } catch let e as FormatError { throw LangError.from(e) }
        for (i, cell) in nb.cells.enumerated() where cell.kind == .code {
            if Interrupt.requested { throw LangError(.KeyboardInterrupt, "") }
            let v = try interpreter.run(cell.source, cell: CellSource(source: cell.source, fileName: arg, firstLine: cell.firstLine,
                                                                      label: "cell \(i + 1)"))
            if let v, i == nb.cells.count - 1 { result.displayed = interpreter.repr(v) }
        }
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
