import XCTest
@testable import TensorCore
import TestSupport

/// CPython's `random` after `random.seed(s)`: the same values bit for bit
/// (fixtures by make_random.py under CPython 3.11).
final class PythonRandomTests: XCTestCase {
    func checkDoubles(_ fn: String, file: StaticString = #filePath, line: UInt = #line, _ body: (PythonRandom, Int) throws -> [Double]) throws {
        for c in try RandomFixtures.cases("python", fn, file: file, line: line) {
            let got = try body(PythonRandom(seed: c.seed), c.n).map { $0.bitPattern }
            let bad = zip(got, c.u64).filter { $0 != $1 }.count
            XCTAssertEqual(got.count, c.u64.count, c.label, file: file, line: line)
            XCTAssertEqual(bad, 0, "\(c.label): \(bad) values differ", file: file, line: line)
        }
    }

    func checkInts(_ fn: String, file: StaticString = #filePath, line: UInt = #line, _ body: (PythonRandom, Int) throws -> [Int]) throws {
        for c in try RandomFixtures.cases("python", fn, file: file, line: line) {
            XCTAssertEqual(try body(PythonRandom(seed: c.seed), c.n).map { Int64($0) }, c.i64, c.label, file: file, line: line)
        }
    }

    func testFloats() throws {
        try checkDoubles("random") { r, n in (0..<n).map { _ in r.random() } }
        try checkDoubles("uniform") { r, n in (0..<n).map { _ in r.uniform(-1, 3) } }
        try checkDoubles("gauss") { r, n in (0..<n).map { _ in r.gauss(0, 1) } }
        try checkDoubles("normalvariate") { r, n in (0..<n).map { _ in r.normalvariate(1, 2) } }
    }

    func testIntegers() throws {
        try checkInts("randint") { r, n in try (0..<n).map { _ in try r.randint(0, 10) } }
        try checkInts("randrange_step") { r, n in try (0..<n).map { _ in try r.randrange(-5, 100, step: 3) } }
        try checkInts("randrange_big") { r, n in try (0..<n).map { _ in try r.randrange(1_000_000_000_000) } }
        try checkInts("choice") { r, n in try (0..<n).map { _ in try r.choiceIndex(10) } }
        try checkInts("shuffle") { r, n in var a = Array(0..<n); r.shuffle(&a); return a }
        try checkInts("sample") { r, n in try r.sampleIndices(100, min(n, 20)) }
        try checkInts("sample_big") { r, n in try r.sampleIndices(10000, min(n, 100)) }
    }

    func testErrors() throws {
        let r = PythonRandom(seed: 0)
        XCTAssertThrowsError(try r.randrange(0)) { XCTAssertEqual("\($0)", "empty range for randrange()") }
        XCTAssertThrowsError(try r.randrange(5, 5)) { XCTAssertEqual("\($0)", "empty range in randrange(5, 5)") }
        XCTAssertThrowsError(try r.randrange(0, 10, step: 0)) { XCTAssertEqual("\($0)", "zero step for randrange()") }
        XCTAssertThrowsError(try r.choiceIndex(0)) { XCTAssertEqual("\($0)", "Cannot choose from an empty sequence") }
        XCTAssertThrowsError(try r.sampleIndices(3, 4)) { XCTAssertEqual("\($0)", "Sample larger than population or is negative") }
    }
}
