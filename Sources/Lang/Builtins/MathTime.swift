import Foundation

/// `math` and `time`, available after `import math` / `import time`.
func installMathAndTime(_ r: Registry) {
    func fn(_ name: String, _ doc: String, _ f: @escaping (Double) throws -> Value) {
        r.register(path: "math.\(name)", signature: Signature(name, [Param("x")], doc: doc)) { a in
            try f(try Convert.double(a[0], what: "x", in: name))
        }
    }
    func checked(_ d: Double, _ x: Double) throws -> Value {
        if d.isNaN && !x.isNaN { throw valueError("math domain error") }
        if d.isInfinite && x.isFinite { throw LangError(.OverflowError, "math range error") }
        return .float(d)
    }
    fn("sqrt", "Square root.") { x in
        if x < 0 { throw valueError("math domain error") }
        return .float(x.squareRoot())
    }
    fn("exp", "e ** x.") { x in try checked(Foundation.exp(x), x) }
    fn("floor", "The largest int <= x.") { x in try toInt(x.rounded(.down)) }
    fn("ceil", "The smallest int >= x.") { x in try toInt(x.rounded(.up)) }
    fn("trunc", "x truncated to an int.") { x in try toInt(x.rounded(.towardZero)) }
    fn("fabs", "Absolute value as a float.") { x in .float(Swift.abs(x)) }
    fn("sin", "Sine.") { x in try checked(Foundation.sin(x), x) }
    fn("cos", "Cosine.") { x in try checked(Foundation.cos(x), x) }
    fn("tan", "Tangent.") { x in try checked(Foundation.tan(x), x) }
    fn("tanh", "Hyperbolic tangent.") { x in .float(Foundation.tanh(x)) }
    fn("atan", "Arc tangent.") { x in .float(Foundation.atan(x)) }
    fn("log2", "Base-2 logarithm.") { x in
        if x <= 0 { throw valueError("math domain error") }
        return .float(Foundation.log2(x))
    }
    fn("log10", "Base-10 logarithm.") { x in
        if x <= 0 { throw valueError("math domain error") }
        return .float(Foundation.log10(x))
    }
    fn("isnan", "Whether x is NaN.") { x in .bool(x.isNaN) }
    fn("isinf", "Whether x is infinite.") { x in .bool(x.isInfinite) }
    fn("isfinite", "Whether x is finite.") { x in .bool(x.isFinite) }
    r.register(path: "math.log", signature: Signature("log", [Param("x"), Param("base", default: .none)],
                                                      doc: "Natural logarithm, or to the given base.")) { a in
        let x = try Convert.double(a[0], what: "x", in: "log")
        if x <= 0 { throw valueError("math domain error") }
        if a[1].isNone { return .float(Foundation.log(x)) }
        let b = try Convert.double(a[1], what: "base", in: "log")
        if b <= 0 || b == 1 { throw valueError("math domain error") }
        return .float(Foundation.log(x) / Foundation.log(b))
    }
    r.register(path: "math.pow", signature: Signature("pow", [Param("x"), Param("y")], doc: "x ** y as floats.")) { a in
        try a.interpreter.floatBinary(.pow, try a.double(0), try a.double(1))
    }
    r.register(path: "math.atan2", signature: Signature("atan2", [Param("y"), Param("x")], doc: "atan(y / x) in the right quadrant.")) { a in
        .float(Foundation.atan2(try a.double(0), try a.double(1)))
    }
    r.register(path: "math.isclose", signature: Signature("isclose", [Param("a"), Param("b")],
        keywordOnly: [Param("rel_tol", default: .float(1e-9)), Param("abs_tol", default: .float(0))], doc: "Whether a and b are close.")) { a in
        let x = try a.double(0), y = try a.double(1), rt = try a.double(2), at = try a.double(3)
        return .bool(x == y || Swift.abs(x - y) <= Swift.max(rt * Swift.max(Swift.abs(x), Swift.abs(y)), at))
    }
    r.register(path: "math.pi", value: .float(Double.pi))
    r.register(path: "math.e", value: .float(M_E))
    r.register(path: "math.tau", value: .float(2 * Double.pi))
    r.register(path: "math.inf", value: .float(.infinity))
    r.register(path: "math.nan", value: .float(.nan))

    r.register(path: "time.perf_counter", signature: Signature("perf_counter", doc: "A monotonic clock in seconds.")) { _ in
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return .float(Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9)
    }
    r.register(path: "time.time", signature: Signature("time", doc: "Seconds since the Epoch.")) { _ in
        .float(Date().timeIntervalSince1970)
    }
    r.register(path: "time.sleep", signature: Signature("sleep", [Param("secs")], doc: "Waits; Ctrl-C interrupts.")) { a in
        var left = try a.double(0)
        if left < 0 { throw valueError("sleep length must be non-negative") }
        while left > 0 {
            try a.interpreter.checkInterrupt()
            let step = Swift.min(left, 0.05)
            usleep(UInt32(step * 1e6))
            left -= step
        }
        return .none
    }
}

private func toInt(_ d: Double) throws -> Value {
    if d.isNaN { throw valueError("cannot convert float NaN to integer") }
    if d.isInfinite { throw LangError(.OverflowError, "cannot convert float infinity to integer") }
    guard Swift.abs(d) < 9.2e18 else { throw Interpreter.overflow }
    return .int(Int(d))
}

/// `ValueError("...")` and the other kinds, for `raise`.
func installExceptions(_ r: Registry) {
    for kind in ErrorKind.allCases where kind != .IOError {
        r.register(path: kind.rawValue, signature: Signature(kind.rawValue, varargs: "args", doc: "The \(kind.rawValue) exception."),
                   typeName: kind.rawValue) { a in
            // str(KeyError('k')) is the key's repr, as CPython prints it.
            let message = a.varargs.count == 1 ? (kind == .KeyError ? a.interpreter.repr(a.varargs[0]) : a.interpreter.str(a.varargs[0]))
                        : a.varargs.isEmpty ? "" : a.interpreter.repr(.tuple(a.varargs))
            return .object(ExceptionValue(kind: kind, message: message, args: a.varargs))
        }
    }
    r.register(path: "IOError", signature: Signature("OSError", varargs: "args", doc: "An alias of OSError."),
               typeName: "OSError") { a in
        let message = a.varargs.count == 1 ? a.interpreter.str(a.varargs[0])
                    : a.varargs.isEmpty ? "" : a.interpreter.repr(.tuple(a.varargs))
        return .object(ExceptionValue(kind: .OSError, message: message, args: a.varargs))
    }
}
