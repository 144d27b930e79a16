import TensorCore

/// `torchvision.transforms`: callables from a sample to a sample. Images are
/// either an image's bytes ((H, W) or (H, W, C), as data sets hand them out)
/// or float tensors (..., C, H, W) after `ToTensor`.
public protocol Transform: AnyObject {
    func apply(_ input: Sample) throws -> Sample
    /// torchvision's repr (`Normalize(mean=(0.5,), std=(0.5,))`).
    var repr: String { get }
}

/// `Compose(transforms)`.
public final class Compose: Transform {
    public let transforms: [Transform]
    public init(_ transforms: [Transform]) { self.transforms = transforms }
    public func apply(_ input: Sample) throws -> Sample {
        var x = input
        for t in transforms { x = try t.apply(x) }
        return x
    }
    public var repr: String {
        "Compose(" + transforms.map { "\n    " + $0.repr }.joined() + "\n)"
    }
}

/// `Lambda(fn)` and any other callable used as a transform.
public final class FunctionTransform: Transform {
    let body: (Sample) throws -> Sample
    public let repr: String
    /// The callable the language layer wrapped (handed back by `ds.transform`).
    public let source: Any?
    public init(repr: String, source: Any? = nil, _ body: @escaping (Sample) throws -> Sample) {
        self.repr = repr; self.source = source; self.body = body
    }
    public func apply(_ input: Sample) throws -> Sample { try body(input) }
}

/// Takes the image tensor out of a sample, or fails as torchvision does.
func imageTensor(_ s: Sample, _ what: String) throws -> Tensor {
    guard case .tensor(let t) = s else {
        throw DataError.type("\(what) should be Tensor Image. Got \(s.className)")
    }
    return t
}

/// `ToTensor()`: an image's bytes (H, W) or (H, W, C) become a float tensor
/// (C, H, W) divided by 255. Float tensors are refused, as torchvision
/// refuses anything but a PIL image or an ndarray.
public final class ToTensor: Transform {
    public init() {}
    public var repr: String { "ToTensor()" }
    public func apply(_ input: Sample) throws -> Sample {
        guard case .tensor(let t) = input, Pixels.isImage(t), t.rank == 2 || t.rank == 3 else {
            throw DataError.type("pic should be PIL Image or ndarray. Got \(input.className)")
        }
        let scaled = try Pixels.scaled(t)
        if t.rank == 2 { return .tensor(try scaled.unsqueeze(0)) }
        return .tensor(try scaled.permute([2, 0, 1]).contiguous())
    }
}

/// `Normalize(mean, std, inplace=False)`: `(x - mean[c]) / std[c]` per channel.
public final class Normalize: Transform {
    public let mean: [Double], std: [Double]
    public let inplace: Bool
    public let repr: String
    public init(mean: [Double], std: [Double], inplace: Bool = false, repr: String) throws {
        self.mean = mean; self.std = std; self.inplace = inplace; self.repr = repr
    }

    public func apply(_ input: Sample) throws -> Sample {
        let t = try imageTensor(input, "img")
        guard t.dtype.isFloatingPoint else {
            throw DataError.type("Input tensor should be a float tensor. Got \(t.dtype.torchName).")
        }
        guard t.rank >= 3 else {
            throw DataError.value("Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = \(Shape.torchSize(t.shape))")
        }
        if let i = std.firstIndex(of: 0) {
            _ = i
            throw DataError.value("std evaluated to zero after conversion to torch.float32, leading to division by zero.")
        }
        let c = t.shape[t.rank - 3], plane = t.shape[t.rank - 2] * t.shape[t.rank - 1]
        func per(_ v: [Double], _ name: String) throws -> [Float] {
            if v.count == 1 { return [Float](repeating: Float(v[0]), count: c) }
            guard v.count == c else {
                throw DataError.runtime("The size of tensor a (\(c)) must match the size of tensor b (\(v.count)) at non-singleton dimension 0")
            }
            return v.map { Float($0) }
        }
        let m = try per(mean, "mean"), s = try per(std, "std")
        let src = try t.contiguous()
        let out = inplace && src === t ? t : try Tensor(uninitialized: src.shape, dtype: .float32)
        let p = src.floatPtr, o = out.floatPtr
        let images = src.numel / max(c * plane, 1)
        for n in 0..<images {
            for ch in 0..<c {
                let base = (n * c + ch) * plane
                let mu = m[ch], sd = s[ch]
                for k in 0..<plane { o[base + k] = (p[base + k] - mu) / sd }
            }
        }
        return .tensor(out)
    }
}

