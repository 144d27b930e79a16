import Foundation
import XCTest
import TestSupport

/// Progress bars and plots in the REPL on a real pseudo-terminal (132 columns):
/// the bar redraws one line with `\r` across the terminal's width, and
/// `plt.show()` draws a Braille chart.
final class WatchingTerminalTests: XCTestCase {
    var home: URL!
    var terminal: PseudoTerminal?

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    override func tearDown() {
        terminal?.close()
        terminal = nil
        try? FileManager.default.removeItem(at: home)
    }

    func testBarRedrawsInPlaceAndShowDrawsAChart() throws {
        let exe = try TensorpadBinary.required()
        let env = ["HOME": home.path, "TERM": "xterm", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "NO_COLOR": "1",
                   "TENSORPAD_THREADS": "2", "TENSORPAD_NO_PROGRESS": "1"]
        let t = try PseudoTerminal(executable: exe.path, environment: env)
        terminal = t
        try t.expectPrompt("In [1]: ")
        t.send("from tqdm import tqdm; import time\r")
        try t.expectPrompt("In [2]: ")
        t.send("for i in tqdm(range(8), desc='ep'): time.sleep(0.06)\r\r")
        let bar = try t.expectPrompt("In [3]: ")
        // Drawn at 0 %, redrawn (\r) as it goes, and left at 100 % on a line of its own.
        XCTAssertTrue(bar.contains("\rep:   0%|"), bar)
        let redraws = bar.components(separatedBy: "\rep: ").count - 1
        XCTAssertGreaterThanOrEqual(redraws, 4, bar)
        let final = try XCTUnwrap(bar.components(separatedBy: "\r").first { $0.hasPrefix("ep: 100%|") })
        XCTAssertEqual(final.count, 132, final)    // the bar fills the terminal's width
        XCTAssertTrue(final.hasSuffix("it/s]"), final)
        t.send("import matplotlib.pyplot as plt; plt.plot([0, 1, 4, 9]); plt.title('sq'); plt.show()\r")
        let chart = try t.expectPrompt("In [4]: ")
        XCTAssertTrue(chart.contains("sq"), chart)
        XCTAssertTrue(chart.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, chart)
        XCTAssertTrue(chart.contains("└"), chart)
        t.send("\u{4}")
        XCTAssertEqual(t.waitForExit(), 0)
    }

    /// Notebook 08 (shortened) through `%run` in the REPL: its bar redraws, its table
    /// prints, and its variables stay in the session afterwards.
    func testTrainingNotebookRunsInTheREPL() throws {
        let exe = try TensorpadBinary.required()
        let nb = home.appendingPathComponent("08-train-fashion-mnist.tpad")
        try FileManager.default.copyItem(at: TensorpadBinary.packageRoot.appendingPathComponent("Notebooks/08-train-fashion-mnist.tpad"), to: nb)
        let env = ["HOME": home.path, "TERM": "xterm", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "NO_COLOR": "1",
                   "TENSORPAD_THREADS": "2", "EPOCHS": "1", "SUBSET": "600"]
        let t = try PseudoTerminal(executable: exe.path, environment: env)
        terminal = t
        try t.expectPrompt("In [1]: ")
        t.send("%cd \(home.path)\r")
        try t.expectPrompt("In [2]: ")
        t.send("%run 08-train-fashion-mnist.tpad\r")
        let run = try t.expectPrompt("In [3]: ", timeout: 600)
        XCTAssertTrue(run.contains("600 training and 100 test images"), run)
        XCTAssertTrue(run.contains("\repoch 1/1:   0%|"), run)
        XCTAssertTrue(run.contains("epoch 1/1: 100%|"), run)
        XCTAssertTrue(run.contains("epoch     loss  train acc  test acc"), run)
        XCTAssertTrue(run.contains("<All keys matched successfully>"), run)
        t.send("len(history), final_acc == history[-1][2], type(net).__name__\r")
        let after = try t.expectPrompt("In [4]: ")
        XCTAssertTrue(after.contains("Out[3]: (1, True, 'Sequential')"), after)
        XCTAssertTrue(FileManager.default.fileExists(atPath: home.appendingPathComponent("fashion_curves.png").path))
        t.send("\u{4}")
        XCTAssertEqual(t.waitForExit(), 0)
    }
}
