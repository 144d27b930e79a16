import Foundation
import XCTest

/// The random-stream fixtures (`Tests/TensorCoreTests/Fixtures/random/streams.json`,
/// made by `make_random.py` with PyTorch, NumPy and CPython): each case's values as
/// raw bit patterns, compared bit for bit.
public struct RandomCase {
    public let lib: String
    public let fn: String
    public let seed: Int
    public let n: Int
    public let kind: String
    public let data: String

    /// f32 bit patterns.
    public var u32: [UInt32] { words(8).map { UInt32($0) } }
    /// f64 / i64 bit patterns.
    public var u64: [UInt64] { words(16) }
    public var i64: [Int64] { words(16).map { Int64(bitPattern: $0) } }
    public var bytes: [UInt8] { words(2).map { UInt8($0) } }

    func words(_ width: Int) -> [UInt64] {
        let chars = Array(data.utf8)
        var out: [UInt64] = []
        out.reserveCapacity(chars.count / width)
        var i = 0
        while i + width <= chars.count {
            var v: UInt64 = 0
            for c in chars[i..<(i + width)] {
                let d: UInt8 = c >= 97 ? c - 87 : c - 48
                v = v << 4 | UInt64(d)
            }
            out.append(v)
            i += width
        }
        return out
    }

    public var label: String { "\(lib).\(fn) seed=\(seed) n=\(n)" }
}

public enum RandomFixtures {
    nonisolated(unsafe) static var cache: [RandomCase]?

    public static func all() throws -> [RandomCase] {
        if let c = cache { return c }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../TensorCoreTests/Fixtures/random/streams.json").standardized
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as? [String: Any]
        guard let items = json?["cases"] as? [[String: Any]] else {
            throw NSError(domain: "RandomFixtures", code: 1, userInfo: [NSLocalizedDescriptionKey: "no cases in \(url.path)"])
        }
        let cases = items.compactMap { d -> RandomCase? in
            guard let lib = d["lib"] as? String, let fn = d["fn"] as? String, let seed = d["seed"] as? Int,
                  let n = d["n"] as? Int, let kind = d["kind"] as? String, let data = d["data"] as? String else { return nil }
            return RandomCase(lib: lib, fn: fn, seed: seed, n: n, kind: kind, data: data)
        }
        cache = cases
        return cases
    }

    /// The cases of one library and function; fails the test if there are none.
    public static func cases(_ lib: String, _ fn: String, file: StaticString = #filePath, line: UInt = #line) throws -> [RandomCase] {
        let c = try all().filter { $0.lib == lib && $0.fn == fn }
        if c.isEmpty { XCTFail("no fixture cases for \(lib).\(fn)", file: file, line: line) }
        return c
    }
}
