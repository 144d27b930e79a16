import Syntax

/// Binary operators, comparisons and calls.
extension Compiler {
    /// `a op b`; arithmetic over nested arithmetic (`len(w) * 7 % 13`, `x[i][j] * w + b`) is
    /// computed unboxed first (`compileNumeric`: side-effect free up to the point it gives up),
    /// and by the ordinary operators when it gives up.
    func compileBinary(_ op: BinaryOp, _ a: Expr, _ b: Expr, _ r: SourceRange) throws -> Eval {
        let general = try compileBinaryOperator(op, a, b, r)
        if Compiler.nestedNumeric(a) || Compiler.nestedNumeric(b), let num = compileNumeric(.binary(op, a, b, r)) {
            return { f in
                if let x = num.get(f) { return x.value }
                return try general(f)
            }
        }
        return general
    }

    private func compileBinaryOperator(_ op: BinaryOp, _ a: Expr, _ b: Expr, _ r: SourceRange) throws -> Eval {
        let x = try compileOperand(a), y = try compileOperand(b)
        let l = loc(r), interp = self.interp
        switch op {
        case .add:
            return { f in
                let p = try x.value(f), q = try y.value(f)
                if case .int(let i) = p, case .int(let j) = q {
                    let (s, o) = i.addingReportingOverflow(j)
                    if !o { return .int(s) }
                } else if case .float(let u) = p {
                    if case .float(let v) = q { return .float(u + v) }
                    if case .int(let j) = q { return .float(u + Double(j)) }
                }
                do { return try interp.binary(op, p, q) } catch { throw Compiler.locate(error, l) }
            }
        case .sub:
            return { f in
                let p = try x.value(f), q = try y.value(f)
                if case .int(let i) = p, case .int(let j) = q {
                    let (s, o) = i.subtractingReportingOverflow(j)
                    if !o { return .int(s) }
                } else if case .float(let u) = p, case .float(let v) = q { return .float(u - v) }
                do { return try interp.binary(op, p, q) } catch { throw Compiler.locate(error, l) }
            }
        case .mul:
            return { f in
                let p = try x.value(f), q = try y.value(f)
                if case .float(let u) = p {
                    if case .float(let v) = q { return .float(u * v) }
                    if case .int(let j) = q { return .float(u * Double(j)) }
                } else if case .int(let i) = p {
                    if case .int(let j) = q {
                        let (s, o) = i.multipliedReportingOverflow(by: j)
                        if !o { return .int(s) }
                    } else if case .float(let v) = q { return .float(Double(i) * v) }
                }
                do { return try interp.binary(op, p, q) } catch { throw Compiler.locate(error, l) }
            }
        case .mod, .floorDiv:
            // Ints floor-divided as Python does (`numBinary`); zero divisors, `min // -1` and
            // everything else through `binary`, which raises or handles them.
            return { f in
                let p = try x.value(f), q = try y.value(f)
                if case .int(let i) = p, case .int(let j) = q, let r = numBinary(op, .int(i), .int(j)) { return r.value }
                do { return try interp.binary(op, p, q) } catch { throw Compiler.locate(error, l) }
            }
        default:
            return { f in
                let p = try x.value(f), q = try y.value(f)
                do { return try interp.binary(op, p, q) } catch { throw Compiler.locate(error, l) }
            }
        }
    }

    func compileCompare(_ first: Expr, _ rest: [(CompareOp, Expr)], _ r: SourceRange) throws -> Eval {
        let a = try compileOperand(first)
        let ops = try rest.map { ($0.0, try compileOperand($0.1)) }
        let l = loc(r), interp = self.interp
        if ops.count == 1, let (op, b) = ops.first {
            return { f in
                let p = try a.value(f), q = try b.value(f)
                if case .int(let i) = p, case .int(let j) = q {
                    switch op {
                    case .lt: return .bool(i < j)
                    case .le: return .bool(i <= j)
                    case .gt: return .bool(i > j)
                    case .ge: return .bool(i >= j)
                    case .eq: return .bool(i == j)
                    case .ne: return .bool(i != j)
                    default: break
                    }
                }
                do { return try interp.compare(op, p, q) } catch { throw Compiler.locate(error, l) }
            }
        }
        return { f in
            var left = try a.value(f)
            var result = Value.bool(true)
            for (op, b) in ops {
                let right = try b.value(f)
                if case .int(let i) = left, case .int(let j) = right, let t = compareInts(op, i, j) {
                    result = .bool(t)
                    if !t { return result }
                    left = right
                    continue
                }
                do {
                    result = try interp.compare(op, left, right)
                    if !(try interp.truth(result)) { return result }
                } catch { throw Compiler.locate(error, l) }
                left = right
            }
            return result
        }
    }

