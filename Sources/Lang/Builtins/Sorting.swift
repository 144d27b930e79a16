/// `sorted` and `list.sort`: Python's stable sort, with the common keys compared without
/// the interpreter.
///
/// Lists of plain ints with no key are sorted as ints (equal ints cannot be told apart, so
/// stability is moot; `IntSort.swift`). A key function whose body only picks parts of its
/// argument (`SortKeyPlan`: `lambda kv: (-kv[1], kv[0])`) is not called: its keys are laid
/// out by column straight from the items. `key=d.get` and `key=len` are computed without a
/// call. Keys that are all ints, bools, floats without NaN or strs, or same-length tuples (or
/// lists) of those, are ordered by column (`ColumnKeys`), by a stable radix or merge sort (any
/// stable sort gives the same result for such totally ordered keys). Any other keys go through
/// CPython's own algorithm (`timSort`: NaNs and comparison errors then give CPython's result),
/// with comparisons of ints, floats, strs and tuples of ints and strs done here (`fastLess`),
/// everything else by `Interpreter.less`.
func sortValues(_ items: [Value], key: Value, reverse: Bool, _ i: Interpreter) throws -> [Value] {
    if items.count < 2 {
        if key.isNone || items.isEmpty { return items }
    } else if key.isNone, let sorted = sortedInts(items, reverse: reverse) {
        return sorted
    }
    var keys: [Value]
    if key.isNone { keys = items } else if case .function(let fun) = key, fun.plainArity == 1 {
        if let plan = fun.sortKey {
            if let flat = plan.flat, let columns = ColumnKeys(items, flat: flat) {
                return columns.order(reverse: reverse).map { items[$0] }
            }
            keys = []
            keys.reserveCapacity(items.count)
            for x in items {
                guard let k = plan.key(x) else { keys = []; break }
                keys.append(k)
            }
            if keys.count == items.count { return try sortByKeys(items, keys, reverse: reverse, i) }
        }
        // A lambda or def of one plain parameter: its frame is filled directly.
        keys = []
        keys.reserveCapacity(items.count)
        for x in items {
            var frame = fun.takeFrame()
            frame.slots[0] = x
            keys.append(try i.runPlain(fun, &frame))
        }
    } else if case .boundMethod(let m) = key, case .dict(let d) = m.receiver, case .builtin(let b) = m.function,
              b.path == "dict.get" {
        // `key=d.get`: the look-ups without a call per item (the builtin's result and error).
        keys = []
        keys.reserveCapacity(items.count)
        for x in items {
            guard let h = HashKey(x) else { throw typeError("unhashable type: '\(x.typeName)'") }
            keys.append(d.get(h) ?? .none)
        }
    } else if case .builtin(let b) = key, b.path == "len" {
        // `key=len`: lengths counted in place, without a call per item.
        keys = []
        keys.reserveCapacity(items.count)
        for x in items {
            switch x {
            case .str(let s): keys.append(.int(Interpreter.codePoints(s)))
            case .list(let l): keys.append(.int(l.items.count))
            case .tuple(let t): keys.append(.int(t.count))
            default: keys.append(.int(try i.length(x)))
            }
        }
    } else {
        keys = []
        keys.reserveCapacity(items.count)
        for x in items { keys.append(try i.call(key, [x])) }
    }
    return try sortByKeys(items, keys, reverse: reverse, i)
}

/// `reverse=` of `sorted`/`list.sort`: an int or bool, as CPython takes it.
func sortReverse(_ v: Value) throws -> Bool {
    switch v {
    case .bool(let b): return b
    case .int(let n): return n != 0
    default: throw typeError("'\(v.typeName)' object cannot be interpreted as an integer")
    }
}

/// `items` in the stable order of their `keys`.
private func sortByKeys(_ items: [Value], _ keys: [Value], reverse: Bool, _ i: Interpreter) throws -> [Value] {
    if items.count < 2 { return items }
    if let columns = ColumnKeys(keys) {
        return columns.order(reverse: reverse).map { items[$0] }
    }
    let order = try keys.withUnsafeBufferPointer { k in
        try timSort(items.count, reverse: reverse) { x, y in
            if let r = fastLess(k[x], k[y]) { return r }
            return try i.less(k[x], k[y], .lt)
        }
    }
    return order.map { items[$0] }
}

/// `a < b` as Python decides it, for ints, floats, strs and tuples whose elements are ints
/// and strs; nil for anything else (the interpreter's `less` decides, raising where Python does).
@inline(__always) func fastLess(_ a: Value, _ b: Value) -> Bool? {
    switch (a, b) {
    case (.int(let x), .int(let y)): return x < y
    case (.float(let x), .float(let y)): return x < y
    case (.str(let x), .str(let y)): return strLess(x, y)
    case (.tuple(let x), .tuple(let y)):
        let n = Swift.min(x.count, y.count)
        var k = 0
        while k < n {
            switch (x[k], y[k]) {
            case (.int(let p), .int(let q)): if p != q { return p < q }
            case (.str(let p), .str(let q)): if !HashKey.sameCodePoints(p, q) { return strLess(p, q) }
            default: return nil
            }
            k += 1
        }
        return x.count < y.count
    default: return nil
    }
}

/// Python's order of strs: by code points, which is the order of their UTF-8 bytes.
func strLess(_ a: String, _ b: String) -> Bool {
    HashKey.withBytes(a) { p in
        HashKey.withBytes(b) { q -> Bool in
            let n = Swift.min(p.count, q.count)
            var i = 0
            while i < n {
                if p[i] != q[i] { return p[i] < q[i] }
                i += 1
            }
            return p.count < q.count
        }
    }
}

/// A stable merge sort of the indices `0..<n` by `less`, through one scratch buffer; runs
/// of up to 8 are sorted by insertion first, and two runs already in order are not merged.
@inline(__always) func mergeSort(_ n: Int, _ less: (Int, Int) throws -> Bool) rethrows -> [Int] {
    var src = Array(0..<n)
    if n <= 1 { return src }
    var dst = src
    try src.withUnsafeMutableBufferPointer { s0 in
        try dst.withUnsafeMutableBufferPointer { d0 in
            var s = s0, d = d0
            let run = 8
            var start = 0
            while start < n {
                let end = Swift.min(start + run, n)
                var i = start + 1
                while i < end {
                    let x = s[i]
                    var j = i
                    while j > start, try less(x, s[j - 1]) { s[j] = s[j - 1]; j -= 1 }
                    s[j] = x
                    i += 1
                }
                start = end
            }
            var width = run
            var inSrc = true
            while width < n {
                var lo = 0
                while lo < n {
                    let mid = Swift.min(lo + width, n), hi = Swift.min(lo + 2 * width, n)
                    var i = lo, j = mid, o = lo
                    if mid < hi, try !less(s[mid], s[mid - 1]) {
                        while i < hi { d[o] = s[i]; i += 1; o += 1 }
                        lo = hi
                        continue
                    }
                    while i < mid && j < hi {
                        if try less(s[j], s[i]) { d[o] = s[j]; j += 1 } else { d[o] = s[i]; i += 1 }
                        o += 1
                    }
                    while i < mid { d[o] = s[i]; i += 1; o += 1 }
                    while j < hi { d[o] = s[j]; j += 1; o += 1 }
                    lo = hi
                }
                swap(&s, &d)
                inSrc.toggle()
                width *= 2
            }
            if !inSrc { for k in 0..<n { d[k] = s[k] } }
        }
    }
    return src
}
