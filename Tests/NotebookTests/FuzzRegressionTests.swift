import XCTest
import TestSupport

/// Inputs `make fuzz` found crashing, kept as the fuzzer wrote them (Fixtures/fuzz/*.py),
/// and snippets around the same fault. Each must end as PyTorch ends it: the `Kind: message`
/// recorded by Fixtures/fuzz/make_fuzz_regressions.py under PyTorch (or what it prints), with
/// a location, and no signal. docs/fuzzing.md lists what each file found.
final class FuzzRegressionTests: XCTestCase {
    struct Expectation: Decodable {
        let file: String?
        let code: String?
        let kind: String?
        let message: String?
        let stdout: String?
    }

    func testEveryFuzzFindingEndsInPyTorchsError() throws {
        let dir = TensorpadBinary.packageRoot.appendingPathComponent("Tests/NotebookTests/Fixtures/fuzz")
        let cases = try JSONDecoder().decode([Expectation].self,
                                             from: Data(contentsOf: dir.appendingPathComponent("fuzz_regressions.json")))
        XCTAssertEqual(cases.count, 19)
        XCTAssertEqual(cases.filter { $0.file != nil }.count, 1)
        for c in cases {
            let args: [String]
            let what: String
            if let file = c.file {
                args = ["run", dir.appendingPathComponent(file).path]
                what = file
            } else {
                args = ["-c", c.code ?? ""]
                what = (c.code ?? "").debugDescription
            }
            let r = try TensorpadBinary.run(args, timeout: 60)
            XCTAssertFalse(r.signalled || r.timedOut, "\(what): \(r.stderr)")
            guard let kind = c.kind else {
                XCTAssertEqual(r.status, 0, "\(what): \(r.stderr)")
                XCTAssertEqual(r.stdout, c.stdout ?? "", what)
                continue
            }
            XCTAssertEqual(r.status, 1, "\(what) should raise \(kind): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n").map(String.init)
            let expected = "\(kind): \(c.message ?? "")"
            if c.message == "*" {
                XCTAssertTrue(lines.contains { $0.hasPrefix("\(kind): ") }, "\(what): \(r.stderr)")
            } else {
                XCTAssertTrue(lines.contains(expected), "\(what): expected \(expected), got \(r.stderr)")
            }
            XCTAssertTrue(r.stderr.contains("  --> "), "\(what) has no location: \(r.stderr)")
        }
    }
}
