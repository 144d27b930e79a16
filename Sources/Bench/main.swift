// `make bench`: Tensorpad's workloads next to PyTorch's, measured in one run.
// Medians of several runs after a warm-up. PyTorch's column is filled when
// `python3 -c "import torch"` works (or TENSORPAD_BENCH_PYTHON names a python).
// `tensorpad-bench --forward N [R]` runs R (1) ResNet-18 forwards at batch N and exits
// (the peak-memory child); `--train N [R]` the same with backward; `--lenet R` R LeNet training
// steps at batch 256; `--epoch loader|train` one
// Fashion-MNIST pass (Epoch.swift). TENSORPAD_BENCH_ONLY=kernels|resnet|notebook|train|epoch|process
// picks a part; =loops runs only the plain-Python rows (part of process); =notebook the ResNet-18
// of Notebooks/03 through the language (NotebookRows.swift). TENSORPAD_BENCH_ALLOC=1: the --forward and
// --train children print the block cache's statistics and each step's time to stderr.
import Foundation
import TensorCore
import NN
import CBLAS

BLASCore.reexecIfFallback()
BLAS.useOneThread()   // as the tensorpad executable: OpenBLAS's idle pool stopped
let threads = Int(ProcessInfo.processInfo.environment["TENSORPAD_THREADS"] ?? "") ?? 2
Parallel.setThreads(threads)

if let t = ProcessInfo.processInfo.environment["TENSORPAD_CONV_TILE"].flatMap(Int.init), t > 0 {
    Kernels.convTileFloats = t
}
let args = CommandLine.arguments
if args.count >= 3, args[1] == "--forward", let bs = Int(args[2]) {
    do {
        let net = try ResNet18.make().eval()
        let x = try Tensor.randn([bs, 1, 224, 224])
        // Under no-grad, as bench/torch_bench.py runs PyTorch's (`with torch.no_grad()`): the
        // graph autograd records would hold every activation, which inference does not.
        try GradMode.withoutGrad {
            for _ in 0..<(args.count > 3 ? Int(args[3]) ?? 1 : 1) { try timedStep { _ = try net.forward(x) } }
        }
        exit(0)
    } catch {
        print("error: \(error)")
        exit(1)
    }
}

if args.count >= 3, args[1] == "--train", let bs = Int(args[2]) {
    do {
        try trainChild(bs, args.count > 3 ? Int(args[3]) ?? 1 : 1)
        exit(0)
    } catch {
        print("error: \(error)")
        exit(1)
    }
}

if args.count >= 3, args[1] == "--lenet", let reps = Int(args[2]) {
    do {
        try lenetChild(reps)
        exit(0)
    } catch {
        print("error: \(error)")
        exit(1)
    }
}

if args.count >= 3, args[1] == "--epoch" {
    do {
        try epochChild(args[2])
        exit(0)
    } catch {
        print("error: \(error)")
        exit(1)
    }
}

if args.count >= 3, args[1] == "--conv-loop" {
    try convLoop(Int(args[2]) ?? 100, args.dropFirst(3).compactMap { Int($0) })
    exit(0)
}
if args.count >= 2, args[1] == "--ab" {
    try abRounds(args.count > 2 ? Int(args[2]) ?? 5 : 5)
    exit(0)
}

let only = ProcessInfo.processInfo.environment["TENSORPAD_BENCH_ONLY"]
func wanted(_ part: String) -> Bool { only == nil || only == part }
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let binDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
let python = ProcessInfo.processInfo.environment["TENSORPAD_BENCH_PYTHON"] ?? "python3"
let machineBefore = machineDescription()

// Child processes first, while this process is small: a child's ru_maxrss starts from
// its parent's resident size (the exec happens in a vfork'd child sharing our memory).
let parentRSS = residentMiB()
var rows: [Row] = []
/// Per-round values of the child-process rows (loops, notebook), printed under the table.
nonisolated(unsafe) var childNotes: [String] = []
var torch: [String: Double] = [:]
if wanted("process") { rows += processRows() }
if only == "loops" { rows += loopRows(binDir.appendingPathComponent("tensorpad").path) }
if wanted("notebook") { rows += notebookRows(binDir.appendingPathComponent("tensorpad").path) }
if wanted("kernels") || wanted("resnet") || wanted("train") {
    // PyTorch's side of the in-process rows, round by round beside Tensorpad's (SideBySide.swift).
    torchServer = TorchServer(python: python, script: repoRoot.appendingPathComponent("bench/torch_bench.py").path,
                              threads: threads)
}
if wanted("kernels") || wanted("resnet") { rows += try kernelRows(kernels: wanted("kernels"), resnet: wanted("resnet")) }
if wanted("train") { rows += try trainRows() }
torchServer?.close()
torchServer = nil
torch = torchSideBySide
if wanted("epoch") { rows += epochRows() }

