import Syntax
import TensorCore

/// Typed expressions: ints and floats computed in registers. Anything Python would raise
/// for, or compute past 64 bits, gives up (`TypedBail`) and the ordinary path reruns the call.
extension TypedCodegen {
    func int(_ e: Expr) throws -> TInt {
        guard try known(e) == .int else { throw TypedIneligible() }
        switch e {
        case .int(let v, _): return TInt(constant: v)
        case .name(let n, _):
            switch source.scope.resolve(n) {
            case .local(let s): return TInt(slot: s)
            default:
                let (g, i) = try globalSlot(n)
                return TInt { _ in
                    guard case .int(let v)? = g.values[i] else { throw TypedBail() }
                    return v
                }
            }
        case .unary(.pos, let x, _): return try int(x)
        case .unary(.neg, let x, _):
            let a = try int(x)
            return TInt { r in
                let v = try a.get(r)
                if v == .min { throw TypedBail() }
                return -v
            }
        case .binary(let op, let x, let y, _):
            let a = try int(x), b = try int(y)
            if op == .add || op == .sub, a.kind == 0 || b.kind == 0, a.kind == 1 || b.kind == 1 {
                let slot = a.kind == 0 ? a.slot : b.slot, c = a.kind == 1 ? a.value : b.value
                if op == .add { return TInt(slot: slot, plus: c) }
                if a.kind == 0 && c != .min { return TInt(slot: slot, plus: -c) }
            }
            if let leaf = TInt.leaf(op, a, b) { return leaf }
            if op == .add, let ca = a.call as? TCall, let cb = b.call as? TCall {
                // `f(x) + f(y)`, as in fib: both calls made directly, not through `get`'s dispatch.
                return TInt(node: TAddCalls(ca, cb))
            }
            if op == .pow { return TInt { r in try TypedCodegen.intPower(try a.get(r), try b.get(r)) } }
            switch op {
            case .add:
                return TInt { r in
                    let (s, o) = try a.get(r).addingReportingOverflow(try b.get(r))
                    if o { throw TypedBail() }
                    return s
                }
            case .sub:
                return TInt { r in
                    let (s, o) = try a.get(r).subtractingReportingOverflow(try b.get(r))
                    if o { throw TypedBail() }
                    return s
                }
            case .mul:
                return TInt { r in
                    let (s, o) = try a.get(r).multipliedReportingOverflow(by: try b.get(r))
                    if o { throw TypedBail() }
                    return s
                }
            case .floorDiv, .mod:
                let isMod = op == .mod
                return TInt { r in
                    let i = try a.get(r), j = try b.get(r)
                    guard let q = numBinary(isMod ? .mod : .floorDiv, .int(i), .int(j)), case .int(let v) = q else { throw TypedBail() }
                    return v
                }
            default: throw TypedIneligible()
            }
        case .conditional(let c, let x, let y, _):
            let a = try int(x), b = try int(y)
            if let t = try intTest(c) { return TypedCodegen.choice(t, a, b) }
            let cond = try condition(c)
            return TInt { r in try cond(r) ? try a.get(r) : try b.get(r) }
        case .call(.attribute(.name(let m, _), let f, _), let args, _):
            let values = try positional(args)
            guard values.count == 1 else { throw TypedIneligible() }
            return try mathIntCall(m, f, values[0])
        case .call(let callee, let args, _):
            return try intCall(callee, try positional(args))
        default:
            throw TypedIneligible()
        }
    }

    /// `t ? a : b`. A branch that is a closure is called directly (not through `get`'s
    /// dispatch): a recursive body's `if n < 2: return n` … `return f(n - 1) + f(n - 2)`.
    static func choice(_ t: TIntTest, _ a: TInt, _ b: TInt) -> TInt {
        if a.kind != 5, let sum = b.call as? TAddCalls { return TInt(node: TChoiceSum(t, a, sum.x, sum.y)) }
        return TInt(node: TChoice(t, a, b))
    }

