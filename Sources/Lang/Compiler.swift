import Syntax

typealias Eval = (Frame) throws -> Value
typealias Exec = (Frame) throws -> Flow
typealias Store = (Frame, Value) throws -> Void

/// Compiles the AST of a cell to Swift closures with names resolved to
/// slots. This file holds statements; `Compiler+Expressions.swift`,
/// `Compiler+Targets.swift` the rest.
final class Compiler {
    unowned let interp: Interpreter
    let cell: Int
    let scope: Scope
    let functionName: String?
    var loopDepth = 0
    /// Expressions being compiled inside one another (`1+1+...`, nested calls): past three
    /// times the recursion limit, CPython's RecursionError "during compilation".
    var expressionDepth = 0
    /// The pure numeric loop whose body is being compiled, if any (`Compiler+Hoist.swift`).
    var hoist: HoistContext?

    init(interpreter: Interpreter, cell: Int, scope: Scope, functionName: String?) {
        self.interp = interpreter; self.cell = cell; self.scope = scope; self.functionName = functionName
    }

    func loc(_ r: SourceRange) -> ErrorLocation { ErrorLocation(cell: cell, range: r, function: functionName) }

    func syntaxError(_ m: String, _ r: SourceRange) -> LangError { LangError(.SyntaxError, m, at: loc(r)) }

    /// Gives an error the place it happened if it has none yet.
    static func locate(_ e: Error, _ l: ErrorLocation) -> LangError {
        var le = LangError.from(e)
        if le.location == nil { le.location = l }
        return le
    }

    /// At a call site: an error from inside the callee gains this call as a caller.
    static func callSite(_ e: Error, _ l: ErrorLocation) -> LangError {
        var le = LangError.from(e)
        if le.location == nil { le.location = l } else { le.callers.insert(l, at: 0) }
        return le
    }

    // MARK: blocks

    func compileBlock(_ body: [Stmt], topLevel: Bool = false) throws -> Exec {
        if topLevel { Resolver.analyze(body, in: scope) }
        if body.isEmpty { return { _ in .normal } }
        return try compileSequence(body[...])
    }

    /// A loop's body: its first three statements called one after another from the loop's
    /// own closure (no closure per pair of statements), the rest folded as a block.
    func compileLoopBody(_ body: [Stmt]) throws -> LoopBody {
        let noop: Exec = { _ in .normal }
        let n = min(body.count, 4)
        let s0 = try body.count > 0 ? compileStatement(body[0]) : noop
        let s1 = try body.count > 1 ? compileStatement(body[1]) : noop
        let s2 = try body.count > 2 ? compileStatement(body[2]) : noop
        let s3 = try body.count > 3 ? compileSequence(body[3...]) : noop
        return LoopBody(count: n, s0, s1, s2, s3)
    }

    /// Statements folded into nested pairs, first to last: direct closure calls. No closure
    /// passes through an array (or any generic container): each one stored there is wrapped
    /// in a reabstraction thunk, and calling it back out adds a second, per statement run.
    private func compileSequence(_ body: ArraySlice<Stmt>) throws -> Exec {
        guard let first = body.first else { return { _ in .normal } }
        let a = try compileStatement(first)
        if body.count == 1 { return a }
        let b = try compileSequence(body.dropFirst())
        return { f in
            let r = try a(f)
            if r != .normal { return r }
            return try b(f)
        }
    }

