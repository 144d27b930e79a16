import Foundation

/// Jupyter nbformat 4 notebooks (`.ipynb`): read any 4.x, write 4.5 with cell ids,
/// laid out as Jupyter writes them (indent 1, sorted keys, trailing newline).
public enum Ipynb {
    public static func read(path: String) throws -> NotebookFile {
        do {
            return try parse(try FileIO.read(path: path))
        } catch FormatError.io(let why) where !why.hasPrefix(path) {
            throw FormatError.io("\(path): \(why)")
        }
    }

    public static func write(_ nb: NotebookFile, to path: String) throws {
        try FileIO.writeAtomically(serialize(nb), path: path)
    }

    // MARK: reading

    public static func parse(_ data: Data) throws -> NotebookFile {
        let any: Any
        do {
            any = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw FormatError.io("not a valid notebook: bad JSON")
        }
        guard let root = any as? [String: Any] else {
            throw FormatError.io("not a valid notebook: the top level is not a JSON object")
        }
        guard let major = root["nbformat"] as? Int else {
            throw FormatError.io("not a valid notebook: no nbformat version")
        }
        guard major == 4 else {
            throw FormatError.io("nbformat \(major) is not supported (expected nbformat 4)")
        }
        guard let rawCells = root["cells"] as? [Any] else {
            throw FormatError.io("not a valid notebook: no cells list")
        }
        var cells: [Cell] = []
        for (i, raw) in rawCells.enumerated() {
            guard let c = raw as? [String: Any], let type = c["cell_type"] as? String else {
                throw FormatError.io("not a valid notebook: cell \(i + 1) has no cell_type")
            }
            guard let source = multiline(c["source"]) else {
                throw FormatError.io("not a valid notebook: cell \(i + 1) has no source")
            }
            let meta = c["metadata"] as? [String: Any] ?? [:]
            var cell = Cell(kind: CellKind(rawValue: type) ?? .markdown, source: source,
                            title: meta["title"] as? String, firstLine: 1, id: c["id"] as? String)
            if type == "code" {
                cell.executionCount = c["execution_count"] as? Int
                cell.outputs = try ((c["outputs"] as? [Any]) ?? []).compactMap { try output($0, cell: i + 1) }
            }
            cells.append(cell)
        }
        var metadata: String?
        if let m = root["metadata"] as? [String: Any], !m.isEmpty,
           var parser = Optional(JSONParser(bytes: Array(data), base: 0, format: "ipynb")),
           case .object(let top)? = try? parser.parseTop(),
           let kept = top.first(where: { $0.0 == "metadata" })?.1 {
            metadata = text(Value(kept))
        }
        return NotebookFile(cells: cells, metadata: metadata)
    }

    static func text(_ v: Value) -> String {
        var out = ""
        v.write(into: &out, indent: 0)
        return out
    }

    /// A string, or a list of strings joined (nbformat's multiline strings).
    static func multiline(_ v: Any?) -> String? {
        if let s = v as? String { return s }
        if let a = v as? [Any] {
            var out = ""
            for part in a {
                guard let s = part as? String else { return nil }
                out += s
            }
            return out
        }
        return nil
    }

    static func output(_ raw: Any, cell: Int) throws -> CellOutput? {
        guard let o = raw as? [String: Any], let type = o["output_type"] as? String else {
            throw FormatError.io("not a valid notebook: an output of cell \(cell) has no output_type")
        }
        let data = o["data"] as? [String: Any] ?? [:]
        switch type {
        case "stream":
            return .stream(name: o["name"] as? String ?? "stdout", text: multiline(o["text"]) ?? "")
        case "execute_result":
            return .executeResult(text: multiline(data["text/plain"]) ?? "", executionCount: o["execution_count"] as? Int)
        case "error":
            let tb = (o["traceback"] as? [Any] ?? []).compactMap { $0 as? String }
            return .error(ename: o["ename"] as? String ?? "", evalue: o["evalue"] as? String ?? "", traceback: tb)
        case "display_data":
            let png = multiline(data["image/png"]).flatMap { Data(base64Encoded: $0, options: .ignoreUnknownCharacters) }
            return .displayData(png: png, text: multiline(data["text/plain"]))
        default:
            return nil
        }
    }

    // MARK: writing

