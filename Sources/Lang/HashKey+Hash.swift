/// Hashing and equality of dictionary keys, for speed on the common keys.
///
/// `Dictionary` asks a key for `_rawHashValue(seed:)`; the synthesized one runs a full
/// `Hasher` (SipHash: set-up, one combine, finalization) per look-up, and a `String`
/// feeds it through its Unicode-aware hashing. Here an int is mixed with the seed in a
/// few multiplications, and a string's UTF-8 bytes are hashed 8 at a time; other keys
/// keep the `Hasher`. Equal keys hash equally: equality of strings is by code points
/// (their UTF-8 bytes), as Python compares `str` (`'\u00e9' != 'e\u0301'`).
extension HashKey {
    public static func == (a: HashKey, b: HashKey) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.str(let x), .str(let y)): return sameCodePoints(x, y)
        case (.tuple(let x), .tuple(let y)): return x == y
        case (.identity(let x), .identity(let y)): return x == y
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .none: hasher.combine(0 as UInt8)
        case .int(let i): hasher.combine(1 as UInt8); hasher.combine(i)
        case .float(let d): hasher.combine(2 as UInt8); hasher.combine(d)
        case .str(let s): hasher.combine(3 as UInt8); hasher.combine(HashKey.bytesHash(s, seed: 0))
        case .tuple(let items): hasher.combine(4 as UInt8); hasher.combine(items)
        case .identity(let o): hasher.combine(5 as UInt8); hasher.combine(o)
        }
    }

    public func _rawHashValue(seed: Int) -> Int {
        switch self {
        case .int(let i): return Int(truncatingIfNeeded: HashKey.mix(UInt64(bitPattern: Int64(i)) &+ UInt64(bitPattern: Int64(seed))))
        case .str(let s): return Int(truncatingIfNeeded: HashKey.mix(HashKey.bytesHash(s, seed: seed)))
        default:
            var h = Hasher()
            h.combine(seed)
            hash(into: &h)
            return h.finalize()
        }
    }

    /// A str key's hash in a `DictBox` (its `_rawHashValue(seed: 0)`), from the str alone.
    @inline(__always) static func strHash(_ s: String) -> Int {
        Int(truncatingIfNeeded: HashKey.mix(HashKey.bytesHash(s, seed: 0)))
    }

    /// `strHash` of the str whose UTF-8 bytes these are.
    @inline(__always) static func strHash(utf8 buf: UnsafeBufferPointer<UInt8>) -> Int {
        Int(truncatingIfNeeded: HashKey.mix(HashKey.bytesHash(buf, seed: 0)))
    }

    /// MurmurHash3's 64-bit finalizer: every input bit reaches every output bit.
    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var k = x
        k ^= k >> 33
        k &*= 0xff51afd7ed558ccd
        k ^= k >> 33
        k &*= 0xc4ceb9fe1a85ec53
        k ^= k >> 33
        return k
    }

    /// The UTF-8 bytes folded 8 at a time, with the length and the seed.
    static func bytesHash(_ s: String, seed: Int) -> UInt64 {
        withBytes(s) { bytesHash($0, seed: seed) }
    }

    /// `body` of the str's UTF-8 bytes, read in place (native and small strs always are;
    /// `withUTF8` needs a mutable copy of the str, which costs a retain and a release).
    @inline(__always) static func withBytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
        var c = s
        return c.withUTF8(body)
    }

    @inline(__always) static func bytesHash(_ buf: UnsafeBufferPointer<UInt8>, seed: Int) -> UInt64 {
        var h = UInt64(bitPattern: Int64(seed)) ^ (UInt64(buf.count) &* 0x9e3779b97f4a7c15)
        guard let base = buf.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= buf.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x100000001b3
            h ^= h >> 29
            i += 8
        }
        let tail = word(raw + i, buf.count - i)
        return (h ^ tail) &* 0x100000001b3
    }

    /// The `n` (0–8) bytes at `raw` as one little-endian word, zero above them: at most
    /// three loads (4, 2, 1 bytes), not a loop over each byte.
    @inline(__always) static func word(_ raw: UnsafeRawPointer, _ n: Int) -> UInt64 {
        if n >= 8 { return raw.loadUnaligned(as: UInt64.self) }
        var w: UInt64 = 0, i = 0
        if n & 4 != 0 { w = UInt64(raw.loadUnaligned(as: UInt32.self)); i = 4 }
        if n & 2 != 0 { w |= UInt64(raw.loadUnaligned(fromByteOffset: i, as: UInt16.self)) << UInt64(8 * i); i += 2 }
        if n & 1 != 0 { w |= UInt64(raw.load(fromByteOffset: i, as: UInt8.self)) << UInt64(8 * i) }
        return w
    }

    /// Python's `str` equality: the same code points, so the same UTF-8 bytes (compared
    /// 8 at a time: short keys are the common case, where a call to memcmp costs more).
    static func sameCodePoints(_ a: String, _ b: String) -> Bool {
        withBytes(a) { p in
            withBytes(b) { q -> Bool in
                let n = p.count
                guard n == q.count else { return false }
                guard let pa = p.baseAddress, let qa = q.baseAddress else { return true }
                if pa == qa { return true }
                return DictBox.same(pa, qa, n)
            }
        }
    }
}
