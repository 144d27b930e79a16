// The ResNet-18 of Notebooks/03 built and timed through the language: bench/resnet_notebook.py
// run unchanged as whole processes by `tensorpad run` and by PyTorch's python, alternated.
import Foundation

/// Rows "resnet18 notebook b1/b8 (ms)": each process prints `resnet18 notebook ms b1 <ms> b8 <ms>`
/// (the median of its own timed `net(x)` calls under `torch.no_grad()`); a row is the median of
/// those values over `rounds` processes of each side. PyTorch's values go into `torchProcess`;
/// the per-round values are printed under the table.
func notebookRows(_ tensorpad: String, rounds: Int = 5) -> [Row] {
    let script = repoRoot.appendingPathComponent("bench/resnet_notebook.py").path
    var mine: [String: [Double]] = [:], theirs: [String: [Double]] = [:]
    for _ in 0..<rounds {
        for (argv, isMine) in [([tensorpad, "run", script], true), ([python, script], false)] {
            guard let r = runChild(argv, environment: ["TENSORPAD_THREADS": String(threads)]), r.status == 0,
                  let values = parseNotebookLine(r.stdout) else { continue }
            for (batch, ms) in values {
                if isMine { mine[batch, default: []].append(ms) } else { theirs[batch, default: []].append(ms) }
            }
        }
    }
    func median(_ a: [Double]) -> Double? { a.isEmpty ? nil : a.sorted()[a.count / 2] }
    func list(_ a: [Double]?) -> String { (a ?? []).map { String(format: "%.1f", $0) }.joined(separator: " ") }
    var out: [Row] = []
    for batch in ["b1", "b8"] {
        guard let m = median(mine[batch] ?? []) else { continue }
        let name = "resnet18 notebook \(batch) (ms)"
        out.append(Row(name: name, value: m, higherIsBetter: false, target: .torch(1)))
        torchProcess[name] = median(theirs[batch] ?? [])
        childNotes.append("\(name) per process: Tensorpad \(list(mine[batch])), PyTorch \(list(theirs[batch]))")
    }
    return out
}

/// The medians of `resnet18 notebook ms b1 12.3 b8 45.6` (the script's last line) by batch,
/// or nil when no such line holds a positive number for each batch it names.
func parseNotebookLine(_ stdout: String) -> [(String, Double)]? {
    let prefix = "resnet18 notebook ms "
    guard let line = stdout.split(separator: "\n").last(where: { $0.hasPrefix(prefix) }) else { return nil }
    let words = line.dropFirst(prefix.count).split(separator: " ")
    guard !words.isEmpty, words.count % 2 == 0 else { return nil }
    var out: [(String, Double)] = []
    for i in stride(from: 0, to: words.count, by: 2) {
        guard words[i].hasPrefix("b"), let ms = Double(words[i + 1]), ms > 0 else { return nil }
        out.append((String(words[i]), ms))
    }
    return out
}