    func compileStatement(_ s: Stmt) throws -> Exec {
        switch s {
        case .expr(let e, _):
            let ev = try compileExpression(e)
            return { f in _ = try ev(f); return .normal }
        case .assign(let targets, let value, _):
            let v = try compileExpression(value)
            if targets.count == 1 {
                let st = try compileStore(targets[0])
                if let u = countUpdate(targets[0], value) {
                    return compileCountUpdate(u) { f in try st(f, try v(f)); return .normal }
                }
                // `local = arithmetic`: computed unboxed when every operand is a number.
                if case .name(let n, _) = targets[0], case .local(let slot) = scope.resolve(n),
                   Compiler.worthNumeric(value), let num = compileNumeric(value) {
                    let ordinary: Exec = { f in try st(f, try v(f)); return .normal }
                    let general = hoist.map { $0.guarding(ordinary) } ?? ordinary
                    return { f in
                        if let x = num.get(f) { storeNum(f.slots + slot, x); return .normal }
                        return try general(f)
                    }
                }
                return { f in try st(f, try v(f)); return .normal }
            }
            let stores = try targets.map { try compileStore($0) }
            return { f in
                let x = try v(f)
                for st in stores { try st(f, x) }
                return .normal
            }
        case .augAssign(let target, let op, let value, let r):
            return try compileAugmented(target, op, value, r)
        case .ifStmt(let branches, let orElse, _):
            if branches.count == 1 {
                // `if a < b:` on numbers: the comparison in the statement's own closure.
                if let cmp = try compileNumericCompare(branches[0].condition) {
                    let b = try compileBlock(branches[0].body), other = try compileBlock(orElse)
                    if orElse.isEmpty { return { f in try cmp.test(f) ? try b(f) : .normal } }
                    return { f in try cmp.test(f) ? try b(f) : try other(f) }
                }
                let c = try compileCondition(branches[0].condition), b = try compileBlock(branches[0].body)
                let other = try compileBlock(orElse)
                if orElse.isEmpty { return { f in try c(f) ? try b(f) : .normal } }
                return { f in try c(f) ? try b(f) : try other(f) }
            }
            let conds = try branches.map { try compileCondition($0.condition) }
            let bodies = try branches.map { try compileBlock($0.body) }
            let other = try compileBlock(orElse)
            return { f in
                for (i, c) in conds.enumerated() where try c(f) { return try bodies[i](f) }
                return try other(f)
            }
        case .forStmt(let target, let iter, let body, let orElse, let r):
            return try compileFor(target, iter, body, orElse, r)
        case .whileStmt(let cond, let body, let orElse, _):
            let c = try compileCondition(cond)
            loopDepth += 1
            let b = try compileLoopBody(body)
            loopDepth -= 1
            let other = try compileBlock(orElse)
            let interp = self.interp
            let header = loc(cond.range)
            return { f in
                while try c(f) {
                    if Interrupt.requested { try interp.checkInterrupt(at: header) }
                    switch try b.run(f) {
                    case .breakLoop: return .normal
                    case .returned: return .returned
                    case .normal, .continueLoop: continue
                    }
                }
                return try other(f)
            }
        case .breakStmt(let r):
            if loopDepth == 0 { throw syntaxError("'break' outside loop", r) }
            return { _ in .breakLoop }
        case .continueStmt(let r):
            if loopDepth == 0 { throw syntaxError("'continue' not properly in loop", r) }
            return { _ in .continueLoop }
        case .pass:
            return { _ in .normal }
        case .returnStmt(let value, let r):
            if scope.kind != .function { throw syntaxError("'return' outside function", r) }
            guard let value = value else { return { f in f.returnValue = .none; return .returned } }
            let v = try compileExpression(value)
            return { f in f.returnValue = try v(f); return .returned }
        case .def(let fd):
            return try compileDef(fd)
        case .classDef(let name, let bases, let body, let r):
            return try compileClass(name, bases, body, r)
        case .del(let targets, _):
            let dels = try targets.map { try compileDelete($0) }
            return { f in for d in dels { try d(f) }; return .normal }
        case .with(let context, let target, let body, let r):
            return try compileWith(context, target, body, r)
        case .importStmt(let names, let r):
            return try compileImport(names, r)
        case .fromImport(let module, let names, let r):
            return try compileFromImport(module, names, r)
        case .global, .nonlocal:
            return { _ in .normal }
        case .assert(let cond, let message, let r):
            let c = try compileCondition(cond)
            let m = try message.map { try compileExpression($0) }
            let l = loc(r), interp = self.interp
            return { f in
                if try c(f) { return .normal }
                let text = try m.map { interp.str(try $0(f)) } ?? ""
                throw LangError(.AssertionError, text, at: l)
            }
        case .tryStmt(let body, let handlers, let orElse, let finally, _):
            return try compileTry(body, handlers, orElse, finally)
        case .raise(let value, let cause, let r):
            let v = try value.map { try compileExpression($0) }
            let c = try cause.map { try compileExpression($0) }
            let l = loc(r), interp = self.interp
            return { f in
                guard let v = v else {
                    if let current = interp.handling.last { throw current }
                    throw LangError(.RuntimeError, "No active exception to reraise", at: l)
                }
                var cause = try c?(f)
                if case .classValue? = cause { cause = try interp.call(cause ?? .none, Arguments()) }
                if case .builtin(let b)? = cause, b.typeName != nil { cause = try interp.call(cause ?? .none, Arguments()) }
                var x = try v(f)
                if case .builtin(let b) = x, b.typeName != nil { x = try interp.call(x, Arguments()) }
                if case .classValue(let cls) = x, UserExceptions.kind(of: cls) != nil { x = try interp.call(x, Arguments()) }
                if case .instance(let i) = x, let le = UserExceptions.error(for: x, interp, at: l) {
                    if let cause { i.attributes["__cause__"] = cause }
                    throw le
                }
                if case .object(let o) = x, let e = o as? ExceptionValue, let cause { e.cause = cause }
                if case .object(let o) = x, let e = o as? ExceptionValue {
                    var le = LangError(e.kind, e.message, at: l)
                    le.raised = RaisedObject(e)
                    throw le
                }
                if case .builtin(let b) = x, b.typeName == "OSError" { throw LangError(.OSError, "", at: l) }
                throw LangError(.TypeError, "exceptions must derive from BaseException", at: l)
            }
        }
    }

