import TensorCore
import Syntax

/// Expressions compile to `(Frame) throws -> Value` closures; ints and
/// floats take unboxed fast paths before the general operator code.
extension Compiler {
    func compileName(_ n: String, _ r: SourceRange) throws -> Eval {
        let l = loc(r)
        switch scope.resolve(n) {
        case .local(let s):
            return { f in
                if let v = f.slots[s] { return v }
                throw LangError(.NameError, "cannot access local variable '\(n)' where it is not associated with a value", at: l)
            }
        case .enclosing(let depth, let s):
            return { f in
                var fr = f
                for _ in 0..<depth { if let p = fr.parent { fr = p } }
                if let v = fr.slots[s] { return v }
                throw LangError(.NameError, "cannot access free variable '\(n)' where it is not associated with a value in enclosing scope", at: l)
            }
        case .global(let name):
            let g = interp.globals, i = g.slot(name), interp = self.interp
            // Builtins are fixed when the interpreter is made: look the name up once.
            let builtin = interp.builtins[name]
            // CPython offers the innermost function's locals first (not a class body's).
            let function: Scope? = scope.kind == .function ? scope : nil
            return { _ in
                if let v = g.values[i] { return v }
                if let b = builtin { return b }
                let locals = function?.localNames.sorted { $0.1 < $1.1 }.map(\.0) ?? []
                throw LangError(.NameError, interp.nameErrorMessage(name, locals: locals), at: l)
            }
        }
    }

    func compileExpression(_ e: Expr) throws -> Eval {
        expressionDepth += 1
        defer { expressionDepth -= 1 }
        if expressionDepth > 3 * interp.recursionLimit || StackGuard.exhausted {
            throw LangError(.RecursionError, "maximum recursion depth exceeded during compilation", at: loc(e.range))
        }
        return try compileExpressionBody(e)
    }

    private func compileExpressionBody(_ e: Expr) throws -> Eval {
        let interp = self.interp
        switch e {
        case .name(let n, let r): return try compileName(n, r)
        case .int(let v, _): let c = Value.int(v); return { _ in c }
        case .float(let v, _): let c = Value.float(v); return { _ in c }
        case .string(let s, _): let c = Value.str(s); return { _ in c }
        case .bool(let b, _): let c = Value.bool(b); return { _ in c }
        case .none: return { _ in .none }
        case .ellipsis: return { _ in .ellipsis }
        case .fstring(let segments, _): return try compileFString(segments)
        case .list(let items, _):
            let ev = try compileItems(items)
            return { f in .list(ListBox(try ev(f))) }
        case .tuple(let items, _):
            let ev = try compileItems(items)
            return { f in .tuple(try ev(f)) }
        case .dict(let items, let r):
            let pairs = try items.map { (try compileExpression($0.0), try compileExpression($0.1)) }
            let l = loc(r)
            return { f in
                let d = DictBox()
                for (k, v) in pairs {
                    let key = try k(f)
                    guard let h = HashKey(key) else { throw LangError(.TypeError, "unhashable type: '\(key.typeName)'", at: l) }
                    d.set(h, key, try v(f))
                }
                return .dict(d)
            }
        case .starred(_, let r):
            throw syntaxError("can't use starred expression here", r)
        case .unary(let op, let x, let r):
            let v = try compileExpression(x)
            let l = loc(r)
            if op == .not {
                return { f in
                    let a = try v(f)
                    if case .bool(let b) = a { return .bool(!b) }
                    do { return .bool(!(try interp.truth(a))) } catch { throw Compiler.locate(error, l) }
                }
            }
            return { f in
                let a = try v(f)
                if op == .neg {
                    if case .float(let d) = a { return .float(-d) }
                    if case .int(let i) = a, i != Int.min { return .int(-i) }
                }
                do { return try interp.unary(op, a) } catch { throw Compiler.locate(error, l) }
            }
        case .binary(let op, let a, let b, let r):
            return try compileBinary(op, a, b, r)
        case .boolean(let op, let a, let b, let r):
            let x = try compileExpression(a), y = try compileExpression(b)
            let l = loc(r)
            return { f in
                let v = try x(f)
                let t: Bool
                if case .bool(let bb) = v { t = bb } else {
                    do { t = try interp.truth(v) } catch { throw Compiler.locate(error, l) }
                }
                return (op == .and) == t ? try y(f) : v
            }
        case .compare(let first, let rest, let r):
            return try compileCompare(first, rest, r)
        case .conditional(let cond, let then, let otherwise, _):
            let c = try compileCondition(cond), t = try compileExpression(then), o = try compileExpression(otherwise)
            return { f in try c(f) ? try t(f) : try o(f) }
        case .call(let callee, let args, let r):
            return try compileCall(callee, args, r)
        case .attribute(let obj, let name, let r):
            let o = try compileExpression(obj)
            let l = loc(r)
            return { f in
                let x = try o(f)
                do { return try interp.getAttribute(x, name) } catch { throw Compiler.callSite(error, l) }
            }
        case .index(let obj, let index, let r):
            if Compiler.isIndexChain(e) { return try compileIndexChain(e) }
            let o = try compileOperand(obj), i = try compileOperand(index)
            let l = loc(r)
            return { f in
                let x = try o.value(f), k = try i.value(f)
                if case .int(var j) = k {
                    if case .list(let box) = x {
                        if j < 0 { j += box.items.count }
                        if j >= 0 && j < box.items.count { return box.items[j] }
                    } else if case .tuple(let items) = x {
                        if j < 0 { j += items.count }
                        if j >= 0 && j < items.count { return items[j] }
                    }
                } else if case .dict(let d) = x, case .str(let s) = k, let j = d.find(str: s) {
                    return d.value(at: j)
                }
                do { return try interp.getItem(x, k) } catch { throw Compiler.callSite(error, l) }
            }
        case .slice(let a, let b, let c, _):
            let x = try a.map { try compileExpression($0) }
            let y = try b.map { try compileExpression($0) }
            let z = try c.map { try compileExpression($0) }
            return { f in
                .slice(SliceValue(start: try x?(f) ?? .none, stop: try y?(f) ?? .none, step: try z?(f) ?? .none))
            }
        case .listComp(let element, let clauses, _):
            if clauses.count == 1, clauses[0].conditions.isEmpty { return try compileSimpleListComp(element, clauses[0]) }
            return try compileComprehension(clauses) { sub in
                let el = try sub.compileExpression(element)
                return { f, out in out.append(try el(f)) }
            } finish: { .list(ListBox($0)) }
        case .generator(let element, let clauses, _):
            return try compileGenerator(element, clauses)
        case .dictComp(let key, let value, let clauses, let r):
            let l = loc(r)
            return try compileComprehension(clauses) { sub in
                let k = try sub.compileExpression(key), v = try sub.compileExpression(value)
                return { f, out in out.append(.tuple([try k(f), try v(f)])) }
            } finish: { pairs in
                let d = DictBox()
                for case .tuple(let kv) in pairs where kv.count == 2 {
                    guard let h = HashKey(kv[0]) else { throw LangError(.TypeError, "unhashable type: '\(kv[0].typeName)'", at: l) }
                    d.set(h, kv[0], kv[1])
                }
                return .dict(d)
            }
        case .lambda(let params, let body, _):
            return try makeFunction(name: "<lambda>", params, [], isLambda: true, lambdaBody: body)
        }
    }

