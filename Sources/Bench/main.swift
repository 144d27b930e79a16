// `make bench`: Tensorpad's workloads next to PyTorch's, measured in one run.
// Medians of several runs after a warm-up. PyTorch's column is filled when
// `python3 -c "import torch"` works (or TENSORPAD_BENCH_PYTHON names a python).
import Foundation
import TensorCore
import NN

let threads = Int(ProcessInfo.processInfo.environment["TENSORPAD_THREADS"] ?? "") ?? 2
Parallel.setThreads(threads)

func medianTime(runs: Int = 7, warmup: Int = 2, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<warmup { try body() }
    var ts: [Double] = []
    for _ in 0..<runs {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        ts.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    ts.sort()
    return ts[ts.count / 2]
}

struct Row { let name: String; let value: Double; let higherIsBetter: Bool }
var rows: [Row] = []

// sgemm 2048: the machine's roof.
do {
    let n = 2048
    let a = try Tensor.randn([n, n]), b = try Tensor.randn([n, n])
    let c = try Tensor.zeros([n, n])
    let t = medianTime(runs: 5) {
        BLAS.sgemm(transA: false, transB: false, m: n, n: n, k: n, a: a.floatPtr, lda: n, b: b.floatPtr, ldb: n,
                   c: c.floatPtr, ldc: n)
    }
    rows.append(Row(name: "sgemm 2048 (GFLOP/s)", value: 2 * pow(Double(n), 3) / t / 1e9, higherIsBetter: true))
}

// Convolutions: (N, C, H, K, stride, padding); Cout = C, or 64 for 3-channel inputs.
let convs: [(String, Int, Int, Int, Int, Int, Int)] = [
    ("conv2d c64 h56 k3 (GFLOP/s)", 1, 64, 56, 3, 1, 1),
    ("conv2d c128 h28 k3 (GFLOP/s)", 1, 128, 28, 3, 1, 1),
    ("conv2d c3 h224 k7 s2 (GFLOP/s)", 1, 3, 224, 7, 2, 3),
    ("conv2d n8 c3 h32 k5 (GFLOP/s)", 8, 3, 32, 5, 1, 2),
]
for (name, n, c, h, k, s, p) in convs {
    let cout = c == 3 ? 64 : c
    let x = try Tensor.randn([n, c, h, h]), w = try Tensor.randn([cout, c, k, k]), b = try Tensor.randn([cout])
    let ho = (h + 2 * p - k) / s + 1
    let flops = 2.0 * Double(n * cout * c * k * k * ho * ho)
    let t = try medianTime {
        _ = try Functional.conv2d(x, w, b, stride: [s, s], padding: .sizes([p]), dilation: [1, 1],
                                  groups: 1, paddingMode: .zeros)
    }
    rows.append(Row(name: name, value: flops / t / 1e9, higherIsBetter: true))
}

// ResNet-18 (1 input channel, 224×224), as Notebooks/03 builds it, in eval mode.
do {
    let net = try ResNet18.make().eval()
    for bs in [1, 8] {
        let x = try Tensor.randn([bs, 1, 224, 224])
        let t = try medianTime(runs: 5) { _ = try net.forward(x) }
        rows.append(Row(name: "resnet18 forward b\(bs) (ms)", value: t * 1000, higherIsBetter: false))
    }
}

// PyTorch side by side.
func torchResults() -> [String: Double] {
    let env = ProcessInfo.processInfo.environment
    let python = env["TENSORPAD_BENCH_PYTHON"] ?? "python3"
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("bench/torch_bench.py").path
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [python, script, String(threads)]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { return [:] }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0,
          let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Double] else { return [:] }
    return obj
}

let torch = torchResults()
func fmt(_ v: Double) -> String { String(format: v >= 100 ? "%.0f" : "%.1f", v) }
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, threads=\(threads), " +
      "\(String(format: "%.1f", Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824)) GiB")
let w = max(34, rows.map { $0.name.count }.max() ?? 0)
print("| " + "workload".padding(toLength: w, withPad: " ", startingAt: 0) + " | Tensorpad | PyTorch | ratio |")
print("|" + String(repeating: "-", count: w + 2) + "|-----------|---------|-------|")
for r in rows {
    let tv = torch[r.name]
    let ratio = tv.map { r.higherIsBetter ? r.value / $0 : $0 / r.value }
    print("| " + r.name.padding(toLength: w, withPad: " ", startingAt: 0) + " | " +
          fmt(r.value).leftPad(9) + " | " + (tv.map(fmt) ?? "").leftPad(7) + " | " +
          (ratio.map { String(format: "%.2f", $0) } ?? "").leftPad(5) + " |")
}
if let sg = rows.first(where: { $0.name.hasPrefix("sgemm") }) {
    for r in rows where r.name.hasPrefix("conv2d") {
        print("\(r.name): \(String(format: "%.0f", 100 * r.value / sg.value)) % of sgemm")
    }
}
print("ratio: Tensorpad ÷ PyTorch for GFLOP/s, PyTorch ÷ Tensorpad for times (above 1 = Tensorpad faster)")

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
