import TensorCore
import NN

/// Small `torch.` names tutorials use in passing: `get_default_dtype`,
/// `as_tensor`, `new_zeros`/`new_ones`/`new_full`/`new_tensor`, `hstack`/`vstack`,
/// `x.type(dtype)`, `finfo`/`iinfo` (devices and backends: `DeviceBindings`).
enum TorchExtras {
    static func install(_ r: Registry) {
        r.torchFunction("get_default_dtype", doc: "The default floating-point dtype (torch.float32).") { _ in .object(DTypeObject.of(.float32)) }
        r.torchFunction("as_tensor", [P("data"), P("dtype", .none), P("device", .none)], doc: "A tensor from data, sharing memory with a tensor or array of the same dtype.") { a in
            let dt = try TV.dtype(a[1], in: "as_tensor")
            if case .tensor(let x) = a[0] { return .tensor(dt == nil || dt == x.dtype ? x : try Functional.to(x, dt ?? x.dtype)) }
            if case .object(let arr as NDArray) = a[0] { return .tensor(dt == nil || dt == arr.t.dtype ? arr.t.detach() : try arr.t.to(dt ?? arr.t.dtype)) }
            return .tensor(try TV.fromNested(a[0], dtype: dt))
        }
        for (name, value) in [("new_zeros", 0.0), ("new_ones", 1.0), ("new_empty", 0.0)] {
            r.registerMethod(type: "Tensor", signature: Signature(name, [P("self")], varargs: "size", keywordOnly: [P("dtype", .none), P("requires_grad", .bool(false))],
                                                                  doc: "A tensor of this dtype filled with \(value == 0 ? "zeros" : "ones").")) { a in
                let x = try TV.tensor(a[0], "self", in: name)
                let shape = a.varargs.count == 1 && !TV.isNumber(a.varargs[0]) ? try TV.ints(a.varargs[0], "size", in: name) : try TV.shape(a.varargs, in: name)
                return try TorchFunctions.grad(try Tensor.full(shape, value, dtype: try TV.dtype(a[1], in: name) ?? x.dtype), a[2])
            }
        }
        r.registerMethod(type: "Tensor", signature: Signature("new_full", [P("self"), P("size"), P("fill_value")], keywordOnly: [P("dtype", .none)],
                                                              doc: "A tensor of this dtype filled with fill_value.")) { a in
            let x = try TV.tensor(a[0], "self", in: "new_full")
            return .tensor(try Tensor.full(try TV.ints(a[1], "size", in: "new_full"), try TensorMethods.numberOrItem(a[2], "fill_value", in: "new_full"),
                                           dtype: try TV.dtype(a[3], in: "new_full") ?? x.dtype))
        }
        r.registerMethod(type: "Tensor", signature: Signature("new_tensor", [P("self"), P("data")], keywordOnly: [P("dtype", .none)],
                                                              doc: "A tensor from data, with this tensor's dtype.")) { a in
            let x = try TV.tensor(a[0], "self", in: "new_tensor")
            return .tensor(try TV.fromNested(a[1], dtype: try TV.dtype(a[2], in: "new_tensor") ?? x.dtype))
        }
        r.registerMethod(type: "Tensor", signature: Signature("type", [P("self"), P("dtype", .none)], doc: "The type name, or a copy converted to dtype.")) { a in
            let x = try TV.tensor(a[0], "self", in: "type")
            guard let d = try TV.dtype(a[1], in: "type") else {
                let names: [DType: String] = [.float32: "Float", .float64: "Double", .float16: "Half", .int64: "Long", .int32: "Int", .uint8: "Byte", .bool: "Bool"]
                return .str("torch.\(names[x.dtype] ?? "Float")Tensor")
            }
            return .tensor(try Functional.to(x, d))
        }
        r.torchFunction("finfo", [P("type", .none)], doc: "Machine limits of a floating-point dtype (eps, max, min, tiny, bits).") { a in
            let d = try TV.dtype(a[0], in: "finfo") ?? .float32
            let limits: [DType: (Double, Double, Double, Int, Double)] = [
                .float32: (Double(Float.ulpOfOne), Double(Float.greatestFiniteMagnitude), Double(Float.leastNormalMagnitude), 32, 1e-6),
                .float64: (Double.ulpOfOne, Double.greatestFiniteMagnitude, Double.leastNormalMagnitude, 64, 1e-15),
                .float16: (Double(Float16.ulpOfOne), Double(Float16.greatestFiniteMagnitude), Double(Float16.leastNormalMagnitude), 16, 0.001)]
            guard let l = limits[d] else { throw typeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo'") }
            return .object(LimitsObject(kind: "finfo", fields: [("eps", .float(l.0)), ("max", .float(l.1)), ("min", .float(-l.1)),
                                                               ("tiny", .float(l.2)), ("smallest_normal", .float(l.2)), ("bits", .int(l.3)),
                                                               ("resolution", .float(l.4)), ("dtype", .str(d.rawValue))]))
        }
        r.torchFunction("iinfo", [P("type")], doc: "Machine limits of an integer dtype (max, min, bits).") { a in
            let d = try TV.dtype(a[0], in: "iinfo") ?? .int64
            let limits: [DType: (Int, Int, Int)] = [.uint8: (0, 255, 8), .int32: (Int(Int32.min), Int(Int32.max), 32), .int64: (Int.min, Int.max, 64)]
            guard let l = limits[d] else { throw typeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle '\(d.rawValue)'") }
            return .object(LimitsObject(kind: "iinfo", fields: [("min", .int(l.0)), ("max", .int(l.1)), ("bits", .int(l.2)), ("dtype", .str(d.rawValue))]))
        }
        for (name, dim) in [("hstack", 1), ("vstack", 0)] {
            r.torchFunction(name, [P("tensors")], doc: name == "hstack" ? "Tensors joined column-wise." : "Tensors joined row-wise.") { a in
                var ts = try a.interpreter.toArray(a[0]).map { try TV.tensor($0, "tensors", in: name) }
                if name == "vstack" { ts = try ts.map { $0.rank < 2 ? try Functional.reshape($0, [1, $0.numel]) : $0 } }
                let d = name == "hstack" && (ts.first?.rank ?? 0) <= 1 ? 0 : dim
                return .tensor(try Functional.cat(ts, dim: d))
            }
        }
    }
}

/// `torch.finfo(dtype)` / `torch.iinfo(dtype)`.
final class LimitsObject: HostObject {
    let kind: String, fields: [(String, Value)]
    init(kind: String, fields: [(String, Value)]) { self.kind = kind; self.fields = fields }
    var typeName: String { kind }
    func repr() -> String { "\(kind)(" + fields.map { "\($0.0)=\(Printing.repr($0.1))" }.joined(separator: ", ") + ")" }
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? { fields.first { $0.0 == name }?.1 }
}
