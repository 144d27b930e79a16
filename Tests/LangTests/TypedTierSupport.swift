import XCTest
@testable import Lang
import TensorCore

/// Runs `source` with the typed tier on and off; both must print `expected`. With `typed`,
/// the tier must have finished at least one call (else the test would pass without it).
func checkTyped(_ source: String, _ expected: String, typed: Bool, file: StaticString = #filePath, line: UInt = #line) throws {
    for on in [true, false] {
        let interp = Interpreter()
        interp.typedTier = on
        var out = ""
        interp.output = { out += $0 }
        do { try interp.run(source) } catch let e as LangError { out += interp.render(e) }
        XCTAssertEqual(out, expected, "typed tier \(on ? "on" : "off")", file: file, line: line)
        if on && typed { XCTAssertGreaterThan(interp.typedRuns, 0, "the typed tier finished no call", file: file, line: line) }
        if !on { XCTAssertEqual(interp.typedRuns, 0, file: file, line: line) }
    }
}

/// The rendered error (or output) of `source` with the typed tier on, and its counters.
private func runTyped(_ source: String, on: Bool = true) -> (String, Interpreter) {
    let interp = Interpreter()
    interp.typedTier = on
    var out = ""
    interp.output = { out += $0 }
    do { try interp.run(source) } catch let e as LangError { out += interp.render(e) } catch { out += "\(error)" }
    return (out, interp)
}

/// Where the error `source` raises happened (the tier on): function, line and column.
private func place(_ source: String) -> String {
    let interp = Interpreter()
    interp.output = { _ in }
    do { try interp.run(source) } catch let e as LangError {
        guard let l = e.location else { return "no location" }
        return "\(l.function ?? "<module>") line \(l.range.line) col \(l.range.column)"
    } catch { return "\(error)" }
    return "no error"
}

/// Where the typed tier gives up, the ordinary path reruns the call: the same result or the
/// same located error as with the tier off.
final class TypedTierFallbackTests: XCTestCase {
    private func sameBothWays(_ source: String, contains: String, file: StaticString = #filePath, line: UInt = #line) -> Interpreter {
        let (on, interp) = runTyped(source)
        let (off, _) = runTyped(source, on: false)
        XCTAssertEqual(on, off, file: file, line: line)
        XCTAssertTrue(on.contains(contains), on, file: file, line: line)
        return interp
    }

    func testIntOverflowRaisesTheOrdinaryOverflowErrorInTheFunction() {
        let i = sameBothWays("""
            def power(b, n):
                x = 1
                for i in range(n):
                    x = x * b
                return x
            print(power(3, 10))
            print(power(3, 50))
            """, contains: "59049\nOverflowError: integer overflow (Tensorpad ints are 64-bit)")
        XCTAssertEqual(place("def f(x):\n    return x * x\nf(2 ** 40)"), "f line 2 col 12")
        XCTAssertEqual(i.typedRuns, 1)
        XCTAssertEqual(i.typedBails, 1)
    }

    func testZeroDivisorsRaiseWithTheirLocation() {
        _ = sameBothWays("def f(a, b):\n    return a // b\nprint(f(7, 2))\nf(1, 0)", contains: "ZeroDivisionError: integer division or modulo by zero")
        _ = sameBothWays("def f(a, b):\n    return a / b\nf(1.0, 0.0)", contains: "ZeroDivisionError: float division by zero")
        _ = sameBothWays("def f(a, b):\n    return a % b\nf(1.5, 0.0)", contains: "ZeroDivisionError: float modulo")
        XCTAssertEqual(place("def f(a, b):\n    return a // b\nf(1, 0)"), "f line 2 col 12")
    }

    func testDeepRecursionRaisesRecursionError() {
        let i = sameBothWays("""
            def down(n):
                return 0 if n == 0 else 1 + down(n - 1)
            print(down(500))
            down(5000)
            """, contains: "500\nRecursionError: maximum recursion depth exceeded")
        XCTAssertEqual(i.typedRuns, 1)
        // Without a base case: the limit, not a crash.
        _ = sameBothWays("def f(n):\n    return f(n + 1) + 1\nf(0)", contains: "RecursionError: maximum recursion depth exceeded")
    }

