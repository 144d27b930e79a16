import XCTest
@testable import TensorCore

/// Sizes past 32 bits never reach BLAS, LAPACK or the C kernels: they raise RuntimeError
/// (issue 17: `Int32(...)` trapped or, unchecked, truncated). Built from expanded views
/// and pointers the kernels never read, so nothing large is allocated.
final class CIntArgumentTests: XCTestCase {
    func message(_ body: () throws -> Void) -> String {
        do { try body(); return "no error" } catch let e as TensorError {
            if case .runtime(let m) = e { return m }
            return "not a RuntimeError: \(e)"
        } catch { return "\(error)" }
    }

    func testCheckNamesTheFirstValueThatIsNotACInt() {
        XCTAssertEqual(message { try CIntArgument.check("op", ["a": Int(Int32.max), "b": Int(Int32.min)]) }, "no error")
        XCTAssertEqual(message { try CIntArgument.check("op", ["a": 1, "b": 1 << 31, "c": 1 << 40]) },
                       "op: The value of b(2147483648) is too large to fit into a int (4 bytes)")
        XCTAssertEqual(message { try CIntArgument.check("op", ["a": -(1 << 31) - 1]) },
                       "op: The value of a(-2147483649) is too large to fit into a int (4 bytes)")
    }

    func testDirectConvRefusesAnImageTallerThanACInt() throws {
        var scratch = [Float](repeating: 0, count: 16)
        let h = 1 << 31
        let text = scratch.withUnsafeMutableBufferPointer { buf in
            message {
                try Kernels.directConv(x: buf.baseAddress!, n: 1, cin: 1, h: h, w: 8, weight: buf.baseAddress!, cout: 1,
                                       kh: 1, kw: 1, bias: nil, p: Conv2dParams(), oh: h, ow: 8, out: buf.baseAddress!)
            }
        }
        XCTAssertEqual(text, "conv2d: The value of h(2147483648) is too large to fit into a int (4 bytes)")
    }

    func testDirectConvRefusesADilationPastACInt() throws {
        var scratch = [Float](repeating: 0, count: 16)
        let p = Conv2dParams(stride: (1, 1), padding: (0, 0), dilation: (1, 1 << 31), groups: 1)
        let text = scratch.withUnsafeMutableBufferPointer { buf in
            message {
                try Kernels.directConv(x: buf.baseAddress!, n: 1, cin: 1, h: 1, w: 8, weight: buf.baseAddress!, cout: 1,
                                       kh: 1, kw: 1, bias: nil, p: p, oh: 1, ow: 8, out: buf.baseAddress!)
            }
        }
        XCTAssertEqual(text, "conv2d: The value of dw(2147483648) is too large to fit into a int (4 bytes)")
    }

    func testDirectConvWeightGradRefusesAnExpandedImageTallerThanACInt() throws {
        let h = 1 << 31
        let x = try Tensor.ones([1]).expand([1, 1, h, 8]), gy = try Tensor.ones([1]).expand([1, 1, h, 8])
        XCTAssertEqual(message { _ = try Kernels.directConvWeightGrad(x: x, gy: gy, weightShape: [1, 1, 1, 1], Conv2dParams()) },
                       "conv2d backward: The value of h(2147483648) is too large to fit into a int (4 bytes)")
    }
}
