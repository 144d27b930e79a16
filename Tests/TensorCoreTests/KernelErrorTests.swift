import XCTest
import TensorCore

/// Kernel errors carry PyTorch's words.
final class KernelErrorTests: XCTestCase {
    func message(_ body: () throws -> Any) -> String? {
        do { _ = try body(); return nil } catch let e as TensorError { return e.description } catch { return "\(error)" }
    }

    func expect(_ expected: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Any) {
        XCTAssertEqual(message(body), expected, file: file, line: line)
    }

    func testConvolutionMessages() throws {
        let w = try Tensor.zeros([64, 3, 7, 7])
        expect("Given groups=1, weight of size [64, 3, 7, 7], expected input[1, 32, 256, 256] to have 3 channels, but got 32 channels instead") {
            try Kernels.conv2d(try Tensor.zeros([1, 32, 256, 256]), w, nil)
        }
        // Unbatched input is reported with its batch dimension added, as PyTorch does.
        expect("Given groups=1, weight of size [64, 3, 7, 7], expected input[1, 1, 9, 9] to have 3 channels, but got 1 channels instead") {
            try Kernels.conv2d(try Tensor.zeros([1, 9, 9]), w, nil)
        }
        expect("Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size") {
            try Kernels.conv2d(try Tensor.zeros([1, 1, 2, 2]), try Tensor.zeros([1, 1, 3, 3]), nil)
        }
        expect("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [1, 2]") {
            try Kernels.conv2d(try Tensor.zeros([1, 2]), w, nil)
        }
        expect("Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [4]") {
            try Kernels.conv1d(try Tensor.zeros([4]), try Tensor.zeros([1, 1, 1]), nil)
        }
        expect("Given groups=1, weight of size [4, 3, 3], expected input[2, 5, 10] to have 3 channels, but got 5 channels instead") {
            try Kernels.conv1d(try Tensor.zeros([2, 5, 10]), try Tensor.zeros([4, 3, 3]), nil)
        }
        expect("Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size [3, 2, 3, 3] instead") {
            try Kernels.conv2d(try Tensor.zeros([1, 4, 5, 5]), try Tensor.zeros([3, 2, 3, 3]), nil, groups: 2)
        }
        expect("Given weight of size [4, 3, 3, 3], expected bias to be 1-dimensional with 4 elements, but got bias of size [3] instead") {
            try Kernels.conv2d(try Tensor.zeros([1, 3, 5, 5]), try Tensor.zeros([4, 3, 3, 3]), try Tensor.zeros([3]))
        }
        expect("padding='same' is not supported for strided convolutions") {
            try Kernels.conv2d(try Tensor.zeros([1, 3, 5, 5]), try Tensor.zeros([4, 3, 3, 3]), nil, stride: (2, 2), padding: .same)
        }
        expect("negative padding is not supported") {
            try Kernels.conv2d(try Tensor.zeros([1, 3, 5, 5]), try Tensor.zeros([4, 3, 3, 3]), nil, padding: .sizes([-1]))
        }
        expect("non-positive stride is not supported") {
            try Kernels.conv2d(try Tensor.zeros([1, 3, 5, 5]), try Tensor.zeros([4, 3, 3, 3]), nil, stride: (0, 1))
        }
    }

    func testConvTransposeMessages() throws {
        let w = try Tensor.zeros([4, 6, 3, 3])
        expect("output padding must be smaller than either stride or dilation, but got output_padding_height: 2 output_padding_width: 2 stride_height: 2 stride_width: 2 dilation_height: 1 dilation_width: 1") {
            try Kernels.convTranspose2d(try Tensor.zeros([1, 4, 5, 5]), w, nil, ConvTranspose2dParams(stride: (2, 2), outputPadding: (2, 2)))
        }
        expect("Given transposed=1, weight of size [4, 6, 3, 3], expected input[1, 5, 5, 5] to have 4 channels, but got 5 channels instead") {
            try Kernels.convTranspose2d(try Tensor.zeros([1, 5, 5, 5]), w, nil, ConvTranspose2dParams())
        }
        expect("Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: [4, 5]") {
            try Kernels.convTranspose2d(try Tensor.zeros([4, 5]), w, nil, ConvTranspose2dParams())
        }
        expect("Given input size per channel: (1 x 1). Calculated output size per channel: (-1 x -1). Output size is too small") {
            try Kernels.convTranspose2d(try Tensor.zeros([1, 4, 1, 1]), w, nil, ConvTranspose2dParams(padding: (2, 2)))
        }
    }

