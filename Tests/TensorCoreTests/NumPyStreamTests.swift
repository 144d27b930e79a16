import XCTest
@testable import TensorCore
import TestSupport

/// NumPy's legacy `np.random.seed(s)` functions and `default_rng(s)` give NumPy 2's
/// values bit for bit (fixtures by make_random.py).
final class NumPyStreamTests: XCTestCase {
    func checkDoubles(_ lib: String, _ fn: String, file: StaticString = #filePath, line: UInt = #line,
                      _ body: (Int, Int) throws -> [Double]) throws {
        for c in try RandomFixtures.cases(lib, fn, file: file, line: line) {
            let got = try body(c.seed, c.n).map { $0.bitPattern }
            XCTAssertEqual(got.count, c.u64.count, c.label, file: file, line: line)
            let bad = zip(got, c.u64).filter { $0 != $1 }.count
            XCTAssertEqual(bad, 0, "\(c.label): \(bad) values differ", file: file, line: line)
        }
    }

    func checkInts(_ lib: String, _ fn: String, file: StaticString = #filePath, line: UInt = #line,
                   _ body: (Int, Int) throws -> [Int64]) throws {
        for c in try RandomFixtures.cases(lib, fn, file: file, line: line) {
            XCTAssertEqual(try body(c.seed, c.n), c.i64, c.label, file: file, line: line)
        }
    }

    func legacy(_ s: Int) throws -> NumPyRandomState { NumPyRandomState(seed: try NumPyRandomState.checkedSeed(s)) }

    func testLegacyFloats() throws {
        try checkDoubles("numpy", "rand") { try self.legacy($0).random($1) }
        try checkDoubles("numpy", "randn") { try self.legacy($0).randn($1) }
        try checkDoubles("numpy", "randn_odd_twice") { s, n in let r = try self.legacy(s); _ = r.randn(n); return r.randn(n) }
        try checkDoubles("numpy", "normal") { try self.legacy($0).normal(loc: 1.5, scale: 2.0, $1) }
        try checkDoubles("numpy", "uniform") { try self.legacy($0).uniform(low: -1, high: 3, $1) }
    }

    func testLegacyIntegers() throws {
        try checkInts("numpy", "randint_10") { try self.legacy($0).randint(low: 0, high: 10, $1) }
        try checkInts("numpy", "randint_wide") { try self.legacy($0).randint(low: -1000, high: 1_000_000, $1) }
        try checkInts("numpy", "choice") { try self.legacy($0).choice(10, size: $1) }
        try checkInts("numpy", "choice_norepl") { s, n in try self.legacy(s).choice(n, size: min(n, 5), replace: false) }
        try checkInts("numpy", "shuffle") { s, n in var a = (0..<n).map { Int64($0) }; try self.legacy(s).shuffle(&a); return a }
        try checkInts("numpy", "permutation") { try self.legacy($0).permutation($1) }
    }

    func testDefaultRng() throws {
        func rng(_ s: Int) throws -> NumPyGenerator { NumPyGenerator(seed: try NumPyGenerator.checkedSeed(s)) }
        try checkDoubles("default_rng", "random") { try rng($0).random($1) }
        try checkInts("default_rng", "integers_10") { try rng($0).integers(low: 0, high: 10, $1) }
        try checkInts("default_rng", "integers_wide") { try rng($0).integers(low: -1000, high: 1_000_000, $1) }
        try checkInts("default_rng", "permutation") { try rng($0).permutation($1) }
        try checkDoubles("default_rng", "normal") { try rng($0).standardNormal($1) }
    }

    func testErrors() throws {
        XCTAssertThrowsError(try NumPyRandomState.checkedSeed(-1)) { XCTAssertEqual("\($0)", "Seed must be between 0 and 2**32 - 1") }
        XCTAssertThrowsError(try NumPyRandomState(seed: 0).randint(low: 3, high: 3, 2)) { XCTAssertEqual("\($0)", "high <= low") }
        XCTAssertThrowsError(try NumPyRandomState(seed: 0).normal(loc: 0, scale: -1, 2)) { XCTAssertEqual("\($0)", "scale < 0") }
        XCTAssertThrowsError(try NumPyGenerator.checkedSeed(-5)) { XCTAssertEqual("\($0)", "expected non-negative integer") }
    }
}
