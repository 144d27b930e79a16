import XCTest
@testable import Lang

/// `PlainValues.store` copies a `Value`'s bytes into a `Value?` slot when neither holds a
/// reference; these tests hold the layout and the choice to what Swift does by assignment.
final class PlainValueTests: XCTestCase {
    func testStoredBytesReadBackAsTheSameValue() {
        let items: [Value] = [.int(-7), .int(Int.max), .float(2.5), .float(-.infinity), .bool(true), .bool(false),
                              .none, .ellipsis, .str(""), .str("w123"), .str("fifteen bytes!!"), .str("é😀"),
                              .str("a str longer than fifteen bytes"), .list(ListBox([.int(1)])), .tuple([.int(1)])]
        for old in [Value?.none] + items.map(Optional.some) {
            for item in items {
                let slot = UnsafeMutablePointer<Value?>.allocate(capacity: 1)
                slot.initialize(to: old)
                withUnsafePointer(to: item) { PlainValues.store(slot, $0) }
                XCTAssertEqual(Printing.repr(slot.pointee ?? .str("<nil>")), Printing.repr(item))
                slot.deinitialize(count: 1)
                slot.deallocate()
            }
        }
    }

    func testOnlyValuesWithoutReferencesArePlain() {
        let plain: [Value] = [.int(1), .float(1), .bool(true), .none, .ellipsis, .str("short"), .str("fifteen bytes!!")]
        let referenced: [Value] = [.str("sixteen bytes!!!"), .list(ListBox([])), .tuple([]), .dict(DictBox())]
        for v in plain { XCTAssertTrue(withUnsafePointer(to: v) { PlainValues.holdsNoReference($0) }, Printing.repr(v)) }
        for v in referenced {
            XCTAssertFalse(withUnsafePointer(to: v) { PlainValues.holdsNoReference($0) }, Printing.repr(v))
        }
        let slot = UnsafeMutablePointer<Value?>.allocate(capacity: 1)
        defer { slot.deallocate() }
        slot.initialize(to: nil)
        XCTAssertTrue(PlainValues.slotHoldsNoReference(slot))
        slot.pointee = .list(ListBox([]))
        XCTAssertFalse(PlainValues.slotHoldsNoReference(slot))
        slot.deinitialize(count: 1)
    }

    /// A list's items moved into a loop variable keep the list's own items intact (a long str
    /// and a list are shared, not stolen), through `for` and a comprehension.
    func testLoopsOverMixedItemsLeaveTheListIntact() throws {
        let out = try runProgram("""
        xs = [1, 2.5, "w1", "a str longer than fifteen bytes", [3], None, True, ...]
        ys = [x for x in xs]
        for x in xs:
            pass
        print(xs == ys, x, ys[3], ys[4])
        print([type(x).__name__ for x in xs])
        """)
        XCTAssertEqual(out, """
        True Ellipsis a str longer than fifteen bytes [3]
        ['int', 'float', 'str', 'str', 'list', 'NoneType', 'bool', 'ellipsis']

        """)
    }
}
