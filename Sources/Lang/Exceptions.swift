import Syntax

/// Python's exception hierarchy over the kinds a user can catch: `except
/// LookupError` catches KeyError and IndexError, `except Exception` everything
/// but KeyboardInterrupt. Tensorpad's ShapeError is a RuntimeError, as PyTorch
/// raises shape errors; IOError is OSError.
extension ErrorKind {
    public var parent: ErrorKind? {
        switch self {
        case .BaseException: return nil
        case .Exception, .KeyboardInterrupt, .SystemExit: return .BaseException
        case .ZeroDivisionError, .OverflowError: return .ArithmeticError
        case .ModuleNotFoundError: return .ImportError
        case .IndexError, .KeyError: return .LookupError
        case .FileNotFoundError, .FileExistsError, .PermissionError, .IOError: return .OSError
        case .NotImplementedError, .RecursionError, .ShapeError: return .RuntimeError
        case .UnboundLocalError: return .NameError
        default: return .Exception
        }
    }

    /// True when an error of this kind is caught by `except other`.
    public func isSubclass(of other: ErrorKind) -> Bool {
        let target = other == .IOError ? .OSError : other
        var k: ErrorKind? = self
        while let c = k {
            if c == target { return true }
            k = c.parent
        }
        return false
    }
}

extension Compiler {
    /// `try` / `except T as e` / `else` / `finally`, with Python's order: the first
    /// matching handler runs; `else` only when the body raised nothing; `finally`
    /// always, and an exception or `return` inside it wins.
    func compileTry(_ body: [Stmt], _ handlers: [ExceptHandler], _ orElse: [Stmt], _ finally: [Stmt]) throws -> Exec {
        let b = try compileBlock(body)
        let other = try compileBlock(orElse)
        let fin = finally.isEmpty ? nil : try compileBlock(finally)
        typealias Handler = (types: Eval?, store: Store?, body: Exec, loc: ErrorLocation)
        let hs: [Handler] = try handlers.map {
            (try $0.types.map { try compileExpression($0) }, try $0.name.map { try compileStoreName($0) },
             try compileBlock($0.body), loc($0.range))
        }
        let interp = self.interp
        /// Runs the handlers for an error; nil when none matched.
        func handle(_ error: LangError, _ f: Frame) throws -> Flow? {
            for h in hs {
                if let types = h.types {
                    let t = try types(f)
                    guard try Compiler.matches(error, t, interp, h.loc) else { continue }
                }
                if let inst = error.raised?.object as? Instance { try h.store?(f, .instance(inst)) }
                else { try h.store?(f, .object(Compiler.exceptionObject(error))) }
                interp.handling.append(error)
                defer { interp.handling.removeLast() }
                return try h.body(f)
            }
            return nil
        }
        return { f in
            var flow: Flow = .normal
            var pending: Error?
            do {
                flow = try b(f)
                do { flow = flow == .normal ? try other(f) : flow } catch { pending = error }
            } catch {
                if Interrupt.requested { Interrupt.requested = false }
                let le = LangError.from(error)
                do {
                    if let handled = try handle(le, f) { flow = handled } else { pending = error }
                } catch { pending = error }
            }
            if let fin {
                let finFlow = try fin(f)
                if finFlow != .normal { return finFlow }
            }
            if let pending { throw pending }
            return flow
        }
    }

    /// The object `except ... as e` binds: the one raised, or one made from the error.
    static func exceptionObject(_ e: LangError) -> ExceptionValue {
        if let r = e.raised?.object as? ExceptionValue { return r }
        var args: [Value] = e.message.isEmpty ? [] : [.str(e.message)]
        // A missing key's message is its repr; its args hold the key itself.
        if e.kind == .KeyError, e.message.count >= 2, e.message.first == "'", e.message.last == "'" {
            args = [.str(String(e.message.dropFirst().dropLast()))]
        }
        return ExceptionValue(kind: e.kind, message: e.message, args: args)
    }

    /// Whether an error kind matches the value after `except` (a type or a tuple of types).
    static func matches(_ error: LangError, _ t: Value, _ interp: Interpreter, _ l: ErrorLocation) throws -> Bool {
        let kind = error.kind
        switch t {
        case .tuple(let items):
            for x in items where try matches(error, x, interp, l) { return true }
            return false
        case .classValue(let cls):
            guard let k = UserExceptions.kind(of: cls) else { break }
            if let inst = error.raised?.object as? Instance { return UserExceptions.isSubclass(inst.cls, of: cls) }
            // A builtin error is caught by the class standing for its kind (or an ancestor's).
            return UserExceptions.bases[k] === cls && kind.isSubclass(of: k)
        case .builtin(let b):
            if let name = b.typeName, let k = ErrorKind(rawValue: name) { return kind.isSubclass(of: k) }
        default: break
        }
        throw LangError(.TypeError, "catching classes that do not inherit from BaseException is not allowed", at: l)
    }
}
