// Training workloads: ResNet-18 forward + backward at batch 8, a LeNet training step at batch 256.
import Foundation
import TensorCore
import NN

/// One ResNet-18 forward + backward (train mode, loss = cross entropy against fixed labels).
func resnetTrainStep(_ net: Module, _ x: Tensor, _ labels: Tensor) throws {
    for p in net.parameters() { p.grad = nil }
    let loss = try Functional.crossEntropy(try net.forward(x), labels)
    try Engine.backward(loss)
}

func trainRows() throws -> [Row] {
    var rows: [Row] = []
    let net = try ResNet18.make().train()
    let x = try Tensor.randn([8, 1, 224, 224])
    let labels = try Tensor(ints: (0..<8).map { Int64($0) }, shape: [8])
    let name = "resnet18 fwd+bwd b8 (ms)"
    let ms = try sideBySide(name, higherIsBetter: false) {
        1000 * (try medianTime(runs: 3, warmup: 1) { try resnetTrainStep(net, x, labels) })
    }
    rows.append(Row(name: name, value: ms, higherIsBetter: false, target: .torch(1)))

    let lenet = try LeNet.make().train()
    let opt = try Adam([(lenet.parameters(), [])], lr: 1e-3)
    let images = try Tensor.randn([256, 1, 28, 28])
    let y = try Tensor(ints: (0..<256).map { Int64($0 % 10) }, shape: [256])
    let lenetName = "lenet train step b256 (ms)"
    let lms = try sideBySide(lenetName, higherIsBetter: false) {
        1000 * (try medianTime(runs: 9) {
            try opt.zeroGrad()
            let loss = try Functional.crossEntropy(try lenet.forward(images), y)
            try Engine.backward(loss)
            try opt.step()
        })
    }
    rows.append(Row(name: lenetName, value: lms, higherIsBetter: false, target: .torch(1)))
    return rows
}

/// `tensorpad-bench --train N [R]`: R ResNet-18 forward + backward passes at batch N (peak-memory child).
func trainChild(_ bs: Int, _ reps: Int) throws {
    let net = try ResNet18.make().train()
    let x = try Tensor.randn([bs, 1, 224, 224])
    let labels = try Tensor(ints: (0..<bs).map { Int64($0 % 10) }, shape: [bs])
    for _ in 0..<reps { try timedStep { try resnetTrainStep(net, x, labels) } }
}

/// Runs one step of a peak-memory child; with TENSORPAD_BENCH_ALLOC set, prints the block cache's
/// statistics and the step's time after it (to stderr).
func timedStep(_ body: () throws -> Void) rethrows {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
    guard ProcessInfo.processInfo.environment["TENSORPAD_BENCH_ALLOC"] != nil else { return }
    let s = BlockCache.shared.statistics
    FileHandle.standardError.write(Data(("block cache: live \(s.live >> 20) MiB, cached \(s.cached >> 20) MiB, "
        + "peak live \(s.peakLive >> 20) MiB, slack \(s.slack >> 20) MiB, hits \(s.hits), misses \(s.misses), "
        + "reshaped \(s.reshaped), released \(s.released); \(Int(ms)) ms\n").utf8))
}

/// `tensorpad-bench --lenet R`: R LeNet training steps at batch 256 (the `lenet train step` row's),
/// for TENSORPAD_BENCH_ALLOC's per-step statistics.
func lenetChild(_ reps: Int) throws {
    let lenet = try LeNet.make().train()
    let opt = try Adam([(lenet.parameters(), [])], lr: 1e-3)
    let images = try Tensor.randn([256, 1, 28, 28])
    let y = try Tensor(ints: (0..<256).map { Int64($0 % 10) }, shape: [256])
    for _ in 0..<reps {
        try timedStep {
            try opt.zeroGrad()
            try Engine.backward(try Functional.crossEntropy(try lenet.forward(images), y))
            try opt.step()
        }
    }
}
