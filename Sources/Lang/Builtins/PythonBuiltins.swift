import Foundation
import TensorCore

/// The Python builtins of SPEC §4 (`print len range ...`).
func installPythonBuiltins(_ r: Registry) {
    func reg(_ name: String, _ params: [Param] = [], varargs: String? = nil, keywordOnly: [Param] = [],
             kwargs: String? = nil, typeName: String? = nil, argumentError: ((Arguments) -> String?)? = nil,
             doc: String, _ body: @escaping (BoundArgs) throws -> Value) {
        var signature = Signature(name, params, varargs: varargs, keywordOnly: keywordOnly, kwargs: kwargs, doc: doc)
        signature.argumentError = argumentError
        r.register(path: name, signature: signature, typeName: typeName, body: body)
    }

    reg("print", varargs: "args", keywordOnly: [Param("sep", default: .str(" ")), Param("end", default: .str("\n")),
                                                 Param("file", default: .none), Param("flush", default: .bool(false))],
        doc: "Prints the values, separated by sep and followed by end.") { a in
        let i = a.interpreter
        let sep = a[0].isNone ? " " : try i.checkedStr(a[0])
        let end = a[1].isNone ? "\n" : try i.checkedStr(a[1])
        let text = try a.varargs.map { try i.checkedStr($0) }.joined(separator: sep) + end
        if case .object(let f as TextFile) = a[2] { try f.write(text); return .none }
        i.output(text)
        if try i.truth(a[3]) { i.console.flush() }
        return .none
    }
    r.register(path: "Ellipsis", value: .ellipsis)
    reg("len", [Param("obj")], doc: "Number of items of a container.") { a in .int(try a.interpreter.length(a[0])) }
    reg("range", [Param("start"), Param("stop", default: .none), Param("step", default: .int(1))],
        typeName: "range", doc: "range(stop) or range(start, stop[, step]).") { a in
        var start = try Convert.int(a[0], what: "start", in: "range"), stop = 0
        if a[1].isNone { stop = start; start = 0 } else { stop = try Convert.int(a[1], what: "stop", in: "range") }
        let step = try Convert.int(a[2], what: "step", in: "range")
        if step == 0 { throw valueError("range() arg 3 must not be zero") }
        return .range(RangeValue(start: start, stop: stop, step: step))
    }
    reg("enumerate", [Param("iterable"), Param("start", default: .int(0))], typeName: "enumerate",
        doc: "Pairs (index, item).") { a in
        let it = try a.interpreter.makeIterator(a[0])
        var n = try Convert.int(a[1], what: "start", in: "enumerate")
        return .iterator(IteratorBox(typeName: "enumerate") {
            guard let x = try it.next() else { return nil }
            defer { n += 1 }
            return .tuple([.int(n), x])
        })
    }
    reg("zip", varargs: "iterables", keywordOnly: [Param("strict", default: .bool(false))], typeName: "zip",
        doc: "Tuples of the items of several iterables, up to the shortest.") { a in
        let its = try a.varargs.map { try a.interpreter.makeIterator($0) }
        return .iterator(IteratorBox(typeName: "zip") {
            if its.isEmpty { return nil }
            var t: [Value] = []
            for it in its { guard let x = try it.next() else { return nil }; t.append(x) }
            return .tuple(t)
        })
    }
    for (name, wantMax) in [("min", false), ("max", true)] {
        reg(name, varargs: "args", keywordOnly: [Param("key", default: .none), Param("default", default: .none)],
            doc: "The \(wantMax ? "largest" : "smallest") item of an iterable or of the arguments.") { a in
            let i = a.interpreter
            let items = a.varargs.count == 1 ? try i.toArray(a.varargs[0]) : a.varargs
            if a.varargs.isEmpty { throw typeError("\(name) expected at least 1 argument, got 0") }
            guard var best = items.first else {
                if !a[1].isNone { return a[1] }
                throw valueError("\(name)() arg is an empty sequence")
            }
            var bestKey = a[0].isNone ? best : try i.call(a[0], [best])
            for x in items.dropFirst() {
                let k = a[0].isNone ? x : try i.call(a[0], [x])
                let better = wantMax ? try i.less(bestKey, k, .lt) : try i.less(k, bestKey, .lt)
                if better { best = x; bestKey = k }
            }
            return best
        }
    }
    reg("abs", [Param("x")], doc: "Absolute value.") { a in
        switch a[0] {
        case .int(let v):
            if v == Int.min { throw Interpreter.overflow }
            return .int(Swift.abs(v))
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d): return .float(Swift.abs(d))
        default:
            if let m = try? a.interpreter.getAttribute(a[0], "abs") { return try a.interpreter.call(m, []) }
            throw typeError("bad operand type for abs(): '\(a[0].typeName)'")
        }
    }
    reg("sum", [Param("iterable"), Param("start", default: .int(0))], doc: "Sum of start and the items.") { a in
        let i = a.interpreter
        var total = a[1]
        let it = try i.makeIterator(a[0])
        while let x = try it.next() {
            if case .float(let p) = total, case .float(let q) = x { total = .float(p + q); continue }
            total = try i.binary(.add, total, x)
        }
        return total
    }
    reg("round", [Param("number"), Param("ndigits", default: .none)], doc: "Rounds half to even.") { a in
        let i = a.interpreter
        switch a[0] {
        case .int, .bool:
            return .int(i.integer(a[0]) ?? 0)
        case .float(let d):
            if a[1].isNone {
                guard d.isFinite else { throw valueError("cannot convert float \(PyFormat.float(d)) to integer") }
                let r = d.rounded(.toNearestOrEven)
                guard Swift.abs(r) < 9.2e18 else { throw Interpreter.overflow }
                return .int(Int(r))
            }
            let n = try Convert.int(a[1], what: "ndigits", in: "round")
            guard d.isFinite else { return .float(d) }
            if n >= 0 { return .float(Double(String(format: "%.\(min(n, 320))f", d)) ?? d) }
            let p = Foundation.pow(10.0, Double(-n))
            return .float((d / p).rounded(.toNearestOrEven) * p)
        default:
            if let m = try? i.getAttribute(a[0], "round") { return try i.call(m, []) }
            throw typeError("type \(a[0].typeName) doesn't define __round__ method")
        }
    }
    reg("isinstance", [Param("obj"), Param("class_or_tuple")], doc: "Whether obj is an instance of the type(s).") { a in
        .bool(try isInstance(a[0], a[1], a.interpreter))
    }
    reg("issubclass", [Param("cls"), Param("class_or_tuple")], doc: "Whether cls derives from the type(s).") { a in
        .bool(try isSubclass(a[0], a[1]))
    }
    reg("type", [Param("object")], doc: "The type of an object.") { a in try a.interpreter.typeOf(a[0]) }
    reg("sorted", [Param("iterable")], keywordOnly: [Param("key", default: .none), Param("reverse", default: .bool(false))],
        argumentError: Signature.sortArguments(method: false), doc: "A new sorted list.") { a in
        .list(ListBox(try sortValues(try a.interpreter.toArray(a[0]), key: a[1], reverse: try sortReverse(a[2]), a.interpreter)))
    }
    reg("reversed", [Param("sequence")], typeName: "reversed", doc: "The items in reverse order.") { a in
        .iterator(IteratorBox.over(try a.interpreter.toArray(a[0]).reversed(), typeName: "reversed"))
    }
    reg("any", [Param("iterable")], doc: "True if any item is true.") { a in
        let it = try a.interpreter.makeIterator(a[0])
        while let x = try it.next() { if try a.interpreter.truth(x) { return .bool(true) } }
        return .bool(false)
    }
    reg("all", [Param("iterable")], doc: "True if every item is true.") { a in
        let it = try a.interpreter.makeIterator(a[0])
        while let x = try it.next() { if !(try a.interpreter.truth(x)) { return .bool(false) } }
        return .bool(true)
    }
    reg("map", [Param("function"), Param("iterable")], varargs: "iterables", typeName: "map",
        doc: "Applies function to the items.") { a in
        let its = try ([a[1]] + a.varargs).map { try a.interpreter.makeIterator($0) }
        let f = a[0], i = a.interpreter
        return .iterator(IteratorBox(typeName: "map") {
            var args: [Value] = []
            for it in its { guard let x = try it.next() else { return nil }; args.append(x) }
            return try i.call(f, args)
        })
    }
    reg("filter", [Param("function"), Param("iterable")], typeName: "filter", doc: "The items for which function is true.") { a in
        let it = try a.interpreter.makeIterator(a[1])
        let f = a[0], i = a.interpreter
        return .iterator(IteratorBox(typeName: "filter") {
            while let x = try it.next() {
                if try i.truth(f.isNone ? x : try i.call(f, [x])) { return x }
            }
            return nil
        })
    }
    reg("hasattr", [Param("obj"), Param("name")], doc: "Whether the object has the attribute.") { a in
        let n = try Convert.string(a[1], what: "name", in: "hasattr")
        do { _ = try a.interpreter.getAttribute(a[0], n); return .bool(true) } catch let e as LangError where e.kind == .AttributeError {
            return .bool(false)
        }
    }
    reg("getattr", [Param("obj"), Param("name"), Param("default", default: .missing)], doc: "An attribute by name.") { a in
        let n = try Convert.string(a[1], what: "name", in: "getattr")
        do { return try a.interpreter.getAttribute(a[0], n) } catch let e as LangError where e.kind == .AttributeError {
            if !a.isMissing(2) { return a[2] }
            throw e
        }
    }
    reg("setattr", [Param("obj"), Param("name"), Param("value")], doc: "Sets an attribute by name.") { a in
        try a.interpreter.setAttribute(a[0], try Convert.string(a[1], what: "name", in: "setattr"), a[2])
        return .none
    }
    reg("repr", [Param("obj")], doc: "The printable representation.") { a in .str(try a.interpreter.checkedRepr(a[0])) }
    reg("format", [Param("value"), Param("format_spec", default: .str(""))], doc: "Formats with a format spec.") { a in
        .str(try FormatSpec.format(a[0], try Convert.string(a[1], what: "format_spec", in: "format"), hooks: a.interpreter.hooks))
    }
    reg("iter", [Param("object")], doc: "An iterator over the object.") { a in .iterator(try a.interpreter.makeIterator(a[0])) }
    reg("next", [Param("iterator"), Param("default", default: .missing)], doc: "The next item.") { a in
        guard case .iterator(let it) = a[0] else { throw typeError("'\(a[0].typeName)' object is not an iterator") }
        if let x = try it.next() { return x }
        if !a.isMissing(1) { return a[1] }
        throw LangError(.StopIteration, "")
    }
    reg("divmod", [Param("x"), Param("y")], doc: "(x // y, x % y)") { a in
        .tuple([try a.interpreter.binary(.floorDiv, a[0], a[1]), try a.interpreter.binary(.mod, a[0], a[1])])
    }
    reg("pow", [Param("base"), Param("exp")], doc: "base ** exp") { a in try a.interpreter.binary(.pow, a[0], a[1]) }
    reg("chr", [Param("i")], doc: "The character with that code point.") { a in
        guard let u = Unicode.Scalar(UInt32(clamping: try a.int(0))) else { throw valueError("chr() arg not in range(0x110000)") }
        return .str(String(u))
    }
    reg("ord", [Param("c")], doc: "The code point of a one-character string.") { a in
        guard case .str(let s) = a[0], s.unicodeScalars.count == 1, let u = s.unicodeScalars.first else {
            throw typeError("ord() expected a character")
        }
        return .int(Int(u.value))
    }
    installConstructors(r)
}

