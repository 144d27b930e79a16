import XCTest
import TestSupport

/// Inputs `make fuzz` found crashing, kept as the fuzzer wrote them (Fixtures/fuzz/*.py),
/// and snippets around the same fault. Each must end as PyTorch ends it: the `Kind: message`
/// recorded by Fixtures/fuzz/make_fuzz_regressions.py under PyTorch (or what it prints), with
/// a location, and no signal. docs/fuzzing.md lists what each file found.
final class FuzzRegressionTests: XCTestCase {
    func testEveryFuzzFindingEndsInPyTorchsError() throws {
        let cases = try SnippetOutcome.load("fuzz/fuzz_regressions.json")
        XCTAssertEqual(cases.count, 19)
        XCTAssertEqual(cases.filter { $0.file != nil }.count, 1)
        let dir = TensorpadBinary.packageRoot.appendingPathComponent("Tests/NotebookTests/Fixtures/fuzz")
        for c in cases { try c.check(in: dir) }
    }
}
