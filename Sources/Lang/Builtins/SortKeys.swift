/// Sort keys laid out by column, for comparisons without the interpreter or reference
/// counting: keys that are all strs, or all tuples (or all lists) of one length whose every position
/// holds only ints (bools count as the ints they equal), only floats (no NaN) or only strs
/// — `sorted(words)`, `key=lambda kv: (-kv[1], kv[0])`. Anything else (mixed kinds in a
/// position, tuples of different lengths, nested tuples) is nil: the caller compares
/// `Value`s instead.
///
/// Every cell is one `UInt64` whose unsigned order is Python's order of the cell's values:
/// an int with its sign bit flipped; a float's bits made monotonic (-0.0 as 0.0, since
/// they are equal); a str's first eight UTF-8 bytes, big-endian, zero-padded (Python orders
/// strs by code points, which is the order of their UTF-8 bytes); the bytes after the eighth
/// go into one pool. To sort, a str column whose strs have at most 63 bytes is widened to
/// words holding all its bytes and its length, and keys made only of words are radix-sorted
/// (merge-sorted below 64 keys); longer strs are compared from the pool.
final class ColumnKeys {
    private enum Kind { case int, float, str }
    private let width: Int
    private let count: Int
    private var kinds: [Kind] = []
    /// Row-major, `width` cells per key, `count` keys; `cursor` is the next cell to fill.
    private let words: UnsafeMutablePointer<UInt64>
    private var cursor = 0
    /// For str cells: the start of the str's bytes after the first eight in `pool`, and
    /// the str's length in bytes (zero for other cells; allocated with the first str column).
    private var starts: UnsafeMutablePointer<Int>?
    private var lengths: UnsafeMutablePointer<Int>?
    private var pool: [UInt8] = []

    /// Keys given as `Value`s (the results of a key function, or the items themselves).
    convenience init?(_ keys: [Value]) {
        guard let first = keys.first else { return nil }
        let width: Int
        switch first {
        case .tuple(let t): width = t.count
        case .list(let l): width = l.items.count
        default: width = 1
        }
        // Wide keys (rare) are compared as values: columns would be allocated for every cell
        // before the first mismatch could give up.
        if width == 0 || width > 32 { return nil }
        self.init(width: width, capacity: keys.count)
        if case .tuple = first {
            for k in keys {
                guard case .tuple(let u) = k, u.count == width else { return nil }
                for p in 0..<width { guard add(u[p], p) else { return nil } }
            }
        } else if case .list = first {
            // Lists of one length order as tuples do (a list and a tuple do not compare: nil).
            for k in keys {
                guard case .list(let l) = k, l.items.count == width else { return nil }
                for p in 0..<width { guard add(l.items[p], p) else { return nil } }
            }
        } else {
            for k in keys { guard add(k, 0) else { return nil } }
        }
    }

    /// The keys of `lambda t: (t[i], -t[j], ...)`-shaped plans (`SortKeyPlan.flat`), read
    /// straight from the items; nil when an item or a part is not of the plan's kinds.
    convenience init?(_ items: [Value], flat: [SortKeyPlan.Pick]) {
        self.init(width: flat.count, capacity: items.count)
        for x in items {
            for (p, pick) in flat.enumerated() {
                let ok: Bool
                if pick.index == nil {
                    ok = pick.neg ? addNegated(x, p) : add(x, p)
                } else {
                    switch x {
                    case .tuple(let t):
                        guard let j = pick.position(t.count) else { return nil }
                        ok = pick.neg ? addNegated(t[j], p) : add(t[j], p)
                    case .list(let l):
                        guard let j = pick.position(l.items.count) else { return nil }
                        ok = pick.neg ? addNegated(l.items[j], p) : add(l.items[j], p)
                    default: return nil
                    }
                }
                guard ok else { return nil }
            }
        }
    }

    /// Empty columns for `count` keys; the first key's cells set their kinds.
    private init(width: Int, capacity: Int) {
        self.width = width
        count = capacity
        kinds.reserveCapacity(width)
        words = .allocate(capacity: capacity * width)
    }

    deinit {
        words.deallocate()
        starts?.deallocate()
        lengths?.deallocate()
    }

