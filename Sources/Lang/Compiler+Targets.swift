import Syntax

/// Assignment targets, `+=`, `del`, and the definitions `def` and `class`.
extension Compiler {
    func compileStoreName(_ name: String) throws -> Store {
        switch scope.resolve(name) {
        case .local(let s):
            return { f, v in
                if case .tuple? = f.slots[s] { Teardown.clear(&f.slots[s]) }
                f.slots[s] = v
            }
        case .enclosing(let depth, let s):
            return { f, v in
                var fr = f
                for _ in 0..<depth { if let p = fr.parent { fr = p } }
                fr.slots[s] = v
            }
        case .global(let n):
            let g = interp.globals
            let i = g.slot(n)
            return { _, v in g.store(i, v) }
        }
    }

    func compileStore(_ target: Expr) throws -> Store {
        let interp = self.interp
        switch target {
        case .name(let n, _):
            return try compileStoreName(n)
        case .attribute(let obj, let name, let r):
            let o = try compileExpression(obj)
            let l = loc(r)
            return { f, v in
                let x = try o(f)
                do { try interp.setAttribute(x, name, v) } catch { throw Compiler.callSite(error, l) }
            }
        case .index(let obj, let index, let r):
            let o = try compileOperand(obj)
            let i = try compileOperand(index)
            let l = loc(r)
            return { f, v in
                let x = try o.value(f), k = try i.value(f)
                if case .list(let box) = x, case .int(var j) = k {
                    if j < 0 { j += box.items.count }
                    if j >= 0 && j < box.items.count { box.items[j] = v; return }
                }
                if case .dict(let d) = x {
                    if case .str(let s) = k, let j = d.find(str: s) { d.setValue(at: j, v); return }
                    if let h = HashKey(k) { d.set(h, k, v); return }
                }
                do { try interp.setItem(x, k, v) } catch { throw Compiler.callSite(error, l) }
            }
        case .tuple(let items, let r), .list(let items, let r):
            let starIndex = items.firstIndex { if case .starred = $0 { return true }; return false }
            if items.filter({ if case .starred = $0 { return true }; return false }).count > 1 {
                throw syntaxError("multiple starred expressions in assignment", r)
            }
            let stores = try items.map { item -> Store in
                if case .starred(let inner, _) = item { return try compileStore(inner) }
                return try compileStore(item)
            }
            let l = loc(r)
            if starIndex == nil {
                // `a, b = pair` / `for k, v in pairs:` from a tuple or list of the right
                // length: the items are stored as they are (no array of them is made), into
                // their slots when the targets are plain local names.
                let slots: [Int] = items.map { item in
                    if case .name(let n, _) = item, case .local(let s) = scope.resolve(n) { return s }
                    return -1
                }
                let n = stores.count
                let allSlots = !slots.contains(-1)
                return { f, v in
                    @inline(__always) func put(_ items: [Value]) throws {
                        if allSlots {
                            for k in 0..<n {
                                let s = slots[k]
                                if case .tuple? = f.slots[s] { Teardown.clear(&f.slots[s]) }
                                f.slots[s] = items[k]
                            }
                        } else {
                            for k in 0..<n { try stores[k](f, items[k]) }
                        }
                    }
                    if case .tuple(let t) = v, t.count == n { try put(t); return }
                    if case .list(let box) = v, box.items.count == n { try put(box.items); return }
                    let values: [Value]
                    do { values = try interp.unpack(v, count: n, star: nil) } catch {
                        throw Compiler.locate(error, l)
                    }
                    try put(values)
                }
            }
            return { f, v in
                let values: [Value]
                do { values = try interp.unpack(v, count: stores.count, star: starIndex) } catch {
                    throw Compiler.locate(error, l)
                }
                for (st, x) in zip(stores, values) { try st(f, x) }
            }
        case .starred(_, let r):
            throw syntaxError("starred assignment target must be in a list or tuple", r)
        default:
            throw syntaxError("cannot assign to expression", target.range)
        }
    }

