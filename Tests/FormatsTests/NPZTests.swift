import XCTest
import Foundation
import TensorCore
import TestSupport
@testable import Formats

final class NPZTests: XCTestCase {
    /// File offset of a member's data, from its local header.
    func dataStart(_ d: Data, _ m: NPZ.Member) -> Int {
        let h = m.localOffset
        return h + 30 + (Int(d[h + 26]) | Int(d[h + 27]) << 8) + (Int(d[h + 28]) | Int(d[h + 29]) << 8)
    }

    func checkArrays(_ a: [(String, Tensor)], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.map(\.0), ["f32", "i64", "flags", "f64", "u8", "scalar"], file: file, line: line)
        guard a.count == 6 else { return }
        XCTAssertEqual(a[0].1.shape, [2, 3], file: file, line: line)
        XCTAssertEqual(a[0].1.toFloats(), [-0.5, -0.25, 0, 0.25, 0.5, 0.75], file: file, line: line)
        XCTAssertEqual(a[1].1.dtype, .int64, file: file, line: line)
        XCTAssertEqual(a[1].1.toInt64s(), [1, -2, 1 << 40], file: file, line: line)
        XCTAssertEqual(a[2].1.dtype, .bool, file: file, line: line)
        XCTAssertEqual(a[2].1.toInt64s(), [1, 0, 0, 1], file: file, line: line)
        XCTAssertEqual(a[3].1.toFloats(), [0.1, -2.5], file: file, line: line)
        XCTAssertEqual(a[4].1.toInt64s(), [250, 251, 252, 253, 254, 255], file: file, line: line)
        XCTAssertEqual(a[5].1.shape, [], file: file, line: line)
        XCTAssertEqual(a[5].1.toFloats(), [3.5], file: file, line: line)
    }

    func testNumpySavezStored() throws {
        checkArrays(try NPZ.load(path: Fixture.path("arrays_stored.npz")))
    }

    func testNumpySavezCompressed() throws {
        checkArrays(try NPZ.load(path: Fixture.path("arrays_deflated.npz")))
        let big = try NPZ.load(path: Fixture.path("big_deflated.npz"))
        XCTAssertEqual(big.map(\.0), ["ramp"])
        XCTAssertEqual(big.first?.1.shape, [50, 100])
        XCTAssertEqual(big.first?.1.toFloats(), (0..<5000).map { Float($0 % 100) })
    }

    func testZip64LocalExtraFields() throws {
        let a = try NPZ.load(path: Fixture.path("zip64_local.npz"))
        XCTAssertEqual(a.map(\.0), ["f32", "i64"])
        XCTAssertEqual(a.last?.1.toInt64s(), [1, -2, 1 << 40])
    }

    func testFullZip64() throws {
        // zip64 extra fields in the central directory (sizes and offsets) and
        // the zip64 end-of-central-directory record, as Python's zipfile writes them.
        let d = try Fixture.data("zip64_full.npz")
        let members = try NPZ.centralDirectory(ByteReader(d, format: "npz"))
        XCTAssertEqual(members.map(\.localOffset).first, 0)
        XCTAssertEqual(members.map(\.method), [8, 8])
        let a = try NPZ.read(d)
        XCTAssertEqual(a.map(\.0), ["f32", "u8"])
        XCTAssertEqual(a.last?.1.toInt64s(), [250, 251, 252, 253, 254, 255])
        // The zip64 record's central directory offset pointing nowhere.
        let e64 = d.count - 22 - 20 - 56
        expectFormatError("central directory") { try NPZ.read(d.patched(e64 + 48, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])) }
        expectFormatError("zip64 end record offset") {
            try NPZ.read(d.patched(d.count - 22 - 20 + 8, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]))
        }
    }

    func testRoundTripKeepsOrder() throws {
        let arrays: [(String, Tensor)] = [
            ("z", try Tensor([1, 2, 3, 4], shape: [2, 2])),
            ("a", try Tensor(ints: [5, -6], shape: [2])),
            ("m", try Tensor(bools: [true], shape: [1])),
        ]
        let path = Fixture.tmp("round.npz")
        defer { if ProcessInfo.processInfo.environment["KEEP_FORMATS_OUTPUT"] == nil { unlink(path) } }
        try NPZ.save(arrays, path: path)
        let back = try NPZ.load(path: path)
        XCTAssertEqual(back.map(\.0), ["z", "a", "m"])
        for (x, y) in zip(arrays, back) {
            XCTAssertEqual(x.1.shape, y.1.shape)
            XCTAssertEqual(x.1.dtype, y.1.dtype)
            XCTAssertEqual(x.1.toDoubles(), y.1.toDoubles())
        }
        XCTAssertEqual(try NPZ.read(try NPZ.encode([])).count, 0)
    }

    func testCRCMismatchIsCaught() throws {
        var d = try Fixture.data("arrays_stored.npz")
        // Flip a byte of the first member's payload (its last data byte).
        let firstCentral = try NPZ.centralDirectory(ByteReader(d, format: "npz"))[0]
        let last = dataStart(d, firstCentral) + firstCentral.compressedSize - 1
        d[last] ^= 0x40
        expectFormatError("CRC-32 mismatch") { try NPZ.read(d) }
    }

    func testBadArchives() throws {
        let d = try Fixture.data("arrays_deflated.npz")
        expectFormatError("not a zip file") { try NPZ.read(Data([1, 2, 3])) }
        expectFormatError("no end-of-central-directory") { try NPZ.read(Data(repeating: 0, count: 100)) }
        expectFormatError("no end-of-central-directory") { try NPZ.read(d.prefix(d.count - 10)) }
        // Truncated in the middle: the central directory is gone.
        expectFormatError("npz:") { try NPZ.read(d.prefix(d.count / 2)) }
        // A member whose deflate stream is garbage.
        let m = try NPZ.centralDirectory(ByteReader(d, format: "npz"))[0]
        let start = dataStart(d, m)
        var bad = d
        for i in 0..<8 { bad[start + i] = 0xFF }
        expectFormatError("npz:") { try NPZ.read(bad) }
        // Central directory offset pointing past the end.
        let eocd = d.count - 22
        expectFormatError("central directory") { try NPZ.read(d.patched(eocd + 16, [0xFF, 0xFF, 0xFF, 0x7F])) }
        // An impossible uncompressed size.
        expectFormatError("impossible size") { try NPZ.read(d.patched(m.entryOffset + 24, [0xFE, 0xFF, 0xFF, 0xFF])) }
        // Unsupported method.
        expectFormatError("compression method 12") { try NPZ.read(d.patched(m.entryOffset + 10, [12, 0])) }
    }

    func testMemberErrorsNameTheMember() throws {
        let bogus = Data("not an npy".utf8)
        var zip = [UInt8](try NPZ.encode([("x", Tensor.scalar(1))]))
        // Replace the member by a same-length non-npy payload and fix its CRC.
        let d = Data(zip)
        let m = try NPZ.centralDirectory(ByteReader(d, format: "npz"))[0]
        let start = dataStart(d, m)
        for (i, b) in bogus.enumerated() { zip[start + i] = b }
        let crc = Zlib.crc32(zip[start..<(start + m.size)])
        for i in 0..<4 {
            zip[14 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i)))
            zip[m.entryOffset + 16 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i)))
        }
        expectFormatError("member 'x.npy' (data at offset 35): not a .npy file") { try NPZ.read(Data(zip)) }
    }
}
