import Foundation

/// More `str` methods, with CPython's results on ASCII and Unicode letters.
func installStringMethods(_ r: Registry) {
    func m(_ name: String, _ params: [Param] = [], doc: String, _ body: @escaping (String, BoundArgs) throws -> Value) {
        r.registerMethod(type: "str", signature: Signature(name, [Param("self")] + params, doc: doc)) { a in
            guard case .str(let s) = a[0] else { throw typeError("descriptor '\(name)' requires a 'str' object") }
            return try body(s, a)
        }
    }
    func all(_ s: String, _ p: (Character) -> Bool) -> Value { .bool(!s.isEmpty && s.allSatisfy(p)) }
    m("isdigit", doc: "True if all characters are digits.") { s, _ in all(s) { $0.isNumber && $0.isASCII || $0.isWholeNumber } }
    m("isnumeric", doc: "True if all characters are numeric.") { s, _ in all(s) { $0.isNumber } }
    m("isdecimal", doc: "True if all characters are decimal digits.") { s, _ in all(s) { $0.isWholeNumber } }
    m("isalpha", doc: "True if all characters are letters.") { s, _ in all(s) { $0.isLetter } }
    m("isalnum", doc: "True if all characters are letters or digits.") { s, _ in all(s) { $0.isLetter || $0.isNumber } }
    m("isspace", doc: "True if all characters are whitespace.") { s, _ in all(s) { $0.isWhitespace } }
    m("isupper", doc: "True if all cased characters are upper case (and there is one).") { s, _ in
        .bool(s.contains { $0.isCased } && !s.contains { $0.isLowercase })
    }
    m("islower", doc: "True if all cased characters are lower case (and there is one).") { s, _ in
        .bool(s.contains { $0.isCased } && !s.contains { $0.isUppercase })
    }
    m("title", doc: "Each word's first letter upper case, the rest lower.") { s, _ in
        var out = "", prevCased = false
        for c in s {
            out += prevCased ? c.lowercased() : c.uppercased()
            prevCased = c.isCased
        }
        return .str(out)
    }
    m("capitalize", doc: "The first character upper case, the rest lower.") { s, _ in
        .str(s.prefix(1).uppercased() + s.dropFirst().lowercased())
    }
    m("swapcase", doc: "Upper case letters lower, lower upper.") { s, _ in
        .str(String(s.map { c -> String in c.isUppercase ? c.lowercased() : c.uppercased() }.joined()))
    }
    m("casefold", doc: "Lower case for caseless comparison.") { s, _ in .str(s.lowercased()) }
    m("rfind", [Param("sub")], doc: "The last index of sub, or -1.") { s, a in
        guard case .str(let sub) = a[1] else { throw typeError("must be str, not \(a[1].typeName)") }
        guard let r = s.range(of: sub, options: .backwards) else { return .int(-1) }
        return .int(s.distance(from: s.startIndex, to: r.lowerBound))
    }
    m("splitlines", doc: "The lines, without line breaks.") { s, _ in
        var lines = s.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map { Value.str(String($0)) }
        if s.hasSuffix("\n") || s.hasSuffix("\r") { lines.removeLast() }
        return .list(ListBox(s.isEmpty ? [] : lines))
    }
    for (name, fromRight) in [("partition", false), ("rpartition", true)] {
        m(name, [Param("sep")], doc: "(head, sep, tail) split at the \(fromRight ? "last" : "first") sep.") { s, a in
            guard case .str(let sep) = a[1] else { throw typeError("must be str, not \(a[1].typeName)") }
            if sep.isEmpty { throw valueError("empty separator") }
            guard let r = s.range(of: sep, options: fromRight ? .backwards : []) else {
                return fromRight ? .tuple([.str(""), .str(""), .str(s)]) : .tuple([.str(s), .str(""), .str("")])
            }
            return .tuple([.str(String(s[..<r.lowerBound])), .str(sep), .str(String(s[r.upperBound...]))])
        }
    }
    m("removeprefix", [Param("prefix")], doc: "Without the prefix, if present.") { s, a in
        guard case .str(let p) = a[1] else { throw typeError("must be str, not \(a[1].typeName)") }
        return .str(s.hasPrefix(p) ? String(s.dropFirst(p.count)) : s)
    }
    m("removesuffix", [Param("suffix")], doc: "Without the suffix, if present.") { s, a in
        guard case .str(let p) = a[1] else { throw typeError("must be str, not \(a[1].typeName)") }
        return .str(s.hasSuffix(p) && !p.isEmpty ? String(s.dropLast(p.count)) : s)
    }
}
