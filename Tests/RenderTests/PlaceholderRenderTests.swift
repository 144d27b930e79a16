import XCTest
@testable import Render

final class RenderSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
