#if canImport(Glibc)
import Glibc
#endif
import CCPUID

/// PyTorch's CPU `randperm`, `bernoulli`, `exponential_`, `multinomial` and the
/// tensor forms of `normal`, drawing as ATen's CPU kernels draw.
extension TorchRandom {
    /// `randperm(n)`: Fisher–Yates from the front with `random() % (n - i)` (ATen's
    /// `randperm_cpu`); n past 2^32/20 uses the 64-bit inside-out variant.
    public static func randperm(_ n: Int, dtype: DType = .int64, generator: Generator? = nil) throws -> Tensor {
        guard n >= 0 else { throw TensorError.runtime("n must be non-negative, got\(n)") }
        if dtype == .float32 && n > 1 << 24 {
            throw TensorError.runtime("n cannot be greater than 2^24+1 for Float type.")
        }
        let g = gen(generator)
        var r = [Int64](repeating: 0, count: n)
        if n < Int(UInt32.max / 20) {
            for i in 0..<n { r[i] = Int64(i) }
            if n > 1 {
                g.withEngine { e in
                    for i in 0..<(n - 1) {
                        let z = Int(UInt64(e.next()) % UInt64(n - i))
                        r.swapAt(i, z + i)
                    }
                }
            }
        } else {
            for i in 0..<n {
                let z = Int(g.random64() % UInt64(i + 1))
                r[i] = r[z]
                r[z] = Int64(i)
            }
        }
        let t = try Tensor(ints: r, shape: [n])
        return dtype == .int64 ? t : try t.to(dtype)
    }

    // MARK: bernoulli

    /// How `bernoulli_(p)` with a number draws, as PyTorch's x86 builds (with MKL) do:
    /// `.mkl` on Intel CPUs, `.aten` on every other CPU (AMD, ARM).
    public enum BernoulliMethod: Sendable { case aten, mkl }

    /// The method in use: from the CPU vendor on first use, unless the environment variable
    /// `TENSORPAD_BERNOULLI` says `aten` or `mkl` (to reproduce the other kind of machine);
    /// settable.
    nonisolated(unsafe) public static var scalarBernoulli: BernoulliMethod = {
        if let v = getenv("TENSORPAD_BERNOULLI").map({ String(cString: $0) }) {
            if v == "aten" { return .aten }
            if v == "mkl" { return .mkl }
        }
        return tensorpad_cpu_is_intel() != 0 ? .mkl : .aten
    }()

    /// `t.bernoulli_(p)` with a number (dropout's masks). `.aten`: one 53-bit uniform per
    /// element, 1 where it is below p. `.mkl`: one 32-bit draw seeds MKL's MCG31m1
    /// (x ← 1132489760·x mod 2³¹−1, starting at seed mod 2³¹−1, 0 → 1), and element i
    /// (row-major) is 1 where xᵢ/(2³¹−1) < p — MKL's `viRngBernoulli` ICDF method.
    public static func bernoulli_(_ t: Tensor, p: Double, generator: Generator? = nil) throws {
        defer { t.bumpVersion() }   // an in-place write: autograd's saved-tensor check sees it
        guard p >= 0 && p <= 1 else { throw TensorError.runtime("bernoulli_ expects p to be in [0, 1], but got p=\(cpp(p))") }
        let g = gen(generator)
        switch scalarBernoulli {
        case .aten:
            fill(t) { uniformDouble(g) < p ? 1 : 0 }
        case .mkl:
            let m: UInt64 = 2_147_483_647
            var x = UInt64(g.random()) % m
            if x == 0 { x = 1 }
            @inline(__always) func next() -> Bool {
                let hit = Double(x) / Double(m) < p
                x = x &* 1_132_489_760 % m
                return hit
            }
            switch t.dtype {
            case .float32: let q = t.storage.floats; t.forEachOffset { q[$0] = next() ? 1 : 0 }
            case .int64: let q = t.storage.ints; t.forEachOffset { q[$0] = next() ? 1 : 0 }
            case .bool: let q = t.storage.bools; t.forEachOffset { q[$0] = next() }
            default: t.forEachOffset { t.setDouble(next() ? 1 : 0, atStorageOffset: $0) }
            }
        }
    }

