import Foundation
import Lang
import Formats

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

    public var ok: Bool { error == nil }
}

/// One persistent session: an interpreter, the execution count, the cells
/// run so far (for `%history` and `%save`) and the magics.
public final class Session {
    public let interpreter: Interpreter
    public private(set) var executionCount = 0
    /// Sources of the cells run, in order (`%history`, `%save`).
    public private(set) var inputs: [String] = []
    /// Receives printed text as it is printed (live output); the result also keeps it.
    public var onOutput: (String) -> Void = { _ in }
    /// Where the REPL or runner lives, for `%run` paths relative to it.
    var captured = ""

    public init() {
        interpreter = Interpreter()
        interpreter.output = { [unowned self] text in
            self.captured += text
            self.onOutput(text)
        }
    }

    /// Runs one cell (code or a magic line). `fileName`/`firstLine` locate errors in a
    /// file; `label` is `cell 2` in files and `In [5]` in the REPL (default).
    /// `storeHistory: false` (a kernel's silent execute) neither counts the cell nor keeps its source.
    public func run(_ source: String, fileName: String? = nil, firstLine: Int = 1, label: String? = nil,
                    storeHistory: Bool = true) -> ExecutionResult {
        if storeHistory {
            executionCount += 1
            inputs.append(source)
        }
        let cellLabel = label ?? "In [\(executionCount)]"
        var result = ExecutionResult(executionCount: executionCount)
        captured = ""
        Interrupt.requested = false   // a Ctrl-C pressed before this cell is not meant for it
        ImageLog.shared.begin()
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            if let magic = Magic.parse(source) {
                try runMagic(magic, into: &result)
            } else {
                let cell = CellSource(source: source, fileName: fileName, firstLine: firstLine, label: cellLabel)
                if let v = try interpreter.run(source, cell: cell) {
                    result.displayed = interpreter.repr(v)
                }
            }
        } catch {
            let e = LangError.from(error)
            result.error = e
            result.errorText = e.location == nil ? e.description : interpreter.render(e)
        }
        result.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        result.stdout = captured
        result.images = ImageLog.shared.end()
        return result
    }

    /// Variables the user defined, for `%who` / `%whos` and completion.
    public var userNames: [String] { interpreter.globalNames }
}
