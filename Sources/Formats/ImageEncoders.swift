import CZlib
import Foundation

/// Encoders for greyscale images: binary PGM (P5, 8 or 16 bits a sample)
/// and PNG (8-bit greyscale, zlib-compressed, no interlace).
public enum ImageEncoder {
    /// P5 with maxval 255: one byte a pixel, rows top to bottom.
    public static func pgm(width: Int, height: Int, pixels: [UInt8]) throws -> Data {
        try check(width, height, pixels.count)
        var d = Data("P5\n\(width) \(height)\n255\n".utf8)
        d.append(contentsOf: pixels)
        return d
    }

    /// P5 with the given maxval (up to 65535): above 255, two bytes a sample, big-endian.
    public static func pgm(width: Int, height: Int, maxval: Int, samples: [UInt16]) throws -> Data {
        try check(width, height, samples.count)
        guard (1...65535).contains(maxval) else { throw FormatError.io("pgm: maxval \(maxval) is not in 1...65535") }
        if let big = samples.first(where: { Int($0) > maxval }) {
            throw FormatError.io("pgm: sample \(big) is over maxval \(maxval)")
        }
        var d = Data("P5\n\(width) \(height)\n\(maxval)\n".utf8)
        if maxval > 255 {
            var bytes = [UInt8](repeating: 0, count: 2 * samples.count)
            for (i, s) in samples.enumerated() {
                bytes[2 * i] = UInt8(s >> 8)
                bytes[2 * i + 1] = UInt8(s & 0xFF)
            }
            d.append(contentsOf: bytes)
        } else {
            d.append(contentsOf: samples.map { UInt8(truncatingIfNeeded: $0) })
        }
        return d
    }

    /// PNG, 8-bit greyscale: signature, IHDR, one IDAT holding the zlib
    /// stream of the scanlines (each led by filter byte 0), IEND.
    public static func png(width: Int, height: Int, pixels: [UInt8]) throws -> Data {
        try check(width, height, pixels.count)
        guard width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw FormatError.io("png: \(width)x\(height) is too large for PNG")
        }
        var raw = [UInt8](); raw.reserveCapacity((width + 1) * height)
        for y in 0..<height {
            raw.append(0)
            raw.append(contentsOf: pixels[(y * width)..<((y + 1) * width)])
        }
        var ihdr = [UInt8]()
        ihdr += bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        ihdr += [8, 0, 0, 0, 0]  // bit depth 8, greyscale, deflate, adaptive filters, no interlace
        var d = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        d.append(contentsOf: chunk("IHDR", ihdr))
        let idat = try deflate(raw)
        guard idat.count <= Int(Int32.max) else { throw FormatError.io("png: compressed image is too large for one chunk") }
        d.append(contentsOf: chunk("IDAT", idat))
        d.append(contentsOf: chunk("IEND", []))
        return d
    }

    /// A zlib stream (header, deflate data, Adler-32) of `bytes`.
    public static func deflate(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        guard bytes.count <= Int(UInt32.max) else { throw FormatError.io("png: image data is too large to compress") }
        var cap = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(cap))
        let rc = out.withUnsafeMutableBufferPointer { o in
            bytes.withUnsafeBufferPointer { i in
                compress2(o.baseAddress, &cap, i.baseAddress, uLong(i.count), level)
            }
        }
        guard rc == Z_OK else { throw FormatError.io("png: zlib could not compress the image (error \(rc))") }
        out.removeSubrange(Int(cap)...)
        return out
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(Zlib.crc32(body[...]))
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    static func check(_ width: Int, _ height: Int, _ count: Int) throws {
        guard width > 0, height > 0 else { throw FormatError.io("image: width and height must be positive, got \(width)x\(height)") }
        let (n, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, n == count else {
            throw FormatError.io("image: \(width)x\(height) needs \(overflow ? "too many" : String(n)) pixels, got \(count)")
        }
    }
}
