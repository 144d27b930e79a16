import TensorCore

/// `Resize(size, interpolation=bilinear, max_size=None, antialias=True)`.
///
/// torchvision resizes a tensor image with `F.interpolate(mode='bilinear',
/// align_corners=False, antialias=True)` and a PIL image with PIL's bilinear
/// filter; both are the same separable triangle filter whose support widens
/// by the scale when shrinking (antialiasing), so this one kernel serves both:
/// float tensors (..., H, W) keep float32; an image's bytes (H, W[, C]) are
/// resampled in float and rounded back to bytes (PIL rounds in fixed point, so
/// a byte may differ by one from torchvision's PIL path).
public final class Resize: Transform {
    /// One value: the shorter edge; two: (height, width).
    public let size: [Int]
    public let maxSize: Int?
    public let repr: String

    public init(size: [Int], maxSize: Int?, repr: String) throws {
        guard size.count == 1 || size.count == 2 else {
            throw DataError.value("If size is a sequence, it should have 1 or 2 values")
        }
        self.size = size; self.maxSize = maxSize; self.repr = repr
    }

    /// torchvision's `_compute_resized_output_size`.
    public func outputSize(height h: Int, width w: Int) throws -> (Int, Int) {
        if size.count == 2 { return (size[0], size[1]) }
        let (short, long) = w <= h ? (w, h) : (h, w)
        var newShort = size[0], newLong = Int(Double(size[0]) * Double(long) / Double(short))
        if let maxSize {
            guard maxSize > size[0] else {
                throw DataError.value("max_size = \(maxSize) must be strictly greater than the requested size for the smaller edge size = \(size[0])")
            }
            if newLong > maxSize {
                newShort = Int(Double(maxSize) * Double(newShort) / Double(newLong))
                newLong = maxSize
            }
        }
        return w <= h ? (newLong, newShort) : (newShort, newLong)
    }

    public func apply(_ input: Sample) throws -> Sample {
        let t = try imageTensor(input, "img")
        let bytes = Pixels.isImage(t)
        guard bytes || t.dtype.isFloatingPoint else {
            throw DataError.type("Resize: input should be an image's bytes or a float tensor, got \(t.dtype.torchName)")
        }
        guard t.rank >= 2 else { throw DataError.value("Resize: the image needs at least 2 dims, got \(t.rank)") }
        // Bytes images are (H, W) or (H, W, C): move channels first for the resampler.
        var x = bytes ? try Pixels.scaled(t) : try t.contiguous()
        if bytes { x = try Tensor.binary(.mul, x, Tensor.scalar(255)) }
        if bytes && t.rank == 3 { x = try x.permute([2, 0, 1]).contiguous() }
        let h = x.shape[x.rank - 2], w = x.shape[x.rank - 1]
        let (oh, ow) = try outputSize(height: h, width: w)
        var y = try Bilinear.resize(x, height: oh, width: ow)
        if bytes {
            if t.rank == 3 { y = try y.permute([1, 2, 0]).contiguous() }
            return .tensor(try Pixels.fromFloat(y))
        }
        return .tensor(y)
    }
}

/// Antialiased bilinear resampling of the last two dims, PyTorch's
/// `_upsample_bilinear2d_aa` (align_corners=False), width pass then height pass.
public enum Bilinear {
    /// Per output index: the first input index and the normalised weights.
    static func weights(input: Int, output: Int) -> [(Int, [Float])] {
        let scale = Double(input) / Double(output)
        let support = scale >= 1 ? scale : 1.0
        let invscale = scale >= 1 ? 1 / scale : 1.0
        return (0..<output).map { i in
            let center = scale * (Double(i) + 0.5)
            let xmin = max(Int(center - support + 0.5), 0)
            let xsize = min(Int(center + support + 0.5), input) - xmin
            var ws = [Double](repeating: 0, count: max(xsize, 0))
            var total = 0.0
            for j in 0..<max(xsize, 0) {
                let d = Swift.abs((Double(j + xmin) - center + 0.5) * invscale)
                ws[j] = d < 1 ? 1 - d : 0
                total += ws[j]
            }
            return (xmin, ws.map { Float(total != 0 ? $0 / total : $0) })
        }
    }

    public static func resize(_ x: Tensor, height oh: Int, width ow: Int) throws -> Tensor {
        guard oh > 0, ow > 0 else {
            throw DataError.value("Input and output sizes should be greater than 0, but got output (H: \(oh), W: \(ow))")
        }
        let src = try x.contiguous()
        let h = src.shape[src.rank - 2], w = src.shape[src.rank - 1]
        let planes = src.numel / max(h * w, 1)
        let wx = weights(input: w, output: ow), wy = weights(input: h, output: oh)
        var midShape = src.shape; midShape[midShape.count - 1] = ow
        let mid = try Tensor(uninitialized: midShape, dtype: .float32)
        var outShape = midShape; outShape[outShape.count - 2] = oh
        let out = try Tensor(uninitialized: outShape, dtype: .float32)
        let p = src.floatPtr, m = mid.floatPtr, o = out.floatPtr
        for n in 0..<planes {
            for r in 0..<h {
                let row = p + (n * h + r) * w, dst = m + (n * h + r) * ow
                for (j, (start, ws)) in wx.enumerated() {
                    var acc: Float = 0
                    for k in 0..<ws.count { acc += ws[k] * row[start + k] }
                    dst[j] = acc
                }
            }
            let plane = m + n * h * ow, dst = o + n * oh * ow
            for (i, (start, ws)) in wy.enumerated() {
                for j in 0..<ow {
                    var acc: Float = 0
                    for k in 0..<ws.count { acc += ws[k] * plane[(start + k) * ow + j] }
                    dst[i * ow + j] = acc
                }
            }
        }
        return out
    }
}
