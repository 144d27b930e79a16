import XCTest
import Foundation
import TensorCore
import Formats
import TestSupport
@testable import Data

/// Files under `Tests/DataTests/Fixtures`, made by `make_fixtures.py` with real PyTorch and torchvision.
enum Fixture {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    static func npz(_ name: String) throws -> [String: Tensor] {
        Dictionary(try NPZ.load(path: path(name)), uniquingKeysWith: { a, _ in a })
    }

    /// A path in a per-process temporary directory.
    static func tmp(_ name: String) -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("datatests-\(getpid())")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d.appendingPathComponent(name).path
    }
}

/// The tensor inside a sample (fails the test otherwise).
func tensor(_ s: Sample?, file: StaticString = #filePath, line: UInt = #line) throws -> Tensor {
    guard case .tensor(let t)? = s else {
        XCTFail("not a tensor: \(String(describing: s))", file: file, line: line)
        throw DataError.type("not a tensor")
    }
    return t
}

