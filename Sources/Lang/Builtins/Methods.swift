import Foundation

/// Methods of `list`, `dict`, `str` and `tuple`, registered by type name.
func installMethods(_ r: Registry) {
    func m(_ type: String, _ name: String, _ params: [Param] = [], varargs: String? = nil,
           keywordOnly: [Param] = [], kwargs: String? = nil, argumentError: ((Arguments) -> String?)? = nil,
           doc: String, _ body: @escaping (BoundArgs) throws -> Value) {
        var signature = Signature(name, [Param("self")] + params, varargs: varargs, keywordOnly: keywordOnly, kwargs: kwargs, doc: doc)
        signature.argumentError = argumentError
        r.registerMethod(type: type, signature: signature, body: body)
    }
    func list(_ a: BoundArgs) -> ListBox { if case .list(let b) = a[0] { return b }; return ListBox([]) }
    func dict(_ a: BoundArgs) -> DictBox { if case .dict(let d) = a[0] { return d }; return DictBox() }
    func str(_ a: BoundArgs) -> String { if case .str(let s) = a[0] { return s }; return "" }
    func key(_ v: Value) throws -> HashKey {
        guard let h = HashKey(v) else { throw typeError("unhashable type: '\(v.typeName)'") }
        return h
    }

    m("list", "append", [Param("object")], doc: "Appends an item.") { a in list(a).items.append(a[1]); return .none }
    m("list", "extend", [Param("iterable")], doc: "Appends the items of an iterable.") { a in
        list(a).items += try a.interpreter.toArray(a[1]); return .none
    }
    m("list", "insert", [Param("index"), Param("object")], doc: "Inserts before index.") { a in
        let b = list(a)
        var i = try a.int(1)
        if i < 0 { i = max(0, i + b.items.count) }
        b.items.insert(a[2], at: min(i, b.items.count))
        return .none
    }
    m("list", "pop", [Param("index", default: .int(-1))], doc: "Removes and returns an item.") { a in
        let b = list(a)
        if b.items.isEmpty { throw indexError("pop from empty list") }
        var i = try a.int(1)
        if i < 0 { i += b.items.count }
        guard i >= 0 && i < b.items.count else { throw indexError("pop index out of range") }
        return b.items.remove(at: i)
    }
    m("list", "remove", [Param("value")], doc: "Removes the first equal item.") { a in
        let b = list(a)
        for (i, x) in b.items.enumerated() where try a.interpreter.equal(x, a[1]) { b.items.remove(at: i); return .none }
        throw valueError("list.remove(x): x not in list")
    }
    for t in ["list", "tuple"] {
        m(t, "index", [Param("value")], doc: "The first index of value.") { a in
            for (i, x) in try a.interpreter.toArray(a[0]).enumerated() where try a.interpreter.equal(x, a[1]) { return .int(i) }
            throw valueError(t == "list" ? "\(a.interpreter.repr(a[1])) is not in list" : "tuple.index(x): x not in tuple")
        }
        m(t, "count", [Param("value")], doc: "How many items equal value.") { a in
            .int(try a.interpreter.toArray(a[0]).filter { try a.interpreter.equal($0, a[1]) }.count)
        }
    }
    m("list", "clear", doc: "Removes every item.") { a in list(a).items = []; return .none }
    m("list", "copy", doc: "A shallow copy.") { a in .list(ListBox(list(a).items)) }
    m("list", "reverse", doc: "Reverses in place.") { a in list(a).items.reverse(); return .none }
    m("list", "sort", keywordOnly: [Param("key", default: .none), Param("reverse", default: .bool(false))],
      argumentError: Signature.sortArguments(method: true), doc: "Sorts in place, stably.") { a in
        // As CPython: the list is empty while it sorts (a key function sees `[]`), and one
        // that grew meanwhile raises once the sorted items are back in it.
        let b = list(a)
        let reverse = try sortReverse(a[2])
        var items = b.items
        b.items = []
        let sorted: [Value]
        if a[1].isNone && sortIntsInPlace(&items, reverse: reverse) { sorted = items } else {
            do { sorted = try sortValues(items, key: a[1], reverse: reverse, a.interpreter) } catch {
                b.items = items
                throw error
            }
        }
        let modified = b.items.capacity > 0
        b.items = sorted
        if modified { throw valueError("list modified during sort") }
        return .none
    }

    m("dict", "get", [Param("key"), Param("default", default: .none)], doc: "The value for key, or default.") { a in
        dict(a).get(try key(a[1])) ?? a[2]
    }
    m("dict", "pop", [Param("key"), Param("default", default: .missing)], doc: "Removes a key, returns its value.") { a in
        if let v = dict(a).remove(try key(a[1])) { return v }
        if !a.isMissing(2) { return a[2] }
        throw LangError(.KeyError, a.interpreter.repr(a[1]))
    }
    m("dict", "setdefault", [Param("key"), Param("default", default: .none)], doc: "The value for key, inserting default.") { a in
        let d = dict(a), h = try key(a[1])
        if let v = d.get(h) { return v }
        d.set(h, a[1], a[2]); return a[2]
    }
    m("dict", "update", [Param("other", default: .missing)], kwargs: "kwargs", doc: "Adds the pairs of other.") { a in
        let d = dict(a)
        if case .dict(let o) = a[1] { for (k, v) in o.items { d.set(try key(k), k, v) } }
        else if !a.isMissing(1) {
            for pair in try a.interpreter.toArray(a[1]) {
                let kv = try a.interpreter.toArray(pair)
                guard kv.count == 2 else { throw valueError("dictionary update sequence element has length \(kv.count); 2 is required") }
                d.set(try key(kv[0]), kv[0], kv[1])
            }
        }
        for (k, v) in a.kwargs { d.set(.str(k), .str(k), v) }
        return .none
    }
    m("dict", "clear", doc: "Removes every key.") { a in dict(a).removeAll(); return .none }
    m("dict", "copy", doc: "A shallow copy.") { a in
        let d = DictBox()
        for (k, v) in dict(a).items { d.set(try key(k), k, v) }
        return .dict(d)
    }

    m("str", "join", [Param("iterable")], doc: "Joins strings with this one between.") { a in
        let parts = try a.interpreter.toArray(a[1]).enumerated().map { (i, v) -> String in
            guard case .str(let s) = v else { throw typeError("sequence item \(i): expected str instance, \(v.typeName) found") }
            return s
        }
        return .str(parts.joined(separator: str(a)))
    }
    m("str", "split", [Param("sep", default: .none), Param("maxsplit", default: .int(-1))], doc: "Splits into a list.") { a in
        let s = str(a)
        let maxSplit = try a.int(2)
        if case .str(let sep) = a[1] {
            if sep.isEmpty { throw valueError("empty separator") }
            var parts = s.components(separatedBy: sep)
            if maxSplit >= 0 && parts.count > maxSplit + 1 {
                parts = Array(parts[..<maxSplit]) + [parts[maxSplit...].joined(separator: sep)]
            }
            return .list(ListBox(parts.map { .str($0) }))
        }
        let words = s.split(whereSeparator: { $0.isWhitespace }).map { Value.str(String($0)) }
        return .list(ListBox(words))
    }
    for (name, f) in [("strip", 0), ("lstrip", 1), ("rstrip", 2)] {
        m("str", name, [Param("chars", default: .none)], doc: "Removes leading/trailing characters.") { a in
            var s = Substring(str(a))
            let chars: (Character) -> Bool
            if case .str(let c) = a[1] { chars = { c.contains($0) } } else { chars = { $0.isWhitespace } }
            if f != 2 { while let x = s.first, chars(x) { s.removeFirst() } }
            if f != 1 { while let x = s.last, chars(x) { s.removeLast() } }
            return .str(String(s))
        }
    }
    m("str", "upper", doc: "Upper case.") { a in .str(str(a).uppercased()) }
    m("str", "lower", doc: "Lower case.") { a in .str(str(a).lowercased()) }
    m("str", "replace", [Param("old"), Param("new")], doc: "Replaces occurrences.") { a in
        .str(str(a).replacingOccurrences(of: try Convert.string(a[1], what: "old", in: "replace"),
                                         with: try Convert.string(a[2], what: "new", in: "replace")))
    }
    m("str", "startswith", [Param("prefix")], doc: "Whether it starts with prefix.") { a in
        .bool(str(a).hasPrefix(try Convert.string(a[1], what: "prefix", in: "startswith")))
    }
    m("str", "endswith", [Param("suffix")], doc: "Whether it ends with suffix.") { a in
        .bool(str(a).hasSuffix(try Convert.string(a[1], what: "suffix", in: "endswith")))
    }
    m("str", "find", [Param("sub")], doc: "The first index of sub, or -1.") { a in
        let s = str(a), sub = try Convert.string(a[1], what: "sub", in: "find")
        guard let r = s.range(of: sub) else { return .int(-1) }
        return .int(s.unicodeScalars.distance(from: s.startIndex, to: r.lowerBound))
    }
    m("str", "count", [Param("sub")], doc: "Non-overlapping occurrences of sub.") { a in
        let sub = try Convert.string(a[1], what: "sub", in: "count")
        if sub.isEmpty { return .int(str(a).unicodeScalars.count + 1) }
        return .int(str(a).components(separatedBy: sub).count - 1)
    }
    m("str", "zfill", [Param("width")], doc: "Pads with zeros on the left.") { a in
        let s = str(a), w = try a.int(1)
        guard s.count < w else { return .str(s) }
        try Budget.string(w)
        let pad = String(repeating: "0", count: w - s.count)
        if let f = s.first, f == "-" || f == "+" { return .str(String(f) + pad + s.dropFirst()) }
        return .str(pad + s)
    }
    for (name, align) in [("ljust", "<"), ("rjust", ">"), ("center", "^")] {
        m("str", name, [Param("width"), Param("fillchar", default: .str(" "))], doc: "Pads to width.") { a in
            let fill = try Convert.string(a[2], what: "fillchar", in: name)
            let width = try a.int(1)
            if width <= str(a).count { return a[0] }   // negative widths too: not a '-' sign for the spec
            try Budget.string(width)
            return .str(try FormatSpec.format(a[0], fill + align + String(try a.int(1)), hooks: nil))
        }
    }
    m("str", "format", varargs: "args", kwargs: "kwargs", doc: "Formats {} fields.") { a in
        .str(try strFormat(str(a), a.varargs, a.kwargs, a.interpreter))
    }
}

