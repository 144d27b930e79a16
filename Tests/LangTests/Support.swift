import XCTest
@testable import Lang

/// Runs a program in a fresh session and returns what it printed.
func runProgram(_ source: String) throws -> String {
    let interp = Interpreter()
    var out = ""
    interp.output = { out += $0 }
    do {
        try interp.run(source)
    } catch let e as LangError {
        return out + interp.render(e)
    }
    return out
}

/// The first line of the error a program raises (`Kind: message`).
func errorLine(_ source: String) -> String {
    let interp = Interpreter()
    interp.output = { _ in }
    do {
        try interp.run(source)
        return "no error"
    } catch let e as LangError {
        return e.description
    } catch {
        return "\(error)"
    }
}

/// The rendered error of a program run as cell 2 of `t.tpad` starting at file line 5.
func renderedError(_ source: String, file: String? = "t.tpad", firstLine: Int = 5, label: String = "cell 2") -> String {
    let interp = Interpreter()
    interp.output = { _ in }
    do {
        try interp.run(source, cell: CellSource(source: source, fileName: file, firstLine: firstLine, label: label))
        return "no error"
    } catch let e as LangError {
        return interp.render(e)
    } catch {
        return "\(error)"
    }
}
