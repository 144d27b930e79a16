import XCTest
import Foundation
import TestSupport
@testable import Formats

/// Notebooks/06-feature-maps.tpad run by the binary, and the images of
/// `tensorpad run --out` (PNG display_data) and `--report` (links).
final class FeatureMapsNotebookTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-fm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("Notebooks/data"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Width 80 and no colour, whatever the terminal running the tests.
    let env = ["COLUMNS": "80", "NO_COLOR": "1"]

    func testFeatureMapsNotebook() throws {
        // A copy of the notebook and its image in a scratch folder, run from there
        // as from the repository root, so its outputs stay out of the source tree.
        let root = TensorpadBinary.packageRoot
        for f in ["Notebooks/06-feature-maps.tpad", "Notebooks/data/camera.pgm"] {
            try FileManager.default.copyItem(at: root.appendingPathComponent(f), to: dir.appendingPathComponent(f))
        }
        let r = try TensorpadBinary.run(["run", "Notebooks/06-feature-maps.tpad", "--out", "run.ipynb", "--report", "report.md"],
                                        directory: dir, environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        // summary, show and table are Tensorpad's own, so PyTorch cannot print
        // this notebook's output: 06-feature-maps.out was made by running this
        // binary (COLUMNS=80, not a terminal) and read through by hand. Its
        // numbers are checked against PyTorch by the lines of
        // 06-feature-maps.torch.txt (make_feature_maps_check.py).
        let fixtures = root.appendingPathComponent("Tests/NotebookTests/Fixtures")
        let expected = try String(contentsOf: fixtures.appendingPathComponent("06-feature-maps.out"), encoding: .utf8)
        XCTAssertEqual(r.stdout, expected)
        let lines = Set(r.stdout.split(separator: "\n").map(String.init))
        for line in try String(contentsOf: fixtures.appendingPathComponent("06-feature-maps.torch.txt"), encoding: .utf8)
            .split(separator: "\n") {
            XCTAssertTrue(lines.contains(String(line)), "PyTorch's line missing: \(line)")
        }

        let out = dir.appendingPathComponent("feature_maps_out").path
        let sizes: [(String, Int, Int)] = [("01_Conv2d", 522, 132), ("02_ReLU", 522, 132), ("03_MaxPool2d", 266, 68),
                                           ("04_Conv2d", 134, 68), ("05_ReLU", 134, 68), ("06_AdaptiveAvgPool2d", 14, 8),
                                           ("07_Flatten", 32, 1), ("08_Linear", 2, 1), ("conv1_x2", 2 * 522, 2 * 132)]
        for (name, w, h) in sizes {
            let path = out + "/\(name).pgm"
            let f = try PGMFile(path: path)
            XCTAssertEqual([f.width, f.height, f.maxval], [w, h, 255], name)
            XCTAssertEqual(f.samples.min(), 0, name)
            XCTAssertEqual(f.samples.max(), 255, name)
            XCTAssertTrue(try Netpbm.describe(path).contains("PGM raw, \(w) by \(h)  maxval 255"), name)
        }

        // --out: the feature-maps cell carries one PNG per layer, the same size as its PGM
        let cells = try notebookCells(dir.appendingPathComponent("run.ipynb"))
        let fmCell = try XCTUnwrap(cells.first { ($0["source"] as? [String])?.joined().contains("feature_maps(net") == true })
        let images = try pngs(fmCell)
        XCTAssertEqual(images.count, 8)
        for (img, (name, w, h)) in zip(images, sizes) {
            XCTAssertEqual(img.text, "<image feature_maps_out/\(name).pgm>")
            XCTAssertEqual([img.width, img.height], [w, h], name)
            XCTAssertEqual(img.pixels, try PGMFile(path: out + "/\(name).pgm").samples.map(UInt8.init), name)
        }
        let md = try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("![feature_maps_out/01_Conv2d.pgm](feature_maps_out/01_Conv2d.pgm)"), md)
        XCTAssertTrue(md.contains("![feature_maps_out/conv1_x2.pgm](feature_maps_out/conv1_x2.pgm)"), md)
    }

    func testOutAttachesEveryImageAsPNGAndReportLinksTheFiles() throws {
        let nb = """
        # %% Pictures
        x = torch.arange(12.0).reshape(3, 4)
        show(x)
        save_pgm(x, 'a.pgm', scale=2)
        save_grid(torch.stack([x, -x]), 'g.pgm', nrow=2)
        print('done')

        # %% Maps
        feature_maps(nn.Sequential(nn.Conv2d(1, 2, 2), nn.Flatten()), x.reshape(1, 1, 3, 4), 'out/fm');
        """
        try nb.write(to: dir.appendingPathComponent("nb.tpad"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("r"), withIntermediateDirectories: true)
        let r = try TensorpadBinary.run(["run", "nb.tpad", "--out", "o.ipynb", "--report", "r/report.md"],
                                        directory: dir, environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        let cells = try notebookCells(dir.appendingPathComponent("o.ipynb"))
        XCTAssertEqual(cells.count, 2)
        let first = try pngs(cells[0])
        XCTAssertEqual(first.map(\.text), [nil, "<image a.pgm>", "<image g.pgm>"])
        // show: the 3×4 map, min black, max white, enlarged 8 times
        XCTAssertEqual([first[0].width, first[0].height], [32, 24])
        XCTAssertEqual(first[0].pixels.first, 0)
        XCTAssertEqual(first[0].pixels.last, 255)
        // save_pgm: exactly the file's pixels
        let a = try PGMFile(path: dir.appendingPathComponent("a.pgm").path)
        XCTAssertEqual([first[1].width, first[1].height], [8, 6])
        XCTAssertEqual(first[1].pixels, a.samples.map(UInt8.init))
        XCTAssertEqual([first[2].width, first[2].height], [2 * 6 + 2, 7])
        XCTAssertEqual(try pngs(cells[1]).map(\.text), ["<image out/fm/01_Conv2d.pgm>", "<image out/fm/02_Flatten.pgm>"])
        // the report sits in r/: links to files outside it go up with ../, so the folder can move
        let md = try String(contentsOf: dir.appendingPathComponent("r/report.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("![a.pgm](../a.pgm)"), md)
        XCTAssertTrue(md.contains("![out/fm/01_Conv2d.pgm](../out/fm/01_Conv2d.pgm)"), md)
        // show()'s picture (no file of its own) is written beside the report: the same PNG as in the .ipynb
        XCTAssertTrue(md.contains("![cell 1 image 1](report_files/cell1-1.png)"), md)
        let shown = try Data(contentsOf: dir.appendingPathComponent("r/report_files/cell1-1.png"))
        let outputs = try XCTUnwrap(cells[0]["outputs"] as? [[String: Any]])
        let firstImage = try XCTUnwrap(outputs.first { $0["output_type"] as? String == "display_data" }?["data"] as? [String: Any])
        let b64 = (firstImage["image/png"] as? String) ?? (firstImage["image/png"] as? [String])?.joined() ?? ""
        XCTAssertEqual(shown, Data(base64Encoded: b64, options: .ignoreUnknownCharacters))
    }

    // MARK: reading the ipynb

    func notebookCells(_ url: URL) throws -> [[String: Any]] {
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return try XCTUnwrap(json["cells"] as? [[String: Any]]).filter { $0["cell_type"] as? String == "code" }
    }

    struct PNGImage { var width: Int, height: Int, pixels: [UInt8], text: String? }

    /// The cell's image/png outputs, decoded: signature, IHDR (8-bit grey),
    /// IDAT inflated by zlib, each scanline's filter byte undone (we write 0).
    func pngs(_ cell: [String: Any]) throws -> [PNGImage] {
        let outputs = try XCTUnwrap(cell["outputs"] as? [[String: Any]])
        return try outputs.filter { $0["output_type"] as? String == "display_data" }.map { o in
            let data = try XCTUnwrap(o["data"] as? [String: Any])
            let b64 = (data["image/png"] as? String) ?? (data["image/png"] as? [String])?.joined() ?? ""
            let png = [UInt8](try XCTUnwrap(Data(base64Encoded: b64, options: .ignoreUnknownCharacters)))
            XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            func be32(_ at: Int) -> Int { Int(png[at]) << 24 | Int(png[at + 1]) << 16 | Int(png[at + 2]) << 8 | Int(png[at + 3]) }
            XCTAssertEqual(String(decoding: png[12..<16], as: UTF8.self), "IHDR")
            let w = be32(16), h = be32(20)
            XCTAssertEqual(Array(png[24..<29]), [8, 0, 0, 0, 0], "8-bit greyscale, deflate, no interlace")
            var at = 33, idat: [UInt8] = []
            while at + 8 <= png.count {
                let len = be32(at), type = String(decoding: png[(at + 4)..<(at + 8)], as: UTF8.self)
                if type == "IDAT" { idat += png[(at + 8)..<(at + 8 + len)] }
                at += 12 + len
            }
            XCTAssertEqual(idat.first.map { $0 & 0x0F }, 8, "a zlib stream (deflate)")
            let raw = try Zlib.inflate(idat[...], windowBits: 15, expected: (w + 1) * h, format: "png", at: 0)
            var pixels: [UInt8] = []
            for y in 0..<h {
                XCTAssertEqual(raw[y * (w + 1)], 0, "filter type")
                pixels += raw[(y * (w + 1) + 1)..<((y + 1) * (w + 1))]
            }
            let text = (data["text/plain"] as? [String])?.joined() ?? data["text/plain"] as? String
            return PNGImage(width: w, height: h, pixels: pixels, text: text)
        }
    }
}