    /// The nbformat 4.5 JSON of a notebook.
    public static func serialize(_ nb: NotebookFile) -> Data {
        var used = Set<String>()
        var cells: [Value] = []
        for (i, cell) in nb.cells.enumerated() {
            var id = cell.id ?? generatedID(cell, index: i)
            if used.contains(id) { id = generatedID(cell, index: i) + "-\(i)" }
            used.insert(id)
            var meta: [String: Value] = [:]
            if let t = cell.title { meta["title"] = .string(t) }
            var c: [String: Value] = [
                "cell_type": .string(cell.kind.rawValue),
                "id": .string(id),
                "metadata": .object(meta),
                "source": lines(cell.source),
            ]
            if cell.kind == .code {
                c["execution_count"] = cell.executionCount.map { .int($0) } ?? .null
                c["outputs"] = .array(cell.outputs.map(outputValue))
            }
            cells.append(.object(c))
        }
        // A read notebook's metadata (kernelspec, jupytext, ...) wins over the defaults.
        var metadata: [String: Value] = [
            "kernelspec": .object([
                "display_name": .string("Tensorpad"),
                "language": .string("python"),
                "name": .string("tensorpad"),
            ]),
            "language_info": .object([
                "file_extension": .string(".tpad"),
                "mimetype": .string("text/x-python"),
                "name": .string("python"),
            ]),
        ]
        if let kept = nb.metadata, var parser = Optional(JSONParser(bytes: Array(kept.utf8), base: 0, format: "ipynb")),
           case .object(let fields)? = try? parser.parseTop() {
            for (k, v) in fields { metadata[k] = Value(v) }
        }
        let root: Value = .object([
            "cells": .array(cells),
            "metadata": .object(metadata),
            "nbformat": .int(4),
            "nbformat_minor": .int(5),
        ])
        var out = ""
        root.write(into: &out, indent: 0)
        out += "\n"
        return Data(out.utf8)
    }

    static func outputValue(_ o: CellOutput) -> Value {
        switch o {
        case .stream(let name, let text):
            return .object(["name": .string(name), "output_type": .string("stream"), "text": lines(text)])
        case .executeResult(let text, let n):
            return .object([
                "data": .object(["text/plain": lines(text)]),
                "execution_count": n.map { .int($0) } ?? .null,
                "metadata": .object([:]),
                "output_type": .string("execute_result"),
            ])
        case .error(let ename, let evalue, let tb):
            return .object([
                "ename": .string(ename), "evalue": .string(evalue),
                "output_type": .string("error"), "traceback": .array(tb.map { .string($0) }),
            ])
        case .displayData(let png, let text):
            var data: [String: Value] = [:]
            if let png { data["image/png"] = .string(png.base64EncodedString()) }
            if let text { data["text/plain"] = lines(text) }
            return .object(["data": .object(data), "metadata": .object([:]), "output_type": .string("display_data")])
        }
    }

    /// nbformat's multiline string: lines that keep their `\n`, the last one without.
    static func lines(_ s: String) -> Value {
        if s.isEmpty { return .array([]) }
        var parts = splitAtNewlines(s)
        let last = parts.removeLast()
        var out = parts.map { Value.string($0 + "\n") }
        if !last.isEmpty { out.append(.string(last)) }
        return .array(out)
    }

    /// A stable 8-hex-digit id from the cell's position and contents (FNV-1a).
    static func generatedID(_ cell: Cell, index: Int) -> String {
        var h: UInt32 = 2_166_136_261
        for b in "\(index)\u{0}\(cell.kind.rawValue)\u{0}\(cell.source)".utf8 {
            h = (h ^ UInt32(b)) &* 16_777_619
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// JSON as Python's `json.dumps(indent=1, sort_keys=True, ensure_ascii=False)` writes it.
    indirect enum Value: Equatable {
        case object([String: Value])
        case array([Value])
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        case null

        init(_ j: JSONValue) {
            switch j {
            case .object(let kv):
                var out: [String: Value] = [:]
                for (k, v) in kv { out[k] = Value(v) }
                self = .object(out)
            case .array(let a): self = .array(a.map(Value.init))
            case .string(let s): self = .string(s)
            case .int(let n): self = .int(n)
            case .number(let d): self = .double(d)
            case .bool(let b): self = .bool(b)
            case .null: self = .null
            }
        }

        func write(into out: inout String, indent: Int) {
            switch self {
            case .null: out += "null"
            case .int(let n): out += String(n)
            case .double(let d): out += "\(d)"
            case .bool(let b): out += b ? "true" : "false"
            case .string(let s): out += JSONValue.quote(s)
            case .array(let a):
                if a.isEmpty { out += "[]"; return }
                out += "[\n"
                for (i, v) in a.enumerated() {
                    out += String(repeating: " ", count: indent + 1)
                    v.write(into: &out, indent: indent + 1)
                    out += i + 1 < a.count ? ",\n" : "\n"
                }
                out += String(repeating: " ", count: indent) + "]"
            case .object(let d):
                if d.isEmpty { out += "{}"; return }
                out += "{\n"
                let keys = d.keys.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
                for (i, k) in keys.enumerated() {
                    out += String(repeating: " ", count: indent + 1)
                    out += JSONValue.quote(k)
                    out += ": "
                    d[k]?.write(into: &out, indent: indent + 1)
                    out += i + 1 < keys.count ? ",\n" : "\n"
                }
                out += String(repeating: " ", count: indent) + "}"
            }
        }

    }
}
