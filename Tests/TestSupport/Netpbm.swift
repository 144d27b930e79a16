import Foundation
import XCTest

/// Netpbm's `pamfile`, an independent reader of the PGM files we write.
/// `scripts/deps.sh` installs it (package `netpbm`); without it a test is
/// skipped on a developer's machine but fails under CI (`CI=true`).
public enum Netpbm {
    public static var pamfile: String? {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return (dirs + ["/usr/bin", "/usr/local/bin"]).map { $0 + "/pamfile" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public static var onCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// `pamfile PATH`'s description (`PATH:\tPGM raw, 5 by 3  maxval 255`),
    /// after checking that it exits 0.
    public static func describe(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard let tool = pamfile else {
            throw Prerequisite.missing("netpbm's pamfile is not installed (make test runs scripts/deps.sh, which installs netpbm)",
                                       file: file, line: line)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = [path]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "pamfile \(path): \(errText)", file: file, line: line)
        return text
    }
}

/// A binary PGM's header and samples, parsed independently of Formats.PGM
/// (no comments; we never write any).
public struct PGMFile {
    public let width: Int, height: Int, maxval: Int
    public let samples: [Int]

    public init(path: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var pos = 0
        func token() -> String {
            while pos < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[pos]) { pos += 1 }
            let start = pos
            while pos < bytes.count, ![0x20, 0x0A, 0x0D, 0x09].contains(bytes[pos]) { pos += 1 }
            return String(decoding: bytes[start..<pos], as: UTF8.self)
        }
        guard token() == "P5", let w = Int(token()), let h = Int(token()), let m = Int(token()) else {
            throw NSError(domain: "PGMFile", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(path): not a P5 header"])
        }
        pos += 1
        let size = m > 255 ? 2 : 1
        guard bytes.count - pos == w * h * size else {
            throw NSError(domain: "PGMFile", code: 2, userInfo: [NSLocalizedDescriptionKey: "\(path): \(bytes.count - pos) sample bytes for \(w)x\(h)"])
        }
        width = w; height = h; maxval = m
        samples = size == 1 ? bytes[pos...].map(Int.init)
            : stride(from: pos, to: bytes.count, by: 2).map { Int(bytes[$0]) << 8 | Int(bytes[$0 + 1]) }
    }
}
