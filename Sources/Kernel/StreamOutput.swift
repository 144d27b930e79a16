import Foundation

/// A cell's printed text on IOPub as `stream` (stdout) messages while the
/// cell runs: text printed within 20 ms goes out as one message, so a loop
/// that prints thousands of lines does not send thousands of messages.
/// `flush()` sends what is pending at once (before an image, a result or
/// the reply, so the order on IOPub is the order the cell produced them).
final class StreamOutput: @unchecked Sendable {
    private unowned let server: KernelServer
    private let lock = NSLock()
    private var pending = ""
    private var parent: Message?
    private var silent = false
    private var scheduled = false
    private let timer = DispatchQueue(label: "tensorpad.kernel.stream")
    static let delay = DispatchTimeInterval.milliseconds(20)

    init(_ server: KernelServer) { self.server = server }

    /// The request the next output answers.
    func begin(parent: Message, silent: Bool) {
        lock.lock(); defer { lock.unlock() }
        self.parent = parent
        self.silent = silent
        pending = ""
    }

    func write(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        if silent { return }
        pending += text
        if !scheduled {
            scheduled = true
            timer.asyncAfter(deadline: .now() + StreamOutput.delay) { [self] in flush() }
        }
    }

    /// Sends the pending text. The lock is held while it is published, so a
    /// message the caller sends next cannot overtake it.
    func flush() {
        lock.lock(); defer { lock.unlock() }
        scheduled = false
        guard !pending.isEmpty else { return }
        server.publish("stream", ["name": "stdout", "text": pending], parent: parent)
        pending = ""
    }
}