    /// A condition as a Bool, with the common comparisons of ints unboxed.
    func compileCondition(_ e: Expr) throws -> (Frame) throws -> Bool {
        if let numeric = try compileNumericCondition(e) { return numeric.test }
        let v = try compileExpression(e)
        let l = loc(e.range), interp = self.interp
        let general: (Frame) throws -> Bool = { f in
            let x = try v(f)
            if case .bool(let b) = x { return b }
            do { return try interp.truth(x) } catch { throw Compiler.locate(error, l) }
        }
        // (A pure numeric loop's conditions are all numeric; guarded all the same.)
        return hoist.map { $0.guarding(general) } ?? general
    }

    // MARK: loops

    /// Stores the items of `v`, a tuple of `slots.count` items, into those local slots (a tuple
    /// held there before is taken apart first, as every store does); false, with nothing
    /// stored, for anything else (the target's general store then unpacks it or raises).
    @inline(__always) static func unpackTuple(_ v: Value, into slots: [Int], _ f: Frame) -> Bool {
        guard case .tuple(let t) = v, t.count == slots.count else { return false }
        guard let base = t._baseAddressIfContiguous else { return false }
        for k in 0..<t.count {
            let s = slots[k]
            if case .tuple? = f.slots[s] { Teardown.clear(&f.slots[s]) }
            // Read in place (`t` holds the tuple): plain items are copied as bytes.
            PlainValues.store(f.slots + s, UnsafePointer(base + k))
        }
        return true
    }

