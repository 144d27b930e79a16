import XCTest
import Foundation
import TestSupport

/// bench/resnet_notebook.py, the `resnet18 notebook` rows of `make bench` (issue 18): the
/// ResNet-18 of Notebooks/03 built and timed through the language. The file runs unchanged
/// under `tensorpad run` and under PyTorch and ends with its parseable line. Not a timing test:
/// TENSORPAD_BENCH_QUICK=1 runs 32×32 images once per batch.
final class BenchNotebookTests: XCTestCase {
    let script = TensorpadBinary.packageRoot.appendingPathComponent("bench/resnet_notebook.py")

    /// The two medians of `resnet18 notebook ms b1 <ms> b8 <ms>`, which must be the only line.
    func medians(_ stdout: String, file: StaticString = #filePath, line: UInt = #line) -> [Double] {
        let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 2, "one line and its newline: \(stdout)", file: file, line: line)
        let words = (lines.first ?? "").split(separator: " ").map(String.init)
        XCTAssertEqual(words.count, 7, stdout, file: file, line: line)
        guard words.count == 7 else { return [] }
        XCTAssertEqual(words[0..<3].joined(separator: " "), "resnet18 notebook ms", file: file, line: line)
        XCTAssertEqual([words[3], words[5]], ["b1", "b8"], file: file, line: line)
        return [words[4], words[6]].compactMap(Double.init)
    }

    func testTheScriptRunsUnderTensorpadAndPrintsTwoPositiveMedians() throws {
        let r = try TensorpadBinary.run(["run", script.path], environment: ["TENSORPAD_BENCH_QUICK": "1"], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        let ms = medians(r.stdout)
        XCTAssertEqual(ms.count, 2, r.stdout)
        XCTAssertTrue(ms.allSatisfy { $0 > 0 }, r.stdout)
    }

    func testTheSameFileRunsUnderPyTorch() throws {
        let python = try TorchPython.path()
        let out = try TorchPython.run(python, """
            import os, runpy
            os.environ["TENSORPAD_BENCH_QUICK"] = "1"
            runpy.run_path(\(TorchPython.literal(script.path)))
            """)
        let ms = medians(out)
        XCTAssertEqual(ms.count, 2, out)
        XCTAssertTrue(ms.allSatisfy { $0 > 0 }, out)
    }

    /// The model code is Notebooks/03's, character for character: `block` and `stage`, then `b1`
    /// and `net`.
    func testTheModelIsBuiltExactlyAsNotebook03BuildsIt() throws {
        let notebook = try String(contentsOf: TensorpadBinary.packageRoot
            .appendingPathComponent("Notebooks/03-resnet-shapes.tpad"), encoding: .utf8)
        let bench = try String(contentsOf: script, encoding: .utf8)
        func chunk(_ text: String, from start: String, through end: String) -> String? {
            guard let a = text.range(of: start), let b = text.range(of: end, range: a.upperBound..<text.endIndex)
            else { return nil }
            return String(text[a.lowerBound..<b.upperBound])
        }
        for (start, end) in [("def block(", "block(cout, cout))\n"), ("b1 = nn.Sequential(", "nn.Linear(512, 10))\n")] {
            let mine = try XCTUnwrap(chunk(bench, from: start, through: end), start)
            XCTAssertEqual(mine, chunk(notebook, from: start, through: end))
        }
    }
}
