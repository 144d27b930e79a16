// The Fashion-MNIST rows (issue 11): a shuffled DataLoader pass and a LeNet training epoch
// at batch 256, each run in a child process so its peak RSS is the epoch's own.
import Foundation
import TensorCore
import NN
import Data

/// The training set with `ToTensor()` and `Normalize((0.2860,), (0.3530,))`, from Debian's
/// dataset-fashion-mnist (/usr/share/datasets/fashion-mnist), as torchvision's FashionMNIST.
func fashionLoader(batch: Int) throws -> DataLoader {
    let tf = Compose([ToTensor(), try Normalize(mean: [0.2860], std: [0.3530], repr: "Normalize")])
    let ds = try MNISTDataset(kind: .fashion, root: "/nonexistent", train: true, transform: tf)
    return try DataLoader(dataset: ds, batchSize: batch, shuffle: true, sampler: nil, batchSampler: nil,
                          dropLast: false, generator: nil, collate: nil)
}

func batchTensors(_ s: Sample) -> (Tensor, Tensor)? {
    guard case .list(let xs) = s, xs.count == 2, case .tensor(let x) = xs[0], case .tensor(let y) = xs[1] else { return nil }
    return (x, y)
}

/// `tensorpad-bench --epoch [loader|train]`: prints samples/s of one shuffled DataLoader pass
/// (`loader`), or of one LeNet epoch with Adam(lr=1e-3) and cross entropy (`train`, after one
/// untimed warm-up step on the first batch), then the epoch's mean loss.
func epochChild(_ what: String) throws {
    let loader = try fashionLoader(batch: 256)
    let samples = try loader.dataset.count()
    if what == "loader" {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let e = try loader.epoch()
        var seen = 0
        while let b = try e.next() { if let (x, _) = batchTensors(b) { seen += x.shape[0] } }
        let t = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        print(Double(seen) / t)
        return
    }
    let net = try LeNet.make().train()
    let opt = try Adam([(net.parameters(), [])], lr: 1e-3)
    func step(_ x: Tensor, _ y: Tensor) throws -> Double {
        try opt.zeroGrad()
        let loss = try Functional.crossEntropy(try net.forward(x), y)
        try Engine.backward(loss)
        try opt.step()
        return try loss.item()
    }
    if let first = try loader.epoch().next(), let (x, y) = batchTensors(first) { _ = try step(x, y) }
    var total: Double = 0, steps = 0
    let t0 = DispatchTime.now().uptimeNanoseconds
    let e = try loader.epoch()
    while let b = try e.next() {
        guard let (x, y) = batchTensors(b) else { break }
        total += Double(try step(x, y)); steps += 1
    }
    let t = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    print(Double(samples) / t)
    print(total / Double(max(steps, 1)))
}

/// The Fashion-MNIST rows, each side in its own child process (no warm-up run: an epoch is
/// long), Tensorpad's and PyTorch's runs alternating: the loader pass, then the epoch, whose
/// child's ru_maxrss is the peak-memory row.
func epochRows() -> [Row] {
    var out: [Row] = []
    let me = binDir.appendingPathComponent("tensorpad-bench").path
    let script = repoRoot.appendingPathComponent("bench/torch_bench.py").path
    func rate(_ r: ChildRun?) -> Double? {
        guard let r, r.status == 0 else { return nil }
        return r.stdout.split(separator: "\n").first.flatMap { Double($0) }
    }
    let loaderName = "fashion-mnist DataLoader shuffle b256 (samples/s)"
    if let v = rate(runChild([me, "--epoch", "loader"])) {
        out.append(Row(name: loaderName, value: v, higherIsBetter: true, target: .torch(1)))
    }
    if let v = rate(runChild([python, script, String(threads), "--epoch", "loader"])) { torchProcess[loaderName] = v }
    let epochName = "lenet epoch fashion-mnist b256 (samples/s)", memName = "lenet epoch b256 peak RSS (MiB)"
    let mine = runChild([me, "--epoch", "train"])
    if let v = rate(mine), let m = mine?.maxRSSKiB {
        out.append(Row(name: epochName, value: v, higherIsBetter: true, target: .torch(1)))
        out.append(Row(name: memName, value: Double(m) / 1024, higherIsBetter: false, target: .torch(1)))
    }
    let theirs = runChild([python, script, String(threads), "--epoch", "train"])
    if let v = rate(theirs), let m = theirs?.maxRSSKiB {
        torchProcess[epochName] = v
        torchProcess[memName] = Double(m) / 1024
    }
    return out
}
