#if canImport(Glibc)
import Glibc
#endif

/// CPython's `random.Random`: MT19937 seeded by `init_by_array` with the seed's
/// absolute value as 32-bit words, `random()` from two words, `getrandbits`,
/// `_randbelow` by rejection on `getrandbits(n.bit_length())`, and random.py's
/// `randrange`, `shuffle`, `sample`, `choices`, `gauss` (with `gauss_next`) — so
/// seeded programs draw what Python draws.
public final class PythonRandom: @unchecked Sendable {
    /// The module-level instance behind `random.*` (seeded from the OS, as Python's is).
    nonisolated(unsafe) public static var global = PythonRandom()

    public var mt: MT19937
    public var gaussNext: Double?

    /// `Random()`: seeded from the operating system.
    public init() {
        var sys = SystemRandomNumberGenerator()
        mt = MT19937(key: (0..<MT19937.n).map { _ in UInt32(truncatingIfNeeded: sys.next()) })
    }

    /// `Random(seed)` for an int seed.
    public init(seed: Int) { mt = MT19937(key: PythonRandom.key(seed)) }

    /// `seed(a)` for an int: `init_by_array` on |a|'s 32-bit words, low first.
    public func seed(_ a: Int) { mt = MT19937(key: PythonRandom.key(a)); gaussNext = nil }

    /// `seed()` / `seed(None)`: from the operating system.
    public func seedFromSystem() {
        var sys = SystemRandomNumberGenerator()
        mt = MT19937(key: (0..<MT19937.n).map { _ in UInt32(truncatingIfNeeded: sys.next()) })
        gaussNext = nil
    }

    static func key(_ a: Int) -> [UInt32] {
        var m = a.magnitude
        if m == 0 { return [0] }
        var words: [UInt32] = []
        while m > 0 { words.append(UInt32(truncatingIfNeeded: m)); m >>= 32 }
        return words
    }

    /// `random()`: [0, 1) with 53 bits.
    @inline(__always) public func random() -> Double { mt.nextDouble53() }

    /// `getrandbits(k)` for 0 ≤ k ≤ 64: words low first, the last one cut to the bits left.
    public func getrandbits(_ k: Int) throws -> UInt64 {
        guard k >= 0 else { throw TensorError.value("number of bits must be non-negative") }
        guard k <= 64 else { throw TensorError.overflow("getrandbits() of more than 64 bits is not supported in Tensorpad") }
        if k == 0 { return 0 }
        if k <= 32 { return UInt64(mt.next() >> (32 - UInt32(k))) }
        let low = UInt64(mt.next())
        let high = UInt64(mt.next() >> (64 - UInt32(k)))
        return high << 32 | low
    }

    /// `_randbelow(n)` for n > 0.
    public func randbelow(_ n: UInt64) -> UInt64 {
        let k = 64 - n.leadingZeroBitCount
        while true {
            // k ≤ 64 always holds, so getrandbits cannot throw here.
            let r = (try? getrandbits(k)) ?? 0
            if r < n { return r }
        }
    }

    /// `randrange(start, stop=None, step=1)`, with Python's messages.
    public func randrange(_ start: Int, _ stop: Int? = nil, step: Int = 1) throws -> Int {
        guard let stop else {
            guard step == 1 else { throw TensorError.type("Missing a non-None stop argument") }
            if start > 0 { return Int(randbelow(UInt64(start))) }
            throw TensorError.value("empty range for randrange()")
        }
        let (width, o1) = stop.subtractingReportingOverflow(start)
        guard !o1 else { throw TensorError.overflow("Python int too large to convert to C long") }
        if step == 1 {
            if width > 0 { return start + Int(randbelow(UInt64(width))) }
            throw TensorError.value("empty range in randrange(\(start), \(stop))")
        }
        let n: Int
        if step > 0 { n = (width + step - 1).floorDiv(step) }
        else if step < 0 { n = (width + step + 1).floorDiv(step) }
        else { throw TensorError.value("zero step for randrange()") }
        guard n > 0 else { throw TensorError.value("empty range in randrange(\(start), \(stop), \(step))") }
        return start + step * Int(randbelow(UInt64(n)))
    }

    /// `randint(a, b)`: randrange(a, b + 1).
    public func randint(_ a: Int, _ b: Int) throws -> Int {
        guard b < Int.max else { throw TensorError.overflow("Python int too large to convert to C long") }
        return try randrange(a, b + 1)
    }

