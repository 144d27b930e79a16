/// Sort keys laid out by column, for comparisons without the interpreter or reference
/// counting: keys that are all strs, or all tuples of one length whose every position
/// holds only ints, only floats (no NaN) or only strs — `sorted(words)`,
/// `key=lambda kv: (-kv[1], kv[0])`. Ints and floats are copied into flat arrays, strs'
/// UTF-8 bytes into one pool (Python orders strs by code points, which is the order of
/// their UTF-8 bytes). Anything else (mixed kinds in a position, tuples of different
/// lengths, bools, nested tuples) is nil: the caller compares `Value`s as before.
struct ColumnKeys {
    private enum Kind { case int, float, str }
    private let width: Int
    private let kinds: [Kind]
    /// Row-major, `width` entries per key; each holds the position's int, float bits or
    /// (for strs) the start of its bytes in `pool`, with the end in `ends`.
    private var words: [Int] = []
    private var ends: [Int] = []
    private var pool: [UInt8] = []

    init?(_ keys: [Value]) {
        guard let first = keys.first else { return nil }
        let scalar: Bool
        var kinds: [Kind] = []
        func kind(_ v: Value) -> Kind? {
            switch v {
            case .int: return .int
            case .float(let d): return d.isNaN ? nil : .float
            case .str: return .str
            default: return nil
            }
        }
        switch first {
        case .str: scalar = true; kinds = [.str]
        case .tuple(let t):
            scalar = false
            for x in t { guard let k = kind(x) else { return nil }; kinds.append(k) }
            if kinds.isEmpty { return nil }
        default: return nil
        }
        width = kinds.count
        self.kinds = kinds
        words.reserveCapacity(keys.count * width)
        ends.reserveCapacity(keys.count * width)
        func add(_ v: Value, _ p: Int) -> Bool {
            switch (kinds[p], v) {
            case (.int, .int(let i)): words.append(i); ends.append(0)
            case (.float, .float(let d)):
                if d.isNaN { return false }
                // -0.0 == 0.0 in Python: one bit pattern for both.
                words.append(Int(bitPattern: UInt(d == 0 ? 0 : d.bitPattern))); ends.append(0)
            case (.str, .str(let s)):
                words.append(pool.count); pool.append(contentsOf: s.utf8); ends.append(pool.count)
            default: return false
            }
            return true
        }
        for k in keys {
            if scalar {
                guard add(k, 0) else { return nil }
            } else {
                guard case .tuple(let t) = k, t.count == width else { return nil }
                for p in 0..<width { guard add(t[p], p) else { return nil } }
            }
        }
    }

    /// The stable order of the keys' indices (equal keys keep their order, with `reverse`
    /// too, as Python's sort).
    func order(reverse: Bool) throws -> [Int] {
        let w = width, n = words.count / Swift.max(width, 1)
        return try words.withUnsafeBufferPointer { wp in
            try ends.withUnsafeBufferPointer { ep in
                try pool.withUnsafeBufferPointer { pp in
                    try kinds.withUnsafeBufferPointer { kp in
                        @inline(__always) func less(_ x: Int, _ y: Int) -> Bool {
                            var a = x &* w, b = y &* w
                            for p in 0..<w {
                                switch kp[p] {
                                case .int:
                                    if wp[a] != wp[b] { return wp[a] < wp[b] }
                                case .float:
                                    let u = Double(bitPattern: UInt64(UInt(bitPattern: wp[a])))
                                    let v = Double(bitPattern: UInt64(UInt(bitPattern: wp[b])))
                                    if u != v { return u < v }
                                case .str:
                                    var i = wp[a], j = wp[b]
                                    let ie = ep[a], je = ep[b]
                                    while i < ie && j < je {
                                        if pp[i] != pp[j] { return pp[i] < pp[j] }
                                        i += 1; j += 1
                                    }
                                    if i < ie || j < je { return j < je }
                                }
                                a += 1; b += 1
                            }
                            return false
                        }
                        return try mergeSort(Array(0..<n)) { x, y in reverse ? less(y, x) : less(x, y) }
                    }
                }
            }
        }
    }
}
