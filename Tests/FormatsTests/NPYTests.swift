import XCTest
import Foundation
import TensorCore
import TestSupport
@testable import Formats

final class NPYTests: XCTestCase {
    func tmpPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("npytests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    /// A hand-made file: header dict text, version, payload.
    func file(_ header: String, version: UInt8 = 1, payload: [UInt8]) -> Data {
        var h = header
        let lenSize = version == 1 ? 2 : 4
        while (8 + lenSize + h.utf8.count + 1) % 64 != 0 { h += " " }
        h += "\n"
        var d = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0])
        let n = h.utf8.count
        for i in 0..<lenSize { d.append(UInt8((n >> (8 * i)) & 0xFF)) }
        d.append(contentsOf: Array(h.utf8))
        d.append(contentsOf: payload)
        return d
    }

    func bytes<T>(_ values: [T]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }

    func expectIOError(_ data: Data, contains part: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try NPY.read(data), file: file, line: line) { e in
            guard case FormatError.io(let m) = e else { return XCTFail("not a FormatError: \(e)", file: file, line: line) }
            XCTAssertTrue(m.contains(part), "message '\(m)' lacks '\(part)'", file: file, line: line)
            XCTAssertTrue(m.contains("at offset"), "message '\(m)' lacks an offset", file: file, line: line)
        }
    }

    func testRoundTripFloatIntBool() throws {
        let f = try Tensor([1.5, -2, 3.25, 0, 7, 8], shape: [2, 3])
        let i = try Tensor(ints: [1, -2, Int64.max], shape: [3])
        let b = try Tensor(bools: [true, false, true, true], shape: [2, 2])
        let s = Tensor.scalar(4.5)
        for t in [f, i, b, s] {
            let back = try NPY.read(try NPY.encode(t))
            XCTAssertEqual(back.shape, t.shape)
            XCTAssertEqual(back.dtype, t.dtype)
            XCTAssertEqual(back.toDoubles(), t.toDoubles())
        }
        // A non-contiguous view is written in its logical order.
        let tr = try f.transpose(0, 1)
        XCTAssertEqual(try NPY.read(try NPY.encode(tr)).toFloats(), tr.toFloats())
    }

    func testHeaderIsAlignedAndNumpyShaped() throws {
        let d = try NPY.encode(try Tensor([1, 2, 3], shape: [3]))
        let hlen = Int(d[8]) | Int(d[9]) << 8
        XCTAssertEqual((10 + hlen) % 64, 0)
        let text = String(decoding: d[10..<(10 + hlen)], as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"))
        XCTAssertTrue(text.hasSuffix("\n"))
    }

    func testSaveAndLoadFile() throws {
        let path = tmpPath("a.npy")
        let t = try Tensor([1, 2, 3, 4], shape: [2, 2])
        try NPY.save(t, path: path)
        try NPY.save(t, path: path)   // overwrite through rename
        XCTAssertEqual(try NPY.load(path: path).toFloats(), [1, 2, 3, 4])
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [])
        XCTAssertThrowsError(try NPY.load(path: tmpPath("missing.npy"))) { e in
            XCTAssertTrue("\(e)".contains("No such file or directory"), "\(e)")
        }
    }

    func testReadsOtherDtypesAndVersions() throws {
        let f8 = file("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", payload: bytes([1.5, -0.25] as [Double]))
        XCTAssertEqual(try NPY.read(f8).toFloats(), [1.5, -0.25])
        let i4 = file("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", payload: bytes([1, -7, 9] as [Int32]))
        let t = try NPY.read(i4)
        XCTAssertEqual(t.dtype, .int64)
        XCTAssertEqual(t.toInt64s(), [1, -7, 9])
        let u1 = file("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 2), }", payload: [200, 3])
        XCTAssertEqual(try NPY.read(u1).toInt64s(), [200, 3])
        let b1 = file("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", payload: [1, 0])
        XCTAssertEqual(try NPY.read(b1).dtype, .bool)
        // Version 2 and 3 headers have a 4-byte length; key order and quotes vary.
        for v: UInt8 in [2, 3] {
            let d = file("{\"shape\": (2, 1), \"fortran_order\": False, \"descr\": \"<f4\"}", version: v, payload: bytes([3, 4] as [Float]))
            let r = try NPY.read(d)
            XCTAssertEqual(r.shape, [2, 1])
            XCTAssertEqual(r.toFloats(), [3, 4])
        }
        let scalar = file("{'descr': '<i8', 'fortran_order': False, 'shape': (), }", payload: bytes([42] as [Int64]))
        XCTAssertEqual(try NPY.read(scalar).shape, [])
        let empty = file("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }", payload: [])
        XCTAssertEqual(try NPY.read(empty).shape, [0, 3])
    }

    func testLargeHeaderUsesVersion2() throws {
        let t = try Tensor(zeros: Array(repeating: 1, count: 30000))
        let d = try NPY.encode(t)
        XCTAssertEqual(d[6], 2)
        XCTAssertEqual(try NPY.read(d).shape.count, 30000)
    }

    func testRejectsFortranOrderAndBigEndian() {
        expectIOError(file("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", payload: bytes([1, 2, 3, 4] as [Float])),
                      contains: "Fortran")
        expectIOError(file("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", payload: [0, 0, 0, 0, 0, 0, 0, 0]),
                      contains: "big-endian")
        expectIOError(file("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", payload: [0, 0, 0, 0, 0, 0, 0, 0]),
                      contains: "unsupported dtype")
    }

    func testRejectsBadFiles() throws {
        expectIOError(Data([1, 2, 3]), contains: "magic")
        expectIOError(Data("hello world, not numpy".utf8), contains: "magic")
        let good = try NPY.encode(try Tensor([1, 2, 3, 4], shape: [4]))
        expectIOError(good.prefix(9), contains: "truncated")
        expectIOError(good.prefix(40), contains: "truncated")
        expectIOError(good.prefix(good.count - 1), contains: "truncated")
        var badVersion = good; badVersion[6] = 9
        expectIOError(badVersion, contains: "version")
        // A header that promises far more data than the file holds.
        expectIOError(file("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", payload: [0, 0, 0, 0]),
                      contains: "truncated")
        expectIOError(file("{'descr': '<f4', 'fortran_order': False, 'shape': (9223372036854775807, 4), }", payload: []),
                      contains: "too large")
        expectIOError(file("{'descr': '<f4', 'fortran_order': False, 'shape': (-3,), }", payload: []), contains: "negative")
        expectIOError(file("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 'x'), }", payload: []), contains: "non-integer")
        expectIOError(file("{'descr': '<f4', 'fortran_order': False, }", payload: []), contains: "'shape'")
        expectIOError(file("{'descr': '<f4', 'fortran_order': False, 'shape': (2, ", payload: []), contains: "malformed")
        expectIOError(file("[1, 2]", payload: []), contains: "not a dictionary")
        expectIOError(file("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", payload: []),
                      contains: "too large")
        // Every prefix of a good file fails cleanly.
        for n in 0..<good.count { XCTAssertThrowsError(try NPY.read(good.prefix(n))) }
    }

    func testReadsGoldenFiles() throws {
        let c = try Golden.load("max_pool2d_00")
        XCTAssertEqual(c.outputs[1].dtype, .int64)
        XCTAssertEqual(c.outputs[0].shape, c.outputs[1].shape)
    }
}