    func testPoolingMessages() throws {
        expect("pad should be at most half of effective kernel size, but got pad=2, kernel_size=3 and dilation=1") {
            try Kernels.maxPool2d(try Tensor.zeros([1, 1, 8, 8]), Pool2dParams(kernel: (3, 3), padding: (2, 2)))
        }
        expect("pad should be at most half of effective kernel size, but got pad=2, kernel_size=2 and dilation=1") {
            try Kernels.avgPool2d(try Tensor.zeros([1, 1, 8, 8]), Pool2dParams(kernel: (2, 2), padding: (2, 2)))
        }
        expect("Given input size: (3x2x2). Calculated output size: (3x0x0). Output size is too small") {
            try Kernels.maxPool2d(try Tensor.zeros([1, 3, 2, 2]), Pool2dParams(kernel: (3, 3)))
        }
        expect("Given input size: (3x2x2). Calculated output size: (3x0x0). Output size is too small") {
            try Kernels.avgPool2d(try Tensor.zeros([3, 2, 2]), Pool2dParams(kernel: (3, 3)))
        }
        expect("non-empty 3D or 4D (batch mode) tensor expected for input") {
            try Kernels.maxPool2d(try Tensor.zeros([4, 4]), Pool2dParams(kernel: (2, 2)))
        }
        expect("Found an invalid max index: 16 (output volumes are of size 4x4)") {
            try Kernels.maxUnpool2d(try Tensor.zeros([1, 1, 2, 2]), try Tensor(ints: [0, 1, 2, 16], shape: [1, 1, 2, 2]), kernel: (2, 2))
        }
        expect("invalid output_size \"[9, 4]\" (dim 0 must be between 2 and 6)") {
            try Kernels.maxUnpool2d(try Tensor.zeros([1, 1, 2, 2]), try Tensor(ints: [0, 1, 2, 3], shape: [1, 1, 2, 2]),
                                    kernel: (2, 2), outputSize: [9, 4])
        }
    }

    func testNormalizationAndActivationMessages() throws {
        expect("Expected more than 1 value per channel when training, got input size torch.Size([1, 8])") {
            try Kernels.batchNorm(try Tensor.zeros([1, 8]), runningMean: nil, runningVar: nil, weight: nil, bias: nil,
                                  BatchNormParams(training: true))
        }
        expect("running_mean should contain 8 elements not 3") {
            try Kernels.batchNorm(try Tensor.zeros([2, 8]), runningMean: try Tensor.zeros([3]), runningVar: try Tensor.ones([8]),
                                  weight: nil, bias: nil, BatchNormParams(training: false))
        }
        expect("Mismatch of parameter numbers and input channel size. Found parameter numbers = 2 and channel size = 3.") {
            try Kernels.prelu(try Tensor.zeros([1, 3, 2]), try Tensor.zeros([2]))
        }
        expect("dropout probability has to be between 0 and 1, but got 1.5") {
            try Kernels.dropout(try Tensor.zeros([2]), p: 1.5)
        }
        expect("Dimension out of range (expected to be in range of [-2, 1], but got 2)") {
            try Kernels.softmax(try Tensor.zeros([2, 2]), dim: 2)
        }
        expect("Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (3, 3) at dimension 2 of input [1, 3, 3]") {
            try Kernels.pad(try Tensor.zeros([1, 3, 3]), [3, 3], mode: .reflect)
        }
    }
}

extension KernelErrorTests {
    func testAbsurdArgumentsThrowInsteadOfTrapping() throws {
        let x = try Tensor.zeros([1, 1, 4, 4]), w = try Tensor.zeros([1, 1, 3, 3])
        XCTAssertNotNil(message { try Kernels.conv2d(x, w, nil, stride: (Int.max, 1)) })
        XCTAssertNotNil(message { try Kernels.conv2d(x, w, nil, dilation: (1 << 62, 1)) })
        XCTAssertNotNil(message { try Kernels.conv2d(x, w, nil, padding: .sizes([Int.max])) })
        XCTAssertNotNil(message { try Kernels.convTranspose2d(x, w, nil, ConvTranspose2dParams(stride: (1 << 40, 1 << 40))) })
        XCTAssertNotNil(message { try Kernels.maxPool2d(x, Pool2dParams(kernel: (Int.max, 2))) })
        XCTAssertNotNil(message { try Kernels.avgPool2d(x, Pool2dParams(kernel: (2, 2), stride: (Int.min, 1))) })
        XCTAssertNotNil(message { try Kernels.adaptiveAvgPool2d(x, outputSize: (1 << 40, 1 << 40)) })
        XCTAssertNotNil(message { try Kernels.adaptiveMaxPool2d(x, outputSize: (1 << 20, 1 << 20)) })
        XCTAssertNotNil(message { try Kernels.pad(x, [1 << 40, 0]) })
        XCTAssertNotNil(message { try Kernels.pad(x, [1 << 30, 1 << 30, 1 << 30, 0]) })
        XCTAssertNotNil(message { try Kernels.maxUnpool2d(x, try Tensor.zeros([1, 1, 4, 4], dtype: .int64), kernel: (1 << 30, 1 << 30)) })
    }
}
