import XCTest
@testable import Syntax

final class SyntaxSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