    /// `e` as a float: a float expression, or an int one converted as Python converts it.
    func float(_ e: Expr) throws -> TFloat {
        if try known(e) == .int {
            if case .int(let v, _) = e { return TFloat(constant: Double(v)) }
            let a = try int(e)
            return TFloat { r in Double(try a.get(r)) }
        }
        switch e {
        case .float(let v, _): return TFloat(constant: v)
        case .name(let n, _):
            switch source.scope.resolve(n) {
            case .local(let s): return TFloat(slot: s)
            default:
                let (g, i) = try globalSlot(n)
                return TFloat { _ in
                    guard case .float(let v)? = g.values[i] else { throw TypedBail() }
                    return v
                }
            }
        case .unary(.pos, let x, _): return try float(x)
        case .unary(.neg, let x, _):
            let a = try float(x)
            return TFloat { r in -(try a.get(r)) }
        case .binary(let op, let x, let y, _):
            if op == .div, try known(x) == .int, try known(y) == .int {
                // int / int: exact when both fit a Double's mantissa (else Python's correctly
                // rounded division may differ: the ordinary path computes it).
                let a = try int(x), b = try int(y)
                return TFloat { r in
                    let i = try a.get(r), j = try b.get(r)
                    guard j != 0, exactDouble(i), exactDouble(j) else { throw TypedBail() }
                    return Double(i) / Double(j)
                }
            }
            let a = try float(x), b = try float(y)
            if let leaf = TFloat.leaf(op, a, b) { return leaf }
            switch op {
            case .add: return TFloat { r in try a.get(r) + b.get(r) }
            case .sub: return TFloat { r in try a.get(r) - b.get(r) }
            case .mul: return TFloat { r in try a.get(r) * b.get(r) }
            case .div:
                return TFloat { r in
                    let p = try a.get(r), q = try b.get(r)
                    if q == 0 { throw TypedBail() }
                    return p / q
                }
            case .pow:
                return TFloat { r in try TypedCodegen.floatPower(try a.get(r), try b.get(r)) }
            case .floorDiv, .mod:
                let isMod = op == .mod
                return TFloat { r in
                    let p = try a.get(r), q = try b.get(r)
                    if q == 0 { throw TypedBail() }
                    let (d, m) = floatDivMod(p, q)
                    return isMod ? m : d
                }
            default: throw TypedIneligible()
            }
        case .conditional(let c, let x, let y, _):
            let a = try float(x), b = try float(y)
            if let t = try intTest(c) { return TFloat { r in try t.test(r) ? try a.get(r) : try b.get(r) } }
            let cond = try condition(c)
            return TFloat { r in try cond(r) ? try a.get(r) : try b.get(r) }
        case .attribute(.name(let m, _), let name, _):
            return try mathConstant(m, name)
        case .call(.attribute(.name(let m, _), let f, _), let args, _):
            let values = try positional(args)
            guard values.count == 1 else { throw TypedIneligible() }
            return try mathFloatCall(m, f, values[0])
        case .call(let callee, let args, _):
            return try floatCall(callee, try positional(args))
        default:
            throw TypedIneligible()
        }
    }

    /// The globals and the slot of a global name (its type is checked where it is read).
    private func globalSlot(_ n: String) throws -> (Globals, Int) {
        guard case .global(let name) = source.scope.resolve(n) else { throw TypedIneligible() }
        return (interp.globals, interp.globals.slot(name))
    }

    // MARK: calls

