/// Shape arithmetic shared by every op: element counts, strides,
/// dimension wrapping and broadcasting, with PyTorch's error wording.
public enum Shape {
    /// Number of elements of a new contiguous tensor, with PyTorch's errors when the
    /// element count or a stride does not fit 64 bits (`zeros(0, 2**62, 4)`).
    public static func numel(_ shape: [Int]) throws -> Int {
        for s in shape where s < 0 {
            throw TensorError.runtime("Trying to create tensor with negative dimension \(s): \(describe(shape))")
        }
        var n = 1
        for s in shape {
            let (r, o) = n.multipliedReportingOverflow(by: s)
            if o { throw TensorError.runtime("Storage size calculation overflowed with sizes=\(describe(shape))") }
            n = r
        }
        var stride = 1
        for s in shape.dropFirst().reversed() {
            let (r, o) = stride.multipliedReportingOverflow(by: max(s, 1))
            if o { throw TensorError.runtime("Stride calculation overflowed") }
            stride = r
        }
        return n
    }

    /// PyTorch's check on a view's element count (`expand(2**40, 2**40)`).
    public static func checkNumel(_ shape: [Int]) throws {
        var n = 1
        for s in shape {
            let (r, o) = n.multipliedReportingOverflow(by: s)
            if o { throw TensorError.runtime("numel: integer multiplication overflow") }
            n = r
        }
    }

    /// Element count of a shape already known valid.
    @inline(__always) public static func count(_ shape: [Int]) -> Int {
        var n = 1
        for s in shape { n &*= s }
        return n
    }

    /// Row-major strides of a contiguous tensor.
    public static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = acc
            acc &*= max(shape[i], 1)
        }
        return strides
    }

    /// Wraps a possibly negative dim into 0..<rank, as PyTorch does.
    public static func wrapDim(_ dim: Int, rank: Int) throws -> Int {
        let r = max(rank, 1)
        if dim < -r || dim >= r {
            throw TensorError.index("Dimension out of range (expected to be in range of [\(-r), \(r - 1)], but got \(dim))")
        }
        return dim < 0 ? dim + r : dim
    }

    /// The broadcast shape of two shapes, or PyTorch's error.
    public static func broadcast(_ a: [Int], _ b: [Int]) throws -> [Int] {
        let n = max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 { out[i] = da }
            else if da == 1 { out[i] = db }
            else {
                throw TensorError.shape("The size of tensor a (\(da)) must match the size of tensor b (\(db)) at non-singleton dimension \(i)")
            }
        }
        return out
    }

    /// `[2, 3]` as PyTorch writes shapes inside messages.
    public static func describe(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }

    /// `torch.Size([2, 3])`.
    public static func torchSize(_ shape: [Int]) -> String { "torch.Size(\(describe(shape)))" }
}
