import Syntax

/// List and dict comprehensions (generator expressions, which run lazily, are in
/// `Compiler+Generator.swift`). The loop variables are temporaries of the enclosing frame;
/// a plain name is stored straight into its slot. Lists and ranges are walked by index,
/// as CPython's list_iterator does (seeing items appended meanwhile).
extension Compiler {
    /// `[e for x in xs]` (one `for`, no `if`): the element appended in the loop itself,
    /// with the list's room reserved when the length is known.
    func compileSimpleListComp(_ element: Expr, _ clause: Comprehension) throws -> Eval {
        let interp = self.interp
        let iter = try compileExpression(clause.iter)
        var pushed = 0
        defer { scope.popTemporaries(pushed) }
        for n in Compiler.targetNames(clause.target) { _ = scope.pushTemporary(n); pushed += 1 }
        let store = try compileStore(clause.target)
        var slot = -1
        if case .name(let n, _) = clause.target, case .local(let s) = scope.resolve(n) { slot = s }
        let el = try compileExpression(element)
        let l = loc(clause.iter.range)
        return { f in
            let seq = try iter(f)
            var out: [Value] = []
            @inline(__always) func step(_ x: Value) throws {
                try Compiler.bindVariable(f, slot, store, x)
                out.append(try el(f))
            }
            switch seq {
            case .list(let box):
                out.reserveCapacity(box.items.count)
                var i = 0
                while i < box.items.count {
                    // A plain name's item is copied once, from the list straight into its slot
                    // (a tuple there is first taken apart by `bindVariable`'s teardown).
                    if slot >= 0 && !Compiler.holdsTuple(f.slots + slot) {
                        PlainValues.store(f.slots + slot, from: box, at: i)
                        out.append(try el(f))
                    } else {
                        try step(box.items[i])
                    }
                    i += 1
                }
            case .range(let r):
                out.reserveCapacity(Swift.min(r.count, 1 << 16))
                try r.forEach { try step(.int($0)) }
            default:
                let it: IteratorBox
                do { it = try interp.makeIterator(seq) } catch { throw Compiler.locate(error, l) }
                while let x = try { () throws -> Value? in
                    do { return try it.next() } catch { throw Compiler.locate(error, l) }
                }() {
                    try step(x)
                }
            }
            return .list(ListBox(out))
        }
    }

    func compileComprehension(_ clauses: [Comprehension],
                              element: (Compiler) throws -> (Frame, inout [Value]) throws -> Void,
                              finish: @escaping ([Value]) throws -> Value) throws -> Eval {
        let interp = self.interp
        var pushed = 0
        defer { scope.popTemporaries(pushed) }
        typealias Loop = (Frame, inout [Value]) throws -> Void
        var levels: [(Eval, Store, Int, [(Frame) throws -> Bool], ErrorLocation)] = []
        for c in clauses {
            let iter = try compileExpression(c.iter)
            for n in Compiler.targetNames(c.target) { _ = scope.pushTemporary(n); pushed += 1 }
            let store = try compileStore(c.target)
            // A plain name is stored straight into its slot (no call of `store` per item).
            var slot = -1
            if case .name(let n, _) = c.target, case .local(let s) = scope.resolve(n) { slot = s }
            let conds = try c.conditions.map { try compileCondition($0) }
            levels.append((iter, store, slot, conds, loc(c.iter.range)))
        }
        var body: Loop = try element(self)
        let single = levels.count == 1
        for (iter, store, slot, conds, l) in levels.reversed() {
            let inner = body
            let filtered = !conds.isEmpty
            body = { f, out in
                @inline(__always) func step(_ x: Value) throws {
                    try Compiler.bindVariable(f, slot, store, x)
                    if filtered {
                        for c in conds { if try !c(f) { return } }
                    }
                    try inner(f, &out)
                }
                let seq = try iter(f)
                let it: IteratorBox
                switch seq {
                case .range(let r):
                    if single && !filtered { out.reserveCapacity(Swift.min(r.count, 1 << 16)) }
                    try r.forEach { try step(.int($0)) }
                    return
                case .list(let box):
                    if single && !filtered { out.reserveCapacity(box.items.count) }
                    // As list_iterator does: by index, seeing items appended meanwhile.
                    var i = 0
                    while i < box.items.count {
                        try step(box.items[i])
                        i += 1
                    }
                    return
                default:
                    do { it = try interp.makeIterator(seq) } catch { throw Compiler.locate(error, l) }
                }
                while let x = try { () throws -> Value? in
                    do { return try it.next() } catch { throw Compiler.locate(error, l) }
                }() {
                    try step(x)
                }
            }
        }
        let run = body
        return { f in
            var out: [Value] = []
            try run(f, &out)
            return try finish(out)
        }
    }

    /// Binds a comprehension variable: straight into its slot when it has one (a tuple the slot
    /// held released without recursion), else through the target's store.
    @inline(__always) static func holdsTuple(_ p: UnsafeMutablePointer<Value?>) -> Bool {
        if case .tuple? = p.pointee { return true }
        return false
    }

    @inline(__always) static func bindVariable(_ f: Frame, _ slot: Int, _ store: Store, _ x: Value) throws {
        if slot >= 0 {
            if case .tuple? = f.slots[slot] { Teardown.clear(&f.slots[slot]) }
            f.slots[slot] = x
        } else {
            try store(f, x)
        }
    }
}
