import CBLAS

/// Matrix products through OpenBLAS's `cblas_sgemm`.
///
/// OpenBLAS runs on one thread, and large products are split here over Tensorpad's own
/// workers (`Parallel`), each part a single-threaded `cblas_sgemm`. OpenBLAS's own
/// pool would otherwise keep its threads spinning (`sched_yield`) for about 2^28 cycles
/// after every threaded call, and every parallel loop of ours that follows a GEMM
/// (bias, batch norm, ReLU, pooling, the next im2col) would share the cores with them:
/// measured, that made such loops 2–4× slower. Split this way the GEMM itself loses
/// nothing (1024³: 1.72× on two threads, OpenBLAS's pool 1.63×).
public enum BLAS {
    /// OpenBLAS's pool set to one thread, once, before the first product, and its idle
    /// threads stopped. OpenBLAS starts a thread per core when it loads, and each spins
    /// (`sched_yield`) for about 2^28 cycles before it sleeps: 0.08–0.09 s of CPU time in
    /// every process, on the cores the workers need, for threads Tensorpad never uses. The
    /// executables call `useOneThread()` first thing; the first product does otherwise.
    private static let singleThreaded: Void = {
        openblas_set_num_threads(1)
        _ = blas_thread_shutdown_()
    }()

    /// Sets OpenBLAS to one thread and stops its idle pool (see `singleThreaded`).
    public static func useOneThread() { _ = singleThreaded }

    /// Products below this many multiply-adds run whole on the calling thread.
    static let splitThreshold = 1 << 18

    /// C[M×N] = alpha·op(A)·op(B) + beta·C, row-major. Inside a `Parallel` region the
    /// product runs on the calling worker; otherwise large ones are split over the workers
    /// by columns of C (by rows when C is taller than wide).
    @inline(__always)
    public static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 0 || n == 0 { return }
        _ = singleThreaded
        let workers = Parallel.inRegion ? 1 : Parallel.threads
        let (work, overflow) = m.multipliedReportingOverflow(by: n)
        if workers <= 1 || overflow || work.multipliedReportingOverflow(by: k).partialValue < splitThreshold
            || work.multipliedReportingOverflow(by: k).overflow {
            gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        // Parts are multiples of 16 columns (rows), the width of OpenBLAS's micro-kernels.
        let byColumns = n >= m
        let extent = byColumns ? n : m
        let parts = min(workers, max(1, extent / 16))
        let step = ((extent + parts - 1) / parts + 15) / 16 * 16
        let count = (extent + step - 1) / step
        Parallel.forEach(count) { part in
            let lo = part * step, len = min(extent, lo + step) - lo
            if byColumns {
                gemm(transA, transB, m, len, k, alpha, a, lda, transB ? b + lo * ldb : b + lo, ldb, beta, c + lo, ldc)
            } else {
                gemm(transA, transB, len, n, k, alpha, transA ? a + lo : a + lo * lda, lda, b, ldb, beta,
                     c + lo * ldc, ldc)
            }
        }
    }

    /// One part of a product, on the calling thread.
    @inline(__always)
    private static func gemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                             _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                             _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        fittedGemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }

    /// `cblas_sgemm` takes its sizes and leading dimensions as 32-bit ints. A product
    /// with a value past `limit` (Int32.max) is computed exactly as smaller products whose
    /// values fit, never on wrapped values: a size past it is halved (a split of k
    /// accumulates with beta = 1); a leading dimension past it is split away along the
    /// size it steps over, down to products where it is not used (a single row of A or C,
    /// a single step of k). `limit` and `call` are parameters so tests can drive every split
    /// with small matrices and see the values each library call was given.
    static func fittedGemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                           _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                           _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
                           limit: Int = Int(Int32.max), call: CallSink? = nil) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            if beta == 0 { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            else if beta != 1 { for i in 0..<m { for j in 0..<n { c[i * ldc + j] *= beta } } }
            return
        }
        // The leading dimensions the library needs: one it does not step (a single row of
        // A or C, a single step of k or a single column of a transposed B) is the smallest legal.
        let effA = transA ? (k == 1 ? max(m, 1) : lda) : (m == 1 ? max(k, 1) : lda)
        let effB = transB ? (n == 1 ? max(k, 1) : ldb) : (k == 1 ? max(n, 1) : ldb)
        let effC = m == 1 ? max(n, 1) : ldc
        enum Split { case m, n, k }
        let split: Split?
        if m > limit { split = .m } else if n > limit { split = .n } else if k > limit { split = .k }
        else if effA > limit { split = transA ? .k : .m }
        else if effB > limit { split = transB ? .n : .k }
        else if effC > limit { split = .m }
        else { split = nil }
        guard let split else {
            call?(m, n, k, effA, effB, effC)
            cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), alpha, a, Int32(effA), b, Int32(effB), beta, c, Int32(effC))
            return
        }
        switch split {
        case .m:
            let h = m / 2
            fittedGemm(transA, transB, h, n, k, alpha, a, lda, b, ldb, beta, c, ldc, limit: limit, call: call)
            fittedGemm(transA, transB, m - h, n, k, alpha, transA ? a + h : a + h * lda, lda, b, ldb, beta,
                       c + h * ldc, ldc, limit: limit, call: call)
        case .n:
            let h = n / 2
            fittedGemm(transA, transB, m, h, k, alpha, a, lda, b, ldb, beta, c, ldc, limit: limit, call: call)
            fittedGemm(transA, transB, m, n - h, k, alpha, a, lda, transB ? b + h * ldb : b + h, ldb, beta,
                       c + h, ldc, limit: limit, call: call)
        case .k:
            let h = k / 2
            fittedGemm(transA, transB, m, n, h, alpha, a, lda, b, ldb, beta, c, ldc, limit: limit, call: call)
            fittedGemm(transA, transB, m, n, k - h, alpha, transA ? a + h * lda : a + h, lda,
                       transB ? b + h : b + h * ldb, ldb, 1, c, ldc, limit: limit, call: call)
        }
    }

    /// Sees the values of each library call `fittedGemm` makes (m, n, k, lda, ldb, ldc): tests.
    typealias CallSink = (Int, Int, Int, Int, Int, Int) -> Void
}

