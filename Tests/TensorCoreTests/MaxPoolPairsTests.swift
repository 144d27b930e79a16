import XCTest
@testable import TensorCore
import TestSupport

/// Max pooling with kernel 2 and stride 2 (LeNet's pools) takes a vectorised window pass
/// (`Kernels.maxPoolIndices`): it must pick what the row-major scan of PyTorch's kernel picks —
/// the first of equal maxima, the last NaN — for every window, including the windows of a
/// last, part-filled vector, whatever the image width.
final class MaxPoolPairsTests: XCTestCase {
    let savedThreads = Parallel.threads
    override func tearDown() { Parallel.setThreads(savedThreads) }

    /// The definition: scan each window row by row; a value replaces the best when larger or NaN.
    func reference(_ x: [Float], planes: Int, h: Int, w: Int) -> (values: [Float], indices: [Int64]) {
        let oh = h / 2, ow = w / 2
        var values: [Float] = [], indices: [Int64] = []
        for p in 0..<planes {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var best = x[p * h * w + 2 * oy * w + 2 * ox], at = 2 * oy * w + 2 * ox
                    for (dy, dx) in [(0, 1), (1, 0), (1, 1)] {
                        let i = (2 * oy + dy) * w + 2 * ox + dx, v = x[p * h * w + i]
                        if v > best || v.isNaN { best = v; at = i }
                    }
                    values.append(best)
                    indices.append(Int64(at))
                }
            }
        }
        return (values, indices)
    }

    func testMatchesTheRowMajorScanWithTiesAndNaNs() throws {
        var rng = RandomGenerator(seed: 5)
        // Few distinct values: ties in most windows, NaN in some.
        let pool: [Float] = [0, 1, 2, 2, 1, .nan, -1, 2]
        for (n, c, h, w) in [(2, 6, 28, 28), (3, 16, 10, 10), (1, 2, 6, 29), (2, 3, 4, 33), (1, 1, 2, 2), (1, 1, 5, 17)] {
            let count = n * c * h * w
            let xs = (0..<count).map { _ in pool[min(pool.count - 1, Int(rng.uniformFloat() * Float(pool.count)))] }
            let x = try Tensor(xs, shape: [n, c, h, w])
            let expected = reference(xs, planes: n * c, h: h, w: w)
            for threads in [1, 2] {
                Parallel.setThreads(threads)
                let (v, idx) = try Kernels.maxPool2d(x, Pool2dParams(kernel: (2, 2)))
                XCTAssertEqual(v.shape, [n, c, h / 2, w / 2])
                let got = v.toFloats()
                XCTAssertEqual(got.count, expected.values.count)
                for i in 0..<min(got.count, expected.values.count) {
                    let same = got[i] == expected.values[i] || (got[i].isNaN && expected.values[i].isNaN)
                    XCTAssertTrue(same, "\((n, c, h, w)) value \(i): \(got[i]) vs \(expected.values[i])")
                }
                XCTAssertEqual(idx.toInt64s(), expected.indices, "\((n, c, h, w)) indices")
            }
        }
    }
}
