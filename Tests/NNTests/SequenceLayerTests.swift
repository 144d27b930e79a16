import XCTest
import Foundation
@testable import NN
import TensorCore

/// nn.RNN / LSTM / GRU, their cells, MultiheadAttention, scaled_dot_product_attention and
/// ConvTranspose1d against PyTorch (`Fixtures/sequence.json`, made by make_sequence.py):
/// the weights drawn after `manual_seed(seed)` bit for bit, the outputs, and the gradients
/// of every input and parameter.
final class SequenceLayerTests: XCTestCase {
    override func tearDown() { Generator.default.manualSeed(Generator.defaultSeed) }

    struct Case {
        let raw: [String: Any]
        var name: String { raw["name"] as? String ?? "" }
        var kind: String { raw["kind"] as? String ?? "" }
        var args: [String: Any] { raw["args"] as? [String: Any] ?? [:] }
        func int(_ k: String, _ d: Int) -> Int { (args[k] as? NSNumber)?.intValue ?? d }
        func bool(_ k: String) -> Bool { (args[k] as? NSNumber)?.boolValue ?? (k == "bias") }
        func double(_ k: String) -> Double? { (args[k] as? NSNumber)?.doubleValue }
    }

    static func tensor(_ v: Any?) throws -> Tensor {
        let d = v as? [String: Any] ?? [:]
        let values = ((d["values"] as? [NSNumber]) ?? []).map(\.floatValue)
        let shape = (d["shape"] as? [Int]) ?? []
        if d["dtype"] as? String == "bool" { return try Tensor(bools: values.map { $0 != 0 }, shape: shape) }
        return try Tensor(values, shape: shape)
    }

