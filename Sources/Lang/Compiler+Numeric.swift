import Syntax

/// Unboxed numeric evaluation for the pure arithmetic of plain-Python loops.
///
/// An expression made only of int/float constants, local or global names, `+ - * / // %`,
/// unary minus and subscript chains of lists (`x[n][c][r][q]`, keys themselves numeric)
/// compiles a second time into a non-throwing `(Frame) -> Num?` closure tree: ints and
/// floats travel in registers, nothing is retained or boxed per step. It returns nil as soon
/// as anything is not an int or float (a tensor, a bool, an unbound name, a short list) or
/// an int operation would overflow or divide by zero; the caller then evaluates the
/// expression the ordinary way, which raises Python's error or runs the general operator.
/// Every part of the subset is free of side effects up to the point it gives up, so the
/// second evaluation observes nothing of the first.
enum Num {
    case int(Int)
    case float(Double)

    var value: Value {
        switch self {
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        }
    }
}

typealias NumEval = (Frame) -> Num?

/// A compiled numeric operand: a local slot or a constant read in place (a branch, not a
/// closure call), or any numeric closure.
final class NumNode {
    let slot: Int
    let constant: Num?
    let eval: NumEval

    init(slot: Int = -1, constant: Num? = nil, eval: @escaping NumEval) {
        self.slot = slot; self.constant = constant; self.eval = eval
    }

    @inline(__always) func get(_ f: Frame) -> Num? {
        if slot >= 0 { return numSlot(f.slots + slot) }
        if let constant { return constant }
        return eval(f)
    }
}

/// A compiled condition, boxed in a class: a closure returned inside an Optional would be
/// called through reabstraction thunks ever after.
final class NumCondition {
    let test: (Frame) throws -> Bool
    init(_ test: @escaping (Frame) throws -> Bool) { self.test = test }
}

/// Ints that convert to Double exactly, so mixed comparisons and true division agree with Python's.
@inline(__always) private func exactInDouble(_ i: Int) -> Bool { i >= -(1 << 53) && i <= (1 << 53) }

@inline(__always) func numBinary(_ op: BinaryOp, _ a: Num, _ b: Num) -> Num? {
    switch (a, b) {
    case (.int(let i), .int(let j)):
        switch op {
        case .add: let (s, o) = i.addingReportingOverflow(j); return o ? nil : .int(s)
        case .sub: let (s, o) = i.subtractingReportingOverflow(j); return o ? nil : .int(s)
        case .mul: let (s, o) = i.multipliedReportingOverflow(by: j); return o ? nil : .int(s)
        case .div:
            guard j != 0, exactInDouble(i), exactInDouble(j) else { return nil }
            return .float(Double(i) / Double(j))
        case .floorDiv:
            guard j != 0, !(i == .min && j == -1) else { return nil }
            let q = i / j
            return .int((i % j != 0 && (i < 0) != (j < 0)) ? q - 1 : q)
        case .mod:
            guard j != 0, !(i == .min && j == -1) else { return nil }
            let r = i % j
            return .int(r != 0 && (r < 0) != (j < 0) ? r + j : r)
        default: return nil
        }
    case (.float(let x), .float(let y)): return floatBinary(op, x, y)
    case (.float(let x), .int(let j)): return floatBinary(op, x, Double(j))
    case (.int(let i), .float(let y)): return floatBinary(op, Double(i), y)
    }
}

@inline(__always) private func floatBinary(_ op: BinaryOp, _ x: Double, _ y: Double) -> Num? {
    switch op {
    case .add: return .float(x + y)
    case .sub: return .float(x - y)
    case .mul: return .float(x * y)
    case .div: return y == 0 ? nil : .float(x / y)
    default: return nil
    }
}

