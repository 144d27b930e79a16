import Foundation
import Formats
import TensorCore

/// Python's `json`, `collections` (OrderedDict, defaultdict), `itertools` and
/// `functools` (partial, reduce), the parts notebooks use.
func installStdlibData(_ r: Registry) {
    func fn(_ path: String, _ params: [Param] = [], varargs: String? = nil, keywordOnly: [Param] = [], kwargs: String? = nil,
            typeName: String? = nil, doc: String, _ body: @escaping (BoundArgs) throws -> Value) {
        let name = String(path.split(separator: ".").last ?? "")
        r.register(path: path, signature: Signature(name, params, varargs: varargs, keywordOnly: keywordOnly, kwargs: kwargs, doc: doc),
                   typeName: typeName, body: body)
    }

    // json
    fn("json.dumps", [P("obj")], keywordOnly: [P("indent", .none), P("sort_keys", .bool(false))], doc: "The object as JSON text.") { a in
        let indent: String? = a[1].isNone ? nil : { if case .str(let s) = a[1] { return s }; return String(repeating: " ", count: (try? a.int(1)) ?? 0) }()
        return .str(try JSONWriter(interp: a.interpreter, indent: indent, sortKeys: TV.bool(a[2])).write(a[0], level: 0))
    }
    fn("json.loads", [P("s")], doc: "The value of JSON text.") { a in
        guard case .str(let s) = a[0] else { throw typeError("the JSON object must be str, bytes or bytearray, not \(a[0].typeName)") }
        do { return fromJSON(try JSONValue.parse(s)) } catch let e as FormatError { throw valueError(e.description) }
    }

    // collections
    fn("collections.OrderedDict", [P("iterable", .none)], kwargs: "kwargs", typeName: "OrderedDict", doc: "A dict (dicts keep insertion order).") { a in
        let d = DictBox()
        d.isOrdered = true
        if !a[0].isNone { try fill(d, a[0], a.interpreter) }
        for (k, v) in a.kwargs { if let h = HashKey(.str(k)) { d.set(h, .str(k), v) } }
        return .dict(d)
    }
    fn("collections.defaultdict", [P("default_factory", .none), P("iterable", .none)], typeName: "defaultdict",
       doc: "A dict that calls default_factory for missing keys.") { a in
        let d = DictBox()
        d.defaultFactory = a[0].isNone ? nil : a[0]
        if !a[1].isNone { try fill(d, a[1], a.interpreter) }
        return .dict(d)
    }

    // itertools
    fn("itertools.product", varargs: "iterables", keywordOnly: [P("repeat", .int(1))], typeName: "product", doc: "Cartesian product.") { a in
        let pools = try a.varargs.map { try a.interpreter.toArray($0) }
        let all = Array(repeating: pools, count: max(0, try a.int(0))).flatMap { $0 }
        var result: [[Value]] = [[]]
        for pool in all { result = result.flatMap { prefix in pool.map { prefix + [$0] } } }
        return .iterator(IteratorBox.over(result.map { .tuple($0) }, typeName: "itertools.product"))
    }
    fn("itertools.permutations", [P("iterable"), P("r", .none)], typeName: "permutations", doc: "r-length orderings.") { a in
        let pool = try a.interpreter.toArray(a[0])
        let r = a[1].isNone ? pool.count : try a.int(1)
        var out: [Value] = []
        func go(_ used: [Int]) {
            if used.count == r { out.append(.tuple(used.map { pool[$0] })); return }
            for i in pool.indices where !used.contains(i) { go(used + [i]) }
        }
        if r <= pool.count { go([]) }
        return .iterator(IteratorBox.over(out, typeName: "itertools.permutations"))
    }
    fn("itertools.combinations", [P("iterable"), P("r")], typeName: "combinations", doc: "r-length subsequences.") { a in
        let pool = try a.interpreter.toArray(a[0]), r = try a.int(1)
        var out: [Value] = []
        func go(_ start: Int, _ chosen: [Int]) {
            if chosen.count == r { out.append(.tuple(chosen.map { pool[$0] })); return }
            if start >= pool.count { return }
            for i in start..<pool.count { go(i + 1, chosen + [i]) }
        }
        go(0, [])
        return .iterator(IteratorBox.over(out, typeName: "itertools.combinations"))
    }
    fn("itertools.chain", varargs: "iterables", typeName: "chain", doc: "The items of each iterable in turn.") { a in
        .iterator(IteratorBox.over(try a.varargs.flatMap { try a.interpreter.toArray($0) }, typeName: "itertools.chain"))
    }
    fn("itertools.islice", [P("iterable")], varargs: "args", typeName: "islice", doc: "islice(it, stop) or islice(it, start, stop[, step]).") { a in
        let it = try a.interpreter.makeIterator(a[0])
        let nums = try a.varargs.map { $0.isNone ? nil : try Convert.int($0, what: "index", in: "islice") }
        var start = 0, stop: Int? = nil, step = 1
        if nums.count == 1 { stop = nums[0] } else if nums.count >= 2 { start = nums[0] ?? 0; stop = nums[1]; step = nums.count > 2 ? (nums[2] ?? 1) : 1 }
        var i = 0, next = start
        return .iterator(IteratorBox(typeName: "itertools.islice") {
            while true {
                if let stop, next >= stop { return nil }
                guard let x = try it.next() else { return nil }
                defer { i += 1 }
                if i == next { next += step; return x }
            }
        })
    }
    fn("itertools.count", [P("start", .int(0)), P("step", .int(1))], typeName: "count", doc: "start, start+step, ... without end.") { a in
        var n = try a.int(0)
        let step = try a.int(1)
        return .iterator(IteratorBox(typeName: "itertools.count") { defer { n += step }; return .int(n) })
    }
    fn("itertools.accumulate", [P("iterable"), P("func", .none)], typeName: "accumulate", doc: "Running totals (or func results).") { a in
        let items = try a.interpreter.toArray(a[0])
        var out: [Value] = []
        for x in items {
            guard let last = out.last else { out.append(x); continue }
            out.append(a[1].isNone ? try a.interpreter.binary(.add, last, x) : try a.interpreter.call(a[1], [last, x]))
        }
        return .iterator(IteratorBox.over(out, typeName: "itertools.accumulate"))
    }
    fn("itertools.zip_longest", varargs: "iterables", keywordOnly: [P("fillvalue", .none)], typeName: "zip_longest",
       doc: "Tuples of items, the shorter iterables padded with fillvalue.") { a in
        let lists = try a.varargs.map { try a.interpreter.toArray($0) }
        let n = lists.map(\.count).max() ?? 0
        return .iterator(IteratorBox.over((0..<n).map { i in .tuple(lists.map { i < $0.count ? $0[i] : a[0] }) }, typeName: "itertools.zip_longest"))
    }
    fn("itertools.repeat", [P("object"), P("times", .none)], typeName: "repeat", doc: "object, times times (or forever).") { a in
        let x = a[0]
        var left = a[1].isNone ? Int.max : try a.int(1)
        return .iterator(IteratorBox(typeName: "itertools.repeat") { guard left > 0 else { return nil }; left -= 1; return x })
    }

    // functools
    fn("functools.partial", [P("func")], varargs: "args", kwargs: "keywords", typeName: "partial", doc: "func with some arguments fixed.") { a in
        let f = a[0], fixed = a.varargs, kw = a.kwargs, interp = a.interpreter
        let name = (try? interp.getAttribute(f, "__name__")).map { interp.str($0) } ?? "partial"
        return .builtin(Builtin(path: "functools.partial", signature: Signature(name, varargs: "args", kwargs: "kwargs", doc: "A partial application.")) { b in
            var k = kw
            for (key, v) in b.kwargs { k.removeAll { $0.0 == key }; k.append((key, v)) }
            return try interp.call(f, Arguments(fixed + b.varargs, keywords: k))
        })
    }
    fn("functools.reduce", [P("function"), P("iterable"), P("initial", .missing)], doc: "Folds the items with function.") { a in
        var items = try a.interpreter.toArray(a[1])
        var acc: Value
        if !a.isMissing(2) { acc = a[2] } else {
            guard !items.isEmpty else { throw typeError("reduce() of empty iterable with no initial value") }
            acc = items.removeFirst()
        }
        for x in items { acc = try a.interpreter.call(a[0], [acc, x]) }
        return acc
    }
    fn("functools.lru_cache", [P("maxsize", .int(128))], doc: "A decorator (no cache is kept in Tensorpad; the function runs as written).") { a in
        if case .function = a[0] { return a[0] }
        return .builtin(Builtin(path: "functools.lru_cache", signature: Signature("decorating_function", [P("user_function")])) { b in b[0] })
    }
    r.register(path: "functools.cache", value: .builtin(Builtin(path: "functools.cache", signature: Signature("cache", [P("user_function")],
        doc: "A decorator (no cache is kept in Tensorpad).")) { b in b[0] }))
}

