"""Drives the real Tensorpad kernel through jupyter_client and nbclient.

    python kernel_driver.py SCENARIO [ARGS...]

Each scenario starts the kernel the way Jupyter does (KernelManager and the
`tensorpad` kernelspec found on JUPYTER_PATH), exercises it, and prints one
JSON object with what it observed; KernelTests.swift asserts on it. The
`latency` scenario measures a trivial execute against ipykernel's.
"""
import base64
import glob
import json
import os
import queue
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import uuid

import jupyter_client
from jupyter_client.session import Session


def start(kernel_name="tensorpad", stderr=None, cwd=None):
    km = jupyter_client.KernelManager(kernel_name=kernel_name)
    kw = {}
    if stderr is not None:
        kw["stderr"] = stderr
    if cwd is not None:
        kw["cwd"] = cwd
    km.start_kernel(**kw)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def collect(kc, msg_id, timeout=30):
    """IOPub messages answering msg_id until idle (each with its arrival time), and the shell reply."""
    deadline = time.time() + timeout
    iopub = []
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.01, deadline - time.time()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        iopub.append({"type": msg["msg_type"], "content": msg["content"], "t": time.time()})
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    while True:
        reply = kc.get_shell_msg(timeout=max(0.01, deadline - time.time()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return iopub, {"type": reply["msg_type"], "content": reply["content"], "t": time.time()}


def execute(kc, code, timeout=30, **kw):
    sent = time.time()
    msg_id = kc.execute(code, **kw)
    iopub, reply = collect(kc, msg_id, timeout)
    for m in iopub:
        m["t"] -= sent
    reply["t"] -= sent
    return {"iopub": iopub, "reply": reply}


def png_size(b64):
    png = base64.b64decode(b64)
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return list(struct.unpack(">II", png[16:24]))


def scenario_kernel_info():
    km, kc = start()
    try:
        reply = kc.kernel_info(reply=True, timeout=30)
        # the heartbeat echoes: the client's channel still sees it beating after a few periods
        time.sleep(3.5)
        return {"msg_type": reply["msg_type"], "content": reply["content"], "beating": kc.hb_channel.is_beating()}
    finally:
        stop(km, kc)


def scenario_execute():
    km, kc = start()
    try:
        r = execute(kc, "import time\n"
                        "print('first')\n"
                        "time.sleep(0.6)\n"
                        "print('second')\n"
                        "show(torch.arange(6.0).reshape(2, 3), color=False)\n"
                        "x = torch.ones(2, 3)\n"
                        "x * 2")
        for m in r["iopub"]:
            if m["type"] == "display_data":
                m["png_size"] = png_size(m["content"]["data"]["image/png"])
                m["content"]["data"]["image/png"] = "<%d base64 chars>" % len(m["content"]["data"]["image/png"])
        silent = execute(kc, "y = 7\ny", silent=True)
        after = execute(kc, "print(y)\nx.sum()", user_expressions={"s": "x.shape", "bad": "nope"})
        history = kc.history(hist_access_type="tail", n=10, reply=True, timeout=10)["content"]
        return {"first": r, "silent": silent, "after": after, "history": history}
    finally:
        stop(km, kc)


def scenario_error():
    km, kc = start()
    try:
        ok = execute(kc, "a = 1")
        err = execute(kc, "b = torch.zeros(2)\nc = b[5]")
        again = execute(kc, "a + 1")
        # Run All: the cells queued behind a failing one are aborted (stop_on_error, the default);
        # the first sleeps so that all are queued before the second fails
        def statuses(ids):
            replies = {}
            while len(replies) < len(ids):
                m = kc.get_shell_msg(timeout=30)
                replies[m["parent_header"]["msg_id"]] = m["content"]["status"]
            return [replies[i] for i in ids]
        run_all = statuses([kc.execute(code) for code in ["import time\ntime.sleep(0.3)\nd = 1", "1 / 0", "queued_later = 2", "f = 3"]])
        # stop_on_error=False: the next cell runs
        go_on = statuses([kc.execute("1 / 0", stop_on_error=False), kc.execute("g = 4")])
        defined = execute(kc, "[d, g]")
        missing = execute(kc, "queued_later")
        return {"ok": ok, "error": err, "again": again, "run_all": run_all, "go_on": go_on, "defined": defined, "missing": missing}
    finally:
        stop(km, kc)


def interrupt_once(km, kc, how):
    msg_id = kc.execute("while True: pass")
    # wait until the loop runs (its execute_input is out), then give it a moment
    while True:
        msg = kc.get_iopub_msg(timeout=30)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
            break
    time.sleep(0.3)
    t0 = time.time()
    if how == "message":
        km.interrupt_kernel()  # the kernelspec's interrupt_mode: an interrupt_request on control
    else:
        os.kill(km.provisioner.process.pid, signal.SIGINT)
    iopub, reply = collect(kc, msg_id, timeout=30)
    return {"seconds": reply["t"] - t0, "reply": reply["content"],
            "errors": [m["content"] for m in iopub if m["type"] == "error"]}


def scenario_interrupt():
    km, kc = start()
    try:
        execute(kc, "keep = 41\nnet = nn.Linear(2, 3)")
        by_message = interrupt_once(km, kc, "message")
        by_signal = interrupt_once(km, kc, "signal")
        # a SIGINT between cells must not end the kernel
        os.kill(km.provisioner.process.pid, signal.SIGINT)
        time.sleep(0.3)
        after = execute(kc, "keep + 1")
        shape = execute(kc, "net.weight.shape")
        return {"message": by_message, "signal": by_signal, "alive": km.is_alive(),
                "after": after, "shape": shape}
    finally:
        stop(km, kc)


def scenario_stdin():
    km, kc = start()
    try:
        msg_id = kc.execute("name = input('Your name: ')\nprint('hello', name)\nlen(name)", allow_stdin=True)
        request = kc.get_stdin_msg(timeout=30)
        kc.input("Ada")
        iopub, reply = collect(kc, msg_id)
        answered = {"request": {"type": request["msg_type"], "content": request["content"],
                                "parent": request["parent_header"].get("msg_id") == msg_id},
                    "iopub": [{"type": m["type"], "content": m["content"]} for m in iopub], "reply": reply["content"]}
        refused = execute(kc, "input('x? ')", allow_stdin=False)
        # interrupted while waiting for the answer: KeyboardInterrupt, and the session lives on
        msg_id = kc.execute("other = input()", allow_stdin=True)
        kc.get_stdin_msg(timeout=30)
        t0 = time.time()
        km.interrupt_kernel()
        _, interrupted = collect(kc, msg_id)
        seconds = time.time() - t0
        after = execute(kc, "name")
        return {"answered": answered, "refused": refused, "interrupted": interrupted["content"],
                "interrupt_seconds": seconds, "after": after}
    finally:
        stop(km, kc)


def scenario_complete():
    km, kc = start()
    try:
        execute(kc, "conv_layer = nn.Conv2d(1, 2, 3)")
        out = {}
        for name, code, pos in [("conv", "nn.Conv", None), ("second_line", "x = 1\nnn.Conv", None),
                                ("attr", "conv_layer.wei", None), ("keyword", "nn.Conv2d(1, 2, 3, padd", None),
                                ("middle", "nn.Conv + 1", 7)]:
            kw = {} if pos is None else {"cursor_pos": pos}
            out[name] = kc.complete(code, reply=True, timeout=10, **kw)["content"]
        return out
    finally:
        stop(km, kc)


def scenario_inspect():
    km, kc = start()
    try:
        return {"name": kc.inspect("nn.Conv2d", reply=True, timeout=10)["content"],
                "in_call": kc.inspect("nn.Conv2d(3, ", reply=True, timeout=10)["content"],
                "unknown": kc.inspect("nothing_here", reply=True, timeout=10)["content"]}
    finally:
        stop(km, kc)


def scenario_is_complete():
    km, kc = start()
    try:
        out = {}
        for code in ["for i in range(3):", "for i in range(3):\n    x = i", "for i in range(3):\n    x = i\n",
                     "x = (1,", "x = 1", "x = )"]:
            msg_id = kc.is_complete(code)
            out[code] = kc.get_shell_msg(timeout=10)["content"]
        return out
    finally:
        stop(km, kc)


def scenario_restart():
    km, kc = start()
    try:
        before = execute(kc, "a = 5\na")
        pid = km.provisioner.process.pid
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=60)
        after = execute(kc, "a")
        fresh = execute(kc, "b = 3\nb")
        return {"before": before, "after": after, "fresh": fresh,
                "new_process": km.provisioner.process.pid != pid}
    finally:
        stop(km, kc)


def scenario_bad_signature():
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    km, kc = start(stderr=log)
    try:
        info = km.get_connection_info(session=False)
        wrong = Session(key=b"not-the-key", signature_scheme="hmac-sha256")
        unsigned = Session(key=b"", signature_scheme="hmac-sha256")
        sock = km.context.socket(jupyter_client.session.zmq.DEALER)
        sock.linger = 0
        sock.connect("%s://%s:%d" % (info["transport"], info["ip"], info["shell_port"]))
        for s, code in [(wrong, "hacked = 1"), (unsigned, "hacked = 2")]:
            s.send(sock, s.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                                   "user_expressions": {}, "allow_stdin": False}))
        answered = sock.poll(1000) != 0
        sock.close()
        check = execute(kc, "hacked")
        log.flush()
        with open(log.name) as f:
            stderr = f.read()
        return {"answered": answered, "check": check, "stderr": stderr}
    finally:
        stop(km, kc)
        os.unlink(log.name)


