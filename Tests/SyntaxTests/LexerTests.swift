import XCTest
@testable import Syntax

final class LexerTests: XCTestCase {
    func kinds(_ s: String) throws -> [TokenKind] { try Lexer.tokenize(s).map(\.kind) }

    func testIndentDedent() throws {
        XCTAssertEqual(try kinds("if x:\n    y\nz\n"), [
            .keyword("if"), .name("x"), .op(":"), .newline, .indent, .name("y"), .newline, .dedent,
            .name("z"), .newline, .eof,
        ])
    }

    func testBlankLinesAndCommentsDoNotIndent() throws {
        XCTAssertEqual(try kinds("a\n\n   # comment\nb  # tail\n"), [.name("a"), .newline, .name("b"), .newline, .eof])
    }

    func testImplicitJoiningAndBackslash() throws {
        XCTAssertEqual(try kinds("f(1,\n  2)\nx = 1 + \\\n 2"), [
            .name("f"), .op("("), .int(1), .op(","), .int(2), .op(")"), .newline,
            .name("x"), .op("="), .int(1), .op("+"), .int(2), .newline, .eof,
        ])
    }

    func testNumbers() throws {
        XCTAssertEqual(try kinds("1e-3 0x1F 1_000 2.5 .5 5. 0b11 0o7 0"),
                       [.float(1e-3), .int(31), .int(1000), .float(2.5), .float(0.5), .float(5), .int(3), .int(7), .int(0), .newline, .eof])
    }

    func testStrings() throws {
        XCTAssertEqual(try kinds(#"'a\n' "b\"c" '''x'y''' r'\d'"#),
                       [.string("a\n"), .string("b\"c"), .string("x'y"), .string("\\d"), .newline, .eof])
    }

    func testFStringParts() throws {
        let t = try Lexer.tokenize("f'a{x:.3f}b{y!r}{{'")
        guard case .fstring(let parts) = t[0].kind else { return XCTFail("not an f-string") }
        XCTAssertEqual(parts.count, 5)
        XCTAssertEqual(parts[0], .literal("a"))
        if case .field(let src, let at, let conv, let spec, _) = parts[1] {
            XCTAssertEqual(src, "x"); XCTAssertNil(conv); XCTAssertEqual(spec, [.literal(".3f")])
            XCTAssertEqual(at, SourceRange(line: 1, column: 5, endLine: 1, endColumn: 6))
        } else { XCTFail() }
        if case .field(let src, _, let conv, _, _) = parts[3] { XCTAssertEqual(src, "y"); XCTAssertEqual(conv, "r") } else { XCTFail() }
        XCTAssertEqual(parts[4], .literal("{"))
    }

    func testRangesAreOneBasedWithEnd() throws {
        let t = try Lexer.tokenize("x = foo\n")
        XCTAssertEqual(t[2].range, SourceRange(line: 1, column: 5, endLine: 1, endColumn: 8))
    }

    func testLexicalErrors() {
        assertError("x = 'abc", "unterminated string literal (detected at line 1)", line: 1, column: 5)
        assertError("x = '''abc\n\n", "unterminated triple-quoted string literal (detected at line 3)", line: 1, column: 5)
        assertError("a = $b", "invalid character '$' (U+0024)", line: 1, column: 5)
        // CPython: a NUL anywhere (code, string, comment) is refused before tokenizing.
        assertError("x = 1\na\u{0}b", "source code cannot contain null bytes", line: 2, column: 2)
        assertError("x = 'a\u{0}'  # ok", "source code cannot contain null bytes", line: 1, column: 7)
        assertError("x = 1  # \u{0}", "source code cannot contain null bytes", line: 1, column: 10)
        assertError("x = [1,\n2,\n", "'[' was never closed", line: 1, column: 5)
        assertError("x = (1]", "closing parenthesis ']' does not match opening parenthesis '('", line: 1, column: 7)
        assertError("x = 1)", "unmatched ')'", line: 1, column: 6)
        assertError("if x:\n        a\n    b\n", "unindent does not match any outer indentation level", line: 3, column: 5)
        assertError("x = 012", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", line: 1, column: 5)
    }
}
