import Foundation
import Lang

/// `input(prompt='')` in a kernel session: an `input_request` on the stdin
/// channel to the client that sent the running execute request, then its
/// `input_reply`. Only the kernel's sessions get this `input` (its installer is
/// added before the kernel's `Session` is made). A client that did not allow
/// stdin gets IPython's refusal; an interrupt while waiting raises KeyboardInterrupt.
final class StdinChannel: @unchecked Sendable {
    weak var server: KernelServer?
    /// The execute request running now and whether its client accepts input requests.
    var request: Message?
    var allowed = false

    func install(_ r: Registry) {
        r.register(path: "input", signature: Signature("input", [Param("prompt", default: .str(""))],
                                                       doc: "Reads a line from the front end (Jupyter's stdin channel).")) { [self] a in
            .str(try read(prompt: a.interpreter.str(a[0])))
        }
    }

    func read(prompt: String) throws -> String {
        guard let server, let request, allowed else {
            throw LangError(.NotImplementedError, "raw_input was called, but this frontend does not support input requests.")
        }
        server.stream.flush()
        var ask = server.message("input_request", ["prompt": prompt, "password": false], parent: request)
        ask.identities = request.identities
        server.send(ask, on: server.stdin)
        while true {
            if Interrupt.requested {
                Interrupt.requested = false
                throw LangError(.KeyboardInterrupt, "")
            }
            if server.stopping { throw LangError(.KeyboardInterrupt, "") }
            guard server.stdin.poll(milliseconds: 50), let frames = try? server.stdin.receive(),
                  let reply = server.accept(frames, on: "stdin") else { continue }
            guard reply.type == "input_reply" else {
                server.log("ignored \(reply.type) on stdin")
                continue
            }
            return reply.content["value"] as? String ?? ""
        }
    }
}