def scenario_stress(n="1000"):
    n = int(n)
    km, kc = start()
    try:
        t0 = time.time()
        ids = [kc.execute("i = %d\ni" % k) for k in range(n)]
        replies = []
        while len(replies) < n:
            m = kc.get_shell_msg(timeout=60)
            if m["msg_type"] == "execute_reply":
                replies.append((m["parent_header"]["msg_id"], m["content"]["status"], m["content"]["execution_count"]))
        results = {}
        idle = 0
        while idle < n:
            m = kc.get_iopub_msg(timeout=60)
            pid = m["parent_header"].get("msg_id")
            if m["msg_type"] == "execute_result":
                results[pid] = m["content"]["data"]["text/plain"]
            elif m["msg_type"] == "status" and m["content"]["execution_state"] == "idle" and pid in ids:
                idle += 1
        return {"seconds": time.time() - t0,
                "in_order": [r[0] for r in replies] == ids,
                "statuses": sorted(set(r[1] for r in replies)),
                "counts_in_order": [r[2] for r in replies] == list(range(1, n + 1)),
                "results_match": [results.get(i) for i in ids] == [str(k) for k in range(n)]}
    finally:
        stop(km, kc)


def scenario_orphan():
    """The process that started the kernel is killed (-9) while a cell runs: the kernel ends itself."""
    launcher = ("import jupyter_client, time\n"
                "km = jupyter_client.KernelManager(kernel_name='tensorpad'); km.start_kernel()\n"
                "kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=60)\n"
                "kc.execute('while True: pass'); time.sleep(0.5)\n"
                "print(km.provisioner.process.pid, flush=True); time.sleep(600)\n")
    p = subprocess.Popen([sys.executable, "-c", launcher], stdout=subprocess.PIPE, text=True)
    pid = int(p.stdout.readline())
    running_before = alive(pid)
    p.kill()
    p.wait()
    t0 = time.time()
    while alive(pid) and time.time() - t0 < 10:
        time.sleep(0.05)
    return {"running_before": running_before, "ended": not alive(pid), "seconds": time.time() - t0}


