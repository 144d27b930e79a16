// `tensorpad-bench --ab ROUNDS`: conv 64→64 3×3 on 56×56 by Winograd and by im2col + sgemm,
// next to sgemm 2048 (OpenBLAS's own threads, and Tensorpad's split of the same kernel),
// round by round so that the shared machine's noise falls on all of them alike.
import Foundation
import TensorCore
import NN
import CBLAS

func abRounds(_ rounds: Int) throws {
    let n = 2048
    let a = try Tensor.randn([n, n]), b = try Tensor.randn([n, n]), c = try Tensor.zeros([n, n])
    let x = try Tensor.randn([1, 64, 56, 56]), w = try Tensor.randn([64, 64, 3, 3]), bias = try Tensor.randn([64])
    let convFlops = 2.0 * 64 * 64 * 9 * 56 * 56, gemmFlops = 2 * pow(Double(n), 3)
    func conv(_ winograd: Bool) throws -> Double {
        Kernels.winogradEnabled = winograd
        defer { Kernels.winogradEnabled = true }
        let t = try medianTime(runs: 9) {
            _ = try Functional.conv2d(x, w, bias, stride: [1, 1], padding: .sizes([1]), dilation: [1, 1],
                                      groups: 1, paddingMode: .zeros)
        }
        return convFlops / t / 1e9
    }
    var rows: [[Double]] = []
    print("round  OpenBLAS-threads  split  winograd  im2col   (GFLOP/s; convs counted as 2·Cout·Cin·9·H·W)")
    for r in 0..<rounds {
        openblas_set_num_threads(Int32(threads))
        let tOwn = medianTime(runs: 3) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a.floatPtr,
                        Int32(n), b.floatPtr, Int32(n), 0, c.floatPtr, Int32(n))
        }
        openblas_set_num_threads(1)
        usleep(400_000)   // OpenBLAS's pool spins ~0.1 s after a threaded call
        let tSplit = medianTime(runs: 3) {
            BLAS.sgemm(transA: false, transB: false, m: n, n: n, k: n, a: a.floatPtr, lda: n, b: b.floatPtr, ldb: n,
                       c: c.floatPtr, ldc: n)
        }
        let row = [gemmFlops / tOwn / 1e9, gemmFlops / tSplit / 1e9, try conv(true), try conv(false)]
        rows.append(row)
        print(String(format: "%5d  %16.1f  %5.1f  %8.1f  %6.1f   winograd / faster sgemm %3.0f %%", r, row[0], row[1],
                     row[2], row[3], 100 * row[2] / max(row[0], row[1])))
    }
    func median(_ i: Int) -> Double { rows.map { $0[i] }.sorted()[rows.count / 2] }
    let roof = rows.map { max($0[0], $0[1]) }.sorted()[rows.count / 2]
    print(String(format: "median %16.1f  %5.1f  %8.1f  %6.1f   winograd %3.0f %%, im2col %3.0f %% of the faster sgemm (median %.1f)",
                 median(0), median(1), median(2), median(3), 100 * median(2) / roof, 100 * median(3) / roof, roof))
    let perRound = rows.map { 100 * $0[2] / max($0[0], $0[1]) }.sorted()
    print(String(format: "winograd / faster sgemm per round: min %.0f %%, median %.0f %%, max %.0f %%",
                 perRound.first ?? 0, perRound[perRound.count / 2], perRound.last ?? 0))
}

/// `tensorpad-bench --conv-loop REPS [N C H K S P [COUT [BWD]]]`: only one conv (default 64→64 3×3
/// on 56×56; Cout 64 for 3 input channels, else C), REPS times, with wall and CPU time per call (for
/// perf record and quick A/B). BWD 1: its backward instead (input, weight and bias gradients), 2: the
/// weight and bias gradients only (a first layer's).
func convLoop(_ reps: Int, _ shape: [Int]) throws {
    let d = shape.count >= 6 ? shape : [1, 64, 56, 3, 1, 1]
    let (n, c, h, k, st, p) = (d[0], d[1], d[2], d[3], d[4], d[5])
    let cout = d.count > 6 ? d[6] : c == 3 ? 64 : c
    let backward = d.count > 7 ? d[7] : 0
    let x = try Tensor.randn([n, c, h, h]), w = try Tensor.randn([cout, c, k, k]), bias = try Tensor.randn([cout])
    let ho = (h + 2 * p - k) / st + 1
    let gy = try Tensor.randn([n, cout, ho, ho])
    let flops = 2.0 * Double(n * cout * c * k * k * ho * ho) * (backward == 0 ? 1 : backward == 1 ? 2 : 1)
    func cpu() -> Double {
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }
    let t0 = DispatchTime.now().uptimeNanoseconds, c0 = cpu()
    for _ in 0..<reps {
        if backward > 0 {
            _ = try Kernels.conv2dBackward(gy, input: x, weight: w, Conv2dParams(stride: (st, st), padding: (p, p)),
                                           inputGrad: backward == 1)
        } else {
            _ = try Functional.conv2d(x, w, bias, stride: [st, st], padding: .sizes([p]), dilation: [1, 1],
                                      groups: 1, paddingMode: .zeros)
        }
    }
    let t = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 / Double(reps)
    let cp = (cpu() - c0) / Double(reps)
    print(String(format: "%.1f us per %@, %.1f GFLOP/s; %.1f us CPU per call", t * 1e6,
                 backward > 0 ? "backward" : "conv", flops / t / 1e9, cp * 1e6))
}
