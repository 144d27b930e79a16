import Foundation
import TensorCore
import Render

/// Converting the language's values to what a figure holds: number
/// sequences (lists, ranges, 1-D tensors), colours, format strings, images.
enum PlotValues {
    /// A 1-D sequence of numbers: a list/tuple (of numbers or 0-d tensors), a range, a 1-D tensor.
    static func numbers(_ v: Value, _ what: String, in fn: String, _ interp: Interpreter) throws -> [Double] {
        switch v {
        case .tensor(let t):
            guard t.rank <= 1 || (t.rank == 2 && (t.shape[0] == 1 || t.shape[1] == 1)) else {
                throw valueError("\(fn)(): \(what) must be 1-D, but got a tensor of shape \(Shape.describe(t.shape))")
            }
            return t.toDoubles()
        case .int, .float, .bool: return [try Convert.double(v, what: what, in: fn)]
        default:
            let items = try interp.toArray(v)
            return try items.map { x in
                if case .tensor(let t) = x {
                    guard t.numel == 1 else { throw valueError("\(fn)(): \(what) must hold numbers, but an item is a tensor of shape \(Shape.describe(t.shape))") }
                    return t.toDoubles()[0]
                }
                return try Convert.double(x, what: what, in: fn)
            }
        }
    }

    static func color(_ v: Value, in fn: String) throws -> RGBA {
        switch v {
        case .str(let s):
            guard let c = Colors.named(s) else { throw valueError("\(Printing.repr(v)) is not a valid value for color") }
            return c
        case .tuple(let items) where items.count == 3 || items.count == 4:
            let d = try items.map { try Convert.double($0, what: "color", in: fn) }
            guard d.allSatisfy({ (0...1).contains($0) }) else { throw valueError("RGBA values should be within 0-1 range") }
            return RGBA(d[0], d[1], d[2], d.count == 4 ? d[3] : 1)
        default: throw valueError("\(Printing.repr(v)) is not a valid value for color")
        }
    }

    /// `'r--'`, `'bo'`, `'o-'`, `'C1:'`: (colour, marker, line style) as matplotlib's `_process_plot_format`.
    static func format(_ fmt: String) throws -> (RGBA?, Character?, LineStyle?) {
        var color: RGBA?, marker: Character?, style: LineStyle?
        let chars = Array(fmt)
        var i = 0
        let markers: Set<Character> = [".", "o", "s", "D", "d", "^", "v", "<", ">", "x", "+", "*"]
        while i < chars.count {
            let c = chars[i]
            if i + 1 < chars.count, c == "-", chars[i + 1] == "-" { style = .dashed; i += 2; continue }
            if i + 1 < chars.count, c == "-", chars[i + 1] == "." { style = .dashDot; i += 2; continue }
            if c == "-" { style = .solid; i += 1; continue }
            if c == ":" { style = .dotted; i += 1; continue }
            if c == "C", i + 1 < chars.count, let k = chars[i + 1].wholeNumberValue {
                color = Colors.tab10[k]; i += 2; continue
            }
            if "bgrcmykw".contains(c) {
                if color != nil { throw valueError("\(Printing.repr(.str(fmt))) is not a valid format string (two color symbols)") }
                color = Colors.named(String(c)); i += 1; continue
            }
            if markers.contains(c) {
                if marker != nil { throw valueError("\(Printing.repr(.str(fmt))) is not a valid format string (two marker symbols)") }
                marker = c; i += 1; continue
            }
            throw valueError("\(Printing.repr(.str(fmt))) is not a valid format string (unrecognized character '\(c)')")
        }
        if marker != nil && style == nil { style = LineStyle.none }
        return (color, marker, style)
    }

    /// `imshow(X)`: a 2-D array through a colormap, or (H, W, 3|4) RGB(A)
    /// (floats in 0..1, or uint8-like ints 0..255).
    static func image(_ v: Value, cmap: String?, vmin: Double?, vmax: Double?, _ interp: Interpreter) throws -> PlotImage {
        let t: Tensor
        if case .tensor(let x) = v { t = x } else {
            guard case .builtin(let tensorFn)? = interp.registry.lookup("torch.tensor"),
                  case .tensor(let x) = try interp.call(.builtin(tensorFn), [v]) else {
                throw typeError("Image data of type \(v.typeName) cannot be converted to float")
            }
            t = x
        }
        let shape = t.shape
        let values = t.toDoubles()
        if t.rank == 2 {
            let h = shape[0], w = shape[1]
            let name = cmap ?? "viridis"
            guard let lut = Colors.colormap(name) else {
                throw valueError("\(Printing.repr(.str(name))) is not a valid value for cmap; supported values are \(Colors.colormapNames.map { "'\($0)'" }.joined(separator: ", "))")
            }
            let finite = values.filter(\.isFinite)
            let lo = vmin ?? finite.min() ?? 0, hi = vmax ?? finite.max() ?? 1
            var rgb = [UInt8](repeating: 0, count: h * w * 3)
            for (i, x) in values.enumerated() {
                let f = hi > lo ? (x - lo) / (hi - lo) : 0
                let k = Colors.lutIndex(f)
                let c = lut[k]
                rgb[3 * i] = c.0; rgb[3 * i + 1] = c.1; rgb[3 * i + 2] = c.2
            }
            var img = PlotImage(width: w, height: h, rgb: rgb)
            img.scale = ColorScale(name: name, vmin: lo, vmax: hi)
            return img
        }
        guard t.rank == 3, shape[2] == 3 || shape[2] == 4 else {
            throw typeError("Invalid shape \(shapeTuple(shape)) for image data")
        }
        let h = shape[0], w = shape[1], ch = shape[2]
        let bytes = t.dtype != .float32
        var rgb = [UInt8](repeating: 0, count: h * w * 3)
        for p in 0..<(h * w) {
            let a = ch == 4 ? (bytes ? values[p * 4 + 3] / 255 : values[p * 4 + 3]) : 1
            for c in 0..<3 {
                var x = values[p * ch + c]
                if !bytes { x *= 255 }
                x = x * a + 255 * (1 - a)   // over a white axes
                rgb[p * 3 + c] = UInt8(min(255, max(0, x.isNaN ? 0 : x.rounded())))
            }
        }
        return PlotImage(width: w, height: h, rgb: rgb)
    }

    static func shapeTuple(_ s: [Int]) -> String { "(" + s.map(String.init).joined(separator: ", ") + (s.count == 1 ? ",)" : ")") }
}
