import XCTest
@testable import NN
import TensorCore

/// Layer reprs, compared with the text PyTorch 2.x prints for the same constructors.
final class ReprTests: XCTestCase {
    func testLeafReprs() throws {
        XCTAssertEqual(try Conv2d(1, 64, kernelSize: .int(7), stride: .int(2), padding: .sizes([3])).repr,
                       "Conv2d(1, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3))")
        XCTAssertEqual(try Conv2d(4, 8, kernelSize: .tuple([3, 2]), padding: .same, dilation: .int(2), groups: 2, bias: false,
                                  paddingMode: "reflect").repr,
                       "Conv2d(4, 8, kernel_size=(3, 2), stride=(1, 1), padding=same, dilation=(2, 2), groups=2, bias=False, padding_mode=reflect)")
        XCTAssertEqual(try Conv1d(3, 5, kernelSize: .int(3)).repr, "Conv1d(3, 5, kernel_size=(3,), stride=(1,))")
        XCTAssertEqual(try ConvTranspose2d(4, 6, kernelSize: .int(3), stride: .int(2), padding: .int(1), outputPadding: .int(1)).repr,
                       "ConvTranspose2d(4, 6, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))")
        XCTAssertEqual(try Linear(3, 4).repr, "Linear(in_features=3, out_features=4, bias=True)")
        XCTAssertEqual(try MaxPool2d(kernelSize: .int(2)).repr,
                       "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)")
        XCTAssertEqual(try MaxPool2d(kernelSize: .int(3), stride: .int(2), padding: .int(1)).repr,
                       "MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)")
        XCTAssertEqual(try AvgPool2d(kernelSize: .tuple([2, 2]), divisorOverride: 3).repr,
                       "AvgPool2d(kernel_size=(2, 2), stride=(2, 2), padding=0)")
        XCTAssertEqual(try MaxUnpool2d(kernelSize: .int(2)).repr, "MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))")
        XCTAssertEqual(AdaptiveAvgPool2d(outputSize: .tuple([1, 1])).repr, "AdaptiveAvgPool2d(output_size=(1, 1))")
        XCTAssertEqual(AdaptiveMaxPool2d(outputSize: .tuple([nil, 7])).repr, "AdaptiveMaxPool2d(output_size=(None, 7))")
        XCTAssertEqual(Flatten().repr, "Flatten(start_dim=1, end_dim=-1)")
        XCTAssertEqual(Identity().repr, "Identity()")
        XCTAssertEqual(try Dropout().repr, "Dropout(p=0.5, inplace=False)")
        XCTAssertEqual(try Dropout2d(p: 0.25).repr, "Dropout2d(p=0.25, inplace=False)")
        XCTAssertEqual(try BatchNorm2d(64).repr, "BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)")
        XCTAssertEqual(try BatchNorm1d(8, momentum: nil, affine: false).repr,
                       "BatchNorm1d(8, eps=1e-05, momentum=None, affine=False, bias=False, track_running_stats=True)")
        XCTAssertEqual(ReLU().repr, "ReLU()")
        XCTAssertEqual(ReLU(inplace: true).repr, "ReLU(inplace=True)")
        XCTAssertEqual(LeakyReLU().repr, "LeakyReLU(negative_slope=0.01)")
        XCTAssertEqual(try PReLU().repr, "PReLU(num_parameters=1)")
        XCTAssertEqual(RReLU().repr, "RReLU(lower=0.125, upper=0.3333333333333333)")
        XCTAssertEqual(ELU().repr, "ELU(alpha=1.0)")
        XCTAssertEqual(try GELU().repr, "GELU(approximate='none')")
        XCTAssertEqual(Sigmoid().repr, "Sigmoid()")
        XCTAssertEqual(Tanh().repr, "Tanh()")
        XCTAssertEqual(Softmax(dim: 1).repr, "Softmax(dim=1)")
        XCTAssertEqual(LogSoftmax().repr, "LogSoftmax(dim=None)")
        XCTAssertEqual(try CrossEntropyLoss().repr, "CrossEntropyLoss()")
        XCTAssertEqual(try MSELoss().repr, "MSELoss()")
    }