    private func intCall(_ callee: Expr, _ args: [Expr]) throws -> TInt {
        switch try resolveCallee(callee) {
        case .function(let tf, let slot):
            return TInt(node: try functionCall(tf, slot, args))
        case .builtin(let name, let slot):
            let g = interp.globals
            let types = try args.map { try known($0) }
            switch name {
            case "abs":
                let a = try int(args[0])
                return TInt { r in
                    if g.values[slot] != nil { throw TypedBail() }
                    let v = try a.get(r)
                    if v == .min { throw TypedBail() }
                    return v < 0 ? -v : v
                }
            case "int":
                if types[0] == .int {
                    let a = try int(args[0])
                    return TInt { r in
                        if g.values[slot] != nil { throw TypedBail() }
                        return try a.get(r)
                    }
                }
                let a = try float(args[0])
                return TInt { r in
                    if g.values[slot] != nil { throw TypedBail() }
                    let d = try a.get(r)
                    // Truncation toward zero; NaN, infinities and ints past 64 bits: ordinary path.
                    guard d > -9.2e18 && d < 9.2e18 else { throw TypedBail() }
                    return Int(d)
                }
            case "min", "max":
                let xs = try args.map { try int($0) }
                let isMin = name == "min"
                return TInt { r in
                    if g.values[slot] != nil { throw TypedBail() }
                    var m = try xs[0].get(r)
                    for k in 1..<xs.count {
                        let v = try xs[k].get(r)
                        if isMin ? v < m : v > m { m = v }
                    }
                    return m
                }
            default: throw TypedIneligible()
            }
        }
    }

    private func floatCall(_ callee: Expr, _ args: [Expr]) throws -> TFloat {
        switch try resolveCallee(callee) {
        case .function(let tf, let slot):
            let call = try functionCall(tf, slot, args)
            return TFloat { r in fromBits(try call.run(r)) }
        case .builtin(let name, let slot):
            let g = interp.globals
            switch name {
            case "abs":
                let a = try float(args[0])
                return TFloat { r in
                    if g.values[slot] != nil { throw TypedBail() }
                    return Swift.abs(try a.get(r))
                }
            case "float":
                let a = try float(args[0])
                return TFloat { r in
                    if g.values[slot] != nil { throw TypedBail() }
                    return try a.get(r)
                }
            case "min", "max":
                let xs = try args.map { try float($0) }
                let isMin = name == "min"
                return TFloat { r in
                    if g.values[slot] != nil { throw TypedBail() }
                    var m = try xs[0].get(r)
                    for k in 1..<xs.count {
                        let v = try xs[k].get(r)
                        if isMin ? v < m : v > m { m = v }
                    }
                    return m
                }
            default: throw TypedIneligible()
            }
        }
    }

    /// A call of a typed function: its arguments evaluated into this frame's temporaries (a
    /// call among them uses the words past this frame), then copied to the callee's frame,
    /// which starts where this one ends. Returns the result's bits.
    private func functionCall(_ tf: TypedFunction, _ slot: Int, _ args: [Expr]) throws -> TCall {
        var types: [TType] = []
        for a in args { types.append(try known(a)) }
        guard let callee = tf.spec(types, interp) else { throw TypedIneligible() }
        let words = try zip(args, types).map { try bits($0.0, as: $0.1) }
        let first = returnSlot + 1 + temps
        temps += words.count
        return TCall(globals: interp.globals, slot: slot, serial: tf.serial, target: callee, caller: spec,
                     stack: interp.typedStack, words: words, first: first)
    }
}

/// A call of a typed function (`TypedCodegen.functionCall`): its arguments evaluated into the
/// caller's temporaries (a call among them uses the words past the caller's frame), then
/// copied to the callee's frame, which starts where the caller's ends. A final class called
/// directly from `TInt.get`: no closure, no thunk.
final class TCall: TNode {
    let globals: Globals
    let slot: Int
    /// The callee is the function the global held at compile time, checked by its serial (an
    /// address could be reused by a later function). Its spec is held unowned: while the
    /// global holds the function, the function and its specs are alive.
    let serial: Int
    unowned(unsafe) let target: TypedSpec
    unowned(unsafe) let caller: TypedSpec
    let stackEnd: Regs
    let depth: Regs
    let words: [TInt]
    let w0: TInt
    let first: Int
    /// One argument that is a register plus a constant (`n - 1`; a register alone adds 0):
    /// `argSlot` ≥ 0, read in place.
    let argSlot: Int
    let argAdd: Int

