import Foundation
import XCTest
import TestSupport

/// The built kernel driven by real Jupyter clients (jupyter_client, nbclient,
/// jupyter console) through `kernel_driver.py`, which prints what it saw as
/// JSON. The Python env comes from `make test` (.venv-test); without it these
/// tests are skipped, except under CI=true where that is a failure.
final class KernelTests: XCTestCase {
    /// A scratch Jupyter world: the kernelspec installed by `tensorpad kernel install --prefix`.
    static let jupyter: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-kernel-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }()

    var environment: [String: String] {
        let d = KernelTests.jupyter.path
        return ["JUPYTER_PATH": d + "/share/jupyter", "JUPYTER_DATA_DIR": d + "/data",
                "JUPYTER_RUNTIME_DIR": d + "/runtime", "JUPYTER_CONFIG_DIR": d + "/config",
                "TENSORPAD_NO_PROGRESS": "1"]
    }

    static var python: String {
        ProcessInfo.processInfo.environment["TENSORPAD_TEST_PYTHON"]
            ?? TensorpadBinary.packageRoot.appendingPathComponent(".venv-test/bin/python").path
    }

    /// The Python with jupyter_client and nbclient, or a skip (a failure under CI=true).
    func requirePython() throws {
        let probe = try run(KernelTests.python, ["-c", "import jupyter_client, nbclient, nbformat, jupyter_console"])
        if probe.status != 0 {
            let why = "\(KernelTests.python) cannot import jupyter_client/nbclient/jupyter_console; `make test` creates .venv-test"
            throw Prerequisite.missing(why)
        }
    }

    override func setUpWithError() throws {
        try requirePython()
        let spec = KernelTests.jupyter.appendingPathComponent("share/jupyter/kernels/tensorpad/kernel.json")
        if !FileManager.default.fileExists(atPath: spec.path) {
            let r = try TensorpadBinary.run(["kernel", "install", "--prefix", KernelTests.jupyter.path], environment: environment)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
    }

    /// Runs one scenario of the driver; its JSON.
    func scenario(_ name: String, _ args: [String] = []) throws -> [String: Any] {
        let driver = TensorpadBinary.packageRoot.appendingPathComponent("Tests/KernelTests/kernel_driver.py").path
        let r = try run(KernelTests.python, [driver, name] + args)
        guard r.status == 0, let obj = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else {
            XCTFail("driver \(name) failed (\(r.status)):\n\(r.stderr)\n\(r.stdout)")
            throw "driver failed".error
        }
        return obj
    }

    // MARK: the scenarios

    func testKernelInfoNamesTheProtocolAndPython() throws {
        let d = try scenario("kernel_info")
        XCTAssertEqual(d["msg_type"] as? String, "kernel_info_reply")
        XCTAssertEqual(d["beating"] as? Bool, true)
        let c = try XCTUnwrap(d["content"] as? [String: Any])
        XCTAssertEqual(c["status"] as? String, "ok")
        XCTAssertEqual(c["protocol_version"] as? String, "5.3")
        XCTAssertEqual(c["implementation"] as? String, "tensorpad")
        let lang = try XCTUnwrap(c["language_info"] as? [String: Any])
        XCTAssertEqual(lang["name"] as? String, "python")
        XCTAssertEqual(lang["pygments_lexer"] as? String, "python")
        XCTAssertEqual(lang["codemirror_mode"] as? String, "python")
        XCTAssertEqual(lang["file_extension"] as? String, ".py")
    }

    func testExecuteStreamsPrintsShowsAnImageAndReturnsAValue() throws {
        let d = try scenario("execute")
        let first = try XCTUnwrap(d["first"] as? [String: Any])
        let iopub = try XCTUnwrap(first["iopub"] as? [[String: Any]])
        XCTAssertEqual(iopub.map { $0["type"] as? String ?? "" },
                       ["status", "execute_input", "stream", "stream", "display_data", "execute_result", "status"])
        XCTAssertEqual(text(iopub[1], "content", "execution_count") as? Int, 1)
        XCTAssertEqual(text(iopub[2], "content", "text") as? String, "first\n")
        // show() prints what it prints in `tensorpad -c` (a heat map in text), then its image follows
        let shown = try TensorpadBinary.run(["-c", "show(torch.arange(6.0).reshape(2, 3), color=False)"])
        XCTAssertEqual(shown.status, 0)
        XCTAssertFalse(shown.stdout.isEmpty)
        XCTAssertEqual(text(iopub[3], "content", "text") as? String, "second\n" + shown.stdout)
        // "first" arrived while the cell slept, not at the end
        let tFirst = try XCTUnwrap(iopub[2]["t"] as? Double), tReply = try XCTUnwrap(text(first, "reply", "t") as? Double)
        XCTAssertLessThan(tFirst, tReply - 0.4)
        XCTAssertEqual(iopub[4]["png_size"] as? [Int], [24, 16])   // a 2×3 map, 8 pixels a cell
        XCTAssertEqual(text(iopub[4], "content", "metadata", "image/png", "width") as? Int, 24)
        XCTAssertEqual(text(iopub[5], "content", "data", "text/plain") as? String, "tensor([[2., 2., 2.],\n        [2., 2., 2.]])")
        XCTAssertEqual(text(first, "reply", "content", "status") as? String, "ok")
        XCTAssertEqual(text(first, "reply", "content", "execution_count") as? Int, 1)

        // silent: nothing on IOPub but the status, the count unchanged
        let silent = try XCTUnwrap(d["silent"] as? [String: Any])
        XCTAssertEqual((silent["iopub"] as? [[String: Any]])?.map { $0["type"] as? String ?? "" }, ["status", "status"])
        XCTAssertEqual(text(silent, "reply", "content", "execution_count") as? Int, 1)

        let after = try XCTUnwrap(d["after"] as? [String: Any])
        XCTAssertEqual(text(after, "reply", "content", "execution_count") as? Int, 2)
        let streams = (after["iopub"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "stream" }
        XCTAssertEqual(streams.compactMap { text($0, "content", "text") as? String }, ["7\n"])
        XCTAssertEqual(text(after, "reply", "content", "user_expressions", "s", "data", "text/plain") as? String, "torch.Size([2, 3])")
        XCTAssertEqual(text(after, "reply", "content", "user_expressions", "bad", "ename") as? String, "NameError")

        let history = try XCTUnwrap(text(d, "history", "history") as? [[Any]])
        XCTAssertEqual(history.compactMap { $0[1] as? Int }, [1, 2])
        XCTAssertEqual(history.last?[2] as? String, "print(y)\nx.sum()")
    }

    func testErrorHasNameValueAndLocatedTraceback() throws {
        let d = try scenario("error")
        let err = try XCTUnwrap(d["error"] as? [String: Any])
        let published = (err["iopub"] as? [[String: Any]] ?? []).first { $0["type"] as? String == "error" }
        let traceback = ["IndexError: index 5 is out of bounds for dimension 0 with size 2",
                         "  --> In [2], line 2:5", "   |", " 2 | c = b[5]", "   |     ^^^^"]
        XCTAssertEqual(text(published, "content", "ename") as? String, "IndexError")
        XCTAssertEqual(text(published, "content", "evalue") as? String, "index 5 is out of bounds for dimension 0 with size 2")
        XCTAssertEqual(text(published, "content", "traceback") as? [String], traceback)
        XCTAssertEqual(text(err, "reply", "content", "status") as? String, "error")
        XCTAssertEqual(text(err, "reply", "content", "traceback") as? [String], traceback)
        // the session lives on
        let again = (d["again"] as? [String: Any])?["iopub"] as? [[String: Any]] ?? []
        XCTAssertEqual(again.first { $0["type"] as? String == "execute_result" }.flatMap { text($0, "content", "data", "text/plain") } as? String, "2")
        // Run All stops at the first error: the requests queued behind it are aborted
        XCTAssertEqual(d["run_all"] as? [String], ["ok", "error", "aborted", "aborted"])
        XCTAssertEqual(d["go_on"] as? [String], ["error", "ok"])
        XCTAssertEqual(text(d, "defined", "reply", "content", "status") as? String, "ok")
        XCTAssertEqual(text(d, "missing", "reply", "content", "evalue") as? String, "name 'queued_later' is not defined")
    }

    func testInterruptByMessageAndBySignalStopsTheLoopWithinASecond() throws {
        let d = try scenario("interrupt")
        for how in ["message", "signal"] {
            let r = try XCTUnwrap(d[how] as? [String: Any])
            XCTAssertLessThan(try XCTUnwrap(r["seconds"] as? Double), 1.0, how)
            XCTAssertEqual(text(r, "reply", "ename") as? String, "KeyboardInterrupt", how)
            XCTAssertEqual((r["errors"] as? [[String: Any]])?.count, 1, how)
        }
        XCTAssertEqual(d["alive"] as? Bool, true)
        let after = (d["after"] as? [String: Any])?["iopub"] as? [[String: Any]] ?? []
        XCTAssertEqual(after.first { $0["type"] as? String == "execute_result" }.flatMap { text($0, "content", "data", "text/plain") } as? String, "42")
        let shape = (d["shape"] as? [String: Any])?["iopub"] as? [[String: Any]] ?? []
        XCTAssertEqual(shape.first { $0["type"] as? String == "execute_result" }.flatMap { text($0, "content", "data", "text/plain") } as? String,
                       "torch.Size([3, 2])")
    }

    func testInputAsksTheClientOverTheStdinChannel() throws {
        let d = try scenario("stdin")
        XCTAssertEqual(text(d, "answered", "request", "type") as? String, "input_request")
        XCTAssertEqual(text(d, "answered", "request", "content", "prompt") as? String, "Your name: ")
        XCTAssertEqual(text(d, "answered", "request", "content", "password") as? Bool, false)
        XCTAssertEqual(text(d, "answered", "request", "parent") as? Bool, true)
        let iopub = text(d, "answered", "iopub") as? [[String: Any]] ?? []
        XCTAssertEqual(iopub.first { $0["type"] as? String == "stream" }.flatMap { text($0, "content", "text") } as? String, "hello Ada\n")
        XCTAssertEqual(iopub.first { $0["type"] as? String == "execute_result" }.flatMap { text($0, "content", "data", "text/plain") } as? String, "3")
        XCTAssertEqual(text(d, "refused", "reply", "content", "ename") as? String, "NotImplementedError")
        XCTAssertEqual(text(d, "refused", "reply", "content", "evalue") as? String,
                       "raw_input was called, but this frontend does not support input requests.")
        XCTAssertEqual(text(d, "interrupted", "ename") as? String, "KeyboardInterrupt")
        XCTAssertLessThan(d["interrupt_seconds"] as? Double ?? 99, 1.0)
        let after = text(d, "after", "iopub") as? [[String: Any]] ?? []
        XCTAssertEqual(after.first { $0["type"] as? String == "execute_result" }.flatMap { text($0, "content", "data", "text/plain") } as? String, "'Ada'")
    }

    func testCompletionUsesTheREPLsCompleterWithCursorPositions() throws {
        let d = try scenario("complete")
        func check(_ key: String, _ matches: [String], _ start: Int, _ end: Int, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertEqual(text(d, key, "matches") as? [String], matches, key, file: file, line: line)
            XCTAssertEqual(text(d, key, "cursor_start") as? Int, start, key, file: file, line: line)
            XCTAssertEqual(text(d, key, "cursor_end") as? Int, end, key, file: file, line: line)
        }
        check("conv", ["Conv1d", "Conv2d", "ConvTranspose1d", "ConvTranspose2d"], 3, 7)
        check("second_line", ["Conv1d", "Conv2d", "ConvTranspose1d", "ConvTranspose2d"], 9, 13)
        check("attr", ["weight"], 11, 14)
        check("keyword", ["padding=", "padding_mode="], 19, 23)
        check("middle", ["Conv1d", "Conv2d", "ConvTranspose1d", "ConvTranspose2d"], 3, 7)
    }

    func testInspectGivesTheHelpText() throws {
        let d = try scenario("inspect")
        // The same text help() prints in the REPL and in tensorpad -c.
        let printed = try TensorpadBinary.run(["-c", "help(nn.Conv2d)"])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        let help = printed.stdout.hasSuffix("\n") ? String(printed.stdout.dropLast()) : printed.stdout
        XCTAssertTrue(help.hasPrefix("Conv2d(in_channels, out_channels, kernel_size, stride=1"), help)
        XCTAssertTrue(help.contains("H_out = floor("), help)
        XCTAssertEqual(text(d, "name", "found") as? Bool, true)
        XCTAssertEqual(text(d, "name", "data", "text/plain") as? String, help)
        XCTAssertEqual(text(d, "in_call", "data", "text/plain") as? String, help)
        XCTAssertEqual(text(d, "unknown", "found") as? Bool, false)
    }

    func testIsCompleteFollowsTheParser() throws {
        let d = try scenario("is_complete")
        XCTAssertEqual(d["for i in range(3):"] as? [String: String], ["status": "incomplete", "indent": "    "])
        XCTAssertEqual(d["for i in range(3):\n    x = i"] as? [String: String], ["status": "incomplete", "indent": "    "])
        XCTAssertEqual(d["for i in range(3):\n    x = i\n"] as? [String: String], ["status": "complete"])
        XCTAssertEqual(d["x = (1,"] as? [String: String], ["status": "incomplete", "indent": ""])
        XCTAssertEqual(d["x = 1"] as? [String: String], ["status": "complete"])
        XCTAssertEqual(d["x = )"] as? [String: String], ["status": "invalid"])
    }

    func testRestartStartsAFreshSession() throws {
        let d = try scenario("restart")
        XCTAssertEqual(d["new_process"] as? Bool, true)
        XCTAssertEqual(text(d, "after", "reply", "content", "ename") as? String, "NameError")
        XCTAssertEqual(text(d, "after", "reply", "content", "execution_count") as? Int, 1)
        XCTAssertEqual(text(d, "fresh", "reply", "content", "status") as? String, "ok")
    }

    func testMessagesWithABadSignatureAreDroppedAndLogged() throws {
        let d = try scenario("bad_signature")
        XCTAssertEqual(d["answered"] as? Bool, false)
        XCTAssertEqual(text(d, "check", "reply", "content", "evalue") as? String, "name 'hacked' is not defined")
        let log = (d["stderr"] as? String ?? "").split(separator: "\n").map(String.init)
        XCTAssertEqual(log, Array(repeating: "tensorpad kernel: dropped a message on shell with a wrong or missing signature", count: 2))
    }

    func testAThousandQuickExecutesAreAnsweredInOrder() throws {
        let d = try scenario("stress", ["1000"])
        XCTAssertEqual(d["in_order"] as? Bool, true)
        XCTAssertEqual(d["counts_in_order"] as? Bool, true)
        XCTAssertEqual(d["results_match"] as? Bool, true)
        XCTAssertEqual(d["statuses"] as? [String], ["ok"])
    }

    func testAKernelWhoseLauncherDiesEndsItself() throws {
        let d = try scenario("orphan")
        XCTAssertEqual(d["running_before"] as? Bool, true)
        XCTAssertEqual(d["ended"] as? Bool, true)
        XCTAssertLessThan(d["seconds"] as? Double ?? 99, 2.0)
    }

    func testJupyterConsoleRunsCells() throws {
        let d = try scenario("console")
        XCTAssertEqual(d["status"] as? Int, 0, d["stderr"] as? String ?? "")
        let out = d["stdout"] as? String ?? ""
        XCTAssertTrue(out.contains("In [2]: tensor(6.)\n"), out)
        XCTAssertTrue(out.contains("Out[3]: tensor([0., 2., 4., 6.])"), out)
    }

    func testNbclientRunsEveryNotebookWithTheOutputsOfTensorpadRun() throws {
        let exe = try XCTUnwrap(TensorpadBinary.url).path
        let d = try scenario("notebooks", [exe, TensorpadBinary.packageRoot.path])
        let notebooks = try FileManager.default.contentsOfDirectory(atPath: TensorpadBinary.packageRoot.appendingPathComponent("Notebooks").path)
            .filter { $0.hasSuffix(".tpad") }
        XCTAssertEqual(Set(d.keys), Set(notebooks))
        for (name, value) in d {
            let nb = try XCTUnwrap(value as? [String: Any])
            XCTAssertEqual(nb["kernelspec"] as? String, "tensorpad", name)
            XCTAssertEqual(nb["run_status"] as? Int, 0, name)
            let batch = try XCTUnwrap(nb["batch"] as? [[String: Any]]), kernel = try XCTUnwrap(nb["kernel"] as? [[String: Any]])
            XCTAssertFalse(batch.isEmpty, name)
            XCTAssertEqual(batch.count, kernel.count, name)
            for (k, (b, c)) in zip(batch, kernel).enumerated() {
                XCTAssertEqual(b as NSDictionary, c as NSDictionary, "\(name), code cell \(k + 1)")
            }
        }
        XCTAssertGreaterThan((d["06-feature-maps.tpad"] as? [String: Any])?["kernel_images"] as? Int ?? 0, 0)
    }

    func testKernelspecListAndRemove() throws {
        let list = try TensorpadBinary.run(["kernel", "list"], environment: environment)
        XCTAssertEqual(list.status, 0)
        let dir = KernelTests.jupyter.appendingPathComponent("share/jupyter/kernels/tensorpad").path
        XCTAssertTrue(list.stdout.hasPrefix("Tensorpad kernelspecs:\n  tensorpad    \(dir)    ("), list.stdout)
        let spec = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/kernel.json"))) as? [String: Any]
        XCTAssertEqual(spec?["display_name"] as? String, "Tensorpad")
        XCTAssertEqual(spec?["interrupt_mode"] as? String, "message")
        let argv = spec?["argv"] as? [String] ?? []
        XCTAssertEqual(Array(argv.dropFirst()), ["kernel", "-f", "{connection_file}"])
        XCTAssertTrue(argv.first?.hasPrefix("/") ?? false)

        // a second one under another name, then removed
        let other = try TensorpadBinary.run(["kernel", "install", "--prefix", KernelTests.jupyter.path, "--name", "tp-extra"], environment: environment)
        XCTAssertEqual(other.status, 0, other.stderr)
        let removed = try TensorpadBinary.run(["kernel", "remove", "--name", "tp-extra"], environment: environment)
        XCTAssertEqual(removed.stdout, "Removed \(KernelTests.jupyter.path)/share/jupyter/kernels/tp-extra\n")
        let again = try TensorpadBinary.run(["kernel", "remove", "--name", "tp-extra"], environment: environment)
        XCTAssertEqual(again.status, 1)
        XCTAssertEqual(again.stderr, "tensorpad kernel remove: no Tensorpad kernelspec named 'tp-extra' (see `tensorpad kernel list`)\n")
        let bad = try TensorpadBinary.run(["kernel", "-f", "/nonexistent/kernel.json"], environment: environment)
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.stderr, "tensorpad kernel: cannot read the connection file /nonexistent/kernel.json\n")
        let none = try TensorpadBinary.run(["kernel"], environment: environment)
        XCTAssertEqual(none.status, 2)
        XCTAssertEqual(none.stderr, "tensorpad kernel: give the connection file with -f, or a subcommand (install, list, remove); see 'tensorpad kernel --help'\n")
    }

    // MARK: helpers

    func text(_ o: Any?, _ path: String...) -> Any? {
        var cur = o
        for key in path { cur = (cur as? [String: Any])?[key] }
        return cur
    }

    struct Output { let status: Int32; let stdout: String; let stderr: String }

    func run(_ exe: String, _ args: [String]) throws -> Output {
        guard FileManager.default.isExecutableFile(atPath: exe) else { return Output(status: 127, stdout: "", stderr: "\(exe) not found") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { box.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: String(decoding: box.data, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

extension String {
    var error: Error { KernelTestError(message: self) }
}

struct KernelTestError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
