import XCTest
import Foundation
import TestSupport

/// The user's guide (docs/*.md) stays true: every `>>>` example and every
/// `$ command` in it runs through the built binary and must print exactly
/// what the guide shows.
///
/// - ```python blocks: `>>> code` (`... ` continues it) then the lines it prints.
///   All blocks of a file run in order in one session: one notebook, each
///   statement a cell, with a marker cell after each to split the output.
/// - ```console blocks: `$ command` (a quoted argument may span lines) then its
///   output (stdout and stderr), run by /bin/sh with `tensorpad` on PATH, in
///   one scratch folder per file.
final class GuideTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-guide-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    struct Example { var code: String; var expected: String; var line: Int }

    /// The fenced blocks of a Markdown text with their language and first line number.
    static func blocks(_ text: String) -> [(lang: String, lines: [String], line: Int)] {
        var out: [(String, [String], Int)] = []
        var current: (String, [String], Int)?
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("```") {
                if let c = current { out.append(c); current = nil } else { current = (String(line.dropFirst(3)), [], i + 2) }
            } else if current != nil {
                current?.1.append(String(line))
            }
        }
        return out
    }

    static func doctests(_ lines: [String], line: Int) -> [Example] {
        var out: [Example] = []
        var k = 0
        while k < lines.count {
            guard lines[k].hasPrefix(">>> ") else { k += 1; continue }
            let start = k
            var code = [String(lines[k].dropFirst(4))]
            k += 1
            while k < lines.count, lines[k].hasPrefix("... ") || lines[k] == "..." { code.append(String(lines[k].dropFirst(4))); k += 1 }
            var expected: [String] = []
            while k < lines.count, !lines[k].hasPrefix(">>> ") { expected.append(lines[k]); k += 1 }
            out.append(Example(code: code.joined(separator: "\n"), expected: expected.isEmpty ? "" : expected.joined(separator: "\n") + "\n",
                               line: line + start))
        }
        return out
    }

    static func commands(_ lines: [String], line: Int) -> [Example] {
        var out: [Example] = []
        var k = 0
        while k < lines.count {
            guard lines[k].hasPrefix("$ ") else { k += 1; continue }
            let start = k
            var cmd = [String(lines[k].dropFirst(2))]
            k += 1
            // A single-quoted argument that spans lines.
            while cmd.joined(separator: "\n").filter({ $0 == "'" }).count % 2 == 1, k < lines.count { cmd.append(lines[k]); k += 1 }
            var expected: [String] = []
            while k < lines.count, !lines[k].hasPrefix("$ ") { expected.append(lines[k]); k += 1 }
            out.append(Example(code: cmd.joined(separator: "\n"), expected: expected.isEmpty ? "" : expected.joined(separator: "\n") + "\n",
                               line: line + start))
        }
        return out
    }

    func testGuideExamplesRun() throws {
        let docs = TensorpadBinary.packageRoot.appendingPathComponent("docs")
        let files = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }.sorted()
        XCTAssertTrue(files.contains("guide.md"), "\(files)")
        var checked = 0
        for file in files {
            let text = try String(contentsOf: docs.appendingPathComponent(file), encoding: .utf8)
            let work = dir.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            let blocks = Self.blocks(text)
            let doctests = blocks.filter { $0.lang == "python" }.flatMap { Self.doctests($0.lines, line: $0.line) }
            checked += try runDoctests(doctests, file: file, in: work)
            for command in blocks.filter({ $0.lang == "console" }).flatMap({ Self.commands($0.lines, line: $0.line) }) {
                let got = try shell(command.code, in: work)
                XCTAssertEqual(got, command.expected, "\(file):\(command.line): $ \(command.code)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 30, "the guide's examples were not found")
    }

    func runDoctests(_ examples: [Example], file: String, in work: URL) throws -> Int {
        guard !examples.isEmpty else { return 0 }
        var nb = ""
        for (k, e) in examples.enumerated() { nb += "# %%\n\(e.code)\n# %%\nprint('@@guide \(k)@@')\n" }
        let r = try TensorpadBinary.run(["run", "-"], stdin: nb, directory: work)
        XCTAssertEqual(r.status, 0, "\(file): \(r.stderr)")
        var rest = Substring(r.stdout)
        for (k, e) in examples.enumerated() {
            let marker = "@@guide \(k)@@\n"
            guard let at = rest.range(of: marker) else { XCTFail("\(file):\(e.line): no output after >>> \(e.code)\n\(r.stderr)"); return k }
            XCTAssertEqual(String(rest[..<at.lowerBound]), e.expected, "\(file):\(e.line): >>> \(e.code)")
            rest = rest[at.upperBound...]
        }
        return examples.count
    }

    func shell(_ command: String, in work: URL) throws -> String {
        let exe = try XCTUnwrap(TensorpadBinary.url, "tensorpad is not built")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "exec 2>&1\n" + command]
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = exe.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["TENSORPAD_NO_PROGRESS"] = "1"
        p.environment = env
        p.currentDirectoryURL = work
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