    /// `t.bernoulli_(p)` with a tensor of probabilities (broadcast to t): a 24-bit float
    /// uniform per element against p.
    public static func bernoulli_(_ t: Tensor, p probs: Tensor, generator: Generator? = nil) throws {
        defer { t.bumpVersion() }   // an in-place write: autograd's saved-tensor check sees it
        let pe = try probs.expand(t.shape)
        let values = pe.toFloats()
        for v in values where !(v >= 0 && v <= 1) {
            throw TensorError.runtime("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
        }
        let g = gen(generator)
        var k = 0
        // Row-major over t (the probabilities are read in the same order).
        let rowMajor = t.isContiguous
        if rowMajor {
            fill(t) { defer { k += 1 }; return uniformFloat(g.random(), 0, 1) < values[k] ? 1 : 0 }
        } else {
            var out = [Double](); out.reserveCapacity(values.count)
            for v in values { out.append(uniformFloat(g.random(), 0, 1) < v ? 1 : 0) }
            switch t.dtype {
            case .float32: let p = t.storage.floats; t.forEachOffset { p[$0] = Float(out[k]); k += 1 }
            case .int64: let p = t.storage.ints; t.forEachOffset { p[$0] = Int64(out[k]); k += 1 }
            case .bool: let p = t.storage.bools; t.forEachOffset { p[$0] = out[k] != 0; k += 1 }
            case .float64: let p = t.storage.doubles; t.forEachOffset { p[$0] = out[k]; k += 1 }
            case .float16: let p = t.storage.halves; t.forEachOffset { p[$0] = Float16(out[k]); k += 1 }
            case .int32: let p = t.storage.int32s; t.forEachOffset { p[$0] = Int32(out[k]); k += 1 }
            case .uint8: let p = t.storage.uint8s; t.forEachOffset { p[$0] = UInt8(out[k]); k += 1 }
            }
        }
    }

    /// `torch.bernoulli(input)`: 0/1 samples with the probabilities in input.
    public static func bernoulli(_ probs: Tensor, generator: Generator? = nil) throws -> Tensor {
        let out = try Tensor(zeros: probs.shape, dtype: probs.dtype == .int64 ? .float32 : probs.dtype)
        try bernoulli_(out, p: probs, generator: generator)
        return out
    }

    // MARK: exponential_

    /// `t.exponential_(lambd)`: −log1p(−u)/λ of a 53-bit uniform u.
    public static func exponential_(_ t: Tensor, lambd: Double = 1, generator: Generator? = nil) throws {
        defer { t.bumpVersion() }   // an in-place write: autograd's saved-tensor check sees it
        try requireFloat(t, "exponential_cpu")
        guard lambd > 0 && lambd.isFinite else {
            throw TensorError.runtime("exponential_ expects lambda > 0.0, but found lambda=\(cpp(lambd))")
        }
        let g = gen(generator)
        fill(t) { -1.0 / lambd * log1p(-uniformDouble(g)) }
    }

    /// `t.cauchy_(median, sigma)`: median + σ·tan(π(u − ½)) of a 53-bit uniform u.
    public static func cauchy_(_ t: Tensor, median: Double = 0, sigma: Double = 1, generator: Generator? = nil) throws {
        defer { t.bumpVersion() }   // an in-place write: autograd's saved-tensor check sees it
        try requireFloat(t, "cauchy_cpu")
        guard sigma > 0 else { throw TensorError.runtime("cauchy_ expects sigma > 0.0, but found sigma=\(cpp(sigma))") }
        let g = gen(generator)
        fill(t) { median.addingProduct(sigma, tan(Double.pi * (uniformDouble(g) - 0.5))) }
    }

    /// `t.log_normal_(mean, std)`: exp of the scalar path's N(mean, std²) (cached sine half included).
    public static func log_normal_(_ t: Tensor, mean: Double = 1, std: Double = 2, generator: Generator? = nil) throws {
        defer { t.bumpVersion() }   // an in-place write: autograd's saved-tensor check sees it
        try requireFloat(t, "log_normal_cpu")
        guard std > 0 else { throw TensorError.runtime("log_normal_ expects std > 0.0, but found std=\(cpp(std))") }
        let g = gen(generator)
        fill(t) { exp(mean.addingProduct(normalDouble(g), std)) }
    }

    /// `t.geometric_(p)`: ⌈log u / log1p(−p)⌉ of a 53-bit uniform u.
    public static func geometric_(_ t: Tensor, p: Double, generator: Generator? = nil) throws {
        defer { t.bumpVersion() }   // an in-place write: autograd's saved-tensor check sees it
        guard p > 0 && p < 1 else { throw TensorError.runtime("geometric_ expects p to be in (0, 1), but got p=\(cpp(p))") }
        let g = gen(generator)
        fill(t) { (log(uniformDouble(g)) / log1p(-p)).rounded(.up) }
    }

    // MARK: normal with tensor arguments

    /// `torch.normal(mean, std)` with tensors (broadcast): N(0, 1) samples, × std, + mean.
    public static func normal(mean: Tensor, std: Tensor, generator: Generator? = nil) throws -> Tensor {
        let shape = try Shape.broadcast(mean.shape, std.shape)
        let out = try Tensor(zeros: shape)
        try normal_(out, mean: 0, std: 1, generator: generator)
        try checkStd(std)
        return try Tensor.binary(.add, try Tensor.binary(.mul, out, std), mean)
    }

    /// `torch.normal(mean_tensor, std_number)`.
    public static func normal(mean: Tensor, std: Double, generator: Generator? = nil) throws -> Tensor {
        let out = try Tensor(zeros: mean.shape)
        try normal_(out, mean: 0, std: std, generator: generator)
        return try Tensor.binary(.add, out, mean)
    }

    /// `torch.normal(mean_number, std_tensor)`.
    public static func normal(mean: Double, std: Tensor, generator: Generator? = nil) throws -> Tensor {
        let out = try Tensor(zeros: std.shape)
        try normal_(out, mean: 0, std: 1, generator: generator)
        try checkStd(std)
        return try Tensor.binary(.add, try Tensor.binary(.mul, out, std), Tensor.scalar(Float(mean)))
    }

    static func checkStd(_ std: Tensor) throws {
        if std.toFloats().contains(where: { $0 < 0 }) {
            throw TensorError.runtime("normal expects all elements of std >= 0.0")
        }
    }

    // MARK: multinomial

    /// `torch.multinomial(input, num_samples, replacement=False)` for 1-D or 2-D weights.
    /// Without replacement (or for one sample) it is ATen's exponential race: the
    /// indices of the largest input / Exp(1); with replacement, a binary search of
    /// the float cumulative sums for each 53-bit uniform.
    public static func multinomial(_ input: Tensor, numSamples k: Int, replacement: Bool = false,
                                   generator: Generator? = nil) throws -> Tensor {
        guard input.rank == 1 || input.rank == 2 else { throw TensorError.runtime("prob_dist must be 1 or 2 dim") }
        guard input.dtype == .float32 else {
            throw TensorError.runtime("multinomial only supports floating-point dtypes for input, got: \(typeName(input.dtype))")
        }
        guard k > 0 else { throw TensorError.runtime("cannot sample n_sample <= 0 samples") }
        let cats = input.shape[input.rank - 1]
        let rows = input.rank == 2 ? input.shape[0] : 1
        guard replacement || k <= cats else {
            throw TensorError.runtime("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
        }
        guard cats <= 1 << 24 else { throw TensorError.runtime("number of categories cannot exceed 2^24") }
        let w = input.toFloats()
        for r in 0..<rows {
            var sum: Float = 0
            for j in 0..<cats {
                let v = w[r * cats + j]
                guard v.isFinite && v >= 0 else {
                    throw TensorError.runtime("probability tensor contains either `inf`, `nan` or element < 0")
                }
                sum += v
            }
            guard sum > 0 else { throw TensorError.runtime("invalid multinomial distribution (sum of probabilities <= 0)") }
        }
        let g = gen(generator)
        var out = [Int64](repeating: 0, count: rows * k)
        if !replacement || k == 1 {
            let q = try Tensor(zeros: input.shape)
            try exponential_(q, lambd: 1, generator: g)
            let e = q.toFloats()
            for r in 0..<rows {
                let ratio = (0..<cats).map { w[r * cats + $0] / e[r * cats + $0] }
                let order = (0..<cats).sorted { ratio[$0] != ratio[$1] ? ratio[$0] > ratio[$1] : $0 < $1 }
                for s in 0..<k { out[r * k + s] = Int64(order[s]) }
            }
        } else {
            var cum = [Float](repeating: 0, count: cats)
            for r in 0..<rows {
                var sum: Float = 0
                for j in 0..<cats { sum += w[r * cats + j]; cum[j] = sum }
                for j in 0..<cats { cum[j] /= sum }
                cum[cats - 1] = 1
                for s in 0..<k {
                    let u = uniformDouble(g)
                    var lo = 0, hi = cats
                    while hi - lo > 0 {
                        let mid = lo + (hi - lo) / 2
                        if Double(cum[mid]) < u { lo = mid + 1 } else { hi = mid }
                    }
                    out[r * k + s] = Int64(lo)
                }
            }
        }
        return try Tensor(ints: out, shape: input.rank == 2 ? [rows, k] : [k])
    }
}
