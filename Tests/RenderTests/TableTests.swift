import XCTest
import TensorCore
@testable import Render

final class TableTests: XCTestCase {
    func testTwoByThreeFloats() throws {
        let t = try Tensor([1, 2.5, -3, 10, 0.125, 6], shape: [2, 3])
        XCTAssertEqual(try table(t, precision: 2), """
        ┌───┬───────┬──────┬───────┐
        │   │     0 │    1 │     2 │
        ├───┼───────┼──────┼───────┤
        │ 0 │  1.00 │ 2.50 │ -3.00 │
        │ 1 │ 10.00 │ 0.12 │  6.00 │
        └───┴───────┴──────┴───────┘
        """)
    }

    func testOneDimensionalInts() throws {
        let t = try Tensor(ints: [5, -12, 300], shape: [3])
        XCTAssertEqual(try table(t), """
        ┌───┬─────┬─────┐
        │ 0 │   1 │   2 │
        ├───┼─────┼─────┤
        │ 5 │ -12 │ 300 │
        └───┴─────┴─────┘
        """)
    }

    func testThreeDimensionalIsOneTablePerChannel() throws {
        let t = try Tensor(ints: [1, 2, 3, 4], shape: [2, 1, 2])
        XCTAssertEqual(try table(t), """
        channel 0
        ┌───┬───┬───┐
        │   │ 0 │ 1 │
        ├───┼───┼───┤
        │ 0 │ 1 │ 2 │
        └───┴───┴───┘

        channel 1
        ┌───┬───┬───┐
        │   │ 0 │ 1 │
        ├───┼───┼───┤
        │ 0 │ 3 │ 4 │
        └───┴───┴───┘
        """)
    }

    func testWideTableElidesMiddleColumns() throws {
        let t = try Tensor((0..<40).map { Float($0) }, shape: [1, 40])
        let s = try table(t, precision: 4)
        let lines = s.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.allSatisfy { $0.count <= 100 }, s)
        XCTAssertEqual(lines.map(\.count).max(), lines.map(\.count).min())
        XCTAssertTrue(lines[1].contains(" … "))
        XCTAssertTrue(lines[1].hasSuffix("│      39 │"), lines[1])
        XCTAssertTrue(lines[3].hasPrefix("│ 0 │ 0.0000 │ 1.0000 │"), lines[3])
        // Each column is as wide as its own widest entry; one more column would pass 100.
        XCTAssertEqual(s, """
        ┌───┬────────┬────────┬────────┬────────┬────────┬───┬─────────┬─────────┬─────────┬─────────┐
        │   │      0 │      1 │      2 │      3 │      4 │ … │      36 │      37 │      38 │      39 │
        ├───┼────────┼────────┼────────┼────────┼────────┼───┼─────────┼─────────┼─────────┼─────────┤
        │ 0 │ 0.0000 │ 1.0000 │ 2.0000 │ 3.0000 │ 4.0000 │ … │ 36.0000 │ 37.0000 │ 38.0000 │ 39.0000 │
        └───┴────────┴────────┴────────┴────────┴────────┴───┴─────────┴─────────┴─────────┴─────────┘
        """)
    }

    func testManyRowsElideMiddleRows() throws {
        let t = try Tensor(ints: Array(0..<6), shape: [6, 1])
        XCTAssertEqual(try table(t, maxRows: 4), """
        ┌───┬───┐
        │   │ 0 │
        ├───┼───┤
        │ 0 │ 0 │
        │ 1 │ 1 │
        │ … │ … │
        │ 4 │ 4 │
        │ 5 │ 5 │
        └───┴───┘
        """)
    }

    func testTransposedViewBoolsAndNaN() throws {
        let t = try Tensor(bools: [true, false, false, true], shape: [2, 2]).transpose(0, 1)
        XCTAssertTrue(try table(t).contains("│ 0 │  True │ False │"))
        let n = try Tensor([.nan, -.infinity], shape: [2])
        XCTAssertTrue(try table(n).contains("│ nan │ -inf │"))
    }

    func testBadRanksThrowAndEmptyDoesNotCrash() throws {
        XCTAssertThrowsError(try table(Tensor.scalar(1)))
        XCTAssertThrowsError(try table(try Tensor(zeros: [1, 1, 1, 1])))
        XCTAssertEqual(try table(try Tensor(zeros: [0, 3])), "(empty table, shape (0, 3))")
        XCTAssertEqual(try table(try Tensor(zeros: [0])), "(empty table, shape (0,))")
    }
}

extension TableTests {
    func testVeryWideRowFormatsOnlyTheEnds() throws {
        let t = try Tensor(ints: Array(0..<100_000), shape: [1, 100_000])
        let s = try table(t)
        XCTAssertTrue(s.contains("│ 0 │ 0 │ 1 │"), s)
        XCTAssertTrue(s.contains("│ 99999 │"), s)
        XCTAssertTrue(s.split(separator: "\n").allSatisfy { $0.count <= 100 })
    }
}