    func testNestedSequentialRepr() throws {
        let net = Sequential([
            Sequential([try Conv2d(1, 6, kernelSize: .int(5), padding: .sizes([2])), Sigmoid()]),
            try MaxPool2d(kernelSize: .int(2), stride: .int(2)),
            Flatten(),
            try Linear(16, 10),
        ])
        XCTAssertEqual(net.repr, """
        Sequential(
          (0): Sequential(
            (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))
            (1): Sigmoid()
          )
          (1): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
          (2): Flatten(start_dim=1, end_dim=-1)
          (3): Linear(in_features=16, out_features=10, bias=True)
        )
        """)
        XCTAssertEqual(Sequential([]).repr, "Sequential()")
    }

    func testSliceKeepsNamesAndParametersAreDotted() throws {
        let net = Sequential([try Linear(2, 3), ReLU(), try Linear(3, 1)])
        let tail = try net.slice(start: 1, stop: nil, step: nil)
        XCTAssertEqual(tail.childNames, ["1", "2"])
        XCTAssertEqual(net.namedParameters().map { $0.0 }, ["0.weight", "0.bias", "2.weight", "2.bias"])
        XCTAssertEqual(net.parameterCount(), 2 * 3 + 3 + 3 + 1)
        let bn = try BatchNorm2d(4)
        XCTAssertEqual(Sequential([bn]).stateDict().map { $0.0 },
                       ["0.weight", "0.bias", "0.running_mean", "0.running_var", "0.num_batches_tracked"])
    }

    func testSharedParametersCountOnce() throws {
        let fc = try Linear(4, 4)
        let net = Sequential([fc, ReLU(), fc])
        XCTAssertEqual(net.parameters().count, 2)
        XCTAssertEqual(net.parameterCount(), 20)
    }

    func testTrainEvalPropagates() throws {
        let net = Sequential([try Dropout(), Sequential([try BatchNorm2d(2)])])
        net.eval()
        XCTAssertFalse(try XCTUnwrap(net.namedModules().last?.1).training)
        net.train()
        XCTAssertTrue(try XCTUnwrap(net.namedModules().last?.1).training)
    }

    func testAssignedWeightShapeIsChecked() throws {
        let fc = try Linear(3, 4)
        XCTAssertThrowsError(try fc.assignParameter("weight", try Tensor.zeros([3, 3]))) { e in
            XCTAssertEqual(e as? TensorError, .shape("cannot assign a tensor of shape torch.Size([3, 3]) to parameter 'weight' of shape torch.Size([4, 3])"))
        }
        try fc.assignParameter("weight", try Tensor.ones([4, 3]))
        XCTAssertEqual(fc.parameter("weight")?.toFloats(), [Float](repeating: 1, count: 12))
    }

    func testDefaultInitBounds() throws {
        let conv = try Conv2d(3, 8, kernelSize: .int(3))
        let bound = Float(1 / (27.0).squareRoot())
        let w = try XCTUnwrap(conv.weight).toFloats(), b = try XCTUnwrap(conv.bias).toFloats()
        XCTAssertTrue(w.allSatisfy { abs($0) <= bound })
        XCTAssertTrue(b.allSatisfy { abs($0) <= bound })
        // Not all equal: really random.
        XCTAssertGreaterThan(Set(w).count, 100)
    }

    func testPythonFloatRepr() {
        XCTAssertEqual(PyFormat.float(1e-05), "1e-05")
        XCTAssertEqual(PyFormat.float(0.1), "0.1")
        XCTAssertEqual(PyFormat.float(1.0), "1.0")
        XCTAssertEqual(PyFormat.float(1e16), "1e+16")
        XCTAssertEqual(PyFormat.float(1e15), "1000000000000000.0")
        XCTAssertEqual(PyFormat.float(0.0001), "0.0001")
        XCTAssertEqual(PyFormat.float(Double(Float(4.0 / 3))), "1.3333333730697632")
        XCTAssertEqual(PyFormat.float(-2.5e-7), "-2.5e-07")
        XCTAssertEqual(PyFormat.float(123456.789), "123456.789")
    }
}
