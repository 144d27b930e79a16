import XCTest
import Foundation
import Notebook
import Lang
import TensorCore

/// IPython's input forms through a `Session` (what the REPL and the kernel
/// both run): magics on any top-level line, cell magics, `!cmd`, `obj?`,
/// and the output history `_`, `__`, `___`, `_N`, `Out[N]`, `In[N]`.
final class MagicTests: XCTestCase {
    func text(_ r: ExecutionResult) -> String { r.stdout + (r.displayed.map { "Out: " + $0 + "\n" } ?? "") + (r.errorText ?? "") }

    func testLineMagicAfterCodeInTheSameCell() {
        let s = Session()
        let out = text(s.run("x = 1\nt = torch.zeros(2, 3)\n%whos\nx + 1"))
        XCTAssertEqual(out, """
        Variable   Type     Data/Info
        -----------------------------
        t          Tensor   torch.Size([2, 3]) float32 24 B
        x          int      1
        Out: 2

        """)
    }

    func testErrorsAfterAMagicPointAtTheCellsOwnLine() {
        let s = Session()
        let r = s.run("%who\ny = undefined_name")
        XCTAssertEqual(r.error?.kind, .NameError)
        XCTAssertTrue(r.errorText?.contains("In [1], line 2:5") == true, r.errorText ?? "")
    }

    func testTimeitOptionsAsIPythonParsesThem() throws {
        let s = Session()
        _ = s.run("def f():\n    return 1")
        let out = s.run("%timeit -n 10 -r 3 f()").stdout
        let re = try NSRegularExpression(pattern: #"^[0-9.]+ (ns|µs|ms|s) ± [0-9.]+ (ns|µs|ms|s) per loop \(mean ± std\. dev\. of 3 runs, 10 loops each\)\n$"#)
        XCTAssertNotNil(re.firstMatch(in: out, range: NSRange(out.startIndex..., in: out)), out)
        XCTAssertTrue(s.run("%timeit -n1 -r1 f()").stdout.hasSuffix("(mean ± std. dev. of 1 run, 1 loop each)\n"))
        XCTAssertEqual(s.run("%timeit -q -n 2 -r 2 f()").stdout, "")
        XCTAssertEqual(s.run("%timeit -n x f()").error?.description, "UsageError: %timeit: -n takes a positive integer, got 'x'")
    }

    func testCellMagicsTimeTimeitCaptureWritefile() throws {
        let s = Session()
        let t = s.run("%%time\nz = 5\nz * 2")
        XCTAssertTrue(t.stdout.hasPrefix("CPU times: user "), t.stdout)
        XCTAssertTrue(t.stdout.contains("\nWall time: "), t.stdout)
        XCTAssertEqual(t.displayed, "10")
        let ti = s.run("%%timeit -n 3 -r 2 a = 2\nb = a * z")
        XCTAssertTrue(ti.stdout.hasSuffix("per loop (mean ± std. dev. of 2 runs, 3 loops each)\n"), ti.stdout)
        XCTAssertEqual(s.run("b").displayed, "10")     // the body ran in the session
        let c = s.run("%%capture cap\nprint('hidden')\nprint(z)")
        XCTAssertEqual(c.stdout, "")
        XCTAssertEqual(s.run("cap.stdout").displayed, "'hidden\\n5\\n'")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.py").path
        XCTAssertEqual(s.run("%%writefile \(path)\nx = 1\n\ny = 2").stdout, "Writing \(path)\n")
        XCTAssertEqual(s.run("%%writefile -a \(path)\nz = 3").stdout, "Appending to \(path)\n")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "x = 1\n\ny = 2\nz = 3\n")
        XCTAssertEqual(s.run("%%writefile \(path)\nw = 0").stdout, "Overwriting \(path)\n")
        XCTAssertEqual(s.run("\n%%nope\nx").errorText, """
        UsageError: Cell magic `%%nope` not found. Cell magics: %%capture %%time %%timeit %%writefile
          --> In [9], line 2:1
           |
         2 | %%nope
           | ^^^^^^
        """)
    }

