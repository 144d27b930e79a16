import Foundation
import XCTest
import TensorCore
import Formats

/// One case of the PyTorch golden data (`Tests/Golden/cases.json`).
public struct GoldenCase {
    public let name: String
    public let op: String
    public let kwargs: [String: Any]
    public let directory: URL
    /// Input names in file order, and their tensors.
    public let inputs: [String: Tensor]
    /// The op's outputs in order (`out0.npy`, `out1.npy`, ...).
    public let outputs: [Tensor]
    /// Gradients by input name, and the upstream gradient (for autograd tests).
    public let grads: [String: Tensor]
    public let gradOut: Tensor?

    public func input(_ key: String) throws -> Tensor {
        guard let t = inputs[key] else { throw GoldenError.missing("\(name): no input '\(key)'") }
        return t
    }

    /// Any other `.npy` in the case folder (`running_mean.npy`).
    public func file(_ fileName: String) throws -> Tensor {
        try NPY.load(path: directory.appendingPathComponent(fileName).path)
    }

    public func has(_ key: String) -> Bool { kwargs[key] != nil && !(kwargs[key] is NSNull) }

    public func int(_ key: String, _ fallback: Int) -> Int {
        (kwargs[key] as? NSNumber)?.intValue ?? fallback
    }

    public func double(_ key: String, _ fallback: Double) -> Double {
        (kwargs[key] as? NSNumber)?.doubleValue ?? fallback
    }

    public func bool(_ key: String, _ fallback: Bool) -> Bool {
        (kwargs[key] as? NSNumber)?.boolValue ?? fallback
    }

    public func string(_ key: String) -> String? { kwargs[key] as? String }

    /// An int-or-pair argument (`stride=2` or `stride=[2, 1]`) as a pair.
    public func pair(_ key: String, _ fallback: (Int, Int)) -> (Int, Int) {
        if let a = kwargs[key] as? [NSNumber], a.count == 2 { return (a[0].intValue, a[1].intValue) }
        if let a = kwargs[key] as? [NSNumber], a.count == 1 { return (a[0].intValue, a[0].intValue) }
        if let v = kwargs[key] as? NSNumber { return (v.intValue, v.intValue) }
        return fallback
    }
}

public enum GoldenError: Error, CustomStringConvertible {
    case missing(String)
    public var description: String {
        switch self { case .missing(let m): return m }
    }
}

public enum Golden {
    /// `Tests/Golden`, found from this file's path (or `$TENSORPAD_GOLDEN`).
    public static var directory: URL {
        if let env = ProcessInfo.processInfo.environment["TENSORPAD_GOLDEN"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Golden")
    }

    static func manifest(_ directory: URL = Golden.directory) throws -> [[String: Any]] {
        let data = try Data(contentsOf: directory.appendingPathComponent("cases.json"))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let cases = root["cases"] as? [[String: Any]] else {
            throw GoldenError.missing("cases.json has no 'cases' list")
        }
        return cases
    }

    /// Every case whose `op` is `op`, or whose name starts with `prefix`.
    public static func cases(op: String? = nil, prefix: String? = nil) throws -> [GoldenCase] {
        try manifest().filter { c in
            let name = c["name"] as? String ?? "", o = c["op"] as? String ?? ""
            return (op.map { $0 == o } ?? false) || (prefix.map { name.hasPrefix($0) } ?? false)
        }.map { try make($0) }
    }

    /// Every case of another folder in the same layout (a test target's own fixtures).
    public static func cases(in directory: URL) throws -> [GoldenCase] {
        try manifest(directory).map { try make($0, directory) }
    }

    /// The case called `name`.
    public static func load(_ name: String) throws -> GoldenCase {
        guard let c = try manifest().first(where: { ($0["name"] as? String) == name }) else {
            throw GoldenError.missing("no golden case '\(name)'")
        }
        return try make(c)
    }

    static func make(_ c: [String: Any], _ directory: URL = Golden.directory) throws -> GoldenCase {
        let name = c["name"] as? String ?? ""
        let dir = directory.appendingPathComponent(name)
        func load(_ f: String) throws -> Tensor { try NPY.load(path: dir.appendingPathComponent(f).path) }
        var inputs: [String: Tensor] = [:]
        for (k, v) in c["inputs"] as? [String: String] ?? [:] { inputs[k] = try load(v) }
        var grads: [String: Tensor] = [:]
        for (k, v) in c["grads"] as? [String: String] ?? [:] { grads[k] = try load(v) }
        let outputs = try (c["outputs"] as? [String] ?? []).map(load)
        let gradOut = try (c["grad_out"] as? String).map(load)
        return GoldenCase(name: name, op: c["op"] as? String ?? "", kwargs: c["kwargs"] as? [String: Any] ?? [:],
                          directory: dir, inputs: inputs, outputs: outputs, grads: grads, gradOut: gradOut)
    }
}

/// Fails unless `actual` matches `expected` in shape and dtype, and elementwise
/// within `atol + rtol·|expected|` (floats) or exactly (int64, bool). Reports the
/// largest error and the first bad index.
public func assertClose(_ actual: Tensor, _ expected: Tensor, rtol: Double = 1e-4, atol: Double = 1e-5,
                        _ label: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    let what = label().isEmpty ? "" : "\(label()): "
    guard actual.shape == expected.shape else {
        XCTFail("\(what)shape \(actual.shape) != expected \(expected.shape)", file: file, line: line)
        return
    }
    if expected.dtype != .float32 || actual.dtype != .float32 {
        guard actual.dtype == expected.dtype else {
            XCTFail("\(what)dtype \(actual.dtype) != expected \(expected.dtype)", file: file, line: line)
            return
        }
        let a = actual.toInt64s(), e = expected.toInt64s()
        if let i = a.indices.first(where: { a[$0] != e[$0] }) {
            let bad = a.indices.filter { a[$0] != e[$0] }.count
            XCTFail("\(what)\(bad) of \(a.count) elements differ; first at \(unravel(i, expected.shape)): \(a[i]) != \(e[i])",
                    file: file, line: line)
        }
        return
    }
    let a = actual.toDoubles(), e = expected.toDoubles()
    var maxErr = 0.0, firstBad: Int?, bad = 0
    for i in 0..<a.count {
        let err = Swift.abs(a[i] - e[i])
        let same = (a[i].isNaN && e[i].isNaN) || a[i] == e[i]
        if !same && (err.isNaN || err > atol + rtol * Swift.abs(e[i])) {
            bad += 1
            if firstBad == nil { firstBad = i }
        }
        if !same { maxErr = Swift.max(maxErr, err.isNaN ? .infinity : err) }
    }
    if let i = firstBad {
        XCTFail("\(what)\(bad) of \(a.count) elements out of tolerance (max abs error \(maxErr)); first at \(unravel(i, expected.shape)): \(a[i]) vs expected \(e[i])",
                file: file, line: line)
    }
}

func unravel(_ flat: Int, _ shape: [Int]) -> [Int] {
    var idx = [Int](repeating: 0, count: shape.count), r = flat
    for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
        idx[d] = r % shape[d]; r /= shape[d]
    }
    return idx
}
