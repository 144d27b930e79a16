import Foundation
import TensorCore

/// Reads Netpbm greyscale images: P2 (plain, ASCII numbers) and P5 (raw),
/// maxval up to 255 (one byte a sample) or up to 65535 (two bytes,
/// big-endian). `#` comments may appear wherever whitespace may in the header
/// (and, in P2, among the samples). The result is a float32 tensor of shape
/// (1, H, W) with values sample / maxval in 0...1. Only the first image of a
/// multi-image P5 file is read.
public enum PGM {
    static let format = "pgm"

    public static func read(path: String) throws -> Tensor {
        try decodeFile(path, decode)
    }

    public static func decode(_ data: Data) throws -> Tensor {
        let r = ByteReader(data, format: format)
        guard r.count >= 2, r.bytes[0] == UInt8(ascii: "P"),
              r.bytes[1] == UInt8(ascii: "2") || r.bytes[1] == UInt8(ascii: "5") else {
            throw r.fail("not a PGM file (magic must be P2 or P5)", at: 0)
        }
        let plain = r.bytes[1] == UInt8(ascii: "2")
        var pos = 2
        let width = try number(r, &pos, "width", requireSpace: true)
        let height = try number(r, &pos, "height", requireSpace: true)
        let maxval = try number(r, &pos, "maxval", requireSpace: true)
        guard width > 0, height > 0 else { throw r.fail("width and height must be positive, got \(width)x\(height)", at: 2) }
        guard (1...65535).contains(maxval) else { throw r.fail("maxval \(maxval) is not in 1...65535", at: pos) }
        guard let count = Sizes.count([height, width]) else { throw r.fail("image \(width)x\(height) is too large", at: 2) }
        let sampleSize = maxval > 255 ? 2 : 1
        if plain {
            // Each sample takes at least one digit and one separator.
            guard count <= (r.count - pos + 1) / 2 else {
                throw r.fail("truncated file: \(width)x\(height) samples cannot fit in the \(r.count - pos) bytes left", at: pos)
            }
        } else {
            // Exactly one whitespace byte separates maxval from the samples.
            pos += 1
            guard let bytes = Sizes.bytes([count], itemSize: sampleSize), pos <= r.count, bytes <= r.count - pos else {
                throw r.fail("truncated file: \(width)x\(height) samples of \(sampleSize) byte(s) need more than the \(max(0, r.count - pos)) bytes left", at: min(pos, r.count))
            }
        }
        let t = try allocate([1, height, width], .float32, format: format, at: pos)
        let o = t.floatPtr, scale = Float(maxval)
        for i in 0..<count {
            let v: Int
            if plain {
                let at = pos
                v = try number(r, &pos, "sample \(i)", requireSpace: i + 1 < count)
                guard v <= maxval else { throw r.fail("sample \(v) is over maxval \(maxval)", at: at) }
                o[i] = Float(v) / scale
                continue
            } else if sampleSize == 1 {
                v = Int(r.bytes[pos + i])
            } else {
                v = Int(r.bytes[pos + 2 * i]) << 8 | Int(r.bytes[pos + 2 * i + 1])
            }
            guard v <= maxval else { throw r.fail("sample \(v) is over maxval \(maxval)", at: pos + sampleSize * i) }
            o[i] = Float(v) / scale
        }
        return t
    }

    /// Skips whitespace and comments, then reads a decimal number. With
    /// `requireSpace`, the number must be followed by whitespace or a comment.
    static func number(_ r: ByteReader, _ pos: inout Int, _ what: String, requireSpace: Bool) throws -> Int {
        let b = r.bytes
        while pos < b.count {
            let c = b[pos]
            if c == UInt8(ascii: "#") {
                while pos < b.count, b[pos] != 0x0A, b[pos] != 0x0D { pos += 1 }
            } else if c == 0x20 || (0x09...0x0D).contains(c) {
                pos += 1
            } else {
                break
            }
        }
        let start = pos
        var v = 0
        while pos < b.count, b[pos] >= UInt8(ascii: "0"), b[pos] <= UInt8(ascii: "9") {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(b[pos] - UInt8(ascii: "0")))
            if o1 || o2 || a > Int(Int32.max) { throw r.fail("\(what) is too large", at: start) }
            v = a
            pos += 1
        }
        guard pos > start else {
            if start >= b.count { throw r.fail("truncated file: expected the \(what)", at: start) }
            throw r.fail("expected the \(what) but found '\(String(UnicodeScalar(b[start])))'", at: start)
        }
        if requireSpace {
            guard pos < b.count else { throw r.fail("truncated file after the \(what)", at: pos) }
            let c = b[pos]
            guard c == 0x20 || (0x09...0x0D).contains(c) || c == UInt8(ascii: "#") else {
                throw r.fail("expected whitespace after the \(what)", at: pos)
            }
        }
        return v
    }
}
