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

    /// `cblas_sgemm` takes 32-bit sizes and leading dimensions: `fittedGemm` computes a
    /// product with values past the limit as products whose values fit. Driven here with a
    /// limit of 6 on small matrices whose sizes (9, 11, 13) and padded leading dimensions
    /// (size + 4) pass it, every transpose combination, alpha and beta: the result is the
    /// definition's and no library call is given a value past the limit.
    func testProductsPastTheIntLimitAreSplitIntoOnesThatFit() {
        let limit = 6
        for (m, n, k) in [(9, 11, 13), (1, 11, 13), (9, 1, 13), (9, 11, 1), (5, 4, 3)] {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let lda = (ta ? m : k) + 4, ldb = (tb ? k : n) + 4, ldc = n + 4
                let a = (0..<((ta ? k : m) * lda)).map { _ in Float(rng.normal()) }
                let b = (0..<((tb ? n : k) * ldb)).map { _ in Float(rng.normal()) }
                let c0 = (0..<(m * ldc)).map { _ in Float(rng.normal()) }
                var c = c0
                var calls = 0, worstValue = 0
                a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                    BLAS.fittedGemm(ta, tb, m, n, k, 2, ap.baseAddress!, lda, bp.baseAddress!, ldb, 0.5, cp.baseAddress!, ldc,
                                    limit: limit) { cm, cn, ck, la, lb, lc in
                        calls += 1
                        worstValue = max(worstValue, cm, cn, ck, la, lb, lc)
                    }
                }}}
                XCTAssertLessThanOrEqual(worstValue, limit, "\((m, n, k, ta, tb))")
                XCTAssertGreaterThan(calls, 1, "\((m, n, k, ta, tb))")
                var worst = 0.0
                for i in 0..<m {
                    for j in 0..<ldc {
                        guard j < n else {   // the padding of C is not written
                            XCTAssertEqual(c[i * ldc + j], c0[i * ldc + j]); continue
                        }
                        var s = 0.0
                        for q in 0..<k {
                            s += Double(a[ta ? q * lda + i : i * lda + q]) * Double(b[tb ? j * ldb + q : q * ldb + j])
                        }
                        worst = max(worst, abs(Double(c[i * ldc + j]) - (2 * s + 0.5 * Double(c0[i * ldc + j]))))
                    }
                }
                XCTAssertLessThan(worst, 1e-4, "\((m, n, k, ta, tb))")
            }
        }
    }

    /// Values that fit go to the library as they are, in one call.
    func testProductsThatFitAreOneCall() {
        let a = [Float](repeating: 1, count: 6), b = [Float](repeating: 2, count: 6)
        var c = [Float](repeating: 0, count: 4)
        var seen: [[Int]] = []
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
            BLAS.fittedGemm(false, false, 2, 2, 3, 1, ap.baseAddress!, 3, bp.baseAddress!, 2, 0, cp.baseAddress!, 2) {
                seen.append([$0, $1, $2, $3, $4, $5])
            }
        }}}
        XCTAssertEqual(seen, [[2, 2, 3, 3, 2, 2]])
        XCTAssertEqual(c, [6, 6, 6, 6])
    }
}
