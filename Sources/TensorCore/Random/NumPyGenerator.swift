#if canImport(Glibc)
import Glibc
#endif

/// NumPy's `SeedSequence` (the entropy pool that turns a seed into state words).
public enum SeedSequence {
    static let initA: UInt32 = 0x43B0_D7E5, multA: UInt32 = 0x931E_8875
    static let initB: UInt32 = 0x8B51_F9DD, multB: UInt32 = 0x58F3_8DED
    static let mixL: UInt32 = 0xCA01_F9DD, mixR: UInt32 = 0x4973_F715
    static let poolSize = 4

    /// A non-negative int as little-endian 32-bit words (`[0]` for 0).
    public static func words(_ seed: UInt64) -> [UInt32] {
        if seed == 0 { return [0] }
        var out: [UInt32] = [], s = seed
        while s > 0 { out.append(UInt32(truncatingIfNeeded: s)); s >>= 32 }
        return out
    }

    /// The mixed pool for `entropy` (no spawn key).
    public static func pool(_ entropy: [UInt32]) -> [UInt32] {
        var hashConst = initA
        func hashmix(_ v: UInt32) -> UInt32 {
            var value = v ^ hashConst
            hashConst = hashConst &* multA
            value = value &* hashConst
            return value ^ (value >> 16)
        }
        func mix(_ x: UInt32, _ y: UInt32) -> UInt32 {
            let r = mixL &* x &- mixR &* y
            return r ^ (r >> 16)
        }
        var m = [UInt32](repeating: 0, count: poolSize)
        for i in 0..<poolSize { m[i] = hashmix(i < entropy.count ? entropy[i] : 0) }
        for src in 0..<poolSize {
            for dst in 0..<poolSize where src != dst { m[dst] = mix(m[dst], hashmix(m[src])) }
        }
        if entropy.count > poolSize {
            for src in poolSize..<entropy.count {
                for dst in 0..<poolSize { m[dst] = mix(m[dst], hashmix(entropy[src])) }
            }
        }
        return m
    }

    /// `generate_state(n_words)` as 32-bit words.
    public static func generateState(_ entropy: [UInt32], words n: Int) -> [UInt32] {
        let p = pool(entropy)
        var hashConst = initB
        return (0..<n).map { i in
            var v = p[i % poolSize] ^ hashConst
            hashConst = hashConst &* multB
            v = v &* hashConst
            return v ^ (v >> 16)
        }
    }

    /// `generate_state(n, np.uint64)`: pairs of words, low word first.
    public static func generateState64(_ entropy: [UInt32], words n: Int) -> [UInt64] {
        let w = generateState(entropy, words: 2 * n)
        return (0..<n).map { UInt64(w[2 * $0]) | UInt64(w[2 * $0 + 1]) << 32 }
    }
}

/// `np.random.default_rng(seed)`: a `Generator` on PCG64 (XSL-RR 128/64) seeded
/// through `SeedSequence`. `random`, `integers` (Lemire's method), `permutation`,
/// `shuffle` and `standard_normal` (the 256-step ziggurat) give NumPy's values.
public final class NumPyGenerator: @unchecked Sendable {
    static let multiplier = UInt128(2_549_297_995_355_413_924) << 64 | UInt128(4_865_540_595_714_422_341)

    public var state: UInt128
    public var increment: UInt128
    var hasUInt32 = false
    var uinteger: UInt32 = 0

    /// `default_rng(seed)` for a non-negative int seed.
    public convenience init(seed: UInt64) { self.init(entropy: SeedSequence.words(seed)) }

    /// `default_rng()` seeded from the operating system.
    public convenience init() {
        var sys = SystemRandomNumberGenerator()
        self.init(entropy: (0..<4).map { _ in UInt32(truncatingIfNeeded: sys.next()) })
    }

    public init(entropy: [UInt32]) {
        let v = SeedSequence.generateState64(entropy, words: 4)
        let seed = UInt128(v[0]) << 64 | UInt128(v[1])
        let inc = UInt128(v[2]) << 64 | UInt128(v[3])
        state = 0
        increment = inc << 1 | 1
        step()
        state = state &+ seed
        step()
    }

    /// Checks a Python int seed as SeedSequence does.
    public static func checkedSeed(_ s: Int) throws -> UInt64 {
        guard s >= 0 else { throw TensorError.value("expected non-negative integer") }
        return UInt64(s)
    }

    @inline(__always) func step() { state = state &* NumPyGenerator.multiplier &+ increment }

