/// `dict`: insertion-ordered, shared, mutable.
///
/// The entries live in parallel arrays in insertion order (`keys`, `values`, their
/// `HashKey`s, and `meta`: each one's hash and its str bytes, in place or in `pool`); `table` is an open-addressing index into them (linear probing,
/// a power-of-two size at most two-thirds full, 0 = empty, i + 1 = entry i). Each key's
/// hash is computed once, when it is stored: growing rehashes from `meta`, and a probe
/// compares hashes before keys, so a look-up compares key contents only for the entry it
/// finds. (A Swift `Dictionary<HashKey, Int>` hashed and compared whole `HashKey`s through
/// its generic machinery on every probe.) A str key's UTF-8 bytes are also kept: up to 15
/// bytes as two words in its `Meta` (`ShortStr`), longer ones in `pool`. A str is looked up
/// by hashing its bytes and comparing them with the kept ones, with no `HashKey` made and no
/// reference counted (equal strs are the only keys a str equals: Python's `'1' != 1`, and
/// strs are equal when their code points are).
public final class DictBox {
    public private(set) var keys: [Value] = []
    public private(set) var values: [Value] = []
    private var hashKeys: [HashKey] = []
    /// What a probe reads of an entry, side by side (one cache line, not three arrays).
    private struct Meta {
        var hash: Int
        /// A str key's UTF-8 byte count (−1 for other keys).
        var count: Int
        /// A str key of at most 15 bytes: its `ShortStr` words (compared in place, no pool).
        /// A longer one: `a` is where its bytes start in `pool`.
        var a: UInt64
        var b: UInt64
    }
    /// One `Meta` per entry, in a buffer of our own: a probe reads it with no retain of an
    /// array's storage and no bounds check (every index comes from `table`).
    private var meta = MetaBuffer()
    private var pool: [UInt8] = []
    private var table: UnsafeMutablePointer<Int>
    private var mask: Int
    /// `collections.defaultdict`'s factory, called for a missing key.
    public var defaultFactory: Value?
    /// `OrderedDict` prints as Python 3.11 prints it: `OrderedDict([('a', 1)])`.
    public var isOrdered = false

    public init() {
        mask = 7
        table = .allocate(capacity: 8)
        table.initialize(repeating: 0, count: 8)
    }

    deinit {
        table.deallocate()
        meta.deallocate()
        Teardown.release(&values); Teardown.release(&keys)
    }

    public var count: Int { keys.count }

    /// The hash a key is stored under (`HashKey+Hash.swift`: ints and strs without a `Hasher`).
    @inline(__always) static func hash(_ key: HashKey) -> Int { key._rawHashValue(seed: 0) }

    /// The entry holding `key` (hashed `h`), or nil.
    @inline(__always) func find(_ key: HashKey, _ h: Int) -> Int? {
        var i = h & mask
        while true {
            let e = table[i]
            if e == 0 { return nil }
            if meta[e &- 1].hash == h && hashKeys[e &- 1] == key { return e &- 1 }
            i = (i &+ 1) & mask
        }
    }

    /// The entry of a str key, without making a `HashKey`.
    @inline(__always) func find(str s: String) -> Int? {
        // −1 for a missing key inside: an `Int??` (the bytes' closure returning an optional) was
        // returned through two byte stores read back as one word, a store-forwarding stall that
        // took a third of a word count's look-up.
        let i: Int
        if let w = ShortStr(s) { i = index(short: w) } else { i = HashKey.withBytes(s) { index(long: $0) } }
        return i >= 0 ? i : nil
    }

    /// The entry of the str key with these UTF-8 bytes.
    @inline(__always) func find(utf8 b: UnsafeBufferPointer<UInt8>) -> Int? {
        let i = ShortStr(utf8: b).map { index(short: $0) } ?? index(long: b)
        return i >= 0 ? i : nil
    }

    /// The entry of the str key of at most 15 bytes with these words, or −1: a probe compares
    /// the hash, the count and the two words, all in the entry's `Meta`.
    @inline(__always) private func index(short w: ShortStr) -> Int {
        let h = w.hash
        let mp = meta.base
        var i = h & mask
        while true {
            let e = table[i]
            if e == 0 { return -1 }
            let m = mp[e &- 1]
            if m.hash == h && m.count == w.count && m.a == w.w0 && m.b == w.w1 { return e &- 1 }
            i = (i &+ 1) & mask
        }
    }

    /// The entry of the str key (of more than 15 bytes) with these UTF-8 bytes, or −1.
    @inline(__always) private func index(long b: UnsafeBufferPointer<UInt8>) -> Int {
        let h = HashKey.strHash(utf8: b)
        let n = b.count
        let mp = meta.base
        return pool.withUnsafeBufferPointer { pp -> Int in
            var i = h & mask
            while true {
                let e = table[i]
                if e == 0 { return -1 }
                let m = mp[e &- 1]
                if m.hash == h && m.count == n, let p = pp.baseAddress, let q = b.baseAddress,
                   DictBox.same(p + Int(m.a), q, n) { return e &- 1 }
                i = (i &+ 1) & mask
            }
        }
    }

