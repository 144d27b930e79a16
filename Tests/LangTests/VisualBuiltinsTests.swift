import XCTest
import Foundation
import NN
import TensorCore
import Render
import TestSupport
@testable import Lang

/// SPEC §7 from the language: what table/show/summary/shapes print (through
/// the interpreter's output), the pixels save_pgm/save_grid write, and the
/// PNGs recorded for notebooks.
final class VisualBuiltinsTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-visual-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func testTablePrintsThroughTheInterpreterAndReturnsNone() throws {
        let out = try runProgram("r = table(torch.tensor([[1.5, -2.0], [0.25, 10.0]]), precision=2)\nprint(r)")
        XCTAssertEqual(out, """
        ┌───┬──────┬───────┐
        │   │    0 │     1 │
        ├───┼──────┼───────┤
        │ 0 │ 1.50 │ -2.00 │
        │ 1 │ 0.25 │ 10.00 │
        └───┴──────┴───────┘
        None

        """)
    }

    func testShowPlainAndColour() throws {
        let out = try runProgram("show(torch.arange(8.0).reshape(2, 4), width=20, color=False)")
        // without colour, rows are averaged in pairs (a character is about twice as tall as wide)
        XCTAssertEqual(out, "[2×4]\n-=+*\nmin 0 [ .:-=+*#%@] max 7\n")
        let colour = try runProgram("show(torch.arange(4.0).reshape(2, 2), color=True)")
        XCTAssertTrue(colour.contains("\u{1B}[38;5;232m") && colour.contains("▀"), colour)
        XCTAssertEqual(errorLine("show(torch.zeros(1, 1, 1, 2, 2))").prefix(11), "ValueError:")
        XCTAssertEqual(errorLine("show(torch.zeros(2, 2), height=0)"), "ValueError: show(): height must be positive, but got 0")
        XCTAssertEqual(errorLine("show(torch.zeros(2, 2), width=0)"), "ValueError: show(): width must be positive, but got 0")
    }

    func testSummaryPrintsTheTableOfRender() throws {
        let out = try runProgram("summary(nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8, 3)), (1, 1, 4, 4))")
        let net = Sequential([try Conv2d(1, 2, kernelSize: .int(3)), ReLU(), Flatten(), try Linear(8, 3)])
        XCTAssertEqual(out, try Render.summary(net, inputSize: [1, 1, 4, 4]) + "\n")
        XCTAssertTrue(out.contains("├─Linear: 1-4                            [1, 3]                    27"), out)
        // torchinfo's list of one input size is accepted too
        XCTAssertEqual(try runProgram("summary(nn.Linear(2, 3), [(1, 2)], depth=1)"),
                       try Render.summary(try Linear(2, 3), inputSize: [1, 2], depth: 1) + "\n")
        XCTAssertTrue(errorLine("summary(nn.Linear(2, 3), [(1, 2), (1, 2)])").hasPrefix("TypeError: summary(): models with several inputs"))
    }

    func testSummaryShapeErrorPrintsTheRowsSoFarAndNamesTheFix() throws {
        let interp = Interpreter()
        var out = ""
        interp.output = { out += $0 }
        XCTAssertThrowsError(try interp.run("summary(nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(16, 10)), (1, 4))")) { e in
            let l = LangError.from(e)
            XCTAssertEqual(l.kind, .ShapeError)
            XCTAssertEqual(l.message, "Linear: 1-3 ('2') failed: mat1 and mat2 shapes cannot be multiplied (1x8 and 16x10)\n"
                           + "  it receives 8 input features; use nn.Linear(8, 10)")
        }
        XCTAssertTrue(out.contains("├─Linear: 1-1                            [1, 8]                    40"), out)
        XCTAssertTrue(out.contains("├─Linear: 1-3                            --                        170"), out)
        XCTAssertFalse(out.contains("Total params"), out)
        XCTAssertTrue(out.hasSuffix("=\n"), out)
    }

    func testShapesPrintsEachLayerAndStopsAtTheFailingOne() throws {
        XCTAssertEqual(try runProgram("shapes(nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten()), torch.zeros(1, 1, 5, 5))"),
                       "Conv2d output shape:\t torch.Size([1, 2, 3, 3])\nFlatten output shape:\t torch.Size([1, 18])\n")
        let out = try runProgram("shapes(nn.Sequential(nn.Flatten(), nn.Linear(3, 2)), torch.zeros(1, 2, 2))")
        XCTAssertEqual(out, """
        Flatten output shape:\t torch.Size([1, 4])
        ShapeError: Linear ('1') failed: mat1 and mat2 shapes cannot be multiplied (1x4 and 3x2)
          it receives 4 input features; use nn.Linear(4, 2)
          --> cell 1, line 1:1
           |
         1 | shapes(nn.Sequential(nn.Flatten(), nn.Linear(3, 2)), torch.zeros(1, 2, 2))
           | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        """)
    }

    func testSavePGMPixelsMatchTheFormula() throws {
        let p = dir + "/a.pgm"
        XCTAssertEqual(try runProgram("print(save_pgm(torch.arange(6.0).reshape(2, 3) * 2 - 1, '\(p)'))"), p + "\n")
        var f = try PGMFile(path: p)
        XCTAssertEqual([f.width, f.height, f.maxval], [3, 2, 255])
        // normalize: min → 0, max → 255, rounded half up
        XCTAssertEqual(f.samples, (0..<6).map { Int((Double($0) / 5 * 255 + 0.5).rounded(.down)) })

        _ = try runProgram("save_pgm(torch.tensor([[[-1.0, 2.5], [5.0, 12.0]]]), '\(p)', normalize=False, value_range=(0, 10), scale=2)")
        f = try PGMFile(path: p)
        XCTAssertEqual([f.width, f.height], [4, 4])
        let row0 = [0.0, 2.5].map { Int((min(max($0, 0), 10) / 10 * 255 + 0.5).rounded(.down)) }
        let row1 = [5.0, 12.0].map { Int((min(max($0, 0), 10) / 10 * 255 + 0.5).rounded(.down)) }
        func twice(_ r: [Int]) -> [Int] { r.flatMap { [$0, $0] } }
        XCTAssertEqual(f.samples, twice(row0) + twice(row0) + twice(row1) + twice(row1))

        _ = try runProgram("save_pgm(torch.tensor([[0.0, 0.25, 1.0]]), '\(p)', normalize=False, bits=16)")
        f = try PGMFile(path: p)
        XCTAssertEqual(f.maxval, 65535)
        XCTAssertEqual(f.samples, [0, Int((0.25 * 65535 + 0.5).rounded(.down)), 65535])
        XCTAssertTrue(try Netpbm.describe(p).contains("3 by 1  maxval 65535"))

        XCTAssertEqual(try runProgram("x = load_pgm('\(p)')\nprint(x.shape, x[0, 0, 2].item())"), "torch.Size([1, 1, 3]) 1.0\n")
    }

    func testSaveGridTilesWithPadding() throws {
        let p = dir + "/g.pgm"
        _ = try runProgram("save_grid(torch.arange(12.0).reshape(3, 2, 2), '\(p)', nrow=2, padding=1, pad_value=1)")
        let f = try PGMFile(path: p)
        // 2 tiles a row, 2 rows: 2·(2+1)+1 = 7 each way
        XCTAssertEqual([f.width, f.height], [7, 7])
        var expected = [Int](repeating: 255, count: 49)
        for k in 0..<3 {
            let top = (k / 2) * 3 + 1, left = (k % 2) * 3 + 1
            for y in 0..<2 {
                for x in 0..<2 {
                    let v = Float(k * 4 + y * 2 + x) / 11
                    expected[(top + y) * 7 + left + x] = Int(min(max(v * 255 + 0.5, 0), 255))
                }
            }
        }
        XCTAssertEqual(f.samples, expected)
        XCTAssertTrue(try Netpbm.describe(p).contains("PGM raw, 7 by 7  maxval 255"))
    }

    func testFeatureMapsReturnsThePathsItWrote() throws {
        let out = try runProgram("""
        paths = feature_maps(nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(), nn.Flatten()), torch.rand(1, 1, 6, 6), '\(dir)/fm')
        print([p.split('/')[-1] for p in paths])
        """)
        XCTAssertEqual(out, "['01_Conv2d.pgm', '02_ReLU.pgm', '03_Flatten.pgm']\n")
        let grid = try PGMFile(path: dir + "/fm/01_Conv2d.pgm")
        XCTAssertEqual([grid.width, grid.height], [3 * 4 + 4 * 2, 4 + 2 * 2])
        XCTAssertTrue(try Netpbm.describe(dir + "/fm/03_Flatten.pgm").contains("48 by 1"))
    }

    func testFileErrorsAreIOErrorsWithTheReason() throws {
        XCTAssertEqual(errorLine("load_pgm('\(dir)/missing.pgm')"), "IOError: [Errno 2] No such file or directory: '\(dir)/missing.pgm'")
        try Data("P6\n1 1\n255\n\0\0\0".utf8).write(to: URL(fileURLWithPath: dir + "/rgb.ppm"))
        let bad = errorLine("load_pgm('\(dir)/rgb.ppm')")
        XCTAssertTrue(bad.hasPrefix("IOError: ") && bad.contains("not a PGM file (magic must be P2 or P5)"), bad)
        XCTAssertTrue(errorLine("save_pgm(torch.zeros(2, 2), '\(dir)/no/such/dir/x.pgm')").hasPrefix("IOError: "))
        XCTAssertTrue(errorLine("save_pgm(torch.zeros(2, 2, 2), '\(dir)/x.pgm')").hasPrefix("ValueError: save_pgm expects a 2-D tensor"))
        XCTAssertEqual(errorLine("save_pgm(torch.zeros(2, 2), 3)"), "TypeError: save_pgm(): argument 'path' must be str, not int")
        XCTAssertEqual(errorLine("save_pgm(torch.zeros(2, 2), '\(dir)/x.pgm', value_range=(1,))"),
                       "ValueError: save_pgm(): value_range must have 2 numbers (low, high), but got 1")
    }

    func testImagesAreRecordedAsPNGsWhileACellRuns() throws {
        let interp = Interpreter()
        interp.output = { _ in }
        ImageLog.shared.begin()
        try interp.run("""
        show(torch.arange(6.0).reshape(2, 3), color=False)
        save_pgm(torch.ones(3, 5), '\(dir)/one.pgm')
        save_grid(torch.rand(4, 2, 2), '\(dir)/grid.pgm', nrow=2)
        """)
        let images = ImageLog.shared.end()
        XCTAssertEqual(images.map { $0.path }, [nil, dir + "/one.pgm", dir + "/grid.pgm"])
        for img in images {
            XCTAssertEqual(Array(img.png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        }
        func size(_ png: Data) -> [Int] {
            let b = [UInt8](png)
            func be32(_ at: Int) -> Int { Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3]) }
            return [be32(16), be32(20)]
        }
        XCTAssertEqual(size(images[0].png), [3 * 8, 2 * 8])   // small maps are enlarged
        XCTAssertEqual(size(images[1].png), [5, 3])
        XCTAssertEqual(size(images[2].png), [10, 10])   // 2×2 tiles of 2×2, padding 2
        // outside a cell nothing is kept
        try interp.run("show(torch.ones(2, 2), color=False)")
        XCTAssertTrue(ImageLog.shared.end().isEmpty)
    }
}
