#if canImport(Glibc)
import Glibc
#endif

/// PyTorch's CPU sampling kernels (ATen `DistributionTemplates`), drawing from a
/// `Generator` in ATen's order and transforming each draw as ATen does, so that a
/// seeded program gets PyTorch's values bit for bit.
public enum TorchRandom {
    @inline(__always) static func gen(_ g: Generator?) -> Generator { g ?? Generator.default }

    /// `uniform_real<float>`: 24 bits of a 32-bit draw, scaled in float.
    @inline(__always) public static func uniformFloat(_ w: UInt32, _ from: Float, _ span: Float) -> Float {
        CephesAVX.fusedMultiplyAdd(Float(w & 0xFF_FFFF) * (1.0 / 16_777_216.0), span, from)
    }

    /// `uniform_real<double>`: 53 bits of a 64-bit draw.
    @inline(__always) public static func uniformDouble(_ w: UInt64, _ from: Double, _ span: Double) -> Double {
        from.addingProduct(Double(w & 0x1F_FFFF_FFFF_FFFF) * (1.0 / 9_007_199_254_740_992.0), span)
    }

    @inline(__always) public static func uniformDouble(_ g: Generator) -> Double {
        uniformDouble(g.random64(), 0, 1)
    }

    /// `normal_distribution<double>`: Box–Muller on two 53-bit uniforms, the sine half cached.
    @inline(__always) public static func normalDouble(_ g: Generator) -> Double {
        if let c = g.nextDoubleNormal { g.nextDoubleNormal = nil; return c }
        let u1 = uniformDouble(g), u2 = uniformDouble(g)
        let r = (-2.0 * log1p(-u2)).squareRoot()
        let theta = 2.0 * Double.pi * u1
        g.nextDoubleNormal = r * sin(theta)
        return r * cos(theta)
    }

    /// Storage offsets of `t` in the order ATen's nullary kernels fill them: memory order
    /// (dimensions by decreasing stride), which is row-major for contiguous tensors.
    static func fillOrder(_ t: Tensor, _ body: (Int) -> Void) {
        if t.isContiguous {
            // Stops on Ctrl-C (a 4-billion-element fill takes tens of seconds).
            let o = t.offset
            Cancellation.chunks(t.numel) { r in for i in r { body(o + i) } }
            return
        }
        let dims = (0..<t.rank).sorted { a, b in
            t.strides[a] != t.strides[b] ? t.strides[a] > t.strides[b] : a < b
        }
        StridedLoop.run(shape: dims.map { t.shape[$0] }, strides: dims.map { t.strides[$0] }, offset: t.offset, body)
    }

    /// Writes one value per element in fill order, converting to the tensor's dtype.
    static func fill(_ t: Tensor, _ next: () -> Double) {
        switch t.dtype {
        case .float32: let p = t.storage.floats; fillOrder(t) { p[$0] = Float(next()) }
        case .int64: let p = t.storage.ints; fillOrder(t) { p[$0] = Int64(next()) }
        case .bool: let p = t.storage.bools; fillOrder(t) { p[$0] = next() != 0 }
        case .float64: let p = t.storage.doubles; fillOrder(t) { p[$0] = next() }
        case .float16: let p = t.storage.halves; fillOrder(t) { p[$0] = Float16(next()) }
        case .int32: let p = t.storage.int32s; fillOrder(t) { p[$0] = Int32(truncatingIfNeeded: Int64(next())) }
        case .uint8: let p = t.storage.uint8s; fillOrder(t) { p[$0] = UInt8(truncatingIfNeeded: Int64(next())) }
        }
    }

    public static func typeName(_ d: DType) -> String { d.scalarTypeName }

    static func requireFloat(_ t: Tensor, _ op: String) throws {
        guard t.dtype == .float32 || t.dtype == .float64 else {
            throw TensorError.runtime("\"\(op)\" not implemented for '\(typeName(t.dtype))'")
        }
        try t.checkNoInternalOverlap()
    }

