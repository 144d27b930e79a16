import Syntax
import TensorCore

/// How a typed statement ends.
enum TFlow: UInt8 { case normal, breakLoop, continueLoop, returned }

typealias TStmt = (Regs) throws -> TFlow
typealias TCond = (Regs) throws -> Bool

/// A typed int operand: a register, a constant, or a closure. A final class with
/// constant fields, so reading it copies and retains nothing.
final class TInt {
    let kind: UInt8   // 0 register, 1 constant, 2 closure, 3 register plus constant, 4 leaf operation, 5 call
    let slot: Int
    let value: Int
    let eval: (Regs) throws -> Int
    /// Kind 4: op (0 +, 1 −, 2 ×), and the second operand (`slot2` ≥ 0: a register).
    let op: UInt8
    let slot2: Int
    let value2: Int
    /// Kind 5: a node (`TNode`: a typed function call, a conditional, a sum of calls), run
    /// directly through `callRef` (an optional class
    /// property read for a call is retained and released each time; `call` keeps it alive).
    let call: TNode?
    let callRef: Unmanaged<TNode>?
    init(slot: Int) { kind = 0; self.slot = slot; value = 0; op = 0; slot2 = -1; value2 = 0; call = nil; callRef = nil; eval = { $0[slot] } }
    init(node: TNode) { kind = 5; slot = 0; value = 0; op = 0; slot2 = -1; value2 = 0; call = node; callRef = .passUnretained(node); eval = { try node.run($0) } }
    init(constant: Int) { kind = 1; slot = 0; value = constant; op = 0; slot2 = -1; value2 = 0; call = nil; callRef = nil; eval = { _ in constant } }
    init(_ eval: @escaping (Regs) throws -> Int) { kind = 2; slot = 0; value = 0; op = 0; slot2 = -1; value2 = 0; call = nil; callRef = nil; self.eval = eval }
    /// `local + c` (and `local - c`), as in `n - 1`, `i + 1`: no closure call.
    init(slot: Int, plus c: Int) {
        kind = 3; self.slot = slot; value = c; op = 0; slot2 = -1; value2 = 0; call = nil; callRef = nil
        eval = { r in
            let (v, o) = r[slot].addingReportingOverflow(c)
            if o { throw TypedBail() }
            return v
        }
    }
    /// `a op b` for a and b each a register or a constant (not both constants); nil otherwise.
    static func leaf(_ op: Syntax.BinaryOp, _ a: TInt, _ b: TInt) -> TInt? {
        guard a.kind <= 1, b.kind <= 1, a.kind == 0 || b.kind == 0, let code = leafCode(op) else { return nil }
        return TInt(leaf: code, a.kind == 0 ? a.slot : -1, a.value, b.kind == 0 ? b.slot : -1, b.value)
    }
    private init(leaf code: UInt8, _ s1: Int, _ v1: Int, _ s2: Int, _ v2: Int) {
        kind = 4; op = code; slot = s1; value = v1; slot2 = s2; value2 = v2; call = nil; callRef = nil
        eval = { r in try TInt.compute(code, s1 >= 0 ? r[s1] : v1, s2 >= 0 ? r[s2] : v2) }
    }
    @inline(__always) static func compute(_ op: UInt8, _ x: Int, _ y: Int) throws -> Int {
        let (v, o) = op == 0 ? x.addingReportingOverflow(y) : op == 1 ? x.subtractingReportingOverflow(y)
            : x.multipliedReportingOverflow(by: y)
        if o { throw TypedBail() }
        return v
    }
    @inline(__always) func get(_ r: Regs) throws -> Int {
        if kind == 0 { return r[slot] }
        if kind == 1 { return value }
        if kind == 3 {
            let (v, o) = r[slot].addingReportingOverflow(value)
            if o { throw TypedBail() }
            return v
        }
        if kind == 4 { return try TInt.compute(op, slot >= 0 ? r[slot] : value, slot2 >= 0 ? r[slot2] : value2) }
        if kind == 5 { return try callRef.unsafelyUnwrapped._withUnsafeGuaranteedRef { try $0.run(r) } }
        return try eval(r)
    }
}

