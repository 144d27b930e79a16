import XCTest
import TensorCore
@testable import Render

final class HeatMapTests: XCTestCase {
    let esc = "\u{1B}["

    func testPlainRampAveragesRowPairs() throws {
        let t = try Tensor((0..<8).map { Float($0) }, shape: [2, 4])
        XCTAssertEqual(try show(t, width: 80, color: false), """
            [2×4]
            -=+*
            min 0 [ .:-=+*#%@] max 7
            """)
    }

    func testColourHalfBlocks() throws {
        let t = try Tensor([0, 1, 2, 3], shape: [2, 2])
        let lines = try show(t, width: 80, color: true).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "[2×2]")
        XCTAssertEqual(lines[1], "\(esc)38;5;232m\(esc)48;5;247m▀\(esc)38;5;240m\(esc)48;5;255m▀\(esc)0m")
        XCTAssertTrue(lines[2].hasPrefix("min 0 \(esc)48;5;232m \(esc)48;5;233m "))
        XCTAssertTrue(lines[2].hasSuffix("\(esc)48;5;255m \(esc)0m max 3"))
        // An odd row count leaves the last lower half on the default background.
        let odd = try show(try Tensor([0, 1, 2], shape: [3, 1]), width: 80, color: true).split(separator: "\n")
        XCTAssertEqual(String(odd[2]), "\(esc)38;5;255m\(esc)49m▀\(esc)0m")
    }

    func testWideMapsAreShrunk() throws {
        let t = try Tensor((0..<8).map { Float($0) }, shape: [2, 4])
        let lines = try show(t, width: 2, color: true).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "[2×4], shown at 1/2")
        // Block means 2.5 and 4.5 of 0...7: levels 8 and 15, one text row (bottom half empty).
        XCTAssertEqual(lines[1], "\(esc)38;5;240m\(esc)49m▀\(esc)38;5;247m▀\(esc)0m")
        let plain = try show(try Tensor((0..<64).map { Float($0 % 8) }, shape: [8, 8]), width: 4, color: false)
        XCTAssertEqual(plain.split(separator: "\n").count, 1 + 2 + 1)
        XCTAssertTrue(plain.split(separator: "\n").dropFirst().dropLast().allSatisfy { $0.count == 4 })
    }

    func testChannelsConstantsAndBadRanks() throws {
        let t = try Tensor([0, 1, 5, 5], shape: [2, 1, 2])
        XCTAssertEqual(try show(t, width: 80, color: false), """
            channel 0 [1×2]
             @
            min 0 [ .:-=+*#%@] max 1

            channel 1 [1×2]
              
            min 5 [ .:-=+*#%@] max 5
            """)
        XCTAssertNoThrow(try show(try Tensor([Float.nan, 1], shape: [2]), width: 80, color: true))
        XCTAssertThrowsError(try show(try Tensor.zeros([1, 1, 1, 1, 1]), width: 80, color: false))
        XCTAssertThrowsError(try show(Tensor.scalar(1), width: 80, color: false))
    }
}
