import XCTest
@testable import Lang

/// "Did you mean" as CPython 3.11's traceback prints it (expected lines taken from
/// `python3 -c SRC`), the same on every run, and module errors worded as CPython's.
final class SuggestionTests: XCTestCase {
    func testNameErrorSuggestionsFollowCPython() {
        XCTAssertEqual(errorLine("x = self"), "NameError: name 'self' is not defined")
        XCTAssertEqual(errorLine("lenn([1])"), "NameError: name 'lenn' is not defined. Did you mean: 'len'?")
        XCTAssertEqual(errorLine("prnt(1)"), "NameError: name 'prnt' is not defined. Did you mean: 'print'?")
        XCTAssertEqual(errorLine("learning_rate = 1\nprint(learning_rat)"),
                       "NameError: name 'learning_rat' is not defined. Did you mean: 'learning_rate'?")
        for _ in 0..<5 { XCTAssertEqual(errorLine("x = self"), "NameError: name 'self' is not defined") }
    }

    func testAttributeErrorSuggestions() {
        XCTAssertEqual(errorLine("[1].apend(2)"), "AttributeError: 'list' object has no attribute 'apend'. Did you mean: 'append'?")
        XCTAssertEqual(errorLine("import torch\ntorch.zeroes(2)"), "AttributeError: module 'torch' has no attribute 'zeroes'")
        XCTAssertEqual(errorLine("import os\nos.path.joinn('a')"),
                       "AttributeError: module 'os.path' has no attribute 'joinn'. Did you mean: 'join'?")
    }

    func testMissingPackageIsNamed() {
        XCTAssertEqual(errorLine("import scipy.io"), "ModuleNotFoundError: No module named 'scipy'")
        XCTAssertEqual(errorLine("import foo.bar"), "ModuleNotFoundError: No module named 'foo'")
        XCTAssertEqual(errorLine("from scipy import io"), "ModuleNotFoundError: No module named 'scipy'")
    }

    func testCPythonDistance() {
        // Case changes cost 1, other edits 2; common prefixes and suffixes are free.
        XCTAssertEqual(Suggestions.distance(Array("Conv2D".utf8), Array("Conv2d".utf8), 10), 1)
        XCTAssertEqual(Suggestions.distance(Array("apend".utf8), Array("append".utf8), 10), 2)
        XCTAssertEqual(Suggestions.best("ConvTranspose", ["ConvTranspose1d", "ConvTranspose2d"]), "ConvTranspose1d")
    }
}