    func compileCall(_ callee: Expr, _ args: [Argument], _ r: SourceRange) throws -> Eval {
        let l = loc(r), interp = self.interp
        // zero-argument super() inside a method
        if case .name("super", _) = callee, args.isEmpty, scope.kind == .function {
            return { f in
                guard let fn = f.function, let cls = fn.ownerClass, fn.signature.params.count > 0,
                      let me = f.slots[0] else {
                    throw LangError(.RuntimeError, "super(): no arguments", at: l)
                }
                return .object(SuperProxy(cls: cls, receiver: me))
            }
        }
        // super(Cls, self): the two-argument form most tutorials use.
        if case .name("super", _) = callee, args.count == 2, case .positional(let ce) = args[0],
           case .positional(let re) = args[1] {
            let c = try compileExpression(ce), recv = try compileExpression(re)
            let superFn = try compileExpression(callee)
            return { f in
                let cv = try c(f), me = try recv(f)
                guard case .classValue(let cls) = cv else {
                    // Not a user class: whatever `super` names here decides.
                    do { return try interp.call(try superFn(f), Arguments([cv, me])) } catch { throw Compiler.callSite(error, l) }
                }
                if case .instance = me, !(try isInstance(me, cv, interp)) {
                    throw LangError(.TypeError, "super(type, obj): obj must be an instance or subtype of type", at: l)
                }
                return .object(SuperProxy(cls: cls, receiver: me))
            }
        }
        let simple = args.allSatisfy { if case .positional = $0 { return true }; return false }
        if simple, case .attribute(let object, let name, let ar) = callee {
            return try compileMethodCall(object, name, loc(ar), args, l)
        }
        let target = try compileCallee(callee)
        let fn = target.eval
        if simple {
            // One argument is compiled on its own: a closure read back from an array runs
            // through a reabstraction thunk on every call.
            let evs = args.count == 1 ? [] : try args.map { EvalBox(try compileArgument($0)) }
            // `range(n)` and `range(a, b)` on ints make the range without binding arguments.
            var rangeBuiltin: Builtin?
            if case .builtin(let b)? = interp.builtins["range"] { rangeBuiltin = b }
            let rangeFn = rangeBuiltin
            // `len(x)` counts without binding arguments.
            var lenBuiltin: Builtin?
            if case .builtin(let b)? = interp.builtins["len"] { lenBuiltin = b }
            let lenFn = lenBuiltin
            switch args.count {
            case 1:
                guard case .positional(let e0) = args[0] else { break }
                let a0 = try compileExpression(e0)
                let call: Eval = { f in
                    let c = try target.value(f)
                    // A user function of one plain parameter: the frame is filled directly.
                    if case .function(let fun) = c, fun.plainArity == 1 {
                        let x = try a0(f)
                        var frame = fun.takeFrame()
                        frame.slots[0] = x
                        do { return try interp.runPlain(fun, &frame) } catch { throw Compiler.callSite(error, l) }
                    }
                    let x = try a0(f)
                    if case .builtin(let b) = c {
                        if b === rangeFn, case .int(let stop) = x { return .range(RangeValue(start: 0, stop: stop, step: 1)) }
                        if b === lenFn {
                            do { return .int(try interp.length(x)) } catch { throw Compiler.callSite(error, l) }
                        }
                    }
                    do { return try interp.call(c, Arguments([x])) } catch { throw Compiler.callSite(error, l) }
                }
                if case .name("len", _) = callee, target.slot >= 0, lenFn != nil {
                    return try compileLen(e0, target, l, general: call)
                }
                return call
            default:
                let count = evs.count
                return { f in
                    let c = try target.value(f)
                    if case .function(let fun) = c, fun.plainArity == count {
                        var frame = fun.takeFrame()
                        for i in 0..<count { frame.slots[i] = try evs[i].eval(f) }
                        do { return try interp.runPlain(fun, &frame) } catch { throw Compiler.callSite(error, l) }
                    }
                    var values: [Value] = []
                    values.reserveCapacity(evs.count)
                    for e in evs { values.append(try e.eval(f)) }
                    if values.count == 2, let rangeFn, case .builtin(let b) = c, b === rangeFn,
                       case .int(let start) = values[0], case .int(let stop) = values[1] {
                        return .range(RangeValue(start: start, stop: stop, step: 1))
                    }
                    do { return try interp.call(c, Arguments(values)) } catch { throw Compiler.callSite(error, l) }
                }
            }
        }
        enum Part { case pos(Eval), star(Eval, ErrorLocation), kw(String, Eval), doubleStar(Eval, ErrorLocation) }
        let parts: [Part] = try args.map { a in
            switch a {
            case .positional(let e): return .pos(try compileExpression(e))
            case .star(let e): return .star(try compileExpression(e), loc(e.range))
            case .keyword(let k, let e): return .kw(k, try compileExpression(e))
            case .doubleStar(let e): return .doubleStar(try compileExpression(e), loc(e.range))
            }
        }
        var seen = Set<String>()
        for case .keyword(let k, let e) in args {
            if !seen.insert(k).inserted { throw syntaxError("keyword argument repeated: \(k)", e.range) }
        }
        return { f in
            let c = try fn(f)
            var call = Arguments()
            for p in parts {
                switch p {
                case .pos(let e): call.positional.append(try e(f))
                case .star(let e, let el):
                    let v = try e(f)
                    do { call.positional += try interp.toArray(v) } catch {
                        throw LangError(.TypeError, "Value after * must be an iterable, not \(v.typeName)", at: el)
                    }
                case .kw(let k, let e): call.keywords.append((k, try e(f)))
                case .doubleStar(let e, let el):
                    guard case .dict(let d) = try e(f) else {
                        throw LangError(.TypeError, "argument after ** must be a mapping", at: el)
                    }
                    for (k, v) in d.items {
                        guard case .str(let key) = k else { throw LangError(.TypeError, "keywords must be strings", at: el) }
                        call.keywords.append((key, v))
                    }
                }
            }
            do { return try interp.call(c, call) } catch { throw Compiler.callSite(error, l) }
        }
    }
}

