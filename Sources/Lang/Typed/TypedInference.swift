import Syntax

/// The typed tier's subset, and the types of a body in it.
///
/// Statements: `name = e` (also `a = b = e`), `name op= e`, `if`/`elif`/`else`, `while`
/// (no `else`), `for name in range(…)` (no `else`), `break`, `continue`, `pass`,
/// `return e`, a docstring. Expressions: int and float literals, local names, global
/// names bound to ints or floats, unary `-`/`+`, `+ - * / // %`, `a if c else b`, calls of
/// global functions in the subset with positional arguments, and of the builtins `abs`,
/// `int`, `float`, `min`, `max`. Conditions: comparisons (chained too), `and`, `or`,
/// `not`, `True`/`False`, and numbers by their truth.
///
/// Every local has one type over the whole body (an int local that later holds a float
/// is outside the subset), found by iterating to a fixed point: a recursive call's type
/// is the return type found so far. Every local is read only where it is certainly
/// assigned, and the end of the body is unreachable (a function that can return None is
/// outside the subset).
extension TypedCodegen {
    /// The static type of `e`; nil while it depends on a type not yet inferred.
    func typeOf(_ e: Expr) throws -> TType? {
        switch e {
        case .int: return .int
        case .float: return .float
        case .name(let n, _):
            switch source.scope.resolve(n) {
            case .local(let s): return s < localTypes.count ? localTypes[s] : nil
            case .global(let name):
                switch interp.globals.get(name) {
                case .int?: return .int
                case .float?: return .float
                default: throw TypedIneligible()
                }
            case .enclosing: throw TypedIneligible()
            }
        case .unary(let op, let x, _):
            guard op == .neg || op == .pos else { throw TypedIneligible() }
            return try typeOf(x)
        case .binary(let op, let a, let b, _):
            let ta = try typeOf(a), tb = try typeOf(b)
            guard let ta, let tb else { return nil }
            return try TypedCodegen.binaryType(op, ta, tb)
        case .conditional(let c, let a, let b, _):
            try checkCondition(c)
            let ta = try typeOf(a), tb = try typeOf(b)
            if let ta, let tb, ta != tb { throw TypedIneligible() }
            return ta ?? tb
        case .attribute(.name(let m, _), let name, _):
            return try mathConstantType(m, name)
        case .call(let callee, let args, _):
            let values = try positional(args)
            if case .attribute(.name(let m, _), let f, _) = callee { return try mathCallType(m, f, values) }
            switch try resolveCallee(callee) {
            case .function(let tf, _):
                var types: [TType] = []
                for v in values { guard let t = try typeOf(v) else { return nil }; types.append(t) }
                guard let spec = tf.spec(types, interp) else { throw TypedIneligible() }
                return spec.returnType
            case .builtin(let name, _):
                return try builtinType(name, values)
            }
        default:
            throw TypedIneligible()
        }
    }

    static func binaryType(_ op: BinaryOp, _ a: TType, _ b: TType) throws -> TType {
        switch op {
        case .add, .sub, .mul, .floorDiv, .mod, .pow: return a == .int && b == .int ? .int : .float
        case .div: return .float
        default: throw TypedIneligible()
        }
    }

    func positional(_ args: [Argument]) throws -> [Expr] {
        try args.map { a in
            guard case .positional(let e) = a else { throw TypedIneligible() }
            return e
        }
    }

    enum Callee {
        /// A global function in the subset, and its global slot (guarded at run time).
        case function(TypedFunction, slot: Int)
        /// A builtin by name, and the global slot that must stay unbound.
        case builtin(String, slot: Int)
    }

    static let builtins: Set<String> = ["abs", "int", "float", "min", "max"]