    func compileAugmented(_ target: Expr, _ op: BinaryOp, _ value: Expr, _ r: SourceRange) throws -> Exec {
        let v = try compileExpression(value)
        let l = loc(r), interp = self.interp
        switch target {
        case .name(let n, let nr):
            return try compileAugmentedName(n, nr, op, value, r)
        case .attribute(let obj, let name, _):
            let o = try compileExpression(obj)
            return { f in
                let x = try o(f)
                do {
                    let a = try interp.getAttribute(x, name)
                    let result = try interp.inplace(op, a, try v(f))
                    try interp.setAttribute(x, name, result)
                } catch { throw Compiler.callSite(error, l) }
                return .normal
            }
        case .index(let obj, let index, _):
            let o = try compileExpression(obj)
            let i = try compileExpression(index)
            return { f in
                let x = try o(f), k = try i(f)
                // Fast path: `out[i] += a` on a list of numbers.
                if case .list(let box) = x, case .int(var j) = k {
                    if j < 0 { j += box.items.count }
                    if j >= 0 && j < box.items.count {
                        let b = try v(f)
                        let a = box.items[j]
                        if case .float(let p) = a, case .float(let q) = b, op == .add { box.items[j] = .float(p + q); return .normal }
                        do { box.items[j] = try interp.inplace(op, a, b) } catch { throw Compiler.locate(error, l) }
                        return .normal
                    }
                }
                do {
                    let a = try interp.getItem(x, k)
                    let result = try interp.inplace(op, a, try v(f))
                    try interp.setItem(x, k, result)
                } catch { throw Compiler.callSite(error, l) }
                return .normal
            }
        default:
            throw syntaxError("'\(target)' is an illegal expression for augmented assignment", r)
        }
    }

    func compileDelete(_ target: Expr) throws -> (Frame) throws -> Void {
        let interp = self.interp
        switch target {
        case .name(let n, let r):
            let l = loc(r)
            switch scope.resolve(n) {
            case .local(let s):
                return { f in
                    if f.slots[s] == nil { throw LangError(.NameError, "cannot access local variable '\(n)' where it is not associated with a value", at: l) }
                    Teardown.clear(&f.slots[s])
                    f.slots[s] = nil
                }
            case .enclosing:
                throw syntaxError("cannot delete a variable of an enclosing function", r)
            case .global(let name):
                return { _ in
                    if interp.global(name) == nil { throw LangError(.NameError, "name '\(name)' is not defined", at: l) }
                    interp.deleteGlobal(name)
                }
            }
        case .index(let obj, let index, let r):
            let o = try compileExpression(obj), i = try compileExpression(index)
            let l = loc(r)
            return { f in
                let x = try o(f), k = try i(f)
                do { try interp.deleteItem(x, k) } catch { throw Compiler.callSite(error, l) }
            }
        case .attribute(let obj, let name, let r):
            let o = try compileExpression(obj)
            let l = loc(r)
            return { f in
                let x = try o(f)
                guard case .instance(let inst) = x, inst.attributes.removeValue(forKey: name) != nil else {
                    throw LangError(.AttributeError, "'\(x.typeName)' object has no attribute '\(name)'", at: l)
                }
            }
        case .tuple(let items, _), .list(let items, _):
            let dels = try items.map { try compileDelete($0) }
            return { f in for d in dels { try d(f) } }
        default:
            throw syntaxError("cannot delete expression", target.range)
        }
    }

    // MARK: definitions

    /// Compiles a function body into a new scope; returns the body, the
    /// scope (its final slot count sizes frames) and default evaluators.
    func compileFunction(name: String, _ params: Parameters, _ body: [Stmt], isLambda: Bool,
                         lambdaBody: Expr? = nil) throws -> (Exec, Scope, [Eval?], [Eval?]) {
        let fnScope = Scope(kind: .function, parent: scope)
        for p in params.positional { fnScope.addLocal(p.name) }
        if let v = params.varargs { fnScope.addLocal(v) }
        for p in params.keywordOnly { fnScope.addLocal(p.name) }
        if let k = params.kwargs { fnScope.addLocal(k) }
        let sub = Compiler(interpreter: interp, cell: cell, scope: fnScope, functionName: isLambda ? "<lambda>" : name)
        let exec: Exec
        if let e = lambdaBody {
            let ev = try sub.compileExpression(e)
            exec = { f in f.returnValue = try ev(f); return .returned }
        } else {
            Resolver.analyze(body, in: fnScope)
            exec = try sub.compileBlock(body)
        }
        let defaults = try params.positional.map { p in try p.defaultValue.map { try compileExpression($0) } }
        let kwDefaults = try params.keywordOnly.map { p in try p.defaultValue.map { try compileExpression($0) } }
        return (exec, fnScope, defaults, kwDefaults)
    }