/// A typed float operand (registers hold the bit pattern): a register, a constant, a
/// closure, `p op q` on registers and constants (`zr * zr`, `2.0 * x`, `x + c`), or `p op q`
/// on two such operands (`zr * zr + zi * zi`), computed in place: no closure call for the
/// leaves of an expression nor for the operation just above them.
final class TFloat {
    let kind: UInt8   // 0 register, 1 constant, 2 closure, 3 leaf operation, 4 operation on two leaves
    let slot: Int
    let value: Double
    let eval: (Regs) throws -> Double
    /// Kinds 3 and 4: op (0 +, 1 −, 2 ×); kind 3: the second operand (`slot2` ≥ 0: a register).
    let op: UInt8
    let slot2: Int
    let value2: Double
    /// Kind 4: the operands (kinds 0, 1, 3), read through unmanaged references (`left` and
    /// `right` keep them alive: an optional class property read per use is retained).
    let left: TFloat?, right: TFloat?
    let leftRef: Unmanaged<TFloat>?, rightRef: Unmanaged<TFloat>?
    init(slot: Int) {
        kind = 0; self.slot = slot; value = 0; op = 0; slot2 = -1; value2 = 0
        left = nil; right = nil; leftRef = nil; rightRef = nil; eval = { fromBits($0[slot]) }
    }
    init(constant: Double) {
        kind = 1; slot = 0; value = constant; op = 0; slot2 = -1; value2 = 0
        left = nil; right = nil; leftRef = nil; rightRef = nil; eval = { _ in constant }
    }
    init(_ eval: @escaping (Regs) throws -> Double) {
        kind = 2; slot = 0; value = 0; op = 0; slot2 = -1; value2 = 0
        left = nil; right = nil; leftRef = nil; rightRef = nil; self.eval = eval
    }
    /// `a op b` for a and b each a register or a constant (not both constants), or each that
    /// or a leaf operation (kind 4); nil otherwise.
    static func leaf(_ op: Syntax.BinaryOp, _ a: TFloat, _ b: TFloat) -> TFloat? {
        guard let code = leafCode(op) else { return nil }
        if a.kind <= 1, b.kind <= 1, a.kind == 0 || b.kind == 0 {
            return TFloat(leaf: code, a.kind == 0 ? a.slot : -1, a.value, b.kind == 0 ? b.slot : -1, b.value)
        }
        if a.kind != 2, a.kind != 4, b.kind != 2, b.kind != 4, a.kind == 3 || b.kind == 3 {
            return TFloat(pair: code, a, b)
        }
        return nil
    }
    private init(leaf code: UInt8, _ s1: Int, _ v1: Double, _ s2: Int, _ v2: Double) {
        kind = 3; op = code; slot = s1; value = v1; slot2 = s2; value2 = v2
        left = nil; right = nil; leftRef = nil; rightRef = nil
        eval = { r in TFloat.compute(code, s1 >= 0 ? fromBits(r[s1]) : v1, s2 >= 0 ? fromBits(r[s2]) : v2) }
    }
    private init(pair code: UInt8, _ a: TFloat, _ b: TFloat) {
        kind = 4; op = code; slot = 0; value = 0; slot2 = -1; value2 = 0
        left = a; right = b; leftRef = .passUnretained(a); rightRef = .passUnretained(b)
        eval = { r in TFloat.compute(code, a.leafValue(r), b.leafValue(r)) }
    }
    @inline(__always) static func compute(_ op: UInt8, _ x: Double, _ y: Double) -> Double {
        op == 0 ? x + y : op == 1 ? x - y : x * y
    }
    /// Kinds 0, 1 and 3.
    @inline(__always) func leafValue(_ r: Regs) -> Double {
        if kind == 0 { return fromBits(r[slot]) }
        if kind == 1 { return value }
        return TFloat.compute(op, slot >= 0 ? fromBits(r[slot]) : value, slot2 >= 0 ? fromBits(r[slot2]) : value2)
    }
    @inline(__always) func get(_ r: Regs) throws -> Double {
        if kind == 0 { return fromBits(r[slot]) }
        if kind == 3 {
            return TFloat.compute(op, slot >= 0 ? fromBits(r[slot]) : value, slot2 >= 0 ? fromBits(r[slot2]) : value2)
        }
        if kind == 4 {
            let x = leftRef.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.leafValue(r) }
            let y = rightRef.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.leafValue(r) }
            return TFloat.compute(op, x, y)
        }
        if kind == 1 { return value }
        return try eval(r)
    }
}

