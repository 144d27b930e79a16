#if canImport(Glibc)
import Glibc
#endif

extension Kernels {
    /// `F.softmax(input, dim)`: exp(x − max) / Σ exp(x − max) along `dim`.
    public static func softmax(_ input: Tensor, dim: Int) throws -> Tensor {
        try softmaxForward(input, dim: dim, log: false)
    }

    /// `F.log_softmax(input, dim)`: x − max − log Σ exp(x − max) along `dim`.
    public static func logSoftmax(_ input: Tensor, dim: Int) throws -> Tensor {
        try softmaxForward(input, dim: dim, log: true)
    }

    static func softmaxForward(_ input: Tensor, dim: Int, log: Bool) throws -> Tensor {
        let d = try Shape.wrapDim(dim, rank: input.rank)
        if input.dtype == .float64 {
            // Double precision through the generic ops: z = x − max, then exp(z)/Σ or z − log Σ.
            guard input.numel > 0 else { return try input.clone() }
            var m = input.rank == 0 ? input : try input.extremum(dim: d, keepdim: true, isMax: true).0
            m = try Tensor.where(try Tensor.compare(.eq, m, .scalar(-Double.infinity, dtype: .float64)), .scalar(0, dtype: .float64), m)
            let z = try Tensor.binary(.sub, input, m)
            let total = input.rank == 0 ? try z.exp() : try z.exp().sum(dims: [d], keepdim: true)
            return log ? try Tensor.binary(.sub, z, try total.log()) : try Tensor.binary(.div, try z.exp(), total)
        }
        let x = input.dtype == .float32 ? try input.contiguous() : try input.to(.float32).contiguous()
        let out = try Tensor(zeros: input.shape)
        if out.numel == 0 { return out }
        let n = input.rank == 0 ? 1 : input.shape[d]
        let outer = input.rank == 0 ? 1 : Shape.count(Array(input.shape[..<d]))
        let inner = input.rank == 0 ? 1 : Shape.count(Array(input.shape[(d + 1)...]))
        let xp = x.floatPtr, op = out.floatPtr
        Parallel.forEach(outer, minPerThread: max(1, 16_384 / max(n * inner, 1))) { o in
            let src = xp + o * n * inner, dst = op + o * n * inner
            if inner == 1 {
                var m = -Float.infinity
                for j in 0..<n where src[j] > m || src[j].isNaN { m = src[j] }
                if m == -.infinity { m = 0 }   // all −inf: keep exp finite (gives NaN/−inf as PyTorch)
                var sum: Float = 0
                if log {
                    for j in 0..<n { sum += expf(src[j] - m) }
                    let l = logf(sum) + m
                    for j in 0..<n { dst[j] = src[j] - l }
                } else {
                    for j in 0..<n { let e = expf(src[j] - m); dst[j] = e; sum += e }
                    let r = 1 / sum
                    for j in 0..<n { dst[j] *= r }
                }
                return
            }
            // Strided along dim: keep per-column max and sum in small buffers, walking rows contiguously.
            var maxes = [Float](repeating: -.infinity, count: inner), sums = [Float](repeating: 0, count: inner)
            maxes.withUnsafeMutableBufferPointer { mx in sums.withUnsafeMutableBufferPointer { sm in
                for j in 0..<n {
                    let row = src + j * inner
                    for i in 0..<inner where row[i] > mx[i] || row[i].isNaN { mx[i] = row[i] }
                }
                for i in 0..<inner where mx[i] == -.infinity { mx[i] = 0 }
                for j in 0..<n {
                    let row = src + j * inner, orow = dst + j * inner
                    for i in 0..<inner {
                        let e = expf(row[i] - mx[i])
                        sm[i] += e
                        if !log { orow[i] = e }
                    }
                }
                if log {
                    for i in 0..<inner { sm[i] = logf(sm[i]) + mx[i] }
                    for j in 0..<n {
                        let row = src + j * inner, orow = dst + j * inner
                        for i in 0..<inner { orow[i] = row[i] - sm[i] }
                    }
                } else {
                    for i in 0..<inner { sm[i] = 1 / sm[i] }
                    for j in 0..<n {
                        let orow = dst + j * inner
                        for i in 0..<inner { orow[i] *= sm[i] }
                    }
                }
            }}
        }
        return out
    }
}
