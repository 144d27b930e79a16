import XCTest
import Foundation
import TensorCore
import TestSupport
@testable import Formats

final class PGMTests: XCTestCase {
    func pgm(_ s: String) -> Data { Data(s.utf8) }

    func testFixtures() throws {
        for (file, expected, shape) in [("plain.pgm", "plain_expected.npy", [1, 2, 3]),
                                        ("raw8.pgm", "raw8_expected.npy", [1, 4, 5]),
                                        ("raw16.pgm", "raw16_expected.npy", [1, 3, 4])] {
            let t = try PGM.read(path: Fixture.path(file))
            let e = try Fixture.npy(expected)
            XCTAssertEqual(t.shape, shape, file)
            XCTAssertEqual(t.dtype, .float32, file)
            XCTAssertEqual(t.toFloats(), e.toFloats(), file)
        }
    }

    func testCommentsEverywhereAndWhitespace() throws {
        let t = try PGM.decode(pgm("P2#c\n2#w\n#x\n1\t# h\r\n4#m\n0 #s\n4#end"))
        XCTAssertEqual(t.shape, [1, 1, 2])
        XCTAssertEqual(t.toFloats(), [0, 1])
        // A P5 sample may itself be the byte '#' or whitespace.
        let raw = try PGM.decode(Data("P5 3 1 255\n".utf8) + Data([0x23, 0x0A, 0x20]))
        XCTAssertEqual(raw.toFloats(), [35.0 / 255, 10.0 / 255, 32.0 / 255])
        // Trailing data after the first image is ignored.
        XCTAssertEqual(try PGM.decode(Data("P5 1 1 255\n".utf8) + Data([255, 1, 2])).toFloats(), [1])
    }

    func testPathIsNamedInErrors() throws {
        let path = Fixture.tmp("bad.pgm")
        defer { unlink(path) }
        try FileIO.writeAtomically(Data("P7".utf8), path: path)
        expectFormatError("\(path): pgm: not a PGM file") { try PGM.read(path: path) }
        expectFormatError("No such file", offset: false) { try PGM.read(path: path + ".missing") }
    }

    func testBadFiles() throws {
        expectFormatError("magic must be P2 or P5") { try PGM.decode(pgm("P6 1 1 255\n\0\0\0")) }
        expectFormatError("magic") { try PGM.decode(Data()) }
        expectFormatError("expected the height") { try PGM.decode(pgm("P2 3 x 255")) }
        expectFormatError("truncated file: expected the maxval") { try PGM.decode(pgm("P2 3 3 # no maxval")) }
        expectFormatError("must be positive") { try PGM.decode(pgm("P5 0 3 255\n")) }
        expectFormatError("maxval 70000") { try PGM.decode(pgm("P5 1 1 70000\n\0\0")) }
        expectFormatError("maxval 0") { try PGM.decode(pgm("P5 1 1 0\n\0")) }
        expectFormatError("width is too large") { try PGM.decode(pgm("P5 99999999999999999999 1 255\n")) }
        expectFormatError("truncated file") { try PGM.decode(pgm("P5 2000000000 2000000000 255\n\0")) }
        expectFormatError("truncated file") { try PGM.decode(Data("P5 2 2 65535\n".utf8) + Data([0, 0, 0, 0, 0])) }
        expectFormatError("truncated file") { try PGM.decode(pgm("P2 2 2 9\n1 2 3")) }
        expectFormatError("sample 10 is over maxval 9") { try PGM.decode(pgm("P2 2 1 9\n1 10")) }
        expectFormatError("sample 300 is over maxval 299") {
            try PGM.decode(Data("P5 1 1 299\n".utf8) + Data([1, 44]))
        }
        expectFormatError("expected whitespace after the width") { try PGM.decode(pgm("P2 3x 1 9\n1 2 3")) }
        expectFormatError("expected the sample 1") { try PGM.decode(pgm("P2 2 1 9\n1 -2 ")) }
    }
}
