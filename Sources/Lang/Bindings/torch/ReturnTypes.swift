import TensorCore

/// `torch.return_types.max(values=..., indices=...)`: a named tuple that
/// unpacks (`v, i = x.max(1)`), indexes, and has `.values` / `.indices`.
final class ReturnTuple: HostObject {
    let name: String
    let fields: [(String, Value)]
    init(_ name: String, _ fields: [(String, Value)]) { self.name = name; self.fields = fields }
    var typeName: String { name }
    var items: [Value] { fields.map { $0.1 } }

    func getAttribute(_ n: String, _ interp: Interpreter) throws -> Value? {
        fields.first { $0.0 == n }?.1
    }

    static func install(_ r: Registry) {
        let h = r.hooks
        h.iterate = TensorHooks.chainIter(h.iterate) { v in
            guard case .object(let o as ReturnTuple) = v else { return nil }
            return o.items
        }
        h.length = TensorHooks.chainLen(h.length) { v in
            guard case .object(let o as ReturnTuple) = v else { return nil }
            return o.fields.count
        }
        h.getItem = TensorHooks.chain2(h.getItem) { v, k in
            guard case .object(let o as ReturnTuple) = v else { return nil }
            guard case .int(let i) = k, i >= -o.fields.count, i < o.fields.count else {
                throw indexError("tuple index out of range")
            }
            return o.items[i < 0 ? i + o.fields.count : i]
        }
    }
}