    func testOutputHistory() {
        let s = Session()
        XCTAssertEqual(s.run("10").displayed, "10")
        XCTAssertEqual(s.run("_ + 1").displayed, "11")
        XCTAssertEqual(s.run("x = 5").displayed, nil)
        XCTAssertEqual(s.run("(_, __, ___)").displayed, "(11, 10, '')")
        XCTAssertEqual(s.run("Out[2], _1, _2").displayed, "(11, 10, 11)")
        XCTAssertEqual(s.run("In[2]").displayed, "'_ + 1'")
        XCTAssertEqual(s.run("In[0], len(In), _i").displayed, "('', 8, 'In[2]')")
        XCTAssertEqual(s.run("%who").stdout, "x\n")   // IPython's own names are not the user's
        XCTAssertEqual(s.run("Out[99]").error?.kind, .KeyError)
    }

    func testShellLinesAndAssignments() {
        let s = Session()
        XCTAssertEqual(s.run("!echo hi   there").stdout, "hi there\n")
        XCTAssertEqual(s.run("files = !printf 'a\\nb\\n'\nlen(files), files[1]").displayed, "(2, 'b')")
        let d = s.run("here = %pwd\nhere == %s" .replacingOccurrences(of: "%s", with: "'\(FileManager.default.currentDirectoryPath)'"))
        XCTAssertEqual(d.displayed, "True")
        XCTAssertEqual(s.run("%env TP_MAGIC_TEST=ok").stdout, "env: TP_MAGIC_TEST=ok\n")
        XCTAssertEqual(s.run("%env TP_MAGIC_TEST").displayed, "'ok'")
        XCTAssertEqual(s.run("!echo $TP_MAGIC_TEST").stdout, "ok\n")
        XCTAssertEqual(s.run("%matplotlib inline").stdout, "")
        // IPython's expansion: {expr} and $name from the session, $$ passes a $ to the shell ($$HOME_UNSET is empty there)
        _ = s.run("n = 3\nword = 'tensor'")
        XCTAssertEqual(s.run("!echo {n * 2} $word $$HOME_UNSET-x ${TP_MAGIC_TEST}").stdout, "6 tensor -x ok\n")
        XCTAssertEqual(s.run("!echo $TP_MAGIC_TEST {undefined_name}").stdout, "ok {undefined_name}\n")
    }

