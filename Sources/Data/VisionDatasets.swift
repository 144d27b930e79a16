import Foundation
import TensorCore
import Formats

/// `torchvision.datasets.MNIST` and `FashionMNIST`: the four IDX files of
/// the set, read from torchvision's layout `root/<Name>/raw/` (plain or
/// `.gz`), or for Fashion-MNIST from Debian's `dataset-fashion-mnist`
/// (`/usr/share/datasets/fashion-mnist`). Pixels stay bytes; item `i` is
/// `(image, label)` with the transforms applied.
public final class MNISTDataset: Dataset {
    public enum Kind: String, Sendable {
        case mnist = "MNIST"
        case fashion = "FashionMNIST"

        public var classes: [String] {
            switch self {
            case .mnist:
                return ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
                        "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"]
            case .fashion:
                return ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
            }
        }

        /// Where a Debian package installs the files, and the package's name.
        var system: (dir: String, package: String)? {
            switch self {
            case .fashion: return ("/usr/share/datasets/fashion-mnist", "dataset-fashion-mnist")
            case .mnist: return nil
            }
        }
    }

    public let kind: Kind
    public let root: String
    public let train: Bool
    public var transform: Transform?
    public var targetTransform: Transform?
    /// The directory the files were read from.
    public let folder: String
    public let imageShape: [Int]
    let pixels: [UInt8]
    let labels: [UInt8]

    /// Reads the split. `download` only changes the error when the files are absent.
    public init(kind: Kind, root: String, train: Bool = true, transform: Transform? = nil,
                targetTransform: Transform? = nil, download: Bool = false,
                systemDirectory: String? = nil) throws {
        self.kind = kind; self.root = root; self.train = train
        self.transform = transform; self.targetTransform = targetTransform
        let split = train ? "train" : "t10k"
        let names = ["\(split)-images-idx3-ubyte", "\(split)-labels-idx1-ubyte"]
        let raw = (root as NSString).appendingPathComponent("\(kind.rawValue)/raw")
        var dirs = [raw]
        if let sys = systemDirectory ?? kind.system?.dir { dirs.append(sys) }
        func find(_ name: String, in dir: String) -> String? {
            for candidate in [name, name + ".gz"] {
                let p = (dir as NSString).appendingPathComponent(candidate)
                if FileManager.default.fileExists(atPath: p) { return p }
            }
            return nil
        }
        guard let dir = dirs.first(where: { d in names.allSatisfy { find($0, in: d) != nil } }),
              let imagesPath = find(names[0], in: dir), let labelsPath = find(names[1], in: dir) else {
            throw MNISTDataset.notFound(kind, raw: raw, download: download)
        }
        folder = dir
        let images = try IDX.loadBytes(path: imagesPath)
        let labelFile = try IDX.loadBytes(path: labelsPath)
        guard images.shape.count == 3 else {
            throw DataError.io("\(imagesPath): expected 3 dimensions (count, rows, columns), found \(images.shape.count)")
        }
        guard labelFile.shape.count == 1, labelFile.shape[0] == images.shape[0] else {
            throw DataError.io("\(labelsPath): holds \(labelFile.shape.first ?? 0) labels for \(images.shape[0]) images")
        }
        imageShape = Array(images.shape.dropFirst())
        pixels = images.bytes
        labels = labelFile.bytes
    }

    static func notFound(_ kind: Kind, raw: String, download: Bool) -> DataError {
        var m = "Dataset not found in \(raw)"
        if let sys = kind.system { m += " or \(sys.dir)" }
        if download {
            m += ". download=True cannot fetch it: Tensorpad has no network access."
        } else {
            m += "."
        }
        if let sys = kind.system {
            m += " Install Debian's package \(sys.package) (`apt-get install \(sys.package)`; `make` installs it)"
            m += " or put the IDX files there."
        } else {
            m += " Put the IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-...) there, plain or .gz."
        }
        return .runtime(m)
    }

    public func count() throws -> Int { labels.count }

    /// `.data`: every image, an (N, H, W) tensor of bytes.
    public func data() throws -> Tensor {
        try pixels.withUnsafeBufferPointer { p in
            try Pixels.tensor(p.baseAddress!, shape: [labels.count] + imageShape)
        }
    }

    /// `.targets`: int64 labels.
    public func targets() throws -> Tensor {
        try Tensor(ints: labels.map { Int64($0) }, shape: [labels.count])
    }

    /// Image `i` before transforms.
    public func image(_ i: Int) throws -> Tensor {
        let size = imageShape.reduce(1, *)
        return try pixels.withUnsafeBufferPointer { p in
            try Pixels.tensor(p.baseAddress! + i * size, shape: imageShape)
        }
    }

    public func item(_ index: Int) throws -> Sample {
        var img = Sample.tensor(try image(index))
        var target = Sample.int(Int(labels[index]))
        if let t = transform { img = try t.apply(img) }
        if let t = targetTransform { target = try t.apply(target) }
        return .tuple([img, target])
    }

    /// torchvision's `VisionDataset.__repr__`.
    public var repr: String {
        var body = ["Number of datapoints: \(labels.count)", "Root location: \(root)", "Split: \(train ? "Train" : "Test")"]
        if transform != nil || targetTransform != nil {
            var lines = ["StandardTransform"]
            func add(_ t: Transform, _ head: String) {
                let r = t.repr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                lines.append(head + r[0])
                for l in r.dropFirst() { lines.append(String(repeating: " ", count: head.count) + l) }
            }
            if let t = transform { add(t, "Transform: ") }
            if let t = targetTransform { add(t, "Target transform: ") }
            body.append(lines.joined(separator: "\n"))
        }
        return (["Dataset \(kind.rawValue)"] + body.map { "    " + $0 }).joined(separator: "\n")
    }
}

