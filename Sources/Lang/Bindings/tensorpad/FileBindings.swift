import Foundation
import TensorCore
import NN
import Formats

/// SPEC §8 from the language: NumPy arrays (`load_npy`, `save_npy`,
/// `load_npz`, `save_npz`), weights as safetensors with PyTorch's
/// `state_dict` names (`save_weights`, `load_weights`), and IDX data sets
/// (`load_idx`). Every file problem raises `IOError` with the reason
/// (`FormatError`, mapped by `LangError.from`).
enum FileBindings {
    static func install(_ r: Registry) {
        func fn(_ name: String, _ params: [Param], kwargs: String? = nil, doc: String,
                body: @escaping (BoundArgs) throws -> Value) {
            r.register(path: name, signature: Signature(name, params, kwargs: kwargs, doc: doc), body: body)
        }
        func path(_ a: BoundArgs, _ i: Int) throws -> String {
            try Convert.string(a[i], what: a.signature.params[safe: i]?.name ?? "path", in: a.signature.name)
        }

        fn("load_npy", [P("path")], doc: "Reads a NumPy .npy file (<f4 <f8 <i8 <i4 |u1 |b1, C order) as a tensor.") { a in
            .tensor(try NPY.load(path: try path(a, 0)))
        }
        fn("save_npy", [P("t"), P("path")], doc: "Writes a tensor as a NumPy .npy file (replacing any old file whole).") { a in
            let t = try TV.tensor(a[0], "t", in: "save_npy")
            try NPY.save(t, path: try path(a, 1))
            return .none
        }
        fn("load_npz", [P("path")], doc: "Reads a NumPy .npz archive as a dict of name to tensor.") { a in
            let d = DictBox()
            for (k, t) in try NPZ.load(path: try path(a, 0)) { d.set(.str(k), .str(k), .tensor(t)) }
            return .dict(d)
        }
        fn("save_npz", [P("path")], kwargs: "arrays", doc: "Writes tensors given as name=tensor to a NumPy .npz archive, as np.savez.") { a in
            var arrays: [(String, Tensor)] = []
            for (name, v) in a.kwargs { arrays.append((name, try TV.tensor(v, name, in: "save_npz"))) }
            try NPZ.save(arrays, path: try path(a, 0))
            return .none
        }
        fn("save_weights", [P("model"), P("path")],
           doc: "Writes the model's state_dict (PyTorch names: 0.weight, features.3.bias, ...) as safetensors.") { a in
            let m = try NNLayers.module(a[0], in: "save_weights")
            try Safetensors.save(m.stateDict(), path: try path(a, 1))
            return .none
        }
        fn("load_weights", [P("model"), P("path")],
           doc: "Loads a safetensors state_dict into the model; every key and shape must match (nothing changes otherwise).") { a in
            let m = try NNLayers.module(a[0], in: "load_weights")
            let p = try path(a, 1)
            // A file from torch.save (a zip) holds a pickled state_dict rather than safetensors.
            let file = TorchSave.looksLikeTorchFile(try FileIO.read(path: p))
                ? try TorchSaveBindings.stateDict(try TorchSave.load(path: p), path: p)
                : try Safetensors.load(path: p)
            try WeightsIO.load(into: m.stateDict(), from: file, modelName: m.typeName)
            return .none
        }
        fn("load_idx", [P("path")], doc: "Reads an IDX file (MNIST, Fashion-MNIST), gzipped or not, as a tensor.") { a in
            .tensor(try IDX.load(path: try path(a, 0)))
        }
    }
}
