import Foundation
import XCTest
import TensorCore
@testable import Render

final class ImageTests: XCTestCase {
    func testNormalizedPGMBytes() throws {
        let t = try Tensor([-1, 0, 1, 3], shape: [2, 2])
        let img = try GrayImage.from(t)
        XCTAssertEqual(img.pixels, [0, 64, 128, 255])   // (v+1)/4*255 rounded half up
        XCTAssertEqual([UInt8](img.pgm()), Array("P5\n2 2\n255\n".utf8) + [0, 64, 128, 255])
    }

    func testConstantMapIsZerosAndNaNIsZero() throws {
        XCTAssertEqual(try GrayImage.from(try Tensor([5, 5, 5], shape: [1, 3])).pixels, [0, 0, 0])
        let t = try Tensor([.nan, 0, .infinity, 2, -.infinity, 1], shape: [2, 3])
        XCTAssertEqual(try GrayImage.from(t).pixels, [0, 0, 255, 255, 0, 128])
        XCTAssertEqual(try GrayImage.from(try Tensor([.nan], shape: [1, 1])).pixels, [0])
    }

    func testClampToValueRange() throws {
        let t = try Tensor([-0.5, 0.25, 0.5, 2], shape: [1, 1, 4])
        XCTAssertEqual(try GrayImage.from(t, normalize: false).pixels, [0, 64, 128, 255])
        XCTAssertEqual(try GrayImage.from(t, normalize: false, valueRange: (0, 0.5)).pixels, [0, 128, 255, 255])
        XCTAssertEqual(try GrayImage.from(t, valueRange: (-1, 3)).pixels, [32, 80, 96, 191])
    }

    func testScaleRepeatsPixelsAnd16Bit() throws {
        let t = try Tensor([0, 1], shape: [1, 2])
        let img = try GrayImage.from(t, scale: 2, bits: 16)
        XCTAssertEqual(img.width, 4)
        XCTAssertEqual(img.height, 2)
        XCTAssertEqual(img.pixels, [0, 0, 65535, 65535, 0, 0, 65535, 65535])
        XCTAssertEqual([UInt8](img.pgm()), Array("P5\n4 2\n65535\n".utf8) + [0, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 255, 255, 255, 255])
    }

    func testBadArgumentsThrow() throws {
        let t = try Tensor([0, 1], shape: [1, 2])
        XCTAssertThrowsError(try GrayImage.from(t, bits: 12))
        XCTAssertThrowsError(try GrayImage.from(t, scale: 0))
        XCTAssertThrowsError(try GrayImage.from(t, valueRange: (1, 1)))
        XCTAssertThrowsError(try GrayImage.from(try Tensor([0, 1], shape: [2])))
        XCTAssertThrowsError(try GrayImage.from(try Tensor(zeros: [2, 1, 1])))
        XCTAssertThrowsError(try GrayImage.from(t, scale: Int.max / 2))
        XCTAssertThrowsError(try GrayImage(width: 2, height: 2, bits: 8, pixels: [1]))
    }

    func testPNGStructure() throws {
        let img = try GrayImage(width: 3, height: 2, bits: 8, pixels: [0, 128, 255, 1, 2, 3])
        let png = [UInt8](img.png())
        XCTAssertEqual(Array(png[0..<8]), [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
        // IHDR: length 13, 3x2, depth 8, grey.
        XCTAssertEqual(Array(png[8..<33]), [0, 0, 0, 13] + Array("IHDR".utf8) + [0, 0, 0, 3, 0, 0, 0, 2, 8, 0, 0, 0, 0]
                       + [0xb8, 0x1f, 0x39, 0xc6])   // zlib.crc32 in Python
        // IDAT: zlib header, one final stored block of 8 bytes (2 rows of filter 0 + 3 pixels), Adler-32.
        let idat: [UInt8] = [0x78, 0x01, 1, 8, 0, 0xf7, 0xff, 0, 0, 128, 255, 0, 1, 2, 3, 0x08, 0x0d, 0x01, 0x86]
        XCTAssertEqual(Array(png[37..<41]), Array("IDAT".utf8))
        XCTAssertEqual(Array(png[33..<37]), [0, 0, 0, UInt8(idat.count)])
        XCTAssertEqual(Array(png[41..<(41 + idat.count)]), idat)
        // IEND and its well-known CRC.
        XCTAssertEqual(Array(png.suffix(12)), [0, 0, 0, 0] + Array("IEND".utf8) + [0xae, 0x42, 0x60, 0x82])
    }

    func testStoredBlocksSplitAt65535() {
        let data = Data(repeating: 7, count: 70_000)
        let z = [UInt8](PNGChunk.zlibStored(data))
        XCTAssertEqual(z.count, 2 + 5 + 65535 + 5 + (70_000 - 65535) + 4)
        XCTAssertEqual(Array(z[2..<7]), [0, 0xff, 0xff, 0, 0])
        XCTAssertEqual(z[2 + 5 + 65535], 1)
        XCTAssertEqual(PNGChunk.crc32(Data("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(PNGChunk.adler32(Array("Wikipedia".utf8)), 0x11E6_0398)
    }
}

extension ImageTests {
    /// Writes a PNG to PNG_OUT when set, to check it with an outside decoder by hand.
    func testWritePNGForManualCheck() throws {
        guard let path = ProcessInfo.processInfo.environment["PNG_OUT"] else { return }
        let values: [Double] = (0..<(300 * 250)).map { (i: Int) -> Double in Double(i % 300 + i / 300) }
        let img = try GrayImage.from(values: values, width: 300, height: 250, scale: 1)
        try img.png().write(to: URL(fileURLWithPath: path))
        try GrayImage.from(values: values, width: 300, height: 250, bits: 16).png()
            .write(to: URL(fileURLWithPath: path + ".16.png"))
    }
}
