import Foundation
import XCTest
import TestSupport

/// torch.distributed in one process: the fixture PyTorch printed for a world of one
/// (Fixtures/distributed.tpad, made by make_expected.py), the launcher's variables read
/// from the environment, and Notebooks/13-ddp-fashion-mnist.tpad trained in Tensorpad
/// next to what PyTorch printed for it (make_ddp.py). Two processes under torchrun:
/// `make test-pytorch`.
final class DistributedNotebookTests: XCTestCase {
    func testWorldOfOnePrintsWhatPyTorchPrints() throws {
        let root = TensorpadBinary.packageRoot
        let expected = try String(contentsOf: root.appendingPathComponent("Tests/NotebookTests/Fixtures/distributed.out"), encoding: .utf8)
        let r = try TensorpadBinary.run(["run", "Tests/NotebookTests/Fixtures/distributed.tpad"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, expected)
    }

    func testLauncherVariablesAreRead() throws {
        let code = "import torch.distributed as dist\ndist.init_process_group('gloo')\nprint(dist.get_rank(), dist.get_world_size())"
        let one = try TensorpadBinary.run(["-c", code], environment: ["RANK": "0", "WORLD_SIZE": "1", "LOCAL_RANK": "0"])
        XCTAssertEqual(one.stdout, "0 1\n", one.stderr)
        let two = try TensorpadBinary.run(["-c", code], environment: ["RANK": "1", "WORLD_SIZE": "2"])
        XCTAssertEqual(two.status, 1)
        XCTAssertTrue(two.stderr.hasPrefix("RuntimeError: Tensorpad runs one process, but this process group asks for world_size=2, rank=1; run the exported script (tensorpad export NB --to pytorch DIR) under torchrun --nproc_per_node 2 for several processes\n"), two.stderr)
        let bad = try TensorpadBinary.run(["-c", code], environment: ["WORLD_SIZE": "two"])
        XCTAssertTrue(bad.stderr.hasPrefix("ValueError: invalid literal for int() with base 10: 'two'\n"), bad.stderr)
        let ddp = try TensorpadBinary.run(["-c", "nn.parallel.DistributedDataParallel(nn.Linear(1, 1))"])
        XCTAssertTrue(ddp.stderr.hasPrefix("ValueError: Default process group has not been initialized, please make sure to call init_process_group.\n"), ddp.stderr)
    }

    /// The DDP notebook shortened (EPOCHS=2, SUBSET=2000): every line PyTorch printed,
    /// numbers equal to rounding; the checkpoint holds the plain model's names.
    func testDDPNotebookTrainsAsPyTorchDoes() throws {
        let name = "13-ddp-fashion-mnist"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-ddp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = TensorpadBinary.packageRoot
        try FileManager.default.copyItem(at: root.appendingPathComponent("Notebooks/\(name).tpad"), to: dir.appendingPathComponent("\(name).tpad"))
        let r = try TensorpadBinary.run(["run", "\(name).tpad"], directory: dir, environment: ["EPOCHS": "2", "SUBSET": "2000"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let want = try String(contentsOf: root.appendingPathComponent("Tests/NotebookTests/Fixtures/\(name).torch.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        let got = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(got.count, want.count, r.stdout)
        for (k, (g, w)) in zip(got, want).enumerated() {
            XCTAssertTrue(Self.sameUpToRounding(String(g), String(w)), "line \(k + 1):\n  got:      \(g)\n  PyTorch:  \(w)")
        }
        let losses = got.compactMap { line -> Double? in
            guard line.hasPrefix("epoch "), let i = line.range(of: "loss ") else { return nil }
            return Double(line[i.upperBound...].prefix { $0 != " " })
        }
        XCTAssertEqual(losses.count, 2)
        XCTAssertLessThan(losses.last ?? 9, losses.first ?? 0)
        let python = try TorchPython.path()
        let keys = try TorchPython.run(python, """
        import torch
        sd = torch.load(\(TorchPython.literal(dir.appendingPathComponent("fashion_ddp.pt").path)), weights_only=True)
        print(" ".join(sd.keys()))
        """)
        XCTAssertEqual(keys, "0.weight 0.bias 3.weight 3.bias 7.weight 7.bias 9.weight 9.bias 11.weight 11.bias\n")
    }

    /// Equal text with the numbers equal to the last printed digit, give or take 2% (float
    /// sums in another order move a loss in its fourth decimal after some steps).
    static func sameUpToRounding(_ a: String, _ b: String) -> Bool {
        guard let number = try? NSRegularExpression(pattern: "-?\\d+(\\.\\d+)?") else { return false }
        func split(_ s: String) -> (String, [Double]) {
            let ns = s as NSString
            let ms = number.matches(in: s, range: NSRange(location: 0, length: ns.length))
            return (number.stringByReplacingMatches(in: s, range: NSRange(location: 0, length: ns.length), withTemplate: "#"),
                    ms.compactMap { Double(ns.substring(with: $0.range)) })
        }
        let (ta, na) = split(a), (tb, nb) = split(b)
        guard ta == tb, na.count == nb.count else { return false }
        return zip(na, nb).allSatisfy { abs($0 - $1) <= max(0.02 * abs($1), 1e-9) }
    }
}
