import CBLAS
import CCPUID
#if canImport(Glibc)
import Glibc
#endif

/// Which OpenBLAS kernels run, and the right ones when OpenBLAS's detection falls back.
///
/// Debian's OpenBLAS picks its kernels (the "core") when the library loads, from the CPU
/// model. On a CPU model it does not know (a cloud Xeon's virtual CPU, a newer EPYC) it
/// falls back to Prescott's SSE3 kernels: sgemm 4–5× slower than the machine can do.
/// OpenBLAS reads `OPENBLAS_CORETYPE` only while it loads, so the executables call
/// `reexecIfFallback()` first thing: when the core in use has no AVX2 kernels but the
/// CPU has AVX2 + FMA (or AVX-512), it sets `OPENBLAS_CORETYPE` from cpuid and executes
/// itself once more. A value the user set is never overridden.
public enum BLASCore {
    /// The vector features OpenBLAS's kernels need (AVX and AVX-512 only when the OS
    /// saves their registers).
    public struct Features: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let sse3 = Features(rawValue: 1)
        public static let avx = Features(rawValue: 2)
        public static let avx2 = Features(rawValue: 4)
        public static let fma = Features(rawValue: 8)
        public static let avx512f = Features(rawValue: 16)
        public static let avx512bw = Features(rawValue: 32)
        public static let avx512vl = Features(rawValue: 64)
        public static let avx512dq = Features(rawValue: 128)
        public static let avx512cd = Features(rawValue: 256)
    }

    /// "SSE3 AVX AVX2 FMA AVX-512F …": the features present, for the bench's machine line.
    public static func describe(_ f: Features) -> String {
        let names: [(Features, String)] = [(.sse3, "SSE3"), (.avx, "AVX"), (.avx2, "AVX2"), (.fma, "FMA"),
            (.avx512f, "AVX-512F"), (.avx512bw, "AVX-512BW"), (.avx512vl, "AVX-512VL"),
            (.avx512dq, "AVX-512DQ"), (.avx512cd, "AVX-512CD")]
        let present = names.filter { f.contains($0.0) }.map(\.1)
        return present.isEmpty ? "none" : present.joined(separator: " ")
    }

    public enum Vendor: Sendable { case intel, amd, other }

    /// This CPU's features, from cpuid.
    public static var features: Features { Features(rawValue: tensorpad_cpu_features()) }

    public static var vendor: Vendor {
        tensorpad_cpu_is_intel() != 0 ? .intel : tensorpad_cpu_is_amd() != 0 ? .amd : .other
    }

    /// The CPU's brand string ("AMD EPYC 9R14 96-Core Processor"), or "" when cpuid has none.
    public static var cpuModel: String {
        var buffer = [CChar](repeating: 0, count: 49)
        buffer.withUnsafeMutableBufferPointer { tensorpad_cpu_brand($0.baseAddress) }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self).trimmingSpaces
    }

    /// The core OpenBLAS runs ("Haswell", "Zen", "SkylakeX", "Prescott", …).
    public static var name: String {
        guard let cName = openblas_get_corename() else { return "" }
        return String(cString: cName)
    }

    /// OpenBLAS's x86 cores without AVX2 kernels: a fallback on a CPU that has AVX2.
    static let withoutAVX2: Set<String> = [
        "prescott", "katmai", "coppermine", "northwood", "banias", "core2", "penryn",
        "dunnington", "nehalem", "atom", "nano", "athlon", "opteron", "opteron(sse3)",
        "barcelona", "bobcat", "sandybridge", "bulldozer", "piledriver", "steamroller",
        "excavator", "unknown", "",
    ]

    /// The best core OpenBLAS has for these features: SkylakeX with AVX-512 F/BW/VL,
    /// Haswell (Intel) or Zen (AMD) with AVX2 + FMA, nil below that (OpenBLAS's own
    /// choice stands).
    public static func best(for features: Features, vendor: Vendor) -> String? {
        if features.isSuperset(of: [.avx512f, .avx512bw, .avx512vl, .avx2, .fma]) { return "SkylakeX" }
        if features.isSuperset(of: [.avx2, .fma]) { return vendor == .amd ? "Zen" : "Haswell" }
        return nil
    }

    /// The `OPENBLAS_CORETYPE` to set, or nil to leave OpenBLAS's choice: only when the
    /// user set none and the core OpenBLAS detected has no AVX2 kernels while the CPU
    /// has better ones.
    public static func choice(features: Features, vendor: Vendor, detected: String,
                              userValue: String?) -> String? {
        if userValue != nil { return nil }
        guard withoutAVX2.contains(detected.lowercased()),
              let best = best(for: features, vendor: vendor) else { return nil }
        return best
    }

    /// Names the core chosen here after the re-execution (what OpenBLAS had detected).
    public static let detectedVariable = "TENSORPAD_OPENBLAS_DETECTED"

    /// Call first thing in `main`, before any other thread starts: when OpenBLAS fell back
    /// to a core without AVX2 on a CPU that has it, sets `OPENBLAS_CORETYPE` and executes
    /// this program again with the same arguments (once: the second run finds the variable
    /// set). `TENSORPAD_OPENBLAS_TEST_FALLBACK=1` makes any detected core count as a
    /// fallback, so tests can drive the re-execution on any AVX2 machine.
    public static func reexecIfFallback() {
        let user = getenv("OPENBLAS_CORETYPE").map { String(cString: $0) }
        let testing = getenv("TENSORPAD_OPENBLAS_TEST_FALLBACK").map { String(cString: $0) } == "1"
        let detected = name
        guard let chosen = choice(features: features, vendor: vendor,
                                  detected: testing ? "Prescott" : detected, userValue: user) else { return }
        setenv("OPENBLAS_CORETYPE", chosen, 1)
        setenv(detectedVariable, detected, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // exec failed (no /proc): carry on with OpenBLAS's own choice.
        unsetenv("OPENBLAS_CORETYPE")
        unsetenv(detectedVariable)
    }

    /// One line for `make bench` and `--version`: the core in use and where it came from.
    public static var summary: String {
        let core = name
        let user = getenv("OPENBLAS_CORETYPE").map { String(cString: $0) }
        let detected = getenv(detectedVariable).map { String(cString: $0) }
        var line = "OpenBLAS core: \(core)"
        if let detected, user != nil {
            line += " (chosen from cpuid; OpenBLAS detected \(detected))"
        } else if let user {
            line += " (OPENBLAS_CORETYPE=\(user) set by the user)"
        } else {
            line += " (OpenBLAS's own detection)"
        }
        if withoutAVX2.contains(core.lowercased()), let best = best(for: features, vendor: vendor) {
            line += " FAILED TARGET: a core without AVX2 on a CPU that runs \(best)"
        }
        return line
    }
}

private extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
