import TensorCore
/// Calling values: user functions (with frames and the recursion limit),
/// builtins (checked against their signature), bound methods, classes.
extension Interpreter {
    public func call(_ callee: Value, _ args: Arguments) throws -> Value {
        switch callee {
        case .function(let fn): return try callFunction(fn, args)
        case .builtin(let b):
            let r = try callBuiltin(b, args)
            if Interrupt.requested { try checkInterrupt() }   // a kernel may have stopped early
            return r
        case .boundMethod(let m):
            var a = args
            a.positional.insert(m.receiver, at: 0)
            return try call(m.function, a)
        case .classValue(let cls): return try instantiate(cls, args)
        case .object(let o):
            if let r = try o.call(args, self) { return r }
        case .instance:
            if let m = try? getAttribute(callee, "__call__") { return try call(m, args) }
        default: break
        }
        if isHost(callee), let r = try hooks.call?(callee, args) {
            if Interrupt.requested { try checkInterrupt() }
            return r
        }
        throw typeError("'\(callee.typeName)' object is not callable")
    }

    func callFunction(_ fn: Function, _ args: Arguments) throws -> Value {
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > recursionLimit || StackGuard.exhausted { throw LangError(.RecursionError, "maximum recursion depth exceeded") }
        if Interrupt.requested { try checkInterrupt() }
        var frame = fn.takeFrame()
        frame.function = fn
        let sig = fn.signature
        let n = sig.params.count
        if args.keywords.isEmpty && args.positional.count == n && sig.varargs == nil
            && sig.kwargs == nil && sig.keywordOnly.isEmpty && n <= fn.frameSize {
            for i in 0..<n { frame.slots[i] = args.positional[i] }
        } else {
            var slots = [Value?](repeating: nil, count: sig.slotCount)
            try Binder.bind(sig, args, into: &slots)
            for (i, v) in slots.enumerated() where i < fn.frameSize { frame.slots[i] = v }
        }
        if let t = fn.typed, let v = t.run(frame, self) {
            _ = finish(fn, &frame, .normal)
            return v
        }
        return finish(fn, &frame, try fn.body(frame))
    }

    /// The call's result; the frame becomes one of the function's spares when nothing else holds it.
    @inline(__always)
    func finish(_ fn: Function, _ frame: inout Frame, _ flow: Flow) -> Value {
        var result = Value.none
        if flow == .returned { swap(&result, &frame.header.returnValue) }
        if isKnownUniquelyReferenced(&frame) {
            frame.clear()
            fn.keepSpare(frame)
        }
        return result
    }

    /// Runs a function whose frame the caller filled with exactly its plain parameters
    /// (`Function.plainArity`): no argument array, no binding.
    @inline(__always)
    func runPlain(_ fn: Function, _ frame: inout Frame) throws -> Value {
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > recursionLimit { throw LangError(.RecursionError, "maximum recursion depth exceeded") }
        if Interrupt.requested { try checkInterrupt() }
        frame.function = fn
        if let t = fn.typed, let v = t.run(frame, self) {
            _ = finish(fn, &frame, .normal)
            return v
        }
        return finish(fn, &frame, try fn.body(frame))
    }

    func callBuiltin(_ b: Builtin, _ args: Arguments) throws -> Value {
        let sig = b.signature
        let bound: BoundArgs
        let given = args.positional.count, n = sig.params.count
        if args.keywords.isEmpty && sig.varargs == nil && sig.kwargs == nil && sig.keywordOnly.isEmpty && given <= n
            && (given == n || sig.params[given...].allSatisfy({ $0.defaultValue != nil })) {
            // Positional arguments for plain parameters (the common call): no binding pass.
            var values = args.positional
            for p in sig.params[given...] { values.append(p.defaultValue ?? .none) }
            bound = BoundArgs(values: values, varargs: [], kwargs: [], signature: sig, interpreter: self)
        } else {
            var slots = [Value?](repeating: nil, count: sig.slotCount)
            try Binder.bind(sig, args, into: &slots)
            var values = slots[..<n].map { $0 ?? .none }
            var varargs: [Value] = []
            var k = n
            if sig.varargs != nil {
                if case .tuple(let t)? = slots[k] { varargs = t }
                k += 1
            }
            values += slots[k..<(k + sig.keywordOnly.count)].map { $0 ?? .none }
            k += sig.keywordOnly.count
            var kwargs: [(String, Value)] = []
            if sig.kwargs != nil, case .dict(let d)? = slots[k] {
                for (key, v) in d.items { if case .str(let s) = key { kwargs.append((s, v)) } }
            }
            bound = BoundArgs(values: values, varargs: varargs, kwargs: kwargs, signature: sig, interpreter: self)
        }
        do {
            return try b.body(bound)
        } catch let e as LangError {
            throw e
        } catch TensorError.memory(let bytes, let limit) {
            // `MemoryError: zeros((100000, 100000)) needs 37.25 GiB, over the limit of 18 GiB`
            // A tensor shows as its shape, not its many-line repr.
            func brief(_ v: Value) -> String {
                if case .tensor(let t) = v { return "<tensor of shape \(Shape.describe(t.shape))>" }
                return repr(v)
            }
            let shown = (args.positional.map(brief) + args.keywords.map { "\($0.0)=\(brief($0.1))" }).joined(separator: ", ")
            throw LangError(.MemoryError, "\(sig.name)(\(shown)) \(TensorError.memory(bytes: bytes, limit: limit).description)")
        } catch {
            throw LangError.from(error)
        }
    }

    func instantiate(_ cls: ClassValue, _ args: Arguments) throws -> Value {
        let inst: Value = ScriptModule.derivesFromModule(cls)
            ? .module(ScriptModule(cls: cls, interpreter: self)) : .instance(Instance(cls: cls))
        if let initializer = cls.lookup("__init__") {
            var a = args
            a.positional.insert(inst, at: 0)
            _ = try call(initializer, a)
        } else if !args.positional.isEmpty || !args.keywords.isEmpty {
            throw typeError("\(cls.name)() takes no arguments")
        }
        return inst
    }

    /// Calls with positional arguments only (for builtins like `map`, `sorted(key=)`).
    public func call(_ callee: Value, _ positional: [Value]) throws -> Value {
        try call(callee, Arguments(positional))
    }
}