def alive(pid):
    """Running and not a zombie (an orphan's zombie may wait for a reaper)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def text_outputs(cells):
    """Per code cell: stdout text joined, the execute_result text, and the error's name and value."""
    out = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        stdout, result, error = "", None, None
        for o in cell.get("outputs", []):
            if o["output_type"] == "stream" and o["name"] == "stdout":
                stdout += o["text"] if isinstance(o["text"], str) else "".join(o["text"])
            elif o["output_type"] == "execute_result":
                t = o["data"].get("text/plain", "")
                result = t if isinstance(t, str) else "".join(t)
            elif o["output_type"] == "error":
                error = [o["ename"], o["evalue"]]
        out.append({"stdout": stdout, "result": result, "error": error})
    return out


def scenario_notebooks(binary, root):
    import nbformat
    from nbclient import NotebookClient
    # The training notebooks, shortened as their own tests run them (both runs see these).
    os.environ.setdefault("EPOCHS", "1")
    os.environ.setdefault("SUBSET", "512")
    out = {}
    # Notebook 08 trains LeNet on Fashion-MNIST (10 epochs of 60,000 images by default): here one
    # epoch of 512 images, in both runs (the kernel inherits this environment too);
    # NotebookTests/TrainingNotebookTests checks its numbers against PyTorch.
    os.environ.setdefault("EPOCHS", "1")
    os.environ.setdefault("SUBSET", "512")
    for path in sorted(glob.glob(os.path.join(root, "Notebooks", "*.tpad"))):
        name = os.path.basename(path)
        work = tempfile.mkdtemp()
        try:
            # Both runs see the repository's Notebooks folder from a scratch copy of it; the
            # kernel starts in the notebook's folder, as Jupyter starts it (and as tensorpad run runs it).
            shutil.copytree(os.path.join(root, "Notebooks"), os.path.join(work, "batch", "Notebooks"))
            shutil.copytree(os.path.join(root, "Notebooks"), os.path.join(work, "kernel", "Notebooks"))
            ipynb = os.path.join(work, name.replace(".tpad", ".ipynb"))
            env = dict(os.environ, TENSORPAD_NO_PROGRESS="1")
            subprocess.run([binary, "convert", path, ipynb], check=True, env=env)
            batch_out = os.path.join(work, "batch.ipynb")
            run = subprocess.run([binary, "run", os.path.join("Notebooks", name), "--out", batch_out],
                                 cwd=os.path.join(work, "batch"), env=env, capture_output=True, text=True)
            nb = nbformat.read(ipynb, as_version=4)
            kernel_name = nb.metadata.get("kernelspec", {}).get("name")
            client = NotebookClient(nb, timeout=600, allow_errors=True,
                                    resources={"metadata": {"path": os.path.join(work, "kernel", "Notebooks")}})
            client.execute()
            batch = nbformat.read(batch_out, as_version=4)
            out[name] = {"kernelspec": kernel_name, "run_status": run.returncode,
                         "batch": text_outputs(batch.cells), "kernel": text_outputs(nb.cells),
                         "kernel_images": sum(1 for c in nb.cells for o in c.get("outputs", [])
                                              if o["output_type"] == "display_data" and "image/png" in o.get("data", {}))}
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return out


