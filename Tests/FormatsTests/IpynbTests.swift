import Foundation
import XCTest
@testable import Formats

final class IpynbTests: XCTestCase {
    static let sample = NotebookFile(cells: [
        Cell(kind: .markdown, source: "# Title\n\nText with \"quotes\" and ü", id: "intro"),
        Cell(kind: .code, source: "x = 1\nprint(x)\nx", title: "First", firstLine: 4,
             outputs: [.stream(name: "stdout", text: "1\n"), .executeResult(text: "1", executionCount: 1)],
             executionCount: 1, id: "c1"),
        Cell(kind: .code, source: "y = zz", outputs: [
            .error(ename: "NameError", evalue: "name 'zz' is not defined",
                   traceback: ["NameError: name 'zz' is not defined", "  --> demo.tpad:9:5 (cell 3, line 1)"]),
        ], executionCount: 2, id: "c2"),
        Cell(kind: .code, source: "show(t)", outputs: [.displayData(png: Data([0x89, 0x50, 0x4e, 0x47]), text: "<image 2x2>")],
             executionCount: 3, id: "c3"),
        Cell(kind: .code, source: "", id: "c4"),
    ])

    /// What Python's `json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"` writes.
    static let expected = """
    {
     "cells": [
      {
       "cell_type": "markdown",
       "id": "intro",
       "metadata": {},
       "source": [
        "# Title\\n",
        "\\n",
        "Text with \\"quotes\\" and ü"
       ]
      },
      {
       "cell_type": "code",
       "execution_count": 1,
       "id": "c1",
       "metadata": {
        "title": "First"
       },
       "outputs": [
        {
         "name": "stdout",
         "output_type": "stream",
         "text": [
          "1\\n"
         ]
        },
        {
         "data": {
          "text/plain": [
           "1"
          ]
         },
         "execution_count": 1,
         "metadata": {},
         "output_type": "execute_result"
        }
       ],
       "source": [
        "x = 1\\n",
        "print(x)\\n",
        "x"
       ]
      },
      {
       "cell_type": "code",
       "execution_count": 2,
       "id": "c2",
       "metadata": {},
       "outputs": [
        {
         "ename": "NameError",
         "evalue": "name 'zz' is not defined",
         "output_type": "error",
         "traceback": [
          "NameError: name 'zz' is not defined",
          "  --> demo.tpad:9:5 (cell 3, line 1)"
         ]
        }
       ],
       "source": [
        "y = zz"
       ]
      },
      {
       "cell_type": "code",
       "execution_count": 3,
       "id": "c3",
       "metadata": {},
       "outputs": [
        {
         "data": {
          "image/png": "iVBORw==",
          "text/plain": [
           "<image 2x2>"
          ]
         },
         "metadata": {},
         "output_type": "display_data"
        }
       ],
       "source": [
        "show(t)"
       ]
      },
      {
       "cell_type": "code",
       "execution_count": null,
       "id": "c4",
       "metadata": {},
       "outputs": [],
       "source": []
      }
     ],
     "metadata": {
      "kernelspec": {
       "display_name": "Tensorpad",
       "language": "python",
       "name": "tensorpad"
      },
      "language_info": {
       "file_extension": ".tpad",
       "mimetype": "text/x-python",
       "name": "python"
      }
     },
     "nbformat": 4,
     "nbformat_minor": 5
    }

    """

    func testSerializeMatchesJupyterLayout() {
        let text = String(decoding: Ipynb.serialize(Self.sample), as: UTF8.self)
        XCTAssertEqual(text, Self.expected)
    }

    func testRoundTrip() throws {
        let data = Ipynb.serialize(Self.sample)
        var back = try Ipynb.parse(data)
        XCTAssertEqual(back.cells.map(\.firstLine), [1, 1, 1, 1, 1])
        back.cells[1].firstLine = 4
        XCTAssertEqual(back.cells, Self.sample.cells)
        XCTAssertNotNil(back.metadata)     // what was written is kept
        XCTAssertEqual(Ipynb.serialize(back), data)
    }