/// Fills a dict from a mapping or an iterable of pairs.
private func fill(_ d: DictBox, _ v: Value, _ interp: Interpreter) throws {
    if case .dict(let src) = v {
        for (k, x) in src.items { if let h = HashKey(k) { d.set(h, k, x) } }
        return
    }
    for item in try interp.toArray(v) {
        let pair = try interp.toArray(item)
        guard pair.count == 2 else {
            throw valueError("dictionary update sequence element #0 has length \(pair.count); 2 is required")
        }
        guard let h = HashKey(pair[0]) else { throw typeError("unhashable type: '\(pair[0].typeName)'") }
        d.set(h, pair[0], pair[1])
    }
}

private func fromJSON(_ j: JSONValue) -> Value {
    switch j {
    case .object(let kv):
        let d = DictBox()
        for (k, v) in kv { if let h = HashKey(.str(k)) { d.set(h, .str(k), fromJSON(v)) } }
        return .dict(d)
    case .array(let a): return .list(ListBox(a.map(fromJSON)))
    case .string(let s): return .str(s)
    case .int(let i): return .int(i)
    case .number(let d): return .float(d)
    case .bool(let b): return .bool(b)
    case .null: return .none
    }
}

/// `json.dumps` with Python's separators, `indent` layout and ASCII escapes.
private struct JSONWriter {
    let interp: Interpreter
    let indent: String?
    let sortKeys: Bool

