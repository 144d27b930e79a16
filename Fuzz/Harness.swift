// libFuzzer entry points for every input Tensorpad reads from outside: source text,
// programs, the file loaders and the Jupyter wire. Not part of Package.swift: `make fuzz`
// (scripts/fuzz.sh) compiles the library modules with `-sanitize=fuzzer,address` into
// .build-fuzz and links this file against them. One binary serves every target; the
// target is chosen by TENSORPAD_FUZZ_TARGET (see docs/fuzzing.md).
import Foundation
import Formats
import Kernel
import Lang
import Syntax
import TensorCore

enum Target: String, CaseIterable {
    case syntax, lang, npy, npz, safetensors, pt, idx, pgm, ipynb, percent, kernel
}

nonisolated(unsafe) var target = Target.syntax
nonisolated(unsafe) var interpreter: Interpreter?
/// When the running program is stopped through the interpreter's Ctrl-C flag (seconds since 1970; 0: none).
nonisolated(unsafe) var deadline = 0.0
/// Time budget of one `lang` input before it is interrupted (TENSORPAD_FUZZ_BUDGET_MS, default 50).
nonisolated(unsafe) var budget = 0.05

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    let env = ProcessInfo.processInfo.environment
    guard let name = env["TENSORPAD_FUZZ_TARGET"], let t = Target(rawValue: name) else {
        fputs("set TENSORPAD_FUZZ_TARGET to one of: \(Target.allCases.map(\.rawValue).joined(separator: " "))\n", stderr)
        exit(2)
    }
    target = t
    if let path = env["TENSORPAD_FUZZ_WRITE_DICT"] { writeDictionary(path); exit(0) }
    if t == .lang { startLang(env) }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = Data(bytes: bytes, count: size)
    switch target {
    case .syntax: onLargeStack { parse(data) }
    case .lang: runProgram(data)
    case .npy: touch(try? NPY.read(data)); touch(try? NPY.read(data, native: true))
    case .npz: (try? NPZ.read(data))?.forEach { touch($0.1) }
    case .safetensors: (try? Safetensors.decode(data))?.tensors.forEach { touch($0.1) }
    case .pt: if let v = try? TorchSave.decode(data) { walk(v, depth: 0) }
    case .idx: touch(try? IDX.decode(data))
    case .pgm: touch(try? PGM.decode(data))
    case .ipynb: _ = try? Ipynb.parse(data)
    case .percent: _ = PercentNotebook.parse(String(decoding: data, as: UTF8.self))
    case .kernel: decodeWire(data)
    }
    return 0
}

// MARK: loaders

/// Reads every element of a loaded tensor through its strides (a view with a bad offset
/// or stride shows up here under AddressSanitizer).
func touch(_ t: Tensor?) { _ = try? t?.contiguous() }

func walk(_ v: PickleValue, depth: Int) {
    guard depth < 200 else { return }
    switch v {
    case .tensor(let t): touch(t)
    case .list(let items), .tuple(let items): items.forEach { walk($0, depth: depth + 1) }
    case .dict(let pairs), .orderedDict(let pairs): pairs.forEach { walk($0.key, depth: depth + 1); walk($0.value, depth: depth + 1) }
    default: break
    }
}

/// The wire frames are the input split at each 0x01 byte; signing is off (empty key), as a
/// kernel started with an empty connection-file key runs. The whole input is also read as
/// a connection file.
func decodeWire(_ data: Data) {
    let frames = data.split(separator: 0x01, omittingEmptySubsequences: false).map { Data($0) }
    _ = try? Wire.decode(frames, signer: Signer(key: ""))
    _ = try? ConnectionFile.parse(data)
}

// MARK: syntax

func parse(_ data: Data) {
    let source = String(decoding: data, as: UTF8.self)
    _ = try? Lexer.tokenize(source)
    _ = try? Parser.parse(source)
}

/// The interpreter parses and runs cells on a 512 MiB stack (`Interpreter.onLargeStack`);
/// the parser and lang targets do the same, on one worker thread kept for the whole run
/// (a new thread per input spends most of its time on AddressSanitizer's bookkeeping of
/// the stack). The input's work finishes before the leak check.
func onLargeStack(_ body: @escaping () -> Void) {
    if !Worker.started { Worker.start() }
    Worker.job = body
    Worker.ready.signal()
    Worker.done.wait()
}

