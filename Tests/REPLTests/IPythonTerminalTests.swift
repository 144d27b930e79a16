import Foundation
import XCTest
import TestSupport

/// Issue 14 on a real terminal: the REPL as comfortable as IPython. The
/// binary runs in a pseudo-terminal; the tests type and paste as a user does
/// and read what the screen shows.
final class IPythonTerminalTests: XCTestCase {
    var home: URL!
    var terminal: PseudoTerminal?

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-ipy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    override func tearDown() {
        terminal?.close()
        terminal = nil
        try? FileManager.default.removeItem(at: home)
    }

    func start() throws -> PseudoTerminal {
        let exe = try TensorpadBinary.required()
        let env = ["HOME": home.path, "TERM": "xterm", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                   "TENSORPAD_THREADS": "2", "TENSORPAD_NO_PROGRESS": "1"]
        let t = try PseudoTerminal(executable: exe.path, environment: env)
        terminal = t
        try t.expectPrompt("In [1]: ")
        return t
    }

    /// What a terminal sends for a paste while the program asked for bracketed paste.
    func paste(_ t: PseudoTerminal, _ text: String) { t.send("\u{1B}[200~" + text + "\u{1B}[201~") }

    func testREPLTurnsBracketedPasteOn() throws {
        let t = try start()
        t.send("1\r")
        let out = try t.expectPrompt("In [2]: ")
        XCTAssertTrue(out.contains("\u{1B}[?2004l"), "paste mode off while a cell runs")
        XCTAssertTrue(t.transcript.count > 0 && String(decoding: t.transcript, as: UTF8.self).contains("\u{1B}[?2004h"))
    }

    func testPastedClassWithBlankLinesArrivesWhole() throws {
        let t = try start()
        paste(t, """
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 2)

            def forward(self, x):
                return self.fc(x)

        net = Net()

        """)
        let out = try t.expectPrompt("In [2]: ")
        XCTAssertFalse(out.contains("Error"), out)
        // Once entered, the block is drawn again with IPython's continuation prompts.
        XCTAssertTrue(out.contains("\u{1B}[JIn [1]: class Net(nn.Module):\r\n   ...:     def __init__(self):\r\n"), out)
        XCTAssertTrue(out.contains("   ...: \r\n   ...:     def forward(self, x):\r\n"), out)
        t.send("net(torch.zeros(3, 4)).shape\r")
        try t.expect("Out[2]: torch.Size([3, 2])")
        try t.expectPrompt("In [3]: ")
    }

    /// A paste without a final newline waits in the line for Enter, as in IPython.
    func testPasteWithoutNewlineWaitsForEnter() throws {
        let t = try start()
        paste(t, "def g(a):\n\n    return a * 3")
        try t.expect("return a * 3")
        XCTAssertFalse(t.pending.contains("In [2]"))
        t.send("\r")
        try t.expectPrompt("In [2]: ")
        t.send("g(5)\r")
        try t.expect("Out[2]: 15")
    }

    func testAutoIndentOffersTheBlocksIndentation() throws {
        let t = try start()
        t.send("def f(x):\r")
        try t.expectPrompt("   ...:     ")           // four spaces offered after the ':'
        t.send("if x > 0:\r")
        try t.expectPrompt("   ...:         ")       // eight inside the if
        t.send("return x\r")
        try t.expectPrompt("   ...:     ")           // one level less after return
        t.send("return -x\r")
        try t.expectPrompt("   ...: ")
        t.send("\r")
        try t.expectPrompt("In [2]: ")
        t.send("f(-4), f(3)\r")
        try t.expect("Out[2]: (4, 3)")
    }

    func testUpRecallsTheWholeBlockAndRunsItAgain() throws {
        let t = try start()
        t.send("for i in range(2):\r")
        try t.expectPrompt("   ...:     ")
        t.send("print('line', i * 10)\r")
        try t.expectPrompt("   ...:     ")
        t.send("\r")
        let first = try t.expectPrompt("In [2]: ")
        XCTAssertTrue(first.contains("line 0\r\nline 10"), first)
        t.send("\u{1B}[A")
        try t.expect("print('line', i * 10)")
        t.send("\r")
        let again = try t.expectPrompt("In [3]: ")
        XCTAssertTrue(again.contains("line 0\r\nline 10"), again)
        t.send("\u{04}")
        XCTAssertEqual(t.waitForExit(timeout: 5), 0)
        let file = try String(contentsOf: home.appendingPathComponent(".tensorpad_history"), encoding: .utf8)
        XCTAssertEqual(file, "#tensorpad-history v2\nfor i in range(2):\\n    print('line', i * 10)\n")
    }