/// An int comparison tested inside the closure that branches on it: no closure call. A
/// register or a constant on each side (`n < 2`, `i < j`) is read in place; the operator is
/// a mask of the orderings it accepts, tested without a jump table.
final class TIntTest {
    let op: UInt8   // < <= > >= == !=
    let a: TInt, b: TInt
    /// Bit 0: true when x < y; bit 1: when x == y; bit 2: when x > y.
    let mask: Int
    /// Both operands a register or a constant (`slotA`/`slotB` ≥ 0: a register).
    let leaves: Bool
    let slotA: Int, slotB: Int, valueA: Int, valueB: Int
    init(_ op: UInt8, _ a: TInt, _ b: TInt) {
        self.op = op; self.a = a; self.b = b
        mask = [0b001, 0b011, 0b100, 0b110, 0b010, 0b101][Int(min(op, 5))]
        leaves = a.kind <= 1 && b.kind <= 1
        slotA = a.kind == 0 ? a.slot : -1; valueA = a.value
        slotB = b.kind == 0 ? b.slot : -1; valueB = b.value
    }
    @inline(__always) func test(_ r: Regs) throws -> Bool {
        let x: Int, y: Int
        if leaves {
            x = slotA >= 0 ? r[slotA] : valueA
            y = slotB >= 0 ? r[slotB] : valueB
        } else {
            x = try a.get(r); y = try b.get(r)
        }
        return mask & (x < y ? 1 : x == y ? 2 : 4) != 0
    }
}

/// A float comparison tested inside the closure that branches on it: no closure call.
final class TFloatTest {
    /// Bit 0: true when x < y; bit 1: when x == y; bit 2: when x > y; bit 3: when unordered (a NaN).
    let mask: Int
    let a: TFloat, b: TFloat
    init(_ mask: Int, _ a: TFloat, _ b: TFloat) { self.mask = mask; self.a = a; self.b = b }
    @inline(__always) func test(_ r: Regs) throws -> Bool {
        let x = try a.get(r), y = try b.get(r)
        return mask & (x < y ? 1 : x == y ? 2 : x > y ? 4 : 8) != 0
    }
}

/// The operations leaf nodes compute in place: 0 +, 1 −, 2 ×.
func leafCode(_ op: Syntax.BinaryOp) -> UInt8? {
    switch op {
    case .add: return 0
    case .sub: return 1
    case .mul: return 2
    default: return nil
    }
}

@inline(__always) func fromBits(_ w: Int) -> Double { Double(bitPattern: UInt64(UInt(bitPattern: w))) }
@inline(__always) func toBits(_ d: Double) -> Int { Int(bitPattern: UInt(d.bitPattern)) }
/// Ints a Double holds exactly: mixed comparisons and true division agree with Python's there.
@inline(__always) func exactDouble(_ i: Int) -> Bool { i >= -(1 << 53) && i <= (1 << 53) }

/// Compiles one specialization of a typed function (`TypedFunction.swift`).
final class TypedCodegen {
    let source: TypedSource
    let spec: TypedSpec
    let interp: Interpreter
    var localTypes: [TType?]
    var changed = false
    /// Words after the locals and the return word, for the arguments of calls.
    var temps = 0
    let returnSlot: Int

    private init(_ spec: TypedSpec, _ source: TypedSource, _ interp: Interpreter) {
        self.spec = spec; self.source = source; self.interp = interp
        localTypes = Array(repeating: nil, count: source.scope.slotCount)
        returnSlot = source.scope.slotCount
    }

    static func compile(_ spec: TypedSpec, _ owner: TypedFunction, _ interp: Interpreter) throws {
        let cg = TypedCodegen(spec, owner.source, interp)
        guard spec.paramTypes.count == owner.source.params, owner.source.params <= cg.localTypes.count else {
            throw TypedIneligible()
        }
        try cg.checkAssignment()
        try cg.inferTypes()
        guard let returnType = spec.returnType else { throw TypedIneligible() }
        let statements = owner.source.body.filter { !TypedCodegen.isNoOp($0) }
        if let e = TypedCodegen.expressionBody(statements[...]) {
            // `if c: return a` … `return b`: one expression, no statements. (Calls read the
            // frame size when they run, so it is set once the temporaries are counted.)
            if returnType == .int {
                let x = try cg.int(e)
                if x.kind == 5, let node = x.call { spec.setBody(node) }
                else if x.kind == 2 { spec.setBody(x.eval) } else { spec.setBody { r in try x.get(r) } }
            } else {
                let x = try cg.float(e)
                spec.setBody { r in toBits(try x.get(r)) }
            }
            spec.frameSize = cg.returnSlot + 1 + cg.temps
            return
        }
        let body = try cg.block(owner.source.body)
        spec.frameSize = cg.returnSlot + 1 + cg.temps
        let ret = cg.returnSlot
        spec.setBody { r in
            guard try body(r) == .returned else { throw TypedBail() }
            return r[ret]
        }
    }

