import Syntax

/// Generator expressions run lazily, as CPython's do: the first iterable is evaluated
/// when the expression is, everything else one item per `next()`, so
/// `any(x > 5 for x in range(2**62))` stops at the seventh item. A generator that ran
/// out (or raised) stays exhausted: iterating it again gives nothing.
extension Compiler {
    func compileGenerator(_ element: Expr, _ clauses: [Comprehension]) throws -> Eval {
        let interp = self.interp
        var pushed = 0
        defer { scope.popTemporaries(pushed) }
        var levels: [(iter: Eval, store: Store, conds: [(Frame) throws -> Bool], at: ErrorLocation)] = []
        var slots: [Int] = []
        for c in clauses {
            let iter = try compileExpression(c.iter)
            for n in Compiler.targetNames(c.target) { slots.append(scope.pushTemporary(n)); pushed += 1 }
            let store = try compileStore(c.target)
            let conds = try c.conditions.map { try compileCondition($0) }
            levels.append((iter, store, conds, loc(c.iter.range)))
        }
        let el = try compileExpression(element)
        let levelList = levels, temporaries = slots
        return { f in
            guard let first = levelList.first else { return .iterator(IteratorBox.over([], typeName: "generator")) }
            var stack: [IteratorBox]
            do { stack = [try interp.makeIterator(try first.iter(f))] } catch { throw Compiler.locate(error, first.at) }
            // Each generator keeps its own values of the loop variables: two live
            // generators of the same expression share the frame's slots.
            var own = [Value?](repeating: nil, count: temporaries.count)
            return .iterator(IteratorBox(typeName: "generator") {
                guard !stack.isEmpty else { return nil }
                var outer = [Value?](repeating: nil, count: temporaries.count)
                for (k, s) in temporaries.enumerated() { outer[k] = f.slots[s]; f.slots[s] = own[k] }
                defer {
                    for (k, s) in temporaries.enumerated() { own[k] = f.slots[s]; f.slots[s] = outer[k] }
                }
                do {
                    while let it = stack.last {
                        try interp.checkInterrupt()
                        let d = stack.count - 1
                        let level = levelList[d]
                        let item: Value?
                        do { item = try it.next() } catch { throw Compiler.locate(error, level.at) }
                        guard let x = item else { stack.removeLast(); continue }
                        try level.store(f, x)
                        if try !level.conds.allSatisfy({ try $0(f) }) { continue }
                        if d + 1 < levelList.count {
                            let next = levelList[d + 1]
                            do { stack.append(try interp.makeIterator(try next.iter(f))) } catch { throw Compiler.locate(error, next.at) }
                            continue
                        }
                        return try el(f)
                    }
                    return nil
                } catch {
                    stack = []
                    throw error
                }
            })
        }
    }
}