    init(globals: Globals, slot: Int, serial: Int, target: TypedSpec, caller: TypedSpec, stack: TypedStack,
         words: [TInt], first: Int) {
        self.globals = globals; self.slot = slot; self.serial = serial; self.target = target
        self.caller = caller; stackEnd = stack.end; depth = stack.depth; self.words = words
        w0 = words.first ?? TInt(constant: 0); self.first = first
        if words.count == 1, w0.kind == 0 || w0.kind == 3 {
            argSlot = w0.slot; argAdd = w0.kind == 3 ? w0.value : 0
        } else {
            argSlot = -1; argAdd = 0
        }
        super.init()
    }

    @inline(never) override func run(_ r: Regs) throws -> Int { try invoke(r) }

    /// The result's bits. Asked to be inlined where a node makes its calls itself
    /// (`TChoiceSum`); the compiler keeps it a call there (it is recursive through the body),
    /// so a recursion such as fib's runs two native frames per level: this and the body's.
    @inline(__always) func invoke(_ r: Regs) throws -> Int {
        if globals.serials[slot] != serial { throw TypedBail() }
        let nb = r + caller.frameSize
        if nb + target.frameSize > stackEnd { throw TypedBail() }
        let n = words.count
        if argSlot >= 0 {
            let (v, o) = r[argSlot].addingReportingOverflow(argAdd)
            if o { throw TypedBail() }
            nb[0] = v
        } else if n == 1 {
            // One argument goes straight to the callee's frame (a call inside it is done first).
            let v = try w0.get(r)
            nb[0] = v
        } else {
            for k in 0..<n { r[first + k] = try words[k].get(r) }
            for k in 0..<n { nb[k] = r[first + k] }
        }
        let d = depth[0] &+ 1   // at most the recursion limit, checked below
        depth[0] = d
        if d > depth[1] { throw TypedBail() }
        if TypedCodegen.due(depth + 2) { throw TypedBail() }
        let result = try target.bodyRef._withUnsafeGuaranteedRef { try $0.run(nb) }
        depth[0] = d &- 1
        return result
    }
}

/// `t ? a : b` on an int test, as a node: a recursive body's `if n < 2: return n` …
/// `return f(n - 1) + f(n - 2)` is one of these, which a call runs with no closure between.
final class TChoice: TNode {
    let t: TIntTest
    let a: TInt, b: TInt
    init(_ t: TIntTest, _ a: TInt, _ b: TInt) { self.t = t; self.a = a; self.b = b }
    override func run(_ r: Regs) throws -> Int { try t.test(r) ? try a.get(r) : try b.get(r) }
}

/// `t ? a : f(x) + g(y)`, fib's body, with both calls made in place: one native frame per level
/// of the recursion. (On an Intel Xeon with deep recursions, the time per native frame
/// grew with the frames per level, 2.7 ns at 2 to 5.2 ns at 6, as returns stopped being
/// predicted: fewer frames, not only fewer instructions.)
final class TChoiceSum: TNode {
    let t: TIntTest
    let a: TInt
    let x: TCall, y: TCall
    init(_ t: TIntTest, _ a: TInt, _ x: TCall, _ y: TCall) { self.t = t; self.a = a; self.x = x; self.y = y }
    override func run(_ r: Regs) throws -> Int {
        if try t.test(r) { return try a.get(r) }
        let p = try x.invoke(r), q = try y.invoke(r)
        let (v, o) = p.addingReportingOverflow(q)
        if o { throw TypedBail() }
        return v
    }
}

/// `f(x) + g(y)`: both calls made directly (a final class's method), not through `TInt.get`.
final class TAddCalls: TNode {
    let x: TCall, y: TCall
    init(_ x: TCall, _ y: TCall) { self.x = x; self.y = y }
    override func run(_ r: Regs) throws -> Int {
        let p = try x.run(r), q = try y.run(r)
        let (v, o) = p.addingReportingOverflow(q)
        if o { throw TypedBail() }
        return v
    }
}
