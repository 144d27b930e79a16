import CBLAS

extension BLAS {
    /// `torch.linalg.qr(a)` (mode 'reduced') of a float32 matrix m×n: Q (m×k) and the
    /// diagonal of R (k = min(m, n)), through LAPACK's sgeqrf/sorgqr as PyTorch does.
    public static func qrReduced(_ a: Tensor) throws -> (q: Tensor, rDiagonal: [Float]) {
        guard a.rank == 2, a.dtype == .float32 else { throw TensorError.type("qr: a 2-D float32 matrix is needed") }
        let m = a.shape[0], n = a.shape[1], k = Swift.min(m, n)
        guard m > 0, n > 0 else { return (try Tensor(zeros: [m, k]), []) }
        try CIntArgument.check("linalg.qr", ["m": m, "n": n])
        // LAPACK is column-major: the transpose's rows are the columns.
        var col = try a.transpose(0, 1).contiguous().toFloats()
        var tau = [Float](repeating: 0, count: k)
        var mm = Int32(m), nn = Int32(n), kk = Int32(k), lda = Int32(m), info: Int32 = 0
        var query: Float = 0, lwork: Int32 = -1
        sgeqrf_(&mm, &nn, &col, &lda, &tau, &query, &lwork, &info)
        lwork = try workspace(query)
        var work = [Float](repeating: 0, count: Int(lwork))
        sgeqrf_(&mm, &nn, &col, &lda, &tau, &work, &lwork, &info)
        guard info == 0 else { throw TensorError.runtime("linalg.qr: LAPACK sgeqrf failed (info \(info))") }
        let diagonal = (0..<k).map { col[$0 + $0 * m] }
        lwork = -1
        sorgqr_(&mm, &kk, &kk, &col, &lda, &tau, &query, &lwork, &info)
        lwork = try workspace(query)
        work = [Float](repeating: 0, count: Int(lwork))
        sorgqr_(&mm, &kk, &kk, &col, &lda, &tau, &work, &lwork, &info)
        guard info == 0 else { throw TensorError.runtime("linalg.qr: LAPACK sorgqr failed (info \(info))") }
        let q = try Tensor(Array(col.prefix(m * k)), shape: [k, m]).transpose(0, 1).contiguous()
        return (q, diagonal)
    }

    /// LAPACK's workspace query answer (a float) as its lwork argument.
    private static func workspace(_ query: Float) throws -> Int32 {
        guard query.isFinite, query < 2_147_483_648 else {
            throw TensorError.runtime("linalg.qr: The value of lwork(\(query)) is too large to fit into a int (4 bytes)")
        }
        return Int32(Swift.max(1, Int(query)))
    }
}