/// `"{} {name:.2f}".format(...)`: auto and explicit numbering, names, specs. Scans code points
/// (Python's units) and copies the text between fields in runs: a long string formats in time
/// linear in its bytes (a `Character` at a time, grapheme breaking cost ~70 ns each).
func strFormat(_ s: String, _ args: [Value], _ kwargs: [(String, Value)], _ i: Interpreter) throws -> String {
    var out = "", auto = 0
    let u = s.unicodeScalars
    var k = u.startIndex
    while k < u.endIndex {
        guard let p = u[k...].firstIndex(where: { $0 == "{" || $0 == "}" }) else { out += String(u[k...]); break }
        out += String(u[k..<p])
        let c = u[p]
        k = u.index(after: p)
        if c == "}" {
            if k < u.endIndex && u[k] == "}" { k = u.index(after: k) }
            out.append("}")
            continue
        }
        if k < u.endIndex && u[k] == "{" { k = u.index(after: k); out.append("{"); continue }
        guard let close = u[k...].firstIndex(of: "}") else { throw valueError("expected '}' before end of string") }
        let field = String(u[k..<close])
        k = u.index(after: close)
        var name = field, spec = ""
        if let colon = field.firstIndex(of: ":") { name = String(field[..<colon]); spec = String(field[field.index(after: colon)...]) }
        var conversion: Character?
        if let bang = name.firstIndex(of: "!") { conversion = name[name.index(after: bang)...].first; name = String(name[..<bang]) }
        var v: Value
        if name.isEmpty {
            guard auto < args.count else { throw indexError("Replacement index \(auto) out of range for positional args tuple") }
            v = args[auto]; auto += 1
        } else if let n = Int(name), n >= 0 {
            guard n < args.count else { throw indexError("Replacement index \(n) out of range for positional args tuple") }
            v = args[n]
        } else {
            guard let kv = kwargs.first(where: { $0.0 == name }) else { throw LangError(.KeyError, Printing.quote(name)) }
            v = kv.1
        }
        if let c = conversion { v = .str(c == "r" ? i.repr(v) : i.str(v)) }
        out += try FormatSpec.format(v, spec, hooks: i.hooks)
    }
    return out
}

