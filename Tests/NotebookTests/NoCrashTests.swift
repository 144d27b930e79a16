import XCTest
import TestSupport

/// Bad input ends in an error with a kind and a location, never in a trap. Each snippet's
/// expected outcome is PyTorch's (`Kind: message`, or what it prints when it succeeds),
/// recorded by Fixtures/make_no_crash.py in Fixtures/no_crash.json; where Tensorpad answers
/// otherwise on purpose the file gives Tensorpad's expectation and the reason. Issue 17's
/// larger corpus is HostileInputTests.
final class NoCrashTests: XCTestCase {
    func testEverySnippetRaisesItsError() throws {
        let cases = try SnippetOutcome.load("no_crash.json")
        XCTAssertEqual(cases.count, 44)
        for c in cases { try c.check(in: TensorpadBinary.packageRoot) }
    }
}
