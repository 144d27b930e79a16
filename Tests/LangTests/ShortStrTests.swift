import XCTest
@testable import Lang

/// `ShortStr` reads the standard library's small-string layout directly; these tests hold it
/// to what the public API says about the same strs, so a layout change in a future Swift
/// fails here instead of miscounting or missing dict keys.
final class ShortStrTests: XCTestCase {
    /// Strs of every length 0–20, ASCII and not, made small and made from a longer native
    /// str's slice (so both forms are read).
    static var samples: [String] {
        var out: [String] = []
        let pieces = ["a", "é", "€", "😀", "z", "\u{0301}", "0"]
        for n in 0...20 {
            for k in 0..<pieces.count {
                var s = ""
                var i = 0
                while s.utf8.count < n { s += pieces[(k + i) % pieces.count]; i += 1 }
                out.append(s)
                out.append(String(repeating: "x", count: n))
                // The same bytes built through a larger native buffer, then cut down.
                let long = s + String(repeating: "y", count: 40)
                out.append(String(decoding: long.utf8.prefix(s.utf8.count), as: UTF8.self))
            }
        }
        return out
    }

    func testWordsCountAndCodePointsAgreeWithTheUTF8View() {
        var small = 0
        for s in Self.samples {
            let bytes = Array(s.utf8)
            guard let w = ShortStr(s) else {
                XCTAssertGreaterThan(bytes.count, 15, s)
                continue
            }
            small += 1
            XCTAssertEqual(w.count, bytes.count, s)
            var expected = [UInt8](repeating: 0, count: 16)
            for (i, b) in bytes.enumerated() { expected[i] = b }
            let w0 = expected[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.1) << UInt64(8 * $1.0) }
            let w1 = expected[8..<16].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.1) << UInt64(8 * $1.0) }
            XCTAssertEqual(w.w0, w0, s)
            XCTAssertEqual(w.w1, w1, s)
            XCTAssertEqual(w.isASCII, bytes.allSatisfy { $0 < 0x80 }, s)
            XCTAssertEqual(w.codePoints, s.unicodeScalars.count, s)
            XCTAssertEqual(Interpreter.codePoints(s), s.unicodeScalars.count, s)
            bytes.withUnsafeBufferPointer { XCTAssertEqual(ShortStr(utf8: $0), w, s) }
            XCTAssertEqual(w.hash, HashKey.strHash(s), s)
            XCTAssertEqual(w.hash, DictBox.hash(.str(s)), s)
        }
        XCTAssertGreaterThan(small, 200)
    }

    /// Keys of every length and form, stored and found by str and by bytes, removed from the
    /// middle (moving longer keys' bytes in the pool) and found again.
    func testDictFindsEveryKeyInEitherForm() {
        let keys = Array(Set(Self.samples))
        let d = DictBox()
        for (i, k) in keys.enumerated() { d.set(.str(k), .str(k), .int(i)) }
        XCTAssertEqual(d.count, keys.count)
        for (i, k) in keys.enumerated() {
            XCTAssertEqual(d.find(str: k), i, k)
            let other = String(decoding: Array(k.utf8), as: UTF8.self)
            XCTAssertEqual(d.find(str: other), i, k)
            Array(k.utf8).withUnsafeBufferPointer { XCTAssertEqual(d.find(utf8: $0), i, k) }
            XCTAssertNil(d.find(str: k + "q"), k)
        }
        // Remove every third key; the rest keep their values.
        for (i, k) in keys.enumerated() where i % 3 == 0 { XCTAssertNotNil(d.remove(.str(k)), k) }
        for (i, k) in keys.enumerated() {
            if i % 3 == 0 {
                XCTAssertNil(d.find(str: k), k)
            } else if let j = d.find(str: k), case .int(let v) = d.value(at: j) {
                XCTAssertEqual(v, i, k)
            } else {
                XCTFail("lost \(k)")
            }
        }
    }
}
