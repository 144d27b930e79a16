#if canImport(Glibc)
import Glibc
#endif

/// NumPy's legacy generator (`np.random.seed`, `np.random.rand`, ...,
/// `np.random.RandomState`): MT19937 seeded by `init_genrand` for an int seed
/// (by `init_by_array` for an array), 53-bit doubles from two words, the polar
/// Gaussian with its cached second value, masked rejection for bounded ints and
/// `random_interval` for shuffles. Values are NumPy's bit for bit.
public final class NumPyRandomState: @unchecked Sendable {
    /// The module-level instance behind `np.random.*` (NumPy seeds it from the OS).
    nonisolated(unsafe) public static var global = NumPyRandomState(entropy: ())

    public var mt: MT19937
    public var hasGauss = false
    public var gauss = 0.0

    /// `RandomState(seed)` / `np.random.seed(seed)` with an int in [0, 2**32).
    public init(seed: UInt32) { mt = MT19937(seed: seed) }

    /// `RandomState([k0, k1, ...])`: seeding by an array of 32-bit words.
    public init(key: [UInt32]) { mt = MT19937(key: key) }

    /// `RandomState()`: seeded from the operating system.
    public init(entropy: Void) {
        var sys = SystemRandomNumberGenerator()
        mt = MT19937(key: (0..<MT19937.n).map { _ in UInt32(truncatingIfNeeded: sys.next()) })
    }

    /// Checks a Python int seed as NumPy does.
    public static func checkedSeed(_ s: Int) throws -> UInt32 {
        guard s >= 0 && s <= Int(UInt32.max) else { throw TensorError.value("Seed must be between 0 and 2**32 - 1") }
        return UInt32(s)
    }

    /// `seed(s)`: reseeds in place and forgets the cached Gaussian.
    public func seed(_ s: UInt32) { mt = MT19937(seed: s); hasGauss = false; gauss = 0 }
    public func seed(key: [UInt32]) { mt = MT19937(key: key); hasGauss = false; gauss = 0 }

    // MARK: draws

    @inline(__always) public func nextUInt32() -> UInt32 { mt.next() }
    @inline(__always) public func nextUInt64() -> UInt64 { UInt64(mt.next()) << 32 | UInt64(mt.next()) }
    /// `random_sample()`: 53-bit double on [0, 1).
    @inline(__always) public func nextDouble() -> Double { mt.nextDouble53() }

    /// `legacy_gauss`: the polar method; the second value is kept for the next call.
    public func standardNormal() -> Double {
        if hasGauss { hasGauss = false; let g = gauss; gauss = 0; return g }
        var x1 = 0.0, x2 = 0.0, r2 = 0.0
        repeat {
            x1 = 2.0 * nextDouble() - 1.0
            x2 = 2.0 * nextDouble() - 1.0
            r2 = x1 * x1 + x2 * x2
        } while r2 >= 1.0 || r2 == 0.0
        let f = (-2.0 * log(r2) / r2).squareRoot()
        gauss = f * x1
        hasGauss = true
        return f * x2
    }

    /// `random_interval(max)`: uniform on [0, max] by masked rejection.
    public func interval(_ max: UInt64) -> UInt64 {
        if max == 0 { return 0 }
        let mask = NumPyBounded.mask(max)
        if max <= 0xFFFF_FFFF {
            while true { let v = UInt64(nextUInt32()) & mask; if v <= max { return v } }
        }
        while true { let v = nextUInt64() & mask; if v <= max { return v } }
    }

    // MARK: np.random functions (size n, flat)

    /// `rand(n)` / `random_sample(n)`.
    public func random(_ n: Int) -> [Double] { (0..<n).map { _ in nextDouble() } }
    /// `randn(n)` / `standard_normal(n)`.
    public func randn(_ n: Int) -> [Double] { (0..<n).map { _ in standardNormal() } }

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

    /// `randint(low, high, n)` for int64: masked rejection on [low, high).
    public func randint(low: Int64, high: Int64, _ n: Int) throws -> [Int64] {
        guard low < high else { throw TensorError.value("high <= low") }
        let rng = UInt64(bitPattern: high &- 1 &- low)
        return NumPyBounded.fill(rng: rng, off: low, n, masked: true,
                                 next32: { self.nextUInt32() }, next64: { self.nextUInt64() })
    }

    /// `shuffle(x)`: Fisher–Yates from the back with `random_interval`.
    public func shuffle<T>(_ a: inout [T]) {
        var i = a.count - 1
        while i >= 1 {
            let j = Int(interval(UInt64(i)))
            a.swapAt(i, j)
            i -= 1
        }
    }

    /// `permutation(n)`: a shuffled `arange(n)`.
    public func permutation(_ n: Int) -> [Int64] {
        var a = (0..<n).map { Int64($0) }
        shuffle(&a)
        return a
    }

