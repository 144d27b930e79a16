import XCTest
import Foundation
import Notebook
import TestSupport
@testable import Formats

/// SPEC §8 from the language: files written by NumPy and PyTorch
/// (Fixtures/files, made by make_files.py) load in Tensorpad, and files
/// Tensorpad writes load in NumPy.
final class FileBuiltinsTests: XCTestCase {
    let fixtures = TensorpadBinary.packageRoot.appendingPathComponent("Tests/NotebookTests/Fixtures/files").path
    var dir = ""

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-files-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// Runs one cell in a fresh session: what it printed, then its error line (if any).
    func run(_ source: String) -> String {
        let r = Session().run(source)
        return r.stdout + (r.error.map { $0.description + "\n" } ?? "")
    }

    func testArraysWrittenByNumPyLoad() {
        XCTAssertEqual(run("""
        print(load_npy('\(fixtures)/numpy_f32.npy'))
        print(load_npy('\(fixtures)/numpy_i64.npy'))
        print(load_npy('\(fixtures)/numpy_u8.npy'))
        print(load_npz('\(fixtures)/numpy_arrays.npz'))
        """), """
        tensor([[-0.6250, -0.3750, -0.1250],
                [ 0.1250,  0.3750,  0.6250]])
        tensor([[          1,          -2],
                [          3, 40000000000]])
        tensor([  0,   7, 255])
        {'weights': tensor([-1.0000, -0.5000,  0.0000,  0.5000,  1.0000]), 'labels': tensor([3, 1, 4])}

        """)
        let fortran = run("load_npy('\(fixtures)/numpy_f64_fortran.npy')")
        XCTAssertTrue(fortran.hasPrefix("IOError: ") && fortran.contains("Fortran-order arrays are not supported"), fortran)
        XCTAssertEqual(run("load_npy('\(dir)/none.npy')"), "FileNotFoundError: [Errno 2] No such file or directory: '\(dir)/none.npy'\n")
        XCTAssertTrue(run("load_npz('\(fixtures)/numpy_f32.npy')").hasPrefix("IOError: "))
    }

    func testArraysWrittenByTensorpadLoadInNumPy() throws {
        guard Python.hasNumPy else {
            throw Prerequisite.missing("python3 with numpy is needed (make test's .venv-test has it)")
        }
        XCTAssertEqual(run("""
        save_npy(torch.tensor([[1.5, -2.0], [0.0, 3.25]]), '\(dir)/f.npy')
        save_npy(torch.arange(6).reshape(2, 3)[:, 1:], '\(dir)/i.npy')
        save_npy(torch.tensor([True, False]), '\(dir)/b.npy')
        save_npz('\(dir)/z.npz', w=torch.ones(2), n=torch.tensor([7]))
        """), "")
        let out = try Python.run("""
        import numpy as np
        for n in ['f', 'i', 'b']:
            a = np.load('\(dir)/' + n + '.npy')
            print(a.dtype, a.shape, a.tolist())
        z = np.load('\(dir)/z.npz')
        print(sorted(z.files), z['w'].tolist(), z['n'].tolist())
        """)
        XCTAssertEqual(out, """
        float32 (2, 2) [[1.5, -2.0], [0.0, 3.25]]
        int64 (2, 2) [[1, 2], [4, 5]]
        bool (2,) [True, False]
        ['n', 'w'] [1.0, 1.0] [7]

        """)
    }

    func testWeightsSavedByPyTorchGiveTheSameOutputs() throws {
        let expected = try String(contentsOfFile: fixtures + "/cnn_expected.txt", encoding: .utf8)
        let out = run("""
        net = nn.Sequential(nn.Conv2d(1, 3, 3), nn.BatchNorm2d(3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(27, 4))
        load_weights(net, '\(fixtures)/cnn.safetensors')
        net.eval()
        with torch.no_grad():
            y = net(load_npy('\(fixtures)/cnn_input.npy'))
        print(y)
        print(torch.allclose(y, load_npy('\(fixtures)/cnn_expected.npy'), atol=1e-6))
        print(net[1].num_batches_tracked.item(), net[1].running_var.tolist())
        """)
        XCTAssertEqual(out, expected + "True\n7 [0.8999999761581421, 1.2000000476837158, 0.5]\n")
    }