def scenario_console():
    """jupyter console --kernel tensorpad, fed from a pipe."""
    exe = os.path.join(os.path.dirname(sys.executable), "jupyter-console")
    p = subprocess.run([exe, "--kernel", "tensorpad", "--simple-prompt", "--ZMQTerminalInteractiveShell.banner="],
                       input="x = torch.arange(4.0)\nprint(x.sum())\nx * 2\n", capture_output=True, text=True,
                       timeout=120)
    return {"status": p.returncode, "stdout": p.stdout, "stderr": p.stderr}


def scenario_latency(n="300"):
    """A trivial execute's round trip (request sent to reply and idle received), Tensorpad
    beside ipykernel: both kernels run at once and are timed alternately, so load on the
    machine falls on both alike."""
    n = int(n)
    names = ["tensorpad", "python3"]
    kernels = {name: start(name) for name in names}
    times = {name: [] for name in names}
    try:
        for k in range(20 + n):
            for name in names:
                kc = kernels[name][1]
                t0 = time.perf_counter()
                collect(kc, kc.execute("1"))
                if k >= 20:
                    times[name].append((time.perf_counter() - t0) * 1000)
    finally:
        for km, kc in kernels.values():
            stop(km, kc)
    out = {}
    for name in names:
        t = sorted(times[name])
        out[name] = {"median_ms": round(t[n // 2], 3), "p10_ms": round(t[n // 10], 3), "p90_ms": round(t[n * 9 // 10], 3)}
    return out


if __name__ == "__main__":
    name, args = sys.argv[1], sys.argv[2:]
    result = globals()["scenario_" + name](*args)
    sys.stdout.write(json.dumps(result, indent=1) + "\n")
