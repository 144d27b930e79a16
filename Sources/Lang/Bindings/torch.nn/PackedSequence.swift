import TensorCore
import NN
import Render

/// `nn.utils.rnn.PackedSequence`: variable-length sequences for the recurrent layers.
/// It shows PyTorch's fields (`data`, `batch_sizes`, `sorted_indices`, `unsorted_indices`)
/// and keeps the padded, time-major tensor (T, B, *) in the original batch order with each
/// sequence's length, which is what the recurrent layers run on (masking the steps past
/// each sequence's end).
final class PackedSequence: HostObject {
    let padded: Tensor, lengths: [Int], sorted: [Int]?
    let data: Tensor, batchSizes: Tensor

    /// `sorted`: the batch order by decreasing length (nil when the input was already sorted).
    init(padded: Tensor, lengths: [Int], sorted: [Int]?) throws {
        self.padded = padded; self.lengths = lengths; self.sorted = sorted
        let order = sorted ?? Array(0..<lengths.count)
        var ts: [Int64] = [], bs: [Int64] = [], sizes: [Int64] = []
        for t in 0..<(lengths.max() ?? 0) {
            let live = order.filter { lengths[$0] > t }
            sizes.append(Int64(live.count))
            for b in live { ts.append(Int64(t)); bs.append(Int64(b)) }
        }
        let picked = try Functional.index(padded, [.tensor(try Tensor(ints: ts, shape: [ts.count])),
                                                   .tensor(try Tensor(ints: bs, shape: [bs.count]))])
        data = Functional.named(picked, "PackPaddedSequenceBackward0")
        batchSizes = try Tensor(ints: sizes, shape: [sizes.count])
    }

    var typeName: String { "PackedSequence" }

    func indices(_ inverse: Bool) throws -> Value {
        guard let sorted else { return .none }
        var v = [Int64](repeating: 0, count: sorted.count)
        for (i, b) in sorted.enumerated() { if inverse { v[b] = Int64(i) } else { v[i] = Int64(b) } }
        return .tensor(try Tensor(ints: v, shape: [v.count]))
    }

    func getAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "data": return .tensor(data)
        case "batch_sizes": return .tensor(batchSizes)
        case "sorted_indices": return try indices(false)
        case "unsorted_indices": return try indices(true)
        default: return nil
        }
    }

    func repr() -> String {
        func show(_ v: Value?) -> String {
            if case .tensor(let t)? = v { return TensorPrinter.repr(t) }
            return "None"
        }
        return "PackedSequence(data=\(TensorPrinter.repr(data)), batch_sizes=\(TensorPrinter.repr(batchSizes)), "
            + "sorted_indices=\(show(try? indices(false))), unsorted_indices=\(show(try? indices(true))))"
    }

    /// The same batch order and lengths around another padded tensor (a layer's output).
    func with(_ padded: Tensor) throws -> PackedSequence { try PackedSequence(padded: padded, lengths: lengths, sorted: sorted) }

    /// (T, B, 1, ...) true where step t belongs to sequence b.
    func mask(steps: Int, rank: Int) throws -> Tensor {
        var bits: [Bool] = []
        for t in 0..<steps { for b in lengths.indices { bits.append(t < lengths[b]) } }
        return try Tensor(bools: bits, shape: [steps, lengths.count] + [Int](repeating: 1, count: Swift.max(rank - 2, 0)))
    }
}

/// `pack_padded_sequence`, `pack_sequence` and `pad_packed_sequence`.
enum PackedSequenceBindings {
    static func lengths(_ v: Value, in fn: String) throws -> [Int] {
        if case .tensor(let t) = v {
            guard t.rank == 1, !t.dtype.isFloatingPoint else {
                throw LangError(.RuntimeError, "'lengths' argument should be a 1D CPU int64 tensor, but got \(t.rank)D \(t.dtype.torchName) tensor")
            }
            return t.toInt64s().map { Int($0) }
        }
        return try TV.ints(v, "lengths", in: fn)
    }

