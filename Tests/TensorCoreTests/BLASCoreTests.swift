import XCTest
@testable import TensorCore

/// The OpenBLAS core picked from cpuid when OpenBLAS's detection falls back (issue 18).
final class BLASCoreTests: XCTestCase {
    let avx512: BLASCore.Features = [.sse3, .avx, .avx2, .fma, .avx512f, .avx512bw, .avx512vl, .avx512dq, .avx512cd]
    let avx2: BLASCore.Features = [.sse3, .avx, .avx2, .fma]

    func testEachFeatureSetGetsItsBestCoreWhenOpenBLASFellBackToPrescott() {
        func pick(_ f: BLASCore.Features, _ v: BLASCore.Vendor) -> String? {
            BLASCore.choice(features: f, vendor: v, detected: "Prescott", userValue: nil)
        }
        XCTAssertEqual(pick(avx512, .intel), "SkylakeX")
        XCTAssertEqual(pick(avx512, .amd), "SkylakeX")
        XCTAssertEqual(pick(avx2, .intel), "Haswell")
        XCTAssertEqual(pick(avx2, .amd), "Zen")
        XCTAssertEqual(pick(avx2, .other), "Haswell")
        // AVX-512F without BW/VL (Knights Landing) runs the AVX2 kernels.
        XCTAssertEqual(pick([.sse3, .avx, .avx2, .fma, .avx512f], .intel), "Haswell")
        // Below AVX2 + FMA OpenBLAS's choice stands.
        XCTAssertNil(pick([.sse3, .avx], .intel))
        XCTAssertNil(pick([.sse3, .avx, .avx2], .intel))
        XCTAssertNil(pick([.sse3], .amd))
        XCTAssertNil(pick([], .other))
    }

    func testOtherFallbackCoresCountAndGoodDetectionsAreLeftAlone() {
        for fallback in ["Sandybridge", "Nehalem", "Core2", "Barcelona", "Unknown"] {
            XCTAssertEqual(BLASCore.choice(features: avx2, vendor: .intel, detected: fallback, userValue: nil),
                           "Haswell", fallback)
        }
        for good in ["Haswell", "Zen", "SkylakeX", "Cooperlake"] {
            XCTAssertNil(BLASCore.choice(features: avx512, vendor: .intel, detected: good, userValue: nil), good)
        }
    }

    func testAUserValueIsNeverOverridden() {
        XCTAssertNil(BLASCore.choice(features: avx512, vendor: .intel, detected: "Prescott", userValue: "Prescott"))
        XCTAssertNil(BLASCore.choice(features: avx2, vendor: .amd, detected: "Prescott", userValue: ""))
    }

    func testFeatureNames() {
        XCTAssertEqual(BLASCore.describe(avx2), "SSE3 AVX AVX2 FMA")
        XCTAssertEqual(BLASCore.describe([]), "none")
        XCTAssertEqual(BLASCore.describe([.avx512f, .avx512bw]), "AVX-512F AVX-512BW")
    }

    /// This machine's cpuid agrees with /proc/cpuinfo's flags (avx2, fma, avx512f, avx512bw, avx512vl).
    func testCPUIDMatchesProcCPUInfo() throws {
        let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flagsLine = try XCTUnwrap(info.split(separator: "\n").first { $0.hasPrefix("flags") })
        let flags = Set(flagsLine.split(separator: ":", maxSplits: 1)[1].split(separator: " ").map(String.init))
        let f = BLASCore.features
        XCTAssertEqual(f.contains(.avx2), flags.contains("avx2"))
        XCTAssertEqual(f.contains(.fma), flags.contains("fma"))
        XCTAssertEqual(f.contains(.avx512f), flags.contains("avx512f"))
        XCTAssertEqual(f.contains(.avx512bw), flags.contains("avx512bw"))
        XCTAssertEqual(f.contains(.avx512vl), flags.contains("avx512vl"))
        let model = try XCTUnwrap(info.split(separator: "\n").first { $0.hasPrefix("model name") })
        XCTAssertEqual(BLASCore.cpuModel, model.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces))
    }
}
