import Foundation
import XCTest

/// Runs the built `tensorpad` binary as a user would and captures what it prints.
public enum TensorpadBinary {
    /// The package root, found from this file's path.
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `tensorpad` next to the test bundle (the same build), else `.build/debug/tensorpad`.
    public static var url: URL? {
        var candidates: [URL] = []
        if let arg0 = CommandLine.arguments.first {
            var dir = URL(fileURLWithPath: arg0).deletingLastPathComponent()
            if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
            candidates.append(dir.appendingPathComponent("tensorpad"))
        }
        for b in Bundle.allBundles where b.bundlePath.hasSuffix(".xctest") {
            candidates.append(b.bundleURL.deletingLastPathComponent().appendingPathComponent("tensorpad"))
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/tensorpad"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    public struct Result {
        public let status: Int32
        public let stdout: String
        public let stderr: String
        /// True when the run was killed for going past its `timeout`.
        public var timedOut = false
        /// True when a signal ended the process (a trap, a stack overflow, a kill); `status` is its number.
        public var signalled = false
    }

    /// The built binary; without it the test fails (`swift build --build-tests` builds it).
    public static func required(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        if let u = url { return u }
        throw Prerequisite.missing("tensorpad binary not built; run `swift build` first", file: file, line: line)
    }

    /// `make test-asan` / `test-tsan` run unoptimised sanitized binaries, many times slower:
    /// they scale every timeout by TENSORPAD_TEST_TIMEOUT_SCALE (1 otherwise).
    static var timeoutScale: Double {
        ProcessInfo.processInfo.environment["TENSORPAD_TEST_TIMEOUT_SCALE"].flatMap(Double.init).map { max($0, 1) } ?? 1
    }

    /// Runs `tensorpad ARGS` in `directory` (default: the package root) with `stdin` piped in.
    public static func run(_ args: [String], stdin: String? = nil, directory: URL? = nil,
                           environment: [String: String] = [:], timeout: Double? = nil) throws -> Result {
        let exe = try required()
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.currentDirectoryURL = directory ?? packageRoot
        var env = ProcessInfo.processInfo.environment
        env["TENSORPAD_NO_PROGRESS"] = "1"
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        final class Flag: @unchecked Sendable { var set = false }
        let killed = Flag()
        if let timeout {
            let pid = p.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout * timeoutScale) {
                if p.isRunning { killed.set = true; kill(pid, SIGKILL) }
            }
        }
        // Read both pipes fully before waiting, so a large output cannot block the child.
        final class Box: @unchecked Sendable { var data = Data() }
        let outBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let outData = outBox.data
        p.waitUntilExit()
        var r = Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
        r.timedOut = killed.set
        r.signalled = p.terminationReason == .uncaughtSignal
        return r
    }
}

/// A test's prerequisite (a tool `make test` installs) is missing: the test fails
/// with the reason, on a developer's machine as under CI, instead of skipping.
public enum Prerequisite {
    public struct Missing: Error, CustomStringConvertible { public let description: String }
    public static func missing(_ why: String, file: StaticString = #filePath, line: UInt = #line) -> Missing {
        XCTFail(why, file: file, line: line)
        return Missing(description: why)
    }
}