/// A called name read in place: a global's slot (a `def` at top level) without a closure
/// call; anything else (a builtin, an unbound name, any expression) through `eval`.
final class Callee {
    let globals: Globals
    /// The global's slot, or −1.
    let slot: Int
    let eval: Eval

    init(globals: Globals, slot: Int, eval: @escaping Eval) { self.globals = globals; self.slot = slot; self.eval = eval }

    @inline(__always) func value(_ f: Frame) throws -> Value {
        if slot >= 0, let v = globals.values[slot] { return v }
        return try eval(f)
    }

    /// True when the global's slot is empty, so the name means the builtin.
    @inline(__always) var unbound: Bool {
        if case nil = globals.values[slot] { return true }
        return false
    }
}

extension Compiler {
    func compileCallee(_ e: Expr) throws -> Callee {
        let g = interp.globals
        if case .name(let n, _) = e, case .global(let name) = scope.resolve(n) {
            return Callee(globals: g, slot: g.slot(name), eval: try compileExpression(e))
        }
        return Callee(globals: g, slot: -1, eval: try compileExpression(e))
    }

    /// `obj.name(a, b)` with positional arguments. A list, dict, str or tuple receiver calls
    /// its builtin method directly, found once per call site and receiver type (an inline
    /// cache): no bound-method object, no name look-ups per call. Anything else gets the
    /// attribute and calls it, as `getAttribute` + `call` always did.
    func compileMethodCall(_ object: Expr, _ name: String, _ attributeLoc: ErrorLocation, _ args: [Argument],
                           _ l: ErrorLocation) throws -> Eval {
        let o = try compileExpression(object)
        let evs = try args.map { EvalBox(try compileArgument($0)) }
        let cache = MethodCache()
        if name == "append", args.count == 1, case .name(let n, _) = object, case .local(let ls) = scope.resolve(n),
           case .positional(let arg) = args[0], let item = appendOperand(arg) {
            // `xs.append(v)` with `xs` a local and `v` a literal or a local: nothing runs between
            // reading the list and appending to it, so the list is borrowed from its slot (no
            // retain or release of it per call).
            let general = try compileMethodCallGeneral(name, attributeLoc, evs, l, cache)
            return { f in
                if let box = borrowedListSlot(f.slots + ls) {
                    switch item {
                    case .constant(let c):
                        box._withUnsafeGuaranteedRef { $0.items.append(c) }
                        return .none
                    case .slot(let j):
                        if let v = f.slots[j] {
                            box._withUnsafeGuaranteedRef { $0.items.append(v) }
                            return .none
                        }
                    }
                }
                return try general(f, try o(f), nil)
            }
        }
        // `d.get(k)` / `d.get(k, default)` on a dict and `xs.append(x)` on a list: the
        // builtin's own work done in place (no argument array, no binding).
        if (name == "get" && (args.count == 1 || args.count == 2)) || (name == "append" && args.count == 1) {
            let a0 = evs[0], a1 = evs[args.count - 1]
            let isGet = name == "get", two = args.count == 2
            let general = try compileMethodCallGeneral(name, attributeLoc, evs, l, cache)
            return { f in
                let receiver = try o(f)
                if isGet, case .dict(let d) = receiver {
                    let k = try a0.eval(f)
                    let otherwise = two ? try a1.eval(f) : .none
                    if case .str(let s) = k { return d.find(str: s).map { d.value(at: $0) } ?? otherwise }
                    if let h = HashKey(k) { return d.get(h) ?? otherwise }
                    return try general(f, receiver, two ? [k, otherwise] : [k])
                }
                if !isGet, case .list(let box) = receiver {
                    box.items.append(try a0.eval(f))
                    return .none
                }
                return try general(f, receiver, nil)
            }
        }
        let general = try compileMethodCallGeneral(name, attributeLoc, evs, l, cache)
        return { f in try general(f, try o(f), nil) }
    }