    func testARequestedStopEndsTypedLoopsAndCallsWithKeyboardInterrupt() {
        for source in ["def spin(n):\n    while n >= 0:\n        n += 1\n    return n\nspin(0)",
                       "def spin(n):\n    t = 0\n    for i in range(n):\n        t += i\n    return t\nspin(10 ** 15)",
                       "def f(n):\n    return 0 if n == 0 else f(n - 1) + f(n - 1)\nf(200)"] {
            let interp = Interpreter()
            var out = ""
            interp.output = { out += $0 }
            // Requested from another thread once the run is under way, as Ctrl-C is.
            let stopper = Thread { Thread.sleep(forTimeInterval: 0.2); Interrupt.requested = true }
            stopper.start()
            defer { Interrupt.requested = false }
            do { try interp.run(source); XCTFail("no interrupt: \(source)") } catch let e as LangError {
                XCTAssertEqual(e.kind, .KeyboardInterrupt, source)
            } catch { XCTFail("\(error)") }
            Interrupt.requested = false
            XCTAssertEqual(interp.typedBails, 1, source)
        }
    }

    func testACallChecksTheFunctionTheGlobalHoldsNow() throws {
        // The same def run again makes a new function; the caller's typed call must notice.
        let interp = Interpreter()
        var out = ""
        interp.output = { out += $0 }
        try interp.run("def g(x):\n    return x + 1\ndef f(x):\n    return g(x) * 2\nprint(f(1))")
        for k in 2...5 { try interp.run("def g(x):\n    return x + \(k)\nprint(f(1))") }
        XCTAssertEqual(out, "4\n6\n8\n10\n12\n")
        XCTAssertGreaterThanOrEqual(interp.typedRuns, 5)
    }

    func testMathPowerAndBuiltinsRunInTheTier() {
        for body in ["math.sqrt(x) + math.exp(-x) + math.log(x) + math.pi", "x ** 2 + 2 ** 3 + x ** 0.5",
                     "math.floor(x) + math.ceil(x) + abs(-x) + min(x, 1.0) + max(x, 2.0) + float(int(x))"] {
            let (text, i) = runTyped("import math\ndef f(x):\n    return \(body)\nf(2.5)\nf(4.0)")
            XCTAssertEqual(text, "", body)
            XCTAssertEqual(i.typedRuns, 2, body)
            XCTAssertEqual(i.typedBails, 0, body)
        }
        // `math` rebound: the check where it is read gives the call back to the ordinary path.
        let (text, i) = runTyped("import math\ndef f(x):\n    return math.sqrt(x)\nprint(f(4.0))\nmath = 3\nf(4.0)")
        XCTAssertTrue(text.hasPrefix("2.0\nAttributeError: 'int' object has no attribute 'sqrt'"), text)
        XCTAssertEqual(i.typedRuns, 1)
        XCTAssertEqual(i.typedBails, 1)
    }

    func testALargeBodyStaysOnTheOrdinaryPath() {
        let sum = (0..<TypedSource.maxNodes).map { _ in "x" }.joined(separator: " + ")
        let (text, i) = runTyped("def f(x):\n    return \(sum)\nprint(f(1))")
        XCTAssertEqual(text, "\(TypedSource.maxNodes)\n")
        XCTAssertEqual(i.typedRuns + i.typedBails, 0)
        let (small, j) = runTyped("def f(x):\n    return \(sum.prefix(397))\nprint(f(1))")
        XCTAssertEqual(small, "100\n")
        XCTAssertEqual(j.typedRuns, 1)
    }

    func testOnlyNumericArgumentsEnterTheTier() {
        let (text, i) = runTyped("def f(x):\n    return x + x\nprint(f(True), f('a'), f([1]))")
        XCTAssertEqual(text, "2 aa [1, 1]\n")
        XCTAssertEqual(i.typedRuns, 0)
        // A body outside the subset has no typed form at all.
        let (t2, i2) = runTyped("def f(x):\n    print(x)\n    return x\nf(1)")
        XCTAssertEqual(t2, "1\n")
        XCTAssertEqual(i2.typedRuns + i2.typedBails, 0)
    }
}
