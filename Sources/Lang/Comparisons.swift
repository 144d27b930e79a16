import Syntax

/// `==`, `<`, `in`, `is` with Python's rules.
extension Interpreter {
    public func compare(_ op: CompareOp, _ a: Value, _ b: Value) throws -> Value {
        if (isHost(a) || isHost(b)), op != .isOp, op != .isNot, op != .inOp, op != .notIn,
           let r = try hooks.compare?(op, a, b) {
            return r
        }
        if op != .isOp, op != .isNot, op != .inOp, op != .notIn, Interpreter.isInstance(a) || Interpreter.isInstance(b) {
            if let r = try instanceCompare(op, a, b) { return r }
            if op != .eq && op != .ne { throw orderError(op, a, b) }
        }
        switch op {
        case .eq: return .bool(try equal(a, b))
        case .ne: return .bool(!(try equal(a, b)))
        case .lt: return .bool(try less(a, b, op))
        case .gt: return .bool(try less(b, a, op))
        case .le: return .bool(try !less(b, a, op))
        case .ge: return .bool(try !less(a, b, op))
        case .isOp: return .bool(identical(a, b))
        case .isNot: return .bool(!identical(a, b))
        case .inOp: return .bool(try contains(b, a))
        case .notIn: return .bool(!(try contains(b, a)))
        }
    }

    public func equal(_ a: Value, _ b: Value) throws -> Bool {
        if let i = integer(a), let j = integer(b) { return i == j }
        if let i = integer(a), case .float(let d) = b { return intFloatOrder(i, d) == 0 }
        if case .float(let d) = a, let j = integer(b) { return intFloatOrder(j, d) == 0 }
        if let x = number(a), let y = number(b) { return x == y }
        switch (a, b) {
        case (.none, .none), (.ellipsis, .ellipsis): return true
        case (.str(let s), .str(let t)): return HashKey.sameCodePoints(s, t)   // Python's rule: '\u00e9' != 'e\u0301'
        case (.list(let x), .list(let y)): return try x === y || nested { try elementsEqual(x.items, y.items) }
        case (.tuple(let x), .tuple(let y)): return try nested { try elementsEqual(x, y) }
        case (.size(let x), .size(let y)): return x == y
        case (.size, .tuple), (.tuple, .size):
            guard let x = try sizeItems(a), let y = try sizeItems(b) else { return false }
            return x == y
        case (.dict(let x), .dict(let y)):
            if x === y { return true }
            if x.count != y.count { return false }
            return try nested {
                for (k, v) in x.items {
                    guard let h = HashKey(k), let w = y.get(h), try (identical(v, w) || equal(v, w)) else { return false }
                }
                return true
            }
        case (.range(let x), .range(let y)): return x == y
        default:
            if Interpreter.isInstance(a) || Interpreter.isInstance(b), let r = try instanceCompare(.eq, a, b) {
                return try truth(r)
            }
            return identical(a, b)
        }
    }

    @inline(__always) static func isInstance(_ v: Value) -> Bool {
        if case .instance = v { return true }
        return false
    }

    /// A comparison by a user class's methods, as Python tries them: the left operand's
    /// (`a < b` asks `a.__lt__(b)`), else the right one's reflection (`b.__gt__(a)`; `__eq__` and
    /// `__ne__` reflect to themselves), and `!=` the negation of `__eq__` when no `__ne__` is
    /// defined. The result is what the method returned, as in Python; nil when neither operand
    /// defines one (`==` then compares identities, `<` raises).
    func instanceCompare(_ op: CompareOp, _ a: Value, _ b: Value) throws -> Value? {
        let (name, reflected): (String, String)
        switch op {
        case .lt: (name, reflected) = ("__lt__", "__gt__")
        case .le: (name, reflected) = ("__le__", "__ge__")
        case .gt: (name, reflected) = ("__gt__", "__lt__")
        case .ge: (name, reflected) = ("__ge__", "__le__")
        case .eq: (name, reflected) = ("__eq__", "__eq__")
        case .ne: (name, reflected) = ("__ne__", "__ne__")
        default: return nil
        }
        if Interpreter.isInstance(a), let m = try? getAttribute(a, name) { return try call(m, Arguments([b])) }
        if Interpreter.isInstance(b), let m = try? getAttribute(b, reflected) { return try call(m, Arguments([a])) }
        if op == .ne, let r = try instanceCompare(.eq, a, b) { return .bool(!(try truth(r))) }
        return nil
    }

