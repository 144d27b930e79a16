/// The syntax tree of a cell. Every node carries the range of its text.

public enum BinaryOp: String, Equatable, Sendable {
    case add = "+", sub = "-", mul = "*", div = "/", floorDiv = "//", mod = "%", pow = "**"
    case matmul = "@", bitAnd = "&", bitOr = "|", bitXor = "^", lshift = "<<", rshift = ">>"
}

public enum UnaryOp: String, Equatable, Sendable {
    case neg = "-", pos = "+", invert = "~", not = "not"
}

public enum BoolOp: String, Equatable, Sendable { case and, or }

public enum CompareOp: String, Equatable, Sendable {
    case lt = "<", le = "<=", gt = ">", ge = ">=", eq = "==", ne = "!="
    case isOp = "is", isNot = "is not", inOp = "in", notIn = "not in"
}

/// One argument in a call.
public enum Argument: Equatable, Sendable {
    case positional(Expr)
    case keyword(String, Expr)
    case star(Expr)
    case doubleStar(Expr)
}

/// `for target in iter if cond ...` inside a comprehension.
public struct Comprehension: Equatable, Sendable {
    public var target: Expr
    public var iter: Expr
    public var conditions: [Expr]
    public init(target: Expr, iter: Expr, conditions: [Expr]) {
        self.target = target; self.iter = iter; self.conditions = conditions
    }
}

/// A piece of an f-string after parsing.
public enum FSegment: Equatable, Sendable {
    case literal(String)
    case field(Expr, conversion: Character?, spec: [FSegment])
}

public indirect enum Expr: Equatable, Sendable {
    case name(String, SourceRange)
    case int(Int, SourceRange)
    case float(Double, SourceRange)
    case string(String, SourceRange)
    case fstring([FSegment], SourceRange)
    case bool(Bool, SourceRange)
    case none(SourceRange)
    case ellipsis(SourceRange)
    case list([Expr], SourceRange)
    case tuple([Expr], SourceRange)
    case dict([(Expr, Expr)], SourceRange)
    /// `*x` in a call, a display or an assignment target.
    case starred(Expr, SourceRange)
    case unary(UnaryOp, Expr, SourceRange)
    case binary(BinaryOp, Expr, Expr, SourceRange)
    case boolean(BoolOp, Expr, Expr, SourceRange)
    /// `a < b <= c`: the first operand and each (operator, operand).
    case compare(Expr, [(CompareOp, Expr)], SourceRange)
    /// `then if cond else otherwise`
    case conditional(cond: Expr, then: Expr, otherwise: Expr, SourceRange)
    case call(Expr, [Argument], SourceRange)
    case attribute(Expr, String, SourceRange)
    case index(Expr, Expr, SourceRange)
    case slice(Expr?, Expr?, Expr?, SourceRange)
    case listComp(Expr, [Comprehension], SourceRange)
    case dictComp(Expr, Expr, [Comprehension], SourceRange)
    case generator(Expr, [Comprehension], SourceRange)
    case lambda(Parameters, Expr, SourceRange)

    public var range: SourceRange {
        switch self {
        case .name(_, let r), .int(_, let r), .float(_, let r), .string(_, let r), .fstring(_, let r),
             .bool(_, let r), .none(let r), .ellipsis(let r), .list(_, let r), .tuple(_, let r),
             .dict(_, let r), .starred(_, let r), .unary(_, _, let r), .binary(_, _, _, let r),
             .boolean(_, _, _, let r), .compare(_, _, let r), .conditional(_, _, _, let r),
             .call(_, _, let r), .attribute(_, _, let r), .index(_, _, let r),
             .slice(_, _, _, let r), .listComp(_, _, let r), .dictComp(_, _, _, let r),
             .generator(_, _, let r), .lambda(_, _, let r):
            return r
        }
    }

    public static func == (a: Expr, b: Expr) -> Bool { a.dump == b.dump && a.range == b.range }

    /// A compact Lisp-like rendering, used by tests and debugging.
    public var dump: String { ExprDump.dump(self) }
}

