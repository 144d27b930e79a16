import TensorCore
import Data

/// `torchvision.datasets` (MNIST, FashionMNIST) and `torchvision.transforms`
/// (ToTensor, Normalize, Compose, Resize, RandomCrop, RandomHorizontalFlip,
/// Lambda). Images are handed out as their bytes, an (H, W) tensor, where
/// torchvision hands out a PIL image.
enum VisionBindings {
    static func install(_ r: Registry) {
        r.namespace("torchvision.datasets")
        r.namespace("torchvision.transforms")
        for kind in [MNISTDataset.Kind.mnist, .fashion] {
            let name = kind.rawValue
            r.register(path: "torchvision.datasets." + name,
                       signature: Signature(name, [P("root"), P("train", .bool(true)), P("transform", .none),
                                                   P("target_transform", .none), P("download", .bool(false))],
                                            doc: kind == .fashion
                                                ? "Fashion-MNIST from root/FashionMNIST/raw or Debian's dataset-fashion-mnist; items (image bytes (28, 28), label)."
                                                : "MNIST from root/MNIST/raw (IDX files, plain or .gz); items (image bytes (28, 28), label)."),
                       typeName: name) { a in
                let interp = a.interpreter
                let root = try Convert.string(a[0], what: "root", in: name)
                let d = try MNISTDataset(kind: kind, root: root, train: TV.bool(a[1]),
                                         transform: try transform(a[2], interp), targetTransform: try transform(a[3], interp),
                                         download: TV.bool(a[4]))
                return .object(DatasetObject(d))
            }
        }
        installTransforms(r)
    }

    /// A transform argument: one of torchvision's, or any callable; None is nil.
    static func transform(_ v: Value, _ interp: Interpreter) throws -> Transform? {
        switch v {
        case .none: return nil
        case .object(let o as TransformObject): return o.transform
        case .function, .builtin, .boundMethod, .instance, .classValue, .module:
            return FunctionTransform(repr: interp.repr(v), source: v) { s in
                DataValues.sample(try interp.call(v, [DataValues.value(s)]))
            }
        default:
            throw typeError("transform must be callable, not \(v.typeName)")
        }
    }

    static func installTransforms(_ r: Registry) {
        func fn(_ name: String, _ params: [Param], doc: String, body: @escaping (BoundArgs) throws -> Transform) {
            r.register(path: "torchvision.transforms." + name, signature: Signature(name, params, doc: doc),
                       typeName: name) { a in .object(TransformObject(try body(a))) }
        }
        r.namespace("torchvision.transforms.InterpolationMode")
        r.register(path: "torchvision.transforms.InterpolationMode.BILINEAR", value: .str("bilinear"))

        fn("ToTensor", [], doc: "An image's bytes (H, W) become a float tensor (1, H, W) divided by 255.") { _ in ToTensor() }
        fn("Normalize", [P("mean"), P("std"), P("inplace", .bool(false))], doc: "(x - mean[c]) / std[c] per channel.") { a in
            let i = a.interpreter
            let mean = try numbers(a[0], "mean", i), std = try numbers(a[1], "std", i)
            return try Normalize(mean: mean, std: std, inplace: TV.bool(a[2]),
                                 repr: "Normalize(mean=\(i.repr(a[0])), std=\(i.repr(a[1])))")
        }
        fn("Compose", [P("transforms")], doc: "Applies the transforms in order.") { a in
            Compose(try a.interpreter.toArray(a[0]).map { v in
                guard let t = try transform(v, a.interpreter) else { throw typeError("Compose: None is not a transform") }
                return t
            })
        }
        fn("Lambda", [P("lambd")], doc: "A transform that calls the given function.") { a in
            let v = a[0]
            switch v {
            case .function, .builtin, .boundMethod, .instance, .object, .classValue:
                break
            default:
                throw typeError("Argument lambd should be callable, got '\(v.typeName)'")
            }
            let interp = a.interpreter
            return FunctionTransform(repr: "Lambda()", source: v) { s in
                DataValues.sample(try interp.call(v, [DataValues.value(s)]))
            }
        }
        fn("RandomHorizontalFlip", [P("p", .float(0.5))], doc: "Mirrors the image left-right with probability p.") { a in
            let p = try Convert.double(a[0], what: "p", in: "RandomHorizontalFlip")
            return RandomHorizontalFlip(p: p, repr: "RandomHorizontalFlip(p=\(a.interpreter.repr(a[0])))")
        }
        fn("RandomCrop", [P("size"), P("padding", .none), P("pad_if_needed", .bool(false)), P("fill", .int(0)),
                          P("padding_mode", .str("constant"))],
           doc: "Pads (padding=), then cuts a size window at a random place.") { a in
            let fn = "RandomCrop"
            let size = try TV.ints(a[0], "size", in: fn)
            guard size.count == 1 || size.count == 2 else {
                throw valueError("Please provide only two dimensions (h, w) for size.")
            }
            let (h, w) = size.count == 1 ? (size[0], size[0]) : (size[0], size[1])
            var pad = [0, 0, 0, 0]
            if !a[1].isNone {
                let p = try TV.ints(a[1], "padding", in: fn)
                switch p.count {
                case 1: pad = [p[0], p[0], p[0], p[0]]
                case 2: pad = [p[0], p[1], p[0], p[1]]
                case 4: pad = p
                default: throw valueError("Padding must be an int or a 1, 2, or 4 element tuple, not a \(p.count) element tuple")
                }
            }
            guard case .str("constant") = a[4] else {
                throw valueError("Tensorpad's RandomCrop pads with padding_mode='constant' only, got \(a.interpreter.repr(a[4]))")
            }
            let fill = try Convert.double(a[3], what: "fill", in: fn)
            return RandomCrop(height: h, width: w, padding: pad, padIfNeeded: TV.bool(a[2]), fill: fill,
                              repr: "RandomCrop(size=(\(h), \(w)), padding=\(a.interpreter.repr(a[1])))")
        }
        fn("Resize", [P("size"), P("interpolation", .str("bilinear")), P("max_size", .none), P("antialias", .bool(true))],
           doc: "Bilinear resize with antialiasing (one int: the shorter edge; (h, w): exactly).") { a in
            let fn = "Resize"
            guard case .str("bilinear") = a[1] else {
                throw valueError("Tensorpad's Resize interpolates bilinearly only, got interpolation=\(a.interpreter.repr(a[1]))")
            }
            guard TV.bool(a[3]) else {
                throw valueError("Tensorpad's Resize always antialiases (antialias=True, torchvision's default)")
            }
            let size = try TV.ints(a[0], "size", in: fn)
            let maxSize = try TV.optionalInt(a[2], "max_size", in: fn)
            return try Resize(size: size, maxSize: maxSize,
                              repr: "Resize(size=\(a.interpreter.repr(a[0])), interpolation=bilinear, max_size=\(a.interpreter.repr(a[2])), antialias=True)")
        }
    }

