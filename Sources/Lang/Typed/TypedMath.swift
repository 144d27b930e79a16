import Foundation
import Syntax

/// `**` and the `math` module in the typed tier: `math.sqrt`, `exp`, `log` (one argument),
/// `sin`, `cos`, `tan`, `tanh`, `atan`, `fabs` (floats), `floor`, `ceil`, `trunc` (ints), and
/// the constants `pi`, `e`, `tau`, `inf`, with `math` the module `import math` bound (checked
/// where it is read). Where Python raises (a domain or range error, `0.0 ** -1`, a negative
/// number to a fractional power, a float too large for an int), the run gives up and the
/// ordinary path raises it.
extension TypedCodegen {
    static let mathFloats: Set<String> = ["sqrt", "exp", "log", "sin", "cos", "tan", "tanh", "atan", "fabs"]
    static let mathInts: Set<String> = ["floor", "ceil", "trunc"]
    static let mathConstants: [String: Double] = ["pi": Double.pi, "e": M_E, "tau": 2 * Double.pi, "inf": .infinity]

    /// The global `name` holding the `math` module, and a check that it still does.
    private func mathModule(_ name: String) throws -> () throws -> Void {
        guard case .global(let global) = source.scope.resolve(name), case .namespace(let ns)? = interp.globals.get(global),
              ns.path == "math" else { throw TypedIneligible() }
        let g = interp.globals, i = g.slot(global)
        return {
            guard case .namespace(let n)? = g.values[i], n === ns else { throw TypedBail() }
        }
    }

    /// The type of `math.f(args)`; nil while an argument's type is unknown.
    func mathCallType(_ module: String, _ f: String, _ args: [Expr]) throws -> TType? {
        _ = try mathModule(module)
        guard args.count == 1, TypedCodegen.mathFloats.contains(f) || TypedCodegen.mathInts.contains(f) else {
            throw TypedIneligible()
        }
        guard try typeOf(args[0]) != nil else { return nil }
        return TypedCodegen.mathInts.contains(f) ? .int : .float
    }

    func mathConstantType(_ module: String, _ name: String) throws -> TType {
        _ = try mathModule(module)
        guard TypedCodegen.mathConstants[name] != nil else { throw TypedIneligible() }
        return .float
    }

    func mathConstant(_ module: String, _ name: String) throws -> TFloat {
        let check = try mathModule(module)
        guard let v = TypedCodegen.mathConstants[name] else { throw TypedIneligible() }
        return TFloat { _ in try check(); return v }
    }

    func mathFloatCall(_ module: String, _ f: String, _ arg: Expr) throws -> TFloat {
        let check = try mathModule(module), x = try float(arg)
        /// math's rule: a NaN from a non-NaN, or an infinity from a finite value, is an error.
        func checked(_ op: @escaping (Double) -> Double) -> TFloat {
            TFloat { r in
                try check()
                let v = try x.get(r), y = op(v)
                if (y.isNaN && !v.isNaN) || (y.isInfinite && v.isFinite) { throw TypedBail() }
                return y
            }
        }
        switch f {
        case "sqrt":
            return TFloat { r in
                try check()
                let v = try x.get(r)
                if v < 0 { throw TypedBail() }
                return v.squareRoot()
            }
        case "log":
            return TFloat { r in
                try check()
                let v = try x.get(r)
                if v <= 0 { throw TypedBail() }
                return Foundation.log(v)
            }
        case "exp": return checked { Foundation.exp($0) }
        case "sin": return checked { Foundation.sin($0) }
        case "cos": return checked { Foundation.cos($0) }
        case "tan": return checked { Foundation.tan($0) }
        case "tanh": return TFloat { r in try check(); return Foundation.tanh(try x.get(r)) }
        case "atan": return TFloat { r in try check(); return Foundation.atan(try x.get(r)) }
        case "fabs": return TFloat { r in try check(); return Swift.abs(try x.get(r)) }
        default: throw TypedIneligible()
        }
    }

    func mathIntCall(_ module: String, _ f: String, _ arg: Expr) throws -> TInt {
        let check = try mathModule(module), x = try float(arg)
        let rule: FloatingPointRoundingRule
        switch f {
        case "floor": rule = .down
        case "ceil": rule = .up
        case "trunc": rule = .towardZero
        default: throw TypedIneligible()
        }
        return TInt { r in
            try check()
            let d = try x.get(r).rounded(rule)
            guard d > -9.2e18 && d < 9.2e18 else { throw TypedBail() }
            return Int(d)
        }
    }

    /// `i ** j` on ints, j ≥ 0 (a negative j makes a float: the ordinary path).
    static func intPower(_ i: Int, _ j: Int) throws -> Int {
        if j < 0 { throw TypedBail() }
        var result = 1, base = i, e = j
        while e > 0 {
            if e & 1 == 1 {
                let (v, o) = result.multipliedReportingOverflow(by: base)
                if o { throw TypedBail() }
                result = v
            }
            e >>= 1
            if e > 0 {
                let (v, o) = base.multipliedReportingOverflow(by: base)
                if o { throw TypedBail() }
                base = v
            }
        }
        return result
    }

    /// `x ** y` on floats, as `Interpreter.floatBinary` computes it where it does not raise.
    static func floatPower(_ x: Double, _ y: Double) throws -> Double {
        if x == 0 && y < 0 { throw TypedBail() }
        if x < 0 && y != y.rounded() { throw TypedBail() }
        let r = Foundation.pow(x, y)
        if r.isInfinite && x.isFinite && y.isFinite { throw TypedBail() }
        return r
    }
}
