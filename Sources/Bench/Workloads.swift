// In-process workloads: sgemm as the roof, four convolutions, ResNet-18 forward.
import Foundation
import TensorCore
import NN
import CBLAS

/// Median wall time of `body` after `warmup` calls: at least `runs` timed calls, and more
/// until 0.5 s have been timed, so that fast workloads (a 2 ms conv) are not judged on a
/// 20 ms window of a shared machine. bench/torch_bench.py times PyTorch by the same rule.
func medianTime(runs: Int = 7, warmup: Int = 2, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<warmup { try body() }
    var ts: [Double] = [], total = 0.0
    while ts.count < runs || (total < 0.5 && ts.count < 1000) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        let t = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        ts.append(t)
        total += t
    }
    ts.sort()
    return ts[ts.count / 2]
}

/// Each conv's GEMM alone: GFLOP/s and its shape, printed under the table.
nonisolated(unsafe) var convGemm: [String: (Double, String)] = [:]
/// 3×3 stride-1 convs by im2col (Winograd off), GFLOP/s on the same flop count.
nonisolated(unsafe) var convIm2col: [String: Double] = [:]

func kernelRows(kernels: Bool, resnet: Bool) throws -> [Row] {
    var rows: [Row] = []
    if kernels {
        let n = 2048
        let a = try Tensor.randn([n, n]), b = try Tensor.randn([n, n])
        let c = try Tensor.zeros([n, n])
        let sgemmFlops = 2 * pow(Double(n), 3)
        // OpenBLAS's own threads, as any OpenBLAS program gets them; then its pool is put back
        // to one thread and left to go idle (it spins ~0.1 s after a call) before the next row.
        openblas_set_num_threads(Int32(threads))
        let tOwn = medianTime(runs: 5) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a.floatPtr,
                        Int32(n), b.floatPtr, Int32(n), 0, c.floatPtr, Int32(n))
        }
        openblas_set_num_threads(1)
        usleep(400_000)
        rows.append(Row(name: "sgemm 2048 OpenBLAS threads (GFLOP/s)", value: sgemmFlops / tOwn / 1e9, higherIsBetter: true))
        // Tensorpad's matmul: the same OpenBLAS kernel, split over Tensorpad's workers.
        let sgemmName = "sgemm 2048 (GFLOP/s)"
        let sgemmRate = sideBySide(sgemmName, higherIsBetter: true) {
            sgemmFlops / 1e9 / medianTime(runs: 5) {
                BLAS.sgemm(transA: false, transB: false, m: n, n: n, k: n, a: a.floatPtr, lda: n, b: b.floatPtr, ldb: n,
                           c: c.floatPtr, ldc: n)
            }
        }
        rows.append(Row(name: sgemmName, value: sgemmRate, higherIsBetter: true))
        // (N, C, H, K, stride, padding, Cout): ResNet's 3×3 convs, the 7×7 stem, a 5×5 on CIFAR-sized
        // images, and LeNet-5's two convs on an MNIST batch of 64.
        let convs: [(String, Int, Int, Int, Int, Int, Int, Int)] = [
            ("conv2d c64 h56 k3 (GFLOP/s)", 1, 64, 56, 3, 1, 1, 64),
            ("conv2d c128 h28 k3 (GFLOP/s)", 1, 128, 28, 3, 1, 1, 128),
            ("conv2d c3 h224 k7 s2 (GFLOP/s)", 1, 3, 224, 7, 2, 3, 64),
            ("conv2d n8 c3 h32 k5 (GFLOP/s)", 8, 3, 32, 5, 1, 2, 64),
            ("conv2d n64 c1 h28 k5 p2 (GFLOP/s)", 64, 1, 28, 5, 1, 2, 6),
            ("conv2d n64 c6 h14 k5 (GFLOP/s)", 64, 6, 14, 5, 1, 0, 16),
        ]
        for (name, n, c, h, k, s, p, cout) in convs {
            let x = try Tensor.randn([n, c, h, h]), w = try Tensor.randn([cout, c, k, k]), b = try Tensor.randn([cout])
            let ho = (h + 2 * p - k) / s + 1
            let flops = 2.0 * Double(n * cout * c * k * k * ho * ho)
            let rate = try sideBySide(name, higherIsBetter: true) {
                flops / 1e9 / (try medianTime(runs: 9) {
                    _ = try Functional.conv2d(x, w, b, stride: [s, s], padding: .sizes([p]), dilation: [1, 1],
                                              groups: 1, paddingMode: .zeros)
                })
            }
            // Issue 18: every conv ≥ PyTorch; the big-channel ones also ≥ 85 % of sgemm (issue 6).
            let target: Target = c >= 16 ? .conv(1.0, sgemm: 0.85) : .torch(1.0)
            rows.append(Row(name: name, value: rate, higherIsBetter: true, target: target))
            // OpenBLAS's sgemm on the product this conv reduces to (Cout × C·k·k by C·k·k × N·Ho·Wo),
            // so the conv's own overhead (im2col, bias, threading) can be told apart from GEMM's.
            let m = cout, kk = c * k * k, nn = n * ho * ho
            let ga = try Tensor.randn([m, kk]), gb = try Tensor.randn([kk, nn]), gc = try Tensor.zeros([m, nn])
            let tg = medianTime(runs: 9) {
                BLAS.sgemm(transA: false, transB: false, m: m, n: nn, k: kk, a: ga.floatPtr, lda: kk, b: gb.floatPtr,
                           ldb: nn, c: gc.floatPtr, ldc: nn)
            }
            convGemm[name] = (flops / tg / 1e9, "\(m)×\(kk)·\(kk)×\(nn)")
            if Kernels.directConvApplies(cin: c, kh: k, kw: k, p: Conv2dParams(stride: (s, s), padding: (p, p)), ow: ho) {
                // The same conv by im2col + sgemm, the path the direct kernel replaces for it.
                Kernels.directConvEnabled = false
                let ti = try medianTime(runs: 9) {
                    _ = try Functional.conv2d(x, w, b, stride: [s, s], padding: .sizes([p]), dilation: [1, 1],
                                              groups: 1, paddingMode: .zeros)
                }
                Kernels.directConvEnabled = true
                convIm2col[name] = flops / ti / 1e9
            }
            if k == 3 && s == 1 && c >= 16 {
                // The same conv by im2col + sgemm, the path Winograd replaces for it.
                Kernels.winogradEnabled = false
                let ti = try medianTime(runs: 9) {
                    _ = try Functional.conv2d(x, w, b, stride: [s, s], padding: .sizes([p]), dilation: [1, 1],
                                              groups: 1, paddingMode: .zeros)
                }
                Kernels.winogradEnabled = true
                convIm2col[name] = flops / ti / 1e9
            }
        }
    }
    if resnet {
        // ResNet-18 (1 input channel, 224×224), as Notebooks/03 builds it, in eval mode, under
        // no-grad as bench/torch_bench.py runs PyTorch's (`with torch.no_grad()`): inference, not
        // a forward that records history for a backward that never comes.
        let net = try ResNet18.make().eval()
        for bs in [1, 8] {
            let x = try Tensor.randn([bs, 1, 224, 224])
            let name = "resnet18 forward b\(bs) (ms)"
            let ms = try sideBySide(name, higherIsBetter: false) {
                1000 * (try GradMode.withoutGrad { try medianTime(runs: bs == 1 ? 9 : 5) { _ = try net.forward(x) } })
            }
            rows.append(Row(name: name, value: ms, higherIsBetter: false, target: .torch(1)))
        }
    }
    return rows
}
