import TensorCore

/// `torch.device`, `torch.cuda` and `torch.backends`: the names every tutorial's first
/// cell touches (`device = torch.device("cuda" if torch.cuda.is_available() else "cpu")`,
/// `torch.backends.cudnn.benchmark = True`). Tensorpad runs on the CPU: CUDA reports
/// itself unavailable, and moving a tensor or a module to it is a clear error.
enum DeviceBindings {
    static func install(_ r: Registry) {
        r.register(path: "torch.device", signature: Signature("device", [P("type"), P("index", .none)],
                                                              doc: "A device: 'cpu' (Tensorpad computes on the CPU), 'cuda', 'cuda:0', ..."), typeName: "device") { a in
            .object(try DeviceObject.make(a[0], index: a[1]))
        }
        r.register(path: "torch.cuda.is_available", signature: Signature("is_available", doc: "False: Tensorpad computes on the CPU.")) { _ in .bool(false) }
        r.register(path: "torch.cuda.device_count", signature: Signature("device_count", doc: "0: no CUDA devices.")) { _ in .int(0) }
        for name in ["manual_seed", "manual_seed_all"] {
            r.register(path: "torch.cuda.\(name)", signature: Signature(name, [P("seed")], doc: "Does nothing without CUDA, as in PyTorch.")) { _ in .none }
        }
        for name in ["empty_cache", "synchronize"] {
            r.register(path: "torch.cuda.\(name)", signature: Signature(name, doc: "Does nothing without CUDA.")) { _ in .none }
        }
        r.register(path: "torch.backends.mps.is_available", signature: Signature("is_available", doc: "False.")) { _ in .bool(false) }
        r.register(path: "torch.backends.cudnn", value: .object(BackendFlags.cudnn))
    }
}

/// `torch.device(type, index)`. The CPU device is one object, so `x.device == torch.device('cpu')`.
final class DeviceObject: HostObject, HostStr {
    let type: String
    let index: Int?
    static let cpu = DeviceObject(type: "cpu", index: nil)
    init(type: String, index: Int?) { self.type = type; self.index = index }

    static func make(_ v: Value, index: Value = .none) throws -> DeviceObject {
        if case .object(let d as DeviceObject) = v { return d }
        guard case .str(let spec) = v else {
            throw LangError(.TypeError, "device() received an invalid combination of arguments")
        }
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
        let type = String(parts[0])
        guard ["cpu", "cuda", "mps", "meta", "xpu"].contains(type), parts.count <= 2 else {
            throw LangError(.RuntimeError, "Expected one of cpu, cuda, mps, meta, xpu device type at start of device string: \(spec)")
        }
        var idx: Int? = nil
        if parts.count == 2 {
            guard let i = Int(parts[1]), i >= 0 else { throw LangError(.RuntimeError, "Invalid device string: '\(spec)'") }
            idx = i
        }
        if case .int(let i) = index { idx = i }
        return type == "cpu" && idx == nil ? .cpu : DeviceObject(type: type, index: idx)
    }

    /// Raises unless this is the CPU (what `.to(device)` and `.cuda()` need).
    func requireCPU() throws {
        guard type == "cpu" else {
            throw LangError(.RuntimeError, "Tensorpad computes on the CPU only; got device '\(str())' (torch.cuda.is_available() is False here)")
        }
    }

    var typeName: String { "device" }
    func str() -> String { index.map { "\(type):\($0)" } ?? type }
    func repr() -> String { "device(type='\(type)'" + (index.map { ", index=\($0))" } ?? ")") }
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "type": return .str(type)
        case "index": return index.map { .int($0) } ?? .none
        default: return nil
        }
    }
}

/// `torch.backends.cudnn`: flags a script sets (`benchmark`, `deterministic`,
/// `enabled`); they are kept and read back, and change nothing on the CPU.
final class BackendFlags: HostObject {
    static let cudnn = BackendFlags(name: "torch.backends.cudnn", flags: ["benchmark": false, "deterministic": false, "enabled": true])
    let name: String
    var flags: [String: Bool]
    init(name: String, flags: [String: Bool]) { self.name = name; self.flags = flags }
    var typeName: String { "module" }
    func repr() -> String { "<module '\(name)'>" }
    func getAttribute(_ attr: String, _ interp: Interpreter) throws -> Value? {
        if attr == "is_available" {
            return .builtin(Builtin(path: "\(name).is_available", signature: Signature("is_available", doc: "False: no cuDNN.")) { _ in .bool(false) })
        }
        return flags[attr].map { .bool($0) }
    }
    func setAttribute(_ attr: String, _ value: Value, _ interp: Interpreter) throws -> Bool {
        flags[attr] = try interp.truth(value)
        return true
    }
}
