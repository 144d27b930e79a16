// swift-tools-version:6.0
import PackageDescription

// Arrows point one way:
//   TensorCore ← NN ← Lang ← Notebook ← REPL, tensorpad
//   Formats, Render depend on TensorCore (Render also on NN for summaries,
//   and on Formats to write images). Data (torch.utils.data, torchvision's
//   datasets and transforms) depends on TensorCore and Formats.
let package = Package(
    name: "Tensorpad",
    products: [
        .executable(name: "tensorpad", targets: ["tensorpad"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // cairo draws matplotlib.pyplot's figures (Render).
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CEdit", path: "Sources/CEdit", pkgConfig: "libedit",
                       providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CZMQ", path: "Sources/CZMQ", pkgConfig: "libzmq",
                       providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CCPUID", path: "Sources/CCPUID"),
        // The direct convolution for few input channels (AVX2 + FMA or AVX-512F, chosen at run time
        // from CCPUID's features).
        .target(name: "CConv", dependencies: ["CCPUID"], path: "Sources/CConv", cSettings: [.unsafeFlags(["-O3"])]),
        // Winograd's input and output transforms (AVX2 when the CPU has it, chosen at run time).
        .target(name: "CWinograd", dependencies: ["CCPUID"], path: "Sources/CWinograd", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "CStack", path: "Sources/CStack"),
        .target(name: "CCancel", path: "Sources/CCancel"),
        .target(name: "CMemory", path: "Sources/CMemory"),
        .target(name: "TensorCore", dependencies: ["CBLAS", "CCPUID", "CConv", "CWinograd", "CStack", "CCancel", "CMemory"], exclude: ["README.md"],
                swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        .target(name: "NN", dependencies: ["TensorCore"], exclude: ["README.md"]),
        .target(name: "Formats", dependencies: ["TensorCore", "CZlib"], exclude: ["README.md"]),
        .target(name: "Render", dependencies: ["TensorCore", "NN", "Formats", "CCairo"], exclude: ["README.md"]),
        .target(name: "Data", dependencies: ["TensorCore", "Formats"], exclude: ["README.md"]),
        .target(name: "Syntax", exclude: ["README.md"]),
        // The interpreter's closures touch class state on every step; its mutable state is
        // confined to the interpreter thread, so release builds skip dynamic exclusivity checks.
        .target(name: "Lang", dependencies: ["Syntax", "TensorCore", "NN", "Formats", "Render", "Data"], exclude: ["README.md"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),
        .target(name: "Notebook", dependencies: ["Lang", "Syntax", "Formats", "Render"], exclude: ["README.md"]),
        .target(name: "REPL", dependencies: ["Notebook", "CEdit"], exclude: ["README.md"]),
        .target(name: "Kernel", dependencies: ["Notebook", "Lang", "Syntax", "Formats", "CZMQ",
                                               .product(name: "Crypto", package: "swift-crypto")], exclude: ["README.md"]),
        .executableTarget(name: "tensorpad", dependencies: [
            "Notebook", "REPL", "Kernel", "TensorCore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "tensorpad-bench", dependencies: ["TensorCore", "NN", "Data", "CBLAS"], path: "Sources/Bench"),
        .target(name: "TestSupport", dependencies: ["TensorCore", "Formats"], path: "Tests/TestSupport"),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "CStack", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "TensorCore", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "SyntaxTests", dependencies: ["Syntax"]),
        .testTarget(name: "LangTests", dependencies: ["Lang", "TestSupport"], exclude: ["gen"]),
        .testTarget(name: "FormatsTests", dependencies: ["Formats", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DataTests", dependencies: ["Data", "Formats", "TensorCore", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "Formats", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "REPLTests", dependencies: ["REPL", "TestSupport"]),
        .testTarget(name: "KernelTests", dependencies: ["Kernel", "TestSupport"], exclude: ["kernel_driver.py"]),
    ],
    // Swift 5 mode: kernels share raw buffers across worker threads by design.
    swiftLanguageModes: [.v5]
)
