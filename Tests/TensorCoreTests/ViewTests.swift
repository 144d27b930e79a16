import XCTest
@testable import TensorCore

/// Views share storage as PyTorch's do; writes through one are seen through all.
final class ViewTests: XCTestCase {
    func ar(_ n: Int, _ shape: [Int]) throws -> Tensor {
        try Tensor.arange(start: 0, end: Double(n), step: 1, dtype: .float32).reshape(shape)
    }

    func testTransposeSharesStorage() throws {
        let x = try ar(6, [2, 3])
        let t = try x.transpose(0, 1)
        XCTAssertEqual(t.shape, [3, 2])
        XCTAssertTrue(t.sharesStorage(with: x))
        XCTAssertEqual(t.toFloats(), [0, 3, 1, 4, 2, 5])
        XCTAssertFalse(t.isContiguous)
        XCTAssertEqual(x.T.toFloats(), t.toFloats())
    }

    func testViewOfTransposedNeedsReshape() throws {
        let t = try ar(6, [2, 3]).transpose(0, 1)
        XCTAssertThrowsError(try t.view([6])) { e in
            XCTAssertEqual(e as? TensorError, .shape("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead."))
        }
        let r = try t.reshape([6])
        XCTAssertFalse(r.sharesStorage(with: t))
        XCTAssertEqual(r.toFloats(), [0, 3, 1, 4, 2, 5])
    }

    func testReshapeErrorsAndInference() throws {
        let x = try ar(12, [3, 4])
        XCTAssertEqual(try x.reshape([2, -1]).shape, [2, 6])
        XCTAssertThrowsError(try x.reshape([5, -1])) { e in
            XCTAssertEqual(e as? TensorError, .shape("shape '[5, -1]' is invalid for input of size 12"))
        }
        XCTAssertThrowsError(try x.view([7])) { e in
            XCTAssertEqual(e as? TensorError, .shape("shape '[7]' is invalid for input of size 12"))
        }
        XCTAssertThrowsError(try x.reshape([-1, -1]))
    }

    func testInPlaceSeenThroughViews() throws {
        let x = try Tensor.zeros([3, 4])
        let col = try x.index([.slice(start: nil, stop: nil, step: nil), .int(1)])
        try col.fill_(7)
        let row = try x.select(dim: 0, index: 2)
        try row.add_(Tensor.scalar(1))
        XCTAssertEqual(x.toFloats(), [0, 7, 0, 0, 0, 7, 0, 0, 1, 8, 1, 1])
        try x.indexAssign([.int(0), .int(0)], .scalar(-1))
        XCTAssertEqual(x.toFloats()[0], -1)
        try x.zero_()
        XCTAssertEqual(col.toFloats(), [0, 0, 0])
    }

    func testSlicingWithStepsAndNegatives() throws {
        let x = try ar(24, [2, 3, 4])
        let v = try x.index([.ellipsis, .slice(start: nil, stop: nil, step: 2)])
        XCTAssertEqual(v.shape, [2, 3, 2])
        XCTAssertEqual(try v.select(dim: 0, index: 1).toFloats(), [12, 14, 16, 18, 20, 22])
        let last = try x.index([.int(-1), .slice(start: -2, stop: nil, step: nil), .int(-1)])
        XCTAssertEqual(last.toFloats(), [19, 23])
        XCTAssertEqual(try x.index([.newAxis, .int(0)]).shape, [1, 3, 4])
        XCTAssertThrowsError(try x.index([.int(2)])) { e in
            XCTAssertEqual(e as? TensorError, .index("index 2 is out of bounds for dimension 0 with size 2"))
        }
        XCTAssertThrowsError(try x.index([.int(0), .int(0), .int(0), .int(0)])) { e in
            XCTAssertEqual(e as? TensorError, .index("too many indices for tensor of dimension 3"))
        }
        XCTAssertEqual(try x.index([.slice(start: 5, stop: 9, step: nil)]).shape, [0, 3, 4])
    }

    func testMaskAndIndexTensors() throws {
        let x = try ar(6, [2, 3])
        let mask = try Tensor.compare(.gt, x, .scalar(2))
        XCTAssertEqual(mask.dtype, .bool)
        XCTAssertEqual(try x.index([.tensor(mask)]).toFloats(), [3, 4, 5])
        let idx = try Tensor(ints: [2, 0], shape: [2])
        XCTAssertEqual(try x.index([.slice(start: nil, stop: nil, step: nil), .tensor(idx)]).toFloats(), [2, 0, 5, 3])
        try x.indexAssign([.tensor(mask)], .scalar(0))
        XCTAssertEqual(x.toFloats(), [0, 1, 2, 0, 0, 0])
    }

    func testSqueezeUnsqueezePermuteExpand() throws {
        let x = try ar(6, [1, 2, 1, 3])
        XCTAssertEqual(try x.squeeze().shape, [2, 3])
        XCTAssertEqual(try x.squeeze(0).shape, [2, 1, 3])
        XCTAssertEqual(try x.squeeze(1).shape, [1, 2, 1, 3])
        XCTAssertEqual(try x.unsqueeze(-1).shape, [1, 2, 1, 3, 1])
        let p = try x.permute([3, 1, 0, 2])
        XCTAssertEqual(p.shape, [3, 2, 1, 1])
        XCTAssertEqual(p.toFloats(), [0, 3, 1, 4, 2, 5])
        let e = try Tensor([1, 2, 3], shape: [3, 1]).expand([3, 4])
        XCTAssertEqual(e.strides, [1, 0])
        XCTAssertEqual(e.toFloats(), [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])
        XCTAssertThrowsError(try x.permute([0, 1])) 
        XCTAssertThrowsError(try x.transpose(0, 4)) { e in
            XCTAssertEqual(e as? TensorError, .index("Dimension out of range (expected to be in range of [-4, 3], but got 4)"))
        }
        XCTAssertEqual(try x.flatten(startDim: 1).shape, [1, 6])
    }

    func testNegativeAndZeroSizes() throws {
        XCTAssertThrowsError(try Tensor.zeros([2, -1])) { e in
            XCTAssertEqual(e as? TensorError, .runtime("Trying to create tensor with negative dimension -1: [2, -1]"))
        }
        XCTAssertEqual(try Tensor.zeros([0, 3]).numel, 0)
        XCTAssertThrowsError(try Tensor.zeros([100_000, 100_000, 100])) { e in
            guard case .memory = e as? TensorError else { return XCTFail("\(e)") }
        }
    }

    func testCatStack() throws {
        let a = try ar(4, [2, 2]), b = try Tensor.ones([2, 1])
        let c = try Tensor.cat([a, b], dim: 1)
        XCTAssertEqual(c.shape, [2, 3])
        XCTAssertEqual(c.toFloats(), [0, 1, 1, 2, 3, 1])
        XCTAssertThrowsError(try Tensor.cat([a, b], dim: 0)) { e in
            XCTAssertEqual(e as? TensorError, .shape("Sizes of tensors must match except in dimension 0. Expected size 2 but got size 1 for tensor number 1 in the list."))
        }
        XCTAssertEqual(try Tensor.stack([a, a], dim: 1).shape, [2, 2, 2])
    }
}