    /// `choice(n, size, replace=True, p=None)` with `a` an int (or a population's length).
    public func choice(_ n: Int, size: Int, replace: Bool = true, p: [Double]? = nil) throws -> [Int64] {
        guard n > 0 || size == 0 else { throw TensorError.value("a cannot be empty unless no samples are taken") }
        if let p {
            guard p.count == n else { throw TensorError.value("a and p must have same size") }
            guard p.allSatisfy({ $0 >= 0 }) else { throw TensorError.value("probabilities are not non-negative") }
            let total = p.reduce(0, +)
            guard Swift.abs(total - 1) <= 1e-8 * 10 else { throw TensorError.value("probabilities do not sum to 1") }
        }
        if replace {
            guard let p else { return try randint(low: 0, high: Int64(n), size) }
            let cdf = NumPyBounded.normalisedCumsum(p)
            return (0..<size).map { _ in Int64(NumPyBounded.searchRight(cdf, nextDouble())) }
        }
        guard size <= n else { throw TensorError.value("Cannot take a larger sample than population when 'replace=False'") }
        guard var p else { return Array(permutation(n).prefix(size)) }
        guard p.filter({ $0 > 0 }).count >= size else { throw TensorError.value("Fewer non-zero entries in p than size") }
        var found: [Int64] = []
        while found.count < size {
            let x = random(size - found.count)
            for f in found { p[Int(f)] = 0 }
            let cdf = NumPyBounded.normalisedCumsum(p)
            var seen = Set<Int>(), fresh: [Int64] = []
            for u in x {
                let k = NumPyBounded.searchRight(cdf, u)
                if seen.insert(k).inserted { fresh.append(Int64(k)) }
            }
            found += fresh
        }
        return found
    }

    /// `get_state()`: ('MT19937', key, pos, has_gauss, cached_gaussian).
    public var state: (key: [UInt32], pos: Int, hasGauss: Bool, gauss: Double) {
        (mt.state, mt.index, hasGauss, gauss)
    }

    /// `set_state(...)`.
    public func setState(key: [UInt32], pos: Int, hasGauss: Bool = false, gauss: Double = 0) throws {
        guard key.count == MT19937.n else { throw TensorError.value("state must be 624 elements") }
        guard pos >= 0 && pos <= MT19937.n else { throw TensorError.value("pos must be in [0, 624]") }
        mt.state = key; mt.index = pos
        self.hasGauss = hasGauss; self.gauss = gauss
    }
}

/// Bounded integers as NumPy's `random_bounded_uint64_fill` draws them.
enum NumPyBounded {
    /// The smallest all-ones mask ≥ max.
    static func mask(_ max: UInt64) -> UInt64 {
        var m = max
        m |= m >> 1; m |= m >> 2; m |= m >> 4; m |= m >> 8; m |= m >> 16; m |= m >> 32
        return m
    }

    /// n values in [off, off + rng], masked (legacy) or Lemire's (Generator).
    static func fill(rng: UInt64, off: Int64, _ n: Int, masked: Bool,
                     next32: () -> UInt32, next64: () -> UInt64) -> [Int64] {
        var out = [Int64](repeating: off, count: n)
        if rng == 0 { return out }
        let base = UInt64(bitPattern: off)
        for i in 0..<n {
            let v: UInt64
            if rng <= 0xFFFF_FFFF {
                if rng == 0xFFFF_FFFF { v = UInt64(next32()) }
                else if masked {
                    let m = UInt32(mask(rng))
                    var x: UInt32
                    repeat { x = next32() & m } while UInt64(x) > rng
                    v = UInt64(x)
                } else { v = UInt64(lemire32(UInt32(rng), next32)) }
            } else if rng == UInt64.max {
                v = next64()
            } else if masked {
                let m = mask(rng)
                var x: UInt64
                repeat { x = next64() & m } while x > rng
                v = x
            } else { v = lemire64(rng, next64) }
            out[i] = Int64(bitPattern: base &+ v)
        }
        return out
    }

    /// `buffered_bounded_lemire_uint32`: [0, rng].
    static func lemire32(_ rng: UInt32, _ next: () -> UInt32) -> UInt32 {
        let excl = rng &+ 1
        var m = UInt64(next()) &* UInt64(excl)
        var leftover = UInt32(truncatingIfNeeded: m)
        if leftover < excl {
            let threshold = (UInt32.max &- rng) % excl
            while leftover < threshold {
                m = UInt64(next()) &* UInt64(excl)
                leftover = UInt32(truncatingIfNeeded: m)
            }
        }
        return UInt32(m >> 32)
    }

    /// `bounded_lemire_uint64`: [0, rng].
    static func lemire64(_ rng: UInt64, _ next: () -> UInt64) -> UInt64 {
        let excl = rng &+ 1
        var (hi, lo) = next().multipliedFullWidth(by: excl)
        if lo < excl {
            let threshold = (UInt64.max &- rng) % excl
            while lo < threshold { (hi, lo) = next().multipliedFullWidth(by: excl) }
        }
        return hi
    }

    /// `cdf = p.cumsum(); cdf /= cdf[-1]`.
    static func normalisedCumsum(_ p: [Double]) -> [Double] {
        var cdf = [Double](repeating: 0, count: p.count)
        var s = 0.0
        for (i, v) in p.enumerated() { s += v; cdf[i] = s }
        if let last = cdf.last { for i in cdf.indices { cdf[i] /= last } }
        return cdf
    }

    /// `cdf.searchsorted(u, side='right')`.
    static func searchRight(_ cdf: [Double], _ u: Double) -> Int {
        var lo = 0, hi = cdf.count
        while lo < hi { let mid = (lo + hi) / 2; if cdf[mid] <= u { lo = mid + 1 } else { hi = mid } }
        return lo
    }
}
