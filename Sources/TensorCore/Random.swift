#if canImport(Glibc)
import Glibc
#endif

/// The global random generator (`torch.manual_seed`). A 64-bit
/// splitmix-seeded xoshiro256**; uniform floats on [0, 1) with 24 bits,
/// normals by Box–Muller. The stream differs from PyTorch's; the
/// distributions are the same.
public struct RandomGenerator: Sendable {
    var s: (UInt64, UInt64, UInt64, UInt64)
    var spareNormal: Double?

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E3779B97F4A7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    @inline(__always) mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = (s.3 << 45) | (s.3 >> 19)
        return result
    }

    /// Uniform on [0, 1) with 24 bits, as float32 sampling does.
    @inline(__always) public mutating func uniformFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform on [0, 1) with 53 bits.
    @inline(__always) public mutating func uniformDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Standard normal.
    public mutating func normal() -> Double {
        if let n = spareNormal { spareNormal = nil; return n }
        var u1 = uniformDouble()
        while u1 <= 0 { u1 = uniformDouble() }
        let u2 = uniformDouble()
        let r = (-2 * Glibc.log(u1)).squareRoot()
        spareNormal = r * Glibc.sin(2 * Double.pi * u2)
        return r * Glibc.cos(2 * Double.pi * u2)
    }

    /// Uniform integer in low..<high.
    public mutating func integer(_ low: Int64, _ high: Int64) -> Int64 {
        let span = UInt64(bitPattern: high &- low)
        if span == 0 { return low }
        return low &+ Int64(bitPattern: next() % span)
    }

    /// The process-wide generator, reseeded by `manual_seed`.
    nonisolated(unsafe) public static var global = RandomGenerator(seed: 0x5EED)

    public static func manualSeed(_ seed: Int) {
        global = RandomGenerator(seed: UInt64(bitPattern: Int64(seed)))
    }
}