/// `numBinary` with the int and float `+ - *` inline (a step of a left-to-right chain).
@inline(__always) func stepBinary(_ op: BinaryOp, _ a: Num, _ b: Num) -> Num? {
    if case .int(let i) = a, case .int(let j) = b {
        switch op {
        case .add: let (s, o) = i.addingReportingOverflow(j); return o ? nil : .int(s)
        case .sub: let (s, o) = i.subtractingReportingOverflow(j); return o ? nil : .int(s)
        case .mul: let (s, o) = i.multipliedReportingOverflow(by: j); return o ? nil : .int(s)
        default: break
        }
    } else if case .float(let x) = a, case .float(let y) = b {
        switch op {
        case .add: return .float(x + y)
        case .sub: return .float(x - y)
        case .mul: return .float(x * y)
        default: break
        }
    }
    return numBinary(op, a, b)
}

/// `stepBinary(op, a, .int(c))` for an int literal `c`: an int `a` with `+ - *`, and `%` or `//`
/// by a positive literal (no zero or −1 divisor to guard), computed here; anything else there.
@inline(__always) func constantStep(_ op: BinaryOp, _ a: Num, _ c: Int) -> Num? {
    if case .int(let i) = a {
        switch op {
        case .add: let (s, o) = i.addingReportingOverflow(c); return o ? nil : .int(s)
        case .sub: let (s, o) = i.subtractingReportingOverflow(c); return o ? nil : .int(s)
        case .mul: let (s, o) = i.multipliedReportingOverflow(by: c); return o ? nil : .int(s)
        case .mod where c > 0: let r = i % c; return .int(r < 0 ? r + c : r)
        case .floorDiv where c > 0: let q = i / c; return .int(i % c < 0 ? q - 1 : q)
        default: break
        }
    }
    return stepBinary(op, a, .int(c))
}

/// `a op b` on numbers as Python compares them; nil for an int too large to compare with a float exactly.
@inline(__always) func numCompare(_ op: CompareOp, _ a: Num, _ b: Num) -> Bool? {
    switch (a, b) {
    case (.int(let i), .int(let j)): return compareInts(op, i, j)
    case (.float(let x), .float(let y)): return compareDoubles(op, x, y)
    case (.float(let x), .int(let j)): return exactInDouble(j) ? compareDoubles(op, x, Double(j)) : nil
    case (.int(let i), .float(let y)): return exactInDouble(i) ? compareDoubles(op, Double(i), y) : nil
    }
}

@inline(__always) private func compareDoubles(_ op: CompareOp, _ x: Double, _ y: Double) -> Bool? {
    switch op {
    case .lt: return x < y
    case .le: return x <= y
    case .gt: return x > y
    case .ge: return x >= y
    case .eq: return x == y
    case .ne: return x != y
    default: return nil
    }
}

/// The number in a slot, read in place (no copy of the `Value`, so no outlined copy call).
@inline(__always) func numSlot(_ p: UnsafeMutablePointer<Value?>) -> Num? {
    if case .int(let i)? = p.pointee { return .int(i) }
    if case .float(let d)? = p.pointee { return .float(d) }
    return nil
}

/// The number in a list element, read in place.
@inline(__always) func numItem(_ p: UnsafePointer<Value>) -> Num? {
    if case .float(let d) = p.pointee { return .float(d) }
    if case .int(let i) = p.pointee { return .int(i) }
    return nil
}

/// Writes a number into a slot. When the slot holds nothing that owns memory (empty, an int,
/// a float, a bool, None), the new value is written over it without destroying the old one
/// (which would be an outlined destroy call per store).
@inline(__always) func storeNum(_ p: UnsafeMutablePointer<Value?>, _ x: Num) {
    switch p.pointee {
    case nil, .some(.int), .some(.float), .some(.bool), .some(.none): p.initialize(to: x.value)
    default: p.pointee = x.value
    }
}

/// `storeNum` for an int (a loop counter).
@inline(__always) func storeInt(_ p: UnsafeMutablePointer<Value?>, _ i: Int) {
    switch p.pointee {
    case nil, .some(.int), .some(.float), .some(.bool), .some(.none): p.initialize(to: .int(i))
    default: p.pointee = .int(i)
    }
}

