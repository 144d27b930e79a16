import Foundation
import Lang
import Notebook
import Syntax

/// The shell channel's requests, each answered from the `Session`.
extension KernelServer {
    func handleShell(_ request: Message) {
        publish("status", ["execution_state": "busy"], parent: request)
        let c = request.content
        switch request.type {
        case "execute_request":
            execute(request)
        case "kernel_info_request":
            reply(request, on: shell, "kernel_info_reply", kernelInfo())
        case "complete_request":
            reply(request, on: shell, "complete_reply", complete(c["code"] as? String ?? "", cursor: c["cursor_pos"] as? Int))
        case "inspect_request":
            reply(request, on: shell, "inspect_reply", inspect(c["code"] as? String ?? "", cursor: c["cursor_pos"] as? Int))
        case "is_complete_request":
            reply(request, on: shell, "is_complete_reply", isComplete(c["code"] as? String ?? ""))
        case "history_request":
            reply(request, on: shell, "history_reply", history(c))
        case "comm_info_request":
            reply(request, on: shell, "comm_info_reply", ["status": "ok", "comms": JSONObject()])
        case "shutdown_request":
            reply(request, on: shell, "shutdown_reply", ["status": "ok", "restart": c["restart"] as? Bool ?? false])
            stop()
        default:
            log("ignored \(request.type) on shell")
        }
        publish("status", ["execution_state": "idle"], parent: request)
    }

    /// After a cell fails (with `stop_on_error`, the default), the execute requests
    /// that were queued behind it are answered `aborted` without running, as ipykernel
    /// does: "Run All" stops at the first error. Other requests are served.
    func receiveQueued() -> [Message] {
        var queued: [Message] = []
        while shell.poll(milliseconds: 0) {
            if let frames = try? shell.receive(), let request = accept(frames, on: "shell") { queued.append(request) }
        }
        return queued
    }

    func abortQueued() {
        let queued = toAbort
        toAbort = []
        for request in queued {
            guard request.type == "execute_request" else { handleShell(request); continue }
            publish("status", ["execution_state": "busy"], parent: request)
            reply(request, on: shell, "execute_reply", ["status": "aborted", "execution_count": session.executionCount])
            publish("status", ["execution_state": "idle"], parent: request)
        }
    }

    func kernelInfo() -> JSONObject {
        [
            "status": "ok", "protocol_version": "5.3",
            "implementation": "tensorpad", "implementation_version": version,
            "language_info": [
                "name": "python", "version": "3", "mimetype": "text/x-python", "file_extension": ".py",
                "pygments_lexer": "python", "codemirror_mode": "python", "nbconvert_exporter": "python",
            ] as JSONObject,
            "banner": "Tensorpad \(version) — PyTorch's layers in a Python-like language. help() for a guide.",
            "help_links": [Any](),
        ]
    }

    /// Runs a cell: `execute_input`, output streamed as printed, images as
    /// `display_data` when shown, then `execute_result` or `error`, then the reply.
    func execute(_ request: Message) {
        let c = request.content
        let code = c["code"] as? String ?? ""
        let silent = c["silent"] as? Bool ?? false
        let storeHistory = !silent && (c["store_history"] as? Bool ?? true)
        if !silent {
            publish("execute_input", ["code": code, "execution_count": session.executionCount + (storeHistory ? 1 : 0)], parent: request)
        }
        stream.begin(parent: request, silent: silent)
        ImageLog.shared.onRecord = silent ? nil : { [self] png, path in
            stream.flush()
            publish("display_data", KernelServer.displayBundle(png: png, path: path), parent: request)
        }
        stdinChannel.request = request
        stdinChannel.allowed = c["allow_stdin"] as? Bool ?? false
        KernelInterrupt.running = true
        let r = session.run(code, storeHistory: storeHistory)
        KernelInterrupt.running = false
        stdinChannel.request = nil
        Interrupt.requested = false
        ImageLog.shared.onRecord = nil
        stream.flush()
        if let shown = r.displayed, !silent {
            publish("execute_result", ["execution_count": r.executionCount, "data": ["text/plain": shown], "metadata": JSONObject()],
                    parent: request)
        }
        var content: JSONObject = ["execution_count": r.executionCount]
        if let e = r.error {
            let error: JSONObject = [
                "ename": e.name, "evalue": e.message,
                "traceback": (r.errorText ?? e.description).split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
            ]
            if !silent { publish("error", error, parent: request) }
            content.merge(error) { a, _ in a }
            content["status"] = "error"
            // Taken before the reply goes out: only requests sent before the client saw the error.
            if c["stop_on_error"] as? Bool ?? true { toAbort = receiveQueued() }
        } else {
            content["status"] = "ok"
            content["payload"] = [Any]()
            content["user_expressions"] = userExpressions(c["user_expressions"] as? [String: String] ?? [:])
        }
        reply(request, on: shell, "execute_reply", content)
    }

