import TensorCore
import NN

/// `help()`: a short guide; `help(nn.Conv2d)`: the signature with defaults
/// and the description, from the registry's declaration; `help(x)` on a
/// tensor, layer, function, namespace or any value: what it is and what it offers.
func installHelp(_ r: Registry) {
    r.register(path: "help", signature: Signature("help", [Param("obj", default: .missing)],
                                                  doc: "Shows how to use a builtin, layer, tensor, function or namespace; help() alone prints a guide.")) { a in
        let i = a.interpreter
        i.output(a.isMissing(0) ? Help.guide : Help.text(for: a[0], in: i) + "\n")
        return .none
    }
}

extension Interpreter {
    /// What `help(v)` prints (without the final newline): for `obj?` in a front end.
    public func helpText(for v: Value) -> String { Help.text(for: v, in: self) }
}

enum Help {
    static let guide = """
    Tensorpad: PyTorch's tensors and layers in a small Python-like language.

      x = torch.randn(1, 3, 28, 28)     tensors: torch.* (zeros, randn, arange, cat, ...)
      conv = nn.Conv2d(3, 8, 3)         layers nn.*, functions F.*, init nn.init.*
      y = conv(x); y.shape              call a layer; the last expression of a cell is shown
      loss.backward(); opt.step()       gradients into .grad; optim.SGD/Adam/AdamW(net.parameters(), lr=...)
      help(nn.Conv2d)                   a builtin's signature, defaults and description
      help(x), help(conv)               what a tensor or layer is and what it offers

    Magics: %time STMT, %timeit [-n N -r R] STMT, %who, %whos, %reset, %history [-n] [N-M],
            %save PATH, %run PATH, %load PATH, %pwd, %cd DIR, %env [NAME[=VALUE]], %threads N;
            on any line of a cell. Cell magics (first line): %%time, %%timeit, %%capture [NAME],
            %%writefile [-a] PATH. Shell: !ls, files = !ls. Help: nn.Conv2d? (or ??).
            Results: _, __, ___, _N, Out[N]; inputs: In[N].
    Keys:   Tab completes names, attributes after '.', keywords in a call, dict keys
            and paths in a string; a line ending in ':' starts a block (its indentation
            is offered) that an empty line ends; a pasted block arrives whole; Up/Down
            recall whole cells and Ctrl-R searches them; Ctrl-C clears the line or
            interrupts a running cell; Ctrl-D on an empty line exits.

    """

    static func text(for v: Value, in i: Interpreter) -> String {
        switch v {
        case .builtin(let b): return describe(b.signature, path: b.path)
        case .boundMethod(let m):
            guard let s = i.signature(of: v) else { return i.repr(v) }
            var owner = m.receiver.typeName
            if case .module = m.receiver { owner = "Module" }
            return describe(s, path: "\(owner).\(s.name)")
        case .function(let f):
            return "\(f.signature.text)\n    A function defined in this session."
        case .classValue(let c):
            var out = "class \(c.name)"
            if let s = i.signature(of: v) { out += "\n    \(s.text)" }
            let methods = c.attributes.keys.filter { !$0.hasPrefix("_") }.sorted()
            if !methods.isEmpty { out += "\n" + listing("Methods", methods) }
            return out
        case .namespace(let ns): return namespaceText(ns, i)
        case .tensor(let t): return tensorText(t, v, i)
        case .module(let m): return moduleText(m, v, i)
        case .str(let s):
            if let found = i.registry.lookup(s) ?? i.lookupName(s), !isStr(found) { return text(for: found, in: i) }
            return "No builtin named '\(s)'. help() prints a guide."
        default:
            var out = "\(v.typeName): \(short(i.repr(v)))"
            let names = i.attributeNames(of: v)
            if !names.isEmpty { out += "\n" + listing("Methods", names) }
            return out
        }
    }

    /// `module torch.nn` then each name with the first line of its description.
    static func namespaceText(_ ns: Namespace, _ i: Interpreter) -> String {
        let names = ns.names.filter { !$0.hasPrefix("_") }
        guard !names.isEmpty else { return "module \(ns.path)\n    (nothing here yet)" }
        let width = min(24, (names.map(\.count).max() ?? 0) + 2)
        var out = "module \(ns.path)\n"
        for n in names {
            var line = "    " + n
            let summary: String
            switch ns[n] {
            case .builtin(let b)?: summary = b.signature.doc.split(separator: "\n").first.map(String.init) ?? ""
            case .namespace(let sub)?: summary = "module \(sub.path)"
            case let v?: summary = short(i.repr(v))
            case nil: summary = ""
            }
            if !summary.isEmpty {
                line += n.count + 2 <= width ? String(repeating: " ", count: width - n.count) : "  "
                line += summary
            }
            out += (line.count > 100 ? String(line.prefix(99)) + "…" : line) + "\n"
        }
        return out + "help(\(ns.path).NAME) for one of them."
    }

