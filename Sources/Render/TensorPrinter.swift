import Foundation
import TensorCore

/// Prints tensors exactly as PyTorch 2.x's `repr`/`str` does (torch/_tensor_str.py):
/// the `tensor(` prefix, shared column width, int mode (`1.`), automatic scientific
/// notation, `...` summarisation, line wrapping and the `dtype=`/`size=`/`grad_fn=` suffixes.
public enum TensorPrinter {
    /// `repr(t)` / `print(t)`. `requiresGrad` and `gradFn` (a backward name such as
    /// `AddBackward0`) default to the tensor's own autograd state; `parameter` (default
    /// `t.isParameter`) prints `Parameter containing:` first, as `nn.Parameter` does.
    public static func repr(_ t: Tensor, requiresGrad: Bool? = nil, gradFn: String? = nil,
                            parameter: Bool? = nil, options: PrintOptions = PrintOptions.current) -> String {
        let prefix = "tensor("
        let indent = prefix.count
        var suffixes: [String] = []
        let body: String
        if t.numel == 0 {
            if t.rank != 1 { suffixes.append("size=" + tupleString(t.shape)) }
            if t.dtype != .float32 { suffixes.append("dtype=" + t.dtype.torchName) }
            body = "[]"
        } else {
            if options.edgeitems <= 0 { suffixes.append("size=" + tupleString(t.shape)) }
            if !hasDefaultDType(t.dtype) { suffixes.append("dtype=" + t.dtype.torchName) }
            body = tensorString(t, indent: indent, options: options)
        }
        if let name = gradFn ?? t.gradFn?.name {
            suffixes.append("grad_fn=<\(name)>")
        } else if requiresGrad ?? t.requiresGrad {
            suffixes.append("requires_grad=True")
        }
        let text = addSuffixes(prefix + body, suffixes, indent: indent, linewidth: options.linewidth)
        return (parameter ?? t.isParameter) ? "Parameter containing:\n" + text : text
    }

    /// The bracketed contents without prefix or suffixes (`_tensor_str`), with `indent`
    /// columns already taken on the first line.
    public static func tensorString(_ t: Tensor, indent: Int, options: PrintOptions = PrintOptions.current) -> String {
        if t.numel == 0 { return "[]" }
        let summarize = Double(t.numel) > options.threshold
        let walk = Walk(t, options: options)
        let sample = summarize ? walk.summarizedOffsets() : walk.allOffsets()
        let formatter = ElementFormatter(t, offsets: sample, options: options)
        return walk.render(dim: 0, base: t.offset, indent: indent, summarize: summarize, formatter: formatter)
    }

    /// Python's `str(tuple(shape))`: `(0, 3)`, `(5,)`, `()`.
    public static func tupleString(_ shape: [Int]) -> String {
        if shape.count == 1 { return "(\(shape[0]),)" }
        return "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// float32, int64 and bool print without a `dtype=` suffix.
    static func hasDefaultDType(_ d: DType) -> Bool {
        switch d {
        case .float32, .int64, .bool: return true
        default: return false
        }
    }

    static func addSuffixes(_ s: String, _ suffixes: [String], indent: Int, linewidth: Int) -> String {
        var out = s
        // Python: len(s) - s.rfind("\n") + 1, with rfind giving -1 when there is no newline.
        let chars = Array(s.unicodeScalars)
        let lastNewline = chars.lastIndex(of: "\n") ?? -1
        var lastLineLen = chars.count - lastNewline + 1
        for suffix in suffixes {
            let n = suffix.unicodeScalars.count
            if lastLineLen + n + 2 > linewidth {
                out += ",\n" + String(repeating: " ", count: indent) + suffix
                lastLineLen = indent + n
            } else {
                out += ", " + suffix
                lastLineLen += n + 2
            }
        }
        return out + ")"
    }
}

/// Walks a tensor's elements by storage offset, never copying more than it prints.
struct Walk {
    let t: Tensor
    let edge: Int
    let linewidth: Int

    init(_ t: Tensor, options: PrintOptions) {
        self.t = t
        self.edge = min(max(0, options.edgeitems), 1 << 40)   // no overflow in 2 * edge
        self.linewidth = options.linewidth
    }

    func allOffsets() -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(t.numel)
        t.forEachOffset { out.append($0) }
        return out
    }

    /// The elements `get_summarized_data` keeps.
    func summarizedOffsets() -> [Int] {
        var out: [Int] = []
        collect(dim: 0, base: t.offset, into: &out)
        return out
    }

    private func collect(dim: Int, base: Int, into out: inout [Int]) {
        let rank = t.rank - dim
        if rank == 0 { out.append(base); return }
        let size = t.shape[dim], stride = t.strides[dim]
        if rank == 1 {
            // `cat(self[:e], self[-e:])`; with e == 0 that is the whole row, as in PyTorch.
            let idx = (edge > 0 && size > 2 * edge) ? Array(0..<edge) + Array((size - edge)..<size) : Array(0..<size)
            for i in idx { out.append(base + i * stride) }
            return
        }
        if edge == 0 { return }
        let idx = size > 2 * edge ? Array(0..<edge) + Array((size - edge)..<size) : Array(0..<size)
        for i in idx { collect(dim: dim + 1, base: base + i * stride, into: &out) }
    }

