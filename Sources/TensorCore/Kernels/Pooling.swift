/// Parameters of `max_pool2d` / `avg_pool2d` (`stride` nil means the kernel size).
public struct Pool2dParams: Sendable {
    public var kernel: (Int, Int)
    public var stride: (Int, Int)
    public var padding: (Int, Int)
    public var dilation: (Int, Int)
    public var ceilMode: Bool

    public init(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                dilation: (Int, Int) = (1, 1), ceilMode: Bool = false) {
        self.kernel = kernel
        self.stride = stride ?? kernel
        self.padding = padding
        self.dilation = dilation
        self.ceilMode = ceilMode
    }
}

/// What a pooling window reduces to.
enum PoolReduction {
    case max
    /// Average; `countIncludePad` divides by the window clipped to the padded input,
    /// otherwise by the elements inside the input; `divisor` overrides both.
    case avg(countIncludePad: Bool, divisor: Int?)
}

/// Window bounds along one axis for every output position: valid input
/// indices start, start+step, ... below end; `padded` is the window's extent
/// clipped to the padded input (for `count_include_pad`).
struct PoolAxis {
    var start: [Int] = []
    var end: [Int] = []
    var padded: [Int] = []
    var step = 1

    /// Windows of a strided, padded, dilated pooling.
    init(input: Int, output: Int, kernel: Int, stride: Int, pad: Int, dilation: Int) {
        step = dilation
        for o in 0..<output {
            let raw = o * stride - pad
            var s = raw
            if s < 0 { s += ((-s + dilation - 1) / dilation) * dilation }
            start.append(s)
            end.append(Swift.min(raw + (kernel - 1) * dilation + 1, input))
            padded.append(Swift.min(raw + kernel, input + pad) - raw)
        }
    }

    /// Adaptive windows: [floor(i·In/Out), ceil((i+1)·In/Out)).
    init(adaptiveInput input: Int, output: Int) {
        for i in 0..<output {
            start.append(i * input / output)
            end.append(((i + 1) * input + output - 1) / output)
            padded.append(end[i] - start[i])
        }
    }
}

