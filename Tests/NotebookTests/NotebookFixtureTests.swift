import Foundation
import XCTest
import TestSupport

/// Each notebook of Notebooks/ run by the real binary prints exactly what the
/// same program prints under Python + PyTorch (fixtures made by
/// Fixtures/make_expected.py).
final class NotebookFixtureTests: XCTestCase {
    /// The expected outputs were made by PyTorch on an AMD CPU: dropout masks from ATen's own
    /// kernel, not the MKL stream PyTorch uses on Intel CPUs (the binary inherits this).
    override func setUp() { setenv("TENSORPAD_BERNOULLI", "aten", 1) }

    func check(_ name: String, in folder: String = "Notebooks", file: StaticString = #filePath, line: UInt = #line) throws {
        let root = TensorpadBinary.packageRoot
        let expected = try String(contentsOf: root.appendingPathComponent("Tests/NotebookTests/Fixtures/\(name).out"), encoding: .utf8)
        let r = try TensorpadBinary.run(["run", "\(folder)/\(name).tpad"])
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        XCTAssertEqual(r.stderr, "", file: file, line: line)
        if r.stdout != expected {
            let a = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            XCTFail("\(name): first difference at line \(i + 1):\n  got:      \(i < a.count ? String(a[i]) : "<end>")\n  expected: \(i < b.count ? String(b[i]) : "<end>")",
                    file: file, line: line)
        }
    }

    func testConvShapes() throws { try check("01-conv-shapes") }
    func testLayerTour() throws { try check("02-layer-tour") }
    func testResNetShapes() throws { try check("03-resnet-shapes") }
    func testConvFromScratch() throws { try check("04-conv-from-scratch") }
    func testPaddingStride() throws { try check("05-padding-stride") }
    /// manual_seed(0), a LeNet with default initialisation, randn, dropout: PyTorch's numbers.
    func testSeeded() throws { try check("10-seeded") }
    /// Every torch sampling function, Generator, get/set_rng_state, fork_rng, dropout, RReLU, init.
    func testTorchRandom() throws { try check("torch_random", in: "Tests/NotebookTests/Fixtures") }
    /// `import random`: seed, random, randint, randrange, shuffle, choice, sample, choices, gauss, state.
    func testPythonRandom() throws { try check("py_random", in: "Tests/NotebookTests/Fixtures") }
    /// np.random: seed, rand, randn, randint, normal, uniform, choice, shuffle, permutation,
    /// RandomState and default_rng, for seeds 0, 1, 42, 1234 and sizes 1 to 1000.
    func testNumpyRandom() throws { try check("numpy_random", in: "Tests/NotebookTests/Fixtures") }
    /// sort, topk, gather, scatter, any/all, repeat, unique, tril/triu, diag, flip, roll, einsum,
    /// one_hot, interpolate, normalize, layer/group norm, several index tensors: PyTorch's output.
    /// Element counts and strides past 64 bits, views strided past BLAS's 32-bit sizes,
    /// torch.eye(-2): PyTorch's results and RuntimeErrors (issue 17).
    func testLimits() throws { try check("limits", in: "Tests/NotebookTests/Fixtures") }
    func testEverydayOps() throws { try check("everyday_ops", in: "Tests/NotebookTests/Fixtures") }
    /// A convolution's forward pass written with NumPy next to F.conv2d.
    func testNumpyConv() throws { try check("09-numpy-conv") }
    /// NumPy arrays: printing byte for byte as NumPy 2, promotion, indexing, reductions, files, tensors.
    func testNumpyArrays() throws { try check("numpy_arrays", in: "Tests/NotebookTests/Fixtures") }
    /// Broadcasting, views, masks, reductions, named tuples, f-strings, a user nn.Module.
    func testTensorSemantics() throws { try check("semantics", in: "Tests/NotebookTests/Fixtures") }
    /// `grad_fn=<...>` and `requires_grad=True` suffixes as PyTorch prints them; in-place rules.
    func testGradHistory() throws { try check("grad_history", in: "Tests/NotebookTests/Fixtures") }
    /// float64, float16, int32 and uint8: PyTorch's promotion (with Python numbers) and `dtype=` suffixes.
    func testDTypes() throws { try check("dtypes", in: "Tests/NotebookTests/Fixtures") }
    /// try/except/else/finally, raise (from), the exception hierarchy, super(Cls, self), vars,
    /// decorators, global/nonlocal, string methods and %-formatting, checked against CPython.
    func testPythonLanguage() throws { try check("python_lang", in: "Tests/NotebookTests/Fixtures") }
}
