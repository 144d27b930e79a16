import Syntax

/// `d[k] = d.get(k, c) + y` — counting in a dict, the idiom of word counts — as one
/// statement with one look-up of `k` when it is present (the ordinary path hashes and finds
/// it twice: once for `get`, once for the store), no argument array, no `Value` sum.
///
/// Only for `d` and `k` local names and `c`, `y` int literals: reading them has no side
/// effects, so when anything is off (`d` not a dict, `k` unhashable or unbound, the value
/// not an int, the sum overflowing) nothing has happened yet and the statement runs the
/// ordinary way, which raises Python's error or does the general `+`.
struct CountUpdate {
    let dict: Int, key: Int
    let start: Int, step: Int
}

extension Compiler {
    /// The shape `d[k] = d.get(k, c) + y` with `d`, `k` locals and `c`, `y` int literals; nil otherwise.
    func countUpdate(_ target: Expr, _ value: Expr) -> CountUpdate? {
        guard case .index(.name(let d, _), .name(let k, _), _) = target,
              case .binary(.add, .call(.attribute(.name(let d2, _), let method, _), let args, _), .int(let y, _), _) = value,
              method == "get", d == d2, args.count == 2,
              case .positional(.name(let k2, _)) = args[0], k == k2,
              case .positional(.int(let c, _)) = args[1],
              case .local(let ds) = scope.resolve(d), case .local(let ks) = scope.resolve(k) else { return nil }
        return CountUpdate(dict: ds, key: ks, start: c, step: y)
    }

    func compileCountUpdate(_ u: CountUpdate, general: @escaping Exec) -> Exec {
        let ds = u.dict, ks = u.key, start = u.start, step = u.step
        return { f in
            // The dict and the key are read in place (borrowed: nothing runs meanwhile that
            // could rebind them), so counting retains and releases nothing.
            if let d = borrowedDict(f.slots + ds),
               d._withUnsafeGuaranteedRef({ $0.addInt(f.slots + ks, start: start, step: step) }) { return .normal }
            return try general(f)
        }
    }
}

/// The dict in a slot, borrowed; nil when the slot holds no dict.
@inline(__always) func borrowedDict(_ p: UnsafeMutablePointer<Value?>) -> Unmanaged<DictBox>? {
    if case .dict(let d)? = p.pointee { return Unmanaged.passUnretained(d) }
    return nil
}

extension DictBox {
    /// `self[key] = self.get(key, start) + step` for the key in slot `kp`, when the value is an
    /// int: one look-up when the key is present (which keeps its first key object, as Python's
    /// store does). False, with nothing changed, when the slot is empty, the key unhashable,
    /// the value not an int or the sum overflowing.
    func addInt(_ kp: UnsafeMutablePointer<Value?>, start: Int, step: Int) -> Bool {
        let found: Int?
        if case .str(let s)? = kp.pointee { found = find(str: s) } else {
            guard let k = kp.pointee, let key = HashKey(k) else { return false }
            found = entry(key)
        }
        if let i = found { return addInt(at: i, step) }
        let (s, o) = start.addingReportingOverflow(step)
        guard !o, let k = kp.pointee, let key = HashKey(k) else { return false }
        append(key, DictBox.hash(key), k, .int(s))
        return true
    }
}
