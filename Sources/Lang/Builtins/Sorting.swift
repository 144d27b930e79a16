/// `sorted` and `list.sort`: Python's stable sort, with the common keys compared without
/// the interpreter.
///
/// Lists of plain ints with no key are sorted as `[Int]` (equal ints cannot be told
/// apart, so stability is moot); keys that are all ints or all floats without NaN are
/// sorted unboxed with ties broken by position; any other keys go through a stable merge
/// sort whose comparisons of ints, floats, strs and tuples of ints and strs (word counts'
/// `(-count, word)`) are done here (`fastLess`), everything else by `Interpreter.less`.
func sortValues(_ items: [Value], key: Value, reverse: Bool, _ i: Interpreter) throws -> [Value] {
    if key.isNone, let ints = allInts(items) {
        var sorted = ints
        sorted.sort()
        if reverse { sorted.reverse() }
        return sorted.map { .int($0) }
    }
    var keys: [Value]
    if key.isNone { keys = items } else {
        keys = []
        keys.reserveCapacity(items.count)
        if case .function(let fun) = key, fun.plainArity == 1 {
            // A lambda or def of one plain parameter: its frame is filled directly.
            for x in items {
                var frame = fun.takeFrame()
                frame.slots[0] = x
                keys.append(try i.runPlain(fun, &frame))
            }
        } else {
            for x in items { keys.append(try i.call(key, [x])) }
        }
    }
    // Keys all ints, or all floats without NaN: compared unboxed, ties broken by position
    // (stable, as Python's sort; with reverse=True equal keys keep their order too).
    var doubles: [Double] = []
    let ints = allInts(keys) ?? []
    if ints.count != keys.count {
        for k in keys { if case .float(let d) = k, !d.isNaN { doubles.append(d) } else { break } }
    }
    if ints.count == keys.count || doubles.count == keys.count {
        var order = Array(items.indices)
        if ints.count == keys.count {
            order.sort { x, y in ints[x] != ints[y] ? (reverse ? ints[x] > ints[y] : ints[x] < ints[y]) : x < y }
        } else {
            order.sort { x, y in doubles[x] != doubles[y] ? (reverse ? doubles[x] > doubles[y] : doubles[x] < doubles[y]) : x < y }
        }
        return order.map { items[$0] }
    }
    if let columns = ColumnKeys(keys) {
        return try columns.order(reverse: reverse).map { items[$0] }
    }
    let order = try keys.withUnsafeBufferPointer { k in
        try mergeSort(Array(items.indices)) { x, y in
            let (a, b) = reverse ? (k[y], k[x]) : (k[x], k[y])
            if let r = fastLess(a, b) { return r }
            return try i.less(a, b, .lt)
        }
    }
    return order.map { items[$0] }
}

/// The ints of `values` when every one is an int (not a bool), else nil.
private func allInts(_ values: [Value]) -> [Int]? {
    var ints: [Int] = []
    ints.reserveCapacity(values.count)
    for v in values { guard case .int(let n) = v else { return nil }; ints.append(n) }
    return ints
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

/// A stable merge sort of indices by `less`, through one scratch buffer; runs of up to 8
/// are sorted by insertion first.
func mergeSort(_ a: [Int], _ less: (Int, Int) throws -> Bool) throws -> [Int] {
    var src = a
    let n = src.count
    if n <= 1 { return src }
    let run = 8
    var start = 0
    while start < n {
        let end = Swift.min(start + run, n)
        var i = start + 1
        while i < end {
            let x = src[i]
            var j = i
            while j > start, try less(x, src[j - 1]) { src[j] = src[j - 1]; j -= 1 }
            src[j] = x
            i += 1
        }
        start = end
    }
    var dst = src
    var width = run
    while width < n {
        var lo = 0
        while lo < n {
            let mid = Swift.min(lo + width, n), hi = Swift.min(lo + 2 * width, n)
            var i = lo, j = mid, o = lo
            while i < mid && j < hi {
                if try less(src[j], src[i]) { dst[o] = src[j]; j += 1 } else { dst[o] = src[i]; i += 1 }
                o += 1
            }
            while i < mid { dst[o] = src[i]; i += 1; o += 1 }
            while j < hi { dst[o] = src[j]; j += 1; o += 1 }
            lo = hi
        }
        swap(&src, &dst)
        width *= 2
    }
    return src
}
