/// `F.pad` modes.
public enum PadMode: String, Sendable, CaseIterable {
    case constant, reflect, replicate, circular

    /// `nn.Conv2d`'s `padding_mode` names (`zeros` is constant 0).
    public init?(convMode: String) {
        if convMode == "zeros" { self = .constant } else { self.init(rawValue: convMode) }
    }
}

extension Kernels {
    /// `F.pad(input, pads, mode, value)`: `pads` pairs (before, after) from the last
    /// dim backwards, `[left, right, top, bottom, ...]`. Constant mode takes any
    /// number of dims and negative pads (cropping); the other modes pad the last
    /// 1–3 dims of a 2–5-D input.
    public static func pad(_ input: Tensor, _ pads: [Int], mode: PadMode = .constant, value: Double = 0) throws -> Tensor {
        guard pads.count % 2 == 0 else { throw TensorError.runtime("Padding length must be divisible by 2") }
        let rank = input.rank, k = pads.count / 2
        guard k <= rank else {
            throw TensorError.runtime("Padding length should be less than or equal to two times the input dimension but got padding length \(pads.count) and input of dimension \(rank)")
        }
        if mode != .constant {
            guard k >= 1, k <= 3, rank == k + 1 || rank == k + 2 else {
                throw TensorError.notImplemented("""
                    Padding size \(pads.count) is not supported for \(rank)D input tensor.
                    Supported combinations for non-constant padding:
                      - 2D or 3D input: padding size = 2 (pads last dimension)
                      - 3D or 4D input: padding size = 4 (pads last 2 dimensions)
                      - 4D or 5D input: padding size = 6 (pads last 3 dimensions)
                    """)
            }
        }
        try checkArguments(pads, "padding")
        var outShape = input.shape
        for i in 0..<k { outShape[rank - 1 - i] += pads[2 * i] + pads[2 * i + 1] }
        if !outShape.contains(where: { $0 < 0 }) { try checkAllocation(outShape) }
        outShape = input.shape
        var maps: [[Int]?] = Array(repeating: nil, count: rank)
        for i in 0..<k {
            let d = rank - 1 - i, n = input.shape[d], l = pads[2 * i], r = pads[2 * i + 1]
            let size = n + l + r
            if size < 0 || (mode == .constant && size == 0 && (l < 0 || r < 0)) {
                throw TensorError.value("The input size \(n), plus negative padding \(l) and \(r) resulted in a negative output size, which is invalid. Check dimension \(d) of your input.")
            }
            switch mode {
            case .reflect:
                guard l < n && r < n else {
                    throw TensorError.value("Argument #\(4 + 2 * i): Padding size should be less than the corresponding input dimension, but got: padding (\(l), \(r)) at dimension \(d) of input \(sizes(input.shape))")
                }
            case .circular:
                guard l <= n && r <= n else { throw TensorError.value("Padding value causes wrapping around more than once.") }
            case .replicate:
                guard n > 0 || size == 0 else {
                    throw TensorError.value("Expected \(rank - 1)D or \(rank)D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: \(sizes(input.shape))")
                }
            case .constant: break
            }
            outShape[d] = size
            maps[d] = padIndexMap(input: n, before: l, size: size, mode: mode)
        }
        let out = try Tensor(zeros: outShape, dtype: input.dtype)
        if out.numel == 0 { return out }
        if rank == 0 { return try input.copyContiguous() }
        let job = PadJob(shape: outShape, strides: input.strides, maps: maps)
        switch input.dtype {
        case .float32: job.run(src: input.storage.floats + input.offset, dst: out.floatPtr, fill: Float(value))
        case .int64: job.run(src: input.storage.ints + input.offset, dst: out.intPtr, fill: Int64(exactly: value.rounded(.towardZero)) ?? 0)
        case .bool: job.run(src: input.storage.bools + input.offset, dst: out.boolPtr, fill: value != 0)
        case .float64: job.run(src: input.storage.doubles + input.offset, dst: out.storage.doubles, fill: value)
        case .float16: job.run(src: input.storage.halves + input.offset, dst: out.storage.halves, fill: Float16(Float(value)))
        case .int32: job.run(src: input.storage.int32s + input.offset, dst: out.storage.int32s,
                             fill: Int32(truncatingIfNeeded: Tensor.wrappingInt(value)))
        case .uint8: job.run(src: input.storage.uint8s + input.offset, dst: out.storage.uint8s,
                             fill: UInt8(truncatingIfNeeded: Tensor.wrappingInt(value)))
        }
        return out
    }
}

extension Kernels {
    /// For each padded position along one dim, the input index it copies (−1: the fill value).
    static func padIndexMap(input n: Int, before l: Int, size: Int, mode: PadMode) -> [Int] {
        (0..<size).map { o -> Int in
            let j = o - l
            switch mode {
            case .constant: return j >= 0 && j < n ? j : -1
            case .reflect: return j < 0 ? -j : (j >= n ? 2 * (n - 1) - j : j)
            case .replicate: return Swift.min(Swift.max(j, 0), n - 1)
            case .circular: return ((j % n) + n) % n
            }
        }
    }
}

/// Copies a strided source into a contiguous padded output through per-dim
/// index maps (−1 = fill value; nil = identity).
struct PadJob {
    let shape: [Int]
    let strides: [Int]
    let maps: [[Int]?]

    func run<T>(src: UnsafeMutablePointer<T>, dst: UnsafeMutablePointer<T>, fill: T) {
        var d = dst
        level(0, src: src, dst: &d, fill: fill)
    }

    private func level<T>(_ dim: Int, src: UnsafeMutablePointer<T>, dst: inout UnsafeMutablePointer<T>, fill: T) {
        let n = shape[dim], st = strides[dim]
        if dim == shape.count - 1 {
            if let m = maps[dim] {
                for o in 0..<n { let j = m[o]; dst[o] = j < 0 ? fill : src[j * st] }
            } else {
                for o in 0..<n { dst[o] = src[o * st] }
            }
            dst += n
            return
        }
        let inner = Shape.count(Array(shape[(dim + 1)...]))
        for o in 0..<n {
            let j = maps[dim].map { $0[o] } ?? o
            if j < 0 {
                dst.update(repeating: fill, count: inner)
                dst += inner
            } else {
                level(dim + 1, src: src + j * st, dst: &dst, fill: fill)
            }
        }
    }
}