print(machineBefore)
print("bench process resident when spawning children: \(String(format: "%.1f", parentRSS)) MiB (a floor for the MiB rows)")
printTable(rows, torch: torch)
childNotes.forEach { print($0) }
print("load after: \(loadAverage())")

// MARK: - Child-process rows

/// Start-up, peak memory and interpreter rows; PyTorch's side of each is measured
/// here too (values go straight into `torch`).
func processRows() -> [Row] {
    var out: [Row] = []
    let tensorpad = binDir.appendingPathComponent("tensorpad").path
    if let (t, m, _) = medianChild([tensorpad, "-c", "print(1)"], runs: 7) {
        out.append(Row(name: "start-to-exit print(1) (ms)", value: t * 1000, higherIsBetter: false,
                       target: .absolute(30)))
        out.append(Row(name: "start-to-exit print(1) (MiB)", value: m, higherIsBetter: false, target: .absolute(30)))
    }
    if let (t, m, _) = medianChild([python, "-c", "import torch"], runs: 5) {
        torchProcess["start-to-exit print(1) (ms)"] = t * 1000
        torchProcess["start-to-exit print(1) (MiB)"] = m
    }
    out += loopRows(tensorpad)
    let me = binDir.appendingPathComponent("tensorpad-bench").path
    let name = "resnet18 b8 peak RSS (MiB)"
    if let (_, m, _) = medianChild([me, "--forward", "8"], runs: 3) {
        out.append(Row(name: name, value: m, higherIsBetter: false, target: .torch(1)))
    }
    let torchScript = repoRoot.appendingPathComponent("bench/torch_bench.py").path
    if let (_, m, _) = medianChild([python, torchScript, String(threads), "--forward", "8"], runs: 3) {
        torchProcess[name] = m
    }
    let trainName = "resnet18 fwd+bwd b8 peak RSS (MiB)"
    if let (_, m, _) = medianChild([me, "--train", "8"], runs: 3) {
        out.append(Row(name: trainName, value: m, higherIsBetter: false, target: .torch(1)))
    }
    if let (_, m, _) = medianChild([python, torchScript, String(threads), "--train", "8"], runs: 3) {
        torchProcess[trainName] = m
    }
    return out
}

/// The plain-Python rows: each script run unchanged by `tensorpad run` and by CPython, whole
/// processes alternated, 5 of each; each prints the median of 5 timed calls (first line) and
/// its result (second line, which must agree). The row is the median of the 5 printed values.
func loopRows(_ tensorpad: String) -> [Row] {
    let workloads: [(String, String, Double)] = [
        ("bench/loopconv.py", "plain-loop conv (ns/inner iter)", 1e9),
        ("bench/loopmandel.py", "loop mandelbrot rows (ms)", 1e3),
        ("bench/loopwords.py", "loop word counts + sort (ms)", 1e3),
        ("bench/loopfib.py", "loop fib(25) calls (ms)", 1e3),
    ]
    var out: [Row] = []
    for (path, name, scale) in workloads {
        let script = repoRoot.appendingPathComponent(path).path
        var mine: [Double] = [], theirs: [Double] = [], cpuMine: [Double] = [], cpuTheirs: [Double] = []
        var results: Set<String> = []
        for _ in 0..<5 {
            for (argv, isMine) in [([tensorpad, "run", script], true), ([python, script], false)] {
                guard let r = runChild(argv), r.status == 0 else { continue }
                let lines = r.stdout.split(separator: "\n")
                guard let v = lines.first.flatMap({ Double($0) }) else { continue }
                if lines.count > 1 { results.insert(String(lines[1])) }
                if isMine { mine.append(v * scale); cpuMine.append(r.cpuSeconds) } else {
                    theirs.append(v * scale); cpuTheirs.append(r.cpuSeconds)
                }
            }
        }
        func median(_ a: [Double]) -> Double? { a.isEmpty ? nil : a.sorted()[a.count / 2] }
        guard let m = median(mine) else { continue }
        out.append(Row(name: name, value: m, higherIsBetter: false, target: .torch(2)))
        if let t = median(theirs) {
            torchProcess[name] = t
            let ratios = zip(theirs, mine).map { $0 / $1 }
            childNotes.append("\(name): CPython ÷ Tensorpad per round " +
                ratios.map { String(format: "%.2f", $0) }.joined(separator: " ") +
                String(format: "; whole-process CPU %.2f s vs %.2f s (median)", median(cpuTheirs) ?? 0, median(cpuMine) ?? 0) +
                (results.count == 1 ? "; same result" : "; RESULTS DIFFER: \(results.sorted())"))
        }
    }
    return out
}