extension MNISTDataset {
    /// A whole batch at once when the transforms are `ToTensor` then any
    /// `Normalize`s (or none) and there is no target transform: the same values
    /// the items would stack to, without a tensor per image.
    public func collatedBatch(_ indices: [Int]) throws -> Sample? {
        guard targetTransform == nil else { return nil }
        var steps: [Transform] = []
        func flatten(_ t: Transform) { if let c = t as? Compose { c.transforms.forEach(flatten) } else { steps.append(t) } }
        if let t = transform { flatten(t) }
        let toTensor = steps.first is ToTensor
        guard steps.isEmpty || (toTensor && steps.dropFirst().allSatisfy { $0 is Normalize }) else { return nil }
        let n = labels.count, size = imageShape.reduce(1, *)
        var wrapped: [Int] = []
        wrapped.reserveCapacity(indices.count)
        for index in indices {
            let i = index < 0 ? index + n : index
            guard i >= 0 && i < n else { throw DataError.index("index \(index) is out of bounds for dimension 0 with size \(n)") }
            wrapped.append(i)
        }
        let y = try Tensor(ints: wrapped.map { Int64(labels[$0]) }, shape: [wrapped.count])
        guard toTensor else {
            let x = try Tensor(uninitialized: [wrapped.count] + imageShape, dtype: Pixels.dtype)
            pixels.withUnsafeBufferPointer { p in
                for (k, i) in wrapped.enumerated() { (x.storage.uint8s + k * size).update(from: p.baseAddress! + i * size, count: size) }
            }
            return .list([.tensor(x), .tensor(y)])
        }
        var x = try Tensor(uninitialized: [wrapped.count, 1] + imageShape, dtype: .float32)
        let o = x.floatPtr
        pixels.withUnsafeBufferPointer { p in
            for (k, i) in wrapped.enumerated() {
                let src = p.baseAddress! + i * size, dst = o + k * size
                for j in 0..<size { dst[j] = Float(src[j]) / 255 }
            }
        }
        for case let norm as Normalize in steps.dropFirst() {
            guard case .tensor(let t) = try norm.apply(.tensor(x)) else { return nil }
            x = t
        }
        return .list([.tensor(x), .tensor(y)])
    }
}
