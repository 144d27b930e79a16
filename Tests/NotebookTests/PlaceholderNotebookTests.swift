import XCTest
@testable import Notebook

final class NotebookSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