    // MARK: statements

    func block(_ body: [Stmt]) throws -> TStmt {
        try sequence(body.filter { !TypedCodegen.isNoOp($0) }[...])
    }

    static func isNoOp(_ s: Stmt) -> Bool {
        if case .expr(.string, _) = s { return true }
        if case .pass = s { return true }
        return false
    }

    /// A body made only of `if`/`elif`/`else` and `return e`, every path ending in a return,
    /// as one conditional expression; nil for any other body.
    static func expressionBody(_ body: ArraySlice<Stmt>) -> Expr? {
        guard let first = body.first else { return nil }
        switch first {
        case .returnStmt(let e?, _):
            return e
        case .ifStmt(let branches, let orElse, let r):
            // What runs when no branch is taken: the else block, then the statements after.
            guard let rest = expressionBody((orElse.filter { !isNoOp($0) } + body.dropFirst())[...]) else { return nil }
            var result = rest
            for b in branches.reversed() {
                guard let then = expressionBody(b.body.filter { !isNoOp($0) }[...]) else { return nil }
                result = .conditional(cond: b.condition, then: then, otherwise: result, r)
            }
            return result
        default:
            return nil
        }
    }

    /// Statements folded into closures of up to four: direct closure calls, no array (a loop's
    /// body of four statements is one closure calling four).
    private func sequence(_ body: ArraySlice<Stmt>) throws -> TStmt {
        guard let first = body.first else { return { _ in .normal } }
        let a = try statement(first)
        if body.count == 1 { return a }
        let b = try statement(body[body.startIndex + 1])
        if body.count == 2 {
            return { r in
                let f = try a(r)
                if f != .normal { return f }
                return try b(r)
            }
        }
        let c = try statement(body[body.startIndex + 2])
        if body.count == 3 {
            return { r in
                var f = try a(r)
                if f != .normal { return f }
                f = try b(r)
                if f != .normal { return f }
                return try c(r)
            }
        }
        let d = try body.count == 4 ? statement(body[body.startIndex + 3]) : sequence(body.dropFirst(3))
        return { r in
            var f = try a(r)
            if f != .normal { return f }
            f = try b(r)
            if f != .normal { return f }
            f = try c(r)
            if f != .normal { return f }
            return try d(r)
        }
    }

