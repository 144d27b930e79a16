/// Contiguous float loops shared by the layers' fast paths: ReLU, per-channel
/// affine (eval-mode batch norm) with an optional ReLU, and in-place residual adds.
/// Each splits large tensors over the worker threads; the loops are plain
/// pointer loops the compiler vectorises.
extension Kernels {
    /// Elements per parallel chunk: big enough to amortise the dispatch.
    static let chunk = 1 << 15

    /// Runs body(lo, hi) over [0, n) in chunks, in parallel when n is large.
    @inline(__always)
    static func chunked(_ n: Int, _ body: (Int, Int) -> Void) {
        let pieces = (n + chunk - 1) / chunk
        if pieces <= 1 { body(0, n); return }
        Parallel.forEach(pieces) { i in body(i * chunk, Swift.min(n, (i + 1) * chunk)) }
    }

    /// dst[i] = relu(src[i]); NaN stays NaN, as PyTorch's.
    public static func reluLoop(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
        chunked(n) { lo, hi in
            for i in lo..<hi { let v = src[i]; dst[i] = v <= 0 ? 0 : v }
        }
    }

    /// Eval-mode batch norm as a per-channel (scale, shift): y = x·scale + shift, with
    /// scale = w/√(var + eps) and shift = b − mean·scale, as `batchNorm` computes them.
    public static func batchNormScaleShift(channels c: Int, runningMean: Tensor, runningVar: Tensor, weight: Tensor?,
                                           bias: Tensor?, eps: Double) throws -> (scale: [Float], shift: [Float]) {
        for t in [runningMean, runningVar] + [weight, bias].compactMap({ $0 }) {
            guard t.numel == c, t.dtype == .float32 else { throw TensorError.value("batch_norm: parameter shape or type mismatch") }
        }
        let means = runningMean.toFloats(), vars = runningVar.toFloats()
        let w = weight?.toFloats(), b = bias?.toFloats()
        var scale = [Float](repeating: 0, count: c), shift = [Float](repeating: 0, count: c)
        for ch in 0..<c {
            let invstd = Float(1 / (Double(vars[ch]) + eps).squareRoot())
            scale[ch] = invstd * (w?[ch] ?? 1)
            shift[ch] = (b?[ch] ?? 0) - means[ch] * scale[ch]
        }
        return (scale, shift)
    }

    /// x ← x·scale[c] + shift[c] over the (N, C, ...) planes of a contiguous float tensor, then
    /// ReLU when asked. Only for tensors no one else can see (a layer's fresh output).
    public static func affineChannelsInPlace(_ x: Tensor, scale: [Float], shift: [Float], relu: Bool) throws {
        guard x.dtype == .float32, x.isContiguous, x.rank >= 2, x.shape[1] == scale.count, shift.count == scale.count else {
            throw TensorError.value("affineChannelsInPlace: expected a contiguous float (N, C, ...) tensor")
        }
        let n = x.shape[0], c = x.shape[1], plane = Shape.count(Array(x.shape.dropFirst(2)))
        let p = x.floatPtr
        scale.withUnsafeBufferPointer { sc in shift.withUnsafeBufferPointer { sh in
            Parallel.forEach(n * c, minPerThread: Swift.max(1, chunk / Swift.max(plane, 1))) { i in
                let a = sc[i % c], b = sh[i % c], q = p + i * plane
                if relu {
                    for j in 0..<plane { let v = q[j] * a + b; q[j] = v <= 0 ? 0 : v }
                } else {
                    for j in 0..<plane { q[j] = q[j] * a + b }
                }
            }
        }}
    }

    /// y ← y + s (same shape, both contiguous float), then ReLU when asked.
    /// Only for a `y` no one else can see.
    public static func addInPlace(_ y: Tensor, _ s: Tensor, relu: Bool) throws {
        guard y.dtype == .float32, s.dtype == .float32, y.isContiguous, s.isContiguous, y.shape == s.shape else {
            throw TensorError.value("addInPlace: expected contiguous float tensors of one shape")
        }
        let p = y.floatPtr, q = UnsafePointer(s.floatPtr)
        chunked(y.numel) { lo, hi in
            if relu {
                for i in lo..<hi { let v = p[i] + q[i]; p[i] = v <= 0 ? 0 : v }
            } else {
                for i in lo..<hi { p[i] += q[i] }
            }
        }
    }
}
