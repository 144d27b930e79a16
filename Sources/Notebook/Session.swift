import Foundation
import Lang
import Formats
import Syntax

/// What running one cell produced, UI-free: the front ends (batch runner,
/// REPL, a future kernel) decide where each part goes.
public struct ExecutionResult {
    public var executionCount: Int
    /// Everything the cell printed, in order.
    public var stdout: String = ""
    /// The repr of the cell's last expression (Jupyter's display rule), if any.
    public var displayed: String?
    public var error: LangError?
    /// The error as SPEC §9 shows it (kind, message, location, source, carets).
    public var errorText: String?
    /// Images the cell showed or saved, as PNG bytes with the path written (if any).
    public var images: [(png: Data, path: String?)] = []
    public var seconds: Double = 0
    /// Text the front end should offer as the next input (`%load`; Jupyter's `set_next_input`).
    public var nextInput: String?

    public var ok: Bool { error == nil }
}

/// One persistent session: an interpreter, the execution count, the cells
/// run so far (for `%history`, `%save`, `In`) and the magics.
public final class Session {
    public let interpreter: Interpreter
    public private(set) var executionCount = 0
    /// Sources of the cells run, in order (`%history`, `%save`).
    public private(set) var inputs: [String] = []
    /// Receives printed text as it is printed (live output); the result also keeps it.
    public var onOutput: (String) -> Void = { _ in }
    var captured = ""
    /// While > 0 (`%%capture`), printed text is kept but not passed to `onOutput`.
    var silenced = 0
    /// The cell being run: where its code parts are located.
    var current = CellSource(source: "", label: "")
    /// IPython's output history: `Out` (by execution count) and `In` (index 0 is '').
    let outBox = DictBox()
    let inBox = ListBox([.str("")])
    var previousDirectory: String?

    public init() {
        interpreter = Interpreter()
        interpreter.output = { [unowned self] text in
            self.captured += text
            if self.silenced == 0 { self.onOutput(text) }
        }
    }

    /// Runs one cell (code, magics, shell lines, `obj?`). `fileName`/`firstLine` locate errors
    /// in a file; `label` is `cell 2` in files and `In [5]` in the REPL (default).
    /// `storeHistory: false` (a kernel's silent execute) neither counts the cell nor keeps its source.
    public func run(_ source: String, fileName: String? = nil, firstLine: Int = 1, label: String? = nil,
                    storeHistory: Bool = true) -> ExecutionResult {
        if storeHistory {
            executionCount += 1
            inputs.append(source)
        }
        current = CellSource(source: source, fileName: fileName, firstLine: firstLine, label: label ?? "In [\(executionCount)]")
        var result = ExecutionResult(executionCount: executionCount)
        captured = ""
        Interrupt.requested = false   // a Ctrl-C pressed before this cell is not meant for it
        ImageLog.shared.begin()
        let start = DispatchTime.now().uptimeNanoseconds
        if storeHistory {
            inBox.items.append(.str(source))
            publishInputs()
        }
        do {
            let split = CellSplit(source, inlineCall: "__ipython_line_\(executionCount)__")
            installInlineCall(split)
            if let m = split.cellMagic {
                do {
                    try runCellMagic(name: m.name, argument: m.argument, body: m.body, magicLine: split.cellMagicLine,
                                  into: &result)
                } catch {
                    throw locate(error, line: split.cellMagicLine)
                }
            } else {
                for (k, part) in split.parts.enumerated() {
                    let last = k == split.parts.count - 1
                    let value = try run(part, into: &result)
                    if last, let value { try display(value, into: &result) }
                }
            }
        } catch {
            let e = LangError.from(error)
            result.error = e
            result.errorText = e.location == nil ? e.description : interpreter.render(e)
        }
        interpreter.finishCell()
        result.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        result.stdout = captured
        result.images = ImageLog.shared.end()
        return result
    }

    /// Runs one part of a cell; returns the value to display when it is the cell's last
    /// (`inline`: the value for the code that called it, which does any assignment).
    func run(_ part: CellSplit.Part, into result: inout ExecutionResult, inline: Bool = false) throws -> Value? {
        if case .code(let code, let line) = part { return try runCode(code, line: line) }
        do {
            return try runIPythonLine(part, into: &result, inline: inline)
        } catch {
            // Inline, the code's call of the line locates the error.
            if inline { throw error }
            throw locate(error, line: part.line)
        }
    }

