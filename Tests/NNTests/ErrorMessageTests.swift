import XCTest
@testable import NN
import TensorCore

/// Shape errors worded as PyTorch words them.
final class ErrorMessageTests: XCTestCase {
    func message(_ body: () throws -> Any) -> String? {
        do { _ = try body(); return nil } catch let e as TensorError { return e.description } catch { return "\(error)" }
    }

    func testLinearMismatch() throws {
        let fc = try Linear(256, 10)
        XCTAssertEqual(message { try fc(try Tensor.zeros([1, 512])) },
                       "mat1 and mat2 shapes cannot be multiplied (1x512 and 256x10)")
    }

    func testConvChannelMismatch() throws {
        let conv = try Conv2d(3, 64, kernelSize: .int(7))
        XCTAssertEqual(message { try conv(try Tensor.zeros([1, 32, 256, 256])) },
                       "Given groups=1, weight of size [64, 3, 7, 7], expected input[1, 32, 256, 256] to have 3 channels, but got 32 channels instead")
    }

    func testKernelLargerThanInput() throws {
        let conv = try Conv2d(1, 1, kernelSize: .int(3))
        XCTAssertEqual(message { try conv(try Tensor.zeros([1, 1, 2, 2])) },
                       "Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size")
    }

    func testBatchNormNeedsMoreThanOneValue() throws {
        let bn = try BatchNorm1d(8)
        XCTAssertEqual(message { try bn(try Tensor.zeros([1, 8])) },
                       "Expected more than 1 value per channel when training, got input size torch.Size([1, 8])")
        bn.eval()
        XCTAssertNil(message { try bn(try Tensor.zeros([1, 8])) })
    }

    func testBadReshapeDimBroadcastAndSizes() throws {
        let x = try Tensor.zeros([2, 3])
        XCTAssertEqual(message { try x.reshape([4]) }, "shape '[4]' is invalid for input of size 6")
        XCTAssertEqual(message { try x.sum(dims: [5]) }, "Dimension out of range (expected to be in range of [-2, 1], but got 5)")
        XCTAssertEqual(message { try Tensor.binary(.add, x, try Tensor.zeros([4])) },
                       "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1")
        XCTAssertEqual(message { try Tensor.zeros([3, -2]) }, "Trying to create tensor with negative dimension -2: [3, -2]")
        XCTAssertEqual(message { try Linear(-1, 3) }, "Trying to create tensor with negative dimension -1: [3, -1]")
        XCTAssertEqual(message { try MaxPool2d(kernelSize: .int(2))(try Tensor.zeros([1, 1, 1, 1])) },
                       "Given input size: (1x1x1). Calculated output size: (1x0x0). Output size is too small")
        XCTAssertEqual(message { try Tensor.zeros([100_000, 100_000]) },
                       "needs 37.25 GiB, over the limit of \(formatGiB(Storage.limitBytes))")
    }

    func testResidualShapeMismatchNamesTheFix() throws {
        let r = Residual(body: try Conv2d(3, 8, kernelSize: .int(3), padding: .sizes([1])))
        XCTAssertEqual(message { try r(try Tensor.zeros([1, 3, 4, 4])) },
                       "Residual: body output torch.Size([1, 8, 4, 4]) and shortcut output torch.Size([1, 3, 4, 4]) differ; give the Residual a shortcut (e.g. a 1x1 Conv2d with the body's stride) that maps the input to torch.Size([1, 8, 4, 4])")
    }
}
