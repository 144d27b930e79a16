/// Freeing a list nested three million deep would release it recursively, one stack
/// frame per level, and overflow the stack (CPython avoids this with its "trashcan").
/// A list or dict that goes away hands its nested containers to a worklist instead:
/// each one it owned alone is emptied there, so every release stays shallow.
enum Teardown {
    static func release(_ items: inout [Value]) {
        guard items.contains(where: { $0.isNestedContainer }) else { return }
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
            } else if let t = takeTuple(&v), t.contains(where: { $0.isNestedContainer }) {
                pending.append(contentsOf: t)
            }
        }
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
    var isNestedContainer: Bool {
        switch self {
        case .list, .dict, .tuple: return true
        default: return false
        }
    }
}