    /// Appends `-v` as cell `p` of the current key, if `v` is an int (not the most negative:
    /// the interpreter raises), a bool or a float.
    @inline(__always) private func addNegated(_ v: Value, _ p: Int) -> Bool {
        switch v {
        case .int(let n): return n != Int.min && addInt(-n, p)
        case .bool(let b): return addInt(b ? -1 : 0, p)
        case .float(let d): return addFloat(-d, p)
        default: return false
        }
    }

    /// Appends `v` as cell `p` of the current key; false when it is not of the column's kind.
    @inline(__always) private func add(_ v: Value, _ p: Int) -> Bool {
        switch v {
        case .int(let n): return addInt(n, p)
        case .bool(let b): return addInt(b ? 1 : 0, p)
        case .float(let d): return addFloat(d, p)
        case .str(let s): return addStr(s, p)
        default: return false
        }
    }

    @inline(__always) private func kind(_ k: Kind, _ p: Int) -> Bool {
        if p < kinds.count { return kinds[p] == k }
        kinds.append(k)
        if k == .str && lengths == nil {
            let n = count * width
            starts = .allocate(capacity: n)
            starts?.initialize(repeating: 0, count: n)
            lengths = .allocate(capacity: n)
            lengths?.initialize(repeating: 0, count: n)
        }
        return true
    }

    @inline(__always) private func addInt(_ n: Int, _ p: Int) -> Bool {
        guard kind(.int, p), cursor < count * width else { return false }
        words[cursor] = UInt64(bitPattern: Int64(n)) ^ (1 << 63)
        cursor += 1
        return true
    }

    @inline(__always) private func addFloat(_ d: Double, _ p: Int) -> Bool {
        guard !d.isNaN, kind(.float, p), cursor < count * width else { return false }
        let bits = (d == 0 ? 0.0 : d).bitPattern
        words[cursor] = bits >> 63 == 1 ? ~bits : bits | (1 << 63)
        cursor += 1
        return true
    }

    private func addStr(_ s: String, _ p: Int) -> Bool {
        guard kind(.str, p), cursor < count * width, let starts, let lengths else { return false }
        let (prefix, n) = HashKey.withBytes(s) { b -> (UInt64, Int) in
            var w: UInt64 = 0
            for k in 0..<Swift.min(8, b.count) { w |= UInt64(b[k]) << (56 - 8 * k) }
            if b.count > 8 { pool.append(contentsOf: UnsafeBufferPointer(rebasing: b[8...])) }
            return (w, b.count)
        }
        words[cursor] = prefix
        starts[cursor] = n > 8 ? pool.count - (n - 8) : 0
        lengths[cursor] = n
        cursor += 1
        return true
    }

    /// The stable order of the keys' indices (equal keys keep their order, with `reverse`
    /// too, as Python's sort).
    func order(reverse: Bool) -> [Int] {
        guard let sp = starts, let lp = lengths else { return wordOrder(words, width, reverse: reverse) }
        // A str column whose strs have at most 8m - 1 bytes becomes m words: its bytes, zero
        // padded, then its length in the last byte. Their order is the strs' order: where the
        // padded bytes tie, the strs differ only by trailing NULs, and the shorter comes first
        // ("ab" < "ab\0").
        var spans = [Int](repeating: 1, count: width)
        var fits = true
        for p in 0..<width where kinds[p] == .str {
            var longest = 0
            var c = p
            while c < count * width { longest = Swift.max(longest, lp[c]); c += width }
            if longest > 63 { fits = false; break }
            spans[p] = longest / 8 + 1
        }
        if fits {
            let wide = spans.reduce(0, +)
            let wp = UnsafeMutablePointer<UInt64>.allocate(capacity: count * wide)
            defer { wp.deallocate() }
            pool.withUnsafeBufferPointer { pp in
                for r in 0..<count {
                    var o = r * wide
                    for p in 0..<width {
                        let c = r * width + p
                        wp[o] = words[c]
                        if kinds[p] == .str {
                            let n = lp[c]
                            for k in 1..<spans[p] {
                                var x: UInt64 = 0
                                for b in 0..<8 where 8 * k + b < n { x |= UInt64(pp[sp[c] + 8 * k + b - 8]) << (56 - 8 * b) }
                                wp[o + k] = x
                            }
                            wp[o + spans[p] - 1] |= UInt64(n)
                        }
                        o += spans[p]
                    }
                }
            }
            return wordOrder(wp, wide, reverse: reverse)
        }
        let w = width, wp = words
        let strColumns = kinds.map { $0 == .str }
        return pool.withUnsafeBufferPointer { pp in
            strColumns.withUnsafeBufferPointer { kp in
                /// The order of the strs in cells `a` and `b` whose prefixes are equal.
                @inline(__always) func tail(_ a: Int, _ b: Int) -> Int {
                    let la = lp[a], lb = lp[b]
                    if la > 8 && lb > 8 {
                        var i = sp[a], j = sp[b]
                        let end = i + Swift.min(la, lb) - 8
                        while i < end {
                            if pp[i] != pp[j] { return pp[i] < pp[j] ? -1 : 1 }
                            i += 1; j += 1
                        }
                    }
                    return la < lb ? -1 : la > lb ? 1 : 0
                }
                @inline(__always) func less(_ x: Int, _ y: Int) -> Bool {
                    var a = x &* w, b = y &* w
                    for p in 0..<w {
                        let u = wp[a], v = wp[b]
                        if u != v { return u < v }
                        if kp[p] {
                            let t = tail(a, b)
                            if t != 0 { return t < 0 }
                        }
                        a += 1; b += 1
                    }
                    return false
                }
                return mergeSort(count) { x, y in reverse ? less(y, x) : less(x, y) }
            }
        }
    }

