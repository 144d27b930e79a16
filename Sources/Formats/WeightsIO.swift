import TensorCore

/// `load_state_dict(strict=True)` over plain `[(name, tensor)]` lists, so the
/// language layer can join a model's `stateDict()` (NN) to a file (Formats)
/// without either module knowing the other.
public enum WeightsIO {
    /// Copies each checkpoint tensor into the model tensor of the same name,
    /// in place, so parameters keep their identity (and `requires_grad`).
    /// Values are converted to the model tensor's dtype, as `copy_` does
    /// (e.g. an I32 `num_batches_tracked` into int64).
    ///
    /// Unlike PyTorch, nothing is copied when any key is missing, unexpected or
    /// mis-shaped: the model is left as it was and the error lists every
    /// problem in PyTorch's words:
    /// `Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: "0.weight". `...
    /// With `strict: false`, missing and unexpected keys are returned rather than
    /// raised, and the keys that match are loaded (shape mismatches still raise).
    @discardableResult
    public static func load(into stateDict: [(String, Tensor)], from file: [(String, Tensor)],
                            modelName: String = "Sequential", strict: Bool = true) throws -> (missing: [String], unexpected: [String]) {
        var fileIndex: [String: Tensor] = [:]
        for (k, v) in file where fileIndex[k] == nil { fileIndex[k] = v }
        var modelKeys = Set<String>()
        var messages: [String] = []
        var missing: [String] = []
        var mismatched: [String] = []
        var pairs: [(Tensor, Tensor)] = []
        for (k, dst) in stateDict {
            modelKeys.insert(k)
            guard let src = fileIndex[k] else { missing.append(k); continue }
            if src.shape != dst.shape {
                mismatched.append("size mismatch for \(k): copying a param with shape \(Shape.torchSize(src.shape)) from checkpoint, the shape in current model is \(Shape.torchSize(dst.shape)).")
                continue
            }
            pairs.append((dst, src))
        }
        var unexpected: [String] = []
        var reported = Set<String>()
        for (k, _) in file where !modelKeys.contains(k) && reported.insert(k).inserted { unexpected.append(k) }
        func quoted(_ keys: [String]) -> String { keys.map { "\"\($0)\"" }.joined(separator: ", ") }
        if strict && !missing.isEmpty { messages.append("Missing key(s) in state_dict: \(quoted(missing)). ") }
        if strict && !unexpected.isEmpty { messages.append("Unexpected key(s) in state_dict: \(quoted(unexpected)). ") }
        messages += mismatched
        if !messages.isEmpty {
            throw FormatError.io("Error(s) in loading state_dict for \(modelName):\n\t" + messages.joined(separator: "\n\t"))
        }
        for (dst, src) in pairs {
            do {
                try dst.copy_(src)
            } catch {
                throw FormatError.io("Error(s) in loading state_dict for \(modelName):\n\t\(error)")
            }
        }
        return (missing, unexpected)
    }
}
