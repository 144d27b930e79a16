import Foundation
import Formats
import NN
import TensorCore

/// An 8-bit greyscale image, rows top to bottom.
public struct GreyImage: Equatable {
    public let width: Int
    public let height: Int
    public let pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width; self.height = height; self.pixels = pixels
    }

    /// Each pixel repeated `scale`×`scale` times.
    public func scaled(_ scale: Int) throws -> GreyImage {
        let (w, h) = try scaledSize(width, height, scale)
        if scale == 1 { return self }
        return GreyImage(width: w, height: h, pixels: upscale(pixels.map { UInt16($0) }, width, height, scale).map { UInt8($0) })
    }
}

/// The size of a w×h image with each pixel repeated scale×scale times,
/// checked against overflow and the memory limit.
func scaledSize(_ width: Int, _ height: Int, _ scale: Int) throws -> (Int, Int) {
    guard scale >= 1 else { throw TensorError.value("scale must be a positive integer, but got \(scale)") }
    let (w, o1) = width.multipliedReportingOverflow(by: scale)
    let (h, o2) = height.multipliedReportingOverflow(by: scale)
    let (n, o3) = w.multipliedReportingOverflow(by: h)
    guard !o1, !o2, !o3, n <= Storage.limitBytes / 2 else {
        throw TensorError.memory(bytes: o1 || o2 || o3 ? Int.max : 2 * n, limit: Storage.limitBytes)
    }
    return (w, h)
}

/// The 2-D maps of a tensor as (count, H, W): a 2-D tensor is one map, a
/// 1-D one a single row, and every leading dimension of a 3-D or larger
/// one counts maps (N·C of them for (N, C, H, W)).
func maps(_ t: Tensor, _ what: String) throws -> (n: Int, h: Int, w: Int) {
    guard t.rank >= 1 else { throw TensorError.value("\(what) needs a tensor with at least one dimension, got a scalar") }
    guard t.numel > 0 else { throw TensorError.value("\(what) got an empty tensor of shape \(Shape.describe(t.shape))") }
    if t.rank == 1 { return (1, 1, t.shape[0]) }
    let h = t.shape[t.rank - 2], w = t.shape[t.rank - 1]
    return (t.numel / (h * w), h, w)
}

/// Smallest and largest value, NaN ignored; nil when every value is NaN.
func extremes<S: Sequence>(_ values: S) -> (Float, Float)? where S.Element == Float {
    var lo = Float.infinity, hi = -Float.infinity, any = false
    for v in values where !v.isNaN { lo = min(lo, v); hi = max(hi, v); any = true }
    return any ? (lo, hi) : nil
}

/// `save_image`'s quantisation: `clamp(x * 255 + 0.5, 0, 255)` truncated (NaN → 0).
@inline(__always) func quantise(_ x: Float) -> UInt8 {
    let v = x * 255 + 0.5
    guard v >= 0 else { return 0 }
    return v >= 255 ? 255 : UInt8(v)
}

/// torchvision's `make_grid` of the tensor's 2-D maps (each map one grey
/// tile, i.e. the tensor viewed as (N·C, 1, H, W)), quantised as
/// `save_image` does. `nrow` tiles a row; `padding` pixels of `padValue`
/// between and around tiles; a single map comes back unpadded, as make_grid
/// returns it. With `normalize`, values are clamped to `valueRange` (default:
/// the min and max over all maps, or over each map with `scaleEach`) and
/// mapped to 0...1, a zero range counting as 1e-5.
public func makeGrid(_ t: Tensor, nrow: Int = 8, padding: Int = 2, normalize: Bool = true,
                     valueRange: (Double, Double)? = nil, scaleEach: Bool = false,
                     padValue: Double = 0) throws -> GreyImage {
    guard nrow >= 1 else { throw TensorError.value("nrow must be a positive integer, but got \(nrow)") }
    guard padding >= 0 else { throw TensorError.value("padding must be non-negative, but got \(padding)") }
    let (n, h, w) = try maps(t, "make_grid")
    var values = t.toFloats()
    if normalize {
        func norm(_ range: Range<Int>) {
            let low: Double, high: Double
            if let r = valueRange { (low, high) = r } else if let (a, b) = extremes(values[range]) {
                (low, high) = (Double(a), Double(b))
            } else { return }
            let lo = Float(low), hi = Float(high), d = Float(max(high - low, 1e-5))
            for i in range { values[i] = (min(max(values[i], lo), hi) - lo) / d }
        }
        if scaleEach {
            for k in 0..<n { norm((k * h * w)..<((k + 1) * h * w)) }
        } else {
            norm(0..<values.count)
        }
    }
    if n == 1 { return GreyImage(width: w, height: h, pixels: values.map(quantise)) }
    let xmaps = min(nrow, n), ymaps = (n + xmaps - 1) / xmaps
    // Sizes past 64 bits (`padding=2**62`) are a MemoryError, never a wrapped size.
    func sum(_ a: Int, _ b: Int) throws -> Int {
        let (r, o) = a.addingReportingOverflow(b)
        if o { throw TensorError.memory(bytes: Int.max, limit: Storage.limitBytes) }
        return r
    }
    func product(_ a: Int, _ b: Int) throws -> Int {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        if o { throw TensorError.memory(bytes: Int.max, limit: Storage.limitBytes) }
        return r
    }
    let cellH = try sum(h, padding), cellW = try sum(w, padding)
    let gh = try product(cellH, ymaps), gw = try product(cellW, xmaps)
    let count = try product(try sum(gh, padding), try sum(gw, padding))
    guard count <= Storage.limitBytes else { throw TensorError.memory(bytes: count, limit: Storage.limitBytes) }
    let width = gw + padding, height = gh + padding
    var pixels = [UInt8](repeating: quantise(Float(padValue)), count: count)
    for k in 0..<n {
        let top = (k / xmaps) * cellH + padding, left = (k % xmaps) * cellW + padding
        for y in 0..<h {
            let src = k * h * w + y * w, dst = (top + y) * width + left
            for x in 0..<w { pixels[dst + x] = quantise(values[src + x]) }
        }
    }
    return GreyImage(width: width, height: height, pixels: pixels)
}