    static func pack(_ x: Tensor, _ lens: [Int], batchFirst: Bool, enforceSorted: Bool) throws -> PackedSequence {
        let padded = batchFirst ? try Functional.transpose(x, 0, 1) : x
        guard padded.rank >= 2 else { throw LangError(.RuntimeError, "pack_padded_sequence: input must have at least 2 dimensions, got \(x.rank)") }
        guard lens.count == padded.shape[1] else {
            throw LangError(.RuntimeError, "Expected `len(lengths)` to be equal to batch_size, but got \(lens.count) (batch_size=\(padded.shape[1]))")
        }
        if lens.contains(where: { $0 <= 0 }) {
            throw LangError(.RuntimeError, "Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0")
        }
        if let bad = lens.first(where: { $0 > padded.shape[0] }) {
            throw LangError(.RuntimeError, "Expected sequence length to be at most \(padded.shape[0]) (the input's length), but got \(bad)")
        }
        let isSorted = zip(lens, lens.dropFirst()).allSatisfy { $0 >= $1 }
        if enforceSorted && !isSorted {
            throw LangError(.RuntimeError, "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.")
        }
        let order = enforceSorted ? nil : lens.indices.sorted { lens[$0] > lens[$1] || (lens[$0] == lens[$1] && $0 < $1) }
        return try PackedSequence(padded: padded, lengths: lens, sorted: order)
    }

    static func install(_ r: Registry) {
        r.register(path: "torch.nn.utils.rnn.pack_padded_sequence",
                   signature: Signature("pack_padded_sequence", [P("input"), P("lengths"), P("batch_first", .bool(false)), P("enforce_sorted", .bool(true))],
                                        doc: "Packs a padded batch of variable-length sequences for RNN, LSTM and GRU.")) { a in
            let n = "pack_padded_sequence"
            return .object(try pack(try TV.tensor(a[0], "input", in: n), try lengths(a[1], in: n), batchFirst: TV.bool(a[2]),
                                    enforceSorted: TV.bool(a[3])))
        }
        r.register(path: "torch.nn.utils.rnn.pack_sequence",
                   signature: Signature("pack_sequence", [P("sequences"), P("enforce_sorted", .bool(true))],
                                        doc: "Packs a list of variable-length tensors (L_i, *) for RNN, LSTM and GRU.")) { a in
            let n = "pack_sequence"
            let items: [Value]
            switch a[0] {
            case .list(let l): items = l.items
            case .tuple(let t): items = t
            default: throw typeError("pack_sequence(): argument 'sequences' must be a list of tensors, not \(a[0].typeName)")
            }
            let seqs = try items.map { try TV.tensor($0, "sequences", in: n) }
            guard !seqs.isEmpty else { throw LangError(.RuntimeError, "received an empty list of sequences") }
            let longest = seqs.map { $0.rank > 0 ? $0.shape[0] : 0 }.max() ?? 0
            let padded = try seqs.map { t -> Tensor in
                guard t.rank > 0 else { throw LangError(.IndexError, "Dimension specified as 0 but tensor has no dimensions") }
                var pads = [Int](repeating: 0, count: 2 * t.rank)
                pads[2 * t.rank - 1] = longest - t.shape[0]
                return longest == t.shape[0] ? t : try Functional.pad(t, pads)
            }
            return .object(try pack(try Functional.stack(padded, dim: 1), seqs.map { $0.shape[0] }, batchFirst: false,
                                    enforceSorted: TV.bool(a[1])))
        }
        r.register(path: "torch.nn.utils.rnn.pad_packed_sequence",
                   signature: Signature("pad_packed_sequence", [P("sequence"), P("batch_first", .bool(false)), P("padding_value", .float(0)),
                                                                P("total_length", .none)],
                                        doc: "Unpacks a PackedSequence: (padded tensor, lengths).")) { a in
            guard case .object(let o) = a[0], let p = o as? PackedSequence else {
                throw typeError("pad_packed_sequence(): argument 'sequence' must be a PackedSequence, not \(a[0].typeName)")
            }
            let steps = p.lengths.max() ?? 0
            var y = try Functional.narrow(p.padded, dim: 0, start: 0, length: steps)
            y = try Functional.where(try p.mask(steps: steps, rank: y.rank), y, Tensor.scalar(try a.double(2), dtype: y.dtype))
            if let total = try TV.optionalInt(a[3], "total_length", in: "pad_packed_sequence") {
                guard total >= steps else {
                    throw valueError("Expected total_length to be at least the length of the longest sequence in input, but got total_length=\(total) and max sequence length being \(steps)")
                }
                if total > steps {
                    var pads = [Int](repeating: 0, count: 2 * y.rank)
                    pads[2 * y.rank - 1] = total - steps
                    y = try Functional.pad(y, pads, value: try a.double(2))
                }
            }
            if TV.bool(a[1]) { y = try Functional.transpose(y, 0, 1) }
            let lens = try Tensor(ints: p.lengths.map { Int64($0) }, shape: [p.lengths.count])
            return .tuple([.tensor(y), .tensor(lens)])
        }
    }
}