    /// A double as C++'s `<<` prints it (six significant digits).
    static func cpp(_ x: Double) -> String {
        if x == x.rounded(), Swift.abs(x) < 1e15 { return String(Int64(x)) }
        return formatG6(x)
    }

    static func formatG6(_ x: Double) -> String {
        var buf = [CChar](repeating: 0, count: 64)
        _ = withVaList([x]) { vsnprintf(&buf, 64, "%g", $0) }
        return String(cString: buf)
    }

    // MARK: uniform_, normal_

    /// `t.uniform_(from, to)`.
    public static func uniform_(_ t: Tensor, from: Double = 0, to: Double = 1, generator: Generator? = nil) throws {
        defer { t.bumpVersion() }   // an in-place write: autograd's saved-tensor check sees it
        try requireFloat(t, "uniform_")
        guard from <= to else {
            throw TensorError.runtime("uniform_ expects to return a [from, to) range, but found from=\(cpp(from)) > to=\(cpp(to))")
        }
        let g = gen(generator)
        if t.dtype == .float64 {
            // uniform_real<double>: 53 bits of one 64-bit draw per element.
            let p = t.storage.doubles, span = to - from
            fillOrder(t) { p[$0] = uniformDouble(g.random64(), from, span) }
            return
        }
        let lo = Float(from), span = Float(to) - Float(from)
        let p = t.storage.floats
        if t.isContiguous {
            let q = p + t.offset
            g.withEngine { e in
                Cancellation.chunks(t.numel) { r in for i in r { q[i] = uniformFloat(e.next(), lo, span) } }
            }
        } else {
            g.withEngine { e in fillOrder(t) { p[$0] = uniformFloat(e.next(), lo, span) } }
        }
    }

    /// `t.normal_(mean, std)`: float tensors of 16+ contiguous elements take the
    /// 16-at-a-time AVX2 Box–Muller path; the rest draw one double normal each.
    public static func normal_(_ t: Tensor, mean: Double = 0, std: Double = 1, generator: Generator? = nil) throws {
        defer { t.bumpVersion() }   // an in-place write: autograd's saved-tensor check sees it
        try requireFloat(t, "normal_kernel_cpu")
        guard std >= 0 else { throw TensorError.runtime("normal expects std >= 0.0, but found std \(cpp(std))") }
        let g = gen(generator)
        let n = t.numel
        if n >= 16 && t.isContiguous && t.dtype == .float64 {
            // ATen's generic normal_fill: 53-bit uniforms, Box–Muller 16 at a time in double.
            let d = t.storage.doubles + t.offset
            guard Cancellation.chunks(n, { r in for i in r { d[i] = uniformDouble(g) } }) else { return }
            var i = 0
            while i + 16 <= n { normalFill16(d + i, mean: mean, std: std); i += 16 }
            if n % 16 != 0 {
                let tail = d + n - 16
                for k in 0..<16 { tail[k] = uniformDouble(g) }
                normalFill16(tail, mean: mean, std: std)
            }
            return
        }
        if n >= 16 && t.isContiguous {
            let d = t.floatPtr
            let m = Float(mean), s = Float(std)
            g.withEngine { e in
                guard Cancellation.chunks(n, { r in for i in r { d[i] = uniformFloat(e.next(), 0, 1) } }) else { return }
                var i = 0
                while i + 16 <= n { CephesAVX.normalFill16(d + i, mean: m, std: s); i += 16 }
                if n % 16 != 0 {
                    let tail = d + n - 16
                    for k in 0..<16 { tail[k] = uniformFloat(e.next(), 0, 1) }
                    CephesAVX.normalFill16(tail, mean: m, std: s)
                }
            }
            return
        }
        fill(t) { mean.addingProduct(normalDouble(g), std) }
    }

