// The table `make bench` prints, with each row's target checked.
import Foundation
import TensorCore

enum Target {
    /// Tensorpad ≥ factor × PyTorch (rates) or ≤ PyTorch ÷ factor (times, sizes).
    case torch(Double)
    /// A conv: ≥ factor × PyTorch and ≥ fraction of this run's sgemm.
    case conv(Double, sgemm: Double)
    /// Below an absolute bound (ms or MiB).
    case absolute(Double)
    case none
}

struct Row {
    let name: String
    let value: Double
    let higherIsBetter: Bool
    var target: Target = .none
}

/// PyTorch-side values measured by child processes (start-up, loops, memory).
nonisolated(unsafe) var torchProcess: [String: Double] = [:]

func printTable(_ rows: [Row], torch inProcess: [String: Double]) {
    let torch = inProcess.merging(torchProcess) { a, _ in a }
    // The roof: the faster of OpenBLAS's own threading and Tensorpad's split of the same kernel.
    let sgemm = rows.filter { $0.name.hasPrefix("sgemm") }.map(\.value).max()
    func fmt(_ v: Double) -> String { String(format: v >= 100 ? "%.0f" : "%.1f", v) }
    let w = max(34, rows.map { $0.name.count }.max() ?? 0)
    print("| " + "workload".padding(toLength: w, withPad: " ", startingAt: 0) + " | Tensorpad | PyTorch |  ratio | target |")
    print("|" + String(repeating: "-", count: w + 2) + "|-----------|---------|--------|--------|")
    for r in rows {
        let tv = torch[r.name]
        let ratio = tv.map { r.higherIsBetter ? r.value / $0 : $0 / r.value }
        var met: Bool?
        switch r.target {
        case .torch(let f): met = ratio.map { $0 >= f }
        case .conv(let f, let frac):
            let ofSgemm = sgemm.map { r.value / $0 >= frac }
            met = ratio.map { $0 >= f && (ofSgemm ?? true) } ?? ofSgemm
        case .absolute(let bound): met = r.value <= bound
        case .none: met = nil
        }
        let mark = met.map { $0 ? "met" : "MISS" } ?? ""
        print("| " + r.name.padding(toLength: w, withPad: " ", startingAt: 0) + " | " +
              fmt(r.value).leftPad(9) + " | " + (tv.map(fmt) ?? "").leftPad(7) + " | " +
              (ratio.map { String(format: "%.2f", $0) } ?? "").leftPad(6) + " | " + mark.leftPad(6) + " |")
    }
    if let sg = sgemm {
        for r in rows where r.name.hasPrefix("conv2d") {
            var line = "\(r.name): \(String(format: "%.0f", 100 * r.value / sg)) % of sgemm 2048 (the faster row)"
            if let i = convIm2col[r.name] {
                let replaced = r.name.contains(" k3 ") ? "Winograd" : "the direct kernel"
                line += "; by im2col instead of \(replaced) \(String(format: "%.1f", i)) GFLOP/s (\(String(format: "%.0f", 100 * i / sg)) %)"
            }
            if let (g, shape) = convGemm[r.name] {
                line += "; \(String(format: "%.0f", 100 * r.value / g)) % of sgemm on its own product \(shape) (\(String(format: "%.1f", g)) GFLOP/s)"
            }
            print(line)
        }
    }
    print("ratio: Tensorpad ÷ PyTorch for GFLOP/s, PyTorch ÷ Tensorpad for times and sizes (above 1 = Tensorpad better)")
    print("conv GFLOP/s count a direct convolution's 2·Cout·Cin·k²·Ho·Wo flops whatever the algorithm (as cuDNN and oneDNN")
    print("  report them); 3×3 stride-1 convs with ≥ 16 channels run by Winograd F(2×2,3×3), 2.25× fewer multiplies;")
    print("  convs with ≤ 8 input channels by the direct kernels (CConv; the machine line says which), the stem's and the")
    print("  5×5's with Winograd F(n, r) along output rows (about half the multiplies)")
    print("targets: convs ≥ 1.0× PyTorch, those with ≥ 16 channels also ≥ 85% of sgemm (issues 6, 18); plain-Python loop rows")
    print("  ≥ 2.0× CPython (the PyTorch column holds CPython's time there); times and memory ≤ PyTorch; print(1) < 30 ms and < 30 MiB")
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}

func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3)
        .joined(separator: " ") ?? "?"
}

/// CPU model, cores, memory and the load average when the run starts.
func machineDescription() -> String {
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
        .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "?"
    let info = ProcessInfo.processInfo
    return "machine: \(model), \(info.activeProcessorCount) cores, threads=\(threads), " +
        "\(String(format: "%.1f", Double(info.physicalMemory) / 1_073_741_824)) GiB, load before: \(loadAverage())\n" +
        "cpuid: \(BLASCore.describe(BLASCore.features)); \(BLASCore.summary); \(Kernels.directConvSummary); \(Kernels.winogradSummary)"
}