    func resolveCallee(_ callee: Expr) throws -> Callee {
        guard case .name(let n, _) = callee, case .global(let name) = source.scope.resolve(n) else { throw TypedIneligible() }
        let slot = interp.globals.slot(name)
        switch interp.globals.values[slot] {
        case .function(let f)?:
            guard let tf = f.typed, f.plainArity == tf.source.params else { throw TypedIneligible() }
            return .function(tf, slot: slot)
        case nil:
            guard TypedCodegen.builtins.contains(name), case .builtin? = interp.builtins[name] else { throw TypedIneligible() }
            return .builtin(name, slot: slot)
        default:
            throw TypedIneligible()
        }
    }

    private func builtinType(_ name: String, _ args: [Expr]) throws -> TType? {
        var types: [TType] = []
        for a in args { guard let t = try typeOf(a) else { return nil }; types.append(t) }
        switch name {
        case "abs":
            guard types.count == 1 else { throw TypedIneligible() }
            return types[0]
        case "int", "float":
            guard types.count == 1 else { throw TypedIneligible() }
            return name == "int" ? .int : .float
        case "min", "max":
            // Python returns one of the arguments: mixed types would make the type depend on values.
            guard types.count >= 2, types.allSatisfy({ $0 == types[0] }) else { throw TypedIneligible() }
            return types[0]
        default:
            throw TypedIneligible()
        }
    }

    /// Checks a condition is in the subset (its operands' types are checked when known).
    func checkCondition(_ e: Expr) throws {
        switch e {
        case .bool: return
        case .boolean(_, let a, let b, _): try checkCondition(a); try checkCondition(b)
        case .unary(.not, let a, _): try checkCondition(a)
        case .compare(let first, let rest, _):
            guard rest.allSatisfy({ [.lt, .le, .gt, .ge, .eq, .ne].contains($0.0) }) else { throw TypedIneligible() }
            _ = try typeOf(first)
            for (_, x) in rest { _ = try typeOf(x) }
        default:
            _ = try typeOf(e)
        }
    }

    // MARK: the types of locals, to a fixed point

    func inferTypes() throws {
        for (i, t) in spec.paramTypes.enumerated() { localTypes[i] = t }
        for _ in 0..<32 {
            changed = false
            try inferBlock(source.body)
            if !changed { return }
        }
        throw TypedIneligible()
    }

    private func unify(_ slot: Int, _ t: TType?) throws {
        guard let t else { return }
        if let old = localTypes[slot] {
            if old != t { throw TypedIneligible() }
        } else {
            localTypes[slot] = t
            changed = true
        }
    }

    /// The slot of a target that is a local name.
    func localSlot(_ target: Expr) throws -> Int {
        guard case .name(let n, _) = target, case .local(let s) = source.scope.resolve(n), s < localTypes.count else {
            throw TypedIneligible()
        }
        return s
    }

    private func inferBlock(_ body: [Stmt]) throws {
        for s in body { try inferStatement(s) }
    }

    private func inferStatement(_ s: Stmt) throws {
        switch s {
        case .expr(.string, _), .pass, .breakStmt, .continueStmt:
            return
        case .assign(let targets, let value, _):
            let t = try typeOf(value)
            for target in targets { try unify(try localSlot(target), t) }
        case .augAssign(let target, let op, let value, _):
            let slot = try localSlot(target)
            let tv = try typeOf(value)
            if let old = localTypes[slot], let tv { try unify(slot, try TypedCodegen.binaryType(op, old, tv)) }
        case .ifStmt(let branches, let orElse, _):
            for b in branches { try checkCondition(b.condition); try inferBlock(b.body) }
            try inferBlock(orElse)
        case .whileStmt(let cond, let body, let orElse, _):
            guard orElse.isEmpty else { throw TypedIneligible() }
            try checkCondition(cond)
            try inferBlock(body)
        case .forStmt(let target, let iter, let body, let orElse, _):
            guard orElse.isEmpty else { throw TypedIneligible() }
            let bounds = try rangeArguments(iter)
            for b in bounds { if let t = try typeOf(b), t != .int { throw TypedIneligible() } }
            try unify(try localSlot(target), .int)
            try inferBlock(body)
        case .returnStmt(let value?, _):
            guard let t = try typeOf(value) else { return }
            if let old = spec.returnType {
                if old != t { throw TypedIneligible() }
            } else {
                spec.returnType = t
                changed = true
            }
        default:
            throw TypedIneligible()
        }
    }

