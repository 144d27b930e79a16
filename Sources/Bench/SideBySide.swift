// PyTorch's in-process rows, measured round by round beside Tensorpad's. bench/torch_bench.py
// stays up as a child in `serve` mode; for each row Tensorpad measures one round, then asks the
// child for one round of the same workload, five times over. A shared machine's bursts (another
// tenant on the host, a build) then fall on both columns alike instead of on whichever side ran
// in that minute, and the per-round ratios printed under the table state the noise.
import Foundation

final class TorchServer {
    private let process = Process()
    private let input = Pipe(), output = Pipe()
    private var buffer = Data()

    /// Starts `python torch_bench.py THREADS serve`; nil when it cannot (no torch): the PyTorch
    /// column is then left empty.
    init?(python: String, script: String, threads: Int) {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script, String(threads), "serve"]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        guard readLine() == "ready" else {
            process.terminate()
            return nil
        }
    }

    private func readLine() -> String? {
        while true {
            if let i = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[buffer.startIndex..<i], as: UTF8.self)
                buffer = Data(buffer[(i + 1)...])
                return line
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    /// One round of the workload `name` in PyTorch, or nil when it has no such row.
    func measure(_ name: String) -> Double? {
        guard process.isRunning else { return nil }
        input.fileHandleForWriting.write(Data((name + "\n").utf8))
        return readLine().flatMap { Double($0) }
    }

    func close() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

nonisolated(unsafe) var torchServer: TorchServer?
/// PyTorch's value of each row measured side by side: the median of its rounds.
nonisolated(unsafe) var torchSideBySide: [String: Double] = [:]

/// A row's value: `rounds` rounds of Tensorpad's measurement (`ours`), each followed by a round of
/// PyTorch's when its server runs. Returns the median of Tensorpad's rounds; PyTorch's median goes
/// into `torchSideBySide`, the per-round ratios into the notes under the table.
func sideBySide(_ name: String, higherIsBetter: Bool, rounds: Int = 5, _ ours: () throws -> Double) rethrows -> Double {
    var mine: [Double] = [], theirs: [Double] = []
    for _ in 0..<rounds {
        mine.append(try ours())
        if let v = torchServer?.measure(name) {
            theirs.append(v)
            usleep(200_000)   // PyTorch's OpenMP workers may spin a while after a parallel region (none seen 1.5 s after)
        }
    }
    func median(_ a: [Double]) -> Double { a.sorted()[a.count / 2] }
    if theirs.count == mine.count {
        torchSideBySide[name] = median(theirs)
        let ratios = zip(mine, theirs).map { higherIsBetter ? $0 / $1 : $1 / $0 }
        childNotes.append("\(name): Tensorpad ÷ PyTorch per round " +
            ratios.map { String(format: "%.2f", $0) }.joined(separator: " "))
    }
    return median(mine)
}
