"""Protocol robustness of the convbook kernel through jupyter_client (the real session worker).

Checks: a badly signed request is neither run nor answered; garbage frames do not crash it;
interrupt (message and SIGINT) during a long training cell returns quickly with KeyboardInterrupt
and keeps the session; heartbeat answers during a long cell; 200 cells keep execution_count right
with flat memory; shutdown ends the process within 5 s. Prints one JSON line of measurements.
"""
import json
import os
import signal
import sys
import time
import unittest
import uuid

import zmq
from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session
from jupyter_client.utils import run_sync

KERNEL = os.environ.get("CONVBOOK_KERNEL_NAME", "convbook")
REPORT = {}

# A cell that trains for minutes unless interrupted: enough data and epochs on a small conv net.
LONG_SETUP = """data d = mnist(train: 6000, test: 200, seed: 1)
model m(input: 28x28x1) {
  conv 16 kernel 3x3 padding same relu
  maxpool 2x2
  conv 32 kernel 3x3 relu
  dense 10 softmax
}"""
LONG_TRAIN = """train m on d {
  epochs 200  batch 16  seed 3
  optimizer sgd(lr: 0.01)
}"""


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


class ProtocolTests(unittest.TestCase):
    def setUp(self):
        self.km, self.kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=60)
        self.pid = self.km.provisioner.process.pid

    def tearDown(self):
        try:
            self.kc.stop_channels()
            if self.km.is_alive():
                self.km.shutdown_kernel(now=True)
        except Exception:
            pass

    def run_cell(self, code, timeout=120):
        """Executes and returns (reply content, [iopub messages of this request])."""
        msg_id = self.kc.execute(code)
        reply = self.kc.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=timeout)
        msgs = self.collect_iopub(msg_id, timeout)
        return reply["content"], msgs

    def collect_iopub(self, msg_id, timeout=30):
        msgs = []
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = self.kc.get_iopub_msg(timeout=timeout)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            msgs.append(m)
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                return msgs
        raise AssertionError("no idle for " + msg_id)

    def raw_dealer(self, port_attr="shell_port"):
        ctx = zmq.Context.instance()
        sock = ctx.socket(zmq.DEALER)
        sock.linger = 0
        sock.connect(f"tcp://{self.km.ip}:{getattr(self.km, port_attr)}")
        return sock

    def wait_started(self, msg_id, timeout=60):
        """Waits for the execute_input of a request (the cell has started running)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = self.kc.get_iopub_msg(timeout=timeout)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
                return
        raise AssertionError("cell never started")

    def test_bad_signature_not_executed_and_kernel_stays_up(self):
        first, _ = self.run_cell('print "one"')
        evil = Session(key=b"not-the-real-key", signature_scheme="hmac-sha256")
        sock = self.raw_dealer()
        msg = evil.msg("execute_request", content={"code": 'print "pwned"', "silent": False, "store_history": True,
                                                     "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        evil.send(sock, msg)
        # Nothing comes back on that socket.
        self.assertEqual(sock.poll(1500), 0)
        second, msgs = self.run_cell('print "two"')
        self.assertEqual(second["execution_count"], first["execution_count"] + 1)
        self.assertTrue(self.km.is_alive())
        sock.close()

    def test_stop_on_error_aborts_queued_cells(self):
        # The failing cell loads data first, so the two behind it are surely queued when it fails.
        failing = self.kc.execute('data small = mnist(train: 500, test: 10)\nload gone = "no-such-file.convbook"')
        queued = [self.kc.execute('print "should not run"') for _ in range(2)]
        ours = {failing, *queued}
        replies = {}
        while len(replies) < 3:
            r = self.kc.get_shell_msg(timeout=60)
            if r["parent_header"].get("msg_id") in ours:
                replies[r["parent_header"]["msg_id"]] = r["content"]
        self.assertEqual(replies[failing]["status"], "error")
        for q in queued:
            self.assertEqual(replies[q]["status"], "aborted")
        after, msgs = self.run_cell('print "runs again"')
        self.assertEqual(after["status"], "ok")

    def test_garbage_frames_do_not_crash(self):
        for port in ("shell_port", "control_port"):
            sock = self.raw_dealer(port)
            sock.send_multipart([b"garbage"])
            sock.send_multipart([b"<IDS|MSG>", b"sig", b"{not json"])
            sock.send_multipart([b"<IDS|MSG>", b"", b"{}", b"{}", b"{}", b"{}"])
            sock.send_multipart([os.urandom(64) for _ in range(7)])
            sock.close()
        time.sleep(0.5)
        self.assertTrue(self.km.is_alive())
        self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=10)
        self.assertEqual(reply["msg_type"], "kernel_info_reply")
        content, _ = self.run_cell('print "still here"')
        self.assertEqual(content["status"], "ok")

    def interrupt_long_cell(self, how):
        setup, _ = self.run_cell(LONG_SETUP, timeout=120)
        self.assertEqual(setup["status"], "ok", setup)
        msg_id = self.kc.execute(LONG_TRAIN)
        self.wait_started(msg_id)
        time.sleep(3)
        # Heartbeat and control answer while the cell trains.
        hb = zmq.Context.instance().socket(zmq.REQ)
        hb.linger = 0
        hb.connect(f"tcp://{self.km.ip}:{self.km.hb_port}")
        worst = 0.0
        for _ in range(10):
            t0 = time.time()
            hb.send(b"ping")
            self.assertEqual(hb.poll(2000), zmq.POLLIN, "no heartbeat during a long cell")
            self.assertEqual(hb.recv(), b"ping")
            worst = max(worst, time.time() - t0)
            time.sleep(0.1)
        REPORT[f"heartbeat_worst_ms_during_training_{how}"] = round(worst * 1000, 1)
        hb.close()
        info = self.kc.session.msg("kernel_info_request")
        t0 = time.time()
        self.kc.control_channel.send(info)
        reply = run_sync(self.kc.control_channel.get_msg)(timeout=5)
        self.assertEqual(reply["parent_header"]["msg_id"], info["header"]["msg_id"])
        self.assertEqual(reply["msg_type"], "kernel_info_reply")
        REPORT[f"control_kernel_info_ms_during_training_{how}"] = round((time.time() - t0) * 1000, 1)
        t0 = time.time()
        if how == "message":
            self.km.interrupt_kernel()
        else:
            os.kill(self.pid, signal.SIGINT)
        reply = self.kc.get_shell_msg(timeout=30)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=30)
        elapsed = time.time() - t0
        REPORT[f"interrupt_{how}_s"] = round(elapsed, 2)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
        self.assertLess(elapsed, 5.0)
        self.collect_iopub(msg_id)
        self.assertTrue(self.km.is_alive())
        # The session survived: the model is still there and the next cells run.
        after, msgs = self.run_cell("show m")
        self.assertEqual(after["status"], "ok", after)
        self.assertTrue(any(m["msg_type"] == "display_data" for m in msgs))

    def test_interrupt_message_during_training(self):
        self.interrupt_long_cell("message")

    def test_sigint_during_training(self):
        self.interrupt_long_cell("signal")

    def test_200_executions_count_and_memory(self):
        start, _ = self.run_cell('print "warm-up"')
        base = start["execution_count"]
        for i in range(20):
            self.run_cell(f'print "warm {i}"')
        rss_before = rss_kb(self.pid)
        t0 = time.time()
        for i in range(200):
            content, msgs = self.run_cell(f'print "cell {i}"')
            self.assertEqual(content["status"], "ok")
            self.assertEqual(content["execution_count"], base + 21 + i)
            streams = [m["content"]["text"] for m in msgs if m["msg_type"] == "stream"]
            self.assertEqual(streams, [f"cell {i}\n"])
        rss_after = rss_kb(self.pid)
        REPORT["rss_before_kb"] = rss_before
        REPORT["rss_after_200_kb"] = rss_after
        REPORT["ms_per_cell"] = round((time.time() - t0) * 1000 / 200, 1)
        self.assertLess(rss_after - rss_before, 64 * 1024, "RSS grew by more than 64 MB over 200 cells")

    def test_shutdown_within_5s(self):
        self.run_cell('print "bye"')
        proc = self.km.provisioner.process
        t0 = time.time()
        self.kc.shutdown()
        while proc.poll() is None and time.time() - t0 < 10:
            time.sleep(0.05)
        REPORT["shutdown_s"] = round(time.time() - t0, 2)
        self.assertIsNotNone(proc.poll(), "kernel still running 10 s after shutdown_request")
        self.assertLess(time.time() - t0, 5.0)
        self.assertEqual(proc.returncode, 0)


if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    print("REPORT " + json.dumps(REPORT))
    sys.exit(0 if result.wasSuccessful() else 1)