    /// `uniform(a, b)`.
    public func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * random() }

    /// `triangular(low, high, mode)`.
    public func triangular(_ low: Double = 0, _ high: Double = 1, mode: Double? = nil) -> Double {
        var u = random()
        if high == low { return low }
        var c = mode.map { ($0 - low) / (high - low) } ?? 0.5
        var lo = low, hi = high
        if u > c { u = 1 - u; c = 1 - c; swap(&lo, &hi) }
        return lo + (hi - lo) * (u * c).squareRoot()
    }

    /// `gauss(mu, sigma)`: Box–Muller, the sine half kept for the next call.
    public func gauss(_ mu: Double = 0, _ sigma: Double = 1) -> Double {
        var z = gaussNext
        gaussNext = nil
        if z == nil {
            let x2pi = random() * 2 * Double.pi
            let g2rad = (-2.0 * log(1.0 - random())).squareRoot()
            z = cos(x2pi) * g2rad
            gaussNext = sin(x2pi) * g2rad
        }
        return mu + z! * sigma
    }

    /// `normalvariate(mu, sigma)`: Kinderman and Monahan's ratio method.
    public func normalvariate(_ mu: Double = 0, _ sigma: Double = 1) -> Double {
        let magic = 4 * exp(-0.5) / 2.0.squareRoot()
        while true {
            let u1 = random()
            let u2 = 1.0 - random()
            let z = magic * (u1 - 0.5) / u2
            let zz = z * z / 4.0
            if zz <= -log(u2) { return mu + z * sigma }
        }
    }

    /// `expovariate(lambd)`.
    public func expovariate(_ lambd: Double = 1) throws -> Double {
        guard lambd != 0 else { throw TensorError.value("float division by zero") }
        return -log(1.0 - random()) / lambd
    }

    /// `shuffle(x)` as index swaps: Fisher–Yates from the back with `_randbelow(i + 1)`.
    public func shuffle<T>(_ a: inout [T]) {
        var i = a.count - 1
        while i >= 1 { a.swapAt(i, Int(randbelow(UInt64(i + 1)))); i -= 1 }
    }

    /// `choice(seq)`: the index chosen in a sequence of length n.
    public func choiceIndex(_ n: Int) throws -> Int {
        guard n > 0 else { throw TensorError.index("Cannot choose from an empty sequence") }
        return Int(randbelow(UInt64(n)))
    }

    /// `sample(population, k)`: the indices chosen, by random.py's pool or set method.
    public func sampleIndices(_ n: Int, _ k: Int) throws -> [Int] {
        guard k >= 0 && k <= n else { throw TensorError.value("Sample larger than population or is negative") }
        var setsize = 21
        if k > 5 { setsize += Int(pow(4.0, ceil(log(Double(k * 3)) / log(4.0)))) }
        var result: [Int] = []
        result.reserveCapacity(k)
        if n <= setsize {
            var pool = Array(0..<n)
            for i in 0..<k {
                let j = Int(randbelow(UInt64(n - i)))
                result.append(pool[j])
                pool[j] = pool[n - i - 1]
            }
        } else {
            var selected = Set<Int>()
            for _ in 0..<k {
                var j = Int(randbelow(UInt64(n)))
                while selected.contains(j) { j = Int(randbelow(UInt64(n))) }
                selected.insert(j)
                result.append(j)
            }
        }
        return result
    }

    /// `choices(population, weights=None, cum_weights=None, k)`: the indices chosen.
    public func choicesIndices(_ n: Int, cumWeights: [Double]?, k: Int) throws -> [Int] {
        guard let cum = cumWeights else {
            guard n > 0 || k == 0 else { throw TensorError.index("list index out of range") }
            return (0..<k).map { _ in Int((random() * Double(n)).rounded(.down)) }
        }
        guard cum.count == n else { throw TensorError.value("The number of weights does not match the population") }
        let total = (cum.last ?? 0) + 0.0
        guard total > 0 else { throw TensorError.value("Total of weights must be greater than zero") }
        guard total.isFinite else { throw TensorError.value("Total of weights must be finite") }
        let hi = n - 1
        return (0..<k).map { _ in
            let x = random() * total
            var lo = 0, h = hi
            while lo < h { let mid = (lo + h) / 2; if x < cum[mid] { h = mid } else { lo = mid + 1 } }
            return lo
        }
    }

    /// `getstate()`: the 624 words and the index, and `gauss_next`.
    public var state: (words: [UInt32], index: Int, gaussNext: Double?) { (mt.state, mt.index, gaussNext) }

    /// `setstate(...)`.
    public func setState(words: [UInt32], index: Int, gaussNext: Double?) throws {
        guard words.count == MT19937.n, index >= 0, index <= MT19937.n else {
            throw TensorError.value("state vector is the wrong size")
        }
        mt.state = words; mt.index = index; self.gaussNext = gaussNext
    }
}

extension Int {
    /// Python's floor division (`//`) for a nonzero divisor.
    func floorDiv(_ d: Int) -> Int {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
