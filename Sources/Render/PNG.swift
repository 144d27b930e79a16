import Foundation

extension GrayImage {
    /// A grayscale PNG (colour type 0, 8 or 16 bits). The image data is a valid zlib
    /// stream of stored (uncompressed) deflate blocks, so no compression library is needed.
    public func png() -> Data {
        var out = Data([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
        var ihdr = Data()
        ihdr.appendBE32(UInt32(width))
        ihdr.appendBE32(UInt32(height))
        ihdr.append(contentsOf: [UInt8(bits), 0, 0, 0, 0])   // depth, grey, deflate, filter 0, no interlace
        PNGChunk.append("IHDR", ihdr, to: &out)
        // Scanlines, each led by filter type 0 (None).
        let rowBytes = width * bits / 8
        var raw = Data(capacity: height * (rowBytes + 1))
        for r in 0..<height {
            raw.append(0)
            let row = pixels[(r * width)..<((r + 1) * width)]
            if bits == 16 {
                for p in row { raw.append(UInt8(p >> 8)); raw.append(UInt8(p & 0xff)) }
            } else {
                raw.append(contentsOf: row.map { UInt8(truncatingIfNeeded: $0) })
            }
        }
        PNGChunk.append("IDAT", PNGChunk.zlibStored(raw), to: &out)
        PNGChunk.append("IEND", Data(), to: &out)
        return out
    }
}

enum PNGChunk {
    static func append(_ type: String, _ data: Data, to out: inout Data) {
        out.appendBE32(UInt32(data.count))
        var body = Data(type.utf8)
        body.append(data)
        out.append(body)
        out.appendBE32(crc32(body))
    }

    /// zlib header, stored deflate blocks of at most 65535 bytes, Adler-32 trailer.
    static func zlibStored(_ data: Data) -> Data {
        var out = Data([0x78, 0x01])
        let bytes = [UInt8](data)
        var i = 0
        repeat {
            let n = min(65535, bytes.count - i)
            let final: UInt8 = i + n >= bytes.count ? 1 : 0
            out.append(final)
            out.append(UInt8(n & 0xff)); out.append(UInt8(n >> 8))
            out.append(UInt8(~n & 0xff)); out.append(UInt8((~n >> 8) & 0xff))
            out.append(contentsOf: bytes[i..<(i + n)])
            i += n
        } while i < bytes.count
        out.appendBE32(adler32(bytes))
        return out
    }

    static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ data: Data) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in data { c = crcTable[Int((c ^ UInt32(b)) & 0xff)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        var i = 0
        while i < bytes.count {
            let end = min(i + 5552, bytes.count)
            while i < end { a &+= UInt32(bytes[i]); b &+= a; i += 1 }
            a %= 65521; b %= 65521
        }
        return (b << 16) | a
    }
}

extension Data {
    mutating func appendBE32(_ v: UInt32) {
        append(contentsOf: [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)])
    }
}
