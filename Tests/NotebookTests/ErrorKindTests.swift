import XCTest
import TestSupport

/// Every error kind of SPEC §9, from the command line: kind, PyTorch's or
/// Python's wording, the location and the carets, on stderr with status 1.
final class ErrorKindTests: XCTestCase {
    func expectError(_ code: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try TensorpadBinary.run(["-c", code])
        XCTAssertEqual(r.status, 1, file: file, line: line)
        XCTAssertEqual(r.stderr, expected + "\n", file: file, line: line)
    }

    func testSyntaxErrors() throws {
        try expectError("if True:\nprint(1)", """
        SyntaxError: expected an indented block after 'if' statement on line 1
          --> <string>:2:1 (cell 1, line 2)
           |
         2 | print(1)
           | ^^^^^
        """)
        try expectError("x = (1, 2", """
        SyntaxError: '(' was never closed
          --> <string>:1:5 (cell 1, line 1)
           |
         1 | x = (1, 2
           |     ^
        """)
        try expectError("x = 1 $ 2", """
        SyntaxError: invalid character '$' (U+0024)
          --> <string>:1:7 (cell 1, line 1)
           |
         1 | x = 1 $ 2
           |       ^
        """)
    }

    /// Issue 17: the carets span the operands' parentheses as CPython's do (`~~~~^~~`
    /// under `(1) / 0`), an iterator's own error is located at the iterable (CPython:
    /// "TypeError: 'int' object is not callable" on the `for` line), and an error inside
    /// `%time` in a notebook file names the file line, the cell line and the column.
    func testLocatedErrors() throws {
        try expectError("x = (1) / 0", """
        ZeroDivisionError: division by zero
          --> <string>:1:5 (cell 1, line 1)
           |
         1 | x = (1) / 0
           |     ^^^^^^^
        """)
        try expectError("for _ in filter(5, [1]):\n    pass", """
        TypeError: 'int' object is not callable
          --> <string>:1:10 (cell 1, line 1)
           |
         1 | for _ in filter(5, [1]):
           |          ^^^^^^^^^^^^^^
        """)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tp-time-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.tpad").path
        try "# %%\nx = 1\n# %%\nprint(x)\n%time y = x / 0\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try TensorpadBinary.run(["run", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, """
        ZeroDivisionError: division by zero
          --> \(path):5:11 (cell 2, line 2)
           |
         5 | %time y = x / 0
           |           ^^^^^
        
        """)
    }

    func testNameTypeValueIndexKeyZeroDivision() throws {
        try expectError("y = undefined_name + 1", """
        NameError: name 'undefined_name' is not defined
          --> <string>:1:5 (cell 1, line 1)
           |
         1 | y = undefined_name + 1
           |     ^^^^^^^^^^^^^^
        """)
        try expectError("c = nn.Conv2d(1, 8, 3, strid=2)", """
        TypeError: Conv2d() got an unexpected keyword argument 'strid'. Did you mean 'stride'?
          --> <string>:1:5 (cell 1, line 1)
           |
         1 | c = nn.Conv2d(1, 8, 3, strid=2)
           |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^
        """)
        try expectError("t = torch.ones(3)\nv = t.item()", """
        ValueError: a Tensor with 3 elements cannot be converted to Scalar
          --> <string>:2:5 (cell 1, line 2)
           |
         2 | v = t.item()
           |     ^^^^^^^^
        """)
        try expectError("t = torch.ones(2, 3)\nr = t[2]", """
        IndexError: index 2 is out of bounds for dimension 0 with size 2
          --> <string>:2:5 (cell 1, line 2)
           |
         2 | r = t[2]
           |     ^^^^
        """)
        try expectError("d = {'a': 1}\nd['b']", """
        KeyError: 'b'
          --> <string>:2:1 (cell 1, line 2)
           |
         2 | d['b']
           | ^^^^^^
        """)
        try expectError("print(1 / 0)", """
        ZeroDivisionError: division by zero
          --> <string>:1:7 (cell 1, line 1)
           |
         1 | print(1 / 0)
           |       ^^^^^
        """)
    }

    func testShapeErrorsInPyTorchsWords() throws {
        try expectError("conv = nn.Conv2d(3, 64, 7)\ny = conv(torch.zeros(1, 32, 256, 256))", """
        ShapeError: Given groups=1, weight of size [64, 3, 7, 7], expected input[1, 32, 256, 256] to have 3 channels, but got 32 channels instead
          --> <string>:2:5 (cell 1, line 2)
           |
         2 | y = conv(torch.zeros(1, 32, 256, 256))
           |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        """)
        try expectError("y = nn.Conv2d(1, 1, 3)(torch.zeros(1, 1, 2, 2))", """
        ShapeError: Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size
          --> <string>:1:5 (cell 1, line 1)
           |
         1 | y = nn.Conv2d(1, 1, 3)(torch.zeros(1, 1, 2, 2))
           |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        """)
    }

    func testRecursionMemoryAndIO() throws {
        let r = try TensorpadBinary.run(["-c", "def f(n):\n    return f(n + 1)\nf(0)"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("RecursionError: maximum recursion depth exceeded"), r.stderr)
        XCTAssertTrue(r.stderr.contains("[Previous line repeated"), r.stderr)
        let m = try TensorpadBinary.run(["-c", "x = torch.zeros((100000, 100000))"])
        XCTAssertEqual(m.status, 1)
        XCTAssertTrue(m.stderr.hasPrefix("MemoryError: zeros((100000, 100000)) needs 37.25 GiB, over the limit of "), m.stderr)
        XCTAssertTrue(m.stderr.contains(" --> <string>:1:5 (cell 1, line 1)"), m.stderr)
        let io = try TensorpadBinary.run(["-c", "%run /no/such/notebook.tpad"])
        XCTAssertEqual(io.status, 1)
        XCTAssertEqual(io.stderr, """
        FileNotFoundError: [Errno 2] No such file or directory: '/no/such/notebook.tpad'
          --> <string>:1:1 (cell 1, line 1)
           |
         1 | %run /no/such/notebook.tpad
           | ^^^^^^^^^^^^^^^^^^^^^^^^^^^

        """)
    }
}
