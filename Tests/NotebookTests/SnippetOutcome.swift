import XCTest
import TestSupport

/// What a snippet (or a program file) must end in, as a fixture made under PyTorch records
/// it: `Kind: message` as the first line of stderr with a location, or, when `kind` is
/// null, exit status 0 and exactly `stdout`. Shared by NoCrashTests and FuzzRegressionTests.
struct SnippetOutcome: Decodable {
    /// A program file beside the fixture, run with `tensorpad run`; otherwise `code` with `-c`.
    let file: String?
    let code: String?
    let kind: String?
    /// `*` stands for the machine's sizes (the memory limit).
    let message: String?
    let stdout: String?
    /// A subclass Tensorpad may name instead (ShapeError for PyTorch's RuntimeError).
    let alsoKind: String?

    static func load(_ fixture: String) throws -> [SnippetOutcome] {
        let url = TensorpadBinary.packageRoot.appendingPathComponent("Tests/NotebookTests/Fixtures/\(fixture)")
        return try JSONDecoder().decode([SnippetOutcome].self, from: Data(contentsOf: url))
    }

    /// Runs it and asserts the recorded outcome; `dir` holds `file`.
    func check(in dir: URL, file f: StaticString = #filePath, line l: UInt = #line) throws {
        let args = file.map { ["run", dir.appendingPathComponent($0).path] } ?? ["-c", code ?? ""]
        let what = file ?? (code ?? "").debugDescription
        let r = try TensorpadBinary.run(args, timeout: 60)
        XCTAssertFalse(r.signalled || r.timedOut, "\(what): \(r.stderr)", file: f, line: l)
        guard let kind else {
            XCTAssertEqual(r.status, 0, "\(what): \(r.stderr)", file: f, line: l)
            XCTAssertEqual(r.stdout, stdout ?? "", what, file: f, line: l)
            return
        }
        XCTAssertEqual(r.status, 1, "\(what) should raise \(kind): \(r.stderr)", file: f, line: l)
        let first = r.stderr.split(separator: "\n").first.map(String.init) ?? ""
        let kinds = [kind] + (alsoKind.map { [$0] } ?? [])
        let matches = kinds.contains { k in
            let expected = "\(k): \(message ?? "")"
            guard expected.contains("*") else { return first == expected }
            let pattern = "^" + NSRegularExpression.escapedPattern(for: expected).replacingOccurrences(of: "\\*", with: ".+") + "$"
            return first.range(of: pattern, options: .regularExpression) != nil
        }
        XCTAssertTrue(matches, "\(what): got \(first), expected \(kinds.joined(separator: " or ")): \(message ?? "")", file: f, line: l)
        let location = "  --> " + (file.map { dir.appendingPathComponent($0).path } ?? "<string>") + ":"
        XCTAssertTrue(r.stderr.contains(location), "\(what) has no location: \(r.stderr)", file: f, line: l)
    }
}