    func testLoadWeightsChecksKeysAndShapesAndChangesNothingOnError() {
        let session = Session()
        XCTAssertEqual(session.run("""
        net = nn.Sequential(nn.Conv2d(1, 3, 3), nn.BatchNorm2d(3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(12, 4))
        before = net[0].weight.clone()
        load_weights(net, '\(fixtures)/cnn.safetensors')
        """).error?.description, """
        IOError: Error(s) in loading state_dict for Sequential:
        \tsize mismatch for 5.weight: copying a param with shape torch.Size([4, 27]) from checkpoint, the shape in current model is torch.Size([4, 12]).
        """)
        XCTAssertEqual(session.run("print(torch.equal(before, net[0].weight))").stdout, "True\n")
        XCTAssertEqual(run("load_weights(nn.Sequential(nn.Linear(2, 2)), '\(fixtures)/cnn.safetensors')"), """
        IOError: Error(s) in loading state_dict for Sequential:
        \tUnexpected key(s) in state_dict: "1.num_batches_tracked", "1.bias", "1.running_mean", "1.running_var", "1.weight", "5.bias", "5.weight". \n\tsize mismatch for 0.weight: copying a param with shape torch.Size([3, 1, 3, 3]) from checkpoint, the shape in current model is torch.Size([2, 2]).
        \tsize mismatch for 0.bias: copying a param with shape torch.Size([3]) from checkpoint, the shape in current model is torch.Size([2]).

        """)
    }

    func testSaveWeightsWritesStateDictNamesAndRoundTrips() throws {
        XCTAssertEqual(run("""
        torch.manual_seed(1)
        a = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Sequential(nn.BatchNorm1d(2)))
        save_weights(a, '\(dir)/w.safetensors')
        b = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Sequential(nn.BatchNorm1d(2)))
        load_weights(b, '\(dir)/w.safetensors')
        print(all(torch.equal(a.state_dict()[k], b.state_dict()[k]) for k in a.state_dict()))
        """), "True\n")
        let names = try Safetensors.load(path: dir + "/w.safetensors").map(\.0).sorted()
        XCTAssertEqual(names, ["0.bias", "0.weight", "2.0.bias", "2.0.num_batches_tracked", "2.0.running_mean",
                               "2.0.running_var", "2.0.weight"])
    }

    func testLoadIDX() throws {
        // magic 0x00000803 (unsigned bytes, 3 dims), 2 images of 2x3
        var bytes: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3]
        bytes += (0..<12).map { UInt8($0 * 20) }
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/img-idx3-ubyte"))
        // unsigned bytes widen to int64
        XCTAssertEqual(run("x = load_idx('\(dir)/img-idx3-ubyte')\nprint(x.shape, x.dtype, x[1, 1].tolist())"),
                       "torch.Size([2, 2, 3]) torch.int64 [180, 200, 220]\n")
        try Data(bytes.prefix(20)).write(to: URL(fileURLWithPath: dir + "/short"))
        XCTAssertTrue(run("load_idx('\(dir)/short')").hasPrefix("IOError: "))
    }
}

/// A python3 with NumPy, for checking that NumPy reads our files: make test's .venv-test
/// (TENSORPAD_TEST_PYTHON), else the system's.
enum Python {
    static var hasNumPy: Bool { (try? run("import numpy")) != nil }

    static func run(_ program: String) throws -> String {
        let venv = ProcessInfo.processInfo.environment["TENSORPAD_TEST_PYTHON"]
            ?? TensorpadBinary.packageRoot.appendingPathComponent(".venv-test/bin/python").path
        let p = Process()
        if FileManager.default.isExecutableFile(atPath: venv) {
            p.executableURL = URL(fileURLWithPath: venv)
            p.arguments = ["-c", program]
        } else {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", "-c", program]
        }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        _ = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown) }
        return text
    }
}
