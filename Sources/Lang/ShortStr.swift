/// A str of at most 15 UTF-8 bytes as two words: its bytes in little-endian order, zero
/// above them, and its byte count. Dict keys this short (nearly all of them: names, words,
/// column labels) are hashed, stored and compared as these words, with no loop over bytes
/// and no load from a byte pool; `len` of a short ASCII str is its byte count.
///
/// The standard library keeps such a str in place (its "small" form: the bytes in the two
/// words of the `String`, the count and an ASCII flag in the top byte), so `ShortStr(s)`
/// reads them without copying the str or touching storage. A str in any other form (a longer
/// one, or a short one that was not made small) is read through its UTF-8 view, which gives
/// the same words: the two paths agree byte for byte (`ShortStrTests` checks that the
/// layout read here is the one the standard library writes, for every length and form).
struct ShortStr: Equatable {
    var w0: UInt64
    var w1: UInt64
    var count: Int
    /// Every byte below 0x80 (then `count` is the number of code points).
    var isASCII: Bool

    static let maxCount = 15

    /// The str's words when it is at most 15 UTF-8 bytes; nil for a longer one.
    @inline(__always) init?(_ s: String) {
        let (a, b) = unsafeBitCast(s, to: (UInt64, UInt64).self)
        let d = b >> 56
        // Small form: immortal (b63), small (b61), not foreign (b60); b62 is the ASCII flag,
        // b56–b59 the count. The bytes past the count are zero in this form; masked anyway.
        if d & 0xB0 == 0xA0 {
            let n = Int(d & 0x0F)
            self.init(n < 8 ? a & ShortStr.low(n) : a, n < 8 ? 0 : b & ShortStr.low(n - 8), n, d & 0x40 != 0)
            return
        }
        guard let r = HashKey.withBytes(s, { ShortStr(utf8: $0) }) else { return nil }
        self = r
    }

    /// The words of these UTF-8 bytes when there are at most 15; nil otherwise.
    @inline(__always) init?(utf8 b: UnsafeBufferPointer<UInt8>) {
        let n = b.count
        guard n <= ShortStr.maxCount else { return nil }
        guard let p = b.baseAddress, n > 0 else { self.init(0, 0, 0, true); return }
        let raw = UnsafeRawPointer(p)
        let a = HashKey.word(raw, Swift.min(n, 8))
        let c = n > 8 ? HashKey.word(raw + 8, n - 8) : 0
        self.init(a, c, n, (a | c) & 0x8080_8080_8080_8080 == 0)
    }

    @inline(__always) init(_ w0: UInt64, _ w1: UInt64, _ count: Int, _ isASCII: Bool) {
        self.w0 = w0; self.w1 = w1; self.count = count; self.isASCII = isASCII
    }

    /// The low `k` bytes of a word set (k in 0...7).
    @inline(__always) static func low(_ k: Int) -> UInt64 { (1 &<< UInt64(8 &* k)) &- 1 }

    /// `HashKey.strHash` of these bytes: `bytesHash` with seed 0 over the same bytes (one
    /// full 8-byte step when there are at least 8, then the zero-padded tail), then `mix`.
    @inline(__always) var hash: Int {
        var h = UInt64(count) &* 0x9e3779b97f4a7c15
        let tail: UInt64
        if count >= 8 {
            h = (h ^ w0) &* 0x100000001b3
            h ^= h >> 29
            tail = w1
        } else {
            tail = w0
        }
        return Int(truncatingIfNeeded: HashKey.mix((h ^ tail) &* 0x100000001b3))
    }

    /// The number of code points: the count for ASCII, else the bytes that start one.
    @inline(__always) var codePoints: Int {
        if isASCII { return count }
        // A continuation byte is 10xxxxxx: bit 7 set and bit 6 clear.
        let c0 = w0 & ~(w0 << 1) & 0x8080_8080_8080_8080
        let c1 = w1 & ~(w1 << 1) & 0x8080_8080_8080_8080
        return count - c0.nonzeroBitCount - c1.nonzeroBitCount
    }
}