    /// Items of a list or tuple display, expanding `*x`.
    func compileItems(_ items: [Expr]) throws -> (Frame) throws -> [Value] {
        let hasStar = items.contains { if case .starred = $0 { return true }; return false }
        if !hasStar {
            let evs = try items.map { EvalBox(try compileExpression($0)) }
            return { f in
                var out: [Value] = []
                out.reserveCapacity(evs.count)
                for e in evs { out.append(try e.eval(f)) }
                return out
            }
        }
        let interp = self.interp
        let parts: [(Eval, Bool, ErrorLocation)] = try items.map { item in
            if case .starred(let x, let r) = item { return (try compileExpression(x), true, loc(r)) }
            return (try compileExpression(item), false, loc(item.range))
        }
        return { f in
            var out: [Value] = []
            for (e, star, l) in parts {
                let v = try e(f)
                if star {
                    do { out += try interp.toArray(v) } catch { throw Compiler.locate(error, l) }
                } else { out.append(v) }
            }
            return out
        }
    }

    func compileFString(_ segments: [FSegment]) throws -> Eval {
        let parts = try segments.map { try compileSegment($0) }
        return { f in
            var s = ""
            for p in parts { s += try p(f) }
            return .str(s)
        }
    }

    func compileSegment(_ segment: FSegment) throws -> (Frame) throws -> String {
        switch segment {
        case .literal(let s): return { _ in s }
        case .field(let e, let conversion, let spec):
            let v = try compileExpression(e)
            let specParts = try spec.map { try compileSegment($0) }
            let l = loc(e.range), interp = self.interp
            return { f in
                var x = try v(f)
                var specText = ""
                do {
                    if let c = conversion { x = .str(c == "s" ? try interp.checkedStr(x) : try interp.checkedRepr(x)) }
                    for p in specParts { specText += try p(f) }
                    return try FormatSpec.format(x, specText, hooks: interp.hooks)
                } catch {
                    throw Compiler.locate(error, l)
                }
            }
        }
    }

    static func targetNames(_ e: Expr) -> [String] {
        switch e {
        case .name(let n, _): return [n]
        case .tuple(let items, _), .list(let items, _): return items.flatMap(targetNames)
        case .starred(let x, _): return targetNames(x)
        default: return []
        }
    }
}
