import XCTest
import Foundation
import TestSupport
@testable import Formats

/// Notebooks/08-train-fashion-mnist.tpad, shortened as make_training.py runs it under
/// PyTorch + torchvision (EPOCHS=2, SUBSET=3000 images): the same data order, the same
/// initial weights and the same training, so every line PyTorch printed is printed here;
/// losses and accuracies agree to rounding (float sums in another order). Then the files
/// it writes, read back, and its checkpoint loaded by PyTorch.
final class TrainingNotebookTests: XCTestCase {
    static let name = "08-train-fashion-mnist"

    func testTrainingNotebookPrintsWhatPyTorchPrints() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = TensorpadBinary.packageRoot
        try FileManager.default.copyItem(at: root.appendingPathComponent("Notebooks/\(Self.name).tpad"),
                                         to: dir.appendingPathComponent("\(Self.name).tpad"))
        // No data/ folder here: the dataset comes from Debian's dataset-fashion-mnist.
        let r = try TensorpadBinary.run(["run", "\(Self.name).tpad"], directory: dir,
                                        environment: ["EPOCHS": "2", "SUBSET": "3000"])
        XCTAssertEqual(r.status, 0, r.stderr)

        // tqdm's last state of each epoch's bar (stderr is not a terminal).
        XCTAssertTrue(r.stderr.contains("epoch 1/2: 100%|██████████| 12/12 ["), r.stderr)
        XCTAssertTrue(r.stderr.contains("epoch 2/2: 100%|██████████| 12/12 ["), r.stderr)

        let fixture = root.appendingPathComponent("Tests/NotebookTests/Fixtures/\(Self.name).torch.txt")
        let want = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let got = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(got.count, want.count, r.stdout)
        for (k, (g, w)) in zip(got, want).enumerated() {
            XCTAssertTrue(Self.sameUpToRounding(String(g), String(w)), "line \(k + 1):\n  got:      \(g)\n  PyTorch:  \(w)")
        }

        // Loss and accuracy curves: a 10×4-inch figure at 100 dpi.
        let png = try Data(contentsOf: dir.appendingPathComponent("fashion_curves.png"))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        XCTAssertEqual([Self.bigEndian(png, 16), Self.bigEndian(png, 20)], [1000, 400])
        // Six 5×5 filters in a row, 1-pixel borders, ×8: (6·5 + 7) × 8 by (5 + 2) × 8.
        let filters = try PGMFile(path: dir.appendingPathComponent("fashion_filters.pgm").path)
        XCTAssertEqual([filters.width, filters.height, filters.maxval], [296, 56, 255])
        XCTAssertEqual(filters.samples.max(), 255)
        // Six 28×28 maps of conv1 + ReLU, 2-pixel borders, ×2: (6·28 + 14) × 2 by (28 + 4) × 2.
        let maps = try PGMFile(path: dir.appendingPathComponent("fashion_maps.pgm").path)
        XCTAssertEqual([maps.width, maps.height, maps.maxval], [364, 64, 255])

        // The checkpoint is PyTorch's own format: torch.load reads the state dict.
        let python = try TorchPython.path()
        let keys = try TorchPython.run(python, """
        import torch
        sd = torch.load(\(TorchPython.literal(dir.appendingPathComponent("fashion_lenet.pt").path)), weights_only=True)
        print(" ".join(f"{k}:{tuple(v.shape)}" for k, v in sd.items()))
        """)
        XCTAssertEqual(keys, "0.weight:(6, 1, 5, 5) 0.bias:(6,) 3.weight:(16, 6, 5, 5) 3.bias:(16,) 7.weight:(120, 400) "
                       + "7.bias:(120,) 9.weight:(84, 120) 9.bias:(84,) 11.weight:(10, 84) 11.bias:(10,)\n")
    }

    /// Equal text, except that numbers may differ by 2e-3 (float32 training in another order).
    static func sameUpToRounding(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let ta = a.split(separator: " ", omittingEmptySubsequences: true)
        let tb = b.split(separator: " ", omittingEmptySubsequences: true)
        guard ta.count == tb.count else { return false }
        for (x, y) in zip(ta, tb) where x != y {
            // 2e-3 inclusive: one of the 500 test images classified the other way (0.5220 against
            // 0.5200), whose difference in doubles is a hair above 0.002.
            guard let u = Double(x), let v = Double(y), abs(u - v) <= 2e-3 + 1e-9 else { return false }
        }
        return true
    }

    static func bigEndian(_ d: Data, _ at: Int) -> Int {
        d[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) }
    }
}
