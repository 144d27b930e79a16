import XCTest
@testable import TensorCore
import TestSupport

/// `torch.manual_seed(s)` followed by each sampling function gives PyTorch's values
/// bit for bit (fixtures from PyTorch 2.15, seeds 0, 1, 42, 1234, sizes 1 to 1000).
final class TorchStreamTests: XCTestCase {
    /// The fixtures were made on an AMD CPU: ATen's own bernoulli kernel (see testIntelMKLBernoulli).
    override func setUp() { TorchRandom.scalarBernoulli = .aten }
    override func tearDown() { Generator.default.manualSeed(Generator.defaultSeed) }

    /// Runs `body` after `manual_seed(case.seed)` and compares the float32 result's bits.
    func checkFloats(_ fn: String, lib: String = "torch", file: StaticString = #filePath, line: UInt = #line,
                     _ body: (Int) throws -> Tensor) throws {
        for c in try RandomFixtures.cases(lib, fn, file: file, line: line) {
            Generator.default.manualSeed(UInt64(c.seed))
            let t = try body(c.n)
            let got = t.toFloats().map { $0.bitPattern }
            let want = c.u32
            XCTAssertEqual(got.count, want.count, c.label, file: file, line: line)
            if let i = (0..<min(got.count, want.count)).first(where: { got[$0] != want[$0] }) {
                XCTFail("\(c.label): element \(i) is \(Float(bitPattern: got[i])), PyTorch \(Float(bitPattern: want[i])) "
                        + "(\(zip(got, want).filter { $0 != $1 }.count) of \(want.count) differ)", file: file, line: line)
            }
        }
    }

    func checkInts(_ fn: String, file: StaticString = #filePath, line: UInt = #line,
                   _ body: (Int) throws -> Tensor) throws {
        for c in try RandomFixtures.cases("torch", fn, file: file, line: line) {
            Generator.default.manualSeed(UInt64(c.seed))
            let got = try body(c.n).toInt64s()
            XCTAssertEqual(got, c.i64, c.label, file: file, line: line)
        }
    }

    func ramp(_ n: Int) throws -> Tensor { try Tensor((0..<n).map { Float($0) * 0.125 - 2 }, shape: [n]) }
    func empty(_ n: Int) throws -> Tensor { try Tensor(zeros: [n]) }

    func testRand() throws {
        try checkFloats("rand") { try Tensor.rand([$0]) }
        try checkFloats("rand_2d") { try Tensor.rand([$0, 3]) }
    }

    func testRandnBothPaths() throws {
        try checkFloats("randn") { try Tensor.randn([$0]) }
        try checkFloats("randn_twice") { n in _ = try Tensor.randn([n]); return try Tensor.randn([n]) }
        try checkFloats("randn_then_rand") { n in _ = try Tensor.randn([n]); return try Tensor.rand([n]) }
    }

    /// Random fills stop on Ctrl-C between chunks of 65,536 elements (found by `make fuzz`: an
    /// `nn.Conv2d(1, 1, kernel_size=3333)` filled its 11-million-element weight for over a
    /// second under ASan, past the watchdog's stop; `torch.rand(4_000_000_000)` takes tens of
    /// seconds natively). Requested before the fill, nothing is drawn; chunked, the stream is
    /// the one a single pass draws.
    func testFillsStopWhenAStopIsRequestedAndChunksKeepTheStream() throws {
        let n = 200_000
        let t = try Tensor(zeros: [n]), d = try Tensor(zeros: [n], dtype: .float64)
        let g = Generator(seed: 7)
        Cancellation.requested = true
        defer { Cancellation.requested = false }   // also when a fill throws
        try TorchRandom.uniform_(t, generator: g)
        try TorchRandom.normal_(t, generator: g)
        try TorchRandom.normal_(d, generator: g)
        try TorchRandom.bernoulli_(t, p: 0.5, generator: g)
        Cancellation.requested = false
        XCTAssertEqual(t.toFloats().filter { $0 != 0 }.count, 0)
        XCTAssertEqual(d.toDoubles().filter { $0 != 0 }.count, 0)
        // One fill of 200,000 draws what fills of 65,536 and 134,464 draw one after the other.
        for fill in [{ (x: Tensor, g: Generator) in try TorchRandom.uniform_(x, from: -1, to: 2, generator: g) },
                     { (x: Tensor, g: Generator) in try TorchRandom.normal_(x, mean: 1, std: 3, generator: g) }] {
            let whole = try Tensor(zeros: [n]), a = try Tensor(zeros: [65_536]), b = try Tensor(zeros: [n - 65_536])
            try fill(whole, Generator(seed: 3))
            let g2 = Generator(seed: 3)
            try fill(a, g2)
            try fill(b, g2)
            XCTAssertEqual(whole.toFloats().count, n)
            XCTAssertEqual(whole.toFloats().prefix(65_536).map(\.bitPattern), a.toFloats().map(\.bitPattern))
            XCTAssertEqual(whole.toFloats().suffix(n - 65_536).map(\.bitPattern), b.toFloats().map(\.bitPattern))
        }
    }

