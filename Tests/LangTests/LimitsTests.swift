import XCTest
@testable import Lang
import TensorCore

/// Issue 17's limits, in process, and the fuzzer's findings kept as regressions
/// (scripts/fuzz_programs.py). Expected text: CPython 3.11's where it has one.
final class LimitsTests: XCTestCase {
    func testFuzzFindings() {
        // CPython: 'a'.ljust(-2**31) == 'a' (a negative width is no '-' sign for the format spec).
        let i = Interpreter()
        var out = ""
        i.output = { out += $0 }
        XCTAssertEqual(errorLine(i, "print(repr('a'.ljust(-2**31)), repr('a'.center(-5, '*')), repr('ab'.rjust(1)))"), "no error")
        XCTAssertEqual(out, "'a' 'a' 'ab'\n")
        // `[0] * 2**31` trapped in the allocator past RAM; now the memory limit names it.
        let saved = Storage.limitBytes
        Storage.limitBytes = 1 << 30
        defer { Storage.limitBytes = saved }
        let gib = formatGiB((1 << 31) * MemoryLayout<Value>.stride)
        XCTAssertEqual(errorLine(Interpreter(), "x = [0] * 2**31"), "MemoryError: sequence repetition needs \(gib), over the limit of 1 GiB")
        XCTAssertEqual(errorLine(Interpreter(), "x = 'ab' * 2**30"), "MemoryError: string repetition needs 2 GiB, over the limit of 1 GiB")
        XCTAssertEqual(errorLine(Interpreter(), "x = f'{0:>{2**31}}'"), "MemoryError: format spec '>2147483648' needs 2 GiB, over the limit of 1 GiB")
        // Grid sizes past 64 bits wrapped (a "successful" save); a tensor shows by its shape.
        XCTAssertEqual(errorLine(Interpreter(), "save_grid(torch.ones(2, 2, 2), 'never.pgm', padding=2**62)"),
                       "MemoryError: save_grid(<tensor of shape [2, 2, 2]>, 'never.pgm', padding=4611686018427387904) needs 8589934592 GiB, over the limit of 1 GiB")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "never.pgm"))
    }

    func testRecursionLimitIsShared() {
        let i = Interpreter()
        var out = ""
        i.output = { out += $0 }
        defer { _ = try? i.run("import sys\nsys.setrecursionlimit(1000)") }
        XCTAssertEqual(errorLine(i, "import sys\nsys.setrecursionlimit(60)\nprint(sys.getrecursionlimit())\na = []\nfor k in range(100):\n    a = [a]\nx = repr(a)"),
                       "RecursionError: maximum recursion depth exceeded while getting the repr of an object")
        XCTAssertEqual(out, "60\n")
        XCTAssertEqual(errorLine(i, "def f(n):\n    return f(n - 1) if n else 0\nf(10)\nf(200)"), "RecursionError: maximum recursion depth exceeded")
    }

    func testDeepTupleNestsAreReleasedWithoutRecursion() {
        // Three million levels overflowed the 512 MiB stack when the last reference went
        // (here: a function's frame freed on return; rebinding a variable goes the same way).
        let program = """
            def f():
                b = ()
                for i in range(3000000):
                    b = (b,)
                return len(b)
            print(f())
            """
        XCTAssertEqual(try runProgram(program), "1\n")
    }

    func testIterationIsLazy() throws {
        // PyTorch makes one row: the loop over 2**40 rows of an expanded view ends at once.
        let start = Date()
        XCTAssertEqual(try runProgram("for r in torch.ones(1).expand(2**40):\n    break\nprint(r)"), "tensor(1.)\n")
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
    }

    func testDeepStructuresAreReleasedWithoutRecursion() {
        XCTAssertEqual(errorLine(Interpreter(), "a = []\nd = {}\nfor k in range(1000000):\n    a = [a, (a,)]\n    d = {0: d}\na = None\nd = None"), "no error")
    }
}
