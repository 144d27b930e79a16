import Foundation
import Syntax

/// Python semantics of the operators on values. Ints are 64-bit: an
/// overflowing result raises OverflowError instead of growing (documented
/// difference from CPython). Host values go through `registry.hooks`.
extension Interpreter {
    func isHost(_ v: Value) -> Bool {
        switch v {
        case .tensor, .module, .object, .instance: return true
        default: return false
        }
    }

    public func truth(_ v: Value) throws -> Bool {
        switch v {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .str(let s): return !s.isEmpty
        case .list(let b): return !b.items.isEmpty
        case .tuple(let t): return !t.isEmpty
        case .dict(let d): return d.count > 0
        case .range(let r): return r.count > 0
        case .size(let s): return !s.isEmpty
        case .tensor, .module, .object:
            if let b = try hooks.truth?(v) { return b }
            if case .tensor(let t) = v {
                if t.numel != 1 { throw valueError("Boolean value of Tensor with more than one value is ambiguous") }
                return try t.item() != 0
            }
            return true
        case .instance:
            if let m = try? getAttribute(v, "__bool__") { return try truth(try call(m, Arguments())) }
            if let m = try? getAttribute(v, "__len__") { return try truth(try call(m, Arguments())) }
            return true
        default: return true
        }
    }