    func elementsEqual(_ x: [Value], _ y: [Value]) throws -> Bool {
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) where try !(identical(p, q) || equal(p, q)) { return false }
        return true
    }


    public func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.none, .none), (.ellipsis, .ellipsis): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.str(let x), .str(let y)): return HashKey.sameCodePoints(x, y)
        case (.list(let x), .list(let y)): return x === y
        case (.dict(let x), .dict(let y)): return x === y
        case (.tuple(let x), .tuple(let y)): return x.isEmpty && y.isEmpty
        case (.function(let x), .function(let y)): return x === y
        case (.builtin(let x), .builtin(let y)): return x === y
        case (.tensor(let x), .tensor(let y)): return x === y
        case (.module(let x), .module(let y)): return x === y
        case (.object(let x), .object(let y)): return x === y
        case (.instance(let x), .instance(let y)): return x === y
        case (.classValue(let x), .classValue(let y)): return x === y
        case (.namespace(let x), .namespace(let y)): return x === y
        case (.iterator(let x), .iterator(let y)): return x === y
        default: return false
        }
    }

    /// "'<' not supported between instances of 'int' and 'str'", the operands in the order written.
    func orderError(_ op: CompareOp, _ a: Value, _ b: Value) -> LangError {
        typeError("'\(op.rawValue)' not supported between instances of '\(a.typeName)' and '\(b.typeName)'")
    }

    /// Whether `a` < `b`. `op` is the comparison written (`a > b` asks `less(b, a, .gt)`,
    /// `a <= b` asks `!less(b, a, .le)`), for the error's wording.
    func less(_ a: Value, _ b: Value, _ op: CompareOp) throws -> Bool {
        if let i = integer(a), let j = integer(b) { return i < j }
        if let i = integer(a), case .float(let d) = b { return intFloatOrder(i, d) == -1 }
        if case .float(let d) = a, let j = integer(b) { return intFloatOrder(j, d) == 1 }
        if let x = number(a), let y = number(b) { return x < y }
        switch (a, b) {
        case (.str(let s), .str(let t)): return s.unicodeScalars.lexicographicallyPrecedes(t.unicodeScalars)
        case (.list(let x), .list(let y)): return try nested { try sequenceLess(x.items, y.items, op) }
        case (.tuple(let x), .tuple(let y)): return try nested { try sequenceLess(x, y, op) }
        case (.size, .size), (.size, .tuple), (.tuple, .size):
            return try sequenceLess(toArray(a), toArray(b), op)
        default:
            // `sorted`, `min`, `max` and the items of lists and tuples ask a user class's `__lt__`.
            if Interpreter.isInstance(a) || Interpreter.isInstance(b), let r = try instanceCompare(.lt, a, b) {
                return try truth(r)
            }
            throw op == .gt || op == .le ? orderError(op, b, a) : orderError(op, a, b)
        }
    }

    func sequenceLess(_ x: [Value], _ y: [Value], _ op: CompareOp) throws -> Bool {
        for (p, q) in zip(x, y) where try !(identical(p, q) || equal(p, q)) { return try less(p, q, op) }
        return x.count < y.count
    }

    /// `item in container`.
    public func contains(_ container: Value, _ item: Value) throws -> Bool {
        switch container {
        case .str(let s):
            guard case .str(let t) = item else {
                throw typeError("'in <string>' requires string as left operand, not \(item.typeName)")
            }
            return t.isEmpty || s.contains(t)
        case .dict(let d):
            guard let h = HashKey(item) else { throw typeError("unhashable type: '\(item.typeName)'") }
            return d.get(h) != nil
        case .range(let r):
            guard let i = integer(item) else { return false }
            if r.step > 0 ? (i < r.start || i >= r.stop) : (i > r.start || i <= r.stop) { return false }
            return (i - r.start) % r.step == 0
        case .list(let box):
            for x in box.items where try (identical(x, item) || equal(x, item)) { return true }
            return false
        case .tuple(let items):
            for x in items where try (identical(x, item) || equal(x, item)) { return true }
            return false
        default:
            if isHost(container), let r = try hooks.compare?(CompareOp.inOp, item, container) { return try truth(r) }
            for x in try toArray(container) where try equal(x, item) { return true }
            return false
        }
    }
}

/// How the int `i` orders against the float `d`, exactly, as Python compares them (converting
/// `i` to a float would round past 2^53): −1, 0 or 1; nil when `d` is NaN.
func intFloatOrder(_ i: Int, _ d: Double) -> Int? {
    if d.isNaN { return nil }
    if i >= -(1 << 53) && i <= (1 << 53) {
        let x = Double(i)
        return x < d ? -1 : x > d ? 1 : 0
    }
    if d >= 9223372036854775808.0 { return -1 }
    if d < -9223372036854775808.0 { return 1 }
    let t = d.rounded(.down)   // an integer in Int's range
    let ti = Int(t)
    if i != ti { return i < ti ? -1 : 1 }
    return t == d ? 0 : -1
}