/// The element `j` of a list (negative from the end), borrowed: neither the list nor its
/// buffer is retained. Only for walks during which nothing else runs (so nothing can change
/// the list); nil when `j` is out of range.
@inline(__always) func borrowedItem(_ box: Unmanaged<ListBox>, _ j: Int) -> UnsafeMutablePointer<Value>? {
    box._withUnsafeGuaranteedRef { b in
        let c = b.items.count
        let k = j < 0 ? j + c : j
        guard k >= 0, k < c, let base = b.items._baseAddressIfContiguous else { return nil }
        return base + k
    }
}

/// The list in a local's slot, borrowed; nil when the slot holds no list.
@inline(__always) func borrowedListSlot(_ p: UnsafeMutablePointer<Value?>) -> Unmanaged<ListBox>? {
    if case .list(let b)? = p.pointee { return Unmanaged.passUnretained(b) }
    return nil
}

/// The list in a list element, borrowed; nil when the element is not a list.
@inline(__always) func borrowedList(_ p: UnsafeMutablePointer<Value>) -> Unmanaged<ListBox>? {
    if case .list(let b) = p.pointee { return Unmanaged.passUnretained(b) }
    return nil
}

@inline(__always) func num(_ v: Value?) -> Num? {
    switch v {
    case .int(let i)?: return .int(i)
    case .float(let d)?: return .float(d)
    default: return nil
    }
}

extension Compiler {
    /// Whether the unboxed form pays: an operation or a subscript, not a bare name or constant.
    static func worthNumeric(_ e: Expr) -> Bool {
        switch e {
        case .binary, .index, .unary(.neg, _, _): return true
        default: return false
        }
    }

    /// The unboxed form of `e`, or nil when `e` is outside the pure numeric subset.
    func compileNumeric(_ e: Expr) -> NumNode? {
        switch e {
        case .int(let v, _): return NumNode(constant: .int(v)) { _ in .int(v) }
        case .float(let v, _): return NumNode(constant: .float(v)) { _ in .float(v) }
        case .name(let n, _):
            switch scope.resolve(n) {
            case .local(let s): return NumNode(slot: s) { f in num(f.slots[s]) }
            case .global(let name):
                let g = interp.globals, i = g.slot(name)
                return NumNode { _ in num(g.values[i]) }
            case .enclosing: return nil
            }
        case .unary(.neg, let x, _):
            guard let a = compileNumeric(x) else { return nil }
            return NumNode { f in
                switch a.get(f) {
                case .int(let i)?: return i == .min ? nil : .int(-i)
                case .float(let d)?: return .float(-d)
                case nil: return nil
                }
            }
        case .binary(let op, let x, let y, _):
            if let chain = compileNumericLeftChain(e) { return chain }
            guard [.add, .sub, .mul, .div, .floorDiv, .mod].contains(op),
                  let a = compileNumeric(x), let b = compileNumeric(y) else { return nil }
            switch op {
            // The common operators get their own closures: no switch on `op` per step.
            case .add:
                return NumNode { f in
                    guard let p = a.get(f), let q = b.get(f) else { return nil }
                    if case .float(let u) = p, case .float(let v) = q { return .float(u + v) }
                    if case .int(let i) = p, case .int(let j) = q {
                        let (s, o) = i.addingReportingOverflow(j)
                        return o ? nil : .int(s)
                    }
                    return numBinary(.add, p, q)
                }
            case .sub:
                return NumNode { f in
                    guard let p = a.get(f), let q = b.get(f) else { return nil }
                    if case .float(let u) = p, case .float(let v) = q { return .float(u - v) }
                    if case .int(let i) = p, case .int(let j) = q {
                        let (s, o) = i.subtractingReportingOverflow(j)
                        return o ? nil : .int(s)
                    }
                    return numBinary(.sub, p, q)
                }
            case .mul:
                return NumNode { f in
                    guard let p = a.get(f), let q = b.get(f) else { return nil }
                    if case .float(let u) = p, case .float(let v) = q { return .float(u * v) }
                    if case .int(let i) = p, case .int(let j) = q {
                        let (s, o) = i.multipliedReportingOverflow(by: j)
                        return o ? nil : .int(s)
                    }
                    return numBinary(.mul, p, q)
                }
            default:
                return NumNode { f in
                    guard let p = a.get(f), let q = b.get(f) else { return nil }
                    return numBinary(op, p, q)
                }
            }
        case .index:
            return compileNumericChain(e)
        case .call(.name("len", _), let args, _):
            return compileNumericLen(args)
        default:
            return nil
        }
    }

