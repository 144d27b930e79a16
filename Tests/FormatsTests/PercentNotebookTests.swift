import Foundation
import XCTest
@testable import Formats

final class PercentNotebookTests: XCTestCase {
    let canonical = """
    # %% [markdown]
    # # Shapes
    #
    # A *small* demo.

    # %% Load data
    import torch
    x = torch.ones(2, 3)

    # %%

    y = x * 2
    print(y)

    # %%

    # %% Plot it [markdown]
    # done

    """

    func testCanonicalFileRoundTripsByteForByte() {
        let nb = PercentNotebook.parse(canonical)
        XCTAssertEqual(nb.cells.count, 5)
        XCTAssertEqual(PercentNotebook.serialize(nb), canonical)
    }

    func testCellsKindsTitlesSourcesAndFirstLines() {
        let cells = PercentNotebook.parse(canonical).cells
        XCTAssertEqual(cells.map(\.kind), [.markdown, .code, .code, .code, .markdown])
        XCTAssertEqual(cells.map(\.title), [nil, "Load data", nil, nil, "Plot it"])
        XCTAssertEqual(cells[0].source, "# Shapes\n\nA *small* demo.")
        XCTAssertEqual(cells[1].source, "import torch\nx = torch.ones(2, 3)")
        XCTAssertEqual(cells[2].source, "\ny = x * 2\nprint(y)")
        XCTAssertEqual(cells[3].source, "")
        XCTAssertEqual(cells[4].source, "done")
        XCTAssertEqual(cells.map(\.firstLine), [2, 7, 11, 16, 18])
        // The file line of `print(y)` is firstLine + its line index in the cell.
        let lines = canonical.components(separatedBy: "\n")
        XCTAssertEqual(lines[cells[2].firstLine + 2 - 1], "print(y)")
    }

    func testCodeBeforeTheFirstMarkerIsItsOwnCell() {
        let nb = PercentNotebook.parse("import torch\n\n# %% Next\nx = 1\n")
        XCTAssertEqual(nb.cells.map(\.source), ["import torch", "x = 1"])
        XCTAssertEqual(nb.cells.map(\.firstLine), [1, 4])
        XCTAssertEqual(nb.cells.map(\.title), [nil, "Next"])
        // Blank lines alone before the first marker make no cell.
        XCTAssertEqual(PercentNotebook.parse("\n\n# %%\nx = 1\n").cells.map(\.firstLine), [4])
    }

    func testFileWithoutMarkersIsOneCell() {
        let nb = PercentNotebook.parse("x = 1\n# a comment\ny = 2")
        XCTAssertEqual(nb.cells.count, 1)
        XCTAssertEqual(nb.cells[0].source, "x = 1\n# a comment\ny = 2")
        XCTAssertEqual(nb.cells[0].firstLine, 1)
        XCTAssertEqual(nb.cells[0].kind, .code)
        XCTAssertEqual(PercentNotebook.parse("").cells.count, 0)
        XCTAssertEqual(PercentNotebook.parse("\n  \n").cells.count, 0)
    }

    func testMarkerVariants() {
        XCTAssertNil(PercentNotebook.marker("# %%time"))
        XCTAssertNil(PercentNotebook.marker(" # %%"))
        XCTAssertEqual(PercentNotebook.marker("#%%")?.0, .code)
        XCTAssertEqual(PercentNotebook.marker("# %% [md]")?.0, .markdown)
        XCTAssertEqual(PercentNotebook.marker("# %% [markdown] Intro")?.1, "Intro")
        XCTAssertEqual(PercentNotebook.marker("# %%\tTab title")?.1, "Tab title")
    }

    func testCRLFAndMissingFinalNewline() {
        let nb = PercentNotebook.parse("# %% A\r\nx = 1\r\n\r\n# %% [markdown]\r\n# hi\r\n#\r\nplain")
        XCTAssertEqual(nb.cells.map(\.source), ["x = 1", "hi\n\nplain"])
        XCTAssertEqual(PercentNotebook.serialize(nb), "# %% A\nx = 1\n\n# %% [markdown]\n# hi\n#\n# plain\n")
    }

    func testTrailingBlankLinesBelongToTheGap() {
        let nb = PercentNotebook.parse("# %%\nx = 1\n\n\n\n# %%\ny\n\n")
        XCTAssertEqual(nb.cells.map(\.source), ["x = 1", "y"])
        XCTAssertEqual(nb.cells.map(\.firstLine), [2, 7])
    }

    func testFilesByExtensionAndAtomicWrites() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tpad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let tpad = dir.appendingPathComponent("demo.tpad").path
        let ipynb = dir.appendingPathComponent("demo.ipynb").path
        let nb = PercentNotebook.parse(canonical)
        try nb.write(to: tpad)
        XCTAssertEqual(try String(contentsOfFile: tpad, encoding: .utf8), canonical)
        try nb.write(to: ipynb)
        let back = try NotebookFile.read(path: ipynb)
        XCTAssertEqual(back.cells.map(\.source), nb.cells.map(\.source))
        // Converting back keeps titles and Markdown: the .tpad text is the same.
        try back.write(to: tpad)
        XCTAssertEqual(try String(contentsOfFile: tpad, encoding: .utf8), canonical)
        // Overwriting leaves no temporary files behind.
        try nb.write(to: tpad)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["demo.ipynb", "demo.tpad"])
        XCTAssertThrowsError(try NotebookFile.read(path: dir.appendingPathComponent("missing.tpad").path)) { e in
            XCTAssertEqual(e as? FormatError, .io("[Errno 2] No such file or directory: '" + dir.appendingPathComponent("missing.tpad").path + "'"))
        }
        XCTAssertThrowsError(try nb.write(to: dir.appendingPathComponent("no/such/dir.tpad").path))
        XCTAssertThrowsError(try NotebookFile.read(path: dir.path))
        try FileIO.writeAtomically(Data([0xff, 0xfe]), path: tpad)
        XCTAssertThrowsError(try NotebookFile.read(path: tpad))
    }
}