/// A 2-D float operand ready for sgemm: a pointer, whether it is transposed, and its leading dimension.
struct GemmOperand {
    let tensor: Tensor      // keeps storage alive
    let ptr: UnsafeMutablePointer<Float>
    let trans: Bool
    let ld: Int

    /// Uses the view directly when it is row- or column-major, else copies. BLAS takes
    /// 32-bit leading dimensions: a view strided past them (`a[::2**31]`) is copied to a
    /// contiguous buffer rather than truncated.
    init(_ t: Tensor) throws {
        let rows = t.shape[0], cols = t.shape[1], limit = Int(Int32.max)
        if t.strides[1] == 1 && (t.strides[0] >= cols || rows <= 1) && max(t.strides[0], cols, 1) <= limit {
            tensor = t; ptr = t.floatPtr; trans = false; ld = max(t.strides[0], cols, 1)
        } else if t.strides[0] == 1 && (t.strides[1] >= rows || cols <= 1) && max(t.strides[1], rows, 1) <= limit {
            tensor = t; ptr = t.floatPtr; trans = true; ld = max(t.strides[1], rows, 1)
        } else {
            let c = try t.contiguous()
            tensor = c; ptr = c.floatPtr; trans = false; ld = max(cols, 1)
        }
    }

    /// BLAS's sizes are 32-bit: a product whose sizes do not fit raises rather than
    /// wrapping.
    static func checkSizes(_ m: Int, _ n: Int, _ k: Int) throws {
        if m > Int(Int32.max) || n > Int(Int32.max) || k > Int(Int32.max) {
            throw TensorError.runtime("matmul: sizes \(m)x\(k) and \(k)x\(n) are past the 2147483647 that BLAS's 32-bit sizes take")
        }
    }
}

extension Tensor {
    /// `mm`: (M×K)·(K×N) for float matrices, with PyTorch's message on a mismatch.
    public static func mm(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.rank == 2, b.rank == 2 else { throw TensorError.shape("self must be a matrix") }
        guard a.shape[1] == b.shape[0] else {
            throw TensorError.shape("mat1 and mat2 shapes cannot be multiplied (\(a.shape[0])x\(a.shape[1]) and \(b.shape[0])x\(b.shape[1]))")
        }
        try requireFloat(a, b, op: "mm")
        if a.dtype != .float32 { return try genericMM(a, b) }
        let m = a.shape[0], k = a.shape[1], n = b.shape[1]
        try GemmOperand.checkSizes(m, n, k)
        let out = try Tensor(zeros: [m, n])
        let A = try GemmOperand(a), B = try GemmOperand(b)
        BLAS.sgemm(transA: A.trans, transB: B.trans, m: m, n: n, k: k, a: A.ptr, lda: A.ld,
                   b: B.ptr, ldb: B.ld, c: out.floatPtr, ldc: max(n, 1))
        return out
    }

    static func requireFloat(_ a: Tensor, _ b: Tensor, op: String) throws {
        if a.dtype != b.dtype || a.dtype == .bool {
            throw TensorError.type("expected m1 and m2 to have the same dtype, but got: \(a.dtype.scalarTypeName) != \(b.dtype.scalarTypeName)")
        }
    }