/// `RandomHorizontalFlip(p=0.5)`: mirrors the last dim with probability p
/// (one `torch.rand(1)` draw per call).
public final class RandomHorizontalFlip: Transform {
    public let p: Double
    public let repr: String
    public init(p: Double = 0.5, repr: String? = nil) {
        self.p = p
        self.repr = repr ?? "RandomHorizontalFlip(p=\(Repr.float(p)))"
    }
    public func apply(_ input: Sample) throws -> Sample {
        let t = try imageTensor(input, "img")
        guard try Shuffle.chance(p) else { return input }
        let w = t.shape.last ?? 0
        guard w > 1 else { return .tensor(try t.clone()) }
        var st = t.strides
        st[st.count - 1] = -st[st.count - 1]
        let flipped = t.view(shape: t.shape, strides: st, offset: t.offset + (w - 1) * t.strides[t.rank - 1])
        return .tensor(try flipped.copyContiguous())
    }
}

/// `RandomCrop(size, padding=None, pad_if_needed=False, fill=0, padding_mode='constant')`:
/// pads (constant fill) then cuts a (h, w) window at an offset drawn with
/// `torch.randint` (top, then left).
public final class RandomCrop: Transform {
    public let height: Int, width: Int
    /// left, top, right, bottom.
    public let padding: [Int]
    public let padIfNeeded: Bool
    public let fill: Double
    public let repr: String

    public init(height: Int, width: Int, padding: [Int], padIfNeeded: Bool, fill: Double, repr: String) {
        self.height = height; self.width = width; self.padding = padding
        self.padIfNeeded = padIfNeeded; self.fill = fill; self.repr = repr
    }

    public func apply(_ input: Sample) throws -> Sample {
        var t = try imageTensor(input, "img")
        // Bytes images are (H, W) or (H, W, C): crop the first two dims; tensors the last two.
        let hDim = Pixels.isImage(t) ? 0 : t.rank - 2
        guard t.rank >= 2 else { throw DataError.type("img should be Tensor Image. Got \(input.className)") }
        var pad = padding
        if padIfNeeded {
            let h = t.shape[hDim] + pad[1] + pad[3], w = t.shape[hDim + 1] + pad[0] + pad[2]
            if h < height { let d = height - h; pad[1] += d; pad[3] += d }
            if w < width { let d = width - w; pad[0] += d; pad[2] += d }
        }
        if pad.contains(where: { $0 != 0 }) { t = try Crop.pad(t, hDim: hDim, pad, fill: fill) }
        let h = t.shape[hDim], w = t.shape[hDim + 1]
        if h < height || w < width {
            throw DataError.value("Required crop size (\(height), \(width)) is larger than input image size (\(h), \(w))")
        }
        if h == height && w == width { return .tensor(t) }
        let top = try Shuffle.offset(below: h - height + 1)
        let left = try Shuffle.offset(below: w - width + 1)
        let out = try t.narrow(dim: hDim, start: top, length: height).narrow(dim: hDim + 1, start: left, length: width)
        return .tensor(try out.copyContiguous())
    }
}

/// Constant padding of an image's two spatial dims.
enum Crop {
    static func pad(_ t: Tensor, hDim: Int, _ p: [Int], fill: Double) throws -> Tensor {
        var shape = t.shape
        shape[hDim] += p[1] + p[3]
        shape[hDim + 1] += p[0] + p[2]
        let out = try Tensor.full(shape, fill, dtype: t.dtype)
        let inner = try out.narrow(dim: hDim, start: p[1], length: t.shape[hDim])
            .narrow(dim: hDim + 1, start: p[0], length: t.shape[hDim + 1])
        try inner.copy_(t)
        return out
    }
}

/// Python's repr of a float (`0.5`, `1.0`).
enum Repr {
    static func float(_ x: Double) -> String {
        if x == x.rounded(), Swift.abs(x) < 1e16 { return "\(Int(x)).0" }
        return "\(x)"
    }
}