    /// The arguments of `range(…)` (one to three) in a `for`, with `range` the builtin.
    func rangeArguments(_ iter: Expr) throws -> [Expr] {
        guard case .call(.name(let n, _), let args, _) = iter, n == "range",
              case .global(let name) = source.scope.resolve(n), interp.globals.get(name) == nil,
              (1...3).contains(args.count) else { throw TypedIneligible() }
        return try positional(args)
    }

    // MARK: definite assignment

    /// Checks every local read is certainly assigned and the body cannot fall off its end.
    func checkAssignment() throws {
        let params = Set(0..<source.params)
        if try assigned(source.body, params) != nil { throw TypedIneligible() }
    }

    /// The locals certainly assigned after `body`, given those before; nil when its end is
    /// unreachable. Throws at a read of a local that may be unassigned.
    private func assigned(_ body: [Stmt], _ before: Set<Int>) throws -> Set<Int>? {
        var set = before
        for s in body {
            switch s {
            case .expr(.string, _), .pass:
                continue
            case .breakStmt, .continueStmt:
                return nil
            case .assign(let targets, let value, _):
                try reads(value, set)
                for t in targets { set.insert(try localSlot(t)) }
            case .augAssign(let target, _, let value, _):
                let slot = try localSlot(target)
                guard set.contains(slot) else { throw TypedIneligible() }
                try reads(value, set)
            case .ifStmt(let branches, let orElse, _):
                var out: Set<Int>?
                var allUnreachable = true
                for b in branches {
                    try reads(b.condition, set)
                    if let o = try assigned(b.body, set) {
                        out = out.map { $0.intersection(o) } ?? o
                        allUnreachable = false
                    }
                }
                if let o = try assigned(orElse, set) {
                    out = out.map { $0.intersection(o) } ?? o
                    allUnreachable = false
                }
                if allUnreachable { return nil }
                set = out ?? set
            case .whileStmt(let cond, let body, _, _):
                try reads(cond, set)
                _ = try assigned(body, set)
                if case .bool(true, _) = cond, !TypedCodegen.breaks(body) { return nil }
            case .forStmt(let target, let iter, let body, _, _):
                try reads(iter, set)
                _ = try assigned(body, set.union([try localSlot(target)]))
            case .returnStmt(let value, _):
                if let value { try reads(value, set) }
                return nil
            default:
                throw TypedIneligible()
            }
        }
        return set
    }

    /// Whether a `break` leaves this loop body (not one of its inner loops).
    static func breaks(_ body: [Stmt]) -> Bool {
        body.contains { s in
            switch s {
            case .breakStmt: return true
            case .ifStmt(let branches, let orElse, _): return branches.contains { breaks($0.body) } || breaks(orElse)
            default: return false
            }
        }
    }

    private func reads(_ e: Expr, _ set: Set<Int>) throws {
        switch e {
        case .name(let n, _):
            if case .local(let s) = source.scope.resolve(n), !set.contains(s) { throw TypedIneligible() }
        case .unary(_, let x, _): try reads(x, set)
        case .binary(_, let a, let b, _), .boolean(_, let a, let b, _): try reads(a, set); try reads(b, set)
        case .compare(let a, let rest, _): try reads(a, set); for (_, x) in rest { try reads(x, set) }
        case .conditional(let c, let a, let b, _): try reads(c, set); try reads(a, set); try reads(b, set)
        case .attribute(let x, _, _): try reads(x, set)
        case .call(let callee, let args, _):
            try reads(callee, set)
            for a in args { if case .positional(let x) = a { try reads(x, set) } else { throw TypedIneligible() } }
        case .int, .float, .bool: return
        default: throw TypedIneligible()
        }
    }
}
