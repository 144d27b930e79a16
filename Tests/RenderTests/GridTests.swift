import Foundation
import XCTest
import NN
import TensorCore
import TestSupport
@testable import Formats
@testable import Render

final class GridTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "tensorpad-grid-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// save_image's quantisation, written out again independently.
    func q(_ x: Float) -> UInt8 { UInt8(max(0, min(255, (x * 255 + 0.5))).rounded(.towardZero)) }

    func arange(_ shape: [Int]) throws -> Tensor {
        try Tensor((0..<shape.reduce(1, *)).map { Float($0) }, shape: shape)
    }

    func testGeometryPaddingAndGlobalNormalize() throws {
        // 5 maps of 2x3 (one image, five channels), 3 a row: 2 rows of tiles.
        let t = try arange([1, 5, 2, 3])
        let g = try makeGrid(t, nrow: 3, padding: 1, padValue: 0.5)
        XCTAssertEqual(g.width, (3 + 1) * 3 + 1)
        XCTAssertEqual(g.height, (2 + 1) * 2 + 1)
        var expected = [UInt8](repeating: q(0.5), count: 13 * 7)
        for k in 0..<5 {
            for y in 0..<2 {
                for x in 0..<3 {
                    let v = Float(k * 6 + y * 3 + x)
                    expected[((k / 3) * 3 + 1 + y) * 13 + (k % 3) * 4 + 1 + x] = q((v - 0) / Float(29.0))
                }
            }
        }
        XCTAssertEqual(g.pixels, expected)
        XCTAssertEqual(g.pixels[0], 128)
        XCTAssertEqual(g.pixels[1 * 13 + 1], 0)
        XCTAssertEqual(g.pixels[(3 + 1 + 1) * 13 + 4 + 1 + 2], 255)  // last value of map 4
        // The sixth cell of the second row stays padding.
        XCTAssertEqual(g.pixels[4 * 13 + 9], 128)
    }

    func testMatchesTorchvisionMakeGrid() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        let x = try NPY.load(path: fixtures.appendingPathComponent("grid_input.npy").path)
        let cases: [(String, GreyImage)] = [
            ("default", try makeGrid(x)),
            ("nrow4_pad1_each", try makeGrid(x, nrow: 4, padding: 1, scaleEach: true, padValue: 0.3)),
            ("range", try makeGrid(x, nrow: 3, padding: 3, valueRange: (-1, 0.5))),
            ("raw", try makeGrid(x, nrow: 5, padding: 0, normalize: false)),
        ]
        for (name, g) in cases {
            let want = try NPY.load(path: fixtures.appendingPathComponent("grid_\(name).npy").path)
            XCTAssertEqual([g.height, g.width], want.shape, name)
            XCTAssertEqual(g.pixels.map { Int64($0) }, want.toInt64s(), name)
        }
    }

    func testScaleEachValueRangeAndNoNormalize() throws {
        let t = try arange([3, 1, 2, 2])
        let each = try makeGrid(t, nrow: 8, padding: 2, scaleEach: true)
        XCTAssertEqual(each.width, 3 * 4 + 2)
        XCTAssertEqual(each.height, 6)
        for k in 0..<3 {
            let row = 2 * 14 + k * 4 + 2
            XCTAssertEqual(Array(each.pixels[row..<(row + 2)]), [0, q(1 / 3)])
            XCTAssertEqual(Array(each.pixels[(row + 14)..<(row + 16)]), [q(2 / 3), 255])
        }
        let ranged = try makeGrid(t, padding: 0, valueRange: (2, 6))
        // Maps side by side, clamped to 2...6: row 0 of each map, then row 1.
        XCTAssertEqual(ranged.pixels, [0, 0, q(0.5), q(0.75), 255, 255, 0, q(0.25), 255, 255, 255, 255])
        let raw = try makeGrid(try Tensor([-1, 0.2, 0.5, 2], shape: [2, 2]), normalize: false)
        XCTAssertEqual(raw.pixels, [0, q(0.2), q(0.5), 255])
        XCTAssertEqual(raw.width, 2)  // one map: no padding, as make_grid returns it
        let constant = try makeGrid(try Tensor.full([2, 1, 2, 2], 3), padding: 1)
        XCTAssertEqual(Set(constant.pixels), [0])
        XCTAssertThrowsError(try makeGrid(Tensor.scalar(1)))
        XCTAssertThrowsError(try makeGrid(try arange([2, 2]), nrow: 0))
    }

    func testSaveGridReadsBack() throws {
        let t = try arange([2, 2, 3, 3])
        let path = try saveGrid(t, path: dir + "/g.pgm", nrow: 2, padding: 1, padValue: 1, scale: 2)
        let g = try makeGrid(t, nrow: 2, padding: 1, padValue: 1)
        XCTAssertEqual(g.width, 9); XCTAssertEqual(g.height, 9)
        let back = try PGM.read(path: path)
        XCTAssertEqual(back.shape, [1, 18, 18])
        let px = back.toFloats().map { Int(($0 * 255).rounded()) }
        for y in 0..<18 { for x in 0..<18 { XCTAssertEqual(px[y * 18 + x], Int(g.pixels[(y / 2) * 9 + x / 2])) } }
        XCTAssertEqual(px[0], 255)
    }

    func testSavePGM16BitScaled() throws {
        let t = try Tensor([0, 1, 2, 3, 4, 5], shape: [1, 3, 2])
        let path = try savePGM(t, path: dir + "/a.pgm", scale: 2, bits: 16)
        let data = try FileIO.read(path: path)
        let header = Array("P5\n4 6\n65535\n".utf8)
        XCTAssertEqual(Array(data.prefix(header.count)), header)
        let body = Array(data.dropFirst(header.count))
        XCTAssertEqual(body.count, 4 * 6 * 2)
        let samples = (0..<24).map { Int(body[2 * $0]) << 8 | Int(body[2 * $0 + 1]) }
        let want = [0, 1, 2, 3, 4, 5].map { Int((Double($0) / 5 * 65535 + 0.5).rounded(.down)) }
        for y in 0..<6 { for x in 0..<4 { XCTAssertEqual(samples[y * 4 + x], want[(y / 2) * 2 + x / 2]) } }
        XCTAssertEqual(try PGM.read(path: path).shape, [1, 6, 4])

        let clamped = try savePGM(try Tensor([-1, 0.5, 1, 3], shape: [2, 2]), path: dir + "/b.pgm", normalize: false)
        XCTAssertEqual(Array(try FileIO.read(path: clamped).suffix(4)), [0, 128, 255, 255])
        let ranged = try savePGM(try Tensor([0, 5, 10, 20], shape: [2, 2]), path: dir + "/c.pgm", normalize: false, valueRange: (0, 10))
        XCTAssertEqual(Array(try FileIO.read(path: ranged).suffix(4)), [0, 128, 255, 255])
        let constant = try savePGM(try Tensor.full([2, 2], 7), path: dir + "/d.pgm")
        XCTAssertEqual(Array(try FileIO.read(path: constant).suffix(4)), [0, 0, 0, 0])
        XCTAssertThrowsError(try savePGM(try Tensor.zeros([2, 2, 2]), path: dir + "/e.pgm"))
        XCTAssertThrowsError(try savePGM(try Tensor.zeros([2, 2]), path: dir + "/e.pgm", bits: 12))
        XCTAssertThrowsError(try savePGM(try Tensor.zeros([2, 2]), path: dir + "/no/such/dir/e.pgm"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/e.pgm"))
    }

    func testFeatureMapsWritesOneGridPerLayerWithoutSideEffects() throws {
        let bn = try BatchNorm2d(2)
        let net = Sequential([try Conv2d(1, 2, kernelSize: .int(3), padding: .sizes([1])), bn, ReLU(),
                              Residual(body: try Conv2d(2, 2, kernelSize: .int(1))), Flatten(), try Linear(32, 3)])
        net.train()
        let out = dir + "/maps/deeper"
        let paths = try featureMaps(net, try Tensor.randn([1, 1, 4, 4]), dir: out)
        XCTAssertEqual(paths.map { ($0 as NSString).lastPathComponent },
                       ["01_Conv2d.pgm", "02_BatchNorm2d.pgm", "03_ReLU.pgm", "04_Residual.pgm", "05_Flatten.pgm", "06_Linear.pgm"])
        XCTAssertEqual(try PGM.read(path: paths[0]).shape, [1, 4 + 2 * 2, 2 * 4 + 3 * 2])
        XCTAssertEqual(try PGM.read(path: paths[5]).shape, [1, 1, 3])
        XCTAssertEqual(bn.buffer("num_batches_tracked")?.toDoubles(), [0])
        XCTAssertEqual(bn.buffer("running_mean")?.toDoubles(), [0, 0])
        XCTAssertTrue(net.namedModules().allSatisfy { $0.1.training })
    }

    func testNetpbmAcceptsOurFiles() throws {
        let path = try savePGM(try arange([3, 5]), path: dir + "/n.pgm", bits: 16)
        let text = try Netpbm.describe(path)
        XCTAssertTrue(text.contains("5 by 3"), text)
        XCTAssertTrue(text.contains("65535"), text)
    }
}
