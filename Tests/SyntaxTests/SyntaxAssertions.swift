import XCTest
@testable import Syntax

extension XCTestCase {
    /// Fails unless parsing `s` raises a SyntaxError with this message at this line and column.
    func assertError(_ s: String, _ message: String, line: Int, column: Int, file: StaticString = #filePath, lineNo: UInt = #line) {
        XCTAssertThrowsError(try Parser.parse(s), file: file, line: lineNo) { e in
            guard let e = e as? SyntaxError else { return XCTFail("\(e)", file: file, line: lineNo) }
            XCTAssertEqual(e.message, message, file: file, line: lineNo)
            XCTAssertEqual(e.range.line, line, file: file, line: lineNo)
            XCTAssertEqual(e.range.column, column, file: file, line: lineNo)
        }
    }
}
