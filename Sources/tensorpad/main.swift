// The `tensorpad` command: argument parsing and exit codes only. Everything
// else lives in Notebook (the batch runner) and REPL (the terminal front end).
import ArgumentParser
import Notebook
import REPL
import TensorCore
#if canImport(Glibc)
import Glibc
#endif

let version = "0.1.0"

struct Tensorpad: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tensorpad",
        abstract: "A notebook REPL for deep-learning experiments: PyTorch's layers in a Python-like language.",
        // One line per paragraph: the help printer wraps them to the terminal's width.
        discussion: """
        With no arguments: an interactive REPL when stdin is a terminal; otherwise stdin is read as one notebook and run like `tensorpad run -`.

        Exit status: 0 when every cell ran, 1 when a cell raised an error, 2 for bad arguments or an unreadable notebook.
        """,
        version: "tensorpad \(version)",
        subcommands: [Run.self, Convert.self, Export.self, KernelCommand.self])

    // `.unconditional`: `-c '-1'` and `--threads -1` take the value even when it starts with '-'.
    @Option(name: .customShort("c"), parsing: .unconditional, help: ArgumentHelp("Run CODE as one cell and exit.", valueName: "CODE"))
    var code: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Threads for kernels (default: all cores).", valueName: "N"))
    var threads: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Largest single allocation in GiB, tensors and strings alike (default: 3/4 of RAM); past it: MemoryError.", valueName: "GIB"))
    var maxMemory: Double?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if let maxMemory, !(maxMemory > 0 && maxMemory < 1e9) { throw ValidationError("--max-memory must be a positive number of GiB, got \(maxMemory)") }
    }

    func run() throws {
        if let maxMemory { NotebookRunner.setMaxMemory(bytes: Int(maxMemory * 1_073_741_824)) }
        if let threads { NotebookRunner.setThreads(threads) }
        if let code {
            throw ExitCode(NotebookRunner.runCode(code))
        }
        if isatty(STDIN_FILENO) != 0 {
            throw ExitCode(REPLLoop.run(version: version))
        }
        throw ExitCode(NotebookRunner.runFile(path: "-", options: RunOptions()))
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every cell of a notebook (.tpad, percent-format .py, or .ipynb; - for stdin) in one session.",
        usage: "tensorpad run <notebook> [--out <FILE.ipynb>] [--report <FILE.md>] [--allow-errors] [--threads <N>]")

    @Argument(help: "The notebook to run.") var notebook: String
    @Option(help: ArgumentHelp("Write the executed notebook (nbformat 4) with outputs.", valueName: "FILE.ipynb"))
    var out: String?
    @Option(help: ArgumentHelp("Write a Markdown report with outputs and saved images.", valueName: "FILE.md"))
    var report: String?
    @Flag(help: "Keep running after a cell raises an error (exit status is still 1).")
    var allowErrors = false
    @Option(help: ArgumentHelp("Threads for kernels (default: all cores).", valueName: "N"))
    var threads: Int?
    @ParentCommand var root: Tensorpad

    func run() throws {
        // `tensorpad --threads 2 run NB` sets the root's option, `tensorpad run NB --threads 2` this one.
        if let threads = threads ?? root.threads { NotebookRunner.setThreads(threads) }
        let options = RunOptions(outPath: out, reportPath: report, allowErrors: allowErrors)
        throw ExitCode(NotebookRunner.runFile(path: notebook, options: options))
    }
}

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert between .tpad (percent format) and .ipynb, by extension.")
    @Argument(help: "The notebook to read.") var input: String
    @Argument(help: "The notebook to write.") var output: String

    func run() throws {
        throw ExitCode(NotebookRunner.convert(input: input, output: output))
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the notebook as a Python script (DIR/NAME.py) with tensorpad_compat.py, for Python + PyTorch and torchrun.",
        usage: "tensorpad export <notebook> --to pytorch <dir>")
    @Argument(help: "The notebook to export.") var notebook: String
    @Option(help: ArgumentHelp("The target: pytorch.", valueName: "TARGET")) var to: String
    @Argument(help: "The folder to write into (created when missing).") var dir: String

    func validate() throws {
        guard to == "pytorch" else { throw ValidationError("unknown export target '\(to)'; the one target is 'pytorch'") }
    }

    func run() throws {
        throw ExitCode(NotebookRunner.export(notebook: notebook, to: dir))
    }
}

// OpenBLAS's kernels for this CPU (may execute this program once more, before anything else runs).
BLASCore.reexecIfFallback()
// OpenBLAS at one thread, its idle pool stopped (Tensorpad's workers split the products).
BLAS.useOneThread()

// One place turns any error into the message and exit code the user sees.
// A write past the file-size limit fails with EFBIG (an IOError, the temporary file
// removed) instead of killing the process.
signal(SIGXFSZ, SIG_IGN)
do {
    var command = try Tensorpad.parseAsRoot()
    try command.run()
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    let status = Tensorpad.exitCode(for: error)
    if status == .success {
        print(Tensorpad.fullMessage(for: error))
        exit(0)
    }
    var err = StandardError()
    print(Tensorpad.fullMessage(for: error), to: &err)
    print("Usage: see 'tensorpad --help'", to: &err)
    exit(2)
}

struct StandardError: TextOutputStream {
    mutating func write(_ s: String) { fputs(s, stderr) }
}
