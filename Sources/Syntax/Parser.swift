/// Recursive descent over the token list, one method per grammar rule.
/// This file holds the statements; `Parser+Expressions.swift` the expressions.
public struct Parser {
    var tokens: [Token]
    var current = 0
    var depth = 0
    var endsWithSemicolon = false

    public init(tokens: [Token]) {
        self.tokens = tokens.isEmpty ? [Token(.eof, SourceRange(line: 1, column: 1, width: 0))] : tokens
    }

    /// Lexes and parses a whole cell.
    public static func parse(_ source: String) throws -> ParsedCell {
        var parser = Parser(tokens: try Lexer.tokenize(source))
        return try parser.parseCell()
    }

    /// Parses one expression (used for f-string fields and tests).
    public static func parseExpression(_ source: String) throws -> Expr {
        var parser = Parser(tokens: try Lexer.tokenize(source))
        let e = try parser.testList()
        while parser.check(.newline) { parser.advance() }
        guard parser.check(.eof) else { throw parser.unexpected() }
        return e
    }

    // MARK: tokens

    var peek: Token { tokens[min(current, tokens.count - 1)] }
    var previous: Token { tokens[max(0, min(current - 1, tokens.count - 1))] }
    func peek(_ k: Int) -> Token { tokens[min(current + k, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> Token {
        let t = peek
        if current < tokens.count - 1 { current += 1 }
        return t
    }

    func check(_ kind: TokenKind) -> Bool { peek.kind == kind }
    func checkOp(_ op: String) -> Bool { peek.kind == .op(op) }
    func checkKeyword(_ k: String) -> Bool { peek.kind == .keyword(k) }

    mutating func matchOp(_ op: String) -> Bool {
        if checkOp(op) { advance(); return true }
        return false
    }

    mutating func matchKeyword(_ k: String) -> Bool {
        if checkKeyword(k) { advance(); return true }
        return false
    }

    @discardableResult
    mutating func expectOp(_ op: String) throws -> Token {
        if checkOp(op) { return advance() }
        if op == ":" && (check(.newline) || check(.eof)) {
            throw SyntaxError("expected ':'", previous.range.endPoint)
        }
        throw unexpected()
    }

    mutating func expectName() throws -> String {
        if case .name(let n) = peek.kind { advance(); return n }
        throw unexpected()
    }

    /// `invalid syntax` at the current token, or a more precise message.
    func unexpected() -> SyntaxError {
        switch peek.kind {
        case .indent: return SyntaxError("unexpected indent", peek.range)
        case .dedent: return SyntaxError("unindent does not match any outer indentation level", peek.range)
        case .eof, .newline: return SyntaxError("invalid syntax", peek.range)
        default: return SyntaxError("invalid syntax", peek.range)
        }
    }

    // MARK: statements

    mutating func parseCell() throws -> ParsedCell {
        var statements: [Stmt] = []
        while !check(.eof) {
            if check(.newline) { advance(); continue }
            statements.append(contentsOf: try statement())
        }
        return ParsedCell(statements: statements, endsWithSemicolon: endsWithSemicolon)
    }

    mutating func statement() throws -> [Stmt] {
        if case .keyword(let k) = peek.kind {
            switch k {
            case "if": return [try ifStatement()]
            case "for": return [try forStatement()]
            case "while": return [try whileStatement()]
            case "def": return [try defStatement()]
            case "class": return [try classStatement()]
            case "with": return [try withStatement()]
            case "try": return [try tryStatement()]
            case "async", "yield", "await", "except", "finally":
                throw SyntaxError("'\(k)' is not supported in Tensorpad", peek.range)
            default: break
            }
        }
        if checkOp("@") { return try decorated() }
        if check(.indent) { throw SyntaxError("unexpected indent", peek.range) }
        return try simpleStatements()
    }

    /// `@deco` lines before a `def` or `class`, desugared as Python defines them:
    /// the definition, then `name = deco(name)` applied from the innermost decorator out.
    mutating func decorated() throws -> [Stmt] {
        var decorators: [Expr] = []
        while matchOp("@") {
            decorators.append(try namedTest())
            guard check(.newline) else { throw unexpected() }
            advance()
        }
        let def: Stmt, name: String, r: SourceRange
        if checkKeyword("def") {
            def = try defStatement()
            guard case .def(let fd) = def else { throw unexpected() }
            name = fd.name; r = fd.range
        } else if checkKeyword("class") {
            def = try classStatement()
            guard case .classDef(let n, _, _, let cr) = def else { throw unexpected() }
            name = n; r = cr
        } else {
            throw SyntaxError("invalid syntax", peek.range)
        }
        var value = Expr.name(name, r)
        for d in decorators.reversed() { value = .call(d, [.positional(value)], d.range) }
        return [def, .assign([.name(name, r)], value, r)]
    }

    mutating func simpleStatements() throws -> [Stmt] {
        var stmts = [try smallStatement()]
        endsWithSemicolon = false
        while matchOp(";") {
            endsWithSemicolon = true
            if check(.newline) || check(.eof) { break }
            endsWithSemicolon = false
            stmts.append(try smallStatement())
        }
        if !check(.eof) {
            guard check(.newline) else { throw unexpected() }
            advance()
        }
        return stmts
    }

    /// `: simple` or `: NEWLINE INDENT statements DEDENT`
    mutating func block(after what: String, line: Int) throws -> [Stmt] {
        try expectOp(":")
        if !check(.newline) && !check(.eof) { return try simpleStatements() }
        if check(.newline) { advance() }
        guard check(.indent) else {
            throw SyntaxError("expected an indented block after \(what) on line \(line)", peek.range)
        }
        advance()
        var body: [Stmt] = []
        while !check(.dedent) && !check(.eof) {
            if check(.newline) { advance(); continue }
            body.append(contentsOf: try statement())
        }
        if check(.dedent) { advance() }
        return body
    }

    mutating func ifStatement() throws -> Stmt {
        let start = advance()
        var branches = [IfBranch(condition: try namedTest(), body: try block(after: "'if' statement", line: start.range.line))]
        var orElse: [Stmt] = []
        while checkKeyword("elif") {
            let t = advance()
            let cond = try namedTest()
            branches.append(IfBranch(condition: cond, body: try block(after: "'elif' statement", line: t.range.line)))
        }
        if checkKeyword("else") {
            let t = advance()
            orElse = try block(after: "'else' statement", line: t.range.line)
        }
        return .ifStmt(branches, orElse: orElse, start.range.through(previous.range))
    }

    mutating func forStatement() throws -> Stmt {
        let start = advance()
        let target = try targetList()
        try checkTarget(target)
        guard matchKeyword("in") else { throw unexpected() }
        let iter = try testList()
        let body = try block(after: "'for' statement", line: start.range.line)
        var orElse: [Stmt] = []
        if checkKeyword("else") {
            let t = advance()
            orElse = try block(after: "'else' statement", line: t.range.line)
        }
        return .forStmt(target: target, iter: iter, body: body, orElse: orElse, start.range.through(previous.range))
    }

    mutating func whileStatement() throws -> Stmt {
        let start = advance()
        let cond = try namedTest()
        let body = try block(after: "'while' statement", line: start.range.line)
        var orElse: [Stmt] = []
        if checkKeyword("else") {
            let t = advance()
            orElse = try block(after: "'else' statement", line: t.range.line)
        }
        return .whileStmt(cond: cond, body: body, orElse: orElse, start.range.through(previous.range))
    }

    mutating func defStatement() throws -> Stmt {
        let start = advance()
        let name = try expectName()
        try expectOp("(")
        let params = try parameters(closing: ")")
        try expectOp(")")
        if matchOp("->") { _ = try test() }
        let body = try block(after: "function definition", line: start.range.line)
        return .def(FunctionDef(name: name, parameters: params, body: body, range: start.range.through(previous.range)))
    }

    mutating func classStatement() throws -> Stmt {
        let start = advance()
        let name = try expectName()
        var bases: [Expr] = []
        if matchOp("(") {
            while !checkOp(")") {
                bases.append(try test())
                if !matchOp(",") { break }
            }
            try expectOp(")")
        }
        let body = try block(after: "class definition", line: start.range.line)
        return .classDef(name: name, bases: bases, body: body, start.range.through(previous.range))
    }

    /// `try:` with `except [Types [as name]]:` clauses, `else:` and `finally:`.
    mutating func tryStatement() throws -> Stmt {
        let start = advance()
        let body = try block(after: "'try' statement", line: start.range.line)
        var handlers: [ExceptHandler] = []
        while checkKeyword("except") {
            let t = advance()
            var types: Expr?, name: String?
            if !checkOp(":") {
                types = try test()
                if matchOp(",") {
                    throw SyntaxError("multiple exception types must be parenthesized", previous.range)
                }
                if matchKeyword("as") { name = try expectName() }
            }
            if types == nil, let last = handlers.last, last.types == nil {
                throw SyntaxError("default 'except:' must be last", last.range)
            }
            let b = try block(after: "'except' statement", line: t.range.line)
            handlers.append(ExceptHandler(types: types, name: name, body: b, range: t.range))
        }
        var orElse: [Stmt] = [], finally: [Stmt] = []
        if !handlers.isEmpty && checkKeyword("else") {
            let t = advance()
            orElse = try block(after: "'else' statement", line: t.range.line)
        }
        if checkKeyword("finally") {
            let t = advance()
            finally = try block(after: "'finally' statement", line: t.range.line)
        }
        if handlers.isEmpty && finally.isEmpty {
            throw SyntaxError("expected 'except' or 'finally' block", peek.range)
        }
        return .tryStmt(body: body, handlers: handlers, orElse: orElse, finally: finally,
                        start.range.through(previous.range))
    }

    mutating func withStatement() throws -> Stmt {
        let start = advance()
        let context = try test()
        var target: Expr?
        if matchKeyword("as") {
            let t = try targetList()
            try checkTarget(t)
            target = t
        }
        let body = try block(after: "'with' statement", line: start.range.line)
        return .with(context, asTarget: target, body: body, start.range.through(previous.range))
    }

    mutating func smallStatement() throws -> Stmt {
        let start = peek
        if case .keyword(let k) = peek.kind {
            switch k {
            case "pass": advance(); return .pass(start.range)
            case "break": advance(); return .breakStmt(start.range)
            case "continue": advance(); return .continueStmt(start.range)
            case "return":
                advance()
                let value = atStatementEnd ? nil : try testList()
                return .returnStmt(value, start.range.through(previous.range))
            case "del":
                advance()
                var targets: [Expr] = []
                repeat {
                    let t = try bitOr()
                    try checkTarget(t, verb: "delete")
                    targets.append(t)
                } while matchOp(",") && !atStatementEnd
                return .del(targets, start.range.through(previous.range))
            case "global", "nonlocal":
                advance()
                var names = [try expectName()]
                while matchOp(",") { names.append(try expectName()) }
                let r = start.range.through(previous.range)
                return k == "global" ? .global(names, r) : .nonlocal(names, r)
            case "assert":
                advance()
                let cond = try test()
                let message = matchOp(",") ? try test() : nil
                return .assert(cond, message: message, start.range.through(previous.range))
            case "raise":
                advance()
                let value = atStatementEnd ? nil : try test()
                let cause = value != nil && matchKeyword("from") ? try test() : nil
                return .raise(value, cause: cause, start.range.through(previous.range))
            case "import": return try importStatement()
            case "from": return try fromStatement()
            default: break
            }
        }
        return try expressionStatement()
    }

    var atStatementEnd: Bool { check(.newline) || check(.eof) || checkOp(";") }

    mutating func dottedName() throws -> [String] {
        var path = [try expectName()]
        while matchOp(".") { path.append(try expectName()) }
        return path
    }

    mutating func importStatement() throws -> Stmt {
        let start = advance()
        var names: [ImportName] = []
        repeat {
            let path = try dottedName()
            let asName = matchKeyword("as") ? try expectName() : nil
            names.append(ImportName(path: path, asName: asName))
        } while matchOp(",")
        return .importStmt(names, start.range.through(previous.range))
    }

    mutating func fromStatement() throws -> Stmt {
        let start = advance()
        let module = try dottedName()
        guard matchKeyword("import") else { throw unexpected() }
        var names: [(name: String, asName: String?)] = []
        if matchOp("*") {
            names.append((name: "*", asName: nil))
        } else {
            let paren = matchOp("(")
            repeat {
                if paren && checkOp(")") { break }
                let n = try expectName()
                names.append((name: n, asName: matchKeyword("as") ? try expectName() : nil))
            } while matchOp(",")
            if paren { try expectOp(")") }
        }
        return .fromImport(module: module, names: names, start.range.through(previous.range))
    }

    static let augmented: [String: BinaryOp] = [
        "+=": .add, "-=": .sub, "*=": .mul, "/=": .div, "//=": .floorDiv, "%=": .mod, "**=": .pow,
        "@=": .matmul, "&=": .bitAnd, "|=": .bitOr, "^=": .bitXor, "<<=": .lshift, ">>=": .rshift,
    ]

    mutating func expressionStatement() throws -> Stmt {
        let first = try testList(allowStar: true)
        if case .op(let o) = peek.kind, let op = Parser.augmented[o] {
            try checkTarget(first, verb: "augmented")
            advance()
            let value = try testList()
            return .augAssign(first, op, value, first.range.through(previous.range))
        }
        if checkOp(":") {
            // annotated assignment `x: int = 3`: the annotation is ignored
            advance()
            _ = try test()
            try checkTarget(first)
            if matchOp("=") {
                let value = try testList(allowStar: true)
                return .assign([first], value, first.range.through(previous.range))
            }
            return .pass(first.range)
        }
        guard checkOp("=") else { return .expr(first, first.range) }
        var targets = [first]
        var value = first
        while matchOp("=") {
            value = try testList(allowStar: true)
            targets.append(value)
        }
        targets.removeLast()
        for t in targets { try checkTarget(t) }
        return .assign(targets, value, first.range.through(previous.range))
    }

    /// Rejects what cannot be assigned to, with CPython's wording.
    func checkTarget(_ e: Expr, verb: String = "assign") throws {
        let what: String
        switch e {
        case .name, .attribute, .index: return
        case .tuple(let items, _), .list(let items, _):
            if verb == "augmented" {
                throw SyntaxError("'\(e.isTuple ? "tuple" : "list")' is an illegal expression for augmented assignment", e.range)
            }
            for i in items { try checkTarget(i, verb: verb) }
            return
        case .starred(let x, _) where verb == "assign": try checkTarget(x, verb: verb); return
        case .call: what = "function call"
        case .int, .float, .string, .bool, .none, .ellipsis, .fstring: what = "literal"
        case .compare: what = "comparison"
        case .binary, .unary: what = "expression"
        default: what = "expression"
        }
        if verb == "augmented" {
            throw SyntaxError("'\(what)' is an illegal expression for augmented assignment", e.range)
        }
        let suffix = verb == "assign" && what != "comparison" ? " here. Maybe you meant '==' instead of '='?" : ""
        throw SyntaxError("cannot \(verb) to \(what)\(suffix)", e.range)
    }
}

extension SourceRange {
    /// The point just after this span.
    var endPoint: SourceRange { SourceRange(line: endLine, column: endColumn) }
}

extension Expr {
    var isTuple: Bool { if case .tuple = self { return true }; return false }
}