    func testCdAndLoad() throws {
        let s = Session()
        let home = FileManager.default.currentDirectoryPath
        defer { FileManager.default.changeCurrentDirectoryPath(home) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "a = 1\nprint(a)\n".write(to: dir.appendingPathComponent("snippet.py"), atomically: true, encoding: .utf8)
        let real = (dir.path as NSString).resolvingSymlinksInPath
        XCTAssertEqual(s.run("%cd \(dir.path)").stdout.trimmingCharacters(in: .newlines).hasSuffix(dir.lastPathComponent), true)
        XCTAssertEqual((FileManager.default.currentDirectoryPath as NSString).resolvingSymlinksInPath, real)
        let r = s.run("%load snippet.py")
        XCTAssertEqual(r.nextInput, "# %load snippet.py\na = 1\nprint(a)")
        XCTAssertEqual(s.run("%cd -").stdout, home + "\n")
        XCTAssertEqual(s.run("%cd /no/such/dir").error?.description, "IOError: [Errno 2] No such file or directory: '/no/such/dir'")
    }

    func testQuestionMarkHelp() {
        let s = Session()
        let one = s.run("nn.Conv2d?").stdout
        XCTAssertTrue(one.hasPrefix("Conv2d(in_channels, out_channels, kernel_size, stride=1"), one)
        XCTAssertEqual(s.run("?nn.Conv2d").stdout, one)
        _ = s.run("def double(x):\n    y = x * 2\n    return y\n\nz = 1")
        let two = s.run("double??").stdout
        XCTAssertTrue(two.hasSuffix("Source:\ndef double(x):\n    y = x * 2\n    return y\n"), two)
        XCTAssertEqual(s.run("nope?").error?.kind, .NameError)
        // a `?` inside code is not help
        XCTAssertEqual(s.run("s = 'what?'\ns").displayed, "'what?'")
    }

    func testCompletenessForTheREPL() {
        XCTAssertEqual(CellSplit.completeness("x = 1\n%whos\n"), .complete)
        XCTAssertEqual(CellSplit.completeness("for i in range(2):\n    print(i)\n"), .incomplete)
        XCTAssertEqual(CellSplit.completeness("%%time\nx = 1\n"), .incomplete)
        XCTAssertEqual(CellSplit.completeness("%%time\nx = 1\n\n"), .complete)
        XCTAssertEqual(CellSplit.completeness("files = !ls\n"), .complete)
        XCTAssertEqual(CellSplit.completeness("x = (1,\n%whos\n"), .incomplete)   // inside brackets: not a magic
    }

    /// `%reset` gives the memory of the tensors it frees (and any other cached block) back.
    func testResetReleasesCachedTensorMemory() {
        let s = Session()
        _ = s.run("big = torch.ones(1000000)\nother = torch.zeros(500000)\ndel other")
        XCTAssertGreaterThanOrEqual(BlockCache.shared.statistics.cached, 2_000_000, "the deleted tensor's block is cached")
        let liveBefore = BlockCache.shared.statistics.live
        XCTAssertEqual(s.run("%reset -f").stdout, "")
        let after = BlockCache.shared.statistics
        XCTAssertEqual(after.cached, 0)
        XCTAssertLessThanOrEqual(after.live, liveBefore - 4_000_000, "`big` was freed by the reset")
        XCTAssertEqual(after.mapped, after.live)
    }

    func testResetRunAndSave() throws {
        let s = Session()
        _ = s.run("a = 5")
        XCTAssertEqual(s.run("a * 2").displayed, "10")
        XCTAssertEqual(s.run("%reset -f").stdout, "")
        XCTAssertEqual(s.run("a").error?.kind, .NameError)
        XCTAssertEqual(s.run("len(Out), In[1]").displayed, "(0, 'a = 5')")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let nb = dir.appendingPathComponent("setup.tpad").path
        try "# %%\nb = 7\n# %%\nb * 6\n".write(toFile: nb, atomically: true, encoding: .utf8)
        XCTAssertEqual(s.run("%run -i \(nb)").displayed, "42")
        XCTAssertEqual(s.run("b").displayed, "7")
        let saved = dir.appendingPathComponent("s.tpad").path
        XCTAssertEqual(s.run("%save \(saved)").stdout, "The following commands were written to file `\(saved)`: 7 cells\n")
        XCTAssertTrue(try String(contentsOfFile: saved, encoding: .utf8).hasPrefix("# %%\na = 5\n\n# %%\na * 2\n"))
    }

    /// Inside an indented block the IPython lines run where the code reaches them.
    func testMagicsShellAndHelpInsideABlock() {
        let s = Session()
        let r = s.run("""
        def f(n):
            return n * 2
        for i in range(2):
            !echo shell {i}
            %timeit -n 2 -r 1 f(i)
            here = %pwd
            got = !echo got {i}
        print(got, here == %s)
        """.replacingOccurrences(of: "%s", with: "'\(FileManager.default.currentDirectoryPath)'"))
        XCTAssertNil(r.errorText, r.errorText ?? "")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5, r.stdout)
        XCTAssertEqual(lines[0], "shell 0")
        XCTAssertTrue(lines[1].hasSuffix("per loop (mean ± std. dev. of 1 run, 2 loops each)"), lines[1])
        XCTAssertEqual(lines[2], "shell 1")
        XCTAssertEqual(lines[4], "['got 1'] True")
        XCTAssertEqual(CellSplit.completeness("for i in range(2):\n    %time f(i)\n"), .incomplete)
        XCTAssertEqual(CellSplit.completeness("for i in range(2):\n    %time f(i)\n\n"), .complete)
        XCTAssertEqual(s.run("%who").stdout, "f\tgot\there\ti\n")
        // a def keeps its own cell's lines, whatever later cells hold
        _ = s.run("def where():\n    d = %pwd\n    return d")
        _ = s.run("for k in range(1):\n    !echo other")
        XCTAssertEqual(s.run("where() == here").displayed, "True")
    }
}
