import Syntax

/// Loop-invariant list-chain prefixes of pure numeric loops.
///
/// In `for v in range(K): q = j + v; if 0 <= q < W: s += x[n][c][r][q] * w[o][c][u][v]`
/// the lists `x[n][c][r]` and `w[o][c][u]` are the same on every iteration: their keys and
/// bases are locals the body never assigns, and nothing in the body can change a list —
/// as long as every statement runs unboxed. A loop qualifies when its body holds only
/// assignments and augmented assignments of numeric expressions to locals, `if`s on number
/// comparisons, `continue`, `break` and `pass`; its chains then find the prefix's list once
/// and keep it (borrowed) in a `PrefixCache`.
///
/// The only way anything else can run inside such a body is a statement or comparison giving
/// up to the general path (an instance's `__add__`, `__lt__`, ...: user code that may change
/// lists or re-enter this very loop), or an iterator's `next` (a generator). Each of those, and
/// each entry to the loop, moves the loop's `HoistContext.epoch` on after it; a cache is used
/// only when it was filled in the current epoch, so after any of them the chain walks again.
final class HoistContext {
    var epoch = 0
    /// Locals the body assigns (the loop target included): keys and bases that may change.
    let assigned: Set<String>
    init(assigned: Set<String>) { self.assigned = assigned }

    /// `general`, followed by a new epoch whether it returns or throws.
    func guarding<T>(_ general: @escaping (Frame) throws -> T) -> (Frame) throws -> T {
        return { [self] f in
            defer { epoch &+= 1 }
            return try general(f)
        }
    }
}

/// The list a chain's invariant prefix leads to, borrowed, and the epoch it was found in.
final class PrefixCache {
    var epoch = -1
    var box: Unmanaged<ListBox>?
}

extension Compiler {
    /// The context for a `for` loop whose body is pure numeric code (see `HoistContext`),
    /// or nil.
    func hoistContext(_ target: Expr, _ body: [Stmt]) -> HoistContext? {
        guard case .name(let t, _) = target, case .local = scope.resolve(t) else { return nil }
        var assigned: Set<String> = [t]
        for s in body where !pureStatement(s, &assigned) { return nil }
        return HoistContext(assigned: assigned)
    }

    private func pureStatement(_ s: Stmt, _ assigned: inout Set<String>) -> Bool {
        switch s {
        case .assign(let targets, let value, _):
            guard targets.count == 1, case .name(let n, _) = targets[0], case .local = scope.resolve(n),
                  isNumericExpr(value) else { return false }
            assigned.insert(n)
            return true
        case .augAssign(let target, let op, let value, _):
            guard case .name(let n, _) = target, case .local = scope.resolve(n),
                  [.add, .sub, .mul, .div, .floorDiv, .mod].contains(op), isNumericExpr(value) else { return false }
            assigned.insert(n)
            return true
        case .ifStmt(let branches, let orElse, _):
            for b in branches {
                guard isNumericCondition(b.condition) else { return false }
                for s in b.body where !pureStatement(s, &assigned) { return false }
            }
            for s in orElse where !pureStatement(s, &assigned) { return false }
            return true
        case .continueStmt, .breakStmt, .pass:
            return true
        default:
            return false
        }
    }

    /// Conditions whose every comparison compiles to a `NumCompare` (one or two operators).
    private func isNumericCondition(_ e: Expr) -> Bool {
        switch e {
        case .boolean(_, let a, let b, _): return isNumericCondition(a) && isNumericCondition(b)
        case .unary(.not, let a, _): return isNumericCondition(a)
        case .compare(let first, let rest, _):
            return (rest.count == 1 || rest.count == 2) && isNumericExpr(first)
                && rest.allSatisfy { [.lt, .le, .gt, .ge, .eq, .ne].contains($0.0) && isNumericExpr($0.1) }
        default: return false
        }
    }

    /// Expressions `compileNumeric` accepts.
    private func isNumericExpr(_ e: Expr) -> Bool {
        switch e {
        case .int, .float: return true
        case .name(let n, _):
            switch scope.resolve(n) {
            case .local, .global: return true
            case .enclosing: return false
            }
        case .unary(.neg, let x, _): return isNumericExpr(x)
        case .binary(let op, let x, let y, _):
            return [.add, .sub, .mul, .div, .floorDiv, .mod].contains(op) && isNumericExpr(x) && isNumericExpr(y)
        case .index:
            var cur = e
            while case .index(let obj, let index, _) = cur {
                if case .slice = index { return false }
                guard isNumericExpr(index) else { return false }
                cur = obj
            }
            guard case .name = cur else { return false }
            return isNumericExpr(cur)
        default: return false
        }
    }

    /// Whether a chain's prefix (`base` and all keys but the last) is invariant in the loop
    /// being compiled: a local base and keys that are int literals or locals the body never assigns.
    func invariantPrefix(_ base: Expr, _ keys: [Expr], _ ctx: HoistContext) -> Bool {
        func invariant(_ e: Expr) -> Bool {
            switch e {
            case .int: return true
            case .name(let n, _):
                guard case .local = scope.resolve(n) else { return false }
                return !ctx.assigned.contains(n)
            default: return false
            }
        }
        guard keys.count >= 2, case .name = base, invariant(base) else { return false }
        return keys.dropLast().allSatisfy(invariant)
    }
}
