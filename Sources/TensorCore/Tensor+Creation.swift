/// Creation functions of SPEC §5: zeros, ones, full, eye, arange, linspace,
/// rand, randn, randint and the `_like` forms.
extension Tensor {
    public static func zeros(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        try Tensor(zeros: shape, dtype: dtype)
    }

    public static func ones(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        try full(shape, 1, dtype: dtype)
    }

    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32) throws -> Tensor {
        let t = try Tensor(zeros: shape, dtype: dtype)
        try t.fill_(value)
        t.storage.version = 0   // a new tensor starts at version 0
        return t
    }

    /// `eye(n, m=None)`.
    public static func eye(_ n: Int, _ m: Int? = nil, dtype: DType = .float32) throws -> Tensor {
        let cols = m ?? n
        if n < 0 { throw TensorError.runtime("n must be greater or equal to 0, got \(n)") }
        if cols < 0 { throw TensorError.runtime("m must be greater or equal to 0, got \(cols)") }
        let t = try Tensor(zeros: [n, cols], dtype: dtype)
        for i in 0..<Swift.min(n, cols) { t.setDouble(1, atStorageOffset: i * cols + i) }
        return t
    }

    /// `arange(start, end, step)`; int64 when all arguments are integers.
    public static func arange(start: Double, end: Double, step: Double, dtype: DType?) throws -> Tensor {
        guard step != 0 else { throw TensorError.runtime("step must be nonzero") }
        guard start.isFinite && end.isFinite else {
            throw TensorError.runtime("unsupported range: \(TorchRandom.formatG6(start)) -> \(TorchRandom.formatG6(end))")
        }
        guard (step > 0 && end >= start) || (step < 0 && end <= start) else {
            throw TensorError.runtime("upper bound and larger bound inconsistent with step sign")
        }
        let steps = ((end - start) / step).rounded(.up)
        // PyTorch computes the size in 64 bits and refuses a count past them.
        guard steps.isFinite, steps < 9.2e18 else { throw TensorError.runtime("invalid size, possible overflow?") }
        guard steps < 1e15 else { throw TensorError.memory(bytes: Int(min(steps * 4, 9e18)), limit: Storage.limitBytes) }
        let count = Int(steps)
        let dt = dtype ?? .float32
        let t = try Tensor(zeros: [Swift.max(count, 0)], dtype: dt)
        for i in 0..<Swift.max(count, 0) { t.setDouble(start + Double(i) * step, atStorageOffset: i) }
        return t
    }

    /// `linspace(start, end, steps)`, computed as PyTorch does (from both ends).
    public static func linspace(_ start: Double, _ end: Double, steps: Int, dtype: DType = .float32) throws -> Tensor {
        guard steps >= 0 else { throw TensorError.runtime("number of steps must be non-negative") }
        let t = try Tensor(zeros: [steps], dtype: dtype)
        if steps == 1 { t.setDouble(start, atStorageOffset: 0) }
        if steps > 1 {
            let s = Float(start), e = Float(end)
            let step = (e - s) / Float(steps - 1)
            let half = steps / 2
            for i in 0..<steps {
                let v: Float = i < half ? s + step * Float(i) : e - step * Float(steps - i - 1)
                t.setDouble(Double(v), atStorageOffset: i)
            }
        }
        return t
    }

    /// `rand(shape)`: uniform on [0, 1), PyTorch's stream.
    public static func rand(_ shape: [Int], generator: Generator? = nil) throws -> Tensor {
        let t = try Tensor(uninitialized: shape)
        try TorchRandom.uniform_(t, from: 0, to: 1, generator: generator)
        return t
    }

    /// `randn(shape)`: standard normal, PyTorch's stream.
    public static func randn(_ shape: [Int], generator: Generator? = nil) throws -> Tensor {
        let t = try Tensor(uninitialized: shape)
        try TorchRandom.normal_(t, mean: 0, std: 1, generator: generator)
        return t
    }

    /// `randint(low, high, shape)`: int64 unless `dtype` says otherwise.
    public static func randint(low: Int64, high: Int64, _ shape: [Int], dtype: DType = .int64,
                               generator: Generator? = nil) throws -> Tensor {
        let t = try Tensor(zeros: shape, dtype: dtype)
        try TorchRandom.random_(t, from: low, to: high, generator: generator)
        return t
    }
}
