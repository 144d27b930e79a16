import XCTest
import Foundation
import TestSupport

/// `print(..., flush=True)` into a pipe and tqdm bars of `tensorpad run`
/// when stderr is not a terminal, through the built binary.
final class WatchingTests: XCTestCase {
    func testFlushReachesAPipeWhileTheRunGoesOn() throws {
        let exe = try TensorpadBinary.required()
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

    func testShowInRunOutAttachesAPNG() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-show-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let nb = dir.appendingPathComponent("curves.tpad")
        try """
        # %% Loss
        import matplotlib.pyplot as plt
        plt.figure(figsize=(3, 2), dpi=100)
        plt.plot([3, 1, 2], label='loss')
        plt.legend()
        plt.show()
        # %%
        print('next')
        """.write(to: nb, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out.ipynb").path, report = dir.appendingPathComponent("r.md").path
        let r = try TensorpadBinary.run(["run", nb.path, "--out", out, "--report", report])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "next\n")    // stdout is not a terminal: no text chart
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let cells = try XCTUnwrap(json["cells"] as? [[String: Any]])
        let outputs = try XCTUnwrap(cells[0]["outputs"] as? [[String: Any]])
        XCTAssertEqual(outputs.count, 1)
        XCTAssertEqual(outputs[0]["output_type"] as? String, "display_data")
        let data = try XCTUnwrap(outputs[0]["data"] as? [String: Any])
        var b64 = data["image/png"] as? String ?? ""
        if let lines = data["image/png"] as? [String] { b64 = lines.joined() }
        let png = [UInt8](try XCTUnwrap(Data(base64Encoded: b64.replacingOccurrences(of: "\n", with: ""))))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func be32(_ i: Int) -> Int { Int(png[i]) << 24 | Int(png[i + 1]) << 16 | Int(png[i + 2]) << 8 | Int(png[i + 3]) }
        XCTAssertEqual(String(decoding: png[12..<16], as: UTF8.self), "IHDR")
        XCTAssertEqual(be32(16), 300)    // figsize × dpi
        XCTAssertEqual(be32(20), 200)
        XCTAssertTrue(FileManager.default.fileExists(atPath: report))
    }

    /// Jupyter's inline rule in a notebook run: a figure left open at the end
    /// of a cell is attached and closed; one saved in the cell is attached once, with its path.
    func testFiguresLeftOpenAreAttachedAtTheEndOfTheCell() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-inline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let nb = dir.appendingPathComponent("nb.tpad")
        try """
        # %%
        import matplotlib.pyplot as plt
        plt.plot([1, 2, 3]);
        # %%
        fig, ax = plt.subplots()
        ax.plot([3, 2])
        fig.savefig('saved.png')
        # %%
        print(plt.get_fignums())
        """.write(to: nb, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("o.ipynb").path
        let r = try TensorpadBinary.run(["run", nb.path, "--out", out], directory: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "[]\n")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let cells = try XCTUnwrap(json["cells"] as? [[String: Any]])
        let kinds = cells.map { ($0["outputs"] as? [[String: Any]] ?? []).map { o -> String in
            let data = o["data"] as? [String: Any] ?? [:]
            return (o["output_type"] as? String ?? "") + ":" + data.keys.sorted().joined(separator: ",")
        } }
        XCTAssertEqual(kinds, [["display_data:image/png"], ["display_data:image/png,text/plain"], ["stream:"]])
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("saved.png").path))
    }
}