    func compileFor(_ target: Expr, _ iter: Expr, _ body: [Stmt], _ orElse: [Stmt], _ r: SourceRange) throws -> Exec {
        let it = try compileExpression(iter)
        let store = try compileStore(target)
        loopDepth += 1
        let hoisting = hoistContext(target, body)
        let b: LoopBody
        do {
            let outer = hoist
            hoist = hoisting
            defer { hoist = outer }
            b = try compileLoopBody(body)
        }
        loopDepth -= 1
        let other = try compileBlock(orElse)
        let l = loc(iter.range), interp = self.interp
        var localSlot: Int?
        if case .name(let n, _) = target, case .local(let s) = scope.resolve(n) { localSlot = s }
        let slot = localSlot
        // `for a, b in pairs:` with plain local names: each tuple is unpacked straight into the slots.
        var pairSlots: [Int]?
        if case .tuple(let names, _) = target, !names.isEmpty {
            let s = names.compactMap { e -> Int? in
                if case .name(let n, _) = e, case .local(let s) = scope.resolve(n) { return s }
                return nil
            }
            if s.count == names.count { pairSlots = s }
        }
        let unpackSlots = pairSlots ?? []
        let header = loc(iter.range)
        let direct = directRange(iter)
        return { f in
            /// Runs the body once; returns a Flow to leave the loop with, or nil to go on.
            @inline(__always) func step(_ x: Value) throws -> Flow? {
                // An iterator's `next` may have run user code: invariant prefixes are found again.
                hoisting?.epoch &+= 1
                if let s = slot { f.slots[s] = x } else { try store(f, x) }
                return try afterBody()
            }
            @inline(__always) func afterBody() throws -> Flow? {
                switch try b.run(f) {
                case .breakLoop: return .normal
                case .returned: return .returned
                case .normal, .continueLoop:
                    if Interrupt.requested { try interp.checkInterrupt(at: header) }
                    return nil
                }
            }
            /// The loop over `range(start, stop, step)`; the counter is written over a local's
            /// old number in place.
            @inline(__always) func loopRange(_ start: Int, _ stop: Int, _ by: Int) throws -> Flow? {
                var i = start
                if by > 0 {
                    while i < stop {
                        if let s = slot { storeInt(f.slots + s, i) } else { try store(f, .int(i)) }
                        if let out = try afterBody() { return out }
                        let (next, o) = i.addingReportingOverflow(by)
                        if o { break }
                        i = next
                    }
                } else {
                    while i > stop {
                        if let s = slot { storeInt(f.slots + s, i) } else { try store(f, .int(i)) }
                        if let out = try afterBody() { return out }
                        let (next, o) = i.addingReportingOverflow(by)
                        if o { break }
                        i = next
                    }
                }
                return nil
            }
            // `for x in range(...)` with int arguments: no call, no range value.
            if let direct, let (start, stop, by) = direct.bounds(f) {
                hoisting?.epoch &+= 1
                if let out = try loopRange(start, stop, by) { return out }
                return try other(f)
            }
            let seq = try it(f)
            hoisting?.epoch &+= 1
            switch seq {
            case .range(let rv):
                if let out = try loopRange(rv.start, rv.stop, rv.step) { return out }
            case .list(let box):
                var i = 0
                while i < box.items.count {
                    // Copied once, from the list straight into the slot.
                    hoisting?.epoch &+= 1
                    if let s = slot {
                        PlainValues.store(f.slots + s, from: box, at: i)
                    } else if unpackSlots.isEmpty || !Compiler.unpackTuple(box.items[i], into: unpackSlots, f) {
                        try store(f, box.items[i])
                    }
                    if let out = try afterBody() { return out }
                    i += 1
                }
            case .tuple(let items):
                for x in items { if let out = try step(x) { return out } }
            default:
                let iterator: IteratorBox
                do { iterator = try interp.makeIterator(seq) } catch { throw Compiler.locate(error, l) }
                // An error of the iterator itself (`filter(5, [1])`) is located at the iterable.
                while let x = try { () throws -> Value? in
                    do { return try iterator.next() } catch { throw Compiler.locate(error, l) }
                }() {
                    if let out = try step(x) { return out }
                }
            }
            return try other(f)
        }
    }

    /// `range(a[, b[, c]])` of the builtin `range` with numeric arguments, evaluated without
    /// calling it; nil for any other iterable.
    func directRange(_ iter: Expr) -> DirectRange? {
        guard case .call(.name(let fn, _), let args, _) = iter, fn == "range", (1...3).contains(args.count),
              case .global(let name) = scope.resolve(fn),
              case .builtin(let b)? = interp.builtins[name], b.typeName == "range" else { return nil }
        var nodes: [NumNode] = []
        for a in args {
            guard case .positional(let e) = a, let n = compileNumeric(e) else { return nil }
            nodes.append(n)
        }
        return DirectRange(globals: interp.globals, slot: interp.globals.slot(name), args: nodes)
    }

    // MARK: with, import

    func compileWith(_ context: Expr, _ target: Expr?, _ body: [Stmt], _ r: SourceRange) throws -> Exec {
        let c = try compileExpression(context)
        let store = try target.map { try compileStore($0) }
        let b = try compileBlock(body)
        let l = loc(context.range), interp = self.interp
        return { f in
            let manager = try c(f)
            let entered: Value
            do { entered = try interp.enter(manager) } catch { throw Compiler.locate(error, l) }
            try store?(f, entered)
            let flow: Flow
            do { flow = try b(f) } catch {
                try? interp.exit(manager)
                throw error
            }
            do { try interp.exit(manager) } catch { throw Compiler.locate(error, l) }
            return flow
        }
    }