    func testMagicsAnywhereAndTimeitOptions() throws {
        let t = try start()
        paste(t, "x = 1\nt = torch.zeros(2, 3)\n%whos\n")
        let table = try t.expectPrompt("In [2]: ")
        XCTAssertTrue(table.contains("t          Tensor   torch.Size([2, 3]) float32 24 B"), table)
        XCTAssertTrue(table.contains("x          int      1"), table)
        t.send("def f(): return 2\r")
        try t.expectPrompt("In [3]: ")
        t.send("%timeit -n 10 -r 3 f()\r")
        let timing = try t.expectPrompt("In [4]: ")
        XCTAssertTrue(timing.contains(" per loop (mean ± std. dev. of 3 runs, 10 loops each)"), timing)
        t.send("%%time\r")
        try t.expectPrompt("   ...: ")
        t.send("z = 5\r")
        try t.expectPrompt("   ...: ")
        t.send("z * 2\r")
        try t.expectPrompt("   ...: ")
        t.send("\r")
        let timed = try t.expectPrompt("In [5]: ")
        XCTAssertTrue(timed.contains("CPU times: user ") && timed.contains("Wall time: "), timed)
        XCTAssertTrue(timed.contains("Out[4]: 10"), timed)
        t.send("%%timeit -n 5 -r 2\r")
        try t.expectPrompt("   ...: ")
        t.send("f()\r")
        try t.expectPrompt("   ...: ")
        t.send("\r")
        let cellTiming = try t.expectPrompt("In [6]: ")
        XCTAssertTrue(cellTiming.contains(" per loop (mean ± std. dev. of 2 runs, 5 loops each)"), cellTiming)
    }

    func testOutputHistoryNames() throws {
        let t = try start()
        t.send("6 * 7\r")
        try t.expect("Out[1]: 42")
        t.send("_ + 1\r")
        try t.expect("Out[2]: 43")
        t.send("__\r")
        try t.expect("Out[3]: 42")
        t.send("Out[2] * 2\r")
        try t.expect("Out[4]: 86")
        t.send("In[2]\r")
        try t.expect("Out[5]: '_ + 1'")
    }

    func testQuestionMarkAndShell() throws {
        let t = try start()
        t.send("nn.Conv2d?\r")
        let help = try t.expectPrompt("In [2]: ")
        XCTAssertTrue(help.contains("Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0"), help)
        XCTAssertTrue(help.contains("Shape:"), help)
        t.send("nn.Conv2d??\r")
        try t.expectPrompt("In [3]: ")
        try "x".write(to: home.appendingPathComponent("only-file-here.txt"), atomically: true, encoding: .utf8)
        t.send("!ls \(home.path)\r")
        let ls = try t.expectPrompt("In [4]: ")
        XCTAssertTrue(ls.contains("only-file-here.txt"), ls)
        t.send("names = !ls \(home.path)\r")
        try t.expectPrompt("In [5]: ")
        t.send("'only-file-here.txt' in names\r")
        try t.expect("Out[5]: True")
    }

    func testHelpOfConv2dTeachesTheShapeFormula() throws {
        let t = try start()
        t.send("help(nn.Conv2d)\r")
        let help = try t.expectPrompt("In [2]: ")
        XCTAssertTrue(help.contains("H_out = floor((H_in + 2*padding[0] - dilation[0]*(kernel_size[0] - 1) - 1) / stride[0] + 1)"), help)
        XCTAssertTrue(help.contains("padding_mode"), help)
        t.send("help(optim)\r")
        let optim = try t.expectPrompt("In [3]: ")
        XCTAssertTrue(optim.contains("module torch.optim"), optim)
    }

    /// Heat maps fit the terminal as it is now: after a resize, the new width.
    func testShowFollowsATerminalResize() throws {
        let t = try start()
        t.send("m = torch.arange(400.).reshape(4, 100)\r")
        try t.expectPrompt("In [2]: ")
        t.send("show(m, color=False)\r")
        let wide = try t.expectPrompt("In [3]: ")
        XCTAssertTrue(wide.contains("[4×100]\r\n"), wide)      // 132 columns: drawn whole
        t.resize(columns: 60, rows: 30)
        t.send("show(m, color=False)\r")
        let narrow = try t.expectPrompt("In [4]: ")
        XCTAssertTrue(narrow.contains("[4×100], shown at 1/2"), narrow)
        t.send("table(m[:2, :20])\r")
        let table = try t.expectPrompt("In [5]: ")
        let widest = table.components(separatedBy: "\r\n").filter { $0.hasPrefix("│") }.map(\.count).max() ?? 0
        XCTAssertTrue(table.contains("│ … │"), table)                 // columns left out to fit
        XCTAssertLessThanOrEqual(widest, 60, table)
        t.send("1 + 1\r")
        try t.expect("Out[5]: 2")                                // the prompt still edits after the resize
    }

    /// A history file of the older format (one typed line per line) is read and rewritten.
    func testOlderHistoryFileIsReadAndUpgraded() throws {
        let file = home.appendingPathComponent(".tensorpad_history")
        try "a = 1\nprint('back\\slash')\n".write(to: file, atomically: true, encoding: .utf8)
        let t = try start()
        t.send("\u{1B}[A")
        try t.expect("print('back\\slash')")
        t.send("\r")
        try t.expect("back\\slash")
        try t.expectPrompt("In [2]: ")
        t.send("\u{04}")
        XCTAssertEqual(t.waitForExit(timeout: 5), 0)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "#tensorpad-history v2\na = 1\nprint('back\\\\slash')\n")
    }
}
