import XCTest
import Foundation
import TestSupport
@testable import Formats

/// Notebooks/07-autograd.tpad run by the binary. `table` and `show` are Tensorpad's
/// own, so 07-autograd.out was made by this binary (COLUMNS=80, not a terminal) and
/// read through by hand; every line PyTorch prints for the same notebook
/// (07-autograd.torch.txt, by make_expected.py) must appear in it, in order.
final class AutogradNotebookTests: XCTestCase {
    func testAutogradNotebook() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-ag-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = TensorpadBinary.packageRoot
        try FileManager.default.copyItem(at: root.appendingPathComponent("Notebooks/07-autograd.tpad"),
                                         to: dir.appendingPathComponent("07-autograd.tpad"))
        let r = try TensorpadBinary.run(["run", "07-autograd.tpad"], directory: dir, environment: ["COLUMNS": "80", "NO_COLOR": "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let fixtures = root.appendingPathComponent("Tests/NotebookTests/Fixtures")
        XCTAssertEqual(r.stdout, try String(contentsOf: fixtures.appendingPathComponent("07-autograd.out"), encoding: .utf8))
        var lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)[...]
        for want in try String(contentsOf: fixtures.appendingPathComponent("07-autograd.torch.txt"), encoding: .utf8)
            .split(separator: "\n") {
            guard let i = lines.firstIndex(of: want) else { XCTFail("PyTorch's line missing or out of order: \(want)"); return }
            lines = lines[(i + 1)...]
        }
        // The weight gradients as a 4-tile grid: (4 tiles × 3 + 5 borders) × 8 wide, (3 + 2) × 8 high.
        let f = try PGMFile(path: dir.appendingPathComponent("conv_weight_grad.pgm").path)
        XCTAssertEqual([f.width, f.height, f.maxval], [136, 40, 255])
        XCTAssertEqual(f.samples.max(), 255)
    }
}
