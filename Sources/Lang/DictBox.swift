/// `dict`: insertion-ordered, shared, mutable.
///
/// The entries live in parallel arrays in insertion order (`keys`, `values`, their
/// `HashKey`s, and `meta`: each one's hash and where its str bytes are); `table` is an open-addressing index into them (linear probing,
/// a power-of-two size at most two-thirds full, 0 = empty, i + 1 = entry i). Each key's
/// hash is computed once, when it is stored: growing rehashes from `meta`, and a probe
/// compares hashes before keys, so a look-up compares key contents only for the entry it
/// finds. (A Swift `Dictionary<HashKey, Int>` hashed and compared whole `HashKey`s through
/// its generic machinery on every probe.) A str key's UTF-8 bytes are also kept in `pool`:
/// a str is looked up by hashing its bytes and comparing them with the pool's, with no
/// `HashKey` made and no reference counted (equal strs are the only keys a str equals:
/// Python's `'1' != 1`, and strs are equal when their code points are).
public final class DictBox {
    public private(set) var keys: [Value] = []
    public private(set) var values: [Value] = []
    private var hashKeys: [HashKey] = []
    /// What a probe reads of an entry, side by side (one cache line, not three arrays).
    private struct Meta {
        var hash: Int
        /// Where a str key's bytes start in `pool`, and how many there are (−1 for other keys).
        var start: Int
        var count: Int
    }
    private var meta: [Meta] = []
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
        let i = HashKey.withBytes(s) { index(utf8: $0) }
        return i >= 0 ? i : nil
    }

    /// The entry of the str key with these UTF-8 bytes.
    @inline(__always) func find(utf8 b: UnsafeBufferPointer<UInt8>) -> Int? {
        let i = index(utf8: b)
        return i >= 0 ? i : nil
    }

    /// The entry of the str key with these UTF-8 bytes, or −1.
    @inline(__always) private func index(utf8 b: UnsafeBufferPointer<UInt8>) -> Int {
        let h = HashKey.strHash(utf8: b)
        let n = b.count
        return meta.withUnsafeBufferPointer { mp -> Int in
            pool.withUnsafeBufferPointer { pp -> Int in
                var i = h & mask
                while true {
                    let e = table[i]
                    if e == 0 { return -1 }
                    let m = mp[e &- 1]
                    if m.hash == h && m.count == n {
                        if n == 0 { return e &- 1 }
                        if let p = pp.baseAddress, let q = b.baseAddress, DictBox.same(p + m.start, q, n) { return e &- 1 }
                    }
                    i = (i &+ 1) & mask
                }
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

    /// Records a new entry's hash, and its key's bytes in `pool` if it is a str.
    private func addMeta(_ key: HashKey, _ h: Int) {
        if case .str(let s) = key {
            let start = pool.count
            pool.append(contentsOf: s.utf8)
            meta.append(Meta(hash: h, start: start, count: pool.count - start))
        } else {
            meta.append(Meta(hash: h, start: 0, count: -1))
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
        if meta[i].count > 0 {
            let start = meta[i].start, n = meta[i].count
            pool.removeSubrange(start..<(start + n))
            for j in (i + 1)..<meta.count where meta[j].count >= 0 { meta[j].start -= n }
        }
        keys.remove(at: i); values.remove(at: i); hashKeys.remove(at: i); meta.remove(at: i)
        return v
    }

    public func removeAll() {
        keys = []; values = []; hashKeys = []; meta = []; pool = []
        rebuild(capacity: 8)
    }

    public var items: [(Value, Value)] { Array(zip(keys, values)) }
}