    /// The image as `display_data` shows it: PNG (base64) with its size, and the
    /// path it was saved to as text, as `tensorpad run --out` writes it.
    static func displayBundle(png: Data, path: String?) -> JSONObject {
        var data: JSONObject = ["image/png": png.base64EncodedString()]
        if let path { data["text/plain"] = "<image \(path)>" }
        var metadata = JSONObject()
        // IHDR: width and height, big-endian, at bytes 16..<24.
        if png.count >= 24 {
            let b = [UInt8](png.prefix(24))
            let w = b[16..<20].reduce(0) { $0 << 8 | Int($1) }, h = b[20..<24].reduce(0) { $0 << 8 | Int($1) }
            metadata["image/png"] = ["width": w, "height": h]
        }
        return ["data": data, "metadata": metadata, "transient": JSONObject()]
    }

    /// Each expression's repr, or its error, after the cell (as IPython answers `user_expressions`).
    func userExpressions(_ exprs: [String: String]) -> JSONObject {
        var out = JSONObject()
        for (name, expr) in exprs {
            do {
                let v = try session.interpreter.run(expr, cell: CellSource(source: expr, label: "user_expressions"))
                out[name] = ["status": "ok", "data": ["text/plain": v.map { session.interpreter.repr($0) } ?? "None"],
                             "metadata": JSONObject()] as JSONObject
            } catch {
                let e = LangError.from(error)
                out[name] = ["status": "error", "ename": e.name, "evalue": e.message, "traceback": [String]()] as JSONObject
            }
        }
        return out
    }

    /// The REPL's completer on the line the cursor is in; positions in code points.
    func complete(_ code: String, cursor: Int?) -> JSONObject {
        let scalars = Array(code.unicodeScalars)
        let pos = min(max(0, cursor ?? scalars.count), scalars.count)
        let before = String(String.UnicodeScalarView(scalars[..<pos]))
        let line = before.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let lineStart = pos - line.unicodeScalars.count
        var matches: [String] = []
        var start = pos
        if !line.allSatisfy({ $0 == " " || $0 == "\t" }) {   // Tab at the start of a line indents in the front end
            let (s, candidates) = Completion.complete(line: line, cursor: line.count, session: session)
            matches = candidates
            start = lineStart + String(line.prefix(s)).unicodeScalars.count
        }
        return ["status": "ok", "matches": matches, "cursor_start": start, "cursor_end": pos, "metadata": JSONObject()]
    }

    /// `help()`'s text for the name at the cursor.
    func inspect(_ code: String, cursor: Int?) -> JSONObject {
        let scalars = Array(code.unicodeScalars)
        let pos = min(max(0, cursor ?? scalars.count), scalars.count)
        let at = String(String.UnicodeScalarView(scalars[..<pos])).count
        guard let text = Inspection.help(code: code, cursor: at, session: session) else {
            return ["status": "ok", "found": false, "data": JSONObject(), "metadata": JSONObject()]
        }
        return ["status": "ok", "found": true, "data": ["text/plain": text], "metadata": JSONObject()]
    }

    /// The parser's check (the REPL's continuation rule); an open block asks for one more indent.
    func isComplete(_ code: String) -> JSONObject {
        switch checkComplete(code + "\n") {
        case .complete: return ["status": "complete"]
        case .invalid: return ["status": "invalid"]
        case .incomplete:
            let last = code.split(separator: "\n", omittingEmptySubsequences: false)
                .last { !$0.allSatisfy { $0 == " " || $0 == "\t" } }.map(String.init) ?? ""
            var indent = String(last.prefix { $0 == " " || $0 == "\t" })
            if last.trimmingCharacters(in: .whitespaces).hasSuffix(":") { indent += "    " }
            return ["status": "incomplete", "indent": indent]
        }
    }

    /// The cells run so far: `tail` (last n), `range` (start..<stop) or `search` (glob pattern).
    func history(_ c: JSONObject) -> JSONObject {
        let entries = session.inputs.enumerated().map { (n: $0.offset + 1, input: $0.element) }
        var chosen: [(n: Int, input: String)]
        switch c["hist_access_type"] as? String ?? "tail" {
        case "range":
            let start = c["start"] as? Int ?? 1, stop = c["stop"] as? Int ?? Int.max
            chosen = entries.filter { $0.n >= start && $0.n < stop }
        case "search":
            let pattern = c["pattern"] as? String ?? "*"
            chosen = entries.filter { fnmatch(pattern, $0.input, 0) == 0 }
            if c["unique"] as? Bool ?? false {
                var seen = Set<String>()
                chosen = chosen.reversed().filter { seen.insert($0.input).inserted }.reversed()
            }
            if let n = c["n"] as? Int, n >= 0 { chosen = Array(chosen.suffix(n)) }
        default:
            chosen = entries
            if let n = c["n"] as? Int, n >= 0 { chosen = Array(chosen.suffix(n)) }
        }
        return ["status": "ok", "history": chosen.map { [0, $0.n, $0.input] as [Any] }]
    }
}