enum Worker {
    nonisolated(unsafe) static var job: (() -> Void)?
    nonisolated(unsafe) static var started = false
    static let ready = DispatchSemaphore(value: 0)
    static let done = DispatchSemaphore(value: 0)

    static func start() {
        started = true
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        pthread_attr_setstacksize(&attr, 512 << 20)
        var thread = pthread_t()
        let rc = pthread_create(&thread, &attr, { _ in
            while true {
                Worker.ready.wait()
                Worker.job?()
                Worker.job = nil
                Worker.done.signal()
            }
        }, nil)
        guard rc == 0 else { fputs("cannot start the worker thread\n", stderr); exit(2) }
    }
}

// MARK: programs

/// One interpreter for the whole run (its globals are cleared after each input), a
/// 64 MiB memory budget, output dropped, and a watchdog thread that raises
/// KeyboardInterrupt in a program still running after the budget. Programs run in a
/// sandbox working directory (TENSORPAD_FUZZ_SANDBOX); inputs that could name a path
/// outside it (a string starting with '/', '..', '~', escapes, chr()) are skipped, and
/// as root the process drops to nobody's user id (scripts/fuzz.sh makes the corpus and
/// artifact folders writable for it).
func startLang(_ env: [String: String]) {
    if let dir = env["TENSORPAD_FUZZ_SANDBOX"] {
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        guard chdir(dir) == 0 else { fputs("cannot enter sandbox \(dir)\n", stderr); exit(2) }
    } else {
        fputs("set TENSORPAD_FUZZ_SANDBOX to a scratch folder for the lang target\n", stderr)
        exit(2)
    }
    if getuid() == 0 {
        guard setgid(65534) == 0, setuid(65534) == 0 else { fputs("cannot drop root\n", stderr); exit(2) }
    }
    if let ms = env["TENSORPAD_FUZZ_BUDGET_MS"].flatMap(Double.init) { budget = ms / 1000 }
    // 64 MiB: a kernel over 256 MiB (torch.rand(2, 33333333), 0.5 s natively) ran past the
    // one-second hang limit under ASan alone, uninterruptible inside one kernel.
    Storage.limitBytes = 64 << 20
    let interp = Interpreter()
    interp.output = { _ in }
    interp.console = Console(progress: { _ in })
    interpreter = interp
    let watchdog = Thread {
        while true {
            usleep(5_000)
            if deadline > 0, Date().timeIntervalSince1970 > deadline { Interrupt.requested = true }
        }
    }
    watchdog.start()
}

let forbidden = ["'/", "\"/", "..", "~", "\\", "chr(", "environ", "chdir", "getcwd", "expanduser", "abspath"]

func runProgram(_ data: Data) {
    guard let interp = interpreter else { return }
    let source = String(decoding: data, as: UTF8.self)
    if forbidden.contains(where: source.contains) { return }
    onLargeStack {
        deadline = Date().timeIntervalSince1970 + budget
        if let body = try? interp.prepareRepeated(source, cell: CellSource(source: source, label: "cell 1")) {
            Interrupt.requested = false
            _ = try? body()
        }
        deadline = 0
        Interrupt.requested = false
        interp.reset()
    }
}

// MARK: dictionary

/// libFuzzer's dictionary for the syntax and lang targets: Python's keywords and
/// operators, and every builtin, namespace and method name the registry declares.
func writeDictionary(_ path: String) {
    let registry = Registry()
    var words = Set(pythonKeywords)
    words.formUnion(registry.globals.keys)
    words.formUnion(registry.roots.keys)
    for (_, methods) in registry.methods { words.formUnion(methods.keys) }
    for b in registry.allBuiltins() { words.formUnion(b.path.split(separator: ".").map(String.init)) }
    words.formUnion(["**", "//", "->", ":=", "+=", "==", "!=", "<=", ">=", "@", "f'", "'''", "\"\"\"",
                     "%%", "# %%", "lambda x:", "torch.", "nn.", "F.", "2**62", "1e300", "-1"])
    let lines = words.sorted().map { w -> String in
        let escaped = w.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }
    try? (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
}
