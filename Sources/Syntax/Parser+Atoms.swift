/// Atoms: names, literals, strings and f-strings, and bracketed displays.
extension Parser {
    mutating func atom() throws -> Expr {
        let t = peek
        switch t.kind {
        case .name(let n): advance(); return .name(n, t.range)
        case .int(let v): advance(); return .int(v, t.range)
        case .float(let v): advance(); return .float(v, t.range)
        case .keyword("True"): advance(); return .bool(true, t.range)
        case .keyword("False"): advance(); return .bool(false, t.range)
        case .keyword("None"): advance(); return .none(t.range)
        case .op("..."): advance(); return .ellipsis(t.range)
        case .string, .fstring: return try strings()
        case .op("("): return try parenthesized()
        case .op("["): return try listDisplay()
        case .op("{"): return try dictDisplay()
        case .eof, .newline:
            throw SyntaxError("invalid syntax", t.range)
        default:
            throw unexpected()
        }
    }

    /// Adjacent string literals concatenate; any f-string makes the whole an f-string.
    mutating func strings() throws -> Expr {
        let start = peek
        var segments: [FSegment] = []
        var isF = false
        while true {
            if case .string(let s) = peek.kind {
                advance()
                if case .literal(let prev)? = segments.last {
                    segments[segments.count - 1] = .literal(prev + s)
                } else {
                    segments.append(.literal(s))
                }
            } else if case .fstring(let parts) = peek.kind {
                advance()
                isF = true
                for seg in try fsegments(parts) {
                    if case .literal(let s) = seg, case .literal(let prev)? = segments.last {
                        segments[segments.count - 1] = .literal(prev + s)
                    } else {
                        segments.append(seg)
                    }
                }
            } else {
                break
            }
        }
        let r = start.range.through(previous.range)
        if !isF {
            if case .literal(let s)? = segments.first { return .string(s, r) }
            return .string("", r)
        }
        return .fstring(segments, r)
    }

    func fsegments(_ parts: [FStringPart]) throws -> [FSegment] {
        var out: [FSegment] = []
        for part in parts {
            switch part {
            case .literal(let s): out.append(.literal(s))
            case .field(let source, let at, let conversion, let spec, let selfDoc):
                var lexer = Lexer(fieldSource: source, line: at.line, column: at.column)
                var sub = Parser(tokens: try lexer.tokenize())
                let e = try sub.testList()
                guard sub.check(.eof) else { throw sub.unexpected() }
                var conv = conversion
                if let doc = selfDoc {
                    out.append(.literal(doc))
                    if conv == nil && spec.isEmpty { conv = "r" }
                }
                out.append(.field(e, conversion: conv, spec: try fsegments(spec)))
            }
        }
        return out
    }

    /// `()`, `(x)`, `(x,)`, `(a, b)`, `(x for x in y)`
    mutating func parenthesized() throws -> Expr {
        let open = advance()
        if matchOp(")") { return .tuple([], open.range.through(previous.range)) }
        let first = try starOrTest(true)
        if checkKeyword("for") {
            let fors = try comprehensionClauses()
            try expectOp(")")
            return .generator(first, fors, open.range.through(previous.range))
        }
        if matchOp(")") {
            if case .starred = first {
                throw SyntaxError("cannot use starred expression here", first.range)
            }
            return first
        }
        var items = [first]
        while matchOp(",") {
            if checkOp(")") { break }
            items.append(try starOrTest(true))
        }
        try expectOp(")")
        return .tuple(items, open.range.through(previous.range))
    }

    mutating func listDisplay() throws -> Expr {
        let open = advance()
        var items: [Expr] = []
        if !checkOp("]") {
            let first = try starOrTest(true)
            if checkKeyword("for") {
                let fors = try comprehensionClauses()
                try expectOp("]")
                return .listComp(first, fors, open.range.through(previous.range))
            }
            items.append(first)
            while matchOp(",") {
                if checkOp("]") { break }
                items.append(try starOrTest(true))
            }
        }
        try expectOp("]")
        return .list(items, open.range.through(previous.range))
    }

    /// `{a, b}` and `{x for x in xs}`, read as `set([a, b])` and `set([x for x in xs])`.
    mutating func setDisplay(_ open: Token, first: Expr) throws -> Expr {
        let setName = Expr.name("set", open.range)
        if checkKeyword("for") {
            let fors = try comprehensionClauses()
            try expectOp("}")
            let r = open.range.through(previous.range)
            return .call(setName, [.positional(.listComp(first, fors, r))], r)
        }
        var items = [first]
        while matchOp(",") {
            if checkOp("}") { break }
            items.append(try test())
        }
        try expectOp("}")
        let r = open.range.through(previous.range)
        return .call(setName, [.positional(.list(items, r))], r)
    }

    mutating func dictDisplay() throws -> Expr {
        let open = advance()
        var items: [(Expr, Expr)] = []
        if !checkOp("}") {
            let key = try test()
            guard matchOp(":") else { return try setDisplay(open, first: key) }
            let value = try test()
            if checkKeyword("for") {
                let fors = try comprehensionClauses()
                try expectOp("}")
                return .dictComp(key, value, fors, open.range.through(previous.range))
            }
            items.append((key, value))
            while matchOp(",") {
                if checkOp("}") { break }
                let k = try test()
                try expectOp(":")
                items.append((k, try test()))
            }
        }
        try expectOp("}")
        return .dict(items, open.range.through(previous.range))
    }
}
