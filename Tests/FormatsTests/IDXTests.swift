import XCTest
import Foundation
import TensorCore
import TestSupport
@testable import Formats

final class IDXTests: XCTestCase {
    func idx(_ code: UInt8, _ dims: [UInt32], _ payload: [UInt8]) -> Data {
        var d: [UInt8] = [0, 0, code, UInt8(dims.count)]
        for v in dims { d += [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
        return Data(d + payload)
    }

    func testGzippedImages() throws {
        let t = try IDX.load(path: Fixture.path("images-idx3-ubyte.gz"))
        let expected = try Fixture.npy("images_expected.npy")
        XCTAssertEqual(t.shape, [3, 28, 28])
        XCTAssertEqual(t.dtype, .int64)
        XCTAssertEqual(t.toInt64s(), expected.toInt64s())
    }

    func testPlainLabelsAndOtherTypes() throws {
        let labels = try IDX.load(path: Fixture.path("labels-idx1-ubyte"))
        XCTAssertEqual(labels.shape, [3])
        XCTAssertEqual(labels.toInt64s(), [7, 2, 1])
        let f = try IDX.load(path: Fixture.path("f32-idx2"))
        XCTAssertEqual(f.dtype, .float32)
        XCTAssertEqual(f.shape, [2, 2])
        XCTAssertEqual(f.toFloats(), [1.5, -2.0, 0.1, 1e10])
        XCTAssertEqual(try IDX.load(path: Fixture.path("i16-idx1")).toInt64s(), [-32768, 1, 32767])
        XCTAssertEqual(try IDX.load(path: Fixture.path("i32-idx1")).toInt64s(), [-5, 100000])
        XCTAssertEqual(try IDX.load(path: Fixture.path("f64-idx1")).toFloats(), [0.5, -.infinity])
        XCTAssertEqual(try IDX.decode(idx(0x09, [2], [0xFF, 0x7F])).toInt64s(), [-1, 127])
        let empty = try IDX.decode(idx(0x08, [0, 28], []))
        XCTAssertEqual(empty.shape, [0, 28])
        XCTAssertEqual(try IDX.decode(idx(0x08, [], [42])).shape, [])
    }

    func testBadFiles() throws {
        expectFormatError("too short") { try IDX.decode(Data([0, 0])) }
        expectFormatError("wrong magic") { try IDX.decode(Data([1, 0, 8, 1, 0, 0, 0, 0])) }
        expectFormatError("unknown data type code 0x0A") { try IDX.decode(idx(0x0A, [1], [0])) }
        expectFormatError("truncated file") { try IDX.decode(Data([0, 0, 8, 3, 0, 0, 0, 1])) }
        expectFormatError("need 4 bytes of data but 3") { try IDX.decode(idx(0x08, [2, 2], [1, 2, 3])) }
        expectFormatError("need 2 bytes of data but 3") { try IDX.decode(idx(0x08, [2], [1, 2, 3])) }
        expectFormatError("need 34359738360 bytes") { try IDX.decode(idx(0x0E, [0xFFFF_FFFF], [])) }
        expectFormatError("too large") { try IDX.decode(idx(0x0E, [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], [])) }
        // Gzip damage.
        let gz = try Fixture.data("images-idx3-ubyte.gz")
        expectFormatError("idx (gzip): compressed data ends early") { try IDX.decode(gz.prefix(gz.count - 20)) }
        var bad = gz
        bad[gz.count - 6] ^= 0xFF   // the CRC in the gzip trailer
        expectFormatError("idx (gzip): corrupt compressed data") { try IDX.decode(bad) }
        expectFormatError("unexpected bytes after") { try IDX.decode(gz + Data([1, 2, 3])) }
    }

    func testConcatenatedGzipMembers() throws {
        // gzip -c a >x.gz; gzip -c b >>x.gz: the members' data joins.
        let gz = try Fixture.data("images-idx3-ubyte.gz")
        // Split is not possible without a compressor here, so join a stream with
        // an empty-payload member made by the same zlib: header + empty deflate + trailer.
        let emptyMember = Data([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(try IDX.decode(gz + emptyMember).shape, [3, 28, 28])
    }
}