    /// `len(x)` of a local str or list, counted in place, while no global `len` hides the
    /// builtin; nil for anything else (the ordinary call then asks `__len__`, raises, ...).
    private func compileNumericLen(_ args: [Argument]) -> NumNode? {
        guard args.count == 1, case .positional(.name(let n, _)) = args[0], case .local(let s) = scope.resolve(n),
              case .global = scope.resolve("len"), case .builtin? = interp.builtins["len"] else { return nil }
        let g = interp.globals, lenSlot = g.slot("len")
        return NumNode { f in
            guard case nil = g.values[lenSlot] else { return nil }
            switch f.slots[s] {
            case .list(let box)?: return .int(box.items.count)
            case .str(let text)?: return .int(Interpreter.codePoints(text))
            default: return nil
            }
        }
    }

    /// Whether `e` is an operand the unboxed form computes without a `Value` in between (an
    /// operation, a subscript chain, `len`), so a binary operation over it pays to compile
    /// unboxed; a bare name or constant gains nothing over the ordinary operator.
    static func nestedNumeric(_ e: Expr) -> Bool {
        switch e {
        case .binary, .index, .unary(.neg, _, _): return true
        case .call(.name("len", _), let args, _): return args.count == 1
        default: return false
        }
    }

    /// A local or a number literal: an operand read in place (no closure call).
    private func inPlaceNumeric(_ e: Expr) -> NumNode? {
        switch e {
        case .int, .float: return compileNumeric(e)
        case .name(let n, _): if case .local = scope.resolve(n) { return compileNumeric(e) }; return nil
        default: return nil
        }
    }

    /// `x op1 a op2 b ...` (left to right, as Python groups it) where `a`, `b`, ... are locals
    /// or literals: `j * stride + v - padding` in one closure instead of one per operator.
    /// Nil for fewer than two operators.
    private func compileNumericLeftChain(_ e: Expr) -> NumNode? {
        var steps: [(BinaryOp, NumNode)] = []
        var cur = e
        while case .binary(let op, let x, let y, _) = cur, [.add, .sub, .mul, .div, .floorDiv, .mod].contains(op),
              let leaf = inPlaceNumeric(y) {
            steps.append((op, leaf))
            cur = x
        }
        guard steps.count >= 2, let first = compileNumeric(cur) else { return nil }
        steps.reverse()
        let (op1, a1) = steps[0], (op2, a2) = steps[1]
        if steps.count == 2, case .int(let c1)? = a1.constant, case .int(let c2)? = a2.constant {
            // Both operands int literals (`len(w) * 7 % 13`, `i * 2 + 1`): each step's operator
            // and constant fixed here, the int case without the general pair switch.
            return NumNode { f in
                guard let x = first.get(f), let r = constantStep(op1, x, c1) else { return nil }
                return constantStep(op2, r, c2)
            }
        }
        if steps.count == 2 {
            return NumNode { f in
                guard let x = first.get(f), let p = a1.get(f), let r = stepBinary(op1, x, p), let q = a2.get(f) else { return nil }
                return stepBinary(op2, r, q)
            }
        }
        if steps.count == 3 {
            let (op3, a3) = steps[2]
            return NumNode { f in
                guard let x = first.get(f), let p = a1.get(f), let r = stepBinary(op1, x, p), let q = a2.get(f),
                      let t = stepBinary(op2, r, q), let u = a3.get(f) else { return nil }
                return stepBinary(op3, t, u)
            }
        }
        let ops = steps.map(\.0), nodes = steps.map(\.1)
        return NumNode { f in
            guard var acc = first.get(f) else { return nil }
            for i in 0..<ops.count {
                guard let p = nodes[i].get(f), let r = stepBinary(ops[i], acc, p) else { return nil }
                acc = r
            }
            return acc
        }
    }

