/// Shape rules and the im2col/col2im loops shared by convolution and
/// transposed convolution. A "grid" is the set of kernel positions (the conv
/// output, or the transposed conv input); an "image" is what the kernel reads
/// from (the conv input) or writes into (the transposed conv output).
struct ConvGeometry {
    var channels: Int          // image channels in one group
    var imageH: Int, imageW: Int
    var gridH: Int, gridW: Int
    var kh: Int, kw: Int
    var sh: Int, sw: Int
    var dh: Int, dw: Int
    var padTop: Int, padLeft: Int

    var rows: Int { channels * kh * kw }
    var gridSize: Int { gridH * gridW }

    /// Grid columns x (half-open) for which image column x*sw + off lies inside the image.
    @inline(__always) static func validRange(off: Int, stride: Int, grid: Int, image: Int) -> (Int, Int) {
        let lo = off >= 0 ? 0 : (-off + stride - 1) / stride
        let last = image - 1 - off
        let hi = last < 0 ? 0 : Swift.min(grid, last / stride + 1)
        return (Swift.min(lo, grid), Swift.max(hi, Swift.min(lo, grid)))
    }

    /// dst[x] = src[x·stride] for x in lo..<hi. Stride 2 (every strided stem and
    /// downsampling conv) takes the even half of eight floats at a time; it reads no
    /// further than src[2·(hi − 1)], as the scalar loop does.
    @inline(__always)
    static func gather(_ src: UnsafePointer<Float>, stride: Int, from lo: Int, to hi: Int, into dst: UnsafeMutablePointer<Float>) {
        var x = lo
        if stride == 2 {
            let raw = UnsafeRawPointer(src), out = UnsafeMutableRawPointer(dst)
            while x + 4 < hi {
                let v = raw.loadUnaligned(fromByteOffset: 8 * x, as: SIMD8<Float>.self)
                out.storeBytes(of: v.evenHalf, toByteOffset: 4 * x, as: SIMD4<Float>.self)
                x += 4
            }
        }
        while x < hi { dst[x] = src[x * stride]; x += 1 }
    }

    /// Fills row `r` (channel, ki, kj) of the column matrix from an image of
    /// `channels` planes: col[r, y*gridW + x] = image[c, y*sh - padTop + ki*dh, x*sw - padLeft + kj*dw], 0 outside.
    @inline(__always)
    func im2colRow(_ r: Int, image: UnsafePointer<Float>, col: UnsafeMutablePointer<Float>) {
        let kj = r % kw, ki = (r / kw) % kh, c = r / (kw * kh)
        let dst = col + r * gridSize
        let plane = image + c * imageH * imageW
        let colOff = kj * dw - padLeft
        let (lo, hi) = ConvGeometry.validRange(off: colOff, stride: sw, grid: gridW, image: imageW)
        for y in 0..<gridH {
            let d = dst + y * gridW
            let iy = y * sh - padTop + ki * dh
            if iy < 0 || iy >= imageH {
                d.update(repeating: 0, count: gridW)
                continue
            }
            let s = plane + iy * imageW + colOff
            if lo > 0 { d.update(repeating: 0, count: lo) }
            if sw == 1 {
                if hi > lo { (d + lo).update(from: s + lo, count: hi - lo) }
            } else {
                ConvGeometry.gather(s, stride: sw, from: lo, to: hi, into: d)
            }
            if hi < gridW { (d + hi).update(repeating: 0, count: gridW - hi) }
        }
    }

    /// Grid positions [p0, p1) (row-major over the grid) of column-matrix row `r`,
    /// written contiguously to `dst`: one tile of im2col.
    @inline(__always)
    func im2colTileRow(_ r: Int, p0: Int, p1: Int, image: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) {
        let kj = r % kw, ki = (r / kw) % kh, c = r / (kw * kh)
        let plane = image + c * imageH * imageW
        let colOff = kj * dw - padLeft
        let (lo, hi) = ConvGeometry.validRange(off: colOff, stride: sw, grid: gridW, image: imageW)
        var p = p0, d = dst
        while p < p1 {
            let y = p / gridW, xs = p - y * gridW
            let xe = Swift.min(gridW, xs + (p1 - p)), count = xe - xs
            let iy = y * sh - padTop + ki * dh
            let a = Swift.max(lo, xs), b = Swift.min(hi, xe)
            if iy < 0 || iy >= imageH || b <= a {
                d.update(repeating: 0, count: count)
            } else {
                let s = plane + iy * imageW + colOff
                if a > xs { d.update(repeating: 0, count: a - xs) }
                if sw == 1 {
                    (d + (a - xs)).update(from: s + a, count: b - a)
                } else {
                    ConvGeometry.gather(s, stride: sw, from: a, to: b, into: d - xs)
                }
                if b < xe { (d + (b - xs)).update(repeating: 0, count: xe - b) }
            }
            d += count
            p += count
        }
    }

    /// The whole column matrix (rows × gridSize), split over threads when large.
    func im2col(image: UnsafePointer<Float>, col: UnsafeMutablePointer<Float>, parallel: Bool) {
        let rows = self.rows
        if parallel && rows * gridSize >= 1 << 15 {
            Parallel.forEach(rows) { r in im2colRow(r, image: image, col: col) }
        } else {
            for r in 0..<rows { im2colRow(r, image: image, col: col) }
        }
    }

