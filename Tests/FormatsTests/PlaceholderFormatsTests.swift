import XCTest
@testable import Formats

final class FormatsSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