    /// `base[k1]...[kn]` over nested lists with numeric int keys, walked without copying
    /// or retaining the lists on the way (nothing runs during the walk that could change
    /// them): only the final int or float leaves the chain.
    private func compileNumericChain(_ e: Expr) -> NumNode? {
        var keys: [NumNode] = [], keyExprs: [Expr] = []
        var cur = e
        while case .index(let obj, let index, _) = cur {
            if case .slice = index { return nil }
            guard let k = compileNumeric(index) else { return nil }
            keys.append(k)
            keyExprs.append(index)
            cur = obj
        }
        keys.reverse()
        keyExprs.reverse()
        guard case .name(let name, _) = cur else { return nil }
        let baseSlot: Int, global: (Globals, Int)?
        switch scope.resolve(name) {
        case .local(let s): baseSlot = s; global = nil
        case .global(let name): baseSlot = -1; global = (interp.globals, interp.globals.slot(name))
        case .enclosing: return nil
        }
        /// The list the chain starts from, borrowed.
        @inline(__always) func base(_ f: Frame) -> Unmanaged<ListBox>? {
            let p: UnsafeMutablePointer<Value?>
            if baseSlot >= 0 { p = f.slots + baseSlot } else {
                guard let (g, i) = global, i < g.values.count, let a = g.values._baseAddressIfContiguous else { return nil }
                p = a + i
            }
            if case .list(let b)? = p.pointee { return Unmanaged.passUnretained(b) }
            return nil
        }
        /// One level down: the element of `box` at the key's int value.
        @inline(__always) func item(_ box: Unmanaged<ListBox>, _ k: NumNode, _ f: Frame) -> UnsafeMutablePointer<Value>? {
            guard case .int(let j)? = k.get(f) else { return nil }
            return borrowedItem(box, j)
        }
        // Inside a pure numeric loop, an invariant prefix's list is found once per epoch
        // (`Compiler+Hoist.swift`).
        if let ctx = hoist, invariantPrefix(cur, keyExprs, ctx) {
            let cache = PrefixCache(), prefix = Array(keys.dropLast()), last = keys[keys.count - 1]
            return NumNode { f in
                let box: Unmanaged<ListBox>
                if cache.epoch == ctx.epoch, let b = cache.box { box = b } else {
                    guard var b = base(f) else { return nil }
                    for k in prefix {
                        guard let p = item(b, k, f), let inner = borrowedList(p) else { return nil }
                        b = inner
                    }
                    cache.box = b
                    cache.epoch = ctx.epoch
                    box = b
                }
                guard let p = item(box, last, f) else { return nil }
                return numItem(p)
            }
        }
        switch keys.count {
        case 1:
            let k0 = keys[0]
            return NumNode { f in
                guard let b = base(f), let p = item(b, k0, f) else { return nil }
                return numItem(p)
            }
        case 2:
            let k0 = keys[0], k1 = keys[1]
            return NumNode { f in
                guard let b0 = base(f), let p0 = item(b0, k0, f), let b1 = borrowedList(p0),
                      let p = item(b1, k1, f) else { return nil }
                return numItem(p)
            }
        case 3:
            let k0 = keys[0], k1 = keys[1], k2 = keys[2]
            return NumNode { f in
                guard let b0 = base(f), let p0 = item(b0, k0, f), let b1 = borrowedList(p0),
                      let p1 = item(b1, k1, f), let b2 = borrowedList(p1),
                      let p = item(b2, k2, f) else { return nil }
                return numItem(p)
            }
        case 4:
            let k0 = keys[0], k1 = keys[1], k2 = keys[2], k3 = keys[3]
            return NumNode { f in
                guard let b0 = base(f), let p0 = item(b0, k0, f), let b1 = borrowedList(p0),
                      let p1 = item(b1, k1, f), let b2 = borrowedList(p1),
                      let p2 = item(b2, k2, f), let b3 = borrowedList(p2),
                      let p = item(b3, k3, f) else { return nil }
                return numItem(p)
            }
        default:
            let n = keys.count
            return NumNode { f in
                guard var box = base(f) else { return nil }
                var level = 0
                while true {
                    guard let p = item(box, keys[level], f) else { return nil }
                    if level == n - 1 { return numItem(p) }
                    guard let inner = borrowedList(p) else { return nil }
                    box = inner
                    level += 1
                }
            }
        }
    }

