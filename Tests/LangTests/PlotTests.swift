import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import TestSupport
@testable import Lang

/// `matplotlib.pyplot` from the language: files written by savefig read back
/// by independent readers (netpbm's pngtopam for PNG, Foundation's XMLParser for SVG).
final class PlotTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensorpad-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    struct RGB { let width: Int, height: Int, bytes: [UInt8]
        func at(_ x: Int, _ y: Int) -> (Int, Int, Int) {
            let i = (y * width + x) * 3
            return (Int(bytes[i]), Int(bytes[i + 1]), Int(bytes[i + 2]))
        }
    }

    /// Decodes a PNG with netpbm's `pngtopam` (installed by scripts/deps.sh).
    func decode(_ path: String) throws -> RGB {
        let tool = "/usr/bin/pngtopam"
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            throw Prerequisite.missing("netpbm's pngtopam is not installed (make test runs scripts/deps.sh, which installs netpbm)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = [path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = [UInt8](out.fileHandleForReading.readDataToEndOfFile())
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        // P6\n<w> <h>\n255\n<bytes>
        var fields: [String] = [], i = 0, cur = ""
        while fields.count < 4, i < data.count {
            let c = Character(UnicodeScalar(data[i])); i += 1
            if c.isWhitespace { if !cur.isEmpty { fields.append(cur); cur = "" } } else { cur.append(c) }
        }
        XCTAssertEqual(fields.first, "P6")
        let w = Int(fields[1]) ?? 0, h = Int(fields[2]) ?? 0
        XCTAssertEqual(data.count - i, w * h * 3)
        return RGB(width: w, height: h, bytes: Array(data[i...]))
    }

    func run(_ source: String) throws -> String {
        let interp = Interpreter()
        var out = ""
        interp.output = { out += $0 }
        try interp.run(source)
        return out
    }

    func testSavefigPNGHasTheSizeTheLineAndTheAxes() throws {
        let path = dir.appendingPathComponent("line.png").path
        _ = try run("""
        import matplotlib.pyplot as plt
        plt.figure(figsize=(4, 3), dpi=50)
        plt.plot(torch.tensor([0., 1.]), [0, 1])
        plt.savefig('\(path)')
        """)
        let img = try decode(path)
        XCTAssertEqual(img.width, 200)    // figsize × dpi
        XCTAssertEqual(img.height, 150)
        func isBlue(_ p: (Int, Int, Int)) -> Bool { Swift.abs(p.0 - 31) < 40 && Swift.abs(p.1 - 119) < 40 && Swift.abs(p.2 - 180) < 40 }
        // Axes box: x from 0.125 to 0.9 of the width, y from 0.12 to 0.89 of the height (from the top);
        // the data 0..1 with 5 % margins, so (0.5, 0.5) is the box's centre.
        let cx = Int(0.5125 * 200), cy = Int(0.505 * 150)
        var found = false
        for dy in -2...2 { for dx in -2...2 where isBlue(img.at(cx + dx, cy + dy)) { found = true } }
        XCTAssertTrue(found, "no tab:blue pixel at the middle of the line")
        // The line runs bottom-left to top-right: blue near 1/4 and 3/4 of the way, not in the other corners.
        let f = (0.25 + 0.05) / 1.1
        let qx = Int((0.125 + 0.775 * f) * 200), qy = Int((0.89 - 0.77 * f) * 150)
        XCTAssertTrue((-2...2).contains { d in (-2...2).contains { isBlue(img.at(qx + d, qy + $0)) } })
        XCTAssertFalse(isBlue(img.at(Int(0.2 * 200), Int(0.2 * 150))))
        // The left spine is black across the box's height; the figure's corner is white.
        let spineX = Int((0.125 * 200).rounded())
        let dark = (Int(0.2 * 150)..<Int(0.8 * 150)).filter { y in (-1...1).contains { img.at(spineX + $0, y).0 < 200 } }.count
        XCTAssertGreaterThan(dark, Int(0.55 * 150))
        XCTAssertTrue(img.at(1, 1) == (255, 255, 255))
        // Tick labels drew dark pixels left of the spine.
        let labelInk = (0..<150).filter { y in (2..<(spineX - 8)).contains { img.at($0, y).0 < 128 } }.count
        XCTAssertGreaterThan(labelInk, 10)
    }

    func testBarsAndHistogram() throws {
        let path = dir.appendingPathComponent("bars.png").path
        XCTAssertEqual(try run("""
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(4, 3), dpi=50)
        ax.bar([0, 1, 2], [5, 3, 7], color='C2')
        n, bins, _ = plt.hist([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], bins=5)
        print(n, len(bins), ax.get_ylim()[0])
        fig.savefig('\(path)')
        """), "[2.0, 2.0, 3.0, 1.0, 3.0] 6 0.0\n")
        let img = try decode(path)
        // The tallest bar (x = 2, height 7) is tab:green in the middle of its column.
        let lim = (-0.4 - 0.14, 2.4 + 0.14), top = 7 * 1.05
        let x = Int((0.125 + 0.775 * (2 - lim.0) / (lim.1 - lim.0)) * 200), y = Int((0.89 - 0.77 * 3.5 / top) * 150)
        let p = img.at(x, y)
        XCTAssertTrue(Swift.abs(p.0 - 0x2c) < 8 && Swift.abs(p.1 - 0xa0) < 8 && Swift.abs(p.2 - 0x2c) < 8, "\(p)")
    }

    /// Extreme and missing data draw (or raise a Python error), never trap.
    func testExtremeDataNeverCrashes() throws {
        let png = dir.appendingPathComponent("x.png").path
        let interp = Interpreter()
        interp.output = { _ in }
        interp.console = Console(columns: 50, plotsInTerminal: true)
        for body in [
            "plt.plot([1e308, -1e308, 0])", "plt.plot([float('nan'), float('inf'), 1])", "plt.plot([])",
            "plt.hist([float('inf'), 1e308, -1e308], bins=3)", "plt.hist([1, 2], range=(-1e308, 1e308))",
            "plt.plot([-1, 0, 1])\nplt.yscale('log')", "plt.imshow(torch.tensor([[float('nan'), 1.0], [2.0, float('inf')]]))",
            "plt.bar([0, 1], [1e300, -1e300])", "plt.scatter([1, 2], [3, 4], c=[float('nan'), 1.0])",
            "plt.xlim(5, 5)\nplt.plot([1, 2])", "plt.subplot(2, 2, 1)\nplt.plot([1])\nplt.subplot(1, 2, 2)\nplt.plot([2, 3])",
        ] {
            try interp.run("import matplotlib.pyplot as plt\n\(body)\nplt.savefig('\(png)')\nplt.show()\nplt.close('all')")
            XCTAssertEqual(try decode(png).width, 640, body)
        }
        XCTAssertEqual(errorLine("import matplotlib.pyplot as plt\nplt.figure(figsize=(1e6, 1e6))\nplt.savefig('x.png')"),
                       "ValueError: Image size of 100000000x100000000 pixels is too large. It must be less than 2^15 in each direction.")
        XCTAssertEqual(errorLine("import matplotlib.pyplot as plt\nplt.figure(figsize=(0, 1))"),
                       "ValueError: figure size must be positive finite not (0, 1)")
    }

    func testBboxInchesTightCropsToTheInkPlusPad() throws {
        let full = dir.appendingPathComponent("full.png").path, tight = dir.appendingPathComponent("tight.png").path
        let svg = dir.appendingPathComponent("tight.svg").path
        _ = try run("""
        import matplotlib.pyplot as plt
        plt.figure(figsize=(4, 3), dpi=50)
        plt.plot([0, 1], [0, 1])
        plt.savefig('\(full)')
        plt.savefig('\(tight)', bbox_inches='tight', pad_inches=0.2)
        plt.savefig('\(svg)', bbox_inches='tight')
        """)
        let a = try decode(full), b = try decode(tight)
        XCTAssertEqual(a.width, 200)
        XCTAssertLessThan(b.width, 200)
        XCTAssertLessThan(b.height, 150)
        // The 0.2 in pad (10 px at 50 dpi) is white on every side; the ink starts right after it.
        for x in 0..<10 { XCTAssertTrue((0..<b.height).allSatisfy { b.at(x, $0) == (255, 255, 255) }, "column \(x)") }
        XCTAssertFalse((0..<b.height).allSatisfy { b.at(10, $0) == (255, 255, 255) } &&
                       (0..<b.width).allSatisfy { b.at($0, 10) == (255, 255, 255) })
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        XCTAssertFalse(text.contains("width=\"288pt\""), String(text.prefix(300)))
        XCTAssertEqual(errorLine("import matplotlib.pyplot as plt\nplt.plot([1])\nplt.savefig('a.png', transparent=True)"),
                       "NotImplementedError: savefig(): transparent=True is not supported; figures have a white background")
    }

    func testColorbarAndText() throws {
        let path = dir.appendingPathComponent("cm.png").path
        XCTAssertEqual(try run("""
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(5, 4), dpi=50)
        im = ax.imshow(torch.tensor([[0., 1.], [2., 3.]]), cmap='gray')
        ax.text(0, 0, 'x', ha='center', va='center', color='r')
        cb = fig.colorbar(im, ax=ax)
        cb.set_label('value')
        print(im, cb)
        fig.savefig('\(path)')
        """), "<matplotlib.image.AxesImage object> <matplotlib.colorbar.Colorbar object>\n")
        let img = try decode(path)
        // The colorbar's slot starts at 85 % of the axes slot (0.125 + 0.85 × 0.775 of the width):
        // white at its top (vmax of 'gray'), black at its bottom.
        let x = Int((0.125 + 0.775 * 0.85) * 250) + 3
        XCTAssertTrue(img.at(x, Int(0.14 * 200)).0 > 230, "\(img.at(x, Int(0.14 * 200)))")
        XCTAssertTrue(img.at(x, Int(0.87 * 200)).0 < 25, "\(img.at(x, Int(0.87 * 200)))")
        // The red text sits on the top-left pixel (value 0: black).
        var red = false
        for y in 0..<200 { for x in 0..<150 { let p = img.at(x, y); if p.0 > 150 && p.1 < 60 && p.2 < 60 { red = true } } }
        XCTAssertTrue(red)
        XCTAssertEqual(errorLine("import matplotlib.pyplot as plt\nplt.plot([1])\nplt.colorbar()"),
                       "RuntimeError: No mappable was found to use for colorbar creation. First define a mappable such as an image (with imshow) or a contour set (with contourf).")
    }

    func testLinesAndRcParams() throws {
        XCTAssertEqual(try run("""
        import matplotlib
        import matplotlib.pyplot as plt
        plt.rcParams['figure.figsize'] = (3.5, 2.5)
        matplotlib.rcParams['figure.dpi'] = 200
        line, = plt.plot([1, 2, 3], [3, 1, 2], label='a')
        line.set_ydata([1, 2, 3])
        print(line.get_ydata(), line.get_label(), plt.gcf())
        a, b = plt.plot([1, 2], [1, 2], 'r', [1, 2], [2, 1], 'g--')
        print(a.get_color(), b.get_color())
        """), "[1.0, 2.0, 3.0] a <Figure size 700x500 with 1 Axes>\n#ff0000 #008000\n")
        XCTAssertEqual(errorLine("import matplotlib.pyplot as plt\nplt.rcParams['font.size'] = 12\nplt.figure()"),
                       "NotImplementedError: rcParams['font.size'] is not supported; supported: figure.figsize, figure.dpi, lines.linewidth, lines.markersize, axes.grid, savefig.dpi")
    }

    func testFixedTicksAndSpans() throws {
        let path = dir.appendingPathComponent("span.png").path
        XCTAssertEqual(try run("""
        import matplotlib.pyplot as plt
        plt.figure(figsize=(4, 3), dpi=50)
        plt.plot([0, 1], [0, 1])
        print(plt.xticks([0, 0.5, 1], ['lo', 'mid', 'hi'], rotation=45))
        plt.axhline(0.5, color='r')
        print(plt.yticks()[1][:3])
        plt.savefig('\(path)')
        """), "([0.0, 0.5, 1.0], ['lo', 'mid', 'hi'])\n['0.0', '0.2', '0.4']\n")
        let img = try decode(path)
        // The red line crosses the whole axes at y = 0.5 (the middle of the box), far from the blue diagonal.
        let y = Int(0.505 * 150)
        func red(_ p: (Int, Int, Int)) -> Bool { p.0 > 200 && p.1 < 90 && p.2 < 90 }
        XCTAssertTrue((-1...1).contains { red(img.at(Int(0.2 * 200), y + $0)) })
        XCTAssertTrue((-1...1).contains { red(img.at(Int(0.85 * 200), y + $0)) })
        XCTAssertEqual(errorLine("import matplotlib.pyplot as plt\nplt.xticks([1, 2], ['a'])"),
                       "ValueError: The number of FixedLocator locations (2), usually from a call to set_ticks, does not match the number of labels (1).")
    }

    func testSavefigSVGHoldsThePaths() throws {
        let path = dir.appendingPathComponent("fig.svg").path
        _ = try run("""
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.plot([1, 2, 3], [3, 1, 2], 'r--', label='a')
        ax.scatter([1, 2], [2, 2], color='k')
        ax.set_title('t')
        ax.legend()
        fig.savefig('\(path)')
        """)
        final class Collect: NSObject, XMLParserDelegate {
            var svg: [String: String] = [:], paths: [[String: String]] = []
            func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes a: [String: String]) {
                if e == "svg" { svg = a }
                if e == "path" { paths.append(a) }
            }
        }
        let c = Collect()
        let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: path)))
        parser.delegate = c
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        XCTAssertEqual(c.svg["width"], "288pt")    // 4 in × 72
        XCTAssertEqual(c.svg["height"], "216pt")
        XCTAssertGreaterThan(c.paths.count, 20)
        // The red dashed line: a stroke of rgb(100%, 0%, 0%) with a dash array.
        let red = c.paths.filter { ($0["style"] ?? "").contains("stroke:rgb(100%,0%,0%)") }
        XCTAssertTrue(red.contains { ($0["style"] ?? "").contains("stroke-dasharray") }, "\(red)")
    }

    func testShowOnATerminalDrawsBrailleWithTicks() throws {
        let interp = Interpreter()
        var out = ""
        interp.output = { out += $0 }
        interp.console = Console(columns: 60, plotsInTerminal: true)
        try interp.run("""
        import matplotlib.pyplot as plt
        plt.plot([0, 1, 2, 3], [0, 1, 4, 9], label='sq')
        plt.title('squares')
        plt.legend()
        plt.show()
        print(plt.get_fignums())
        """)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first?.trimmingCharacters(in: .whitespaces), "squares")
        XCTAssertTrue(out.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, out)
        XCTAssertTrue(lines.contains { $0.hasPrefix("8 ┤") }, out)
        XCTAssertTrue(lines.contains { $0.contains("└") && $0.contains("┬") }, out)
        XCTAssertTrue(lines.contains { $0.contains("0.0") && $0.contains("3.0") }, out)
        XCTAssertTrue(lines.contains { $0.contains("sq") && $0.contains("──") }, out)
        XCTAssertEqual(lines.suffix(2), ["[]", ""])   // show() closed the figure
        // Not a terminal: show() prints nothing.
        XCTAssertEqual(try run("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()"), "")
    }

    func testSubplotsGridAndErrors() throws {
        XCTAssertEqual(try run("""
        import matplotlib.pyplot as plt
        fig, axes = plt.subplots(2, 3)
        print(axes.shape, len(axes), len(list(axes.flat)), axes.flatten().shape)
        axes[1, 2].set_xlim(0, 5)
        print(axes[1][2].get_xlim(), fig)
        fig, ax = plt.subplots()
        print(ax)
        """), "(2, 3) 2 6 (6,)\n(0.0, 5.0) <Figure size 640x480 with 6 Axes>\n<Axes: >\n")
        XCTAssertEqual(errorLine("import matplotlib.pyplot as plt\nplt.plot([1, 2], [1, 2, 3])"),
                       "ValueError: x and y must have same first dimension, but have shapes (2,) and (3,)")
        XCTAssertEqual(errorLine("import matplotlib.pyplot as plt\nplt.plot([1, 2], 'q')"),
                       "ValueError: 'q' is not a valid format string (unrecognized character 'q')")
        XCTAssertEqual(errorLine("import matplotlib.pyplot as plt\nplt.plot([1, 2], color='bluish')"),
                       "ValueError: 'bluish' is not a valid value for color")
        XCTAssertEqual(errorLine("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.savefig('x.pdf')"),
                       "ValueError: Format 'pdf' is not supported (supported formats: png, svg)")
        XCTAssertEqual(errorLine("import matplotlib.pyplot as plt\nplt.imshow(torch.zeros(2, 4, 5))"),
                       "TypeError: Invalid shape (2, 4, 5) for image data")
        XCTAssertEqual(errorLine("import matplotlib.pyplot as plt\nplt.yscale('sqrt')"),
                       "ValueError: 'sqrt' is not a valid value for scale; supported values are 'linear', 'log'")
        XCTAssertEqual(errorLine("import seaborn"), "ModuleNotFoundError: No module named 'seaborn'")
    }
}