    /// Numbers as Double when the other side is a float (bools count as ints).
    func number(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    func integer(_ v: Value) -> Int? {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    public func binary(_ op: BinaryOp, _ a: Value, _ b: Value) throws -> Value {
        if let i = integer(a), let j = integer(b) { return try intBinary(op, i, j) }
        if let x = number(a), let y = number(b) { return try floatBinary(op, x, y) }
        if isHost(a) || isHost(b) {
            if let r = try hooks.binary?(op, a, b) { return r }
            if let r = try instanceOperator(op, a, b) { return r }
        }
        switch (op, a, b) {
        case (.add, .str(let s), .str(let t)): return .str(s + t)
        case (.add, .list(let x), .list(let y)): return .list(ListBox(x.items + y.items))
        case (.add, .tuple(let x), .tuple(let y)): return .tuple(x + y)
        case (.add, .size, _), (.add, .tuple, .size):
            guard let l = try sizeItems(a), let r = try sizeItems(b) else { break }
            return .size(l + r)
        case (.mul, .str(let s), _), (.mul, _, .str(let s)):
            guard let n = integer(a) ?? integer(b) else { break }
            let (total, o) = s.utf8.count.multipliedReportingOverflow(by: Swift.max(n, 0))
            guard !o, total < 1 << 32 else { throw LangError(.MemoryError, "string repetition is too large") }
            try Budget.named("string repetition") { try Budget.string(total) }
            return .str(n <= 0 ? "" : String(repeating: s, count: n))
        case (.mul, .list(let x), _), (.mul, _, .list(let x)):
            guard let n = integer(a) ?? integer(b) else { break }
            return .list(ListBox(try repeated(x.items, n)))
        case (.mul, .tuple(let x), _), (.mul, _, .tuple(let x)):
            guard let n = integer(a) ?? integer(b) else { break }
            return .tuple(try repeated(x, n))
        case (.mod, .str(let s), _):
            return .str(try percentFormat(s, b))
        default: break
        }
        switch (op, a) {
        case (.add, .str): throw typeError("can only concatenate str (not \"\(b.typeName)\") to str")
        case (.add, .list): throw typeError("can only concatenate list (not \"\(b.typeName)\") to list")
        case (.add, .tuple): throw typeError("can only concatenate tuple (not \"\(b.typeName)\") to tuple")
        default:
            throw typeError("unsupported operand type(s) for \(op.rawValue): '\(a.typeName)' and '\(b.typeName)'")
        }
    }

    /// The ints of a Size or a tuple of ints (for `(1, 1) + x.shape`).
    func sizeItems(_ v: Value) throws -> [Int]? {
        switch v {
        case .size(let s): return s
        case .tuple(let t):
            var out: [Int] = []
            for x in t { guard let i = integer(x) else { return nil }; out.append(i) }
            return out
        default: return nil
        }
    }

    func repeated(_ items: [Value], _ n: Int) throws -> [Value] {
        if n <= 0 || items.isEmpty { return [] }
        let (total, o) = items.count.multipliedReportingOverflow(by: n)
        guard !o, total < 1 << 32 else {
            throw LangError(.MemoryError, "sequence repetition is too large")
        }
        try Budget.named("sequence repetition") { try Budget.items(total) }
        var out: [Value] = []
        out.reserveCapacity(items.count * n)
        for _ in 0..<n { out += items }
        return out
    }

    static let overflow = LangError(.OverflowError, "integer overflow (Tensorpad ints are 64-bit)")

    func intBinary(_ op: BinaryOp, _ i: Int, _ j: Int) throws -> Value {
        func checked(_ r: (partialValue: Int, overflow: Bool)) throws -> Value {
            if r.overflow { throw Interpreter.overflow }
            return .int(r.partialValue)
        }
        switch op {
        case .add: return try checked(i.addingReportingOverflow(j))
        case .sub: return try checked(i.subtractingReportingOverflow(j))
        case .mul: return try checked(i.multipliedReportingOverflow(by: j))
        case .div:
            if j == 0 { throw LangError(.ZeroDivisionError, "division by zero") }
            return .float(Double(i) / Double(j))
        case .floorDiv, .mod:
            if j == 0 { throw LangError(.ZeroDivisionError, op == .mod ? "integer modulo by zero" : "integer division or modulo by zero") }
            if i == Int.min && j == -1 { if op == .mod { return .int(0) }; throw Interpreter.overflow }
            var q = i / j, r = i % j
            if r != 0 && ((r < 0) != (j < 0)) { q -= 1; r += j }
            return .int(op == .floorDiv ? q : r)
        case .pow:
            if j < 0 {
                if i == 0 { throw LangError(.ZeroDivisionError, "0.0 cannot be raised to a negative power") }
                return .float(Foundation.pow(Double(i), Double(j)))
            }
            var result = 1, base = i, e = j
            while e > 0 {
                if e & 1 == 1 { result = try checked(result.multipliedReportingOverflow(by: base)).intValue }
                e >>= 1
                if e > 0 { base = try checked(base.multipliedReportingOverflow(by: base)).intValue }
            }
            return .int(result)
        case .bitAnd: return .int(i & j)
        case .bitOr: return .int(i | j)
        case .bitXor: return .int(i ^ j)
        case .lshift:
            if j < 0 { throw valueError("negative shift count") }
            if j >= 63 || (i << j) >> j != i { throw Interpreter.overflow }
            return .int(i << j)
        case .rshift:
            if j < 0 { throw valueError("negative shift count") }
            return .int(j >= 64 ? (i < 0 ? -1 : 0) : i >> j)
        case .matmul:
            throw typeError("unsupported operand type(s) for @: 'int' and 'int'")
        }
    }

    func floatBinary(_ op: BinaryOp, _ x: Double, _ y: Double) throws -> Value {
        switch op {
        case .add: return .float(x + y)
        case .sub: return .float(x - y)
        case .mul: return .float(x * y)
        case .div:
            if y == 0 { throw LangError(.ZeroDivisionError, "float division by zero") }
            return .float(x / y)
        case .floorDiv, .mod:
            if y == 0 { throw LangError(.ZeroDivisionError, op == .mod ? "float modulo" : "float floor division by zero") }
            let (floordiv, mod) = floatDivMod(x, y)
            return .float(op == .mod ? mod : floordiv)
        case .pow:
            if x == 0 && y < 0 { throw LangError(.ZeroDivisionError, "0.0 cannot be raised to a negative power") }
            if x < 0 && y != y.rounded() { throw valueError("math domain error (negative number to a fractional power)") }
            let r = Foundation.pow(x, y)
            if r.isInfinite && x.isFinite && y.isFinite { throw LangError(.OverflowError, "(34, 'Numerical result out of range')") }
            return .float(r)
        default:
            throw typeError("unsupported operand type(s) for \(op.rawValue): 'float' and 'float'")
        }
    }

    /// `a op= b`: lists extend in place, host values may update in place.
    public func inplace(_ op: BinaryOp, _ a: Value, _ b: Value) throws -> Value {
        if case .int(let i) = a, case .int(let j) = b { return try intBinary(op, i, j) }
        if case .float(let x) = a, let y = number(b) { return try floatBinary(op, x, y) }
        if op == .add, case .list(let box) = a {
            box.items += try toArray(b)
            return a
        }
        if isHost(a), let r = try hooks.inplace?(op, a, b) { return r }
        return try binary(op, a, b)
    }

    public func unary(_ op: UnaryOp, _ v: Value) throws -> Value {
        switch (op, v) {
        case (.not, _): return .bool(!(try truth(v)))
        case (.neg, .int(let i)):
            if i == Int.min { throw Interpreter.overflow }
            return .int(-i)
        case (.neg, .float(let d)): return .float(-d)
        case (.neg, .bool(let b)): return .int(b ? -1 : 0)
        case (.pos, .int), (.pos, .float): return v
        case (.pos, .bool(let b)): return .int(b ? 1 : 0)
        case (.invert, .int(let i)): return .int(~i)
        case (.invert, .bool(let b)): return .int(~(b ? 1 : 0))
        default:
            if isHost(v), let r = try hooks.unary?(op, v) { return r }
            throw typeError("bad operand type for unary \(op.rawValue): '\(v.typeName)'")
        }
    }

    /// `__add__`, `__mul__`, ... of user classes.
    func instanceOperator(_ op: BinaryOp, _ a: Value, _ b: Value) throws -> Value? {
        let names: [BinaryOp: String] = [.add: "add", .sub: "sub", .mul: "mul", .div: "truediv",
                                         .floorDiv: "floordiv", .mod: "mod", .pow: "pow", .matmul: "matmul"]
        guard let n = names[op] else { return nil }
        if case .instance = a, let m = try? getAttribute(a, "__\(n)__") { return try call(m, Arguments([b])) }
        if case .instance = b, let m = try? getAttribute(b, "__r\(n)__") { return try call(m, Arguments([a])) }
        return nil
    }
}

private extension Value {
    var intValue: Int { if case .int(let i) = self { return i }; return 0 }
}

/// `(x // y, x % y)` for floats, y ≠ 0: CPython's float_divmod.
func floatDivMod(_ x: Double, _ y: Double) -> (Double, Double) {
    var mod = fmod(x, y)
    var div = (x - mod) / y
    if mod != 0 {
        if (y < 0) != (mod < 0) { mod += y; div -= 1 }
    } else {
        mod = Foundation.copysign(0, y)
    }
    var floordiv: Double
    if div != 0 {
        floordiv = div.rounded(.down)
        if div - floordiv > 0.5 { floordiv += 1 }
    } else {
        floordiv = Foundation.copysign(0, x / y)
    }
    return (floordiv, mod)
}
