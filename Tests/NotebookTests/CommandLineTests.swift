import XCTest
import Foundation
import TestSupport

/// The command line as SPEC §1 fixes it: -c, stdin, run, convert, exit codes, errors on stderr.
final class CommandLineTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testDashCRunsOneCellAndShowsTheLastValue() throws {
        let r = try TensorpadBinary.run(["-c", "x = torch.tensor([[1., 2], [3, 4]])\nprint(x.sum())\nx.shape"])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, "tensor(10.)\ntorch.Size([2, 2])\n")
        XCTAssertEqual(try TensorpadBinary.run(["-c", "x = 1;"]).stdout, "")
    }

    func testStdinIsANotebookWhenNotATerminal() throws {
        let r = try TensorpadBinary.run([], stdin: "# %%\na = 2\n# %%\nprint(a * 21)\n")
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, "42\n")
    }

    func testErrorStopsTheRunWithStatusOneAndALocatedMessage() throws {
        let path = try write("shape.tpad", """
        # %% Setup
        import torch
        from torch import nn
        fc = nn.Linear(256, 10)
        # %% Forward
        x = torch.zeros(1, 512)
        y = fc(x)
        print("not reached")
        # %%
        print("nor this")
        """)
        let r = try TensorpadBinary.run(["run", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, """
        ShapeError: mat1 and mat2 shapes cannot be multiplied (1x512 and 256x10)
          --> \(path):7:5 (cell 2, line 2)
           |
         7 | y = fc(x)
           |     ^^^^^

        """)
        let go = try TensorpadBinary.run(["run", "--allow-errors", path])
        XCTAssertEqual(go.status, 1)
        XCTAssertEqual(go.stdout, "nor this\n")
    }

    func testErrorInsideADefShowsTheChainOfCalls() throws {
        let path = try write("chain.tpad", "def f(t):\n    return t.reshape(5)\n\ny = f(torch.zeros(2, 3))\n")
        let r = try TensorpadBinary.run(["run", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, """
        ShapeError: shape '[5]' is invalid for input of size 6
          --> \(path):4:5 (cell 1, line 4)
           |
         4 | y = f(torch.zeros(2, 3))
           |     ^^^^^^^^^^^^^^^^^^^^
          --> \(path):2:12 (cell 1, line 2, in f)
           |
         2 |     return t.reshape(5)
           |            ^^^^^^^^^^^^

        """)
    }

    func testBadArgumentsAndUnreadableNotebooksExitTwo() throws {
        XCTAssertEqual(try TensorpadBinary.run(["run"]).status, 2)
        XCTAssertEqual(try TensorpadBinary.run(["--no-such-flag"]).status, 2)
        let missing = try TensorpadBinary.run(["run", dir.appendingPathComponent("missing.tpad").path])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.hasPrefix("FileNotFoundError: [Errno 2] No such file or directory"), missing.stderr)
        let bad = try write("bad.ipynb", "{not json")
        XCTAssertEqual(try TensorpadBinary.run(["run", bad]).status, 2)
        XCTAssertEqual(try TensorpadBinary.run(["--version"]).stdout, "tensorpad 0.1.0\n")
    }

    func testRunWritesAnExecutedIpynbAndConvertRoundTrips() throws {
        let path = try write("nb.tpad", "# %% [markdown]\n# A title\n\n# %% First\nx = torch.ones(2)\nprint('hi')\nx * 3\n")
        let out = dir.appendingPathComponent("out.ipynb").path
        let report = dir.appendingPathComponent("r.md").path
        let r = try TensorpadBinary.run(["run", path, "--out", out, "--report", report])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "hi\ntensor([3., 3.])\n")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        XCTAssertEqual(json["nbformat"] as? Int, 4)
        let cells = try XCTUnwrap(json["cells"] as? [[String: Any]])
        XCTAssertEqual(cells.map { $0["cell_type"] as? String }, ["markdown", "code"])
        XCTAssertEqual(cells[1]["execution_count"] as? Int, 1)
        let outputs = try XCTUnwrap(cells[1]["outputs"] as? [[String: Any]])
        XCTAssertEqual(outputs.map { $0["output_type"] as? String }, ["stream", "execute_result"])
        let md = try String(contentsOfFile: report, encoding: .utf8)
        XCTAssertTrue(md.contains("```python\nx = torch.ones(2)"), md)
        XCTAssertTrue(md.contains("tensor([3., 3.])"), md)

        let back = dir.appendingPathComponent("back.tpad").path
        XCTAssertEqual(try TensorpadBinary.run(["convert", out, back]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: back, encoding: .utf8),
                       "# %% [markdown]\n# A title\n\n# %% First\nx = torch.ones(2)\nprint('hi')\nx * 3\n")
    }

    func testThreadsOption() throws {
        let path = try write("t.tpad", "print(torch.get_num_threads())\n")
        XCTAssertEqual(try TensorpadBinary.run(["run", "--threads", "1", path]).stdout, "1\n")
        XCTAssertEqual(try TensorpadBinary.run(["run", path, "--threads", "3"]).stdout, "3\n")
        XCTAssertEqual(try TensorpadBinary.run(["--threads", "1", "-c", "print(torch.get_num_threads())"]).stdout, "1\n")
    }

    func testVariablesSurviveAnErrorInTheSession() throws {
        let r = try TensorpadBinary.run(["run", "--allow-errors", try write("s.tpad", "# %%\nkeep = 41\n# %%\nboom(\n# %%\nprint(keep + 1)\n")])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "42\n")
        XCTAssertTrue(r.stderr.hasPrefix("SyntaxError: "), r.stderr)
    }

    /// sys.exit ends a run as it ends a Python script (statuses and stderr as `python3 -c`).
    func testSysExitStatus() throws {
        let ok = try TensorpadBinary.run(["-c", "import sys; print(1); sys.exit(0); print(2)"])
        XCTAssertEqual([ok.stdout, ok.stderr], ["1\n", ""]); XCTAssertEqual(ok.status, 0)
        let three = try TensorpadBinary.run(["-c", "import sys; sys.exit(3)"])
        XCTAssertEqual(three.status, 3); XCTAssertEqual(three.stderr, "")
        let msg = try TensorpadBinary.run(["-c", "import sys; sys.exit('bad input')"])
        XCTAssertEqual(msg.status, 1); XCTAssertEqual(msg.stderr, "bad input\n")
    }
}