    private func statement(_ s: Stmt) throws -> TStmt {
        switch s {
        case .assign(let targets, let value, _):
            let slots = try targets.map { try localSlot($0) }
            if slots.count == 1, localTypes[slots[0]] == .float, try known(value) == .float {
                // A float computed and stored in one closure (not through a bits closure).
                let x = try float(value), s0 = slots[0]
                return { r in r[s0] = toBits(try x.get(r)); return .normal }
            }
            let w = try bits(value, as: localTypes[slots[0]])
            if slots.count == 1 {
                let s0 = slots[0]
                if w.kind == 2 { let e = w.eval; return { r in r[s0] = try e(r); return .normal } }
                return { r in r[s0] = try w.get(r); return .normal }
            }
            return { r in
                let v = try w.get(r)
                for s in slots { r[s] = v }
                return .normal
            }
        case .augAssign(let target, let op, let value, let range):
            let slot = try localSlot(target)
            if localTypes[slot] == .float {
                let x = try float(.binary(op, target, value, range))
                return { r in r[slot] = toBits(try x.get(r)); return .normal }
            }
            let w = try bits(.binary(op, target, value, range), as: localTypes[slot])
            if w.kind != 2 { return { r in r[slot] = try w.get(r); return .normal } }   // `n += 1`: in place
            let e = w.eval
            return { r in r[slot] = try e(r); return .normal }
        case .ifStmt(let branches, let orElse, _):
            var other = try block(orElse)
            for b in branches.reversed() {
                let body = try block(b.body), rest = other
                if let t = try intTest(b.condition) {
                    other = { r in try t.test(r) ? try body(r) : try rest(r) }
                    continue
                }
                let c = try condition(b.condition)
                other = { r in try c(r) ? try body(r) : try rest(r) }
            }
            return other
        case .whileStmt(let cond, let body, _, _):
            let c = try condition(cond), b = try block(body), countdown = interp.typedStack.depth + 2
            return { r in
                while try c(r) {
                    if TypedCodegen.due(countdown) { throw TypedBail() }
                    switch try b(r) {
                    case .breakLoop: return .normal
                    case .returned: return .returned
                    case .normal, .continueLoop: continue
                    }
                }
                return .normal
            }
        case .forStmt(let target, let iter, let body, _, _):
            return try forRange(try localSlot(target), try rangeArguments(iter), try block(body))
        case .breakStmt: return { _ in .breakLoop }
        case .continueStmt: return { _ in .continueLoop }
        case .returnStmt(let value?, _):
            let w = try bits(value, as: spec.returnType), ret = returnSlot
            return { r in r[ret] = try w.get(r); return .returned }
        default:
            throw TypedIneligible()
        }
    }

    /// Counts down to the next check of interrupts and the native stack, every 1024 loop
    /// iterations or calls: true when the run must give up.
    @inline(__always) static func due(_ countdown: Regs) -> Bool {
        let left = countdown.pointee &- 1   // from 1024
        countdown.pointee = left
        if left > 0 { return false }
        countdown.pointee = 1024
        return Interrupt.requested || StackGuard.exhausted
    }

    private func forRange(_ slot: Int, _ args: [Expr], _ body: @escaping TStmt) throws -> TStmt {
        let ints = try args.map { try int($0) }
        let countdown = interp.typedStack.depth + 2
        if ints.count <= 2 {
            let start = ints.count == 2 ? ints[0] : TInt(constant: 0), stop = ints[ints.count - 1]
            return { r in
                var i = try start.get(r)
                let end = try stop.get(r)
                while i < end {
                    r[slot] = i
                    if TypedCodegen.due(countdown) { throw TypedBail() }
                    let f = try body(r)
                    if f == .breakLoop { break }
                    if f == .returned { return .returned }
                    i += 1
                }
                return .normal
            }
        }
        let start = ints[0], stop = ints[1], stepNode = ints[2]
        return { r in
            var i = try start.get(r)
            let end = try stop.get(r), step = try stepNode.get(r)
            if step == 0 { throw TypedBail() }   // ValueError on the ordinary path
            while step > 0 ? i < end : i > end {
                r[slot] = i
                if TypedCodegen.due(countdown) { throw TypedBail() }
                let f = try body(r)
                if f == .breakLoop { break }
                if f == .returned { return .returned }
                let (n, o) = i.addingReportingOverflow(step)
                if o { break }
                i = n
            }
            return .normal
        }
    }

    // MARK: conditions

    /// `a op b` on two ints as an object tested in place (`TIntTest`); nil for any other condition.
    func intTest(_ e: Expr) throws -> TIntTest? {
        guard case .compare(let first, let rest, _) = e, rest.count == 1, let (op, second) = rest.first,
              try known(first) == .int, try known(second) == .int else { return nil }
        let code: UInt8
        switch op {
        case .lt: code = 0
        case .le: code = 1
        case .gt: code = 2
        case .ge: code = 3
        case .eq: code = 4
        case .ne: code = 5
        default: return nil
        }
        return TIntTest(code, try int(first), try int(second))
    }

    /// The operands' type of a single comparison of two ints or two floats; nil for any
    /// other condition. (Decides before anything is compiled: operands are compiled once.)
    func comparisonType(_ e: Expr) throws -> TType? {
        guard case .compare(let first, let rest, _) = e, rest.count == 1, let (op, second) = rest.first,
              [.lt, .le, .gt, .ge, .eq, .ne].contains(op) else { return nil }
        let t = try known(first)
        return try known(second) == t ? t : nil
    }