    /// Whether `n` bytes at `p` and `q` are equal (8 at a time: keys are short, and a call
    /// of memcmp costs more than comparing them).
    @inline(__always) static func same(_ p: UnsafePointer<UInt8>, _ q: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let x = UnsafeRawPointer(p), y = UnsafeRawPointer(q)
        var i = 0
        while i + 8 <= n {
            if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < n {
            if p[i] != q[i] { return false }
            i += 1
        }
        return true
    }

    /// The entry of `key`, or nil.
    @inline(__always) func entry(_ key: HashKey) -> Int? {
        if case .str(let s) = key { return find(str: s) }
        return find(key, DictBox.hash(key))
    }

    public func get(_ key: HashKey) -> Value? { entry(key).map { values[$0] } }

    public func set(_ key: HashKey, _ k: Value, _ v: Value) {
        if let i = entry(key) { values[i] = v; return }
        append(key, DictBox.hash(key), k, v)
    }

    /// Adds an entry known to be absent.
    func append(_ key: HashKey, _ h: Int, _ k: Value, _ v: Value) {
        if (keys.count + 1) * 3 > (mask + 1) * 2 { rebuild(capacity: (mask + 1) * 2) }
        keys.append(k); values.append(v); hashKeys.append(key)
        addMeta(key, h)
        place(keys.count - 1)
    }

    /// Records a new entry's hash, and a str key's words (at most 15 bytes) or bytes in `pool`.
    private func addMeta(_ key: HashKey, _ h: Int) {
        if case .str(let s) = key {
            if let w = ShortStr(s) {
                meta.append(Meta(hash: h, count: w.count, a: w.w0, b: w.w1))
            } else {
                let start = pool.count
                pool.append(contentsOf: s.utf8)
                meta.append(Meta(hash: h, count: pool.count - start, a: UInt64(start), b: 0))
            }
        } else {
            meta.append(Meta(hash: h, count: -1, a: 0, b: 0))
        }
    }

    /// Records entry `j` in the table (which has room for it).
    @inline(__always) private func place(_ j: Int) {
        var i = meta[j].hash & mask
        while table[i] != 0 { i = (i &+ 1) & mask }
        table[i] = j &+ 1
    }

    /// A fresh table of `capacity` slots (a power of two) indexing every entry.
    private func rebuild(capacity: Int) {
        table.deallocate()
        table = .allocate(capacity: capacity)
        table.initialize(repeating: 0, count: capacity)
        mask = capacity - 1
        for j in 0..<keys.count { place(j) }
    }

    /// Replaces the value of the entry at `i` (an index from `find`/`entry`).
    @inline(__always) func setValue(at i: Int, _ v: Value) { values[i] = v }
    @inline(__always) func value(at i: Int) -> Value { values[i] }

    /// Adds `step` to the int value of entry `i`, written over it in place (an int owns
    /// nothing to destroy); false, with nothing changed, when the value is not an int or the
    /// sum overflows.
    @inline(__always) func addInt(at i: Int, _ step: Int) -> Bool {
        values.withUnsafeMutableBufferPointer { buf in
            guard let p = buf.baseAddress.map({ $0 + i }), case .int(let v) = p.pointee else { return false }
            let (s, o) = v.addingReportingOverflow(step)
            if o { return false }
            p.initialize(to: .int(s))
            return true
        }
    }

    /// Removes `key`'s entry: O(count), as before (the entries after it move down one).
    @discardableResult
    public func remove(_ key: HashKey) -> Value? {
        guard let i = entry(key) else { return nil }
        let v = values[i]
        // Out of the table: the slot holding i + 1 is emptied by moving later entries of its
        // probe run back into it (linear probing's deletion, no tombstones).
        var hole = meta[i].hash & mask
        while table[hole] != i &+ 1 { hole = (hole &+ 1) & mask }
        var k = (hole &+ 1) & mask
        while table[k] != 0 {
            let home = meta[table[k] &- 1].hash & mask
            // The entry at k may move to the hole when its home is not in (hole, k] (cyclically).
            let stays = hole <= k ? (home > hole && home <= k) : (home > hole || home <= k)
            if !stays { table[hole] = table[k]; hole = k }
            k = (k &+ 1) & mask
        }
        table[hole] = 0
        for t in 0...mask where table[t] > i &+ 1 { table[t] &-= 1 }
        if meta[i].count > ShortStr.maxCount {
            let start = Int(meta[i].a), n = meta[i].count
            pool.removeSubrange(start..<(start + n))
            for j in (i + 1)..<meta.count where meta[j].count > ShortStr.maxCount { meta[j].a -= UInt64(n) }
        }
        keys.remove(at: i); values.remove(at: i); hashKeys.remove(at: i); meta.remove(at: i)
        return v
    }

    public func removeAll() {
        keys = []; values = []; hashKeys = []; meta.removeAll(); pool = []
        rebuild(capacity: 8)
    }

    public var items: [(Value, Value)] { Array(zip(keys, values)) }

    /// The entries' `Meta`s: a growing buffer of plain values.
    private struct MetaBuffer {
        private(set) var base: UnsafeMutablePointer<Meta>
        private(set) var count = 0
        private var capacity = 8

        init() { base = .allocate(capacity: 8) }

        func deallocate() { base.deallocate() }

        @inline(__always) subscript(i: Int) -> Meta {
            get { base[i] }
            nonmutating set { base[i] = newValue }
        }

        mutating func append(_ m: Meta) {
            if count == capacity {
                let grown = UnsafeMutablePointer<Meta>.allocate(capacity: capacity * 2)
                grown.moveInitialize(from: base, count: count)
                base.deallocate()
                base = grown
                capacity *= 2
            }
            (base + count).initialize(to: m)
            count += 1
        }

        mutating func remove(at i: Int) {
            // Plain values: the later ones moved down a place as bytes (memmove: overlapping).
            UnsafeMutableRawPointer(base + i).copyMemory(from: base + i + 1,
                                                         byteCount: (count - i - 1) * MemoryLayout<Meta>.stride)
            count -= 1
        }

        mutating func removeAll() { count = 0 }
    }
}
