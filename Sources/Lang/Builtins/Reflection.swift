/// `vars()` and `dir()`: an object's attributes as Python lists them.
func installReflection(_ r: Registry) {
    r.register(path: "vars", signature: Signature("vars", [Param("object", default: .missing)],
                                                  doc: "The object's attributes as a dict (insertion order).")) { a in
        let d = DictBox()
        func put(_ k: String, _ v: Value) { if let h = HashKey(.str(k)) { d.set(h, .str(k), v) } }
        if a.isMissing(0) {
            let i = a.interpreter
            for n in i.globals.names { if let v = i.globals.get(n) { put(n, v) } }
            return .dict(d)
        }
        switch a[0] {
        case .instance(let inst):
            for n in inst.attributeOrder { if let v = inst.attributes[n] { put(n, v) } }
        case .classValue(let c):
            for n in c.attributes.keys.sorted() { if let v = c.attributes[n] { put(n, v) } }
        case .namespace(let ns):
            for n in ns.names { if let v = ns[n] { put(n, v) } }
        default:
            throw typeError("vars() argument must have __dict__ attribute")
        }
        return .dict(d)
    }
    r.register(path: "dir", signature: Signature("dir", [Param("object", default: .missing)],
                                                 doc: "Sorted names of the object's attributes.")) { a in
        let i = a.interpreter
        var names = Set<String>()
        if a.isMissing(0) {
            names.formUnion(i.globals.names.filter { i.globals.get($0) != nil })
        } else {
            let v = a[0]
            switch v {
            case .instance(let inst):
                names.formUnion(inst.attributes.keys)
                var stack = [inst.cls]
                while let c = stack.popLast() { names.formUnion(c.attributes.keys); stack += c.bases }
                names.formUnion(["__class__", "__dict__", "__init__", "__module__", "__repr__", "__str__"])
            case .classValue(let cls):
                var stack = [cls]
                while let c = stack.popLast() { names.formUnion(c.attributes.keys); stack += c.bases }
            case .namespace(let ns):
                names.formUnion(ns.names)
            default:
                names.formUnion(i.attributeNames(of: v))
            }
        }
        return .list(ListBox(names.sorted().map { .str($0) }))
    }
}
