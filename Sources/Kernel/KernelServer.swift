import Foundation
import CZMQ
import Lang
import Notebook

/// The Jupyter kernel: binds the five sockets the connection file names and
/// answers signed requests with one `Session` (the REPL's and the batch
/// runner's). Threads: the caller's thread reads shell requests and runs the
/// cells (the interpreter's thread); a control thread answers interrupt and
/// shutdown while a cell runs; a heartbeat thread echoes pings; IOPub is
/// shared under a lock. Only this module speaks the protocol.
public final class KernelServer: @unchecked Sendable {
    let connection: ConnectionFile
    let signer: Signer
    let context: ZMQContext
    let shell, control, stdin, iopub, heartbeat: ZMQSocket
    let iopubLock = NSLock()
    let session: Session
    let stdinChannel = StdinChannel()
    let version: String
    /// Identifies this kernel's messages (the header's `session`).
    let sessionID = UUID().uuidString.lowercased()
    private let stopLock = NSLock()
    private var stopRequested = false
    /// The requests queued behind a cell that failed with `stop_on_error`: executes are aborted.
    var toAbort: [Message] = []
    lazy var stream = StreamOutput(self)

    /// Binds every socket (only where the connection file says); throws if one cannot.
    public init(connectionFile path: String, version: String) throws {
        connection = try ConnectionFile.read(path: path)
        signer = Signer(key: connection.key)
        self.version = version
        context = try ZMQContext()
        shell = try ZMQSocket(context, type: ZMQ_ROUTER, name: "shell")
        control = try ZMQSocket(context, type: ZMQ_ROUTER, name: "control")
        stdin = try ZMQSocket(context, type: ZMQ_ROUTER, name: "stdin")
        iopub = try ZMQSocket(context, type: ZMQ_PUB, name: "iopub")
        heartbeat = try ZMQSocket(context, type: ZMQ_ROUTER, name: "heartbeat")
        try shell.bind(connection.endpoint(connection.shellPort))
        try control.bind(connection.endpoint(connection.controlPort))
        try stdin.bind(connection.endpoint(connection.stdinPort))
        try iopub.bind(connection.endpoint(connection.iopubPort))
        try heartbeat.bind(connection.endpoint(connection.hbPort))
        // `input()` asks the client over the stdin channel (this process's sessions only).
        let channel = stdinChannel
        Registry.defaultInstallers.append { channel.install($0) }
        session = Session()
        channel.server = self
    }

    var stopping: Bool {
        stopLock.lock(); defer { stopLock.unlock() }
        return stopRequested
    }

    func stop() {
        stopLock.lock(); stopRequested = true; stopLock.unlock()
        KernelInterrupt.request()   // a running cell ends at its next check
    }

    /// Serves until a shutdown request; returns the exit status.
    public func run() -> Int32 {
        KernelInterrupt.install()
        session.onOutput = { [stream] text in stream.write(text) }
        let hb = heartbeat
        Thread.detachNewThread { _ = zmq_proxy(hb.raw, hb.raw, nil); hb.close() }
        let controlThread = Thread { [self] in serveControl() }
        controlThread.start()
        publish("status", ["execution_state": "starting"], parent: nil)
        while !stopping {
            guard shell.poll(milliseconds: 100) else { continue }
            guard let frames = try? shell.receive() else { continue }
            guard let request = accept(frames, on: "shell") else { continue }
            handleShell(request)
            if !toAbort.isEmpty { abortQueued() }
        }
        finish()
        return 0
    }

    /// Interrupts and shutdowns, answered while a cell may be running.
    func serveControl() {
        let parent = ParentWatch()
        while !stopping {
            guard control.poll(milliseconds: 100) else {
                if parent.ended {
                    log("the process that started the kernel has ended; shutting down")
                    stop()
                }
                continue
            }
            guard let frames = try? control.receive(), let request = accept(frames, on: "control") else { continue }
            switch request.type {
            case "interrupt_request":
                KernelInterrupt.request()
                reply(request, on: control, "interrupt_reply", ["status": "ok"])
            case "shutdown_request":
                let restart = request.content["restart"] as? Bool ?? false
                reply(request, on: control, "shutdown_reply", ["status": "ok", "restart": restart])
                stop()
            case "kernel_info_request":
                reply(request, on: control, "kernel_info_reply", kernelInfo())
            default:
                log("ignored \(request.type) on control")
            }
        }
        control.close()
    }

    /// Closes every socket (queued replies get up to a second to leave) and ends the context.
    func finish() {
        ImageLog.shared.onRecord = nil
        stream.flush()
        publish("status", ["execution_state": "idle"], parent: nil)
        shell.close()
        stdin.close()
        iopubLock.lock()
        iopub.close()
        iopubLock.unlock()
        // The heartbeat proxy and the control thread close their sockets when the context ends.
        let watchdog = Thread { Thread.sleep(forTimeInterval: 3); exit(0) }
        watchdog.start()
        context.terminate()
    }

    // MARK: sending

    /// A new message in reply to `parent` (or unprompted when nil).
    func message(_ type: String, _ content: JSONObject, parent: Message?) -> Message {
        let header: JSONObject = [
            "msg_id": UUID().uuidString.lowercased(), "session": sessionID, "username": "tensorpad",
            "date": KernelServer.timestamp(), "msg_type": type, "version": "5.3",
        ]
        var m = Message(header: header)
        m.content = content
        if let parent { m.parentHeader = parent.header }
        return m
    }

    func reply(_ request: Message, on socket: ZMQSocket, _ type: String, _ content: JSONObject) {
        var m = message(type, content, parent: request)
        m.identities = request.identities
        send(m, on: socket)
    }

    /// Broadcasts on IOPub (topic `kernel.<session>.<type>`).
    func publish(_ type: String, _ content: JSONObject, parent: Message?) {
        var m = message(type, content, parent: parent)
        m.identities = [Data("kernel.\(sessionID).\(type)".utf8)]
        iopubLock.lock(); defer { iopubLock.unlock() }
        send(m, on: iopub)
    }

    func send(_ m: Message, on socket: ZMQSocket) {
        do { try socket.send(Wire.encode(m, signer: signer)) } catch {
            log("cannot send \(m.type) on \(socket.name): \(error)")
        }
    }

    /// Decodes a request; a wrong or missing signature drops it (logged, never run).
    func accept(_ frames: [Data], on channel: String) -> Message? {
        do { return try Wire.decode(frames, signer: signer) } catch {
            let why = (error as? WireError) == .badSignature ? "a wrong or missing signature" : "a malformed message (\(error))"
            log("dropped a message on \(channel) with \(why)")
            return nil
        }
    }

    func log(_ s: String) { fputs("tensorpad kernel: \(s)\n", stderr) }

    static func timestamp() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var t = time_t(tv.tv_sec)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(tv.tv_usec))
    }
}

/// Jupyter names the process that starts a kernel in `JPY_PARENT_PID`. When that
/// process dies without shutting the kernel down, the kernel is re-parented and
/// ends itself (ipykernel's parent poller does the same), so no orphan keeps a
/// core busy. Started by something else (a wrapper script), it waits instead for
/// re-parenting to init.
struct ParentWatch {
    let tracked: pid_t?
    let active: Bool

    init() {
        let named = ProcessInfo.processInfo.environment["JPY_PARENT_PID"].flatMap { pid_t($0) }
        active = named != nil
        tracked = named == getppid() ? named : nil
    }

    var ended: Bool {
        guard active else { return false }
        let now = getppid()
        if let tracked { return now != tracked }
        return now == 1
    }
}
