import Syntax

/// Hot-path shapes of the interpreter, compiled with fewer closure calls:
/// operands that read a local slot directly, `a[i][j][k]` chains walked in
/// one closure, and `name op= value` with number fast paths.

/// A compiled operand: a local slot read in place, or any expression. A final class
/// with immutable fields, so calling through it copies nothing (an enum with a closure
/// payload would be copied, and its closure retained, on every read).
final class Operand {
    /// The local's slot, or −1; when the slot is empty `eval` raises the unbound-local error.
    let slot: Int
    /// An int or float literal, read in place of a closure call.
    let constant: Value?
    let eval: Eval

    init(slot: Int, constant: Value? = nil, eval: @escaping Eval) {
        self.slot = slot; self.constant = constant; self.eval = eval
    }

    @inline(__always) func value(_ f: Frame) throws -> Value {
        if slot >= 0, let v = f.slots[slot] { return v }
        if let c = constant { return c }
        return try eval(f)
    }
}

extension Compiler {
    func compileOperand(_ e: Expr) throws -> Operand {
        if case .name(let n, let r) = e, case .local(let s) = scope.resolve(n) {
            return Operand(slot: s, eval: try compileName(n, r))
        }
        if case .int(let i, _) = e { return Operand(slot: -1, constant: .int(i), eval: try compileExpression(e)) }
        if case .float(let d, _) = e { return Operand(slot: -1, constant: .float(d), eval: try compileExpression(e)) }
        return Operand(slot: -1, eval: try compileExpression(e))
    }

    /// `base[k1][k2]...[kn]` for n ≥ 2, walked in one closure; lists indexed by ints
    /// take the fast path, anything else goes through `getItem` with that level's location.
    static func isIndexChain(_ e: Expr) -> Bool {
        var levels = 0
        var cur = e
        while case .index(let obj, let index, _) = cur {
            if case .slice = index { return false }
            levels += 1
            cur = obj
        }
        return levels >= 2
    }

    /// Only for expressions `isIndexChain` accepts. (Not an optional closure: a closure
    /// returned inside an Optional is called through reabstraction thunks ever after.)
    func compileIndexChain(_ e: Expr) throws -> Eval {
        var keys: [(Expr, SourceRange)] = []
        var cur = e
        while case .index(let obj, let index, let r) = cur {
            keys.append((index, r))
            cur = obj
        }
        keys.reverse()
        let base = try compileOperand(cur)
        let ks = try keys.map { try compileOperand($0.0) }
        let locs = keys.map { loc($0.1) }
        let interp = self.interp
        let n = ks.count
        // Keys that are locals are read from their slot without a closure call or a copy.
        let slots: [Int] = ks.map { $0.slot }
        let allSlots = !slots.contains(-1)
        return { f in
            var x = try base.value(f)
            // All keys locals: walk the nested lists box to box, copying only the last element.
            if allSlots, case .list(var box) = x {
                var level = 0
                while true {
                    guard case .int(var j)? = f.slots[slots[level]] else { break }
                    let count = box.items.count
                    if j < 0 { j += count }
                    guard j >= 0 && j < count else { break }
                    if level == n - 1 { return box.items[j] }
                    guard case .list(let inner) = box.items[j] else { break }
                    box = inner
                    level += 1
                }
            }
            var level = 0
            while level < n {
                let s = slots[level]
                if s >= 0, case .int(var j)? = f.slots[s], case .list(let box) = x {
                    let count = box.items.count
                    if j < 0 { j += count }
                    if j >= 0 && j < count { x = box.items[j]; level += 1; continue }
                }
                let k = try ks[level].value(f)
                if case .list(let box) = x, case .int(var j) = k {
                    let count = box.items.count
                    if j < 0 { j += count }
                    if j >= 0 && j < count { x = box.items[j]; level += 1; continue }
                }
                do { x = try interp.getItem(x, k) } catch { throw Compiler.callSite(error, locs[level]) }
                level += 1
            }
            return x
        }
    }

