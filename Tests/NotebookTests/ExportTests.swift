import Foundation
import XCTest
import TestSupport

/// `tensorpad export NB --to pytorch DIR`: the script's text, the files it
/// carries, and the exported notebooks run under Python + PyTorch printing
/// and writing what Tensorpad prints and writes (every notebook, and
/// torchrun, in `make test-pytorch`).
final class ExportTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ text: String) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url
    }

    func testScriptKeepsCellsAndShowsEachCellsLastValue() throws {
        _ = try write("nb/demo.tpad", """
        # %% [markdown]
        # # A title
        # Some words.

        # %% First
        x = torch.ones(2)
        x * 2

        # %% Silent
        y = x + 1;

        # %% Printing
        print(y)

        # %% Magic and a tuple
        %time z = 3
        y.shape, z  # both

        # %% Over lines
        torch.tensor([1.,
                      2.])
        """)
        let r = try TensorpadBinary.run(["export", "nb/demo.tpad", "--to", "pytorch", "out"], directory: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, """
        warning: cell 5: the magic `%time z = 3` is left as a comment
        wrote out/demo.py
        wrote out/tensorpad_compat.py

        """)
        let script = try String(contentsOf: dir.appendingPathComponent("out/demo.py"), encoding: .utf8)
        let body = script.components(separatedBy: "os.chdir(os.path.dirname(os.path.abspath(__file__)))\n\n")
        XCTAssertEqual(body.count, 2, script)
        XCTAssertTrue(script.hasPrefix("# Exported from demo.tpad by `tensorpad export --to pytorch`."), script)
        XCTAssertTrue(script.contains("import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nfrom torch import optim\n"))
        XCTAssertTrue(script.contains("import tensorpad_compat\nfrom tensorpad_compat import *\n"))
        XCTAssertEqual(body.last, """
        # %% [markdown]
        # # A title
        # Some words.

        # %% First
        x = torch.ones(2)
        tensorpad_compat.display((x * 2))

        # %% Silent
        y = x + 1;

        # %% Printing
        print(y)

        # %% Magic and a tuple
        # %time z = 3  # a Tensorpad magic: not run under Python
        tensorpad_compat.display((y.shape, z  # both
        ))

        # %% Over lines
        tensorpad_compat.display((torch.tensor([1.,
                      2.])
        ))

        """)
        let compat = try String(contentsOf: dir.appendingPathComponent("out/tensorpad_compat.py"), encoding: .utf8)
        for name in ["Residual", "summary", "shapes", "table", "show", "save_pgm", "save_grid", "feature_maps", "load_pgm",
                     "load_npy", "save_npy", "load_npz", "save_weights", "load_weights", "load_idx"] {
            XCTAssertTrue(compat.contains("\ndef \(name)(") || compat.contains("\nclass \(name)("), name)
        }
    }

    func testFilesTheNotebookReadsAreCarried() throws {
        let weights = Data([1, 2, 3, 250])
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("nb/models"), withIntermediateDirectories: true)
        try weights.write(to: dir.appendingPathComponent("nb/models/net.safetensors"))
        try Data([7]).write(to: dir.appendingPathComponent("nb/x.npy"))
        _ = try write("nb/demo.tpad", """
        net = nn.Linear(2, 2)
        load_weights(net, "models/net.safetensors")
        a = load_npy('x.npy')
        save_npy(a, "y.npy")
        b = load_npy("missing.npy")
        """)
        let r = try TensorpadBinary.run(["export", "nb/demo.tpad", "--to", "pytorch", "out"], directory: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("out/models/net.safetensors")), weights)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("out/x.npy")), Data([7]))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/y.npy").path))
        XCTAssertTrue(r.stderr.hasSuffix("wrote out/models/net.safetensors\nwrote out/x.npy\n"), r.stderr)
    }

    func testOnlyPyTorchIsATarget() throws {
        _ = try write("demo.tpad", "x = 1\n")
        let r = try TensorpadBinary.run(["export", "demo.tpad", "--to", "jax", "out"], directory: dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.hasPrefix("Error: unknown export target 'jax'; the one target is 'pytorch'\n"), r.stderr)
        let missing = try TensorpadBinary.run(["export", "nope.tpad", "--to", "pytorch", "out"], directory: dir)
        XCTAssertEqual(missing.status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    /// The notebooks built on Tensorpad-only names (Residual; load_pgm, show, table,
    /// summary, shapes, feature_maps, save_grid; table, show, save_grid), exported and
    /// run by PyTorch: the same stdout as the fixtures `tensorpad run` is checked
    /// against, and the images Tensorpad writes.
    func testExportedNotebooksPrintAndWriteWhatTensorpadDoes() throws {
        let python = try TorchPython.path()
        let root = TensorpadBinary.packageRoot
        for name in ["03-resnet-shapes", "06-feature-maps", "07-autograd"] {
            let out = dir.appendingPathComponent(name)
            let r = try TensorpadBinary.run(["export", "Notebooks/\(name).tpad", "--to", "pytorch", out.path])
            XCTAssertEqual(r.status, 0, r.stderr)
            let script = out.appendingPathComponent("\(name).py").path
            let stdout = try TorchPython.run(python, "import runpy; runpy.run_path(\(TorchPython.literal(script)), run_name='__main__')")
            let expected = try String(contentsOf: root.appendingPathComponent("Tests/NotebookTests/Fixtures/\(name).out"), encoding: .utf8)
            XCTAssertEqual(stdout, expected, name)
        }
        // 07's gradient grid: Tensorpad's bytes. (06's conv1 maps may differ by a grey level
        // in a few pixels where PyTorch's convolution rounds differently; make test-pytorch counts them.)
        let tp = dir.appendingPathComponent("tp")
        try FileManager.default.createDirectory(at: tp, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: root.appendingPathComponent("Notebooks/07-autograd.tpad"), to: tp.appendingPathComponent("07.tpad"))
        XCTAssertEqual(try TensorpadBinary.run(["run", "07.tpad"], directory: tp).status, 0)
        let a = try Data(contentsOf: tp.appendingPathComponent("conv_weight_grad.pgm"))
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("07-autograd/conv_weight_grad.pgm")), a)
        for layer in ["04_Conv2d", "05_ReLU", "06_AdaptiveAvgPool2d", "08_Linear"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("06-feature-maps/feature_maps_out/\(layer).pgm").path), layer)
        }
    }

    /// tensorpad_compat's file functions write Tensorpad's bytes, and each reads the other's.
    func testCompatFilesMatchTensorpads() throws {
        let python = try TorchPython.path()
        _ = try write("nb/files.tpad", """
        torch.manual_seed(0)
        t = torch.arange(12.).reshape(3, 4) / 7
        save_npy(t, "t.npy")
        save_npy(torch.tensor([[1, 2], [3, 4]]), "i.npy")
        net = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
        with torch.no_grad():
            net[0].weight.copy_(torch.arange(6.).reshape(2, 3))
        save_weights(net, "net.safetensors")
        save_pgm(t, "t.pgm")
        save_pgm(t, "t16.pgm", normalize=False, value_range=(0.1, 1.2), bits=16, scale=2)
        save_grid(torch.arange(48.).reshape(3, 4, 4), "g.pgm", nrow=2, padding=1, scale_each=True, pad_value=0.5, scale=3)
        print(load_npy("t.npy").dtype, load_pgm("t16.pgm").shape, load_idx("idx").tolist())
        net2 = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
        load_weights(net2, "net.safetensors")
        print(net2[0].weight.tolist())
        """)
        // An IDX file of int32s, big-endian: dims (2, 2).
        try Data([0, 0, 0x0C, 2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF])
            .write(to: dir.appendingPathComponent("nb/idx"))
        let r = try TensorpadBinary.run(["export", "nb/files.tpad", "--to", "pytorch", "py"], directory: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        // The files it reads (idx) came along.
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("py/idx").path))
        let tp = try TensorpadBinary.run(["run", "nb/files.tpad"], directory: dir)
        XCTAssertEqual(tp.status, 0, tp.stderr)
        let script = dir.appendingPathComponent("py/files.py").path
        let py = try TorchPython.run(python, "import runpy; runpy.run_path(\(TorchPython.literal(script)), run_name='__main__')")
        XCTAssertEqual(py, tp.stdout)
        XCTAssertEqual(tp.stdout, "torch.float32 torch.Size([1, 6, 8]) [[1, 2], [3, -1]]\n[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]\n")
        for f in ["t.npy", "i.npy", "net.safetensors", "t.pgm", "t16.pgm", "g.pgm"] {
            XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("py/\(f)")),
                           try Data(contentsOf: dir.appendingPathComponent("nb/\(f)")), f)
        }
    }
}
