import Foundation
import CZMQ

/// A failed libzmq call, with `zmq_strerror`'s words.
public struct ZMQError: Error, CustomStringConvertible {
    public let call: String
    public let code: Int32
    public var description: String { "\(call): \(String(cString: zmq_strerror(code)))" }
    init(_ call: String) { self.call = call; code = zmq_errno() }
}

/// One libzmq context per kernel; its sockets are closed before it is terminated.
final class ZMQContext: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
    init() throws {
        guard let c = zmq_ctx_new() else { throw ZMQError("zmq_ctx_new") }
        raw = c
    }
    /// Blocks until every socket is closed (their unsent messages delivered or lingered out).
    func terminate() { _ = zmq_ctx_term(raw) }
}

/// A libzmq socket sending and receiving multipart messages as `[Data]`.
/// A socket is used by one thread at a time (IOPub is shared under a lock).
final class ZMQSocket: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
    let name: String

    init(_ context: ZMQContext, type: Int32, name: String) throws {
        guard let s = zmq_socket(context.raw, type) else { throw ZMQError("zmq_socket(\(name))") }
        raw = s
        self.name = name
        var linger: Int32 = 1000   // at close, give queued replies a second to leave
        zmq_setsockopt(raw, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
    }

    func bind(_ endpoint: String) throws {
        if zmq_bind(raw, endpoint) != 0 {
            throw ZMQError("cannot bind the \(name) socket to \(endpoint)")
        }
    }

    /// Sends the frames as one message (every frame but the last with SNDMORE).
    func send(_ frames: [Data]) throws {
        for (k, frame) in frames.enumerated() {
            let flags: Int32 = k + 1 < frames.count ? ZMQ_SNDMORE : 0
            let rc = frame.withUnsafeBytes { buf -> Int32 in
                while true {
                    let r = zmq_send(raw, buf.baseAddress, buf.count, flags)
                    if r >= 0 || zmq_errno() != EINTR { return r }
                }
            }
            if rc < 0 { throw ZMQError("zmq_send(\(name))") }
        }
    }

    /// Receives one whole multipart message, blocking; retries when a signal interrupts the wait.
    func receive() throws -> [Data] {
        var frames: [Data] = []
        var msg = zmq_msg_t()
        while true {
            zmq_msg_init(&msg)
            var rc: Int32
            repeat { rc = zmq_msg_recv(&msg, raw, 0) } while rc < 0 && zmq_errno() == EINTR
            if rc < 0 {
                let e = ZMQError("zmq_msg_recv(\(name))")
                zmq_msg_close(&msg)
                throw e
            }
            let size = zmq_msg_size(&msg)
            if size > 0, let p = zmq_msg_data(&msg) {
                frames.append(Data(bytes: p, count: size))
            } else {
                frames.append(Data())
            }
            let more = zmq_msg_more(&msg) != 0
            zmq_msg_close(&msg)
            if !more { return frames }
        }
    }

    /// Whether a message is waiting, waiting at most `milliseconds` (-1: forever).
    func poll(milliseconds: Int) -> Bool {
        var item = zmq_pollitem_t(socket: raw, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        let rc = zmq_poll(&item, 1, milliseconds)
        return rc > 0 && (item.revents & Int16(ZMQ_POLLIN)) != 0
    }

    func close() { zmq_close(raw) }
}
