import Foundation
import XCTest
import TensorCore
@testable import Render

/// Compares `TensorPrinter.repr` character by character with what PyTorch printed for
/// the same values (Fixtures/print_cases.json, made by make_print_fixtures.py).
final class TensorPrinterFixtureTests: XCTestCase {
    struct Case {
        let name: String
        let tensor: Tensor
        let options: PrintOptions
        let requiresGrad: Bool
        let gradFn: String?
        let parameter: Bool
        let expected: String
    }

    static func fixturesDirectory() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    static func loadCases() throws -> [Case] {
        let url = fixturesDirectory().appendingPathComponent("print_cases.json")
        let data = try Data(contentsOf: url)
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let cases = root["cases"] as? [[String: Any]] else {
            throw TensorError.value("bad fixture file")
        }
        return try cases.map(parse)
    }

    static func parse(_ c: [String: Any]) throws -> Case {
        guard let name = c["name"] as? String, let dtype = c["dtype"] as? String,
              let shape = c["shape"] as? [Int], let b64 = c["data"] as? String,
              let bytes = Data(base64Encoded: b64), let expected = c["expected"] as? String else {
            throw TensorError.value("bad case \(c["name"] ?? "?")")
        }
        var t: Tensor
        switch dtype {
        case "float32":
            let vals: [Float] = bytes.withUnsafeBytes { raw in
                (0..<(raw.count / 4)).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
            }
            t = try Tensor(vals, shape: shape)
        case "int64":
            let vals: [Int64] = bytes.withUnsafeBytes { raw in
                (0..<(raw.count / 8)).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self) }
            }
            t = try Tensor(ints: vals, shape: shape)
        case "bool":
            t = try Tensor(bools: bytes.map { $0 != 0 }, shape: shape)
        default:
            throw TensorError.value("dtype \(dtype)")
        }
        if (c["transpose"] as? Bool) == true { t = try t.transpose(0, 1) }
        var o = PrintOptions()
        let opts = c["options"] as? [String: Any] ?? [:]
        if let p = opts["profile"] as? String, let prof = PrintOptions.profile(p) { o = prof }
        if let v = opts["precision"] as? Int { o.precision = v }
        if let v = opts["threshold"] as? Double { o.threshold = v }
        if let v = opts["edgeitems"] as? Int { o.edgeitems = v }
        if let v = opts["linewidth"] as? Int { o.linewidth = v }
        if let v = opts["sci_mode"] as? Bool { o.sciMode = v }
        return Case(name: name, tensor: t, options: o,
                    requiresGrad: (c["requires_grad"] as? Bool) ?? false,
                    gradFn: c["grad_fn"] as? String,
                    parameter: (c["parameter"] as? Bool) ?? false,
                    expected: expected)
    }

    func testAllFixtureCasesMatchPyTorch() throws {
        let cases = try Self.loadCases()
        XCTAssertGreaterThan(cases.count, 90)
        var failed: [String] = []
        for c in cases {
            let got = TensorPrinter.repr(c.tensor, requiresGrad: c.requiresGrad, gradFn: c.gradFn,
                                         parameter: c.parameter, options: c.options)
            if got != c.expected {
                failed.append(c.name)
                XCTFail("\(c.name):\n--- expected\n\(c.expected)\n--- got\n\(got)")
            }
        }
        XCTAssertEqual(failed, [])
    }

    func testFixtureOptionsOnlyUseKnownKeys() throws {
        // A renamed option in the generator would silently fall back to defaults.
        let url = Self.fixturesDirectory().appendingPathComponent("print_cases.json")
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        let known: Set<String> = ["precision", "threshold", "edgeitems", "linewidth", "sci_mode", "profile"]
        for c in root?["cases"] as? [[String: Any]] ?? [] {
            for key in (c["options"] as? [String: Any] ?? [:]).keys {
                XCTAssertTrue(known.contains(key), key)
            }
        }
    }
}
