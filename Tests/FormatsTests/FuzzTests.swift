import XCTest
import Foundation
import TensorCore
@testable import Formats

/// Mutates each valid fixture a few thousand times (seeded) and checks that
/// every reader either loads the result or throws `FormatError` — a trap would
/// crash the test process.
final class FuzzTests: XCTestCase {
    /// SplitMix64: small, seeded, the same on every run.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }

    static let huge: [[UInt8]] = [
        [0xFF, 0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF, 0x7F], [0x00, 0x00, 0x00, 0x80], [0x7F, 0xFF, 0xFF, 0xFF],
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], [0, 0, 0, 0, 0, 0, 0, 0x80], [0xFE, 0xFF],
        Array("99999999999999999999".utf8), Array("4294967296".utf8), Array("-1".utf8), Array("65536".utf8),
    ]

    func mutate(_ src: [UInt8], _ rng: inout Rng) -> [UInt8] {
        var d = src
        guard !d.isEmpty else { return [UInt8(truncatingIfNeeded: rng.next())] }
        switch rng.below(5) {
        case 0:   // bit flips
            for _ in 0...rng.below(4) { d[rng.below(d.count)] ^= UInt8(1) << UInt8(rng.below(8)) }
        case 1:   // truncation
            d.removeSubrange(rng.below(d.count)...)
        case 2:   // byte insertion
            let extra = (0...rng.below(8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            d.insert(contentsOf: extra, at: rng.below(d.count + 1))
        case 3:   // a header-ish field (start or end of the file) overwritten with a huge number
            let pattern = FuzzTests.huge[rng.below(FuzzTests.huge.count)]
            let near = min(d.count, 160)
            let at = rng.below(2) == 0 ? rng.below(near) : d.count - 1 - rng.below(near)
            for (i, b) in pattern.enumerated() where at + i < d.count { d[at + i] = b }
        default:  // a run of bytes replaced by random ones
            let at = rng.below(d.count)
            for i in 0..<min(1 + rng.below(16), d.count - at) { d[at + i] = UInt8(truncatingIfNeeded: rng.next()) }
        }
        return d
    }

    func fuzz(_ fixture: String, count: Int = 3000, seed: UInt64, _ decode: (Data) throws -> Void) throws {
        let original = [UInt8](try Fixture.data(fixture))
        XCTAssertNoThrow(try decode(Data(original)), "\(fixture) must load unmutated")
        var rng = Rng(state: seed)
        var loaded = 0, rejected = 0
        for i in 0..<count {
            let m = mutate(original, &rng)
            do {
                try decode(Data(m))
                loaded += 1
            } catch is FormatError {
                rejected += 1
            } catch {
                XCTFail("\(fixture) mutation \(i): not a FormatError: \(error)")
            }
        }
        XCTAssertGreaterThan(rejected, 0, fixture)
    }

    func testNPZ() throws {
        for (i, f) in ["arrays_stored.npz", "arrays_deflated.npz", "big_deflated.npz", "zip64_local.npz", "zip64_full.npz"].enumerated() {
            try fuzz(f, seed: 100 + UInt64(i)) { _ = try NPZ.read($0) }
        }
    }

    func testSafetensors() throws {
        for (i, f) in ["sequential.safetensors", "batchnorm.safetensors", "dtypes.safetensors"].enumerated() {
            try fuzz(f, seed: 200 + UInt64(i)) { _ = try Safetensors.decode($0) }
        }
    }

    func testIDX() throws {
        for (i, f) in ["images-idx3-ubyte.gz", "labels-idx1-ubyte", "f32-idx2", "i16-idx1", "f64-idx1"].enumerated() {
            try fuzz(f, seed: 300 + UInt64(i)) { _ = try IDX.decode($0) }
        }
    }

    func testPGM() throws {
        for (i, f) in ["plain.pgm", "raw8.pgm", "raw16.pgm"].enumerated() {
            try fuzz(f, seed: 400 + UInt64(i)) { _ = try PGM.decode($0) }
        }
    }

    /// The `.npy` reader that NPZ members go through (CRC checks keep most
    /// archive mutations from reaching it).
    func testNPYMembers() throws {
        for (i, f) in ["raw8_expected.npy", "plain_expected.npy"].enumerated() {
            try fuzz(f, seed: 600 + UInt64(i)) { _ = try NPY.read($0) }
        }
    }

    /// Weights loaded from mutated files go through the same strict checks.
    func testWeightsFromMutatedFiles() throws {
        try fuzz("sequential.safetensors", count: 500, seed: 500) { d in
            let model: [(String, Tensor)] = [
                ("0.weight", try Tensor(zeros: [4, 3])), ("0.bias", try Tensor(zeros: [4])),
                ("2.weight", try Tensor(zeros: [2, 4])), ("2.bias", try Tensor(zeros: [2])),
            ]
            try WeightsIO.load(into: model, from: try Safetensors.decode(d).tensors)
        }
    }
}