/// `save_pgm(t, path, normalize=True, value_range=None, scale=1, bits=8)`:
/// a 2-D or (1, H, W) tensor as a binary PGM (maxval 255 or 65535).
/// `normalize` maps the min to 0 and the max to maxval (a constant map is
/// all 0); otherwise values are clamped to `valueRange` (default 0...1) and
/// scaled. Samples round half up; NaN is 0. Returns the path.
@discardableResult
public func savePGM(_ t: Tensor, path: String, normalize: Bool = true, valueRange: (Double, Double)? = nil,
                    scale: Int = 1, bits: Int = 8) throws -> String {
    guard t.rank == 2 || (t.rank == 3 && t.shape[0] == 1) else {
        throw TensorError.value("save_pgm expects a 2-D tensor or one of shape (1, H, W), but got shape \(Shape.describe(t.shape))")
    }
    guard bits == 8 || bits == 16 else { throw TensorError.value("bits must be 8 or 16, but got \(bits)") }
    guard scale >= 1 else { throw TensorError.value("scale must be a positive integer, but got \(scale)") }
    let (_, h, w) = try maps(t, "save_pgm")
    let maxval = bits == 8 ? 255 : 65535
    let values = t.toFloats()
    var low = 0.0, high = 1.0
    if normalize {
        if let (a, b) = extremes(values) { (low, high) = (Double(a), Double(b)) }
    } else if let r = valueRange {
        guard r.1 > r.0 else { throw TensorError.value("value_range must be (low, high) with low < high, but got (\(r.0), \(r.1))") }
        (low, high) = r
    }
    let span = high - low
    let samples: [UInt16] = values.map { v in
        let x = min(max(Double(v), low), high)
        guard span > 0, span.isFinite, !x.isNaN else { return 0 }
        return UInt16(min(Double(maxval), ((x - low) / span * Double(maxval) + 0.5).rounded(.down)))
    }
    let (sw, sh) = try scaledSize(w, h, scale)
    let data = try ImageEncoder.pgm(width: sw, height: sh, maxval: maxval,
                                    samples: upscale(samples, w, h, scale))
    try FileIO.writeAtomically(data, path: path)
    return path
}

/// `save_grid(t, path, nrow=8, padding=2, normalize=True, scale_each=False,
/// pad_value=0, scale=1)`: `makeGrid` written as an 8-bit PGM. Returns the path.
@discardableResult
public func saveGrid(_ t: Tensor, path: String, nrow: Int = 8, padding: Int = 2, normalize: Bool = true,
                     scaleEach: Bool = false, padValue: Double = 0, scale: Int = 1) throws -> String {
    let img = try makeGrid(t, nrow: nrow, padding: padding, normalize: normalize,
                           scaleEach: scaleEach, padValue: padValue).scaled(scale)
    try FileIO.writeAtomically(try ImageEncoder.pgm(width: img.width, height: img.height, pixels: img.pixels), path: path)
    return path
}

/// `feature_maps(model, x, dir)`: runs x through the model once (eval mode,
/// no grad, state restored) and writes one grid PGM per top-level layer's
/// output into dir (created if missing) as `01_Conv2d.pgm`, `02_ReLU.pgm`,
/// ... in call order. A model without children writes its own output.
/// Returns the paths.
public func featureMaps(_ model: Module, _ x: Tensor, dir: String) throws -> [String] {
    do {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    } catch {
        throw FormatError.io("cannot create directory '\(dir)': \(error.localizedDescription)")
    }
    let top = model.children.isEmpty ? [model] : model.children
    let watchDepth = model.children.isEmpty ? 1 : 2
    var depth = 0
    var outputs: [(Module, Tensor)] = []
    let observer = ModuleObserver(before: { _, _ in depth += 1 }, after: { m, _, out in
        if depth == watchDepth, top.contains(where: { $0 === m }), let o = out.first { outputs.append((m, o)) }
        depth -= 1
    })
    _ = try QuietRun.run(model) { try ModuleObservers.with(observer) { try model(x) } }
    var paths: [String] = []
    for (i, (m, o)) in outputs.enumerated() {
        let name = String(i + 1).count < 2 ? "0\(i + 1)" : String(i + 1)
        let safe = m.typeName.map { $0 == "/" || $0 == "\0" ? "_" : $0 }
        let path = (dir as NSString).appendingPathComponent("\(name)_\(String(safe)).pgm")
        paths.append(try saveGrid(o, path: path))
    }
    return paths
}

/// Nearest-neighbour upscaling by an integer factor.
func upscale(_ px: [UInt16], _ w: Int, _ h: Int, _ scale: Int) -> [UInt16] {
    if scale == 1 { return px }
    var out = [UInt16](); out.reserveCapacity(w * h * scale * scale)
    for y in 0..<h {
        var row = [UInt16](); row.reserveCapacity(w * scale)
        for x in 0..<w { row.append(contentsOf: repeatElement(px[y * w + x], count: scale)) }
        for _ in 0..<scale { out.append(contentsOf: row) }
    }
    return out
}
