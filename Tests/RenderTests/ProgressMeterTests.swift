import Foundation
import XCTest
@testable import Render

/// `ProgressMeter` against tqdm's own `format_meter` / `format_num` output
/// (Fixtures/tqdm_cases.json, made by make_tqdm_fixtures.py with real tqdm).
final class ProgressMeterTests: XCTestCase {
    func fixture() throws -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tqdm_cases.json")
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    func testMeterMatchesTqdm() throws {
        let cases = try XCTUnwrap(try fixture()["meter"] as? [[String: Any]])
        XCTAssertGreaterThan(cases.count, 20)
        for c in cases {
            let n = try XCTUnwrap(c["n"] as? Int)
            let total = c["total"] as? Int
            let got = ProgressMeter.format(
                n: Double(n), nText: String(n), total: total.map(Double.init), totalText: total.map(String.init),
                elapsed: try XCTUnwrap(c["elapsed"] as? Double), ncols: c["ncols"] as? Int,
                prefix: c["prefix"] as? String ?? "", unit: c["unit"] as? String ?? "it",
                rate: c["rate"] as? Double, postfix: c["postfix"] as? String ?? "",
                initial: Double(c["initial"] as? Int ?? 0))
            XCTAssertEqual(got, c["expected"] as? String, "case \(c)")
        }
    }

    func testPostfixNumbersMatchTqdm() throws {
        let cases = try XCTUnwrap(try fixture()["numbers"] as? [[String: Any]])
        for c in cases {
            let v = try XCTUnwrap(c["value"] as? Double), py = try XCTUnwrap(c["python"] as? String)
            XCTAssertEqual(ProgressMeter.number(v, pythonText: py), c["expected"] as? String, "value \(py)")
        }
    }

    func testIntervals() {
        XCTAssertEqual(ProgressMeter.interval(0), "00:00")
        XCTAssertEqual(ProgressMeter.interval(59.99), "00:59")
        XCTAssertEqual(ProgressMeter.interval(3600), "1:00:00")
        XCTAssertEqual(ProgressMeter.interval(-61), "-01:01")
    }
}
