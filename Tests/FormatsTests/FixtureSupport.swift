import XCTest
import Foundation
import TensorCore
@testable import Formats

/// Files under `Tests/FormatsTests/Fixtures`, made by `make_fixtures.py`.
enum Fixture {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    static func data(_ name: String) throws -> Data { try FileIO.read(path: path(name)) }

    static func npy(_ name: String) throws -> Tensor { try NPY.load(path: path(name)) }

    /// A path in a per-process temporary directory (tests unlink what they write
    /// unless `KEEP_FORMATS_OUTPUT` is set, for checking the files with Python).
    static func tmp(_ name: String) -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("formatstests-\(getpid())")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d.appendingPathComponent(name).path
    }
}

/// Asserts that `body` throws `FormatError.io` whose message holds `part` and an offset.
func expectFormatError<T>(_ part: String, offset: Bool = true, file: StaticString = #filePath, line: UInt = #line,
                          _ body: () throws -> T) {
    do {
        _ = try body()
        XCTFail("no error; expected one mentioning '\(part)'", file: file, line: line)
    } catch FormatError.io(let m) {
        XCTAssertTrue(m.contains(part), "message '\(m)' lacks '\(part)'", file: file, line: line)
        if offset { XCTAssertTrue(m.contains("at offset"), "message '\(m)' lacks an offset", file: file, line: line) }
    } catch {
        XCTFail("not a FormatError: \(error)", file: file, line: line)
    }
}

extension Data {
    /// A copy with `bytes` written at `offset`.
    func patched(_ offset: Int, _ bytes: [UInt8]) -> Data {
        var d = self
        for (i, b) in bytes.enumerated() { d[d.startIndex + offset + i] = b }
        return d
    }
}