public struct Parameter: Equatable, Sendable {
    public var name: String
    public var defaultValue: Expr?
    public var range: SourceRange
    public init(name: String, defaultValue: Expr?, range: SourceRange) {
        self.name = name; self.defaultValue = defaultValue; self.range = range
    }
}

/// `(a, b=1, *args, c, **kwargs)`
public struct Parameters: Equatable, Sendable {
    public var positional: [Parameter] = []
    public var varargs: String?
    /// Keyword-only parameters (after `*args` or a bare `*`).
    public var keywordOnly: [Parameter] = []
    public var kwargs: String?
    public init() {}
}

public struct FunctionDef: Equatable, Sendable {
    public var name: String
    public var parameters: Parameters
    public var body: [Stmt]
    public var range: SourceRange
}

public struct ImportName: Equatable, Sendable {
    /// `a.b.c` as ["a", "b", "c"]
    public var path: [String]
    public var asName: String?
}

public struct IfBranch: Equatable, Sendable {
    public var condition: Expr
    public var body: [Stmt]
}

/// `except Types as name:` of a `try` statement; `types` nil for a bare `except:`.
public struct ExceptHandler: Equatable, Sendable {
    public var types: Expr?
    public var name: String?
    public var body: [Stmt]
    public var range: SourceRange
    public init(types: Expr?, name: String?, body: [Stmt], range: SourceRange) {
        self.types = types; self.name = name; self.body = body; self.range = range
    }
}

public indirect enum Stmt: Equatable, Sendable {
    case expr(Expr, SourceRange)
    /// `a = b = value`: every target, then the value.
    case assign([Expr], Expr, SourceRange)
    case augAssign(Expr, BinaryOp, Expr, SourceRange)
    case ifStmt([IfBranch], orElse: [Stmt], SourceRange)
    case forStmt(target: Expr, iter: Expr, body: [Stmt], orElse: [Stmt], SourceRange)
    case whileStmt(cond: Expr, body: [Stmt], orElse: [Stmt], SourceRange)
    case breakStmt(SourceRange)
    case continueStmt(SourceRange)
    case pass(SourceRange)
    case def(FunctionDef)
    case returnStmt(Expr?, SourceRange)
    case del([Expr], SourceRange)
    case with(Expr, asTarget: Expr?, body: [Stmt], SourceRange)
    case classDef(name: String, bases: [Expr], body: [Stmt], SourceRange)
    case importStmt([ImportName], SourceRange)
    case fromImport(module: [String], names: [(name: String, asName: String?)], SourceRange)
    case global([String], SourceRange)
    case nonlocal([String], SourceRange)
    case assert(Expr, message: Expr?, SourceRange)
    /// `raise exc` / `raise exc from cause` / bare `raise`.
    case raise(Expr?, cause: Expr? = nil, SourceRange)
    case tryStmt(body: [Stmt], handlers: [ExceptHandler], orElse: [Stmt], finally: [Stmt], SourceRange)

    public var range: SourceRange {
        switch self {
        case .expr(_, let r), .assign(_, _, let r), .augAssign(_, _, _, let r), .ifStmt(_, _, let r),
             .forStmt(_, _, _, _, let r), .whileStmt(_, _, _, let r), .breakStmt(let r),
             .continueStmt(let r), .pass(let r), .returnStmt(_, let r), .del(_, let r),
             .with(_, _, _, let r), .classDef(_, _, _, let r), .importStmt(_, let r),
             .fromImport(_, _, let r), .global(_, let r), .nonlocal(_, let r), .assert(_, _, let r),
             .raise(_, _, let r), .tryStmt(_, _, _, _, let r):
            return r
        case .def(let f): return f.range
        }
    }

    public static func == (a: Stmt, b: Stmt) -> Bool { "\(a)" == "\(b)" }
}

/// A parsed cell: its statements, and whether its last line ends with `;`
/// (which hides the value of a final expression, as in Jupyter).
public struct ParsedCell: Sendable {
    public var statements: [Stmt]
    public var endsWithSemicolon: Bool
}
