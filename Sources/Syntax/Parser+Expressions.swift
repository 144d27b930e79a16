/// Expressions, from the loosest rule (`test`) to atoms, with Python's precedence.
extension Parser {
    mutating func nest() throws {
        depth += 1
        if depth > 300 { throw SyntaxError("too many nested expressions", peek.range) }
    }

    /// `test (',' test)* [',']`: a tuple when there is a comma.
    mutating func testList(allowStar: Bool = true) throws -> Expr {
        let first = try starOrTest(allowStar)
        guard checkOp(",") else { return first }
        var items = [first]
        while matchOp(",") {
            if atExpressionListEnd { break }
            items.append(try starOrTest(allowStar))
        }
        return .tuple(items, first.range.through(previous.range))
    }

    var atExpressionListEnd: Bool {
        if check(.newline) || check(.eof) { return true }
        if case .op(let o) = peek.kind {
            return [")", "]", "}", "=", ";", ":"].contains(o) || Parser.augmented[o] != nil
        }
        if case .keyword(let k) = peek.kind { return k == "in" || k == "for" }
        return false
    }

    mutating func starOrTest(_ allowStar: Bool) throws -> Expr {
        if allowStar && checkOp("*") {
            let star = advance()
            let x = try bitOr()
            return .starred(x, star.range.through(x.range))
        }
        return try test()
    }

    /// Targets of `for` and comprehensions: `i, (a, b)`, stopping before `in`.
    mutating func targetList() throws -> Expr {
        func one(_ p: inout Parser) throws -> Expr {
            if p.checkOp("*") {
                let star = p.advance()
                let x = try p.bitOr()
                return .starred(x, star.range.through(x.range))
            }
            return try p.bitOr()
        }
        let first = try one(&self)
        guard checkOp(",") else { return first }
        var items = [first]
        while matchOp(",") {
            if checkKeyword("in") || checkOp("=") || checkOp(":") { break }
            items.append(try one(&self))
        }
        return .tuple(items, first.range.through(previous.range))
    }

    /// A condition: `test`, rejecting `=` where `==` was meant.
    mutating func namedTest() throws -> Expr {
        let e = try test()
        if checkOp("=") {
            throw SyntaxError("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", e.range.through(peek.range))
        }
        return e
    }

    /// `or_test ['if' or_test 'else' test] | lambda`
    mutating func test() throws -> Expr {
        try nest(); defer { depth -= 1 }
        if checkKeyword("lambda") { return try lambda() }
        let then = try orTest()
        guard checkKeyword("if") else { return then }
        advance()
        let cond = try orTest()
        guard matchKeyword("else") else {
            throw SyntaxError("expected 'else' after 'if' expression", then.range.through(previous.range))
        }
        let otherwise = try test()
        return .conditional(cond: cond, then: then, otherwise: otherwise, then.range.through(otherwise.range))
    }

    mutating func lambda() throws -> Expr {
        let start = advance()
        let params = try parameters(closing: ":")
        try expectOp(":")
        let body = try test()
        return .lambda(params, body, start.range.through(body.range))
    }

    mutating func orTest() throws -> Expr {
        var e = try andTest()
        while matchKeyword("or") {
            let r = try andTest()
            e = .boolean(.or, e, r, e.range.through(r.range))
        }
        return e
    }

    mutating func andTest() throws -> Expr {
        var e = try notTest()
        while matchKeyword("and") {
            let r = try notTest()
            e = .boolean(.and, e, r, e.range.through(r.range))
        }
        return e
    }

    mutating func notTest() throws -> Expr {
        guard checkKeyword("not") else { return try comparison() }
        try nest(); defer { depth -= 1 }
        let t = advance()
        let x = try notTest()
        return .unary(.not, x, t.range.through(x.range))
    }

    mutating func compareOp() -> CompareOp? {
        switch peek.kind {
        case .op("<"): advance(); return .lt
        case .op("<="): advance(); return .le
        case .op(">"): advance(); return .gt
        case .op(">="): advance(); return .ge
        case .op("=="): advance(); return .eq
        case .op("!="): advance(); return .ne
        case .keyword("in"): advance(); return .inOp
        case .keyword("not") where peek(1).kind == .keyword("in"): advance(); advance(); return .notIn
        case .keyword("is"):
            advance()
            return matchKeyword("not") ? .isNot : .isOp
        default: return nil
        }
    }

    mutating func comparison() throws -> Expr {
        let first = try bitOr()
        var rest: [(CompareOp, Expr)] = []
        while let op = compareOp() { rest.append((op, try bitOr())) }
        guard let last = rest.last else { return first }
        return .compare(first, rest, first.range.through(last.1.range))
    }

    /// The range of a binary operation spans its operands' parentheses too, as CPython's
    /// carets do: `(1) / 0` is columns 1 to 7, not from the `1`.
    mutating func binaryLevel(_ ops: [String: BinaryOp], _ next: (inout Parser) throws -> Expr) throws -> Expr {
        let start = peek.range
        var e = try next(&self)
        while case .op(let o) = peek.kind, let op = ops[o] {
            advance()
            let r = try next(&self)
            e = .binary(op, e, r, start.through(previous.range))
        }
        return e
    }

    mutating func bitOr() throws -> Expr { try binaryLevel(["|": .bitOr]) { try $0.bitXor() } }
    mutating func bitXor() throws -> Expr { try binaryLevel(["^": .bitXor]) { try $0.bitAnd() } }
    mutating func bitAnd() throws -> Expr { try binaryLevel(["&": .bitAnd]) { try $0.shift() } }
    mutating func shift() throws -> Expr { try binaryLevel(["<<": .lshift, ">>": .rshift]) { try $0.arith() } }
    mutating func arith() throws -> Expr { try binaryLevel(["+": .add, "-": .sub]) { try $0.term() } }
    mutating func term() throws -> Expr {
        try binaryLevel(["*": .mul, "/": .div, "//": .floorDiv, "%": .mod, "@": .matmul]) { try $0.factor() }
    }