    /// `next_uint64`.
    @inline(__always) public func nextUInt64() -> UInt64 {
        step()
        let hi = UInt64(truncatingIfNeeded: state >> 64), lo = UInt64(truncatingIfNeeded: state)
        let rot = UInt64(truncatingIfNeeded: state >> 122)
        let x = hi ^ lo
        return (x >> rot) | (x << ((64 &- rot) & 63))
    }

    /// `next_uint32`: half of a 64-bit draw, the other half kept for the next call.
    @inline(__always) public func nextUInt32() -> UInt32 {
        if hasUInt32 { hasUInt32 = false; return uinteger }
        let n = nextUInt64()
        hasUInt32 = true
        uinteger = UInt32(truncatingIfNeeded: n >> 32)
        return UInt32(truncatingIfNeeded: n)
    }

    /// `next_double`: 53 bits on [0, 1).
    @inline(__always) public func nextDouble() -> Double {
        Double(nextUInt64() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `random(n)`.
    public func random(_ n: Int) -> [Double] { (0..<n).map { _ in nextDouble() } }

    /// `integers(low, high, n)` (int64, high exclusive unless `endpoint`).
    public func integers(low: Int64, high: Int64, _ n: Int, endpoint: Bool = false) throws -> [Int64] {
        let top = endpoint ? high : high &- 1
        guard endpoint ? low <= high : low < high else { throw TensorError.value(endpoint ? "low > high" : "high <= low") }
        return NumPyBounded.fill(rng: UInt64(bitPattern: top &- low), off: low, n, masked: false,
                                 next32: { self.nextUInt32() }, next64: { self.nextUInt64() })
    }

    /// `random_interval(max)`.
    public func interval(_ max: UInt64) -> UInt64 {
        if max == 0 { return 0 }
        let mask = NumPyBounded.mask(max)
        if max <= 0xFFFF_FFFF {
            while true { let v = UInt64(nextUInt32()) & mask; if v <= max { return v } }
        }
        while true { let v = nextUInt64() & mask; if v <= max { return v } }
    }

    /// `shuffle(x)`: Fisher–Yates from the back.
    public func shuffle<T>(_ a: inout [T]) {
        var i = a.count - 1
        while i >= 1 { a.swapAt(i, Int(interval(UInt64(i)))); i -= 1 }
    }

    /// `permutation(n)`.
    public func permutation(_ n: Int) -> [Int64] {
        var a = (0..<n).map { Int64($0) }
        shuffle(&a)
        return a
    }

    static let zigR = 3.6541528853610087963519472518
    static let zigInvR = 0.27366123732975827203338247596

    /// `standard_normal()`: NumPy's 256-step ziggurat on 64-bit draws.
    public func standardNormal() -> Double {
        while true {
            var r = nextUInt64()
            let idx = Int(r & 0xFF)
            r >>= 8
            let sign = r & 1
            let rabs = (r >> 1) & 0x000F_FFFF_FFFF_FFFF
            var x = Double(rabs) * ZigguratTables.wi[idx]
            if sign & 1 != 0 { x = -x }
            if rabs < ZigguratTables.ki[idx] { return x }
            if idx == 0 {
                while true {
                    let xx = -NumPyGenerator.zigInvR * log1p(-nextDouble())
                    let yy = -log1p(-nextDouble())
                    if yy + yy > xx * xx {
                        return (rabs >> 8) & 1 != 0 ? -(NumPyGenerator.zigR + xx) : NumPyGenerator.zigR + xx
                    }
                }
            } else {
                let f0 = ZigguratTables.fi[idx - 1], f1 = ZigguratTables.fi[idx]
                if (f0 - f1) * nextDouble() + f1 < exp(-0.5 * x * x) { return x }
            }
        }
    }

    /// `standard_normal(n)`.
    public func standardNormal(_ n: Int) -> [Double] { (0..<n).map { _ in standardNormal() } }

    /// `normal(loc, scale, n)`.
    public func normal(loc: Double = 0, scale: Double = 1, _ n: Int) throws -> [Double] {
        guard scale >= 0 else { throw TensorError.value("scale < 0") }
        return (0..<n).map { _ in loc + scale * standardNormal() }
    }

    /// `uniform(low, high, n)`.
    public func uniform(low: Double = 0, high: Double = 1, _ n: Int) throws -> [Double] {
        let range = high - low
        guard range.isFinite else { throw TensorError.overflow("Range exceeds valid bounds") }
        return (0..<n).map { _ in low + range * nextDouble() }
    }
}
