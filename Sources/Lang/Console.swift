import Foundation

/// How the front end shows long work, decided by the front end (the REPL,
/// `tensorpad run`), never by the interpreter asking the terminal: where
/// progress bars are written, whether they redraw one line in place, how
/// wide the terminal is, whether `plt.show()` draws in it, and how `print(...,
/// flush=True)` reaches the reader. The defaults suit a plain `Interpreter`
/// (tests, embedding): bars write their final state once to stderr.
public struct Console {
    /// Writes progress-bar text (stderr in the front ends).
    public var progress: (String) -> Void
    /// A terminal: bars redraw one line (`\r`) at most ~10 times a second.
    /// Otherwise (a pipe, a file, `--out`) each bar writes its final state once.
    public var live: Bool
    /// The terminal's width in columns, for a bar that fills the line; nil
    /// when not a terminal (the bar is then 10 cells, as tqdm's fallback).
    public var columns: Int?
    /// `plt.show()` draws the figure on stdout as text (Braille).
    public var plotsInTerminal: Bool
    /// Pushes printed text through to the reader (`print(..., flush=True)`).
    public var flush: () -> Void
    /// Seconds on a monotonic clock (tests inject a fixed one).
    public var clock: () -> Double
    /// Jupyter's inline rule: figures still open when a cell ends are shown
    /// (attached to the cell) and closed. Off in the REPL, where a figure
    /// stays open across cells until `plt.show()`.
    public var inlineFigures = false
    /// Text charts may use 24-bit colour escapes (a terminal without `NO_COLOR`).
    public var color = false

    public init(progress: @escaping (String) -> Void = Console.standardError, live: Bool = false, columns: Int? = nil,
                plotsInTerminal: Bool = false, flush: @escaping () -> Void = {},
                clock: @escaping () -> Double = Console.monotonicSeconds) {
        self.progress = progress; self.live = live; self.columns = columns
        self.plotsInTerminal = plotsInTerminal; self.flush = flush; self.clock = clock
    }

    public static func standardError(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }

    public static func monotonicSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}

extension Interpreter {
    /// The end of a cell: bars it left open are closed (drawing their final
    /// state), and with `console.inlineFigures` its open figures are shown.
    public func finishCell() {
        closeProgressBars()
        if console.inlineFigures { Pyplot.showOpenFigures(self) }
    }
}
