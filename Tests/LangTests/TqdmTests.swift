import XCTest
@testable import Lang

/// `tqdm` bars through an injected console: a fixed clock, live (terminal)
/// or final-state-only output, exact text as tqdm writes it.
final class TqdmTests: XCTestCase {
    struct Case { let name, program, stdout, stream: String }

    /// Tqdm's own output for the same programs (gen/tqdm_streams.json, made by gen/make_tqdm_streams.py).
    func cases() throws -> [Case] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("gen/tqdm_streams.json")
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let list = try XCTUnwrap(root["cases"] as? [[String: String]])
        return list.map { Case(name: $0["name"] ?? "", program: $0["program"] ?? "", stdout: $0["stdout"] ?? "", stream: $0["stream"] ?? "") }
    }

    /// Runs `source` (with `tqdm`, `trange` imported) on a clock that only `tick(dt)` advances.
    func run(_ source: String, live: Bool, columns: Int? = nil) throws -> (out: String, bars: String) {
        var now = 100.0
        let tick: (Registry) -> Void = { r in
            r.register(path: "tick", signature: Signature("tick", [Param("dt")], doc: "Advances the test clock.")) { a in
                now += try a.double(0); return .none
            }
        }
        let interp = Interpreter(registry: Registry(installers: Registry.defaultInstallers + [tick]))
        var out = "", bars = ""
        interp.output = { out += $0 }
        interp.console = Console(progress: { bars += $0 }, live: live, columns: columns, clock: { now })
        try interp.run("from tqdm import tqdm, trange\n" + source)
        interp.closeProgressBars()
        return (out, bars)
    }

    func testOnATerminalTheStreamIsTqdms() throws {
        let all = try cases()
        XCTAssertGreaterThanOrEqual(all.count, 9)
        for c in all {
            let r = try run(c.program, live: true)
            XCTAssertEqual(r.out, c.stdout, c.name)
            XCTAssertEqual(r.bars, c.stream, c.name)
        }
    }

    func testNotATerminalWritesOnlyTheFinalState() throws {
        for c in try cases() where !c.stream.contains("\u{1B}[A") {   // one bar at a time (nested ones below)
            let r = try run(c.program, live: false)
            XCTAssertEqual(r.out, c.stdout, c.name)
            // tqdm's last drawing (the overall rate) is the one line written; none when leave=False.
            let last = c.stream.components(separatedBy: "\r").last ?? ""
            XCTAssertEqual(r.bars, last, c.name)
            XCTAssertEqual(r.bars.filter { $0 == "\n" }.count, last.isEmpty ? 0 : 1, c.name)
        }
    }

    func testNestedBarsNotOnATerminal() throws {
        let all = try cases()
        // Inner bars cleared (leave=False): only the outer bar's final state.
        let cleared = try XCTUnwrap(all.first { $0.name == "nested_inner_cleared" })
        XCTAssertEqual(try run(cleared.program, live: false).bars, cleared.stream.components(separatedBy: "\r").last)
        // Inner bars left: each inner bar's final line (as tqdm drew it at close), then the outer's.
        let left = try XCTUnwrap(all.first { $0.name == "nested_inner_left" })
        let segments = left.stream.components(separatedBy: "\r")
        let inner = try XCTUnwrap(segments.first { $0.hasPrefix("batch: 100%") && $0.hasSuffix("\n") })
        XCTAssertEqual(try run(left.program, live: false).bars, inner + inner + (segments.last ?? ""))
    }

    func testTerminalBarFillsTheWidth() throws {
        let r = try run("for i in trange(2): tick(1)", live: true, columns: 40)
        let last = r.bars.split(separator: "\r").last.map(String.init) ?? ""
        XCTAssertEqual(last, "100%|█████| 2/2 [00:02<00:00,  1.00it/s]\n")
        XCTAssertEqual(last.count, 41)
    }

    func testDisabledAndAttributes() throws {
        var r = try run("print(list(tqdm('ab', disable=True)))", live: true)
        XCTAssertEqual(r.out, "['a', 'b']\n")
        XCTAssertEqual(r.bars, "")
        r = try run("import tqdm as t\nb = t.tqdm(total=4.5)\nb.update(0.5)\nprint(b.n, b.total, b.desc)\nb.close()", live: false)
        XCTAssertEqual(r.out, "0.5 4.5 \n")
    }

    func testErrors() {
        XCTAssertEqual(errorLine("from tqdm import tqdm\ntqdm(range(3), unit_scale=True)"),
                       "NotImplementedError: tqdm(): unit_scale is not supported")
        XCTAssertEqual(errorLine("from tqdm import tqdm\nfor x in tqdm(total=3): pass"),
                       "TypeError: 'tqdm' object is not iterable (it was made without an iterable)")
        XCTAssertEqual(errorLine("from tqdm import tqdm\ntqdm(range(3), colr=1)"),
                       "TypeError: tqdm() got an unexpected keyword argument 'colr'. Did you mean 'ncols'?")
    }

    func testPrintFlushCallsTheConsole() throws {
        let interp = Interpreter()
        var events: [String] = []
        interp.output = { events.append("out:" + $0) }
        interp.console = Console(flush: { events.append("flush") })
        try interp.run("print('a')\nprint('b', flush=True)")
        XCTAssertEqual(events, ["out:a\n", "out:b\n", "flush"])
    }
}
