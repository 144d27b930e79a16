import XCTest
@testable import TensorCore

/// Elementwise maths, broadcasting, reductions, creation and matmul.
final class MathTests: XCTestCase {
    func t(_ v: [Float], _ s: [Int]) throws -> Tensor { try Tensor(v, shape: s) }

    func testBroadcastAndPromotion() throws {
        let a = try t([1, 2, 3], [3, 1]), b = try t([10, 20], [2])
        let s = try Tensor.binary(.add, a, b)
        XCTAssertEqual(s.shape, [3, 2])
        XCTAssertEqual(s.toFloats(), [11, 21, 12, 22, 13, 23])
        XCTAssertThrowsError(try Tensor.binary(.add, try t([1, 2, 3], [3]), try t([1, 2], [2]))) { e in
            XCTAssertEqual(e as? TensorError, .shape("The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0"))
        }
        let i = try Tensor(ints: [7, -7], shape: [2])
        let q = try Tensor.binary(.floorDiv, i, .scalar(int: 2))
        XCTAssertEqual(q.dtype, .int64)
        XCTAssertEqual(q.toInt64s(), [3, -4])
        XCTAssertEqual(try Tensor.binary(.mod, i, .scalar(int: 3)).toInt64s(), [1, 2])
        let d = try Tensor.binary(.div, i, .scalar(int: 2))
        XCTAssertEqual(d.dtype, .float32)
        XCTAssertEqual(d.toFloats(), [3.5, -3.5])
        XCTAssertEqual(try Tensor.binary(.mul, i, .scalar(0.5)).dtype, .float32)
    }

    func testReductions() throws {
        let x = try t([1, 2, 3, 4, 5, 6], [2, 3])
        XCTAssertEqual(try x.sum().toFloats(), [21])
        XCTAssertEqual(try x.sum(dims: [0]).toFloats(), [5, 7, 9])
        XCTAssertEqual(try x.sum(dims: [1], keepdim: true).shape, [2, 1])
        XCTAssertEqual(try x.mean(dims: [0, 1]).toFloats(), [3.5])
        XCTAssertEqual(try x.variance(dims: [1]).toFloats(), [1, 1])
        XCTAssertEqual(try x.std().item(), 1.8708287477493286, accuracy: 1e-6)
        let (v, i) = try x.extremum(dim: 1, isMax: true)
        XCTAssertEqual(v.toFloats(), [3, 6]); XCTAssertEqual(i.toInt64s(), [2, 2])
        XCTAssertEqual(try x.argExtremum(dim: nil, isMax: false).toInt64s(), [0])
        XCTAssertEqual(try x.extremumAll(isMax: true).toFloats(), [6])
        XCTAssertThrowsError(try x.sum(dims: [2])) { e in
            XCTAssertEqual(e as? TensorError, .index("Dimension out of range (expected to be in range of [-2, 1], but got 2)"))
        }
        XCTAssertThrowsError(try Tensor(ints: [1], shape: [1]).mean())
    }

    func testMatmulShapesAndErrors() throws {
        let a = try Tensor.ones([1, 512]), b = try Tensor.ones([256, 10])
        XCTAssertThrowsError(try Tensor.matmul(a, b)) { e in
            XCTAssertEqual(e as? TensorError, .shape("mat1 and mat2 shapes cannot be multiplied (1x512 and 256x10)"))
        }
        let m = try t([1, 2, 3, 4, 5, 6], [2, 3])
        XCTAssertEqual(try Tensor.matmul(m, m.T).toFloats(), [14, 32, 32, 77])
        XCTAssertEqual(try Tensor.matmul(m, try t([1, 1, 1], [3])).toFloats(), [6, 15])
        XCTAssertEqual(try Tensor.matmul(try t([1, 1, 1], [3]), try t([1, 2, 3], [3])).shape, [])
        let batched = try Tensor.matmul(try Tensor.ones([4, 2, 3]), try Tensor.ones([4, 3, 5]))
        XCTAssertEqual(batched.shape, [4, 2, 5])
        XCTAssertEqual(batched.toFloats(), [Float](repeating: 3, count: 40))
    }

    func testCreation() throws {
        XCTAssertEqual(try Tensor.eye(2, 3).toFloats(), [1, 0, 0, 0, 1, 0])
        XCTAssertEqual(try Tensor.arange(start: 0, end: 1, step: 0.25, dtype: nil).toFloats(), [0, 0.25, 0.5, 0.75])
        XCTAssertEqual(try Tensor.linspace(0, 1, steps: 5).toFloats(), [0, 0.25, 0.5, 0.75, 1])
        RandomGenerator.manualSeed(3)
        let a = try Tensor.randn([1000])
        RandomGenerator.manualSeed(3)
        let b = try Tensor.randn([1000])
        XCTAssertEqual(a.toFloats(), b.toFloats())
        let mean = try a.mean().item(), std = try a.std().item()
        XCTAssertEqual(mean, 0, accuracy: 0.1)
        XCTAssertEqual(std, 1, accuracy: 0.1)
        let r = try Tensor.rand([1000]).toFloats()
        XCTAssertTrue(r.allSatisfy { $0 >= 0 && $0 < 1 })
        let ri = try Tensor.randint(low: 3, high: 6, [500]).toInt64s()
        XCTAssertEqual(Set(ri), [3, 4, 5])
    }

    func testWhereAndCompare() throws {
        let x = try t([-1, 0, 2], [3])
        let w = try Tensor.where(try Tensor.compare(.gt, x, .scalar(0)), x, .scalar(0))
        XCTAssertEqual(w.toFloats(), [0, 0, 2])
        XCTAssertEqual(try x.clamp(min: -0.5, max: 1).toFloats(), [-0.5, 0, 1])
    }
}
