import TensorCore
import NN

extension Registry {
    /// Declares a tensor op once and registers it as `torch.NAME(input, ...)`,
    /// as the method `x.NAME(...)`, and bare `NAME(...)` unless a Python
    /// builtin already has that name (`sum`, `max`, `abs` stay Python's).
    func tensorOp(_ name: String, _ params: [Param] = [], varargs: String? = nil, doc: String,
                  method: Bool = true, torch: Bool = true,
                  body: @escaping (Tensor, BoundArgs) throws -> Value) {
        if torch {
            let sig = Signature(name, [Param("input")] + params, varargs: varargs, doc: doc)
            let bare = lookup(name) == nil ? [name] : []
            register(path: "torch.\(name)", aliases: bare, signature: sig) { a in
                try body(try TV.tensor(a[0], "input", in: name), a)
            }
        }
        if method {
            registerMethod(type: "Tensor", signature: Signature(name, [Param("self")] + params, varargs: varargs, doc: doc)) { a in
                try body(try TV.tensor(a[0], "self", in: name), a)
            }
        }
    }

    /// A function under `torch.` (and bare when free) that is not a method.
    func torchFunction(_ name: String, _ params: [Param] = [], varargs: String? = nil,
                       keywordOnly: [Param] = [], doc: String, body: @escaping (BoundArgs) throws -> Value) {
        let bare = lookup(name) == nil ? [name] : []
        register(path: "torch.\(name)", aliases: bare,
                 signature: Signature(name, params, varargs: varargs, keywordOnly: keywordOnly, doc: doc), body: body)
    }
}

extension Value {
    static let noneDefault: Value = .none
}

/// Shorthands for parameter lists.
func P(_ name: String) -> Param { Param(name) }
func P(_ name: String, _ d: Value) -> Param { Param(name, default: d) }