    func testGeneratedIDsAreStableAndUnique() throws {
        let nb = NotebookFile(cells: [Cell(source: "x"), Cell(source: "x"), Cell(kind: .markdown, source: "x")])
        let a = try Ipynb.parse(Ipynb.serialize(nb)).cells.compactMap(\.id)
        XCTAssertEqual(a.count, 3)
        XCTAssertEqual(Set(a).count, 3)
        XCTAssertEqual(try Ipynb.parse(Ipynb.serialize(nb)).cells.compactMap(\.id), a)
        XCTAssertTrue(a.allSatisfy { $0.count == 8 && $0.allSatisfy(\.isHexDigit) })
    }

    func testReadsJupyterWrittenVariants() throws {
        // Source as one string, nbformat_minor 4 without ids, other mime types and output kinds.
        let json = """
        {"nbformat": 4, "nbformat_minor": 4, "metadata": {"kernelspec": {"name": "python3"}},
         "cells": [
          {"cell_type": "code", "execution_count": 7, "metadata": {"collapsed": false},
           "source": "a = 1\\nb = 2",
           "outputs": [
            {"output_type": "stream", "name": "stderr", "text": "warn\\n"},
            {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<b>x</b>", "image/png": "iVBO\\nRw==\\n"}},
            {"output_type": "update_display_data", "metadata": {}, "data": {}},
            {"output_type": "execute_result", "execution_count": 7, "metadata": {}, "data": {"text/plain": ["2\\n", "3"]}}
           ]},
          {"cell_type": "raw", "metadata": {}, "source": ["raw text"]}
         ]}
        """
        let nb = try Ipynb.parse(Data(json.utf8))
        XCTAssertEqual(nb.cells.count, 2)
        XCTAssertEqual(nb.cells[0].source, "a = 1\nb = 2")
        XCTAssertEqual(nb.cells[0].executionCount, 7)
        XCTAssertNil(nb.cells[0].id)
        XCTAssertEqual(nb.cells[0].outputs, [
            .stream(name: "stderr", text: "warn\n"),
            .displayData(png: Data([0x89, 0x50, 0x4e, 0x47]), text: nil),
            .executeResult(text: "2\n3", executionCount: 7),
        ])
        XCTAssertEqual(nb.cells[1].kind, .raw)     // nbformat's raw cell stays raw (issue 19)
        XCTAssertEqual(nb.cells[1].source, "raw text")
    }

    func testBadNotebooksThrowFormatError() {
        let bad: [(String, String)] = [
            ("{not json", "not a valid notebook: bad JSON"),
            ("[1, 2]", "not a valid notebook: the top level is not a JSON object"),
            ("{\"cells\": []}", "not a valid notebook: no nbformat version"),
            ("{\"nbformat\": 3, \"worksheets\": []}", "nbformat 3 is not supported (expected nbformat 4)"),
            ("{\"nbformat\": 4}", "not a valid notebook: no cells list"),
            ("{\"nbformat\": 4, \"cells\": [{\"source\": \"x\"}]}", "not a valid notebook: cell 1 has no cell_type"),
            ("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": 5}]}", "not a valid notebook: cell 1 has no source"),
            ("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": \"\", \"outputs\": [{}]}]}",
             "not a valid notebook: an output of cell 1 has no output_type"),
            ("", "not a valid notebook: bad JSON"),
        ]
        for (text, message) in bad {
            XCTAssertThrowsError(try Ipynb.parse(Data(text.utf8)), text) { e in
                XCTAssertEqual(e as? FormatError, .io(message), text)
            }
        }
    }

    func testReadErrorsNameThePath() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ipynb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.ipynb").path
        try FileIO.writeAtomically(Data("{\"nbformat\": 3}".utf8), path: path)
        XCTAssertThrowsError(try NotebookFile.read(path: path)) { e in
            XCTAssertEqual(e as? FormatError, .io("\(path): nbformat 3 is not supported (expected nbformat 4)"))
        }
    }

    func testJSONStringEscapingMatchesPython() {
        let out = JSONValue.quote("a\"b\\c\n\t\r\u{08}\u{0C}\u{01}\u{1F}/é€😀")
        XCTAssertEqual(out, "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f/é€😀\"")
    }
}