    /// An argument read with nothing run: a number or str literal, or a local.
    enum AppendOperand {
        case constant(Value)
        case slot(Int)
    }

    func appendOperand(_ e: Expr) -> AppendOperand? {
        switch e {
        case .int(let v, _): return .constant(.int(v))
        case .float(let v, _): return .constant(.float(v))
        case .string(let v, _): return .constant(.str(v))
        case .name(let n, _): if case .local(let s) = scope.resolve(n) { return .slot(s) }; return nil
        default: return nil
        }
    }

    func compileArgument(_ a: Argument) throws -> Eval {
        if case .positional(let e) = a { return try compileExpression(e) }
        return { _ in .none }
    }

    /// The method call once the receiver is known; `given` holds arguments already evaluated.
    private func compileMethodCallGeneral(_ name: String, _ attributeLoc: ErrorLocation,
                                          _ evs: [EvalBox], _ l: ErrorLocation, _ cache: MethodCache) throws
        -> (Frame, Value, [Value]?) throws -> Value {
        let interp = self.interp
        return { f, receiver, given in
            let tag: Int
            switch receiver {
            case .list: tag = 1
            case .dict: tag = 2
            case .str: tag = 3
            case .tuple: tag = 4
            default: tag = 0
            }
            var method: Builtin?
            if tag != 0 {
                if cache.tag == tag { method = cache.method } else if let m = interp.methodTable(receiver)?[name] {
                    cache.tag = tag; cache.method = m; method = m
                }
            }
            var values: [Value] = []
            values.reserveCapacity(evs.count + 1)
            if let method {
                values.append(receiver)
                if let given { values += given } else { for e in evs { values.append(try e.eval(f)) } }
                do {
                    let r = try interp.callBuiltin(method, Arguments(values))
                    if Interrupt.requested { try interp.checkInterrupt() }
                    return r
                } catch { throw Compiler.callSite(error, l) }
            }
            let c: Value
            do { c = try interp.getAttribute(receiver, name) } catch { throw Compiler.callSite(error, attributeLoc) }
            if let given { values += given } else { for e in evs { values.append(try e.eval(f)) } }
            do { return try interp.call(c, Arguments(values)) } catch { throw Compiler.callSite(error, l) }
        }
    }
}

/// A compiled expression kept in an array: called through the class's field, where a closure
/// read back out of an array (a generic container) runs through two reabstraction thunks.
final class EvalBox {
    let eval: Eval
    init(_ eval: @escaping Eval) { self.eval = eval }
}

/// The builtin method a call site last found, by receiver type (1 list, 2 dict, 3 str, 4 tuple).
final class MethodCache {
    var tag = 0
    var method: Builtin?
}

/// `super()`: attribute lookup that starts after the method's class.
final class SuperProxy: HostObject {
    let cls: ClassValue
    let receiver: Value
    init(cls: ClassValue, receiver: Value) { self.cls = cls; self.receiver = receiver }
    var typeName: String { "super" }

    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        for base in cls.bases {
            if let v = base.lookup(name) {
                if case .function = v { return .boundMethod(BoundMethod(receiver: receiver, function: v)) }
                // BaseException's methods on an exception base class: bound to the receiver.
                if case .builtin(let b) = v, UserExceptions.kind(of: base) != nil {
                    let receiver = self.receiver
                    return .builtin(Builtin(path: b.path, signature: Signature(name, varargs: "args")) { a in
                        try a.interpreter.call(v, [receiver] + a.varargs)
                    })
                }
                return v
            }
        }
        if name == "__init__" {
            // object.__init__ (and host bases without their own): nothing to do
            return .builtin(Builtin(path: "object.__init__", signature: Signature("__init__", varargs: "args", kwargs: "kwargs")) { _ in .none })
        }
        return nil
    }
}
