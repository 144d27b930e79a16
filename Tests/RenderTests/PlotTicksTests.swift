import Foundation
import XCTest
@testable import Render

/// Tick positions and labels against matplotlib's own MaxNLocator and
/// ScalarFormatter (Fixtures/ticks.json, made by make_tick_fixtures.py).
final class PlotTicksTests: XCTestCase {
    func testLocatorAndFormatterMatchMatplotlib() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/ticks.json")
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try XCTUnwrap(root["cases"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 80)
        for c in cases {
            let lo = try XCTUnwrap(c["lo"] as? Double), hi = try XCTUnwrap(c["hi"] as? Double), n = try XCTUnwrap(c["nbins"] as? Int)
            let want = try XCTUnwrap(c["ticks"] as? [Double])
            let got = Ticks.linear(lo, hi, bins: n)
            XCTAssertEqual(got.count, want.count, "\(lo)...\(hi) nbins \(n): \(got) vs \(want)")
            for (g, w) in zip(got, want) { XCTAssertEqual(g, w, accuracy: Swift.abs(hi - lo) * 1e-9, "\(lo)...\(hi) nbins \(n)") }
            let labels = Ticks.labels(got, view: (lo, hi))
            XCTAssertEqual(labels.labels, c["labels"] as? [String], "\(lo)...\(hi) nbins \(n)")
            XCTAssertEqual(labels.multiplier, c["offset"] as? String, "\(lo)...\(hi) nbins \(n)")
        }
    }

    func testAutoBinsAndMargins() {
        // A default axes is 0.775 × 6.4 in wide = 357 pt: 357 / 30 → 11 → clipped to 9; its height 0.77 × 4.8 in = 266 pt / 20 → 9 (13 → 9).
        XCTAssertEqual(Ticks.bins(lengthPoints: 357.12, vertical: false), 9)
        XCTAssertEqual(Ticks.bins(lengthPoints: 100, vertical: false), 3)
        XCTAssertEqual(Ticks.bins(lengthPoints: 100, vertical: true), 5)
        let v = Ticks.viewLimits(1, 10)
        XCTAssertEqual(v.0, 0.55, accuracy: 1e-12)
        XCTAssertEqual(v.1, 10.45, accuracy: 1e-12)
        XCTAssertEqual(Ticks.logDecades(1e-3, 5, bins: 9), [1e-3, 1e-2, 1e-1, 1])
    }
}

/// `plt.hist`'s bins against NumPy's `histogram` (Fixtures/ticks.json).
final class HistogramTests: XCTestCase {
    func testHistogramMatchesNumPy() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/ticks.json")
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try XCTUnwrap(root["histograms"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 4)
        for c in cases {
            let values = try XCTUnwrap(c["values"] as? [Double]), bins = try XCTUnwrap(c["bins"] as? Int)
            let range = (c["range"] as? [Double]).map { ($0[0], $0[1]) }
            let h = Bars.histogram(values, bins: bins, range: range, density: c["density"] as? Bool ?? false)
            let counts = try XCTUnwrap(c["counts"] as? [Double]), edges = try XCTUnwrap(c["edges"] as? [Double])
            XCTAssertEqual(h.counts.count, counts.count)
            for (a, b) in zip(h.counts, counts) { XCTAssertEqual(a, b, accuracy: 1e-12 * max(1, Swift.abs(b))) }
            for (a, b) in zip(h.edges, edges) { XCTAssertEqual(a, b, accuracy: 1e-12 * max(1, Swift.abs(b))) }
        }
    }
}
