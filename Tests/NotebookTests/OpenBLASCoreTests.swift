import XCTest
import Foundation
import TensorCore
import TestSupport

/// The `tensorpad` binary runs OpenBLAS's best kernels for the CPU (issue 18): when OpenBLAS's
/// detection falls back to a core without AVX2, the binary sets OPENBLAS_CORETYPE from cpuid
/// and executes itself again; a value the user set is kept. OPENBLAS_VERBOSE=2 makes OpenBLAS
/// print the core it loaded ("Core: Zen") on stderr.
final class OpenBLASCoreTests: XCTestCase {
    /// The core this machine should run: OpenBLAS's best for its features, nil without AVX2 + FMA.
    var best: String? { BLASCore.best(for: BLASCore.features, vendor: BLASCore.vendor) }

    func loadedCore(_ r: TensorpadBinary.Result) -> String? {
        r.stderr.split(separator: "\n").last { $0.hasPrefix("Core: ") }.map { String($0.dropFirst(6)) }
    }

    func testTheBinaryRunsACoreWithAVX2KernelsOnAnAVX2Machine() throws {
        let r = try TensorpadBinary.run(["-c", "print(1)"], environment: ["OPENBLAS_VERBOSE": "2"])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, "1\n")
        let core = try XCTUnwrap(loadedCore(r), r.stderr)
        if best != nil {
            XCTAssertFalse(["Prescott", "Core2", "Nehalem", "Sandybridge", "Barcelona"].contains(core), core)
        }
    }

    func testAFallbackIsReplacedByTheCoreFromCPUIDOnce() throws {
        // The test switch makes whatever OpenBLAS detected count as a fallback.
        let r = try TensorpadBinary.run(
            ["-c", "import os\nprint(os.environ['OPENBLAS_CORETYPE'])\nprint(os.environ['TENSORPAD_OPENBLAS_DETECTED'] != '')"],
            environment: ["OPENBLAS_VERBOSE": "2", "TENSORPAD_OPENBLAS_TEST_FALLBACK": "1"])
        guard let best else {
            XCTAssertEqual(r.status, 1, "without AVX2 + FMA nothing is set")
            return
        }
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "\(best)\nTrue\n")
        XCTAssertEqual(loadedCore(r), best, r.stderr)
        // OpenBLAS loaded twice: once in the first process, once after the re-execution.
        XCTAssertEqual(r.stderr.components(separatedBy: "Core: ").count - 1, 2, r.stderr)
    }

    func testAUserValueIsKept() throws {
        let r = try TensorpadBinary.run(
            ["-c", "import os\nprint(os.environ['OPENBLAS_CORETYPE'])\nprint(torch.ones(3, 4) @ torch.ones(4, 2))"],
            environment: ["OPENBLAS_VERBOSE": "2", "OPENBLAS_CORETYPE": "Prescott",
                          "TENSORPAD_OPENBLAS_TEST_FALLBACK": "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "Prescott\ntensor([[4., 4.],\n        [4., 4.],\n        [4., 4.]])\n")
        XCTAssertEqual(loadedCore(r), "Prescott", r.stderr)
        XCTAssertEqual(r.stderr.components(separatedBy: "Core: ").count - 1, 1, r.stderr)
    }

    /// OpenBLAS starts a thread per core when it loads, and each spins (`sched_yield`) for
    /// about 0.1 s of CPU before it sleeps; Tensorpad never uses them (its workers split the
    /// products). The binary stops them first thing and a product does not start them again:
    /// the process has the threads it has when OpenBLAS is told to start none.
    func testOpenBLASsIdleThreadsAreStopped() throws {
        let program = """
        import os
        print(len(os.listdir('/proc/self/task')))
        x = torch.ones(512, 512) @ torch.ones(512, 512)
        print(x[0, 0].item(), len(os.listdir('/proc/self/task')))
        """
        let pooled = try TensorpadBinary.run(["--threads", "1", "-c", program])
        let none = try TensorpadBinary.run(["--threads", "1", "-c", program], environment: ["OPENBLAS_NUM_THREADS": "1"])
        XCTAssertEqual(pooled.status, 0, pooled.stderr)
        XCTAssertEqual(none.status, 0, none.stderr)
        XCTAssertTrue(none.stdout.hasSuffix("512.0 \(none.stdout.prefix { $0 != "\n" })\n"), none.stdout)
        XCTAssertEqual(pooled.stdout, none.stdout)
    }
}
