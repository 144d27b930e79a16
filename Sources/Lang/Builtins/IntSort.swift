/// Sorting a list of plain ints (no key): equal ints cannot be told apart, so any order of
/// equal values is Python's stable order, and the ints are sorted without their `Value`s.
/// A small range of values (word lengths, labels, counts) is sorted by counting them; any
/// other range by a radix sort of the ints' bits, eight at a time (skipping bytes that every
/// int shares), or Swift's sort for short lists. `list.sort` writes the ints back over the
/// list's own items (ints hold no references, so nothing is released); `sorted` writes them
/// into a new array.

/// `items` sorted when every one is an int (not a bool), else nil.
func sortedInts(_ items: [Value], reverse: Bool) -> [Value]? {
    items.withUnsafeBufferPointer { p -> [Value]? in
        guard let range = intRange(p) else { return nil }
        return [Value](unsafeUninitializedCapacity: p.count) { buf, initialized in
            guard let base = buf.baseAddress else { return }
            sortInts(p, range, reverse: reverse) { j, v in (base + j).initialize(to: .int(v)) }
            initialized = p.count
        }
    }
}

/// Sorts `items` in place when every one is an int (not a bool); false (nothing changed)
/// otherwise.
func sortIntsInPlace(_ items: inout [Value], reverse: Bool) -> Bool {
    items.withUnsafeMutableBufferPointer { p -> Bool in
        guard let base = p.baseAddress, let range = intRange(UnsafeBufferPointer(p)) else { return false }
        // Every item is an int, which holds no reference: writing over it leaks nothing.
        sortInts(UnsafeBufferPointer(p), range, reverse: reverse) { j, v in (base + j).initialize(to: .int(v)) }
        return true
    }
}

/// The smallest and largest of `p`'s items when all are ints, else nil.
private func intRange(_ p: UnsafeBufferPointer<Value>) -> (Int, Int)? {
    guard let first = p.first, case .int(var lo) = first else { return nil }
    var hi = lo
    for j in 0..<p.count {
        guard case .int(let x) = p[j] else { return nil }
        if x < lo { lo = x } else if x > hi { hi = x }
    }
    return (lo, hi)
}

/// Sorts the ints of `p` (all ints, from `lo` to `hi`), handing `emit` each position of the
/// result and its value; `p` is read in full before the first `emit`.
@inline(__always) private func sortInts(_ p: UnsafeBufferPointer<Value>, _ range: (Int, Int), reverse: Bool,
                                        _ emit: (Int, Int) -> Void) {
    let n = p.count, (lo, hi) = range
    let (span, overflow) = hi.subtractingReportingOverflow(lo)
    if !overflow && span < Swift.max(n, 1024) {
        // Four tables of counts, each item counted in the next: runs of one value do not
        // wait on the previous increment of the same counter.
        let m = span + 1
        var counts = [Int](repeating: 0, count: 4 * m)
        counts.withUnsafeMutableBufferPointer { c in
            var j = 0
            while j + 4 <= n {
                if case .int(let x) = p[j] { c[x &- lo] &+= 1 }
                if case .int(let x) = p[j + 1] { c[m &+ x &- lo] &+= 1 }
                if case .int(let x) = p[j + 2] { c[2 &* m &+ x &- lo] &+= 1 }
                if case .int(let x) = p[j + 3] { c[3 &* m &+ x &- lo] &+= 1 }
                j += 4
            }
            while j < n { if case .int(let x) = p[j] { c[x &- lo] &+= 1 }; j += 1 }
            for d in 0..<m { c[d] = c[d] &+ c[m + d] &+ c[2 * m + d] &+ c[3 * m + d] }
            j = 0
            for d in 0...span {
                let m = c[reverse ? span - d : d], value = reverse ? hi &- d : lo &+ d
                var k = 0
                while k < m { emit(j, value); j += 1; k += 1 }
            }
        }
        return
    }
    var keys = [UInt64](repeating: 0, count: n)
    keys.withUnsafeMutableBufferPointer { k in
        for j in 0..<n { if case .int(let x) = p[j] { k[j] = UInt64(bitPattern: Int64(x)) ^ (1 << 63) } }
    }
    if n < 256 { keys.sort() } else { radixSort(&keys) }
    for j in 0..<n {
        emit(j, Int(Int64(bitPattern: keys[reverse ? n - 1 - j : j] ^ (1 << 63))))
    }
}

/// Sorts `keys` (unsigned order) by least significant byte first, a pass per byte that not
/// every key shares.
private func radixSort(_ keys: inout [UInt64]) {
    let n = keys.count
    var scratch = [UInt64](repeating: 0, count: n)
    var andAll = UInt64.max, orAll: UInt64 = 0
    for k in keys { andAll &= k; orAll |= k }
    let varying = andAll ^ orAll
    var counts = [Int](repeating: 0, count: 256)
    keys.withUnsafeMutableBufferPointer { a0 in
        scratch.withUnsafeMutableBufferPointer { b0 in
            counts.withUnsafeMutableBufferPointer { c in
                var a = a0, b = b0
                var inKeys = true
                for pass in 0..<8 {
                    let shift = UInt64(pass * 8)
                    if (varying >> shift) & 0xFF == 0 { continue }
                    for d in 0..<256 { c[d] = 0 }
                    for k in a { c[Int((k >> shift) & 0xFF)] += 1 }
                    var sum = 0
                    for d in 0..<256 { let m = c[d]; c[d] = sum; sum += m }
                    for k in a {
                        let d = Int((k >> shift) & 0xFF)
                        b[c[d]] = k
                        c[d] += 1
                    }
                    swap(&a, &b)
                    inKeys.toggle()
                }
                if !inKeys { for j in 0..<n { b[j] = a[j] } }
            }
        }
    }
}