    /// `normal_fill_16<double>`: data[0..<8] and data[8..<16] hold uniforms on [0, 1).
    static func normalFill16(_ d: UnsafeMutablePointer<Double>, mean: Double, std: Double) {
        for j in 0..<8 {
            let u1 = 1 - d[j], u2 = d[j + 8]
            let radius = (-2 * log(u1)).squareRoot()
            let theta = 2.0 * Double.pi * u2
            d[j] = mean.addingProduct(radius * cos(theta), std)
            d[j + 8] = mean.addingProduct(radius * sin(theta), std)
        }
    }

    // MARK: random_

    /// `t.random_(from, to)`; `to` nil means up to the dtype's largest exact integer, inclusive.
    public static func random_(_ t: Tensor, from: Int64, to: Int64?, generator: Generator? = nil) throws {
        defer { t.bumpVersion() }   // an in-place write: autograd's saved-tensor check sees it
        guard let to else {
            let top: Int64 = t.dtype == .float32 ? 1 << 24 : t.dtype == .bool ? 1 : Int64.max
            if t.dtype == .int64 && from == Int64.min {
                let g = gen(generator), p = t.storage.ints
                fillOrder(t) { p[$0] = Int64(bitPattern: g.random64()) }
                return
            }
            guard from <= top else {
                throw TensorError.runtime("random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' casted to dtype, but got from=\(from) > to_inc=\(top)")
            }
            randomFromTo(t, range: UInt64(bitPattern: top &- from) &+ 1, base: from, generator: generator)
            return
        }
        guard from < to else {
            throw TensorError.runtime("random_ expects 'from' to be less than 'to', but got from=\(from) >= to=\(to)")
        }
        randomFromTo(t, range: UInt64(bitPattern: to &- from), base: from, generator: generator)
    }

    /// `uniform_int_from_to_distribution`: (draw % range) + base, with a 64-bit draw
    /// when the range needs one.
    static func randomFromTo(_ t: Tensor, range: UInt64, base: Int64, generator: Generator?) {
        let g = gen(generator)
        let wide = range >= 1 << 32 && t.dtype != .bool
        @inline(__always) func draw() -> Int64 {
            let w: UInt64 = wide ? g.random64() : UInt64(g.random())
            return Int64(bitPattern: (w % range) &+ UInt64(bitPattern: base))
        }
        switch t.dtype {
        case .float32: let p = t.storage.floats; fillOrder(t) { p[$0] = Float(draw()) }
        case .int64: let p = t.storage.ints; fillOrder(t) { p[$0] = draw() }
        case .bool: let p = t.storage.bools; fillOrder(t) { p[$0] = draw() != 0 }
        case .float64, .float16, .int32, .uint8: fill(t) { Double(draw()) }
        }
    }

    /// `t.random_()`: [0, 2^mantissa] for floats, [0, int64 max] for int64, {0, 1} for bool.
    public static func random_(_ t: Tensor, generator: Generator? = nil) throws {
        defer { t.bumpVersion() }   // an in-place write: autograd's saved-tensor check sees it
        let g = gen(generator)
        switch t.dtype {
        case .float32:
            let p = t.storage.floats
            fillOrder(t) { p[$0] = Float(g.random() % (1 << 24 + 1)) }
        case .int64:
            let p = t.storage.ints
            fillOrder(t) { p[$0] = Int64(bitPattern: g.random64() % (UInt64(Int64.max) + 1)) }
        case .bool:
            let p = t.storage.bools
            fillOrder(t) { p[$0] = g.random() & 1 != 0 }
        case .float64: fill(t) { Double(g.random64() % ((1 << 53) + 1)) }
        case .float16: fill(t) { Double(g.random() % ((1 << 11) + 1)) }
        case .int32: fill(t) { Double(g.random() % (UInt32(Int32.max) + 1)) }
        case .uint8: fill(t) { Double(g.random() % 256) }
        }
    }
}