    /// `a op b` on two floats as an object tested in place (`TFloatTest`); nil for any other condition.
    func floatTest(_ e: Expr) throws -> TFloatTest? {
        guard case .compare(let first, let rest, _) = e, rest.count == 1, let (op, second) = rest.first,
              try known(first) == .float, try known(second) == .float else { return nil }
        let mask: Int
        switch op {
        case .lt: mask = 0b0001
        case .le: mask = 0b0011
        case .gt: mask = 0b0100
        case .ge: mask = 0b0110
        case .eq: mask = 0b0010
        case .ne: mask = 0b1101
        default: return nil
        }
        return TFloatTest(mask, try float(first), try float(second))
    }

    func condition(_ e: Expr) throws -> TCond {
        switch e {
        case .bool(let b, _): return { _ in b }
        case .boolean(let op, let a, let b, _):
            if op == .and, try comparisonType(a) == .int, try comparisonType(b) == .float,
               let t = try intTest(a), let u = try floatTest(b) {
                // `n < max_iter and zr * zr + zi * zi <= 4.0`: both tested in one closure.
                return { r in try t.test(r) ? try u.test(r) : false }
            }
            let x = try condition(a), y = try condition(b)
            if op == .and { return { r in try x(r) ? try y(r) : false } }
            return { r in try x(r) ? true : try y(r) }
        case .unary(.not, let a, _):
            let x = try condition(a)
            return { r in !(try x(r)) }
        case .compare(let first, let rest, _):
            return try compare(first, rest)
        default:
            switch try known(e) {
            case .int: let x = try int(e); return { r in try x.get(r) != 0 }
            case .float: let x = try float(e); return { r in try x.get(r) != 0 }
            }
        }
    }

    private func compare(_ first: Expr, _ rest: [(Syntax.CompareOp, Expr)]) throws -> TCond {
        if rest.count == 1, let (op, second) = rest.first {
            let ta = try known(first), tb = try known(second)
            if ta == .int && tb == .int, let t = try intTest(.compare(first, rest, first.range)) {
                return { r in try t.test(r) }
            }
            if ta == .float && tb == .float {
                let a = try float(first), b = try float(second)
                switch op {
                case .lt: return { r in try a.get(r) < b.get(r) }
                case .le: return { r in try a.get(r) <= b.get(r) }
                case .gt: return { r in try a.get(r) > b.get(r) }
                case .ge: return { r in try a.get(r) >= b.get(r) }
                case .eq: return { r in try a.get(r) == b.get(r) }
                case .ne: return { r in try a.get(r) != b.get(r) }
                default: throw TypedIneligible()
                }
            }
        }
        // Chains and mixed ints and floats: each operand evaluated once, compared as Python does.
        let operands = try ([first] + rest.map(\.1)).map { try num($0) }
        let ops = rest.map(\.0)
        return { r in
            var left = try operands[0](r)
            for (k, op) in ops.enumerated() {
                let right = try operands[k + 1](r)
                guard let t = numCompare(op, left, right) else { throw TypedBail() }
                if !t { return false }
                left = right
            }
            return true
        }
    }

    /// An operand of either type as a `Num`, for the general comparison.
    private func num(_ e: Expr) throws -> (Regs) throws -> Num {
        switch try known(e) {
        case .int: let x = try int(e); return { r in .int(try x.get(r)) }
        case .float: let x = try float(e); return { r in .float(try x.get(r)) }
        }
    }

    // MARK: expressions

    /// The type of `e`, which inference has settled.
    func known(_ e: Expr) throws -> TType {
        guard let t = try typeOf(e) else { throw TypedIneligible() }
        return t
    }

    /// `e` as the bits of a word of type `t` (an int expression widened to a float local).
    func bits(_ e: Expr, as t: TType?) throws -> TInt {
        guard let t else { throw TypedIneligible() }
        switch (t, try known(e)) {
        case (.int, .int): return try int(e)
        case (.float, .float), (.float, .int):
            // A local's type is one type: an int value never reaches a float local.
            guard try known(e) == .float else { throw TypedIneligible() }
            let x = try float(e)
            if x.kind == 0 { return TInt(slot: x.slot) }
            if x.kind == 1 { return TInt(constant: toBits(x.value)) }
            return TInt { r in toBits(try x.get(r)) }
        case (.int, .float): throw TypedIneligible()
        }
    }
}