    /// `matmul` / `@` with PyTorch's rules for 1-D, 2-D and batched operands.
    public static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        if a.rank == 0 || b.rank == 0 {
            throw TensorError.shape("both arguments to matmul need to be at least 1D, but they are \(a.rank)D and \(b.rank)D")
        }
        try requireFloat(a, b, op: "matmul")
        if a.rank == 1 && b.rank == 1 {
            guard a.shape[0] == b.shape[0] else {
                throw TensorError.shape("inconsistent tensor size, expected tensor [\(a.shape[0])] and src [\(b.shape[0])] to have the same number of elements, but got \(a.shape[0]) and \(b.shape[0]) elements respectively")
            }
            return try mm(a.unsqueeze(0), b.unsqueeze(1)).reshape([])
        }
        if a.rank == 2 && b.rank == 1 {
            guard a.shape[1] == b.shape[0] else {
                throw TensorError.shape("size mismatch, got input (\(a.shape[0])), mat (\(a.shape[0])x\(a.shape[1])), vec (\(b.shape[0]))")
            }
            return try mm(a, b.unsqueeze(1)).squeeze(1)
        }
        if a.rank == 1 && b.rank == 2 {
            guard a.shape[0] == b.shape[0] else {
                throw TensorError.shape("mat1 and mat2 shapes cannot be multiplied (1x\(a.shape[0]) and \(b.shape[0])x\(b.shape[1]))")
            }
            return try mm(a.unsqueeze(0), b).squeeze(0)
        }
        if a.rank == 2 && b.rank == 2 { return try mm(a, b) }
        // Batched: a (..., M, K) or (K); b (..., K, N) or (K).
        let aIs1 = a.rank == 1, bIs1 = b.rank == 1
        let A = aIs1 ? try a.unsqueeze(0) : a
        let B = bIs1 ? try b.unsqueeze(1) : b
        let m = A.shape[A.rank - 2], k = A.shape[A.rank - 1]
        let k2 = B.shape[B.rank - 2], n = B.shape[B.rank - 1]
        guard k == k2 else {
            if B.rank == 2 {
                // PyTorch folds the batch into rows and reports the folded matrix.
                let rows = Shape.count(Array(A.shape.dropLast()))
                throw TensorError.shape("mat1 and mat2 shapes cannot be multiplied (\(rows)x\(k) and \(k2)x\(n))")
            }
            throw TensorError.shape("Expected size for first two dimensions of batch2 tensor to be: [\(Shape.count(Array(B.shape.dropLast(2)))), \(k)] but got: [\(Shape.count(Array(B.shape.dropLast(2)))), \(k2)].")
        }
        // Fast path: batched (..., M, K) @ (K, N) folds into one GEMM.
        if B.rank == 2 && A.isContiguous {
            let rows = Shape.count(Array(A.shape.dropLast()))
            var r = try mm(A.reshape([rows, k]), B).reshape(Array(A.shape.dropLast()) + [n])
            if aIs1 { r = try r.squeeze(-2) }
            return r
        }
        let batchA = Array(A.shape.dropLast(2)), batchB = Array(B.shape.dropLast(2))
        let batch = try Shape.broadcast(batchA, batchB)
        let ea = try A.expand(batch + [m, k]).contiguous()
        let eb = try B.expand(batch + [k, n]).contiguous()
        let nb = Shape.count(batch)
        if a.dtype != .float32 {
            var parts: [Tensor] = []
            let fa = try ea.reshape([nb, m, k]), fb = try eb.reshape([nb, k, n])
            for i in 0..<nb { parts.append(try genericMM(try fa.select(dim: 0, index: i), try fb.select(dim: 0, index: i))) }
            var out = try (nb == 0 ? Tensor(zeros: [0, m, n], dtype: a.dtype) : Tensor.stack(parts, dim: 0)).reshape(batch + [m, n])
            if aIs1 { out = try out.squeeze(-2) }
            if bIs1 { out = try out.squeeze(-1) }
            return out
        }
        try GemmOperand.checkSizes(m, n, k)
        var out = try Tensor(zeros: batch + [m, n])
        let pa = ea.floatPtr, pb = eb.floatPtr, po = out.floatPtr
        for i in 0..<nb {
            BLAS.sgemm(transA: false, transB: false, m: m, n: n, k: k, a: pa + i * m * k, lda: max(k, 1),
                       b: pb + i * k * n, ldb: max(n, 1), c: po + i * m * n, ldc: max(n, 1))
        }
        if aIs1 { out = try out.squeeze(-2) }
        if bIs1 { out = try out.squeeze(-1) }
        return out
    }
}

extension Tensor {
    /// `mm` for float64, float16 and integer matrices: OpenBLAS's dgemm on float64
    /// copies, the result converted back (a slower path than float32's).
    static func genericMM(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let m = a.shape[0], k = a.shape[1], n = b.shape[1]
        try GemmOperand.checkSizes(m, n, k)
        let da = try a.to(.float64).contiguous(), db = try b.to(.float64).contiguous()
        let out = try Tensor(zeros: [m, n], dtype: .float64)
        if m > 0 && n > 0 && k > 0 {
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                        da.storage.doubles + da.offset, Int32(max(k, 1)), db.storage.doubles + db.offset,
                        Int32(max(n, 1)), 0, out.storage.doubles, Int32(max(n, 1)))
        }
        return a.dtype == .float64 ? out : try out.to(a.dtype)
    }
}