    /// A magic, shell line or `obj?`: what `run(_:into:inline:)` does for it.
    private func runIPythonLine(_ part: CellSplit.Part, into result: inout ExecutionResult, inline: Bool) throws -> Value? {
        switch part {
        case .code(let code, let line):
            return try runCode(code, line: line)
        case .magic(let name, let argument, let assign, let line):
            let v = try runMagic(Magic(name: name, argument: argument, line: line), into: &result)
            if let assign, !inline { interpreter.setGlobal(assign, v ?? .none); return nil }
            return v
        case .shell(let command, let assign, _):
            let v = try shell(command, capture: assign != nil)
            if let assign, let v, !inline { interpreter.setGlobal(assign, v) }
            return inline ? v : nil
        case .help(let expression, let detail, let line):
            guard let v = try runCode(expression, line: line) else {
                throw LangError(.NameError, "Object `\(expression)` not found.")
            }
            print(helpText(v, expression: expression, detail: detail))
            return nil
        }
    }

    /// An error a magic, shell line or `obj?` raised without a place (a bad argument, a
    /// failed command) is located on its line of the current cell, carets from its first
    /// character to its last, as SPEC §9 wants every error; errors from code the line ran
    /// (`%time 1/0`) keep their own place.
    func locate(_ error: Error, line: Int) -> Error {
        var e = LangError.from(error)
        guard e.location == nil else { return e }
        let lines = current.source.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 0, line < lines.count else { return e }
        let text = Array(lines[line].unicodeScalars)
        let first = text.firstIndex { $0 != " " && $0 != "\t" } ?? 0
        var end = text.count
        while end > first + 1, text[end - 1] == " " || text[end - 1] == "\t" || text[end - 1] == "\r" { end -= 1 }
        let cell = interpreter.addCell(current)
        e.location = ErrorLocation(cell: cell, range: SourceRange(line: line + 1, column: first + 1,
                                                                  endLine: line + 1, endColumn: max(end, first + 1) + 1),
                                   function: nil)
        return e
    }

    /// Binds `__ipython_line_N__(k)`, which the code of this cell calls where an
    /// indented line was a magic, `!cmd` or `obj?`: it runs `inline[k]` there.
    func installInlineCall(_ split: CellSplit) {
        let inline = split.inline
        guard !inline.isEmpty else { return }
        let name = split.inlineCall
        let call = Builtin(path: name, signature: Signature(name, [Param("k")],
                                                            doc: "Runs an IPython line of an indented block.")) { [unowned self] a in
            guard case .int(let k) = a[0], k >= 0, k < inline.count else { return .none }
            var scratch = ExecutionResult(executionCount: self.executionCount)
            return try self.run(inline[k], into: &scratch, inline: true) ?? .none
        }
        interpreter.setGlobal(name, .builtin(call))
    }

    /// Runs code that starts on line `line` (0-based) of the current cell;
    /// earlier lines are left blank so errors point at the cell's own lines.
    func runCode(_ code: String, line: Int) throws -> Value? {
        let padded = String(repeating: "\n", count: line) + code
        var cell = current
        cell.source = padded
        // An error shows the cell's lines as typed: an indented magic's line, not the call
        // that stands for it (the code's lines are the cell's, one for one).
        let id = interpreter.lastCellID + 1
        defer { interpreter.setCellSource(id, current.source) }
        return try interpreter.run(padded, cell: cell)
    }

    /// Shows `v` as the cell's result and records it in `_`, `__`, `___`, `_N`, `Out[N]`.
    func display(_ v: Value, into result: inout ExecutionResult) throws {
        if case .none = v { return }
        result.displayed = try interpreter.checkedRepr(v)
        let n = executionCount
        if let key = HashKey(.int(n)) { outBox.set(key, .int(n), v) }
        interpreter.setGlobal("___", interpreter.global("__") ?? .str(""))
        interpreter.setGlobal("__", interpreter.global("_") ?? .str(""))
        interpreter.setGlobal("_", v)
        interpreter.setGlobal("_\(n)", v)
        interpreter.setGlobal("Out", .dict(outBox))
    }

    /// `In`, `_i`, `_ii`, `_iii`, `_iN` (IPython's input history), before the cell runs.
    func publishInputs() {
        let items = inBox.items
        interpreter.setGlobal("In", .list(inBox))
        interpreter.setGlobal("Out", .dict(outBox))
        interpreter.setGlobal("_i\(executionCount)", items[items.count - 1])
        for (name, back) in [("_i", 2), ("_ii", 3), ("_iii", 4)] {
            interpreter.setGlobal(name, items.count - back >= 0 ? items[items.count - back] : .str(""))
        }
    }

    /// Variables the user defined, for `%who` / `%whos`: without IPython's
    /// own (`In`, `Out`, `_`, `_3`, `_i3`, ...).
    public var userNames: [String] {
        interpreter.globalNames.filter { !$0.hasPrefix("_") && $0 != "In" && $0 != "Out" }
    }
}