    /// Adds every row of the column matrix back into image channel `c`:
    /// the adjoint of `im2col` for that channel.
    @inline(__always)
    func col2imChannel(_ c: Int, col: UnsafePointer<Float>, image: UnsafeMutablePointer<Float>) {
        let plane = image + c * imageH * imageW
        for ki in 0..<kh {
            for kj in 0..<kw {
                let src = col + ((c * kh + ki) * kw + kj) * gridSize
                let colOff = kj * dw - padLeft
                let (lo, hi) = ConvGeometry.validRange(off: colOff, stride: sw, grid: gridW, image: imageW)
                if hi <= lo { continue }
                for y in 0..<gridH {
                    let iy = y * sh - padTop + ki * dh
                    if iy < 0 || iy >= imageH { continue }
                    let d = plane + iy * imageW + colOff
                    let s = src + y * gridW
                    var x = lo
                    if sw == 1 {
                        while x < hi { d[x] += s[x]; x += 1 }
                    } else {
                        while x < hi { d[x * sw] += s[x]; x += 1 }
                    }
                }
            }
        }
    }

    func col2im(col: UnsafePointer<Float>, image: UnsafeMutablePointer<Float>, parallel: Bool) {
        if parallel && rows * gridSize >= 1 << 15 {
            Parallel.forEach(channels) { c in col2imChannel(c, col: col, image: image) }
        } else {
            for c in 0..<channels { col2imChannel(c, col: col, image: image) }
        }
    }
}

extension Kernels {
    /// PyTorch's checks on a (batched) convolution's shapes, in PyTorch's order and words.
    /// `input` and `weight` are sizes; `padding` is the total (before + after) per spatial dim.
    static func checkConvShapes(input: [Int], weight: [Int], bias: Tensor?, stride: [Int], padding: [Int],
                                dilation: [Int], outputPadding: [Int], groups: Int, transposed: Bool) throws {
        try checkArguments(stride + padding + dilation + outputPadding + [groups], "convolution argument")
        if padding.contains(where: { $0 < 0 }) { throw TensorError.value("negative padding is not supported") }
        if outputPadding.contains(where: { $0 < 0 }) { throw TensorError.value("negative output_padding is not supported") }
        if stride.contains(where: { $0 <= 0 }) { throw TensorError.value("non-positive stride is not supported") }
        if dilation.contains(where: { $0 <= 0 }) { throw TensorError.value("dilation should be greater than zero") }
        if groups <= 0 { throw TensorError.value("non-positive groups is not supported") }
        let k = input.count
        guard weight.count == k else {
            throw TensorError.shape("Expected \(weight.count)-dimensional input for \(weight.count)-dimensional weight \(sizes(weight)), but got \(k)-dimensional input of size \(sizes(input)) instead")
        }
        guard weight[0] >= groups else {
            throw TensorError.shape("Given groups=\(groups), expected weight to be at least \(groups) at dimension 0, but got weight of size \(sizes(weight)) instead")
        }
        guard weight[0] % groups == 0 else {
            throw TensorError.shape("Given groups=\(groups), expected weight to be divisible by \(groups) at dimension 0, but got weight of size \(sizes(weight)) instead")
        }
        if let b = bias, b.dtype != .float32 {
            throw TensorError.type("Input type (float) and bias type (\(b.dtype == .int64 ? "long int" : "bool")) should be the same")
        }
        if !transposed {
            guard input[1] == weight[1] * groups else {
                throw TensorError.shape("Given groups=\(groups), weight of size \(sizes(weight)), expected input\(sizes(input)) to have \(weight[1] * groups) channels, but got \(input[1]) channels instead")
            }
            if let b = bias, !(b.rank == 1 && b.shape[0] == weight[0]) {
                throw TensorError.shape("Given weight of size \(sizes(weight)), expected bias to be 1-dimensional with \(weight[0]) elements, but got bias of size \(sizes(b.shape)) instead")
            }
            var padded: [Int] = [], kernel: [Int] = [], ok = true
            for i in 2..<k {
                padded.append(input[i] + padding[i - 2])
                kernel.append(dilation[i - 2] * (weight[i] - 1) + 1)
                if padded[i - 2] < kernel[i - 2] { ok = false }
            }
            if !ok {
                let p = padded.map(String.init).joined(separator: " x "), q = kernel.map(String.init).joined(separator: " x ")
                throw TensorError.shape("Calculated padded input size per channel: (\(p)). Kernel size: (\(q)). Kernel size can't be greater than actual input size")
            }
        } else {
            guard input[1] == weight[0] else {
                throw TensorError.shape("Given transposed=1, weight of size \(sizes(weight)), expected input\(sizes(input)) to have \(weight[0]) channels, but got \(input[1]) channels instead")
            }
            if let b = bias, !(b.rank == 1 && b.shape[0] == weight[1] * groups) {
                throw TensorError.shape("Given transposed=1, weight of size \(sizes(weight)), expected bias to be 1-dimensional with \(weight[1] * groups) elements, but got bias of size \(sizes(b.shape)) instead")
            }
        }
    }

    /// Adds out to `(C, P)` planes: o[c*P + i] += bias[c], for every sample.
    static func addBias(_ out: UnsafeMutablePointer<Float>, bias: Tensor?, samples: Int, channels: Int, plane: Int) {
        guard let bias else { return }
        for n in 0..<samples {
            for c in 0..<channels {
                let v = bias.storage.floats[bias.offset + c * (bias.strides.first ?? 1)], o = out + (n * channels + c) * plane
                for i in 0..<plane { o[i] += v }
            }
        }
    }
}
