import Foundation
import TensorCore

/// A grey-level picture made from a 2-D map of numbers, ready to encode as PGM or PNG.
public struct GrayImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// 8 or 16 bits per pixel.
    public let bits: Int
    /// Levels 0...maxval, row-major.
    public let pixels: [UInt16]

    public var maxval: Int { bits == 16 ? 65535 : 255 }

    public init(width: Int, height: Int, bits: Int, pixels: [UInt16]) throws {
        guard bits == 8 || bits == 16 else { throw TensorError.value("bits must be 8 or 16, got \(bits)") }
        guard width >= 0, height >= 0, pixels.count == width * height else {
            throw TensorError.value("a \(width)x\(height) image needs \(width * height) pixels, got \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.bits = bits
        self.pixels = pixels
    }

    /// A 2-D tensor, or a (1, H, W) one, as grey levels. With `normalize` and no
    /// `valueRange` the map's (finite) minimum becomes 0 and its maximum maxval, and a
    /// constant map becomes all zeros. Otherwise values are clamped to `valueRange`
    /// (default 0...1) and scaled, as torchvision's `save_image` does. NaN is 0.
    /// `scale` repeats each pixel scale×scale times.
    public static func from(_ t: Tensor, normalize: Bool = true, valueRange: (Double, Double)? = nil,
                            scale: Int = 1, bits: Int = 8) throws -> GrayImage {
        var shape = t.shape
        if shape.count == 3 && shape[0] == 1 { shape.removeFirst() }
        guard shape.count == 2 else {
            throw TensorError.shape("expected a 2-D tensor or one of shape (1, H, W), but got shape \(TensorPrinter.tupleString(t.shape))")
        }
        return try from(values: t.toDoubles(), width: shape[1], height: shape[0], normalize: normalize,
                        valueRange: valueRange, scale: scale, bits: bits)
    }

    /// The same for a row-major map of `height` rows of `width` values.
    public static func from(values: [Double], width: Int, height: Int, normalize: Bool = true,
                            valueRange: (Double, Double)? = nil, scale: Int = 1, bits: Int = 8) throws -> GrayImage {
        guard bits == 8 || bits == 16 else { throw TensorError.value("bits must be 8 or 16, got \(bits)") }
        guard scale >= 1 else { throw TensorError.value("scale must be a positive integer, got \(scale)") }
        guard width >= 0, height >= 0, values.count == width * height else {
            throw TensorError.value("a \(width)x\(height) map needs \(width * height) values, got \(values.count)")
        }
        let (w, h) = (width.multipliedReportingOverflow(by: scale), height.multipliedReportingOverflow(by: scale))
        guard !w.overflow, !h.overflow, !w.partialValue.multipliedReportingOverflow(by: h.partialValue).overflow,
              w.partialValue * h.partialValue <= 1 << 30 else {
            throw TensorError.value("a \(width)x\(height) map at scale \(scale) is too large for an image")
        }
        var lo = 0.0, hi = 1.0
        if let r = valueRange {
            guard r.0.isFinite, r.1.isFinite, r.0 < r.1 else {
                throw TensorError.value("value_range must be (low, high) with low < high, got (\(r.0), \(r.1))")
            }
            (lo, hi) = r
        } else if normalize {
            let finite = values.filter(\.isFinite)
            lo = finite.min() ?? 0
            hi = finite.max() ?? 0
        }
        let span = Swift.max(hi - lo, 1e-5)   // torchvision's guard: a constant map is all zeros
        let maxval = Double(bits == 16 ? 65535 : 255)
        let levels: [UInt16] = values.map { v in
            if v.isNaN { return 0 }
            let x = (Swift.min(Swift.max(v, lo), hi) - lo) / span
            return UInt16(Swift.min(Swift.max((x * maxval + 0.5).rounded(.down), 0), maxval))
        }
        var pixels = [UInt16]()
        pixels.reserveCapacity(w.partialValue * h.partialValue)
        for r in 0..<height {
            var row = [UInt16]()
            row.reserveCapacity(w.partialValue)
            for c in 0..<width { row.append(contentsOf: repeatElement(levels[r * width + c], count: scale)) }
            for _ in 0..<scale { pixels.append(contentsOf: row) }
        }
        return try GrayImage(width: w.partialValue, height: h.partialValue, bits: bits, pixels: pixels)
    }

    /// Binary PGM (P5): `P5\nW H\nMAXVAL\n`, then one byte per pixel (two, big-endian, at 16 bits).
    public func pgm() -> Data {
        var out = Data("P5\n\(width) \(height)\n\(maxval)\n".utf8)
        out.reserveCapacity(out.count + pixels.count * (bits / 8))
        if bits == 16 {
            for p in pixels { out.append(UInt8(p >> 8)); out.append(UInt8(p & 0xff)) }
        } else {
            out.append(contentsOf: pixels.map { UInt8(truncatingIfNeeded: $0) })
        }
        return out
    }
}
