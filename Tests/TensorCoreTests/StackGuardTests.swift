import XCTest
import CStack
@testable import TensorCore

/// StackGuard measures the real stack (issue 17: under AddressSanitizer's fake stacks a
/// local's address is on the heap, and the guard raised RecursionError at once).
final class StackGuardTests: XCTestCase {
    func testTheDecisionForAddressesInsideAndOutsideTheStack() {
        let low = 0x7f00_0000_0000, size = 8 << 20
        XCTAssertFalse(StackGuard.isExhausted(sp: low + size - 4096, low: low, size: size))   // near the top: plenty left
        XCTAssertTrue(StackGuard.isExhausted(sp: low + 4096, low: low, size: size))           // 4 KiB left
        XCTAssertTrue(StackGuard.isExhausted(sp: low + StackGuard.reserve - 1, low: low, size: size))
        XCTAssertFalse(StackGuard.isExhausted(sp: low + StackGuard.reserve, low: low, size: size))
        // A fake stack frame on the heap, below or above the thread's stack, measures nothing.
        XCTAssertFalse(StackGuard.isExhausted(sp: 0x6000_0000_1000, low: low, size: size))
        XCTAssertFalse(StackGuard.isExhausted(sp: low - 16, low: low, size: size))
        XCTAssertFalse(StackGuard.isExhausted(sp: low + size + 16, low: low, size: size))
        // A small stack keeps a quarter of itself.
        XCTAssertTrue(StackGuard.isExhausted(sp: low + 100_000, low: low, size: 512 << 10))
        XCTAssertFalse(StackGuard.isExhausted(sp: low + 200_000, low: low, size: 512 << 10))
    }

    func testTheStackAddressIsInsideThisThreadsStack() throws {
        let (low, size) = StackGuard.bounds()
        let sp = Int(bitPattern: tp_stack_address())
        XCTAssertGreaterThan(sp, low)
        XCTAssertLessThanOrEqual(sp - low, size)
        XCTAssertFalse(StackGuard.exhausted)
        XCTAssertNoThrow(try StackGuard.check())
    }
}
