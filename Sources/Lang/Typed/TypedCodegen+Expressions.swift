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
            case .global(let name):
                let g = interp.globals, i = g.slot(name)
                return TInt { _ in
                    guard case .int(let v)? = g.values[i] else { throw TypedBail() }
                    return v
                }
            case .enclosing: throw TypedIneligible()
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
            let cond = try condition(c), a = try int(x), b = try int(y)
            return TInt { r in try cond(r) ? try a.get(r) : try b.get(r) }
        case .call(let callee, let args, _):
            return try intCall(callee, try positional(args))
        default:
            throw TypedIneligible()
        }
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
            case .global(let name):
                let g = interp.globals, i = g.slot(name)
                return TFloat { _ in
                    guard case .float(let v)? = g.values[i] else { throw TypedBail() }
                    return v
                }
            case .enclosing: throw TypedIneligible()
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
            let cond = try condition(c), a = try float(x), b = try float(y)
            return TFloat { r in try cond(r) ? try a.get(r) : try b.get(r) }
        case .call(let callee, let args, _):
            return try floatCall(callee, try positional(args))
        default:
            throw TypedIneligible()
        }
    }

    // MARK: calls

    private func intCall(_ callee: Expr, _ args: [Expr]) throws -> TInt {
        switch try resolveCallee(callee) {
        case .function(let tf, let slot):
            return TInt(try functionCall(tf, slot, args))
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
            return TFloat { r in fromBits(try call(r)) }
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
    private func functionCall(_ tf: TypedFunction, _ slot: Int, _ args: [Expr]) throws -> (Regs) throws -> Int {
        var types: [TType] = []
        for a in args { types.append(try known(a)) }
        guard let callee = tf.spec(types, interp) else { throw TypedIneligible() }
        let words = try zip(args, types).map { try bits($0.0, as: $0.1) }
        let g = interp.globals
        // The callee is the function the global holds at compile time, checked by its serial
        // (an address could be reused by a later function). Its spec is held unowned: while
        // the global holds the function, the function and its specs are alive.
        let serial = tf.serial
        unowned(unsafe) let target = callee
        unowned(unsafe) let me = spec
        let stack = interp.typedStack
        let stackEnd = stack.end, depth = stack.depth
        let n = words.count
        let first = returnSlot + 1 + temps
        temps += n
        let w0 = words.first ?? TInt(constant: 0)
        return { r in
            if g.serials[slot] != serial { throw TypedBail() }
            if n == 1 {
                r[first] = try w0.get(r)
            } else {
                for k in 0..<n { r[first + k] = try words[k].get(r) }
            }
            let nb = r + me.frameSize
            if nb + target.frameSize > stackEnd { throw TypedBail() }
            for k in 0..<n { nb[k] = r[first + k] }
            depth[0] += 1
            if depth[0] > depth[1] { throw TypedBail() }
            if TypedCodegen.due(depth + 2) { throw TypedBail() }
            let result = try target.bodyRef._withUnsafeGuaranteedRef { try $0.invoke(nb) }
            depth[0] -= 1
            return result
        }
    }
}