    /// `('+'|'-'|'~') factor | power`: unary minus binds looser than `**`.
    mutating func factor() throws -> Expr {
        let op: UnaryOp
        switch peek.kind {
        case .op("-"): op = .neg
        case .op("+"): op = .pos
        case .op("~"): op = .invert
        default: return try power()
        }
        try nest(); defer { depth -= 1 }
        let t = advance()
        let x = try factor()
        return .unary(op, x, t.range.through(x.range))
    }

    /// `primary ['**' factor]`, right-associative.
    mutating func power() throws -> Expr {
        let start = peek.range
        let base = try primary()
        guard matchOp("**") else { return base }
        try nest(); defer { depth -= 1 }
        let exp = try factor()
        return .binary(.pow, base, exp, start.through(previous.range))
    }

    /// An atom followed by `.name`, `(args)` and `[subscript]` trailers.
    mutating func primary() throws -> Expr {
        var e = try atom()
        while true {
            if matchOp(".") {
                let name = try expectName()
                e = .attribute(e, name, e.range.through(previous.range))
            } else if matchOp("(") {
                let args = try callArguments()
                try expectOp(")")
                e = .call(e, args, e.range.through(previous.range))
            } else if checkOp("[") {
                advance()
                let index = try subscriptList()
                try expectOp("]")
                e = .index(e, index, e.range.through(previous.range))
            } else {
                return e
            }
        }
    }

    mutating func callArguments() throws -> [Argument] {
        var args: [Argument] = []
        var sawKeyword = false
        while !checkOp(")") {
            if matchOp("*") {
                args.append(.star(try test()))
            } else if matchOp("**") {
                args.append(.doubleStar(try test())); sawKeyword = true
            } else if case .name(let n) = peek.kind, peek(1).kind == .op("=") {
                advance(); advance()
                args.append(.keyword(n, try test())); sawKeyword = true
            } else {
                let start = peek
                let x = try test()
                if checkKeyword("for") {
                    let fors = try comprehensionClauses()
                    args.append(.positional(.generator(x, fors, x.range.through(previous.range))))
                } else {
                    if checkOp("=") { throw SyntaxError("expression cannot contain assignment, perhaps you meant \"==\"?", x.range.through(peek.range)) }
                    if sawKeyword {
                        throw SyntaxError("positional argument follows keyword argument", start.range.through(x.range))
                    }
                    args.append(.positional(x))
                }
            }
            if !matchOp(",") { break }
        }
        return args
    }

    /// The inside of `[...]` after an expression: slices, and tuples of them.
    mutating func subscriptList() throws -> Expr {
        let first = try sliceItem()
        guard checkOp(",") else { return first }
        var items = [first]
        while matchOp(",") {
            if checkOp("]") { break }
            items.append(try sliceItem())
        }
        return .tuple(items, first.range.through(previous.range))
    }

    mutating func sliceItem() throws -> Expr {
        let start = peek
        var lower: Expr?
        if !checkOp(":") {
            let l = try starOrTest(true)
            if !checkOp(":") { return l }
            lower = l
        }
        advance()
        let upper = (checkOp(":") || checkOp("]") || checkOp(",")) ? nil : try test()
        var step: Expr?
        if matchOp(":") {
            step = (checkOp("]") || checkOp(",")) ? nil : try test()
        }
        return .slice(lower, upper, step, start.range.through(previous.range))
    }

    /// `for target in or_test (if or_test)*` repeated.
    mutating func comprehensionClauses() throws -> [Comprehension] {
        var clauses: [Comprehension] = []
        while matchKeyword("for") {
            let target = try targetList()
            try checkTarget(target)
            guard matchKeyword("in") else { throw unexpected() }
            let iter = try orTest()
            var conditions: [Expr] = []
            while matchKeyword("if") { conditions.append(try orTest()) }
            clauses.append(Comprehension(target: target, iter: iter, conditions: conditions))
        }
        return clauses
    }

    /// Parameters of `def` (closed by `)`) or `lambda` (closed by `:`).
    mutating func parameters(closing: String) throws -> Parameters {
        var p = Parameters()
        var seen = Set<String>()
        var sawDefault = false, afterStar = false
        func add(_ name: String, _ r: SourceRange) throws {
            if seen.contains(name) { throw SyntaxError("duplicate argument '\(name)' in function definition", r) }
            seen.insert(name)
        }
        while !checkOp(closing) {
            let start = peek
            if matchOp("**") {
                let n = try expectName(); try add(n, previous.range)
                if closing == ")" && matchOp(":") { _ = try test() }
                p.kwargs = n
                _ = matchOp(",")
                break
            }
            if matchOp("*") {
                if afterStar { throw SyntaxError("* argument may appear only once", start.range) }
                afterStar = true
                if case .name(let n) = peek.kind {
                    advance(); try add(n, previous.range); p.varargs = n
                    if closing == ")" && matchOp(":") { _ = try test() }
                }
            } else {
                let n = try expectName()
                try add(n, previous.range)
                if closing == ")" && matchOp(":") { _ = try test() }
                var def: Expr?
                if matchOp("=") { def = try test() }
                let param = Parameter(name: n, defaultValue: def, range: start.range.through(previous.range))
                if afterStar {
                    p.keywordOnly.append(param)
                } else {
                    if def != nil { sawDefault = true } else if sawDefault {
                        throw SyntaxError("non-default argument follows default argument", param.range)
                    }
                    p.positional.append(param)
                }
            }
            if !matchOp(",") { break }
        }
        return p
    }
}