extension Kernels {
    /// PyTorch's pooled size along one axis (`pooling_output_shape`), with its checks.
    public static func poolOutputSize(input: Int, kernel: Int, pad: Int, stride: Int, dilation: Int, ceilMode: Bool) throws -> Int {
        if stride == 0 { throw TensorError.runtime("stride should not be zero") }
        if pad < 0 { throw TensorError.value("pad must be non-negative, but got pad: \(pad)") }
        if pad > ((kernel - 1) * dilation + 1) / 2 {
            throw TensorError.value("pad should be at most half of effective kernel size, but got pad=\(pad), kernel_size=\(kernel) and dilation=\(dilation)")
        }
        let numerator = input + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0)
        // Division rounding toward −∞, as div_rtn.
        var out = (numerator >= 0 ? numerator / stride : -((-numerator + stride - 1) / stride)) + 1
        if ceilMode && (out - 1) * stride >= input + pad { out -= 1 }
        return out
    }

    /// `F.max_pool2d(..., return_indices=True)`: values and int64 indices (h·W + w within each plane).
    public static func maxPool2d(_ input: Tensor, _ p: Pool2dParams) throws -> (values: Tensor, indices: Tensor) {
        let (v, i) = try pool2d(input, p, .max)
        guard let i else { throw TensorError.value("max_pool2d: internal error: no indices") }
        return (v, i)
    }

    /// `F.max_pool2d(...)` values only (no index bookkeeping), as `nn.MaxPool2d` without `return_indices`.
    public static func maxPool2dValues(_ input: Tensor, _ p: Pool2dParams) throws -> Tensor {
        try pool2d(input, p, .max, indices: false).0
    }

    /// `F.avg_pool2d(input, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)`.
    public static func avgPool2d(_ input: Tensor, _ p: Pool2dParams, countIncludePad: Bool = true,
                                 divisorOverride: Int? = nil) throws -> Tensor {
        if let d = divisorOverride, d == 0 { throw TensorError.value("divisor must be not zero") }
        return try pool2d(input, p, .avg(countIncludePad: countIncludePad, divisor: divisorOverride)).0
    }

    static func pool2d(_ input: Tensor, _ p: Pool2dParams, _ reduction: PoolReduction,
                       indices: Bool = true) throws -> (Tensor, Tensor?) {
        guard input.rank == 3 || input.rank == 4 else {
            throw TensorError.shape("non-empty 3D or 4D (batch mode) tensor expected for input")
        }
        let (kh, kw) = p.kernel, (sh, sw) = p.stride, (dh, dw) = p.dilation
        try checkArguments([kh, kw, sh, sw, dh, dw, p.padding.0, p.padding.1], "pooling argument")
        let c = input.shape[input.rank - 3], h = input.shape[input.rank - 2], w = input.shape[input.rank - 1]
        let oh = try poolOutputSize(input: h, kernel: kh, pad: p.padding.0, stride: sh, dilation: dh, ceilMode: p.ceilMode)
        let ow = try poolOutputSize(input: w, kernel: kw, pad: p.padding.1, stride: sw, dilation: dw, ceilMode: p.ceilMode)
        guard kh > 0, kw > 0 else { throw TensorError.value("kernel size should be greater than zero, but got kH: \(kh) kW: \(kw)") }
        guard sh > 0, sw > 0 else { throw TensorError.value("stride should be greater than zero, but got dH: \(sh) dW: \(sw)") }
        guard dh > 0, dw > 0 else {
            throw TensorError.value("dilation should be greater than zero, but got dilationH: \(dh) dilationW: \(dw)")
        }
        guard c != 0, h != 0, w != 0, input.rank == 4 || input.shape[0] != 0 else {
            throw TensorError.shape("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:\(sizes(input.shape))")
        }
        guard oh >= 1, ow >= 1 else {
            throw TensorError.shape("Given input size: (\(c)x\(h)x\(w)). Calculated output size: (\(c)x\(oh)x\(ow)). Output size is too small")
        }
        try checkAllocation(Array(input.shape.dropLast(2)) + [oh, ow])
        let rows = PoolAxis(input: h, output: oh, kernel: kh, stride: sh, pad: p.padding.0, dilation: dh)
        let cols = PoolAxis(input: w, output: ow, kernel: kw, stride: sw, pad: p.padding.1, dilation: dw)
        return try runPool(input, rows: rows, cols: cols, reduction, indices: indices)
    }

    /// `F.adaptive_avg_pool2d(input, (oh, ow))`.
    public static func adaptiveAvgPool2d(_ input: Tensor, outputSize: (Int, Int)) throws -> Tensor {
        try adaptivePool(input, outputSize, .avg(countIncludePad: false, divisor: nil), name: "adaptive_avg_pool2d").0
    }

    /// `F.adaptive_max_pool2d(input, (oh, ow), return_indices=True)`.
    public static func adaptiveMaxPool2d(_ input: Tensor, outputSize: (Int, Int)) throws -> (values: Tensor, indices: Tensor) {
        let (v, i) = try adaptivePool(input, outputSize, .max, name: "adaptive_max_pool2d")
        guard let i else { throw TensorError.value("adaptive_max_pool2d: internal error: no indices") }
        return (v, i)
    }

    static func adaptivePool(_ input: Tensor, _ size: (Int, Int), _ r: PoolReduction, name: String) throws -> (Tensor, Tensor?) {
        guard input.rank == 3 || input.rank == 4 else {
            throw TensorError.shape("\(name)(): Expected 3D or 4D tensor, but got: \(sizes(input.shape))")
        }
        for d in 1..<input.rank where input.shape[d] == 0 {
            throw TensorError.shape("\(name)(): Expected input to have non-zero size for non-batch dimensions, but input has sizes \(sizes(input.shape)) with dimension \(d) being empty")
        }
        guard size.0 >= 0, size.1 >= 0 else {
            throw TensorError.runtime("\(name): elements of output_size must be greater than or equal to 0 but received {\(size.0), \(size.1)}")
        }
        try checkAllocation(Array(input.shape.dropLast(2)) + [size.0, size.1])
        let h = input.shape[input.rank - 2], w = input.shape[input.rank - 1]
        return try runPool(input, rows: PoolAxis(adaptiveInput: h, output: size.0),
                           cols: PoolAxis(adaptiveInput: w, output: size.1), r)
    }

    /// The one pooling loop: every (batch, channel) plane, every window, one reduction.
    static func runPool(_ input: Tensor, rows: PoolAxis, cols: PoolAxis, _ reduction: PoolReduction,
                        indices wantIndices: Bool = true) throws -> (Tensor, Tensor?) {
        let x = try floatContiguous(input)
        let h = x.shape[x.rank - 2], w = x.shape[x.rank - 1]
        let oh = rows.start.count, ow = cols.start.count
        let outShape = Array(x.shape.dropLast(2)) + [oh, ow]
        let planes = Shape.count(Array(x.shape.dropLast(2)))
        let out = try Tensor(uninitialized: outShape)  // every window writes its element
        var isMax = false, includePad = false, divisor: Int?
        switch reduction {
        case .max: isMax = true
        case .avg(let inc, let d): includePad = inc; divisor = d
        }
        let indices = isMax && wantIndices ? try Tensor(uninitialized: outShape, dtype: .int64) : nil
        let xp = x.floatPtr, op = out.floatPtr, ip = indices?.intPtr
        let rs = rows.step, cs = cols.step
        let minPlanes = max(1, 16_384 / max(1, h * w))
        if isMax && ip == nil && rs == 1 && cs == 1 {
            maxPoolValues(xp, op, planes: planes, h: h, w: w, rows: rows, cols: cols, minPlanes: minPlanes)
            return (out, nil)
        }
        if isMax, let ip, rs == 1 && cs == 1 && h * w < Int(Int32.max) {
            maxPoolIndices(xp, op, ip, planes: planes, h: h, w: w, rows: rows, cols: cols, minPlanes: minPlanes)
            return (out, indices)
        }
        rows.start.withUnsafeBufferPointer { r0 in rows.end.withUnsafeBufferPointer { r1 in
        cols.start.withUnsafeBufferPointer { c0 in cols.end.withUnsafeBufferPointer { c1 in
            Parallel.forEach(planes, minPerThread: minPlanes) { plane in
                let src = xp + plane * h * w, dst = op + plane * oh * ow
                for oy in 0..<oh {
                    let y0 = r0[oy], y1 = r1[oy]
                    for ox in 0..<ow {
                        let x0 = c0[ox], x1 = c1[ox]
                        if let ip {
                            var best = -Float.infinity, bestIndex = y0 * w + x0
                            var y = y0
                            while y < y1 {
                                var xx = x0
                                while xx < x1 {
                                    let v = src[y * w + xx]
                                    if v > best || v.isNaN { best = v; bestIndex = y * w + xx }
                                    xx += cs
                                }
                                y += rs
                            }
                            dst[oy * ow + ox] = best
                            ip[plane * oh * ow + oy * ow + ox] = Int64(bestIndex)
                        } else if isMax {
                            var best = -Float.infinity, y = y0
                            while y < y1 {
                                let row = src + y * w
                                var xx = x0
                                while xx < x1 {
                                    let v = row[xx]
                                    best = v > best || v.isNaN ? v : best
                                    xx += cs
                                }
                                y += rs
                            }
                            dst[oy * ow + ox] = best
                        } else {
                            if y0 >= y1 || x0 >= x1 { dst[oy * ow + ox] = 0; continue }
                            var sum: Float = 0
                            for y in y0..<y1 {
                                let row = src + y * w
                                for xx in x0..<x1 { sum += row[xx] }
                            }
                            let count = divisor ?? (includePad ? rows.padded[oy] * cols.padded[ox] : (y1 - y0) * (x1 - x0))
                            dst[oy * ow + ox] = sum / Float(count)
                        }
                    }
                }
            }
        }}}}
        return (out, indices)
    }

    /// Max pooling without indices or dilation: per output row, the column-wise max over the
    /// window's input rows (contiguous, vectorised), then each window's max along that row.
    /// NaN wins every comparison, as in PyTorch.
    static func maxPoolValues(_ xp: UnsafeMutablePointer<Float>, _ op: UnsafeMutablePointer<Float>, planes: Int,
                              h: Int, w: Int, rows: PoolAxis, cols: PoolAxis, minPlanes: Int) {
        let oh = rows.start.count, ow = cols.start.count
        @inline(__always) func nanMax(_ a: Float, _ b: Float) -> Float { (a > b || a != a) ? a : b }
        Parallel.forEach(planes, minPerThread: minPlanes) { plane in
            let src = xp + plane * h * w, dst = op + plane * oh * ow
            withUnsafeTemporaryAllocation(of: Float.self, capacity: max(w, 1)) { buf in
                guard let colMax = buf.baseAddress else { return }
                for oy in 0..<oh {
                    let y0 = rows.start[oy], y1 = rows.end[oy]
                    if y0 >= y1 {
                        for x in 0..<w { colMax[x] = -Float.infinity }
                    } else {
                        let first = src + y0 * w
                        for x in 0..<w { colMax[x] = first[x] }
                        for y in (y0 + 1)..<max(y0 + 1, y1) {
                            let row = src + y * w
                            for x in 0..<w { colMax[x] = nanMax(row[x], colMax[x]) }
                        }
                    }
                    let d = dst + oy * ow
                    for ox in 0..<ow {
                        var best = -Float.infinity
                        for x in cols.start[ox]..<max(cols.start[ox], cols.end[ox]) { best = nanMax(colMax[x], best) }
                        d[ox] = best
                    }
                }
            }
        }
    }

    /// Max pooling with indices, without dilation (what training runs): per output row, each
    /// input column's max over the window's rows and its index, then each window's best column.
    /// Picks what the row-major scan of `runPool` picks: the first of equal maxima (the smaller
    /// index), and the last NaN (NaN wins every comparison).
    static func maxPoolIndices(_ xp: UnsafeMutablePointer<Float>, _ op: UnsafeMutablePointer<Float>,
                               _ ip: UnsafeMutablePointer<Int64>, planes: Int, h: Int, w: Int, rows: PoolAxis,
                               cols: PoolAxis, minPlanes: Int) {
        let oh = rows.start.count, ow = cols.start.count
        let lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        // Windows of columns (2·ox, 2·ox + 1) — kernel 2, stride 2, LeNet's pools: eight windows
        // at a time from the column maxima, branch-free (the scalar loop below mispredicted on
        // every other window and took a fifth of a LeNet training step). Columns past the
        // image in the last vector are padded and their windows not stored.
        let pairs = ow > 0 && (0..<ow).allSatisfy { cols.start[$0] == 2 * $0 && cols.end[$0] == 2 * $0 + 2 }
        let vectorWindows = pairs ? (ow + 7) / 8 : 0
        let capacity = max(w, 16 * vectorWindows, 1)
        Parallel.forEach(planes, minPerThread: minPlanes) { plane in
            let src = xp + plane * h * w, dst = op + plane * oh * ow, idx = ip + plane * oh * ow
            withUnsafeTemporaryAllocation(of: Float.self, capacity: capacity) { vbuf in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: capacity) { ibuf in
                guard let colMax = vbuf.baseAddress, let colArg = ibuf.baseAddress else { return }
                let rawMax = UnsafeMutableRawPointer(colMax), rawArg = UnsafeMutableRawPointer(colArg)
                for oy in 0..<oh {
                    let y0 = rows.start[oy], y1 = rows.end[oy]
                    if y0 >= y1 {
                        for x in 0..<w { colMax[x] = -Float.infinity; colArg[x] = Int32(y0 * w + x) }
                    } else {
                        let first = src + y0 * w
                        for x in 0..<w { colMax[x] = first[x]; colArg[x] = Int32(y0 * w + x) }
                        for y in (y0 + 1)..<max(y0 + 1, y1) {
                            let row = src + y * w
                            var x = 0
                            // Eight columns at a time: replace where the row's value is larger or NaN.
                            while x + 8 <= w {
                                let v = UnsafeRawPointer(row + x).loadUnaligned(as: SIMD8<Float>.self)
                                let m = rawMax.loadUnaligned(fromByteOffset: 4 * x, as: SIMD8<Float>.self)
                                let a = rawArg.loadUnaligned(fromByteOffset: 4 * x, as: SIMD8<Int32>.self)
                                let take = (v .> m) .| (v .!= v)
                                rawMax.storeBytes(of: m.replacing(with: v, where: take), toByteOffset: 4 * x, as: SIMD8<Float>.self)
                                let here = SIMD8<Int32>(repeating: Int32(y * w + x)) &+ lanes
                                rawArg.storeBytes(of: a.replacing(with: here, where: take), toByteOffset: 4 * x, as: SIMD8<Int32>.self)
                                x += 8
                            }
                            while x < w {
                                let v = row[x]
                                if v > colMax[x] || v != v { colMax[x] = v; colArg[x] = Int32(y * w + x) }
                                x += 1
                            }
                        }
                    }
                    if vectorWindows > 0 {
                        for x in w..<capacity { colMax[x] = -Float.infinity; colArg[x] = 0 }
                        for k in 0..<vectorWindows {
                            let m = rawMax.loadUnaligned(fromByteOffset: 64 * k, as: SIMD16<Float>.self)
                            let a = rawArg.loadUnaligned(fromByteOffset: 64 * k, as: SIMD16<Int32>.self)
                            let best = m.evenHalf, v = m.oddHalf, bi = a.evenHalf, i = a.oddHalf
                            // The scalar rule below: larger, or equal with a smaller index, or NaN
                            // (over a number, or over a NaN with a smaller index).
                            let better = (v .> best) .| ((v .== best) .& (i .< bi))
                                .| ((v .!= v) .& ((best .== best) .| (i .> bi)))
                            let value = best.replacing(with: v, where: better), index = bi.replacing(with: i, where: better)
                            for l in 0..<min(8, ow - 8 * k) {
                                dst[oy * ow + 8 * k + l] = value[l]
                                idx[oy * ow + 8 * k + l] = Int64(index[l])
                            }
                        }
                        continue
                    }
                    for ox in 0..<ow {
                        let x0 = cols.start[ox], x1 = cols.end[ox]
                        var best = -Float.infinity, bestIndex = Int32(y0 * w + x0)
                        if x0 < x1 { best = colMax[x0]; bestIndex = colArg[x0] }
                        var x = x0 + 1
                        while x < x1 {
                            let v = colMax[x], i = colArg[x]
                            let better = v > best || (v == best && i < bestIndex) || (v != v && (best == best || i > bestIndex))
                            best = better ? v : best
                            bestIndex = better ? i : bestIndex
                            x += 1
                        }
                        dst[oy * ow + ox] = best
                        idx[oy * ow + ox] = Int64(bestIndex)
                    }
                }
            }}
        }
    }

    /// `F.max_unpool2d(input, indices, kernel, stride, padding, output_size)`: scatters each
    /// value to its index in a zero output of the default (or given) size.
    public static func maxUnpool2d(_ input: Tensor, _ indices: Tensor, kernel: (Int, Int), stride: (Int, Int)? = nil,
                                   padding: (Int, Int) = (0, 0), outputSize: [Int]? = nil) throws -> Tensor {
        guard input.rank >= 2 else {
            throw TensorError.index("Dimension out of range (expected to be in range of [-\(max(input.rank, 1)), \(max(input.rank, 1) - 1)], but got -2)")
        }
        let st = stride ?? kernel
        try checkArguments([kernel.0, kernel.1, st.0, st.1, padding.0, padding.1] + (outputSize ?? []), "max_unpool2d argument")
        let h = input.shape[input.rank - 2], w = input.shape[input.rank - 1]
        let defaults = [(h - 1) * st.0 + kernel.0 - 2 * padding.0, (w - 1) * st.1 + kernel.1 - 2 * padding.1]
        var size = defaults
        if var given = outputSize {
            if given.count == 4 { given = Array(given.suffix(2)) }
            guard given.count == 2 else {
                throw TensorError.value("output_size should be a sequence containing 2 or 4 elements, but it has a length of '\(given.count)'")
            }
            let strides = [st.0, st.1]
            for d in 0..<2 {
                let lo = defaults[d] - strides[d], hi = defaults[d] + strides[d]
                guard lo < given[d] && given[d] < hi else {
                    throw TensorError.value("invalid output_size \"\(sizes(outputSize ?? []))\" (dim \(d) must be between \(lo) and \(hi))")
                }
            }
            size = given
        }
        guard indices.dtype == .int64 else {
            throw TensorError.type("elements in indices should be type int64 but got: \(scalarName(indices.dtype))")
        }
        guard input.rank == 3 || input.rank == 4 else {
            throw TensorError.shape("Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with \(input.rank) dimensions.")
        }
        guard input.shape == indices.shape else {
            throw TensorError.shape("Expected shape of indices to be same as that of the input tensor (\(sizes(input.shape))) but got indices tensor with shape: \(sizes(indices.shape))")
        }
        for d in 1..<input.rank where input.shape[d] == 0 {
            throw TensorError.shape("max_unpooling2d_forward_out_cpu(): Expected input to have non-zero size for non-batch dimensions, but got \(sizes(input.shape)) with dimension \(d) being empty.")
        }
        let x = try floatContiguous(input), idx = try indices.contiguous()
        let oh = size[0], ow = size[1]
        let out = try Tensor(zeros: Array(x.shape.dropLast(2)) + [oh, ow])
        let planes = Shape.count(Array(x.shape.dropLast(2))), inPlane = h * w, outPlane = oh * ow
        let xp = x.floatPtr, ip = idx.intPtr, op = out.floatPtr
        for plane in 0..<planes {
            for i in 0..<inPlane {
                let j = ip[plane * inPlane + i]
                guard j >= 0 && j < Int64(outPlane) else {
                    throw TensorError.runtime("Found an invalid max index: \(j) (output volumes are of size \(oh)x\(ow))")
                }
                op[plane * outPlane + Int(j)] = xp[plane * inPlane + i]
            }
        }
        return out
    }
}
