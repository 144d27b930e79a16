/// PyTorch's CPU generator (`CPUGeneratorImpl`): an MT19937 seeded by
/// `init_genrand(seed & 0xffffffff)`, 32-bit draws (`random()`), 64-bit draws
/// made of two words high first (`random64()`), and the cached second normal
/// of the scalar Box–Muller path. `Generator.default` is `torch.default_generator`.
public final class Generator: @unchecked Sendable {
    /// The seed PyTorch's default generator starts from (`default_rng_seed_val`).
    public static let defaultSeed: UInt64 = 67_280_421_310_721
    /// `torch.default_generator`, reseeded by `torch.manual_seed`.
    nonisolated(unsafe) public static var `default` = Generator()

    /// `sizeof(CPUGeneratorImplState)`: the length of `get_rng_state()`.
    public static let stateSize = 5056
    static let legacyStateSize = 5048

    public var engine: MT19937
    public private(set) var initialSeed: UInt64
    /// False from seeding until the first draw (PyTorch's `next_` is 0 then, not 624).
    var drawn = false
    /// The cached sine half of the last double Box–Muller pair.
    public var nextDoubleNormal: Double?
    public var nextFloatNormal: Float?

    public init(seed: UInt64 = Generator.defaultSeed) {
        engine = MT19937(seed: UInt32(truncatingIfNeeded: seed))
        initialSeed = seed
    }

    /// `manual_seed(seed)`: a fresh engine and no cached normal.
    public func manualSeed(_ seed: UInt64) {
        engine = MT19937(seed: UInt32(truncatingIfNeeded: seed))
        initialSeed = seed
        drawn = false
        nextDoubleNormal = nil
        nextFloatNormal = nil
    }

    /// `manual_seed` with a Python int: negative seeds wrap to 64 bits as PyTorch's do.
    public func manualSeed(_ seed: Int) { manualSeed(UInt64(bitPattern: Int64(seed))) }

    /// `seed()`: a non-deterministic 53-bit seed (it fits a double, as PyTorch's does), applied and returned.
    @discardableResult public func seed() -> UInt64 {
        var sys = SystemRandomNumberGenerator()
        let s = sys.next() & 0x1F_FFFF_FFFF_FFFF
        manualSeed(s)
        return s
    }

    /// `random()`: one 32-bit word.
    @inline(__always) public func random() -> UInt32 {
        drawn = true
        return engine.next()
    }

    /// `random64()`: two words, the first in the high half.
    @inline(__always) public func random64() -> UInt64 {
        drawn = true
        let hi = UInt64(engine.next()), lo = UInt64(engine.next())
        return hi << 32 | lo
    }

    /// Runs `body` on the engine in place (hot loops keep it in registers).
    @inline(__always) public func withEngine<R>(_ body: (inout MT19937) throws -> R) rethrows -> R {
        drawn = true
        return try body(&engine)
    }

    // MARK: get_rng_state / set_rng_state

    /// The bytes of `get_rng_state()`: PyTorch's `CPUGeneratorImplState`, little-endian.
    public func getState() -> [UInt8] {
        var b = [UInt8](repeating: 0, count: Generator.stateSize)
        func put<T: FixedWidthInteger>(_ v: T, at o: Int) {
            withUnsafeBytes(of: v.littleEndian) { for (k, x) in $0.enumerated() { b[o + k] = x } }
        }
        let next = drawn ? engine.index : 0
        let left = drawn ? MT19937.n + 1 - engine.index : 1
        put(initialSeed, at: 0)
        put(Int32(left), at: 8)
        put(Int32(1), at: 12)                    // seeded
        put(UInt64(next), at: 16)
        for (k, w) in engine.state.enumerated() { put(UInt64(w), at: 24 + 8 * k) }
        let tail = 24 + 8 * MT19937.n            // normal_x, normal_y, normal_rho, normal_is_valid
        if let d = nextDoubleNormal {
            put(d.bitPattern, at: tail + 8)
            put(Int32(1), at: tail + 24)
        }
        if let f = nextFloatNormal {
            put(f.bitPattern, at: Generator.legacyStateSize)
            b[Generator.legacyStateSize + 4] = 1
        }
        return b
    }

    /// `set_rng_state(state)`: accepts the current layout and the legacy one.
    public func setState(_ b: [UInt8]) throws {
        guard b.count == Generator.stateSize || b.count == Generator.legacyStateSize else {
            throw TensorError.runtime("Expected either a CPUGeneratorImplStateLegacy of size \(Generator.legacyStateSize) "
                + "or a CPUGeneratorImplState of size \(Generator.stateSize) but found the input RNG state size to be \(b.count)")
        }
        func get<T: FixedWidthInteger>(_: T.Type, at o: Int) -> T {
            var v: T = 0
            withUnsafeMutableBytes(of: &v) { for k in 0..<MemoryLayout<T>.size { $0[k] = b[o + k] } }
            return T(littleEndian: v)
        }
        let next = Int(get(UInt64.self, at: 16))
        guard next >= 0 && next <= MT19937.n else {
            throw TensorError.runtime("The next_ value of the RNG state is out of range: \(next)")
        }
        var words = [UInt32](repeating: 0, count: MT19937.n)
        for k in 0..<MT19937.n { words[k] = UInt32(truncatingIfNeeded: get(UInt64.self, at: 24 + 8 * k)) }
        engine.state = words
        engine.index = next == 0 ? MT19937.n : next
        drawn = next != 0
        initialSeed = get(UInt64.self, at: 0)
        let tail = 24 + 8 * MT19937.n
        nextDoubleNormal = get(Int32.self, at: tail + 24) != 0 ? Double(bitPattern: get(UInt64.self, at: tail + 8)) : nil
        nextFloatNormal = nil
        if b.count == Generator.stateSize && b[Generator.legacyStateSize + 4] != 0 {
            nextFloatNormal = Float(bitPattern: get(UInt32.self, at: Generator.legacyStateSize))
        }
    }
}
