import NN
/// `x[i]`, `x[a:b:c]`, assignment and deletion through them, iteration.
extension Interpreter {
    /// Python's slice.indices(len): start, stop, step and the count.
    func sliceIndices(_ s: SliceValue, _ length: Int) throws -> (Int, Int, Int, Int) {
        func int(_ v: Value) throws -> Int? {
            if case .none = v { return nil }
            guard let i = integer(v) else {
                throw typeError("slice indices must be integers or None or have an __index__ method")
            }
            return i
        }
        let step = try int(s.step) ?? 1
        if step == 0 { throw valueError("slice step cannot be zero") }
        func adjust(_ v: Int?, _ def: Int) -> Int {
            guard var i = v else { return def }
            if i < 0 { i += length; if i < 0 { i = step < 0 ? -1 : 0 } }
            else if i >= length { i = step < 0 ? length - 1 : length }
            return i
        }
        let start = adjust(try int(s.start), step < 0 ? length - 1 : 0)
        let stop = adjust(try int(s.stop), step < 0 ? -1 : length)
        let count: Int
        if step > 0 { count = start < stop ? (stop - start - 1) / step + 1 : 0 }
        else { count = stop < start ? (start - stop - 1) / (-step) + 1 : 0 }
        return (start, stop, step, count)
    }

    func sliced<T>(_ items: [T], _ s: SliceValue) throws -> [T] {
        let (start, _, step, count) = try sliceIndices(s, items.count)
        var out: [T] = []
        out.reserveCapacity(count)
        var i = start
        for _ in 0..<count { out.append(items[i]); i += step }
        return out
    }

    func index(_ k: Value, _ count: Int, _ what: String) throws -> Int {
        guard var i = integer(k) else {
            throw typeError("\(what) indices must be integers or slices, not \(k.typeName)")
        }
        if i < 0 { i += count }
        guard i >= 0 && i < count else { throw indexError("\(what) index out of range") }
        return i
    }

    public func getItem(_ v: Value, _ k: Value) throws -> Value {
        switch v {
        case .list(let box):
            if case .slice(let s) = k { return .list(ListBox(try sliced(box.items, s))) }
            return box.items[try index(k, box.items.count, "list")]
        case .tuple(let items):
            if case .slice(let s) = k { return .tuple(try sliced(items, s)) }
            return items[try index(k, items.count, "tuple")]
        case .size(let dims):
            if case .slice(let s) = k { return .size(try sliced(dims, s)) }
            return .int(dims[try index(k, dims.count, "tuple")])
        case .str(let s):
            let scalars = Array(s.unicodeScalars)
            if case .slice(let sl) = k {
                var out = String.UnicodeScalarView()
                out.append(contentsOf: try sliced(scalars, sl))
                return .str(String(out))
            }
            return .str(String(scalars[try index(k, scalars.count, "string")]))
        case .range(let r):
            if case .slice(let s) = k {
                let (start, _, step, count) = try sliceIndices(s, r.count)
                let newStep = r.step * step
                return .range(RangeValue(start: r.at(start), stop: r.at(start) &+ count &* newStep, step: newStep))
            }
            return .int(r.at(try index(k, r.count, "range object")))
        case .dict(let d):
            guard let h = HashKey(k) else { throw typeError("unhashable type: '\(k.typeName)'") }
            if let x = d.get(h) { return x }
            if let factory = d.defaultFactory {
                let x = try call(factory, [])
                d.set(h, k, x)
                return x
            }
            throw LangError(.KeyError, repr(k))
        default:
            if isHost(v), let r = try hooks.getItem?(v, k) { return r }
            if case .instance = v, let m = try? getAttribute(v, "__getitem__") { return try call(m, Arguments([k])) }
            throw typeError("'\(v.typeName)' object is not subscriptable")
        }
    }

    public func setItem(_ v: Value, _ k: Value, _ x: Value) throws {
        switch v {
        case .list(let box):
            if case .slice(let s) = k {
                let new = try toArray(x)
                let (start, stop, step, count) = try sliceIndices(s, box.items.count)
                if step == 1 {
                    box.items.replaceSubrange(start..<max(start, stop), with: new)
                } else {
                    guard new.count == count else {
                        throw valueError("attempt to assign sequence of size \(new.count) to extended slice of size \(count)")
                    }
                    var i = start
                    for item in new { box.items[i] = item; i += step }
                }
                return
            }
            box.items[try index(k, box.items.count, "list")] = x
        case .dict(let d):
            guard let h = HashKey(k) else { throw typeError("unhashable type: '\(k.typeName)'") }
            d.set(h, k, x)
        default:
            if isHost(v), try hooks.setItem?(v, k, x) == true { return }
            if case .instance = v, let m = try? getAttribute(v, "__setitem__") {
                _ = try call(m, Arguments([k, x])); return
            }
            throw typeError("'\(v.typeName)' object does not support item assignment")
        }
    }

