import TensorCore

/// Every random draw of the data pipeline, in one place, each as PyTorch draws
/// it from `torch.default_generator` or a `torch.Generator` (TensorCore's
/// `Generator`, PyTorch's CPU stream), so shuffles, splits and random
/// transforms follow `torch.manual_seed` as PyTorch's do.
public enum Shuffle {
    /// `torch.randperm(n, generator=g).tolist()`.
    public static func randperm(_ n: Int, generator g: Generator?) throws -> [Int] {
        try TorchRandom.randperm(max(n, 0), generator: g).toInt64s().map { Int($0) }
    }

    /// `torch.randint(high=n, size=(count,), dtype=torch.int64, generator=g).tolist()`.
    public static func randint(_ n: Int, count: Int, generator g: Generator?) throws -> [Int] {
        let t = try Tensor(zeros: [max(count, 0)], dtype: .int64)
        try TorchRandom.random_(t, from: 0, to: Int64(n), generator: g)
        return t.toInt64s().map { Int($0) }
    }

    /// `int(torch.empty((), dtype=torch.int64).random_(generator=g).item())`: the
    /// seed a DataLoader iterator and an unseeded RandomSampler draw first.
    public static func seed(generator g: Generator?) throws -> Int {
        let t = try Tensor(zeros: [], dtype: .int64)
        try TorchRandom.random_(t, generator: g)
        return Int(t.toInt64s()[0])
    }

    /// `torch.rand(1) < p`, as RandomHorizontalFlip draws it.
    public static func chance(_ p: Double) throws -> Bool {
        let t = try Tensor(zeros: [1], dtype: .float32)
        try TorchRandom.uniform_(t)
        return Double(t.toFloats()[0]) < p
    }

    /// `torch.randint(0, high, size=(1,)).item()` (RandomCrop's offsets).
    public static func offset(below high: Int) throws -> Int {
        try randint(high, count: 1, generator: nil)[0]
    }

    /// A generator seeded as `torch.Generator().manual_seed(seed)`.
    public static func generator(seed: Int) -> Generator {
        let g = Generator()
        g.manualSeed(seed)
        return g
    }
}
