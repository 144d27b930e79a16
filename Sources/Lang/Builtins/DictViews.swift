import Syntax

/// `d.keys()`, `d.values()`, `d.items()`: live views of the dict, as in Python. They print as
/// `dict_keys(['a', 'b'])` (`odict_keys(...)` for an `OrderedDict`, as a PyTorch `state_dict()`'s
/// keys print), see entries added after they were made, answer `len` and `in` from the dict, and
/// keys and items views act as sets (`&`, `|`, `-`, `^` give a `set`; `==` compares as sets).
/// Iterating one while the dict changes size raises, as CPython does.
final class DictView: HostObject {
    enum Kind: String { case keys, values, items }
    let dict: DictBox
    let kind: Kind
    /// The session that made it, for `==` and `in` on the items (the host hooks get no interpreter).
    weak var interp: Interpreter?
    init(_ dict: DictBox, _ kind: Kind, _ interp: Interpreter) { self.dict = dict; self.kind = kind; self.interp = interp }

    var typeName: String { (dict.isOrdered ? "odict_" : "dict_") + kind.rawValue }
    /// Keys and items views are set-like (their items are unique); a values view is not.
    var setLike: Bool { kind != .values }

    /// The view's items now.
    var items: [Value] {
        switch kind {
        case .keys: return dict.keys
        case .values: return dict.values
        case .items:
            let keys = dict.keys, values = dict.values
            var pairs: [Value] = []
            pairs.reserveCapacity(keys.count)
            for j in 0..<Swift.min(keys.count, values.count) { pairs.append(.tuple([keys[j], values[j]])) }
            return pairs
        }
    }

    func repr() -> String { typeName + "(" + Printing.repr(.list(ListBox(items))) + ")" }

    func makeIterator(_ interp: Interpreter) throws -> IteratorBox? {
        let d = dict, kind = self.kind, count = d.count
        var i = 0
        let name = ["keys": "dict_keyiterator", "values": "dict_valueiterator", "items": "dict_itemiterator"][kind.rawValue]
        return IteratorBox(typeName: name ?? "iterator") {
            guard d.count == count else { throw LangError(.RuntimeError, "dictionary changed size during iteration") }
            guard i < count else { return nil }
            defer { i += 1 }
            switch kind {
            case .keys: return d.keys[i]
            case .values: return d.values[i]
            case .items: return .tuple([d.keys[i], d.values[i]])
            }
        }
    }

    /// `x in view`: a key look-up for keys and items views, a scan of the values for a values view.
    func contains(_ x: Value, _ interp: Interpreter) throws -> Bool {
        switch kind {
        case .keys:
            guard let h = HashKey(x) else { throw typeError("unhashable type: '\(x.typeName)'") }
            return dict.get(h) != nil
        case .items:
            guard case .tuple(let kv) = x, kv.count == 2 else { return false }
            guard let h = HashKey(kv[0]) else { throw typeError("unhashable type: '\(kv[0].typeName)'") }
            guard let v = dict.get(h) else { return false }
            return try interp.identical(v, kv[1]) || interp.equal(v, kv[1])
        case .values:
            for v in dict.values where try interp.identical(v, x) || interp.equal(v, x) { return true }
            return false
        }
    }
}

func installDictViews(_ r: Registry) {
    for kind in [DictView.Kind.keys, .values, .items] {
        let doc = ["keys": "A view of the keys.", "values": "A view of the values.",
                   "items": "A view of the (key, value) pairs."][kind.rawValue] ?? ""
        r.registerMethod(type: "dict", signature: Signature(kind.rawValue, [Param("self")], doc: doc)) { a in
            guard case .dict(let d) = a[0] else { throw typeError("descriptor '\(kind.rawValue)' requires a 'dict' object") }
            return .object(DictView(d, kind, a.interpreter))
        }
    }
    for type in ["dict_keys", "dict_items", "odict_keys", "odict_items"] {
        r.registerMethod(type: type, signature: Signature("isdisjoint", [Param("self"), Param("other")],
                                                          doc: "True if the view and other have no item in common.")) { a in
            guard case .object(let v as DictView) = a[0] else { throw typeError("isdisjoint() requires a view") }
            for x in try a.interpreter.toArray(a[1]) where try v.contains(x, a.interpreter) { return .bool(false) }
            return .bool(true)
        }
    }
    let h = r.hooks
    let oldBinary = h.binary, oldCompare = h.compare
    /// A keys or items view, or a set, as a set (other iterables too where `any`).
    func asSet(_ v: Value, _ interp: Interpreter, any: Bool) throws -> PySet? {
        switch v {
        case .object(let s as PySet): return s
        case .object(let d as DictView) where d.setLike: return try PySet(d.items)
        default: return any ? try PySet(try interp.toArray(v)) : nil
        }
    }
    func isSetView(_ v: Value) -> Bool {
        if case .object(let d as DictView) = v { return d.setLike }
        return false
    }
    func session(_ a: Value, _ b: Value) -> Interpreter? {
        if case .object(let d as DictView) = a, let i = d.interp { return i }
        if case .object(let d as DictView) = b, let i = d.interp { return i }
        return nil
    }
    h.binary = { op, a, b in
        if isSetView(a) || isSetView(b), let interp = session(a, b) {
            let symbol: String? = [.bitOr: "|", .bitAnd: "&", .sub: "-", .bitXor: "^"][op]
            if let symbol, let x = try asSet(a, interp, any: true), let y = try asSet(b, interp, any: true) {
                return .object(try SetHooks.combine(symbol, x, y))
            }
        }
        return try oldBinary?(op, a, b)
    }
    h.compare = { op, a, b in
        if let interp = session(a, b) {
            if op == .inOp || op == .notIn, case .object(let v as DictView) = b {
                return .bool(try v.contains(a, interp) == (op == .inOp))
            }
            if isSetView(a) || isSetView(b), op != .inOp, op != .notIn, op != .isOp, op != .isNot {
                // As sets against a set or a keys/items view; anything else is unequal (and unordered).
                if let x = try asSet(a, interp, any: false), let y = try asSet(b, interp, any: false) {
                    return try interp.compare(op, .object(x), .object(y))
                }
            }
        }
        return try oldCompare?(op, a, b)
    }
    h.iterate = TensorHooks.chainIter(h.iterate) { v in
        guard case .object(let d as DictView) = v else { return nil }
        return d.items
    }
    h.length = TensorHooks.chainLen(h.length) { v in
        guard case .object(let d as DictView) = v else { return nil }
        return d.dict.count
    }
    h.truth = TensorHooks.chainTruth(h.truth) { v in
        guard case .object(let d as DictView) = v else { return nil }
        return d.dict.count > 0
    }
}
