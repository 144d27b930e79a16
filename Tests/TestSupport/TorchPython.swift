import Foundation
import XCTest
import TensorCore

/// A python with torch, for tests that check files in real PyTorch:
/// `TENSORPAD_TEST_PYTHON`, else the repository's `.venv-test` (which `make test`
/// creates with torch). Missing: the test fails under CI=true and is skipped otherwise.
public enum TorchPython {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func path() throws -> String {
        let env = ProcessInfo.processInfo.environment
        let venvs: [String] = [".venv-test", ".venv"].map { repo.appendingPathComponent($0 + "/bin/python").path }
        let candidates: [String] = (env["TENSORPAD_TEST_PYTHON"].map { [$0] } ?? []) + venvs
        for c in candidates where FileManager.default.isExecutableFile(atPath: c) {
            if (try? run(c, "import torch")) != nil { return c }
        }
        throw Prerequisite.missing("no python with torch: run `make test` (it installs torch in .venv-test) or set TENSORPAD_TEST_PYTHON")
    }

    /// Runs a program and returns its stdout; throws with its stderr when it fails.
    @discardableResult
    public static func run(_ python: String, _ program: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", program]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw NSError(domain: "python", code: Int(p.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: String(decoding: e, as: UTF8.self)])
        }
        return String(decoding: o, as: UTF8.self)
    }

    /// A Python string literal.
    public static func literal(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}

/// Asserts equal shapes and values within `tol` (absolute), naming the worst element.
public func assertValues(_ a: Tensor, _ b: Tensor, tol: Float = 1e-6, _ what: String = "",
                         file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, "shape \(what)", file: file, line: line)
    guard a.shape == b.shape else { return }
    let x = a.toFloats(), y = b.toFloats()
    var worst: Float = 0, at = 0
    for i in 0..<x.count where Swift.abs(x[i] - y[i]) > worst || x[i].isNaN != y[i].isNaN { worst = Swift.abs(x[i] - y[i]); at = i }
    XCTAssertLessThanOrEqual(worst, tol, "\(what): element \(at): \(x.isEmpty ? 0 : x[at]) vs \(y.isEmpty ? 0 : y[at])",
                             file: file, line: line)
}
