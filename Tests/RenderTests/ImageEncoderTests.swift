import Foundation
import XCTest
@testable import Formats

final class ImageEncoderTests: XCTestCase {
    /// CRC-32 (IEEE, reflected), bit by bit: independent of zlib's.
    func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
        }
        return ~c
    }

    func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for x in bytes { a = (a + UInt32(x)) % 65521; b = (b + a) % 65521 }
        return b << 16 | a
    }

    func be32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }

    func testPNGStructureCRCsAndScanlines() throws {
        let w = 5, h = 3
        let pixels = (0..<(w * h)).map { UInt8(($0 * 17) % 256) }
        let png = Array(try ImageEncoder.png(width: w, height: h, pixels: pixels))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var at = 8
        var chunks: [(String, [UInt8])] = []
        while at < png.count {
            let len = Int(be32(png, at))
            let type = Array(png[(at + 4)..<(at + 8)])
            let data = Array(png[(at + 8)..<(at + 8 + len)])
            XCTAssertEqual(be32(png, at + 8 + len), crc32(type + data), String(decoding: type, as: UTF8.self))
            chunks.append((String(decoding: type, as: UTF8.self), data))
            at += 12 + len
        }
        XCTAssertEqual(at, png.count)
        XCTAssertEqual(chunks.map { $0.0 }, ["IHDR", "IDAT", "IEND"])
        XCTAssertEqual(chunks[0].1, [0, 0, 0, 5, 0, 0, 0, 3, 8, 0, 0, 0, 0])
        XCTAssertEqual(chunks[2].1, [])
        let z = chunks[1].1
        XCTAssertEqual(z[0] & 0x0F, 8)  // deflate
        XCTAssertEqual((UInt16(z[0]) << 8 | UInt16(z[1])) % 31, 0)
        var scanlines = [UInt8]()
        for y in 0..<h { scanlines += [0] + pixels[(y * w)..<((y + 1) * w)] }
        let inflated = try Zlib.inflate(z.dropLast(4)[2...], windowBits: Zlib.rawDeflate, expected: scanlines.count, format: "png", at: 0)
        XCTAssertEqual(inflated, scanlines)
        XCTAssertEqual(be32(z, z.count - 4), adler32(scanlines))
    }

    func testPGMEncodings() throws {
        XCTAssertEqual(Array(try ImageEncoder.pgm(width: 2, height: 1, pixels: [7, 255])), Array("P5\n2 1\n255\n".utf8) + [7, 255])
        XCTAssertEqual(Array(try ImageEncoder.pgm(width: 1, height: 2, maxval: 65535, samples: [258, 65535])),
                       Array("P5\n1 2\n65535\n".utf8) + [1, 2, 255, 255])
        let decoded = try PGM.decode(try ImageEncoder.pgm(width: 1, height: 2, maxval: 1000, samples: [0, 1000]))
        XCTAssertEqual(decoded.toFloats(), [0, 1])
        XCTAssertThrowsError(try ImageEncoder.pgm(width: 2, height: 2, pixels: [1, 2, 3]))
        XCTAssertThrowsError(try ImageEncoder.pgm(width: 1, height: 1, maxval: 255, samples: [256]))
        XCTAssertThrowsError(try ImageEncoder.png(width: 0, height: 0, pixels: []))
    }
}
