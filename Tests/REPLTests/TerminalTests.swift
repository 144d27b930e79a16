import Foundation
import XCTest
import TestSupport

/// The real `tensorpad` binary driven through a pseudo-terminal, as a user
/// at a keyboard drives it. Each test has its own HOME (for the history file).
final class TerminalTests: XCTestCase {
    var home: URL!
    var terminal: PseudoTerminal?

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-repl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    override func tearDown() {
        terminal?.close()     // kills the child if a test failed half-way
        terminal = nil
        try? FileManager.default.removeItem(at: home)
    }

    /// Starts the REPL and waits for its first prompt.
    func start() throws -> PseudoTerminal {
        let exe = try TensorpadBinary.required()
        let env = ["HOME": home.path, "TERM": "xterm", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                   "TENSORPAD_THREADS": "2", "TENSORPAD_NO_PROGRESS": "1"]
        let t = try PseudoTerminal(executable: exe.path, environment: env)
        terminal = t
        let banner = try t.expectPrompt("In [1]: ")
        XCTAssertTrue(banner.contains("Tensorpad "), banner)
        XCTAssertTrue(banner.contains("help()"), banner)
        return t
    }

    func testMultiLineDefTypedAndCalled() throws {
        let t = try start()
        // The body's indentation is offered (auto-indent, as in IPython): type the code only.
        t.send("def f(x):\r")
        try t.expectPrompt("   ...: ")
        t.send("y = x * 2\r")
        try t.expectPrompt("   ...: ")
        t.send("return y + 1\r")
        try t.expectPrompt("   ...: ")
        t.send("\r")
        try t.expectPrompt("In [2]: ")
        t.send("f(20)\r")
        try t.expect("Out[2]: 41")
        try t.expectPrompt("In [3]: ")
    }

    func testTabCompletesLayerNameAndKeyword() throws {
        let t = try start()
        t.send("nn.Conv\t\t")
        let listing = try t.expect("ConvTranspose2d")
        XCTAssertTrue(listing.contains("Conv2d"), listing)
        t.send("2d(3, 8, ker\t")
        try t.expect("nel_size=")     // "ker" was typed; Tab adds the rest
        t.send("3)\r")
        try t.expect("Out[1]: Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))")
        try t.expectPrompt("In [2]: ")
    }

    func testErrorThenEarlierVariableStillThere() throws {
        let t = try start()
        t.send("a = 5\r")
        try t.expectPrompt("In [2]: ")
        t.send("b = a / 0\r")
        let err = try t.expectPrompt("In [3]: ")
        XCTAssertTrue(err.contains("ZeroDivisionError: division by zero"), err)
        XCTAssertTrue(err.contains("In [2], line 1"), err)
        t.send("a + 1\r")
        try t.expect("Out[3]: 6")
    }

    func testCtrlCInterruptsRunningCellAndKeepsVariables() throws {
        let t = try start()
        t.send("x = 7\r")
        try t.expectPrompt("In [2]: ")
        t.send("while True: pass\r")
        try t.expect("while True: pass\r\n")
        Thread.sleep(forTimeInterval: 0.3)          // let the loop get going
        XCTAssertFalse(t.pending.contains("In [3]"), "the loop ended by itself")
        let sent = Date()
        t.send("\u{03}")
        let out = try t.expectPrompt("In [3]: ", timeout: 5)
        let latency = Date().timeIntervalSince(sent)
        XCTAssertTrue(out.contains("KeyboardInterrupt"), out)
        XCTAssertLessThan(latency, 1.0, "back at the prompt after \(latency) s")
        print("Ctrl-C to prompt: \(Int(latency * 1000)) ms")
        t.send("x\r")
        try t.expect("Out[3]: 7")
    }

    func testCtrlCAtPromptClearsTheLine() throws {
        let t = try start()
        t.send("y = 3\r")
        try t.expectPrompt("In [2]: ")
        t.send("undefined_name + ")
        try t.expect("undefined_name + ")
        t.send("\u{03}")
        try t.expect("^C")
        try t.expectPrompt("In [2]: ", timeout: 2)
        t.send("y\r")
        try t.expect("Out[2]: 3")
        // inside a block: the whole block goes
        t.send("for i in range(3):\r")
        try t.expectPrompt("   ...: ")
        t.send("\u{03}")
        try t.expectPrompt("In [3]: ", timeout: 2)
        t.send("y + 1\r")
        try t.expect("Out[3]: 4")
    }

    func testWhosListsTensorShape() throws {
        let t = try start()
        t.send("t = torch.zeros(2, 3)\r")
        try t.expectPrompt("In [2]: ")
        t.send("conv = nn.Conv2d(3, 8, 3)\r")
        try t.expectPrompt("In [3]: ")
        t.send("%whos\r")
        let table = try t.expectPrompt("In [4]: ")
        XCTAssertTrue(table.contains("Variable"), table)
        XCTAssertTrue(table.contains("torch.Size([2, 3])"), table)
        XCTAssertTrue(table.contains("224 parameters"), table)
    }

    func testHistoryFileAfterCtrlD() throws {
        let t = try start()
        t.send("z = 41\r")
        try t.expectPrompt("In [2]: ")
        t.send("print(z + 1)\r")
        try t.expect("42")
        try t.expectPrompt("In [3]: ")
        t.send("\u{04}")
        XCTAssertEqual(t.waitForExit(timeout: 5), 0, t.pending)
        let text = try String(contentsOf: home.appendingPathComponent(".tensorpad_history"), encoding: .utf8)
        XCTAssertEqual(text, "#tensorpad-history v2\nz = 41\nprint(z + 1)\n")

        // The next session loads it: Up recalls the last line.
        let t2 = try start()
        t2.send("\u{1b}[A")
        try t2.expect("print(z + 1)")
        t2.send("\u{15}\u{04}")       // Ctrl-U clears the line, Ctrl-D exits
        XCTAssertEqual(t2.waitForExit(timeout: 5), 0)
    }

    func testTimeMagicAndHelp() throws {
        let t = try start()
        t.send("%time s = sum(range(1000))\r")
        let out = try t.expectPrompt("In [2]: ")
        XCTAssertTrue(out.contains("CPU times: user "), out)
        XCTAssertTrue(out.contains("Wall time: "), out)
        t.send("help(nn.Conv2d)\r")
        let help = try t.expectPrompt("In [3]: ")
        XCTAssertTrue(help.contains("Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0"), help)
    }
}