    /// The stable order of keys of `w` words each at `wp`, decided by their words alone.
    private func wordOrder(_ wp: UnsafeMutablePointer<UInt64>, _ w: Int, reverse: Bool) -> [Int] {
        if count >= 64 { return radixOrder(wp, w, reverse: reverse) }
        if w == 1 { return mergeSort(count) { x, y in reverse ? wp[y] < wp[x] : wp[x] < wp[y] } }
        @inline(__always) func less(_ x: Int, _ y: Int) -> Bool {
            var a = x &* w, b = y &* w
            let end = a &+ w
            while a < end {
                if wp[a] != wp[b] { return wp[a] < wp[b] }
                a &+= 1; b &+= 1
            }
            return false
        }
        return mergeSort(count) { x, y in reverse ? less(y, x) : less(x, y) }
    }

    /// The stable order of keys decided by their words alone: a least-significant-digit
    /// radix sort of the indices, a pass per byte that not every key shares (from the last
    /// column's lowest byte to the first column's highest); `reverse` takes the buckets from
    /// the top, so equal keys still keep their order.
    private func radixOrder(_ wp: UnsafeMutablePointer<UInt64>, _ w: Int, reverse: Bool) -> [Int] {
        let n = count
        var order = Array(0..<n)
        var scratch = [Int](repeating: 0, count: n)
        var buckets = [Int](repeating: 0, count: 256)
        order.withUnsafeMutableBufferPointer { o0 in
            scratch.withUnsafeMutableBufferPointer { s0 in
                buckets.withUnsafeMutableBufferPointer { c in
                    var src = o0, dst = s0
                    var inOrder = true
                    for p in stride(from: w - 1, through: 0, by: -1) {
                        var andAll = UInt64.max, orAll: UInt64 = 0
                        for r in 0..<n { let v = wp[r &* w &+ p]; andAll &= v; orAll |= v }
                        let varying = andAll ^ orAll
                        for byte in 0..<8 {
                            let shift = UInt64(byte * 8)
                            if (varying >> shift) & 0xFF == 0 { continue }
                            for d in 0..<256 { c[d] = 0 }
                            for r in 0..<n { c[Int((wp[src[r] &* w &+ p] >> shift) & 0xFF)] &+= 1 }
                            var sum = 0
                            if reverse {
                                for d in stride(from: 255, through: 0, by: -1) { let m = c[d]; c[d] = sum; sum &+= m }
                            } else {
                                for d in 0..<256 { let m = c[d]; c[d] = sum; sum &+= m }
                            }
                            for r in 0..<n {
                                let i = src[r]
                                let d = Int((wp[i &* w &+ p] >> shift) & 0xFF)
                                dst[c[d]] = i
                                c[d] &+= 1
                            }
                            swap(&src, &dst)
                            inOrder.toggle()
                        }
                    }
                    if !inOrder { for r in 0..<n { dst[r] = src[r] } }
                }
            }
        }
        return order
    }
}
