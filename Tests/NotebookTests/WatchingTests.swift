import XCTest
import Foundation
import TestSupport

/// `print(..., flush=True)` into a pipe and tqdm bars of `tensorpad run`
/// when stderr is not a terminal, through the built binary.
final class WatchingTests: XCTestCase {
    func testFlushReachesAPipeWhileTheRunGoesOn() throws {
        guard let exe = TensorpadBinary.url else { throw XCTSkip("tensorpad binary not built") }
        let p = Process()
        p.executableURL = exe
        p.arguments = ["-c", "import time\nprint('first', flush=True)\ntime.sleep(3)\nprint('second')"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let start = Date()
        let first = out.fileHandleForReading.availableData   // blocks until something arrives
        let waited = Date().timeIntervalSince(start)
        XCTAssertEqual(String(decoding: first, as: UTF8.self), "first\n")
        XCTAssertLessThan(waited, 2.5, "flush=True output arrived only after \(waited) s")
        XCTAssertTrue(p.isRunning)
        let rest = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(String(decoding: rest, as: UTF8.self), "second\n")
    }

    func testBarsWriteTheirFinalStateOnceToStderr() throws {
        let r = try TensorpadBinary.run(["-c", """
        from tqdm import tqdm
        total = 0
        for i in tqdm(range(235), desc='epoch 1'):
            total += i
        print(total)
        """])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "27495\n")
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 2, r.stderr)
        XCTAssertFalse(r.stderr.contains("\r"))
        XCTAssertTrue(r.stderr.hasPrefix("epoch 1: 100%|██████████| 235/235 [00:00<00:00, "), r.stderr)
        XCTAssertTrue(r.stderr.hasSuffix("it/s]\n"), r.stderr)
    }
}