    static func numbers(_ v: Value, _ what: String, _ interp: Interpreter) throws -> [Double] {
        if TV.isNumber(v) { return [try Convert.double(v, what: what, in: "Normalize")] }
        return try interp.toArray(v).map { try Convert.double($0, what: what, in: "Normalize") }
    }
}

/// A torchvision transform as a value: callable, printable, `.transforms` on Compose.
final class TransformObject: HostObject {
    let transform: Transform
    init(_ t: Transform) { transform = t }
    var typeName: String { String(transform.repr.prefix { $0 != "(" }) }
    func repr() -> String { transform.repr }
    func call(_ args: Arguments, _ interp: Interpreter) throws -> Value? {
        guard args.positional.count == 1, args.keywords.isEmpty else {
            throw typeError("\(typeName).__call__() takes 2 positional arguments but \(args.positional.count + 1) were given")
        }
        return DataValues.value(try transform.apply(DataValues.sample(args.positional[0])))
    }
    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch (transform, name) {
        case (let c as Compose, "transforms"): return .list(ListBox(c.transforms.map(VisionValues.transformValue)))
        case (let n as Normalize, "mean"): return .list(ListBox(n.mean.map { .float($0) }))
        case (let n as Normalize, "std"): return .list(ListBox(n.std.map { .float($0) }))
        case (let f as RandomHorizontalFlip, "p"): return .float(f.p)
        case (let f as FunctionTransform, "lambd"): return (f.source as? Value) ?? Value.none
        default: return nil
        }
    }
}

/// The vision data sets' attributes (`data`, `targets`, `classes`, ...).
enum VisionValues {
    static func transformValue(_ t: Transform) -> Value {
        if let f = t as? FunctionTransform, let v = f.source as? Value, f.repr != "Lambda()" { return v }
        return .object(TransformObject(t))
    }

    static func attribute(_ d: Dataset, _ name: String, _ interp: Interpreter) throws -> Value? {
        guard let m = d as? MNISTDataset else { return nil }
        switch name {
        case "data": return .tensor(try m.data())
        case "targets": return .tensor(try m.targets())
        case "classes": return .list(ListBox(m.kind.classes.map { .str($0) }))
        case "class_to_idx":
            let dict = DictBox()
            for (i, c) in m.kind.classes.enumerated() { dict.set(.str(c), .str(c), .int(i)) }
            return .dict(dict)
        case "root": return .str(m.root)
        case "train": return .bool(m.train)
        case "raw_folder": return .str(m.folder)
        case "transform": return m.transform.map(transformValue) ?? Value.none
        case "target_transform": return m.targetTransform.map(transformValue) ?? Value.none
        default: return nil
        }
    }

    static func setAttribute(_ d: Dataset, _ name: String, _ value: Value, _ interp: Interpreter) throws -> Bool {
        guard let m = d as? MNISTDataset else { return false }
        switch name {
        case "transform": m.transform = try VisionBindings.transform(value, interp); return true
        case "target_transform": m.targetTransform = try VisionBindings.transform(value, interp); return true
        default: return false
        }
    }
}
