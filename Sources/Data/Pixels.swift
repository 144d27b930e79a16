import TensorCore

/// Images as data sets hand them out before any transform: the pixels of one
/// grayscale image, an (H, W) tensor of bytes (torchvision hands out a PIL
/// image; Tensorpad has no PIL, so the image is its pixel array).
public enum Pixels {
    /// The dtype images come out in.
    public static let dtype: DType = .uint8

    /// A run of bytes as a uint8 tensor of the given shape.
    public static func tensor(_ bytes: UnsafePointer<UInt8>, shape: [Int]) throws -> Tensor {
        let t = try Tensor(uninitialized: shape, dtype: dtype)
        if t.numel > 0 { t.storage.raw.copyMemory(from: bytes, byteCount: t.numel) }
        return t
    }

    /// True for tensors that stand for an image's bytes.
    public static func isImage(_ t: Tensor) -> Bool { t.dtype == dtype }

    /// The image's values as floats on [0, 1] (`ToTensor`'s division by 255).
    public static func scaled(_ t: Tensor) throws -> Tensor {
        let c = try t.contiguous()
        let out = try Tensor(uninitialized: c.shape, dtype: .float32)
        let o = out.floatPtr, p = c.storage.uint8s + c.offset
        for i in 0..<c.numel { o[i] = Float(p[i]) / 255 }
        return out
    }
}

extension Pixels {
    /// Float values on [0, 255] rounded (half to even, as torch.round) and clamped into image bytes.
    public static func fromFloat(_ t: Tensor) throws -> Tensor {
        let c = try t.contiguous()
        let out = try Tensor(uninitialized: c.shape, dtype: dtype)
        let p = c.floatPtr, o = out.storage.uint8s
        for i in 0..<c.numel { o[i] = UInt8(min(max(p[i].rounded(.toNearestOrEven), 0), 255)) }
        return out
    }
}
