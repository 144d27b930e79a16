import XCTest
import Foundation
import TensorCore
import TestSupport
@testable import Formats

final class SafetensorsTests: XCTestCase {
    /// `y = linear2(relu(linear1(x)))` with plain loops, to check loaded weights by value.
    func forward(_ w: [String: Tensor], _ x: [Float], rows: Int) -> [Float] {
        func linear(_ x: [Float], _ wt: Tensor?, _ bt: Tensor?, inF: Int) -> [Float] {
            guard let wt = wt, let bt = bt else { return [] }
            let W = wt.toFloats(), b = bt.toFloats(), outF = wt.shape[0]
            var y = [Float](repeating: 0, count: rows * outF)
            for r in 0..<rows {
                for o in 0..<outF {
                    var s = b[o]
                    for i in 0..<inF { s += x[r * inF + i] * W[o * inF + i] }
                    y[r * outF + o] = s
                }
            }
            return y
        }
        let h = linear(x, w["0.weight"], w["0.bias"], inF: 3).map { max($0, 0) }
        return linear(h, w["2.weight"], w["2.bias"], inF: 4)
    }

    func testTorchSequentialStateDict() throws {
        let c = try Safetensors.loadContents(path: Fixture.path("sequential.safetensors"))
        XCTAssertEqual(Set(c.tensors.map(\.0)), ["0.weight", "0.bias", "2.weight", "2.bias"])
        XCTAssertEqual(c.metadata.map(\.0), ["format"])
        XCTAssertEqual(c.metadata.first?.1, "pt")
        let w = Dictionary(uniqueKeysWithValues: c.tensors)
        XCTAssertEqual(w["0.weight"]?.shape, [4, 3])
        XCTAssertEqual(w["2.bias"]?.shape, [2])
        let io = Dictionary(uniqueKeysWithValues: try NPZ.load(path: Fixture.path("sequential_io.npz")))
        let x = try XCTUnwrap(io["x"]), y = try XCTUnwrap(io["y"])
        let got = forward(w, x.toFloats(), rows: 3)
        XCTAssertEqual(got.count, 6)
        for (a, b) in zip(got, y.toFloats()) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    func testLoadIntoModelStateDictInPlace() throws {
        let file = try Safetensors.load(path: Fixture.path("sequential.safetensors"))
        let model: [(String, Tensor)] = [
            ("0.weight", try Tensor(zeros: [4, 3])), ("0.bias", try Tensor(zeros: [4])),
            ("2.weight", try Tensor(zeros: [2, 4])), ("2.bias", try Tensor(zeros: [2])),
        ]
        let before = model.map { ObjectIdentifier($0.1) }
        try WeightsIO.load(into: model, from: file)
        XCTAssertEqual(model.map { ObjectIdentifier($0.1) }, before)
        let w = Dictionary(uniqueKeysWithValues: file)
        for (k, t) in model { XCTAssertEqual(t.toFloats(), w[k]?.toFloats(), k) }
    }

    func testBatchNormBuffers() throws {
        let file = try Safetensors.load(path: Fixture.path("batchnorm.safetensors"))
        let w = Dictionary(uniqueKeysWithValues: file)
        let n = try XCTUnwrap(w["0.num_batches_tracked"])
        XCTAssertEqual(n.dtype, .int64)
        XCTAssertEqual(n.shape, [])
        XCTAssertEqual(n.toInt64s(), [1])
        // running_mean after one batch: 0.1 * batch mean.
        let rm = w["0.running_mean"]?.toFloats() ?? []
        XCTAssertEqual(rm.count, 3)
        for (a, b) in zip(rm, [Float(0.2), 0.1, 0.1]) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        let model: [(String, Tensor)] = try ["0.weight", "0.bias", "0.running_mean", "0.running_var"].map {
            ($0, try Tensor(zeros: [3]))
        } + [("0.num_batches_tracked", try Tensor(zeros: [], dtype: .int64))]
        try WeightsIO.load(into: model, from: file)
        XCTAssertEqual(model[4].1.toInt64s(), [1])
        XCTAssertEqual(model[0].1.toFloats(), [1, 1, 1])
    }

    func testEveryDtype() throws {
        let w = Dictionary(uniqueKeysWithValues: try Safetensors.load(path: Fixture.path("dtypes.safetensors")))
        XCTAssertEqual(w["f64"]?.toFloats(), [1.5, -0.25])
        XCTAssertEqual(w["f16"]?.toFloats(), [1.0, -2.5, 65504, 0x1p-24])
        XCTAssertEqual(w["bf16"]?.toFloats().prefix(2), [1.0, -3.0])
        XCTAssertEqual(Double(w["bf16"]?.toFloats().last ?? 0), 1e30, accuracy: 1e28)
        XCTAssertEqual(w["i32"]?.shape, [1, 2])
        XCTAssertEqual(w["i32"]?.toInt64s(), [-7, 8])
        XCTAssertEqual(w["i16"]?.toInt64s(), [-300, 300])
        XCTAssertEqual(w["i8"]?.toInt64s(), [-128, 127])
        XCTAssertEqual(w["u8"]?.toInt64s(), [0, 255])
        XCTAssertEqual(w["b"]?.dtype, .bool)
        XCTAssertEqual(w["b"]?.toInt64s(), [1, 0, 1])
        XCTAssertEqual(w["empty"]?.shape, [0, 3])
    }

    func testRoundTripLayoutAndPadding() throws {
        let ts: [(String, Tensor)] = [
            ("w", try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])),
            ("n", Tensor.scalar(int: 7)),
            ("mask", try Tensor(bools: [true, false, true], shape: [3])),
            ("t", try Tensor([1, 2, 3, 4], shape: [2, 2]).transpose(0, 1)),
        ]
        let d = try Safetensors.encode(ts, metadata: [("format", "pt"), ("note", "a \"quoted\" line\n")])
        let n = Int(d[0]) | Int(d[1]) << 8
        XCTAssertEqual(n % 8, 0)
        XCTAssertEqual(d[8 + n - 1] == 0x20 || d[8 + n - 1] == UInt8(ascii: "}"), true)
        let c = try Safetensors.decode(d)
        XCTAssertEqual(c.tensors.map(\.0), ["w", "n", "mask", "t"])
        XCTAssertEqual(c.metadata.map(\.1), ["pt", "a \"quoted\" line\n"])
        for (a, b) in zip(ts, c.tensors) {
            XCTAssertEqual(a.1.shape, b.1.shape)
            XCTAssertEqual(a.1.dtype, b.1.dtype)
            XCTAssertEqual(a.1.toDoubles(), b.1.toDoubles())
        }
        let path = Fixture.tmp("rt.safetensors")
        defer { if ProcessInfo.processInfo.environment["KEEP_FORMATS_OUTPUT"] == nil { unlink(path) } }
        try Safetensors.save(ts, path: path, metadata: [("format", "pt")])
        XCTAssertEqual(try Safetensors.load(path: path).count, 4)
        expectFormatError("duplicate", offset: false) { try Safetensors.encode([("a", Tensor.scalar(1)), ("a", Tensor.scalar(2))]) }
    }

    /// A file from header text and payload.
    func file(_ header: String, _ payload: [UInt8]) -> Data {
        var d = [UInt8](); d.appendLE(UInt64(header.utf8.count), 8)
        return Data(d + Array(header.utf8) + payload)
    }

    func testBadFiles() throws {
        let four = [UInt8](repeating: 0, count: 4)
        expectFormatError("too short") { try Safetensors.decode(Data([1, 2])) }
        expectFormatError("runs past the end") { try Safetensors.decode(Data([0xFF, 0, 0, 0, 0, 0, 0, 0, 0x7B])) }
        expectFormatError("100 MB") { try Safetensors.decode(Data([0, 0, 0, 0, 0, 0, 0, 0x7F, 0x7B])) }
        expectFormatError("bad JSON") { try Safetensors.decode(file("{\"a\":", [])) }
        expectFormatError("does not start") { try Safetensors.decode(file("[]", [])) }
        expectFormatError("unsupported dtype F8") {
            try Safetensors.decode(file(#"{"a":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}}"#, [0]))
        }
        expectFormatError("needs 8 bytes") {
            try Safetensors.decode(file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, four))
        }
        expectFormatError("run past the end") {
            try Safetensors.decode(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, four))
        }
        expectFormatError("overlaps") {
            try Safetensors.decode(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, four))
        }
        expectFormatError("gap") {
            try Safetensors.decode(file(#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}"#, [0, 0]))
        }
        expectFormatError("cover 4 bytes") {
            try Safetensors.decode(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, four + four))
        }
        expectFormatError("too large") {
            try Safetensors.decode(file(#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#, four))
        }
        expectFormatError("non-negative") {
            try Safetensors.decode(file(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, four))
        }
        expectFormatError("duplicate key") {
            try Safetensors.decode(file(#"{"a":{"dtype":"U8","shape":[],"data_offsets":[0,1]},"a":{}}"#, [0]))
        }
        expectFormatError("missing \"dtype\"") { try Safetensors.decode(file(#"{"a":{}}"#, [])) }
        expectFormatError("not a string") { try Safetensors.decode(file(#"{"__metadata__":{"k":1}}"#, [])) }
        expectFormatError("nesting too deep") {
            try Safetensors.decode(file("{\"a\":" + String(repeating: "[", count: 100), []))
        }
        // A valid empty file.
        XCTAssertEqual(try Safetensors.decode(file("{}      ", [])).tensors.count, 0)
    }
}

final class WeightsIOTests: XCTestCase {
    func testPyTorchWordingForEveryProblem() throws {
        let expected = try String(contentsOfFile: Fixture.path("load_state_dict_error.txt"), encoding: .utf8)
        let weight = try Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], shape: [3, 3])
        let model: [(String, Tensor)] = [("0.weight", weight), ("0.bias", try Tensor(zeros: [3]))]
        let file: [(String, Tensor)] = [("0.weight", try Tensor(zeros: [4, 3])), ("x.bias", try Tensor(zeros: [3]))]
        XCTAssertThrowsError(try WeightsIO.load(into: model, from: file, modelName: "Sequential")) { e in
            XCTAssertEqual((e as? FormatError)?.description, expected)
        }
        // Nothing was copied.
        XCTAssertEqual(weight.toFloats(), [1, 2, 3, 4, 5, 6, 7, 8, 9])
    }

    func testModelNameAndDtypeConversion() throws {
        let model: [(String, Tensor)] = [("n", Tensor.scalar(int: 0)), ("w", try Tensor(zeros: [2]))]
        XCTAssertThrowsError(try WeightsIO.load(into: model, from: [("n", Tensor.scalar(int: 3))], modelName: "Net")) { e in
            XCTAssertEqual((e as? FormatError)?.description,
                           "Error(s) in loading state_dict for Net:\n\tMissing key(s) in state_dict: \"w\". ")
        }
        try WeightsIO.load(into: model, from: [("n", Tensor.scalar(5)), ("w", try Tensor(ints: [1, 2], shape: [2]))])
        XCTAssertEqual(model[0].1.dtype, .int64)
        XCTAssertEqual(model[0].1.toInt64s(), [5])
        XCTAssertEqual(model[1].1.toFloats(), [1, 2])
    }
}