    public func deleteItem(_ v: Value, _ k: Value) throws {
        switch v {
        case .list(let box):
            if case .slice(let s) = k {
                let (start, _, step, count) = try sliceIndices(s, box.items.count)
                let doomed = Set((0..<count).map { start + $0 * step })
                box.items = box.items.enumerated().filter { !doomed.contains($0.offset) }.map(\.element)
                return
            }
            box.items.remove(at: try index(k, box.items.count, "list"))
        case .dict(let d):
            guard let h = HashKey(k) else { throw typeError("unhashable type: '\(k.typeName)'") }
            guard d.remove(h) != nil else { throw LangError(.KeyError, repr(k)) }
        default:
            if isHost(v), try hooks.deleteItem?(v, k) == true { return }
            throw typeError("'\(v.typeName)' object doesn't support item deletion")
        }
    }

    // MARK: iteration

    public func makeIterator(_ v: Value) throws -> IteratorBox {
        switch v {
        case .iterator(let it): return it
        case .list(let box):
            var i = 0
            return IteratorBox(typeName: "list_iterator") {
                guard i < box.items.count else { return nil }
                defer { i += 1 }
                return box.items[i]
            }
        case .range(let r):
            var i = 0
            let n = r.count
            return IteratorBox(typeName: "range_iterator") {
                guard i < n else { return nil }
                defer { i += 1 }
                return .int(r.at(i))
            }
        case .object(let o as HostIterable):
            return try o.makeIterator()
        case .tensor(let t):
            // Row by row, as PyTorch does: `for r in torch.zeros(2**28): break` makes one row.
            guard t.rank > 0 else { throw typeError("iteration over a 0-d tensor") }
            var i = 0
            let n = t.shape[0]
            return IteratorBox(typeName: "iterator") {
                guard i < n else { return nil }
                defer { i += 1 }
                return .tensor(try Functional.select(t, dim: 0, index: i))
            }
        default:
            if case .object(let o) = v, let it = try o.makeIterator(self) { return it }
            return IteratorBox.over(try toArray(v), typeName: "iterator")
        }
    }

    /// All the values `for x in v` yields.
    public func toArray(_ v: Value) throws -> [Value] {
        switch v {
        case .list(let box): return box.items
        case .tuple(let items): return items
        case .size(let dims): return dims.map { .int($0) }
        case .range(let r):
            guard r.count < 1 << 28 else { throw LangError(.MemoryError, "range of \(r.count) items is too large to materialise") }
            return (0..<r.count).map { .int(r.at($0)) }
        case .str(let s): return s.unicodeScalars.map { .str(String($0)) }
        case .dict(let d): return d.keys
        case .iterator(let it):
            var out: [Value] = []
            while let x = try it.next() {
                out.append(x)
                if out.count & 0xFFF == 0 { try checkInterrupt() }
            }
            return out
        default:
            if isHost(v), let items = try hooks.iterate?(v) { return items }
            if case .object(let o) = v, let it = try o.makeIterator(self) { return try toArray(.iterator(it)) }
            if case .instance = v, let m = try? getAttribute(v, "__iter__") {
                return try toArray(try call(m, Arguments()))
            }
            throw typeError("'\(v.typeName)' object is not iterable")
        }
    }

    /// `a, *b, c = v`: exactly `count` values (one of them a list when starred).
    func unpack(_ v: Value, count: Int, star: Int?) throws -> [Value] {
        let items: [Value]
        do { items = try toArray(v) } catch let e as LangError where e.kind == .TypeError {
            throw typeError("cannot unpack non-iterable \(v.typeName) object")
        }
        guard let s = star else {
            if items.count > count { throw valueError("too many values to unpack (expected \(count))") }
            if items.count < count { throw valueError("not enough values to unpack (expected \(count), got \(items.count))") }
            return items
        }
        let after = count - s - 1
        guard items.count >= count - 1 else {
            throw valueError("not enough values to unpack (expected at least \(count - 1), got \(items.count))")
        }
        return Array(items[..<s]) + [.list(ListBox(Array(items[s..<(items.count - after)])))]
            + Array(items[(items.count - after)...])
    }

    /// `len(s)`: the code points, counted as the UTF-8 bytes that start one (a byte loop,
    /// where `unicodeScalars.count` decodes every scalar).
    @inline(__always) static func codePoints(_ s: String) -> Int {
        if let w = ShortStr(s) { return w.codePoints }
        return HashKey.withBytes(s) { buf in
            var n = 0
            for b in buf where b & 0xC0 != 0x80 { n += 1 }
            return n
        }
    }

    public func length(_ v: Value) throws -> Int {
        switch v {
        case .list(let b): return b.items.count
        case .tuple(let t): return t.count
        case .str(let s): return Interpreter.codePoints(s)
        case .dict(let d): return d.count
        case .range(let r): return r.count
        case .size(let s): return s.count
        default:
            if isHost(v), let n = try hooks.length?(v) { return n }
            if case .tensor(let t) = v {
                guard let first = t.shape.first else { throw typeError("len() of a 0-d tensor") }
                return first
            }
            if case .instance = v, let m = try? getAttribute(v, "__len__"), let n = integer(try call(m, Arguments())) {
                return n
            }
            throw typeError("object of type '\(v.typeName)' has no len()")
        }
    }
}