    func cases() throws -> [Case] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/sequence.json")
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return try XCTUnwrap(root["cases"] as? [[String: Any]]).map(Case.init)
    }

    func build(_ c: Case) throws -> Module? {
        let i = c.int("input_size", 0), h = c.int("hidden_size", 0), layers = c.int("num_layers", 1)
        switch c.kind {
        case "LSTM":
            return try LSTM(i, h, numLayers: layers, bias: c.bool("bias"), batchFirst: c.bool("batch_first"),
                            bidirectional: c.bool("bidirectional"), projSize: c.int("proj_size", 0))
        case "GRU":
            return try GRU(i, h, numLayers: layers, bias: c.bool("bias"), batchFirst: c.bool("batch_first"), bidirectional: c.bool("bidirectional"))
        case "RNN":
            return try RNN(i, h, numLayers: layers, nonlinearity: c.args["nonlinearity"] as? String ?? "tanh", bias: c.bool("bias"),
                           batchFirst: c.bool("batch_first"), bidirectional: c.bool("bidirectional"))
        case "LSTMCell": return try LSTMCell(i, h, bias: c.bool("bias"))
        case "GRUCell": return try GRUCell(i, h, bias: c.bool("bias"))
        case "RNNCell": return try RNNCell(i, h, bias: c.bool("bias"), nonlinearity: c.args["nonlinearity"] as? String ?? "tanh")
        case "MultiheadAttention":
            return try MultiheadAttention(c.int("embed_dim", 0), c.int("num_heads", 1), bias: c.bool("bias"),
                                          kdim: c.args["kdim"] == nil ? nil : c.int("kdim", 0), vdim: c.args["vdim"] == nil ? nil : c.int("vdim", 0), batchFirst: c.bool("batch_first"))
        case "ConvTranspose1d":
            return try ConvTranspose1d(c.int("in_channels", 0), c.int("out_channels", 0), kernelSize: .int(c.int("kernel_size", 1)),
                                       stride: .int(c.int("stride", 1)), padding: .int(c.int("padding", 0)),
                                       outputPadding: .int(c.int("output_padding", 0)), groups: c.int("groups", 1),
                                       bias: c.bool("bias"), dilation: .int(c.int("dilation", 1)))
        default: return nil
        }
    }

    /// The layer's outputs in the fixture's order.
    func outputs(_ c: Case, _ m: Module?, _ ins: [String: Tensor], _ masks: [String: Tensor]) throws -> [Tensor] {
        let x = ins["input"] ?? ins["query"]
        switch m {
        case let r as RNNBase:
            let (y, h, cs) = try r.run(try XCTUnwrap(x), h0: ins["h0"], c0: ins["c0"])
            return [y, h] + (cs.map { [$0] } ?? [])
        case let cell as RNNCellBase:
            let (h, cs) = try cell.step(try XCTUnwrap(x), h0: ins["h0"], c0: ins["c0"])
            return [h] + (cs.map { [$0] } ?? [])
        case let mha as MultiheadAttention:
            let q = try XCTUnwrap(x)
            let (y, w) = try mha.attend(q, ins["key"] ?? q, ins["value"] ?? q, keyPaddingMask: masks["key_padding_mask"],
                                        needWeights: c.name != "mha_kdim_vdim_nobias", attnMask: masks["attn_mask"],
                                        averageWeights: c.name != "mha_bf_causal_heads")
            return [y] + (w.map { [$0] } ?? [])
        case let conv as ConvTranspose1d:
            return [try conv(try XCTUnwrap(x))]
        default:
            return [try Functional.scaledDotProductAttention(try XCTUnwrap(ins["query"]), try XCTUnwrap(ins["key"]), try XCTUnwrap(ins["value"]),
                                                             attnMask: masks["attn_mask"], isCausal: c.double("is_causal") == 1,
                                                             scale: c.double("scale"))]
        }
    }

    func close(_ got: Tensor, _ want: Tensor, _ what: String) {
        XCTAssertEqual(got.shape, want.shape, what)
        let bad = zip(got.toFloats(), want.toFloats()).filter { Swift.abs($0 - $1) > 2e-5 + 1e-4 * Swift.abs($1) }
        XCTAssertTrue(bad.isEmpty, "\(what): \(bad.count) values differ, first \(bad.first.map { "\($0)" } ?? "")")
    }

    func testAgainstPyTorch() throws {
        let all = try cases()
        XCTAssertEqual(all.count, 31)
        for c in all {
            Generator.default.manualSeed(UInt64(c.raw["seed"] as? Int ?? 0))
            let m = try build(c)
            if c.kind != "sdpa" { XCTAssertNotNil(m, c.name) }
            // Construction weights: PyTorch's names, order and values, bit for bit.
            let params = m?.namedParameters() ?? []
            let want = c.raw["params"] as? [[String: Any]] ?? []
            XCTAssertEqual(params.map(\.0), want.map { $0["name"] as? String ?? "" }, "\(c.name) parameter names")
            for ((n, p), w) in zip(params, want) {
                XCTAssertEqual(p.toFloats().map(\.bitPattern), try Self.tensor(w).toFloats().map(\.bitPattern), "\(c.name) \(n) init")
            }
            var ins: [String: Tensor] = [:]
            for (k, v) in c.raw["inputs"] as? [String: Any] ?? [:] {
                let t = try Self.tensor(v)
                t.requiresGrad = true
                ins[k] = t
            }
            var masks: [String: Tensor] = [:]
            for (k, v) in c.raw["masks"] as? [String: Any] ?? [:] { masks[k] = try Self.tensor(v) }
            let outs = try outputs(c, m, ins, masks)
            let wantOuts = try (c.raw["outputs"] as? [Any] ?? []).map(Self.tensor)
            XCTAssertEqual(outs.count, wantOuts.count, c.name)
            for (k, (o, w)) in zip(outs, wantOuts).enumerated() { close(o, w, "\(c.name) output \(k)") }
            // Gradients of sum(out_i * grad_out_i).
            let gos = try (c.raw["grad_outs"] as? [Any] ?? []).map(Self.tensor)
            var loss: Tensor?
            for (o, go) in zip(outs, gos) {
                let term = try Functional.sum(try Functional.mul(o, go))
                loss = try loss.map { try Functional.add($0, term) } ?? term
            }
            try Engine.backward(try XCTUnwrap(loss, c.name))
            let grads = c.raw["grads"] as? [String: Any] ?? [:]
            XCTAssertEqual(grads.count, ins.count + params.count, "\(c.name): a gradient for every input and parameter")
            for (k, g) in grads {
                let t = try XCTUnwrap(ins[k] ?? params.first { $0.0 == k }?.1, "\(c.name): no tensor \(k)")
                close(try XCTUnwrap(t.grad, "\(c.name): no gradient for \(k)"), try Self.tensor(g), "\(c.name) d/d\(k)")
            }
        }
    }

    /// Sizes whose products overflow are a MemoryError, or PyTorch's RuntimeError when the
    /// element count itself passes 64 bits (`GRU(2**62, 4)`: "Storage size calculation
    /// overflowed with sizes=[12, 4611686018427387904]", as PyTorch 2.13 says), not a trap.
    func testHugeSizesThrow() {
        for make in [{ _ = try LSTM(4, 1 << 62) }, { _ = try GRU(1 << 62, 4) }, { _ = try GRUCell(4, 1 << 61) },
                     { _ = try MultiheadAttention(1 << 62, 1) }, { _ = try LSTM(4, 1 << 62, bidirectional: true, projSize: 1 << 61) }] {
            XCTAssertThrowsError(try make()) { e in
                if case TensorError.memory = e { return }
                if case TensorError.runtime(let m) = e, m.hasPrefix("Storage size calculation overflowed with sizes=")
                    || m == "Stride calculation overflowed" { return }
                XCTFail("\(e)")
            }
        }
        XCTAssertThrowsError(try GRU(1 << 62, 4)) { e in
            XCTAssertEqual("\(e)", "\(TensorError.runtime("Storage size calculation overflowed with sizes=[12, 4611686018427387904]"))")
        }
    }

    /// PyTorch's nn.Sequential hands an LSTM's tuple to the next layer, which refuses it;
    /// Tensorpad's tensor-only containers say why instead of passing on part of it.
    func testRecurrentLayerInsideSequentialExplainsTheTuple() throws {
        let net = Sequential([try LSTM(3, 4), try Linear(4, 2)])
        XCTAssertThrowsError(try net(try Tensor.zeros([5, 2, 3]))) {
            XCTAssertEqual("\($0)", "LSTM returns a tuple (output, (h_n, c_n)), not a tensor, so nn.Sequential cannot hand it to the next layer; call it in your Module's forward and unpack it")
        }
        // A GRUCell returns one tensor, so it chains.
        XCTAssertEqual(try Sequential([try GRUCell(3, 4), try Linear(4, 2)])(try Tensor.zeros([5, 3])).shape, [5, 2])
    }
}
