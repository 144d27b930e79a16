/// The old global generator's interface, kept so that code written against it
/// still builds: every call now draws from PyTorch's stream (`Generator.default`).
/// New code uses `Generator` and `TorchRandom`.
public struct RandomGenerator: @unchecked Sendable {
    /// Draws from `torch.default_generator`.
    nonisolated(unsafe) public static var global = RandomGenerator(Generator.default)
    let g: Generator

    init(_ g: Generator) { self.g = g }

    /// A private generator seeded like `torch.Generator().manual_seed(seed)`.
    public init(seed: UInt64) { g = Generator(seed: seed) }

    /// Uniform on [0, 1) as `torch.rand` draws it.
    public mutating func uniformFloat() -> Float {
        TorchRandom.uniformFloat(g.random(), 0, 1)
    }

    /// Uniform on [0, 1) with 53 bits.
    public mutating func uniformDouble() -> Double { TorchRandom.uniformDouble(g) }

    /// Standard normal from the scalar Box–Muller path.
    public mutating func normal() -> Double { TorchRandom.normalDouble(g) }

    /// Uniform integer in low..<high, as `randint` draws it.
    public mutating func integer(_ low: Int64, _ high: Int64) -> Int64 {
        let range = UInt64(bitPattern: high &- low)
        if range == 0 { return low }
        let w: UInt64 = range >= 1 << 32 ? g.random64() : UInt64(g.random())
        return Int64(bitPattern: (w % range) &+ UInt64(bitPattern: low))
    }

    public static func manualSeed(_ seed: Int) { Generator.default.manualSeed(seed) }
}