    func compileImport(_ names: [ImportName], _ r: SourceRange) throws -> Exec {
        var actions: [(Frame) throws -> Void] = []
        let l = loc(r), interp = self.interp
        for n in names {
            let full = n.path.joined(separator: ".")
            let bindName = n.asName ?? n.path.first ?? full
            let bindPath = n.asName == nil ? (n.path.first ?? full) : full
            let store = try compileStoreName(bindName)
            actions.append { f in
                guard interp.importable(full), let ns = interp.moduleNamespace(bindPath), interp.moduleNamespace(full) != nil else {
                    throw LangError(.ModuleNotFoundError, "No module named '\(interp.missingModule(full))'", at: l)
                }
                try store(f, ns)
            }
        }
        return { f in for a in actions { try a(f) }; return .normal }
    }

    func compileFromImport(_ module: [String], _ names: [(name: String, asName: String?)], _ r: SourceRange) throws -> Exec {
        let full = module.joined(separator: ".")
        let l = loc(r), interp = self.interp
        var actions: [(Frame) throws -> Void] = []
        for n in names {
            if n.name == "*" {
                actions.append { _ in
                    guard interp.importable(full), case .namespace(let ns)? = interp.moduleNamespace(full) else {
                        throw LangError(.ModuleNotFoundError, "No module named '\(interp.missingModule(full))'", at: l)
                    }
                    for name in ns.names { if let v = ns[name] { interp.setGlobal(name, v) } }
                }
                continue
            }
            let store = try compileStoreName(n.asName ?? n.name)
            actions.append { f in
                guard interp.importable(full), case .namespace(let ns)? = interp.moduleNamespace(full) else {
                    throw LangError(.ModuleNotFoundError, "No module named '\(interp.missingModule(full))'", at: l)
                }
                guard let v = ns[n.name] else {
                    throw LangError(.ModuleNotFoundError, "cannot import name '\(n.name)' from '\(full)'", at: l)
                }
                try store(f, v)
            }
        }
        return { f in for a in actions { try a(f) }; return .normal }
    }
}

/// The arguments of a `for` loop's `range(...)`, read unboxed (`Compiler.directRange`).
final class DirectRange {
    let globals: Globals
    let slot: Int
    let count: Int
    /// The arguments; those past `count` repeat the first and are never read.
    let a0, a1, a2: NumNode

    init(globals: Globals, slot: Int, args: [NumNode]) {
        self.globals = globals; self.slot = slot; count = args.count
        a0 = args[0]; a1 = args.count > 1 ? args[1] : args[0]; a2 = args.count > 2 ? args[2] : args[0]
    }

    /// Start, stop and step when `range` is still the builtin (no global of that name) and
    /// every argument is an int, the step not zero; nil otherwise, and the loop then calls
    /// `range` as written (which raises Python's errors). The arguments have no side
    /// effects (`compileNumeric`), so evaluating them twice observes nothing.
    @inline(__always) func bounds(_ f: Frame) -> (Int, Int, Int)? {
        guard slot < globals.values.count, let g = globals.values._baseAddressIfContiguous else { return nil }
        switch g[slot] {
        case nil: break
        default: return nil
        }
        guard case .int(let a)? = a0.get(f) else { return nil }
        if count == 1 { return (0, a, 1) }
        guard case .int(let b)? = a1.get(f) else { return nil }
        if count == 2 { return (a, b, 1) }
        guard case .int(let c)? = a2.get(f), c != 0 else { return nil }
        return (a, b, c)
    }
}

/// A loop's body (`Compiler.compileLoopBody`): up to three statements and the rest as one.
final class LoopBody {
    let count: Int
    let s0, s1, s2, s3: Exec

    init(count: Int, _ s0: @escaping Exec, _ s1: @escaping Exec, _ s2: @escaping Exec, _ s3: @escaping Exec) {
        self.count = count; self.s0 = s0; self.s1 = s1; self.s2 = s2; self.s3 = s3
    }

    @inline(__always) func run(_ f: Frame) throws -> Flow {
        let r0 = try s0(f)
        if count == 1 || r0 != .normal { return r0 }
        let r1 = try s1(f)
        if count == 2 || r1 != .normal { return r1 }
        let r2 = try s2(f)
        if count == 3 || r2 != .normal { return r2 }
        return try s3(f)
    }
}