    func testUniformAndNormalInPlace() throws {
        try checkFloats("uniform_") { let t = try self.empty($0); try TorchRandom.uniform_(t, from: -2.5, to: 3.0); return t }
        try checkFloats("normal_") { let t = try self.empty($0); try TorchRandom.normal_(t, mean: 0.5, std: 2.0); return t }
        try checkFloats("normal_float_float_size") { let t = try self.empty($0); try TorchRandom.normal_(t, mean: 0.5, std: 2.0); return t }
    }

    func testNormalOverloads() throws {
        try checkFloats("normal_tensor_tensor") { try TorchRandom.normal(mean: try self.ramp($0), std: try Tensor.full([$0], 0.5)) }
        try checkFloats("normal_tensor_float") { try TorchRandom.normal(mean: try self.ramp($0), std: 2.0) }
        try checkFloats("normal_float_tensor") { try TorchRandom.normal(mean: 1.5, std: try Tensor.full([$0], 0.5)) }
    }

    func testRandintAndRandom() throws {
        try checkInts("randint_10") { try Tensor.randint(low: 0, high: 10, [$0]) }
        try checkInts("randint_wide") { try Tensor.randint(low: -5, high: 1_000_000, [$0]) }
        try checkInts("randint_2p40") { try Tensor.randint(low: 0, high: 1 << 40, [$0]) }
        try checkInts("random_full") { let t = try Tensor(zeros: [$0], dtype: .int64); try TorchRandom.random_(t); return t }
        try checkFloats("random_to_float") { let t = try self.empty($0); try TorchRandom.random_(t, from: 0, to: 100); return t }
        try checkFloats("random_float_full") { let t = try self.empty($0); try TorchRandom.random_(t); return t }
    }

    func testRandperm() throws {
        try checkInts("randperm") { try TorchRandom.randperm($0) }
    }

    func testBernoulliExponentialMultinomial() throws {
        try checkFloats("bernoulli_scalar") { let t = try self.empty($0); try TorchRandom.bernoulli_(t, p: 0.3); return t }
        try checkFloats("bernoulli_tensor") { try TorchRandom.bernoulli(try Tensor.full([$0], 0.4)) }
        try checkFloats("exponential_") { let t = try self.empty($0); try TorchRandom.exponential_(t, lambd: 1.5); return t }
        try checkFloats("cauchy_") { let t = try self.empty($0); try TorchRandom.cauchy_(t, median: 0.5, sigma: 2); return t }
        try checkFloats("log_normal_") { let t = try self.empty($0); try TorchRandom.log_normal_(t, mean: 0.5, std: 0.75); return t }
        try checkFloats("geometric_") { let t = try self.empty($0); try TorchRandom.geometric_(t, p: 0.3); return t }
        let probs = try Tensor((1...10).map { Float($0) }, shape: [10])
        try checkInts("multinomial_repl") { try TorchRandom.multinomial(probs, numSamples: $0, replacement: true) }
        try checkInts("multinomial_once") { _ in try TorchRandom.multinomial(probs, numSamples: 1) }
        try checkInts("multinomial_norepl") { n in
            let w = try Tensor.binary(.add, try Tensor.rand([max(n, 10)]), Tensor.scalar(0.01))
            return try TorchRandom.multinomial(w, numSamples: min(n, 10))
        }
    }

    func testDropoutAndRReLU() throws {
        try checkFloats("dropout") { try Kernels.dropout(try Tensor.ones([$0]), p: 0.3, training: true) }
        try checkFloats("dropout2d") { try Kernels.dropout2d(try Tensor.ones([2, $0, 2, 2]), p: 0.5, training: true) }
        try checkFloats("rrelu") { try Kernels.rrelu(try self.ramp($0), training: true) }
    }