    /// `name op= value` for a local or global name: ints and floats added, subtracted
    /// or multiplied in place, everything else through `inplace`.
    func compileAugmentedName(_ n: String, _ nr: SourceRange, _ op: BinaryOp, _ value: Expr,
                              _ r: SourceRange) throws -> Exec {
        let v = try compileOperand(value)
        let l = loc(r), interp = self.interp
        let load = try compileOperand(.name(n, nr))
        let store = try compileStoreName(n)
        var local: Int?
        if case .local(let s) = scope.resolve(n) { local = s }
        let slot = local
        let ordinary = try compileAugmentedGeneral(load, v, op, slot, store, l)
        let general = hoist.map { $0.guarding(ordinary) } ?? ordinary
        // `local += a * b` (a dot product's step): the product and the sum in one closure.
        if let slot, op == .add || op == .sub, case .binary(.mul, let x, let y, _) = value,
           let a = compileNumeric(x), let b = compileNumeric(y) {
            return { f in
                let p = f.slots + slot
                if let s = numSlot(p), let u = a.get(f), let w = b.get(f) {
                    if case .float(let t) = s, case .float(let m) = u, case .float(let n) = w {
                        p.initialize(to: .float(op == .add ? t + m * n : t - m * n))
                        return .normal
                    }
                    if let m = numBinary(.mul, u, w), let r = numBinary(op, s, m) { p.initialize(to: r.value); return .normal }
                }
                return try general(f)
            }
        }
        // `local op= arithmetic` (or a literal, or a local: `n += 1`): unboxed when the local
        // and every operand are numbers.
        var operand = Compiler.worthNumeric(value)
        switch value {
        case .int, .float: operand = true
        case .name(let n, _): if case .local = scope.resolve(n) { operand = true }
        default: break
        }
        if let slot, operand, let num = compileNumeric(value),
           [.add, .sub, .mul, .div].contains(op) {
            return { f in
                let p = f.slots + slot
                if let a = numSlot(p), let b = num.get(f) {
                    if case .float(let x) = a, case .float(let y) = b, op == .add {
                        // The slot holds a float: written over in place.
                        p.initialize(to: .float(x + y))
                        return .normal
                    }
                    if let r = numBinary(op, a, b) { p.initialize(to: r.value); return .normal }
                }
                return try general(f)
            }
        }
        return general
    }

    private func compileAugmentedGeneral(_ load: Operand, _ v: Operand, _ op: BinaryOp, _ slot: Int?,
                                         _ store: @escaping Store, _ l: ErrorLocation) throws -> Exec {
        let interp = self.interp
        return { f in
            let a = try load.value(f), b = try v.value(f)
            var result: Value?
            switch (a, b) {
            case (.float(let p), .float(let q)):
                switch op {
                case .add: result = .float(p + q)
                case .sub: result = .float(p - q)
                case .mul: result = .float(p * q)
                default: break
                }
            case (.float(let p), .int(let q)):
                switch op {
                case .add: result = .float(p + Double(q))
                case .sub: result = .float(p - Double(q))
                case .mul: result = .float(p * Double(q))
                default: break
                }
            case (.int(let p), .int(let q)):
                switch op {
                case .add: let (s, o) = p.addingReportingOverflow(q); if !o { result = .int(s) }
                case .sub: let (s, o) = p.subtractingReportingOverflow(q); if !o { result = .int(s) }
                case .mul: let (s, o) = p.multipliedReportingOverflow(by: q); if !o { result = .int(s) }
                default: break
                }
            default: break
            }
            let out: Value
            if let result { out = result } else {
                do { out = try interp.inplace(op, a, b) } catch { throw Compiler.locate(error, l) }
            }
            if let slot { f.slots[slot] = out } else { try store(f, out) }
            return .normal
        }
    }
}

/// `i op j` on ints, for the comparison fast paths.
@inline(__always) func compareInts(_ op: CompareOp, _ i: Int, _ j: Int) -> Bool? {
    switch op {
    case .lt: return i < j
    case .le: return i <= j
    case .gt: return i > j
    case .ge: return i >= j
    case .eq: return i == j
    case .ne: return i != j
    default: return nil
    }
}
