import XCTest
import TestSupport

/// Bad input ends in an error with a kind and a location, never in a trap. Each snippet's
/// expected outcome is PyTorch's (`Kind: message`, or what it prints when it succeeds),
/// recorded by Fixtures/make_no_crash.py in Fixtures/no_crash.json; where Tensorpad answers
/// otherwise on purpose the file gives Tensorpad's expectation and the reason. Issue 17's
/// larger corpus is HostileInputTests.
final class NoCrashTests: XCTestCase {
    struct Expectation: Decodable {
        let code: String
        let kind: String?
        let message: String?
        let stdout: String?
        /// A subclass Tensorpad may name instead (ShapeError for PyTorch's RuntimeError).
        let alsoKind: String?
    }

    func testEverySnippetRaisesItsError() throws {
        let url = TensorpadBinary.packageRoot.appendingPathComponent("Tests/NotebookTests/Fixtures/no_crash.json")
        let cases = try JSONDecoder().decode([Expectation].self, from: Data(contentsOf: url))
        XCTAssertEqual(cases.count, 44)
        for c in cases {
            let r = try TensorpadBinary.run(["-c", c.code], timeout: 60)
            let what = c.code.debugDescription
            XCTAssertFalse(r.signalled || r.timedOut, "\(what): \(r.stderr)")
            guard let kind = c.kind else {
                XCTAssertEqual(r.status, 0, "\(what): \(r.stderr)")
                XCTAssertEqual(r.stdout, c.stdout ?? "", what)
                continue
            }
            XCTAssertEqual(r.status, 1, "\(what) should raise \(kind): \(r.stderr)")
            let first = r.stderr.split(separator: "\n").first.map(String.init) ?? ""
            let kinds = [kind] + (c.alsoKind.map { [$0] } ?? [])
            let matches = kinds.contains { k in
                let expected = "\(k): \(c.message ?? "")"
                guard expected.contains("*") else { return first == expected }
                // `*` stands for the machine's sizes (the memory limit).
                let pattern = "^" + NSRegularExpression.escapedPattern(for: expected).replacingOccurrences(of: "\\*", with: ".+") + "$"
                return first.range(of: pattern, options: .regularExpression) != nil
            }
            XCTAssertTrue(matches, "\(what): got \(first), expected \(kinds.joined(separator: " or ")): \(c.message ?? "")")
            XCTAssertTrue(r.stderr.contains("  --> <string>:"), "\(what) has no location: \(r.stderr)")
        }
    }
}
