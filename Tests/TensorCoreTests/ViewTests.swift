import XCTest
@testable import TensorCore

final class ViewTests: XCTestCase {
    func testTransposeSharesStorage() throws {
        let x = try Tensor.arange(start: 0, end: 6, step: 1, dtype: .float32).reshape([2, 3])
        let t = try x.transpose(0, 1)
        XCTAssertEqual(t.shape, [3, 2])
        XCTAssertTrue(t.sharesStorage(with: x))
        XCTAssertEqual(t.toFloats(), [0, 3, 1, 4, 2, 5])
    }
}