extension Value {
    public var isNone: Bool { if case .none = self { return true }; return false }
}

/// The default of optional parameters that have no value (`getattr`'s `default`).
public final class MissingArgument: HostObject {
    public static let shared = MissingArgument()
    public var typeName: String { "NoDefault" }
    public func repr() -> String { "<no default>" }
}

extension Value {
    public static var missing: Value { .object(MissingArgument.shared) }
}

extension BoundArgs {
    /// True when a parameter whose default is `.missing` was not given.
    public func isMissing(_ i: Int) -> Bool {
        if case .object(let o) = self[i] { return o === MissingArgument.shared }
        return false
    }
}

func isInstance(_ v: Value, _ t: Value, _ i: Interpreter) throws -> Bool {
    switch t {
    case .tuple(let ts):
        for x in ts where try isInstance(v, x, i) { return true }
        return false
    case .classValue(let cls):
        if cls === DataBindings.datasetBase, case .object(_ as DatasetObject) = v { return true }   // TensorDataset, Subset, ...
        let start: ClassValue
        if case .instance(let inst) = v { start = inst.cls }
        else if case .module(let m as ScriptModule) = v { start = m.cls }
        else { return false }
        var stack = [start]
        while let c = stack.popLast() { if c === cls { return true }; stack += c.bases }
        return false
    case .builtin(let b):
        guard let name = b.typeName else { break }
        switch name {
        case "object": return true
        case "int": if case .bool = v { return true }
        case "Module": if case .module = v { return true }
        case "tuple": if case .size = v { return true }
        default: break
        }
        if let k = ErrorKind(rawValue: name), case .object(let e as ExceptionValue) = v { return e.kind.isSubclass(of: k) }
        if let k = ErrorKind(rawValue: name), case .instance(let inst) = v { return UserExceptions.kind(of: inst.cls)?.isSubclass(of: k) ?? false }
        return v.typeName == name
    default: break
    }
    throw typeError("isinstance() arg 2 must be a type, a tuple of types, or a union")
}

/// `issubclass` for user classes and the built-in exception types.
func isSubclass(_ c: Value, _ t: Value) throws -> Bool {
    if case .tuple(let ts) = t {
        for x in ts where try isSubclass(c, x) { return true }
        return false
    }
    switch (c, t) {
    case (.classValue(let a), .classValue(let b)):
        var stack = [a]
        while let x = stack.popLast() { if x === b { return true }; stack += x.bases }
        return false
    case (.builtin(let a), .builtin(let b)):
        guard let an = a.typeName, let bn = b.typeName else { break }
        if bn == "object" || an == bn { return true }
        if let ka = ErrorKind(rawValue: an), let kb = ErrorKind(rawValue: bn) { return ka.isSubclass(of: kb) }
        return an == "bool" && bn == "int"
    case (.classValue, .builtin(let b)) where b.typeName == "object": return true
    case (.classValue, .builtin): return false
    default: break
    }
    if case .builtin(let b) = c, b.typeName != nil { throw typeError("issubclass() arg 2 must be a class, a tuple of classes, or a union") }
    throw typeError("issubclass() arg 1 must be a class")
}
