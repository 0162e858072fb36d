"""The convbook kernel behind a real Jupyter notebook server, as a browser front end reaches it:
REST to start a kernel, then the server's websocket bridge for the messages (the server signs
them on the ZeroMQ side). Runs a cell that prints, shows an image and trains, then shuts down.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

from tornado import ioloop, websocket

KERNEL = os.environ.get("CONVBOOK_KERNEL_NAME", "convbook")
TOKEN = uuid.uuid4().hex


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(port, method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}?token={TOKEN}", method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        text = r.read().decode()
        return json.loads(text) if text else None


def message(msg_type, content):
    return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "test", "session": "s",
                       "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": []}


async def run_cell(ws, code, timeout=240):
    msg = message("execute_request", {"code": code, "silent": False, "store_history": True,
                                      "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    await ws.write_message(json.dumps(msg))
    reply, outputs, idle = None, [], False
    deadline = time.time() + timeout
    while (reply is None or not idle) and time.time() < deadline:
        raw = await ws.read_message()
        if raw is None:
            raise AssertionError("websocket closed")
        m = json.loads(raw)
        if m["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
            continue
        if m["channel"] == "shell":
            reply = m["content"]
        elif m["msg_type"] == "status":
            idle = m["content"]["execution_state"] == "idle"
        else:
            outputs.append((m["msg_type"], m["content"]))
    assert reply is not None and idle, f"no reply/idle for {code!r}"
    return reply, outputs


async def scenario(port):
    kernel = api(port, "POST", "/api/kernels", {"name": KERNEL})
    url = f"ws://127.0.0.1:{port}/api/kernels/{kernel['id']}/channels?token={TOKEN}"
    ws = await websocket.websocket_connect(url)
    reply, outs = await run_cell(ws, 'print "through the server"')
    assert reply["status"] == "ok", reply
    assert ("stream", {"name": "stdout", "text": "through the server\n"}) in outs, outs
    reply, outs = await run_cell(ws, "data d = mnist(train: 100, test: 20)\nshow d.test[0]")
    assert reply["status"] == "ok", reply
    assert any(t == "display_data" and "image/png" in c["data"] for t, c in outs), outs
    reply, outs = await run_cell(ws, "model tiny(input: 28x28x1) {\n  dense 10 softmax\n}\ntrain tiny on d {\n  epochs 1  batch 20\n}")
    assert reply["status"] == "ok", reply
    kinds = [t for t, _ in outs]
    assert "display_data" in kinds, kinds
    reply, outs = await run_cell(ws, "train ghost on d")
    assert reply["status"] == "error", reply
    assert [t for t, _ in outs] == ["execute_input", "error"], outs
    ws.close()
    api(port, "DELETE", f"/api/kernels/{kernel['id']}")
    print("server scenario ok: print, image, training dashboard, error", flush=True)


def main():
    port = free_port()
    work = tempfile.mkdtemp(prefix="convbook-server-")
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=os.path.join(work, "runtime"))
    server = subprocess.Popen(
        [sys.executable, "-m", "notebook", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--NotebookApp.token={TOKEN}", f"--notebook-dir={work}", "--NotebookApp.open_browser=False"]
        + (["--allow-root"] if os.geteuid() == 0 else []),
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(300):
            try:
                api(port, "GET", "/api/status")
                break
            except Exception:
                time.sleep(0.1)
        else:
            server.kill()
            raise AssertionError("notebook server did not start: " + server.stderr.read().decode()[-2000:])
        ioloop.IOLoop.current().run_sync(lambda: scenario(port), timeout=600)
        return 0
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
