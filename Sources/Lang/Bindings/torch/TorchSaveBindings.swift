import TensorCore
import NN
import Formats

/// `torch.save(obj, f)` / `torch.load(f, map_location=None, weights_only=True)`
/// in PyTorch's own zip format (Formats' `TorchSave`), for what
/// `weights_only=True` loads: tensors, numbers, strings, None, and lists,
/// tuples and dicts of them (state dicts, optimiser state). Also
/// `Module.load_state_dict(sd, strict=True)` and `Module.apply(fn)`.
enum TorchSaveBindings {
    static func install(_ r: Registry) {
        r.register(path: "torch.save", signature: Signature("save", [P("obj"), P("f"), P("pickle_module", .none), P("pickle_protocol", .int(2)),
                                 P("_use_new_zipfile_serialization", .bool(true))],
                        doc: "Writes tensors, numbers, strings and lists/tuples/dicts of them (a state_dict) in PyTorch's file format.")) { a in
            let path = try Convert.string(a[1], what: "f", in: "save")
            try TorchSave.save(try pickleValue(a[0], a.interpreter), path: path)
            return .none
        }
        r.register(path: "torch.load", signature: Signature("load", [P("f"), P("map_location", .none), P("pickle_module", .none)],
                        keywordOnly: [P("weights_only", .none), P("mmap", .none)],
                        doc: "Reads a file written by torch.save (here or by PyTorch); loads what weights_only=True allows, onto the CPU.")) { a in
            let path = try Convert.string(a[0], what: "f", in: "load")
            return try value(try TorchSave.load(path: path))
        }
        r.registerMethod(type: "Module", signature: Signature("load_state_dict", [P("self"), P("state_dict"), P("strict", .bool(true)), P("assign", .bool(false))],
                                                             doc: "Copies tensors from a state_dict into the parameters and buffers; strict=True needs every key to match.")) { a in
            let m = try ModuleHooks.receiver(a[0], "load_state_dict")
            guard case .dict(let d) = a[1] else {
                throw typeError("Expected state_dict to be dict-like, got \(a[1].typeName).")
            }
            var file: [(String, Tensor)] = []
            for (k, v) in d.items {
                guard case .str(let name) = k else { continue }
                guard case .tensor(let t) = v else {
                    throw LangError(.RuntimeError, "Error(s) in loading state_dict for \(m.typeName):\n\tWhile copying the parameter named \"\(name)\", expected torch.Tensor or Tensor-like object from checkpoint but received \(v.typeName)")
                }
                file.append((name, t))
            }
            do {
                let (missing, unexpected) = try WeightsIO.load(into: m.stateDict(), from: file, modelName: m.typeName, strict: TV.bool(a[2]))
                return .object(IncompatibleKeys(missing: missing, unexpected: unexpected))
            } catch FormatError.io(let why) {
                throw LangError(.RuntimeError, why)
            }
        }
        r.registerMethod(type: "Module", signature: Signature("apply", [P("self"), P("fn")],
                                                             doc: "Calls fn on every submodule (children first) and on the module itself; returns the module.")) { a in
            let m = try ModuleHooks.receiver(a[0], "apply")
            func visit(_ x: Module) throws {
                for c in x.children { try visit(c) }
                _ = try a.interpreter.call(a[1], [.module(x)])
            }
            try visit(m)
            return .module(m)
        }
    }

    static func pickleValue(_ v: Value, _ interp: Interpreter) throws -> PickleValue {
        switch v {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .str(let s): return .string(s)
        case .tensor(let t): return .tensor(t)
        case .size(let dims): return .tuple(dims.map { .int($0) })
        case .list(let box): return .list(try box.items.map { try pickleValue($0, interp) })
        case .tuple(let items): return .tuple(try items.map { try pickleValue($0, interp) })
        case .dict(let d): return .dict(try d.items.map { (try pickleValue($0.0, interp), try pickleValue($0.1, interp)) })
        case .module:
            throw typeError("torch.save: Tensorpad saves tensors, numbers, strings and lists, tuples and dicts of them; save model.state_dict(), not the model")
        default:
            throw typeError("torch.save: cannot save a \(v.typeName) (Tensorpad saves tensors, numbers, strings, None and lists, tuples and dicts of them)")
        }
    }

    static func value(_ p: PickleValue) throws -> Value {
        switch p {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .string(let s): return .str(s)
        case .bytes(let b): return .str(String(decoding: b.map { UInt16($0) }, as: UTF16.self))
        case .tensor(let t): return .tensor(t)
        case .list(let items): return .list(ListBox(try items.map(value)))
        case .tuple(let items): return .tuple(try items.map(value))
        case .dict(let pairs), .orderedDict(let pairs):
            let d = DictBox()
            for (k, v) in pairs {
                let key = try value(k)
                guard let h = HashKey(key) else { throw typeError("unhashable type: '\(key.typeName)'") }
                d.set(h, key, try value(v))
            }
            return .dict(d)
        case .global(let g):
            throw LangError(.IOError, "torch.load: the file holds a reference to '\(g)', which Tensorpad cannot load")
        }
    }

    /// The tensors of a loaded state dict, for `load_weights`.
    static func stateDict(_ p: PickleValue, path: String) throws -> [(String, Tensor)] {
        switch p {
        case .dict(let pairs), .orderedDict(let pairs):
            return try pairs.map { k, v in
                guard case .string(let name) = k, case .tensor(let t) = v else {
                    throw LangError(.IOError, "\(path): not a state_dict (a dict of name to tensor)")
                }
                return (name, t)
            }
        default:
            throw LangError(.IOError, "\(path): not a state_dict (a dict of name to tensor)")
        }
    }
}

/// What `load_state_dict` returns: `<All keys matched successfully>` or the lists of keys.
final class IncompatibleKeys: HostObject {
    let missing: [String], unexpected: [String]
    init(missing: [String], unexpected: [String]) { self.missing = missing; self.unexpected = unexpected }
    var typeName: String { "_IncompatibleKeys" }
    func repr() -> String {
        if missing.isEmpty && unexpected.isEmpty { return "<All keys matched successfully>" }
        func list(_ k: [String]) -> String { "[" + k.map { Printing.repr(.str($0)) }.joined(separator: ", ") + "]" }
        return "_IncompatibleKeys(missing_keys=\(list(missing)), unexpected_keys=\(list(unexpected)))"
    }
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "missing_keys": return .list(ListBox(missing.map { .str($0) }))
        case "unexpected_keys": return .list(ListBox(unexpected.map { .str($0) }))
        default: return nil
        }
    }
}