    static func isStr(_ v: Value) -> Bool { if case .str = v { return true }; return false }

    /// `Conv2d(in_channels, ..., padding_mode='zeros')` then the description, indented,
    /// then (for layers) the parameters, the Shape section, attributes and an example.
    static func describe(_ s: Signature, path: String) -> String {
        var out = s.text
        let doc = s.doc.split(separator: "\n").first.map(String.init) ?? ""
        out += "\n    " + (doc.isEmpty ? "(\(path))" : doc)
        if path.contains("."), path != s.name { out += "\n    " + path }
        if let long = LayerDocs.doc(path) { out += "\n" + render(long) }
        return out
    }

    static func render(_ d: LayerDoc) -> String {
        var out: [String] = []
        if !d.params.isEmpty {
            out.append("\nParameters:")
            for (name, text) in d.params {
                // `name (type): meaning`, as PyTorch's Args sections read.
                var t = text
                if t.hasPrefix("("), let close = t.firstIndex(of: ")") { t.insert(":", at: t.index(after: close)) } else { t = ": " + t }
                out.append(wrap(name + (t.hasPrefix(":") ? "" : " ") + t, indent: "    ", hanging: "        "))
            }
        }
        out.append("\nShape:")
        out += d.shape.map { "    " + $0 }
        if !d.attributes.isEmpty {
            out.append("\nAttributes:")
            out += d.attributes.map { wrap($0, indent: "    ", hanging: "        ") }
        }
        for n in d.notes { out.append("\n" + wrap(n, indent: "", hanging: "")) }
        out.append("\nExample:")
        out += d.example.map { "    " + $0 }
        return out.joined(separator: "\n")
    }

    /// Words wrapped at 78 columns, the first line after `indent`, the rest after `hanging`.
    static func wrap(_ text: String, indent: String, hanging: String) -> String {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ") {
            let start = line == indent || line == hanging
            if !start, line.count + 1 + word.count > 78 { lines.append(line); line = hanging }
            line += (line == indent || line == hanging ? "" : " ") + word
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }

    static func tensorText(_ t: Tensor, _ v: Value, _ i: Interpreter) -> String {
        let bytes = t.numel * t.dtype.itemSize
        var out = "Tensor: shape \(Shape.torchSize(t.shape)), dtype \(((try? TensorHooks.attribute(t, "dtype")).flatMap { $0 }.map { i.repr($0) } ?? t.dtype.rawValue))"
        out += ", requires_grad=\(t.requiresGrad ? "True" : "False"), \(t.numel) elements (\(byteText(bytes)))"
        out += "\n" + listing("Attributes", TensorHooks.attributeNames.sorted())
        let methods = (i.registry.methods["Tensor"].map { Array($0.keys) } ?? []).filter { !$0.hasPrefix("_") }.sorted()
        if !methods.isEmpty { out += "\n" + listing("Methods", methods) }
        out += "\n    help(x.NAME) for one method, e.g. help(x.reshape)."
        return out
    }

    static func moduleText(_ m: Module, _ v: Value, _ i: Interpreter) -> String {
        var out = i.repr(v)
        if case .builtin(let ctor)? = i.registry.lookup("torch.nn." + m.typeName) {
            out += "\n\n" + describe(ctor.signature, path: ctor.path)
        }
        let params = m.namedParameters(prefix: "")
        let count = m.parameterCount()
        out += "\n\nParameters: \(count)"
        if !params.isEmpty {
            out += " (" + params.prefix(8).map { "\($0.0) \(Shape.torchSize($0.1.shape))" }.joined(separator: ", ")
            out += params.count > 8 ? ", ...)" : ")"
        }
        out += "\n" + listing("Attributes and methods", i.attributeNames(of: v))
        return out
    }

    /// `Names: a, b, c` wrapped at 78 columns with a hanging indent.
    static func listing(_ title: String, _ names: [String]) -> String {
        var lines: [String] = []
        var line = title + ":"
        for (k, n) in names.enumerated() {
            let piece = " " + n + (k == names.count - 1 ? "" : ",")
            if line.count + piece.count > 78 { lines.append(line); line = "   " }
            line += piece
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }

    static func short(_ s: String) -> String {
        let first = s.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? s
        return first.count > 70 ? String(first.prefix(67)) + "..." : (first == s ? s : first + " ...")
    }

    static func byteText(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1 << 20 { return "\((Double(n) / 1024 * 10).rounded() / 10) KiB" }
        return "\((Double(n) / 1_048_576 * 10).rounded() / 10) MiB"
    }
}
