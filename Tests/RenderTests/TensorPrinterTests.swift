import XCTest
import TensorCore
@testable import Render

final class TensorPrinterTests: XCTestCase {
    override func tearDown() { PrintOptions.current = .default }

    func testSpecExample() throws {
        let t = try Tensor([6.5, 12.5, 18.5, 24.5], shape: [1, 4])
        XCTAssertEqual(TensorPrinter.repr(t, options: .default), "tensor([[ 6.5000, 12.5000, 18.5000, 24.5000]])")
    }

    func testWholeFloatsAndInts() throws {
        XCTAssertEqual(TensorPrinter.repr(try Tensor([1, 2, 3], shape: [3])), "tensor([1., 2., 3.])")
        XCTAssertEqual(TensorPrinter.repr(try Tensor(ints: [1, -20], shape: [2])), "tensor([  1, -20])")
        XCTAssertEqual(TensorPrinter.repr(try Tensor(bools: [true, false], shape: [2])), "tensor([ True, False])")
        XCTAssertEqual(TensorPrinter.repr(Tensor.scalar(3.5)), "tensor(3.5000)")
    }

    func testEmptySuffixes() throws {
        XCTAssertEqual(TensorPrinter.repr(try Tensor(zeros: [0, 3])), "tensor([], size=(0, 3))")
        XCTAssertEqual(TensorPrinter.repr(try Tensor(zeros: [0], dtype: .int64)), "tensor([], dtype=torch.int64)")
    }

    func testSetPrintOptionsSemantics() throws {
        PrintOptions.set(precision: 2, sciMode: false)
        XCTAssertEqual(PrintOptions.current.precision, 2)
        XCTAssertEqual(PrintOptions.current.sciMode, false)
        // sci_mode not given: back to automatic, as torch.set_printoptions does.
        PrintOptions.set(threshold: 5)
        XCTAssertNil(PrintOptions.current.sciMode)
        XCTAssertEqual(PrintOptions.current.precision, 2)
        let t = try Tensor(ints: Array(0..<10), shape: [10])
        XCTAssertEqual(TensorPrinter.repr(t), "tensor([0, 1, 2,  ..., 7, 8, 9])")
        PrintOptions.set(profile: "short")
        XCTAssertEqual(PrintOptions.current, PrintOptions(precision: 2, threshold: 1000, edgeitems: 2))
        PrintOptions.set(profile: "full")
        XCTAssertEqual(PrintOptions.current.threshold, .infinity)
        PrintOptions.set(profile: "default")
        XCTAssertEqual(PrintOptions.current, .default)
        PrintOptions.set(precision: 3, profile: "nonsense")
        XCTAssertEqual(PrintOptions.current.precision, 3)
    }

    func testNegativePrecisionDoesNotCrash() throws {
        let t = try Tensor([0.5, 1.25], shape: [2])
        XCTAssertEqual(TensorPrinter.repr(t, options: PrintOptions(precision: -3)), "tensor([0, 1])")
    }

    func testTupleString() {
        XCTAssertEqual(TensorPrinter.tupleString([]), "()")
        XCTAssertEqual(TensorPrinter.tupleString([5]), "(5,)")
        XCTAssertEqual(TensorPrinter.tupleString([0, 3]), "(0, 3)")
    }

    func testNumberTextMatchesPython() {
        XCTAssertEqual(NumberText.fixed(-.nan, 4), "nan")
        XCTAssertEqual(NumberText.sci(-.infinity, 4), "-inf")
        XCTAssertEqual(NumberText.fixed(Double(Float(0.1)), 10), "0.1000000015")
        XCTAssertEqual(NumberText.sci(12345.678, 2), "1.23e+04")
        XCTAssertEqual(NumberText.fixed(2.5, 0), "2")
    }
}

extension TensorPrinterTests {
    func testExtremeOptionsDoNotTrap() throws {
        let t = try Tensor((0..<2000).map { Float($0) }, shape: [2000])
        let huge = PrintOptions(edgeitems: Int.max, linewidth: Int.min)
        XCTAssertTrue(TensorPrinter.repr(t, options: huge).hasPrefix("tensor([0.0000e+00,\n        1.0000e+00,\n"))
        let wide = PrintOptions(threshold: 10, edgeitems: 2, linewidth: Int.max)
        XCTAssertEqual(TensorPrinter.repr(t, options: wide), "tensor([0.0000e+00, 1.0000e+00,  ..., 1.9980e+03, 1.9990e+03])")
    }
}