extension Interpreter {
    /// `"%d items, %.2f" % (n, x)`: the common printf conversions.
    func percentFormat(_ s: String, _ arg: Value) throws -> String {
        var args: [Value]
        if case .tuple(let t) = arg { args = t } else { args = [arg] }
        var out = ""
        // UTF-8 bytes: '%' and the flags are ASCII, so every index found is on a code point's
        // boundary (a scan of code points decoded each one: 3× CPython's time on a long string).
        let u = s.utf8
        let percent = UInt8(ascii: "%")
        var k = u.startIndex
        while k < u.endIndex {
            guard let p = u[k...].firstIndex(of: percent) else { out += s[k...]; break }
            out += s[k..<p]
            k = u.index(after: p)
            if k < u.endIndex && u[k] == percent { k = u.index(after: k); out.append("%"); continue }
            var spec = ""
            while k < u.endIndex, let c = Optional(u[k]), c < 0x80, "0123456789.-+ #".utf8.contains(c) {
                spec.unicodeScalars.append(Unicode.Scalar(c)); k = u.index(after: k)
            }
            guard k < u.endIndex else { throw valueError("incomplete format") }
            let convIndex = k, scalar = s.unicodeScalars[k]
            let conv = Character(scalar)
            k = s.unicodeScalars.index(after: k)
            guard !args.isEmpty else { throw typeError("not enough arguments for format string") }
            let v = args.removeFirst()
            var flags = spec
            if flags.hasPrefix("-") { flags = "<" + flags.dropFirst() }
            switch conv {
            // printf pads strings on the left unless '-' asks for the right.
            case "s": out += try FormatSpec.format(.str(try checkedStr(v)), flags.isEmpty || flags.hasPrefix("<") ? flags : ">" + flags, hooks: hooks)
            case "r": out += try FormatSpec.format(.str(try checkedRepr(v)), flags.isEmpty || flags.hasPrefix("<") ? flags : ">" + flags, hooks: hooks)
            case "d", "i":
                let n: Value
                if let i = integer(v) { n = .int(i) } else if let d = number(v) { n = try truncated(d) }
                else { throw typeError("%d format: a real number is required, not \(v.typeName)") }
                out += try FormatSpec.format(n, flags, hooks: hooks)
            case "f", "e", "g", "x", "X", "o", "E", "G", "F":
                out += try FormatSpec.format(v, flags + String(conv), hooks: hooks)
            default:
                // CPython's wording: the character when ASCII, its code in hex, its index in code points.
                let shown = scalar.value < 0x80 ? String(conv) : "?"
                let at = s.unicodeScalars[..<convIndex].count
                throw valueError("unsupported format character '\(shown)' (0x\(String(scalar.value, radix: 16))) at index \(at)")
            }
        }
        if !args.isEmpty { throw typeError("not all arguments converted during string formatting") }
        return out
    }
}