    /// PyTorch's float erfinv is its double evaluation rounded once, except rare halfway
    /// cases: at most 1 value per 1000 may differ, by one ulp.
    func testErfinv() throws {
        for c in try RandomFixtures.cases("torch", "erfinv") {
            Generator.default.manualSeed(UInt64(c.seed))
            let got = try Tensor.rand([c.n]).toFloats().map { Erfinv.erfinv($0 * 2 - 1).bitPattern }
            let diffs = zip(got, c.u32).map { abs(Int($0) - Int($1)) }
            XCTAssertEqual(got.count, c.u32.count, c.label)
            XCTAssertLessThanOrEqual(diffs.max() ?? 0, 1, c.label)
            XCTAssertLessThanOrEqual(diffs.filter { $0 != 0 }.count, max(1, got.count / 1000), c.label)
        }
    }

    /// PyTorch's MKL builds on Intel CPUs: bernoulli_(p) and dropout from MKL's MCG31 stream
    /// (fixtures made with MKL itself), and a dropout mask PyTorch printed on Intel Linux
    /// (pytorch/pytorch#121595, rasbt/LLMs-from-scratch#57: manual_seed(123), Dropout(0.5), ones(6, 6)).
    func testIntelMKLBernoulli() throws {
        TorchRandom.scalarBernoulli = .mkl
        defer { TorchRandom.scalarBernoulli = .aten }
        try checkFloats("bernoulli_scalar", lib: "mkl") { let t = try self.empty($0); try TorchRandom.bernoulli_(t, p: 0.3); return t }
        try checkFloats("dropout", lib: "mkl") { try Kernels.dropout(try Tensor.ones([$0]), p: 0.3, training: true) }
        Generator.default.manualSeed(123)
        let mask = try Kernels.dropout(try Tensor.ones([6, 6]), p: 0.5, training: true).toFloats().map { Int($0) }
        XCTAssertEqual(mask, [2, 2, 2, 2, 2, 2, 0, 2, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0,
                              2, 2, 0, 0, 0, 2, 2, 0, 0, 0, 0, 2, 0, 2, 0, 0, 0, 0])
        TorchRandom.scalarBernoulli = .aten
        Generator.default.manualSeed(123)
        let book = try Kernels.dropout(try Tensor.ones([6, 6]), p: 0.5, training: true).toFloats().map { Int($0) }
        XCTAssertEqual(book, [2, 2, 0, 2, 2, 0, 0, 0, 0, 2, 0, 2, 2, 2, 2, 2, 0, 2,
                              0, 2, 2, 0, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 2, 2, 2, 0])
    }

    func testGeneratorObjectAndState() throws {
        try checkFloats("generator_rand") { try Tensor.rand([$0], generator: Generator(seed: 7)) }
        for c in try RandomFixtures.cases("torch", "rng_state_after_randn") {
            Generator.default.manualSeed(UInt64(c.seed))
            _ = try Tensor.randn([c.n])
            let state = Generator.default.getState()
            XCTAssertEqual(state, c.bytes, c.label)
            // set_rng_state puts the stream back: the next draws repeat.
            let a = try Tensor.randn([5]).toFloats()
            try Generator.default.setState(c.bytes)
            XCTAssertEqual(try Tensor.randn([5]).toFloats(), a, c.label)
        }
    }

    func testDefaultSeedAndErrors() throws {
        XCTAssertEqual(Generator().initialSeed, 67_280_421_310_721)
        XCTAssertEqual(Generator.default.getState().count, 5056)
        XCTAssertThrowsError(try Generator.default.setState([1, 2, 3])) { e in
            XCTAssertEqual("\(e)", "Expected either a CPUGeneratorImplStateLegacy of size 5048 or a CPUGeneratorImplState of size 5056 but found the input RNG state size to be 3")
        }
        XCTAssertThrowsError(try Tensor.randint(low: 5, high: 5, [2])) { e in
            XCTAssertEqual(e as? TensorError, .runtime("random_ expects 'from' to be less than 'to', but got from=5 >= to=5"))
        }
        XCTAssertThrowsError(try TorchRandom.normal_(try Tensor(zeros: [3]), mean: 0, std: -1)) { e in
            XCTAssertEqual("\(e)", "normal expects std >= 0.0, but found std -1")
        }
        XCTAssertThrowsError(try TorchRandom.uniform_(try Tensor(zeros: [3]), from: 2, to: 1)) { e in
            XCTAssertEqual("\(e)", "uniform_ expects to return a [from, to) range, but found from=2 > to=1")
        }
        XCTAssertThrowsError(try TorchRandom.randperm(-1)) { e in XCTAssertEqual("\(e)", "n must be non-negative, got-1") }
    }
}


