import Foundation
import TensorCore

/// `int float str bool list tuple dict object`: types that are also callables.
func installConstructors(_ r: Registry) {
    func reg(_ name: String, _ params: [Param], kwargs: String? = nil, doc: String, _ body: @escaping (BoundArgs) throws -> Value) {
        r.register(path: name, signature: Signature(name, params, kwargs: kwargs, doc: doc), typeName: name, body: body)
    }
    reg("int", [Param("x", default: .int(0)), Param("base", default: .none)], doc: "An integer from a number or string.") { a in
        let i = a.interpreter
        switch a[0] {
        case .int(let v): return .int(v)
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d):
            return try truncated(d)
        case .str(let s):
            return .int(try Convert.parseInt(s, base: a[1].isNone ? 10 : try a.int(1)))
        default:
            if let d = try i.hooks.toDouble?(a[0]) { return try truncated(d) }
            if case .tensor(let t) = a[0] { return try truncated(try scalar(t)) }
            throw typeError("int() argument must be a string, a bytes-like object or a real number, not '\(a[0].typeName)'")
        }
    }
    reg("float", [Param("x", default: .float(0))], doc: "A float from a number or string.") { a in
        switch a[0] {
        case .float(let d): return .float(d)
        case .int(let v): return .float(Double(v))
        case .bool(let b): return .float(b ? 1 : 0)
        case .str(let s):
            let t = s.trimmingCharacters(in: " \t\n").lowercased()
            switch t {
            case "inf", "+inf", "infinity": return .float(.infinity)
            case "-inf", "-infinity": return .float(-.infinity)
            case "nan", "+nan", "-nan": return .float(.nan)
            default:
                guard let d = Double(t.replacingOccurrences(of: "_", with: "")) else {
                    throw valueError("could not convert string to float: \(Printing.quote(s))")
                }
                return .float(d)
            }
        default:
            if let d = try a.interpreter.hooks.toDouble?(a[0]) { return .float(d) }
            if case .tensor(let t) = a[0] { return .float(try scalar(t)) }
            throw typeError("float() argument must be a string or a real number, not '\(a[0].typeName)'")
        }
    }
    reg("str", [Param("object", default: .str(""))], doc: "The printable text of an object.") { a in .str(try a.interpreter.checkedStr(a[0])) }
    reg("bool", [Param("x", default: .bool(false))], doc: "The truth value.") { a in .bool(try a.interpreter.truth(a[0])) }
    reg("list", [Param("iterable", default: .tuple([]))], doc: "A new list.") { a in .list(ListBox(try a.interpreter.toArray(a[0]))) }
    reg("tuple", [Param("iterable", default: .tuple([]))], doc: "A new tuple.") { a in .tuple(try a.interpreter.toArray(a[0])) }
    reg("dict", [Param("iterable", default: .missing)], kwargs: "kwargs", doc: "A new dictionary.") { a in
        let d = DictBox()
        if !a.isMissing(0) {
            if case .dict(let other) = a[0] {
                for (k, v) in other.items { if let h = HashKey(k) { d.set(h, k, v) } }
            } else {
                for pair in try a.interpreter.toArray(a[0]) {
                    let kv = try a.interpreter.toArray(pair)
                    guard kv.count == 2 else {
                        throw valueError("dictionary update sequence element has length \(kv.count); 2 is required")
                    }
                    guard let h = HashKey(kv[0]) else { throw typeError("unhashable type: '\(kv[0].typeName)'") }
                    d.set(h, kv[0], kv[1])
                }
            }
        }
        for (k, v) in a.kwargs { d.set(.str(k), .str(k), v) }
        return .dict(d)
    }
    reg("object", [], doc: "The base of all classes.") { _ in .none }
}

/// The value of a one-element tensor.
func scalar(_ t: Tensor) throws -> Double {
    guard t.numel == 1 else {
        throw valueError("only one element tensors can be converted to Python scalars")
    }
    return try t.item()
}

/// `int(x)` of a float: toward zero, with Python's errors for nan/inf and ours past 64 bits.
func truncated(_ d: Double) throws -> Value {
    if d.isNaN { throw valueError("cannot convert float NaN to integer") }
    if d.isInfinite { throw LangError(.OverflowError, "cannot convert float infinity to integer") }
    guard Swift.abs(d) < 9.2e18 else { throw Interpreter.overflow }
    return .int(Int(d.rounded(.towardZero)))
}
