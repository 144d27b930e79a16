import XCTest
import Foundation
import Notebook
import Lang
import TestSupport

/// Issue 17's hostile inputs for what only a `Session` runs (the `lang` fuzz target does
/// not reach them): magics with absurd arguments, a timed statement that raises or does not
/// parse, and NUL characters in shell lines and paths (C would cut the text there).
final class HostileMagicTests: XCTestCase {
    func testHistoryRangesPastEveryCell() {
        let s = Session()
        _ = s.run("a = 1")
        _ = s.run("b = 2")
        XCTAssertEqual(s.run("%history 1-4611686018427387904").stdout, "a = 1\nb = 2\n")
        XCTAssertEqual(s.run("%history -n 2-9223372036854775807").stdout, "2: b = 2\n3: %history 1-4611686018427387904\n")
        XCTAssertEqual(s.run("%history 9223372036854775807").stdout, "")
        // Issue 17's reproducer: a located error (SPEC §9), the session alive.
        XCTAssertEqual(s.run("%history 1-2**62").errorText, """
        ValueError: %history: bad range '1-2**62' (use N, N-M)
          --> In [6], line 1:1
           |
         1 | %history 1-2**62
           | ^^^^^^^^^^^^^^^^
        """)
        XCTAssertEqual(s.run("%history 99999999999999999999").error?.description,
                       "ValueError: %history: bad range '99999999999999999999' (use N, N-M)")
        XCTAssertEqual(s.run("x = 1\n  \n%history 5-3  ").errorText, """
        ValueError: %history: bad range '5-3' (use N, N-M)
          --> In [8], line 3:1
           |
         3 | %history 5-3 \u{20}
           | ^^^^^^^^^^^^
        """)
        XCTAssertEqual(s.run("a + b").displayed, "3")
    }

    func testTimeitOfARaisingStatementPointsAtItsLine() {
        let s = Session()
        let r = s.run("x = 1\n%timeit -n1 -r1 1/0")
        XCTAssertEqual(r.error?.kind, .ZeroDivisionError)
        XCTAssertEqual(r.errorText, """
        ZeroDivisionError: division by zero
          --> In [1], line 2:17
           |
         2 | %timeit -n1 -r1 1/0
           |                 ^^^
        """)
        XCTAssertEqual(s.run("%timeit -n 9223372036854775807 -r 1 raise ValueError('no')").error?.description, "ValueError: no")
        XCTAssertEqual(s.run("%timeit -n 99999999999999999999 pass").error?.description,
                       "UsageError: %timeit: -n takes a positive integer, got '99999999999999999999'")
        // Inside a block, the magic's own line and columns.
        XCTAssertEqual(s.run("if x:\n    %timeit -r -1 pass").errorText, """
        UsageError: %timeit: -r takes a positive integer, got '-1'
          --> In [4], line 2:5
           |
         2 |     %timeit -r -1 pass
           |     ^^^^^^^^^^^^^^^^^^
        """)
        XCTAssertEqual(s.run("x").displayed, "1")
    }

    func testTimeOfASyntaxErrorPointsAtItsColumn() {
        let s = Session()
        XCTAssertEqual(s.run("%time 1 +").errorText, """
        SyntaxError: invalid syntax
          --> In [1], line 1:10
           |
         1 | %time 1 +
           |          ^
        """)
        XCTAssertEqual(s.run("%time").errorText, """
        SyntaxError: %time needs a statement, e.g. %time y = net(x)
          --> In [2], line 1:1
           |
         1 | %time
           | ^^^^^
        """)
        XCTAssertEqual(s.run("%%timeit -n1 -r1\n1 +").error?.kind, .SyntaxError)
        XCTAssertEqual(s.run("%time y = 3").error, nil)
        XCTAssertEqual(s.run("y").displayed, "3")
    }

    /// `!echo a\0b; echo c` ran `echo a` (the command was cut at the NUL); a path with a NUL
    /// named another file. Python refuses both: `ValueError: embedded null byte`.
    func testNulInShellLinesAndPathsIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nul-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = Session()
        let victim = dir.appendingPathComponent("victim").path
        let cells = ["!echo a\u{0}b; echo c", "x = !echo {chr(0)}c", "!touch \(victim)\u{0}.txt",
                     "%cd \(dir.path)\u{0}x", "%env TENSORPAD_NUL=a\u{0}b", "%load \(victim)\u{0}.py",
                     "%save \(victim)\u{0}.tpad", "%run \(victim)\u{0}.tpad", "%%writefile \(victim)\u{0}.py\nx = 1"]
        for cell in cells {
            let r = s.run(cell)
            XCTAssertEqual(r.error?.description, "ValueError: embedded null byte", cell.debugDescription)
            // Located on the line that holds the NUL (the first: `%%writefile`'s path).
            XCTAssertEqual(r.error?.location?.range.line, 1, cell.debugDescription)
            XCTAssertTrue(r.errorText?.contains("\n  --> In [\(r.executionCount)], line 1:1\n") == true, cell.debugDescription)
            XCTAssertEqual(r.stdout, "", cell.debugDescription)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: victim))
        XCTAssertNil(ProcessInfo.processInfo.environment["TENSORPAD_NUL"])
        XCTAssertEqual(s.run("x = !echo {1 + 1}c\nx").displayed, "['2c']")
    }

    /// Runs `text` as a notebook file with `tensorpad run`; returns the result and the file's path.
    func runNotebook(_ text: String) throws -> (TensorpadBinary.Result, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("magic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.tpad").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (try TensorpadBinary.run(["run", path], timeout: 60), path)
    }

    /// In a notebook file the error names the file's line, as a `%time` error does.
    func testTimeitErrorInAFileNamesTheFileLine() throws {
        let (r, path) = try runNotebook("# %%\nx = 1\n%timeit -n1 -r1 1/0\n")
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr, """
        ZeroDivisionError: division by zero
          --> \(path):3:17 (cell 1, line 2)
           |
         3 | %timeit -n1 -r1 1/0
           |                 ^^^

        """)
    }

    /// A magic's own error (a bad argument) in a notebook file names the file's line, the cell
    /// and the magic's line in it; the run stops there, as at any error.
    func testMagicErrorInAFileNamesTheFileLine() throws {
        let (r, path) = try runNotebook("# %%\nx = 1\n\n# %%\ny = 2\n%history 1-2**62\nprint('after')\n")
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, """
        ValueError: %history: bad range '1-2**62' (use N, N-M)
          --> \(path):6:1 (cell 2, line 2)
           |
         6 | %history 1-2**62
           | ^^^^^^^^^^^^^^^^

        """)
    }
}
