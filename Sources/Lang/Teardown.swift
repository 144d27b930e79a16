/// Freeing a list nested three million deep would release it recursively, one stack
/// frame per level, and overflow the stack (CPython avoids this with its "trashcan").
/// A list or dict that goes away hands its nested containers to a worklist instead:
/// each one it owned alone is emptied there, so every release stays shallow.
enum Teardown {
    static func release(_ items: inout [Value]) {
        // Flat tuples (pairs of a str and an int, as `dict.items()` and `zip` make) are freed
        // where they are: only a list, a dict or a tuple holding one can nest without bound.
        guard items.contains(where: { $0.mayNestDeeply }) else { return }
        var pending: [Value] = []
        swap(&pending, &items)
        while var v = pending.popLast() {
            // No `switch v` here: a pattern match may hold a second reference to the box.
            if var box = takeList(&v) {
                guard isKnownUniquelyReferenced(&box) else { continue }
                pending.append(contentsOf: box.items)
                box.items = []
            } else if var box = takeDict(&v) {
                guard isKnownUniquelyReferenced(&box) else { continue }
                pending.append(contentsOf: box.keys)
                pending.append(contentsOf: box.values)
                box.removeAll()
            } else if var t = takeTuple(&v), t.contains(where: { $0.isNestedContainer }) {
                // Only a tuple this code holds alone is emptied here (one shared with
                // another value is freed later, by its last owner): writing to a shared
                // array copies it first, which shows as a new address.
                let before = t.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
                let after = t.withUnsafeMutableBufferPointer { UnsafeRawPointer($0.baseAddress) }
                guard before == after else { continue }
                pending.append(contentsOf: t)
            }
        }
    }

    /// Empties a variable before it is rebound or freed. Only a tuple needs this: lists
    /// and dicts release their contents through `release` themselves, but a tuple is a
    /// plain array, so `a = (a,)` three million times would be freed recursively.
    static func clear(_ slot: inout Value?) {
        guard case .tuple? = slot else { return }
        var taken: Value? = nil
        swap(&taken, &slot)
        var items: [Value] = []
        if let v = taken { items.append(v) }
        taken = nil
        release(&items)
    }

    /// Moves the box out of `v` so that it is the only reference this code holds.
    private static func takeList(_ v: inout Value) -> ListBox? {
        guard case .list(let b) = v else { return nil }
        v = .none
        return b
    }

    private static func takeTuple(_ v: inout Value) -> [Value]? {
        guard case .tuple(let t) = v else { return nil }
        v = .none
        return t
    }

    private static func takeDict(_ v: inout Value) -> DictBox? {
        guard case .dict(let b) = v else { return nil }
        v = .none
        return b
    }
}

extension Value {
    /// A list, a dict, or a tuple holding a container.
    var mayNestDeeply: Bool {
        switch self {
        case .list, .dict: return true
        case .tuple(let t): return t.contains { $0.isNestedContainer }
        default: return false
        }
    }

    var isNestedContainer: Bool {
        switch self {
        case .list, .dict, .tuple: return true
        default: return false
        }
    }
}
