import Foundation
import Lang

/// Ctrl-C: while a cell runs it asks the interpreter to stop at the next
/// safe point (KeyboardInterrupt); at the prompt it clears the line.
enum Signals {
    nonisolated(unsafe) static var running = false

    static func install() {
        signal(SIGINT) { _ in
            if Signals.running { Interrupt.requested = true }
            LineEditor.sigintSeen = 1
        }
    }
}
