import XCTest
import Foundation
import Formats
import Notebook
import TestSupport

/// Issue 19: what a new user meets in the first hour — installing, `--help`,
/// an empty tensor, `show` of a batch, raw cells and notebook metadata, the report.
final class FirstHourTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-first-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func output(_ code: String) -> String {
        let r = Session().run(code)
        return r.stdout + (r.displayed.map { $0 + "\n" } ?? "") + (r.errorText ?? "")
    }

    // MARK: make install

    /// `make install` runs scripts/install.sh on the release binary; here on this build's binary.
    func testInstallPutsTheBinaryAndCompletionsUnderPrefixAndUninstallRemovesThem() throws {
        let exe = try XCTUnwrap(TensorpadBinary.url, "tensorpad is not built")
        let prefix = dir.appendingPathComponent("prefix").path
        let script = TensorpadBinary.packageRoot.appendingPathComponent("scripts/install.sh").path
        let install = try shell(["bash", script, exe.path, prefix])
        XCTAssertEqual(install.status, 0, install.text)
        XCTAssertTrue(install.text.contains("installed \(prefix)/bin/tensorpad"), install.text)
        let fm = FileManager.default
        XCTAssertTrue(fm.isExecutableFile(atPath: prefix + "/bin/tensorpad"))
        let bash = try String(contentsOfFile: prefix + "/share/bash-completion/completions/tensorpad", encoding: .utf8)
        XCTAssertTrue(bash.contains("complete") && bash.contains("convert") && bash.contains("--allow-errors"), bash)
        let zsh = try String(contentsOfFile: prefix + "/share/zsh/site-functions/_tensorpad", encoding: .utf8)
        XCTAssertTrue(zsh.hasPrefix("#compdef tensorpad"), String(zsh.prefix(80)))
        let fish = try String(contentsOfFile: prefix + "/share/fish/vendor_completions.d/tensorpad.fish", encoding: .utf8)
        XCTAssertTrue(fish.contains("complete -c 'tensorpad'") || fish.contains("complete -c tensorpad"), String(fish.prefix(400)))
        // The installed binary works from any folder, by its PATH name.
        let run = try shell(["tensorpad", "-c", "print(torch.ones(2).sum())"], path: prefix + "/bin", in: dir)
        XCTAssertEqual(run.text, "tensor(2.)\n")
        let gone = try shell(["bash", script, "--uninstall", prefix])
        XCTAssertEqual(gone.status, 0, gone.text)
        for f in ["bin/tensorpad", "share/bash-completion/completions/tensorpad", "share/zsh/site-functions/_tensorpad",
                  "share/fish/vendor_completions.d/tensorpad.fish"] {
            XCTAssertFalse(fm.fileExists(atPath: prefix + "/" + f), f)
        }
    }

    func shell(_ args: [String], path: String? = nil, in directory: URL? = nil) throws -> (status: Int32, text: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        if let path { env["PATH"] = path + ":" + (env["PATH"] ?? "/usr/bin:/bin") }
        p.environment = env
        if let directory { p.currentDirectoryURL = directory }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    // MARK: --help

    func testHelpParagraphsWrapToTheTerminalWidth() throws {
        let r = try TensorpadBinary.run(["--help"], environment: ["COLUMNS": "80"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("""
        With no arguments: an interactive REPL when stdin is a terminal; otherwise
        stdin is read as one notebook and run like `tensorpad run -`.

        Exit status: 0 when every cell ran, 1 when a cell raised an error, 2 for bad
        arguments or an unreadable notebook.
        """), r.stdout)
    }

    func testRunHelpListsThreadsAndRunTakesIt() throws {
        let help = try TensorpadBinary.run(["run", "--help"])
        XCTAssertTrue(help.stdout.contains("  --threads <N>           Threads for kernels (default: all cores)."), help.stdout)
        let nb = dir.appendingPathComponent("t.tpad")
        try "# %%\n%threads\n".write(to: nb, atomically: true, encoding: .utf8)
        let r = try TensorpadBinary.run(["run", nb.path, "--threads", "1"])
        XCTAssertEqual(r.stdout, "threads: 1\n", r.stderr)
    }

    // MARK: small things

    func testEmptyTensorIsFloat32AsInPyTorch() {
        XCTAssertEqual(output("torch.tensor([])"), "tensor([])\n")
        XCTAssertEqual(output("torch.tensor([]).dtype"), "torch.float32\n")
        XCTAssertEqual(output("torch.tensor([[]]).shape"), "torch.Size([1, 0])\n")
        XCTAssertEqual(output("torch.tensor([], dtype=torch.int64)"), "tensor([], dtype=torch.int64)\n")
    }

    func testShowDrawsEachImageOfABatch() {
        let out = output("show(torch.arange(2 * 16.).reshape(2, 1, 4, 4), color=False)")
        XCTAssertTrue(out.hasPrefix("image 0 [4×4]\n"), out)
        XCTAssertTrue(out.contains("\n\nimage 1 [4×4]\n"), out)
        let rgb = output("show(torch.zeros(1, 3, 2, 2), color=False)")
        XCTAssertTrue(rgb.contains("image 0 channel 2 [2×2]"), rgb)
    }

    /// A 128×128 map fits 20 text rows: shrunk 4 times (two pixel rows a text row).
    func testShowFitsTheHeightItIsGiven() {
        let out = output("show(torch.arange(128 * 128.).reshape(128, 128), color=False, width=200, height=20)")
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.first, "[128×128], shown at 1/4")
        XCTAssertEqual(lines.count, 1 + 16 + 1 + 1, out)   // title, 128/8 rows, scale bar, final newline
        XCTAssertEqual(lines[1].count, 32)
    }

    // MARK: notebooks

    func testRawCellsAndNotebookMetadataSurviveConvertAndRun() throws {
        let ipynb = dir.appendingPathComponent("in.ipynb")
        try """
        {"cells": [
          {"cell_type": "raw", "metadata": {}, "source": ["---\\n", "title: raw front matter\\n", "---"]},
          {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": ["print(1 + 1)"]}
         ],
         "metadata": {"jupytext": {"formats": "ipynb,py:percent"},
                      "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                      "widths": [1.5, 2], "trusted": true},
         "nbformat": 4, "nbformat_minor": 5}
        """.write(to: ipynb, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out.ipynb").path
        let r = try TensorpadBinary.run(["run", ipynb.path, "--out", out])
        XCTAssertEqual(r.stdout, "2\n", r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let cells = try XCTUnwrap(json["cells"] as? [[String: Any]])
        XCTAssertEqual(cells.map { $0["cell_type"] as? String }, ["raw", "code"])
        XCTAssertNil(cells[0]["outputs"])
        let meta = try XCTUnwrap(json["metadata"] as? [String: Any])
        XCTAssertEqual((meta["kernelspec"] as? [String: Any])?["name"] as? String, "python3")
        XCTAssertEqual((meta["jupytext"] as? [String: Any])?["formats"] as? String, "ipynb,py:percent")
        XCTAssertEqual(meta["widths"] as? [Double], [1.5, 2])
        XCTAssertEqual(meta["trusted"] as? Bool, true)
        XCTAssertNotNil(meta["language_info"])      // ours, where the notebook had none

        // To a .py percent file (as Jupytext pairs it) and back: the raw cell stays raw.
        let py = dir.appendingPathComponent("paired.py").path
        XCTAssertEqual(try TensorpadBinary.run(["convert", ipynb.path, py]).status, 0)
        let text = try String(contentsOfFile: py, encoding: .utf8)
        XCTAssertEqual(text, "# %% [raw]\n# ---\n# title: raw front matter\n# ---\n\n# %%\nprint(1 + 1)\n")
        let back = try NotebookFile.read(path: py)
        XCTAssertEqual(back.cells.map(\.kind), [.raw, .code])
        XCTAssertEqual(back.cells[0].source, "---\ntitle: raw front matter\n---")
    }

    func testJupytextHeaderOfAPercentFileIsKept() throws {
        let text = """
        # ---
        # jupyter:
        #   jupytext:
        #     text_representation:
        #       format_name: percent
        # ---

        # %% Setup
        x = 1

        # %% [markdown]
        # Some *text*

        """
        let nb = PercentNotebook.parse(text)
        XCTAssertEqual(nb.cells.map(\.kind), [.code, .markdown])
        XCTAssertEqual(nb.header?.split(separator: "\n").count, 6)
        XCTAssertEqual(PercentNotebook.serialize(nb), text)
        let path = dir.appendingPathComponent("a.py").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let copy = dir.appendingPathComponent("b.tpad").path
        XCTAssertEqual(try TensorpadBinary.run(["convert", path, copy]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: copy, encoding: .utf8), text)
    }
}