    func render(dim: Int, base: Int, indent: Int, summarize: Bool, formatter f: ElementFormatter) -> String {
        let rank = t.rank - dim
        if rank == 0 { return f.format(at: base) }
        let size = t.shape[dim], stride = t.strides[dim]
        if rank == 1 {
            let elementLength = f.maxWidth + 2
            let perLine = max(1, Int(((Double(linewidth) - Double(indent)) / Double(elementLength)).rounded(.down)))
            var data: [String]
            if summarize && edge == 0 {
                data = ["..."]
            } else if summarize && size > 2 * edge {
                data = (0..<edge).map { f.format(at: base + $0 * stride) } + [" ..."]
                    + ((size - edge)..<size).map { f.format(at: base + $0 * stride) }
            } else {
                data = (0..<size).map { f.format(at: base + $0 * stride) }
            }
            var lines: [String] = []
            var i = 0
            while i < data.count {
                lines.append(data[i..<min(i + perLine, data.count)].joined(separator: ", "))
                i += perLine
            }
            return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
        }
        var slices: [String]
        if summarize && size > 2 * edge {
            slices = (0..<edge).map { render(dim: dim + 1, base: base + $0 * stride, indent: indent + 1, summarize: summarize, formatter: f) }
                + ["..."]
                + ((size - edge)..<size).map { render(dim: dim + 1, base: base + $0 * stride, indent: indent + 1, summarize: summarize, formatter: f) }
        } else {
            slices = (0..<size).map { render(dim: dim + 1, base: base + $0 * stride, indent: indent + 1, summarize: summarize, formatter: f) }
        }
        let sep = "," + String(repeating: "\n", count: rank - 1) + String(repeating: " ", count: indent + 1)
        return "[" + slices.joined(separator: sep) + "]"
    }
}

/// PyTorch's `_Formatter`: one shared width and mode for every element printed.
struct ElementFormatter {
    let t: Tensor
    let precision: Int
    private(set) var intMode = true
    private(set) var sciMode = false
    private(set) var maxWidth = 1

    init(_ t: Tensor, offsets: [Int], options: PrintOptions) {
        self.t = t
        self.precision = max(0, options.precision)
        switch t.dtype {
        case .int64, .int32, .uint8:
            for o in offsets { maxWidth = max(maxWidth, String(t.int64(atStorageOffset: o)).count) }
        case .bool:
            let p = t.storage.bools
            for o in offsets { maxWidth = max(maxWidth, p[o] ? 4 : 5) }
        case .float32, .float64, .float16:
            var vals: [Double] = []
            for o in offsets {
                let v = t.double(atStorageOffset: o)
                if v.isFinite && v != 0 { vals.append(v) }
            }
            if vals.isEmpty { return }
            var lo = Double.infinity, hi = 0.0
            for v in vals {
                let a = Swift.abs(v)
                lo = Swift.min(lo, a); hi = Swift.max(hi, a)
                if intMode && v != v.rounded(.up) { intMode = false }
            }
            sciMode = options.sciMode ?? (hi / lo > 1000.0 || hi > 1.0e8 || lo < 1.0e-4)
            for v in vals {
                let n: Int
                if sciMode { n = NumberText.sci(v, precision).count }
                else if intMode { n = NumberText.fixed(v, 0).count + 1 }
                else { n = NumberText.fixed(v, precision).count }
                maxWidth = Swift.max(maxWidth, n)
            }
        }
    }

    /// The element at a storage offset, padded on the left to the shared width.
    func format(at o: Int) -> String {
        let s: String
        switch t.dtype {
        case .int64, .int32, .uint8: s = String(t.int64(atStorageOffset: o))
        case .bool: s = t.storage.bools[o] ? "True" : "False"
        case .float32, .float64, .float16:
            let v = t.double(atStorageOffset: o)
            if sciMode { s = NumberText.sci(v, precision) }
            else if intMode { s = NumberText.fixed(v, 0) + (v.isFinite ? "." : "") }
            else { s = NumberText.fixed(v, precision) }
        }
        let pad = maxWidth - s.count
        return pad > 0 ? String(repeating: " ", count: pad) + s : s
    }
}

/// Python's `'{:.Nf}'` and `'{:.Ne}'` for doubles (correctly rounded, `nan`/`inf` spelled as Python spells them).
/// Precisions past `maxPrecision` are refused by the callers that can throw (Python's
/// "precision too big"); digits past what a double holds are zeros, appended here.
public enum NumberText {
    public static let maxPrecision = Int(Int32.max)

    public static func fixed(_ v: Double, _ precision: Int) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        let p = min(max(0, precision), 1 << 16)
        let text = String(format: "%.\(min(p, 1100))f", v)
        return p > 1100 ? text + String(repeating: "0", count: p - 1100) : text
    }

    public static func sci(_ v: Double, _ precision: Int) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        let p = min(max(0, precision), 1 << 16)
        let text = String(format: "%.\(min(p, 800))e", v)
        guard p > 800, let e = text.firstIndex(of: "e") else { return text }
        return text[..<e] + String(repeating: "0", count: p - 800) + text[e...]
    }

    /// PyTorch's (Python's) error for a precision past a C int.
    public static func check(_ precision: Int) throws {
        if precision > maxPrecision { throw TensorError.value("precision too big") }
    }
}
