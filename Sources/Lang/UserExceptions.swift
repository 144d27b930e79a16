/// User exception classes (`class ShapeMismatch(ValueError): ...`): the builtin
/// base is a class of its own (one per kind) whose `__init__` keeps the arguments
/// in `args`, with BaseException's `__str__` and `__repr__`; raising an instance
/// throws an error of the nearest builtin kind that names the user's class, and
/// `except` matches it by class.
enum UserExceptions {
    nonisolated(unsafe) static var bases: [ErrorKind: ClassValue] = [:]

    /// The class standing for a builtin exception kind as a base class.
    static func base(_ kind: ErrorKind) -> ClassValue {
        if let c = bases[kind] { return c }
        let parent = kind.parent.map { base($0) }
        let c = ClassValue(name: kind.rawValue, bases: parent.map { [$0] } ?? [], attributes: [:])
        c.attributes["__init__"] = .builtin(Builtin(path: "\(kind.rawValue).__init__",
                                                    signature: Signature("__init__", [Param("self")], varargs: "args")) { a in
            if case .instance(let i) = a[0] {
                if i.attributes["args"] == nil { i.attributeOrder.append("args") }
                i.attributes["args"] = .tuple(a.varargs)
            }
            return .none
        })
        c.attributes["__str__"] = .builtin(Builtin(path: "\(kind.rawValue).__str__", signature: Signature("__str__", [Param("self")])) { a in
            .str(text(a[0], a.interpreter, repr: false))
        })
        c.attributes["__repr__"] = .builtin(Builtin(path: "\(kind.rawValue).__repr__", signature: Signature("__repr__", [Param("self")])) { a in
            .str(text(a[0], a.interpreter, repr: true))
        })
        bases[kind] = c
        return c
    }

    static func args(_ v: Value) -> [Value] {
        if case .instance(let i) = v, case .tuple(let t)? = i.attributes["args"] { return t }
        return []
    }

    /// BaseException's str (the one argument, or the tuple) and repr (`Name(args)`).
    static func text(_ v: Value, _ interp: Interpreter, repr: Bool) -> String {
        let a = args(v)
        guard repr else {
            if a.isEmpty { return "" }
            return a.count == 1 ? interp.str(a[0]) : interp.repr(.tuple(a))
        }
        let name: String
        if case .instance(let i) = v { name = i.cls.name } else { name = "Exception" }
        return a.count == 1 ? "\(name)(\(interp.repr(a[0])))" : name + interp.repr(.tuple(a))
    }

    /// The builtin kind a class derives from (nil for a class that is not an exception).
    static func kind(of cls: ClassValue) -> ErrorKind? {
        var stack = [cls]
        while let c = stack.popLast() {
            if let k = ErrorKind(rawValue: c.name), bases[k] === c { return k }
            stack += c.bases
        }
        return nil
    }

    static func isSubclass(_ cls: ClassValue, of target: ClassValue) -> Bool {
        var stack = [cls]
        while let c = stack.popLast() { if c === target { return true }; stack += c.bases }
        return false
    }

    /// The error `raise obj` throws for an instance of a user exception class.
    static func error(for v: Value, _ interp: Interpreter, at l: ErrorLocation) -> LangError? {
        guard case .instance(let i) = v, let k = kind(of: i.cls) else { return nil }
        var e = LangError(k, interp.str(v), at: l)
        e.className = i.cls.name
        e.raised = RaisedObject(i)
        return e
    }
}
