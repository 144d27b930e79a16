import Foundation
import Lang
import Formats
import TensorCore

/// Options of `tensorpad run`.
public struct RunOptions {
    public var outPath: String?
    public var reportPath: String?
    public var allowErrors: Bool
    public init(outPath: String? = nil, reportPath: String? = nil, allowErrors: Bool = false) {
        self.outPath = outPath; self.reportPath = reportPath; self.allowErrors = allowErrors
    }
}

/// The batch front end: `tensorpad run`, `-c`, a notebook on stdin, and
/// `convert`. Cell output goes to stdout as it is printed; errors, headers
/// and progress go to stderr (progress only when stderr is a terminal).
/// Returns the exit status: 0 all cells ran, 1 a cell raised, 2 bad input.
public enum NotebookRunner {
    public static func setThreads(_ n: Int) { Parallel.setThreads(n) }
    /// `--max-memory`: the largest single allocation (tensors, strings, lists, format widths).
    public static func setMaxMemory(bytes: Int) { Storage.limitBytes = bytes }

    /// `tensorpad -c CODE`.
    public static func runCode(_ code: String) -> Int32 {
        let nb = NotebookFile(cells: [Cell(kind: .code, source: code)])
        return run(nb, fileName: "<string>", options: RunOptions())
    }

    /// `tensorpad run PATH` (`-` reads stdin).
    public static func runFile(path: String, options: RunOptions) -> Int32 {
        let nb: NotebookFile
        do {
            if path == "-" {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                guard let text = String(data: data, encoding: .utf8) else {
                    Output.error("IOError: standard input is not UTF-8 text")
                    return 2
                }
                nb = PercentNotebook.parse(text)
            } else {
                nb = try NotebookFile.read(path: path)
            }
        } catch {
            Output.error(LangError.from(error).description)
            return 2
        }
        if path == "-" { return run(nb, fileName: "<stdin>", options: options) }
        // As Jupyter does, the notebook runs in its own folder (data/camera.pgm is found
        // from anywhere); paths given on the command line stay relative to where it was typed.
        let cwd = FileManager.default.currentDirectoryPath
        func absolute(_ p: String) -> String { p.hasPrefix("/") ? p : (cwd as NSString).appendingPathComponent(p) }
        var opts = options
        opts.outPath = options.outPath.map(absolute)
        opts.reportPath = options.reportPath.map(absolute)
        let folder = (absolute(path) as NSString).deletingLastPathComponent
        guard FileManager.default.changeCurrentDirectoryPath(folder) else {
            Output.error("FileNotFoundError: [Errno 2] No such file or directory: '\(folder)'")
            return 2
        }
        defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
        return run(nb, fileName: path, options: opts)
    }

    /// `tensorpad export NB --to pytorch DIR`: prints the files written (and any
    /// magic left as a comment) on stderr.
    public static func export(notebook: String, to dir: String) -> Int32 {
        do {
            let r = try PyTorchExport.export(notebook: notebook, to: dir)
            for w in r.warnings { Output.error("warning: " + w) }
            for p in [r.script, r.compat] + r.copied { Output.error("wrote " + p) }
            return 0
        } catch {
            Output.error(LangError.from(error).description)
            return 2
        }
    }

    /// `tensorpad convert IN OUT`.
    public static func convert(input: String, output: String) -> Int32 {
        do {
            let nb = try NotebookFile.read(path: input)
            try nb.write(to: output)
            return 0
        } catch {
            Output.error(LangError.from(error).description)
            return 2
        }
    }

    static func run(_ notebook: NotebookFile, fileName: String, options: RunOptions) -> Int32 {
        let session = Session()
        session.onOutput = { Output.out($0) }
        session.interpreter.console = .standard(notebookOutput: options.outPath != nil, inlineFigures: true)
        var nb = notebook
        var status: Int32 = 0
        let codeCells = nb.cells.indices.filter { nb.cells[$0].kind == .code }
        let progress = Progress(total: codeCells.count)
        for (k, i) in codeCells.enumerated() {
            let cell = nb.cells[i]
            progress.start(k + 1, title: cell.title)
            let r = session.run(cell.source, fileName: fileName, firstLine: cell.firstLine, label: "cell \(i + 1)")
            if let shown = r.displayed { Output.out(shown + "\n") }
            nb.cells[i].executionCount = r.executionCount
            nb.cells[i].outputs = outputs(of: r)
            progress.finish(seconds: r.seconds, failed: !r.ok)
            if let e = r.error, e.kind == .SystemExit {
                // sys.exit(n) ends the run as it ends a script: status n, a message for a non-int.
                if let n = Int32(e.message) { status = n } else if e.message.isEmpty { status = 0 } else {
                    Output.error(e.message)
                    status = 1
                }
                break
            }
            if let text = r.errorText {
                Output.error(text)
                status = 1
                if !options.allowErrors { break }
            }
        }
        Output.flush()
        if let out = options.outPath {
            do { try nb.write(to: out) } catch {
                Output.error("IOError: cannot write \(out): \(error)")
                return 2
            }
        }
        if let report = options.reportPath {
            do {
                let rendered = Report.render(nb, source: fileName, reportPath: report)
                for f in rendered.files {
                    try FileManager.default.createDirectory(atPath: (f.path as NSString).deletingLastPathComponent,
                                                            withIntermediateDirectories: true)
                    try FileIO.writeAtomically(f.png, path: f.path)
                }
                try FileIO.writeAtomically(Data(rendered.markdown.utf8), path: report)
            } catch {
                Output.error("IOError: cannot write \(report): \(error)")
                return 2
            }
        }
        return status
    }

    /// A cell's result as nbformat outputs.
    static func outputs(of r: ExecutionResult) -> [CellOutput] {
        var out: [CellOutput] = []
        if !r.stdout.isEmpty { out.append(.stream(name: "stdout", text: r.stdout)) }
        for img in r.images { out.append(.displayData(png: img.png, text: img.path.map { "<image \($0)>" })) }
        if let shown = r.displayed { out.append(.executeResult(text: shown, executionCount: r.executionCount)) }
        if let e = r.error {
            out.append(.error(ename: e.name, evalue: e.message,
                              traceback: (r.errorText ?? e.description).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)))
        }
        return out
    }
}

/// Buffered stdout (flushed before stderr writes, so the two interleave in order).
/// Written with `fwrite`, byte count and all: `fputs` would stop at a NUL (`print('a\x00b')`).
public enum Output {
    static func out(_ s: String) { write(s, stdout) }
    static func error(_ s: String) {
        fflush(stdout)
        write(s.hasSuffix("\n") ? s : s + "\n", stderr)
    }
    public static func write(_ s: String, _ file: UnsafeMutablePointer<FILE>) {
        var s = s
        s.withUTF8 { b in _ = fwrite(b.baseAddress, 1, b.count, file) }
    }
    static func flush() { fflush(stdout) }
}

/// `[2/5] Title … 0.12 s` on stderr when it is a terminal.
final class Progress {
    let total: Int
    let enabled = isatty(STDERR_FILENO) != 0 && ProcessInfo.processInfo.environment["TENSORPAD_NO_PROGRESS"] == nil
    init(total: Int) { self.total = total }
    func start(_ n: Int, title: String?) {
        guard enabled else { return }
        Output.error("\u{1B}[2m── [\(n)/\(total)]\(title.map { " " + $0 } ?? "")\u{1B}[0m")
    }
    func finish(seconds: Double, failed: Bool) {
        guard enabled else { return }
        Output.error("\u{1B}[2m   \(failed ? "failed" : "done") in \(TimeText.format(seconds))\u{1B}[0m")
    }
}
