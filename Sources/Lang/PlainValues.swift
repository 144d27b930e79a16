/// Values that hold no reference: an int, float, bool, `None`, `...`, or a str of at most 15
/// bytes kept in the `String` itself. Copying or overwriting one needs no retain or release,
/// so a loop that moves such items from a list into its variable (`for w in words`, `[len(w)
/// for w in words]`) copies their bytes instead of calling the enum's outlined copy and
/// destroy (which switch on the case and call the runtime for a str even when it is short).
///
/// The bytes of a `Value` are also those of the same `Value?` (`Optional` keeps its `nil` in
/// a tag value no case uses); `PlainValueTests` holds the layout to that.
enum PlainValues {
    /// Whether `v` holds no reference (see above).
    @inline(__always) static func holdsNoReference(_ v: UnsafePointer<Value>) -> Bool {
        switch v.pointee {
        case .int, .float, .bool, .none, .ellipsis: return true
        case .str(let s): return ShortStr.isInPlace(s)
        default: return false
        }
    }

    /// Whether the slot is empty or holds no reference.
    @inline(__always) static func slotHoldsNoReference(_ p: UnsafeMutablePointer<Value?>) -> Bool {
        switch p.pointee {
        case nil, .some(.int), .some(.float), .some(.bool), .some(.none), .some(.ellipsis): return true
        case .str(let s)?: return ShortStr.isInPlace(s)
        default: return false
        }
    }

    /// `slot.pointee = item.pointee`, as bytes when neither holds a reference.
    @inline(__always) static func store(_ slot: UnsafeMutablePointer<Value?>, _ item: UnsafePointer<Value>) {
        if holdsNoReference(item) && slotHoldsNoReference(slot) {
            UnsafeMutableRawPointer(slot).copyMemory(from: item, byteCount: MemoryLayout<Value>.size)
        } else {
            slot.pointee = item.pointee
        }
    }

    /// `slot.pointee = box.items[i]` for an index in range, the item read in place (neither
    /// the list nor its buffer retained: the caller holds the list).
    @inline(__always) static func store(_ slot: UnsafeMutablePointer<Value?>, from box: ListBox, at i: Int) {
        if let base = box.items._baseAddressIfContiguous {
            store(slot, UnsafePointer(base + i))
        } else {
            slot.pointee = box.items[i]
        }
    }
}

extension ShortStr {
    /// Whether the str is in the standard library's small form (its bytes in the `String`'s
    /// two words, no storage object): what `init?(_:)` reads without the UTF-8 view.
    @inline(__always) static func isInPlace(_ s: String) -> Bool {
        let (_, b) = unsafeBitCast(s, to: (UInt64, UInt64).self)
        return (b >> 56) & 0xB0 == 0xA0
    }
}