    /// A condition made of numeric comparisons, `and`, `or` and `not`, compiled to Bool
    /// directly; nil when `e` is not of that shape.
    func compileNumericCondition(_ e: Expr) throws -> NumCondition? {
        switch e {
        case .boolean(let op, let a, let b, _):
            // Two comparisons (`r < 0 or r >= H`): one closure.
            if let x = try compileNumericCompare(a), let y = try compileNumericCompare(b) {
                if op == .and { return NumCondition { f in try x.test(f) ? try y.test(f) : false } }
                return NumCondition { f in try x.test(f) ? true : try y.test(f) }
            }
            let x = try compileCondition(a), y = try compileCondition(b)
            if op == .and { return NumCondition { f in try x(f) ? try y(f) : false } }
            return NumCondition { f in try x(f) ? true : try y(f) }
        case .unary(.not, let a, _):
            let x = try compileCondition(a)
            return NumCondition { f in !(try x(f)) }
        case .compare:
            guard let c = try compileNumericCompare(e) else { return nil }
            return NumCondition { f in try c.test(f) }
        default:
            return nil
        }
    }

    /// A comparison of numbers, or a chain of two (`0 <= q < W`), whose operands are in the
    /// numeric subset; nil otherwise.
    func compileNumericCompare(_ e: Expr) throws -> NumCompare? {
        guard case .compare(let first, let rest, _) = e, rest.count == 1 || rest.count == 2,
              rest.allSatisfy({ [.lt, .le, .gt, .ge, .eq, .ne].contains($0.0) }),
              let a = compileNumeric(first) else { return nil }
        let others: [(CompareOp, NumNode)] = rest.compactMap { pair in compileNumeric(pair.1).map { (pair.0, $0) } }
        guard others.count == rest.count else { return nil }
        let generic = try compileExpression(e)
        let l = loc(e.range), interp = self.interp
        let general: (Frame) throws -> Bool = { f in
            let v = try generic(f)
            if case .bool(let t) = v { return t }
            do { return try interp.truth(v) } catch { throw Compiler.locate(error, l) }
        }
        let slow = hoist.map { $0.guarding(general) } ?? general
        return NumCompare(a, others[0].0, others[0].1, others.count == 2 ? others[1] : nil, slow: slow)
    }
}

/// `a op b` or `a op b op2 c` on numbers (`Compiler.compileNumericCompare`): evaluated in
/// place by whatever closure uses it, the ordinary comparison when an operand is not a number.
final class NumCompare {
    let a: NumNode, op: CompareOp, b: NumNode
    /// The second comparison of a chain, or nil.
    let op2: CompareOp, c: NumNode?
    let slow: (Frame) throws -> Bool

    init(_ a: NumNode, _ op: CompareOp, _ b: NumNode, _ second: (CompareOp, NumNode)?, slow: @escaping (Frame) throws -> Bool) {
        self.a = a; self.op = op; self.b = b
        self.op2 = second?.0 ?? .lt; self.c = second?.1
        self.slow = slow
    }

    /// The result, or nil when an operand is not a number (nothing has happened then).
    @inline(__always) func fast(_ f: Frame) -> Bool? {
        guard let p = a.get(f), let q = b.get(f), let t = numCompare(op, p, q) else { return nil }
        guard let c else { return t }
        if !t { return false }
        guard let r = c.get(f) else { return nil }
        return numCompare(op2, q, r)
    }

    @inline(__always) func test(_ f: Frame) throws -> Bool {
        if let t = fast(f) { return t }
        return try slow(f)
    }
}