    func makeFunction(name: String, _ params: Parameters, _ body: [Stmt], isLambda: Bool,
                      lambdaBody: Expr? = nil) throws -> Eval {
        let (exec, fnScope, defaults, kwDefaults) = try compileFunction(name: name, params, body, isLambda: isLambda, lambdaBody: lambdaBody)
        let kind = scope.kind, interp = self.interp
        // A body in the typed tier's shape also gets typed forms, compiled per argument types.
        let typedSource: TypedSource? = !isLambda && params.varargs == nil && params.kwargs == nil
            && params.keywordOnly.isEmpty && TypedSource.plausible(body, fnScope)
            ? TypedSource(name: name, params: params.positional.count, body: body, scope: fnScope) : nil
        let sortKey = SortKeyPlan(params: params, lambdaBody: lambdaBody, body: body)
        return { f in
            var sig = Signature(isLambda ? "<lambda>" : name, varargs: params.varargs, kwargs: params.kwargs)
            for (p, d) in zip(params.positional, defaults) { sig.params.append(Param(p.name, optionalDefault: try d?(f))) }
            for (p, d) in zip(params.keywordOnly, kwDefaults) { sig.keywordOnly.append(Param(p.name, optionalDefault: try d?(f))) }
            let closure: Frame? = kind == .module ? nil : kind == .classBody ? f.parent : f
            let fn = Function(name: sig.name, signature: sig, frameSize: fnScope.slotCount,
                              body: exec, closure: closure, isLambda: isLambda)
            fn.sortKey = sortKey
            if let typedSource {
                interp.typedSerials += 1
                fn.typed = TypedFunction(source: typedSource, serial: interp.typedSerials)
                fn.typedSerial = interp.typedSerials
            }
            return .function(fn)
        }
    }

    func compileDef(_ fd: FunctionDef) throws -> Exec {
        let make = try makeFunction(name: fd.name, fd.parameters, fd.body, isLambda: false)
        let store = try compileStoreName(fd.name)
        return { f in try store(f, try make(f)); return .normal }
    }

    func compileClass(_ name: String, _ bases: [Expr], _ body: [Stmt], _ r: SourceRange) throws -> Exec {
        let baseEvals = try bases.map { try compileExpression($0) }
        let classScope = Scope(kind: .classBody, parent: scope)
        Resolver.analyze(body, in: classScope)
        let sub = Compiler(interpreter: interp, cell: cell, scope: classScope, functionName: name)
        let exec = try sub.compileBlock(body)
        let store = try compileStoreName(name)
        let l = loc(r), interp = self.interp
        return { f in
            var baseClasses: [ClassValue] = []
            for b in baseEvals {
                let v = try b(f)
                if case .classValue(let c) = v { baseClasses.append(c); continue }
                guard let host = interp.hostBaseClass(v) else {
                    throw LangError(.TypeError, "cannot subclass \(interp.repr(v))", at: l)
                }
                baseClasses.append(host)
            }
            let frame = Frame.make(count: classScope.slotCount, parent: f)
            _ = try exec(frame)
            var attributes: [String: Value] = [:]
            for (n, s) in classScope.localNames { if let v = frame.slots[s] { attributes[n] = v } }
            let cls = ClassValue(name: name, bases: baseClasses, attributes: attributes)
            for case .function(let fn) in attributes.values { fn.ownerClass = cls }
            try store(f, .classValue(cls))
            return .normal
        }
    }
}