    func write(_ v: Value, level: Int) throws -> String {
        switch v {
        case .none: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d):
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
            return PyFormat.float(d)
        case .str(let s): return JSONWriter.quote(s)
        case .list(let l): return try sequence(l.items, level)
        case .tuple(let t): return try sequence(t, level)
        case .dict(let d):
            if d.count == 0 { return "{}" }
            var pairs: [(String, Value)] = []
            for (k, x) in d.items {
                let key: String
                switch k {
                case .str(let s): key = s
                case .int(let i): key = String(i)
                case .float(let f): key = PyFormat.float(f)
                case .bool(let b): key = b ? "true" : "false"
                case .none: key = "null"
                default: throw typeError("keys must be str, int, float, bool or None, not \(k.typeName)")
                }
                pairs.append((key, x))
            }
            if sortKeys { pairs.sort { $0.0 < $1.0 } }
            let items = try pairs.map { JSONWriter.quote($0.0) + ": " + (try write($0.1, level: level + 1)) }
            return wrap("{", items, "}", level)
        default:
            throw typeError("Object of type \(v.typeName) is not JSON serializable")
        }
    }

    func sequence(_ items: [Value], _ level: Int) throws -> String {
        if items.isEmpty { return "[]" }
        return wrap("[", try items.map { try write($0, level: level + 1) }, "]", level)
    }

    func wrap(_ open: String, _ items: [String], _ close: String, _ level: Int) -> String {
        guard let indent else { return open + items.joined(separator: ", ") + close }
        let inner = "\n" + String(repeating: indent, count: level + 1)
        return open + inner + items.joined(separator: "," + inner) + "\n" + String(repeating: indent, count: level) + close
    }

    static func quote(_ s: String) -> String { JSONValue.quote(s, asciiOnly: true) }
}
