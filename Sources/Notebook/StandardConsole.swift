import Foundation
import Lang
#if canImport(Glibc)
import Glibc
#endif

extension Console {
    /// The console of this process, decided here (the front end), not in Lang:
    /// progress bars redraw in place when stderr is a terminal, and plots draw
    /// as text when stdout is one; with `notebookOutput` (`run --out`) bars
    /// write only their final state and figures go to the notebook instead.
    /// `inlineFigures` (a notebook run): figures left open at a cell's end are attached to it.
    public static func standard(notebookOutput: Bool, inlineFigures: Bool = false) -> Console {
        let errTTY = isatty(STDERR_FILENO) != 0, outTTY = isatty(STDOUT_FILENO) != 0
        var columns: Int?
        var ws = winsize()
        if errTTY, ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 { columns = Int(ws.ws_col) }
        if errTTY, columns == nil { columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 80 }
        var console = Console(progress: { s in fputs(s, stderr); fflush(stderr) },
                              live: errTTY && !notebookOutput, columns: columns,
                              plotsInTerminal: outTTY && !notebookOutput,
                              flush: { fflush(stdout) })
        console.inlineFigures = inlineFigures
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        console.color = outTTY && !noColor
        return console
    }
}
