import TensorCore

/// `torch.Generator`: a random stream of its own, seeded with `manual_seed`.
/// Samplers, `random_split` and `DataLoader(generator=)` draw from it; without
/// one they draw from the global generator (`torch.manual_seed`).
public final class TorchGenerator {
    public var state: RandomGenerator
    public private(set) var initialSeed: Int

    /// PyTorch's default seed for a new generator.
    public static let defaultSeed = 67_280_421_310_721

    public init(seed: Int = TorchGenerator.defaultSeed) {
        initialSeed = seed
        state = RandomGenerator(seed: UInt64(bitPattern: Int64(seed)))
    }

    public func manualSeed(_ seed: Int) {
        initialSeed = seed
        state = RandomGenerator(seed: UInt64(bitPattern: Int64(seed)))
    }
}

/// Every random draw of the data pipeline, in one place, so that making the
/// generator's stream PyTorch's own changes only this file.
public enum Shuffle {
    /// Runs `body` on the given generator's state, or on the global one.
    static func using<T>(_ g: TorchGenerator?, _ body: (inout RandomGenerator) -> T) -> T {
        if let g { return body(&g.state) }
        return body(&RandomGenerator.global)
    }

    /// `torch.randperm(n, generator=g)`: a Fisher–Yates shuffle of 0..<n, as
    /// PyTorch's CPU kernel runs it (swap i with i + random() % (n - i)).
    public static func randperm(_ n: Int, generator g: TorchGenerator?) -> [Int] {
        var r = Array(0..<max(n, 0))
        guard n > 1 else { return r }
        using(g) { rng in
            for i in 0..<(n - 1) {
                let z = Int(rng.integer(0, Int64(n - i)))
                r.swapAt(i, i + z)
            }
        }
        return r
    }

    /// `torch.randint(high=n, size=(count,), generator=g)`.
    public static func randint(_ n: Int, count: Int, generator g: TorchGenerator?) -> [Int] {
        using(g) { rng in (0..<max(count, 0)).map { _ in Int(rng.integer(0, Int64(n))) } }
    }

    /// `torch.empty((), dtype=torch.int64).random_(generator=g).item()`: the
    /// seed a DataLoader iterator and an unseeded RandomSampler draw first.
    public static func seed(generator g: TorchGenerator?) -> Int {
        using(g) { rng in Int(rng.integer(0, Int64.max)) }
    }

    /// `torch.rand(1).item() < p`, as RandomHorizontalFlip draws it (global generator).
    public static func chance(_ p: Double) -> Bool {
        Double(RandomGenerator.global.uniformFloat()) < p
    }

    /// `torch.randint(0, high, size=(1,)).item()` from the global generator (RandomCrop).
    public static func offset(below high: Int) -> Int {
        Int(RandomGenerator.global.integer(0, Int64(high)))
    }
}
