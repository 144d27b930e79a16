import Syntax

/// A sort key function whose body only picks parts of its argument — `lambda kv: (-kv[1], kv[0])`,
/// `lambda p: p[1]`, `def key(t): return t[0]` — read as a plan at compile time, so `sorted`
/// and `list.sort` can compute the keys (or lay them out by column, `ColumnKeys`) without
/// running the interpreter or allocating a tuple per item.
///
/// A plan's steps are subscripts by an int literal of a tuple or list and unary minus of an
/// int, bool or float: none has a side effect, and each gives exactly what the interpreter
/// gives. Any other case (another type, an index out of range, `-` of the most negative int)
/// makes `value` nil, and the caller then calls the function on every item, as Python does,
/// which raises the interpreter's error at its place.
struct SortKeyPlan {
    enum Step { case item(Int), neg }
    /// One path of steps per tuple position, or one path when `isTuple` is false.
    let columns: [[Step]]
    /// The body is a tuple display (of `columns.count` positions).
    let isTuple: Bool
    /// Each column as at most one subscript then at most one minus (`(-kv[1], kv[0])`), the
    /// shape `ColumnKeys` reads straight from the items; nil for deeper paths.
    let flat: [Pick]?

    /// `x`, `x[index]`, `-x` or `-x[index]`.
    struct Pick {
        let index: Int?
        let neg: Bool
        /// The position `index` names in a sequence of `count` items, nil when out of range.
        @inline(__always) func position(_ count: Int) -> Int? {
            guard let k = index else { return nil }
            let j = k < 0 ? k + count : k
            return j >= 0 && j < count ? j : nil
        }
    }

    /// The plan of a one-parameter lambda's body or a def's `return` body, nil when it is
    /// anything else.
    init?(params: Parameters, lambdaBody: Expr?, body: [Stmt]) {
        guard params.positional.count == 1, params.varargs == nil, params.kwargs == nil,
              params.keywordOnly.isEmpty else { return nil }
        let name = params.positional[0].name
        let expr: Expr
        if let e = lambdaBody { expr = e } else {
            guard body.count == 1, case .returnStmt(let e?, _) = body[0] else { return nil }
            expr = e
        }
        if case .tuple(let items, _) = expr {
            guard !items.isEmpty else { return nil }
            var cols: [[Step]] = []
            for x in items {
                guard let p = SortKeyPlan.path(x, name) else { return nil }
                cols.append(p)
            }
            columns = cols; isTuple = true
        } else {
            guard let p = SortKeyPlan.path(expr, name), !p.isEmpty else { return nil }
            columns = [p]; isTuple = false
        }
        var picks: [Pick] = []
        for c in columns {
            switch c.count {
            case 0: picks.append(Pick(index: nil, neg: false))
            case 1:
                if case .item(let k) = c[0] { picks.append(Pick(index: k, neg: false)) } else { picks.append(Pick(index: nil, neg: true)) }
            case 2:
                if case .item(let k) = c[0], case .neg = c[1] { picks.append(Pick(index: k, neg: true)) }
            default: break
            }
        }
        flat = picks.count == columns.count ? picks : nil
    }

    /// The steps from the parameter `name` to `e`'s value, innermost first.
    private static func path(_ e: Expr, _ name: String) -> [Step]? {
        switch e {
        case .name(let n, _): return n == name ? [] : nil
        case .index(let base, let index, _):
            let k: Int
            switch index {
            case .int(let v, _): k = v
            case .unary(.neg, .int(let v, _), _) where v != Int.min: k = -v
            default: return nil
            }
            guard let p = path(base, name) else { return nil }
            return p + [.item(k)]
        case .unary(.neg, let x, _):
            guard let p = path(x, name) else { return nil }
            return p + [.neg]
        default: return nil
        }
    }

    /// Column `c`'s value for the argument `x`, or nil where the interpreter must decide.
    @inline(__always) func value(_ x: Value, _ c: Int) -> Value? {
        var v = x
        for s in columns[c] {
            switch s {
            case .item(let k):
                switch v {
                case .tuple(let t):
                    let j = k < 0 ? k + t.count : k
                    guard j >= 0 && j < t.count else { return nil }
                    v = t[j]
                case .list(let l):
                    let j = k < 0 ? k + l.items.count : k
                    guard j >= 0 && j < l.items.count else { return nil }
                    v = l.items[j]
                default: return nil
                }
            case .neg:
                switch v {
                case .int(let n): guard n != Int.min else { return nil }; v = .int(-n)
                case .bool(let b): v = .int(b ? -1 : 0)
                case .float(let d): v = .float(-d)
                default: return nil
                }
            }
        }
        return v
    }

    /// The key the function returns for `x` (a tuple for a tuple body), or nil.
    func key(_ x: Value) -> Value? {
        if !isTuple { return value(x, 0) }
        var t: [Value] = []
        t.reserveCapacity(columns.count)
        for c in columns.indices { guard let v = value(x, c) else { return nil }; t.append(v) }
        return .tuple(t)
    }
}
