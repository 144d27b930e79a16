import TensorCore
import NN
import Render
import Formats

/// Binds the engine into the language: every name of SPEC §5–§6 under
/// `torch.`, `nn.`, `F.`, `nn.init.` and bare, plus printing of tensors and
/// modules, and Tensorpad's own tools for looking at results and files
/// (SPEC §7–§8, bare names). Installed by `Registry()` after the Python builtins.
enum TorchBindings {
    static func install(_ r: Registry) {
        TorchFunctions.install(r)
        RandomBindings.install(r)
        TensorMethods.install(r)
        TensorEveryday.install(r)
        TorchExtras.install(r)
        AutogradBindings.install(r)
        OptimBindings.install(r)
        NNLayers.install(r)
        NNLayers.installMore(r)
        FunctionalBindings.install(r)
        SequenceLayers.install(r)
        FunctionalExtras.install(r)
        TensorHooks.install(r)
        ModuleHooks.install(r)
        ReturnTuple.install(r)
        VisualBindings.install(r)
        TqdmBindings.install(r)
        Pyplot.install(r)
        FileBindings.install(r)
        TorchSaveBindings.install(r)
        DataBindings.install(r)
        DistributedBindings.install(r)
        VisionBindings.install(r)
        DeviceBindings.install(r)
        installPrinting(r)
    }

    static func installPrinting(_ r: Registry) {
        let old = r.hooks.repr
        r.hooks.repr = { v in
            switch v {
            case .tensor(let t): return TensorPrinter.repr(t)
            case .module(let m): return m.repr
            case .object(let o as ReturnTuple):
                return "torch.return_types.\(o.name)(\n" + o.fields.map { "\($0.0)=" + Printing.repr($0.1, hooks: r.hooks) }.joined(separator: ",\n") + ")"
            default: return old?(v)
            }
        }
        r.torchFunction("set_printoptions", keywordOnly: [P("precision", .none), P("threshold", .none), P("edgeitems", .none),
                                                          P("linewidth", .none), P("profile", .none), P("sci_mode", .none)],
                        doc: "Sets how tensors print (precision, threshold, edgeitems, linewidth, sci_mode, profile).") { a in
            let fn = "set_printoptions"
            if case .str(let p) = a[4] {
                guard let base = PrintOptions.profile(p) else { throw valueError("unknown print profile '\(p)'") }
                PrintOptions.current = base
            }
            var o = PrintOptions.current
            if let v = try TV.optionalInt(a[0], "precision", in: fn) { o.precision = v }
            if let v = try TV.optionalDouble(a[1], "threshold", in: fn) { o.threshold = v }
            if let v = try TV.optionalInt(a[2], "edgeitems", in: fn) { o.edgeitems = v }
            if let v = try TV.optionalInt(a[3], "linewidth", in: fn) { o.linewidth = v }
            if !a[5].isNone { o.sciMode = TV.bool(a[5]) }
            PrintOptions.current = o
            return .none
        }
    }
}
