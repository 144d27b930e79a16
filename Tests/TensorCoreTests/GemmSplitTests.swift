import XCTest
@testable import TensorCore
import TestSupport

/// Large products are split over the workers by columns (or rows) of C: every
/// transpose combination and both split directions against a double-precision sum.
final class GemmSplitTests: XCTestCase {
    var rng = RandomGenerator(seed: 5)

    let savedThreads = Parallel.threads

    override func tearDown() { Parallel.setThreads(savedThreads) }

    func testSplitProductsMatchTheDefinition() throws {
        Parallel.setThreads(max(2, savedThreads))
        // (m, n, k): wide C (split by columns, last part narrower), tall C (split by rows).
        for (m, n, k) in [(37, 301, 41), (290, 23, 57), (64, 3136 / 4, 72)] {
            XCTAssertGreaterThanOrEqual(m * n * k, BLAS.splitThreshold)
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let a = (0..<(m * k)).map { _ in Float(rng.normal()) }, b = (0..<(k * n)).map { _ in Float(rng.normal()) }
                var c = [Float](repeating: .nan, count: m * n)   // beta = 0 must not read C
                a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                    BLAS.sgemm(transA: ta, transB: tb, m: m, n: n, k: k, a: ap.baseAddress!, lda: ta ? m : k,
                               b: bp.baseAddress!, ldb: tb ? k : n, c: cp.baseAddress!, ldc: n)
                }}}
                var worst = 0.0
                for i in 0..<m {
                    for j in 0..<n {
                        var s = 0.0
                        for q in 0..<k {
                            s += Double(a[ta ? q * m + i : i * k + q]) * Double(b[tb ? j * k + q : q * n + j])
                        }
                        worst = max(worst, abs(Double(c[i * n + j]) - s))
                    }
                }
                XCTAssertLessThan(worst, 1e-3, "\((m, n, k, ta, tb))")
            }
        }
    }
}
