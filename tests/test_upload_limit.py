"""Students' own recordings: an upload reaches the kernel as one websocket message. With the Jupyter server's
default limit (10 MiB) a larger message closes the connection and the upload is lost without a word; with
the options ``specmask-edu lab`` adds it arrives. Checked against a real server and kernel; plus the
messages a student sees (nothing arrived, a phone .m4a file)."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
import uuid

import numpy as np
import pytest

import specmask_edu as sm
from specmask_edu import lessons

pytestmark = pytest.mark.slow

MESSAGE_BYTES = 20 * 1024 * 1024   # a 2-minute 44.1 kHz stereo WAV is about 21 MB


def _start_server(tmp_path, extra_args):
    from _jupyterlab import free_port

    port, token = free_port(), secrets.token_hex(8)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path), "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg")}
    proc = subprocess.Popen([sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root", "--ip=127.0.0.1",
                             f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
                             f"--ServerApp.root_dir={tmp_path}", *extra_args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=5).read()
            return proc, port, token
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the Jupyter server did not start")


async def _big_message_arrives(port: int, token: str) -> bool:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import WebSocketClosedError, websocket_connect

    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/kernels?token={token}", data=b"{}", method="POST")
    kernel = json.loads(urllib.request.urlopen(req, timeout=60).read())
    url = f"ws://127.0.0.1:{port}/api/kernels/{kernel['id']}/channels?token={token}"
    ws = await websocket_connect(HTTPRequest(url), max_message_size=2 * MESSAGE_BYTES)
    msg_id = uuid.uuid4().hex
    code = "big = " + repr("x" * MESSAGE_BYTES) + "\nprint(len(big))"
    message = json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "t", "session": uuid.uuid4().hex,
                   "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True}})
    try:
        await ws.write_message(message)
    except WebSocketClosedError:   # the server closed the connection while the message was being sent
        return False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            raw = await asyncio.wait_for(ws.read_message(), timeout=max(1.0, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            return False
        if raw is None:          # the server closed the connection (1009 message too big)
            return False
        msg = json.loads(raw)
        if msg.get("parent_header", {}).get("msg_id") == msg_id and msg["msg_type"] == "stream":
            return msg["content"]["text"].strip() == str(MESSAGE_BYTES)
    return False


@pytest.mark.parametrize("raised", [False, True], ids=["server default", "specmask-edu lab"])
def test_a_20_mb_message_reaches_the_kernel_only_with_the_raised_limit(tmp_path, raised):
    proc, port, token = _start_server(tmp_path, lessons.lab_server_args() if raised else [])
    try:
        arrived = asyncio.run(_big_message_arrives(port, token))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert arrived is raised


def test_nothing_arrived_says_what_to_do(capsys, monkeypatch):
    monkeypatch.delenv(lessons.UPLOAD_LIMIT_ENV, raising=False)
    default = np.zeros(160)
    x, label = sm.audio.load_upload(type("Upload", (), {"value": ()})(), default, "the bundled clip")
    out = capsys.readouterr().out
    assert x is default and label == "the bundled clip"
    assert "about 10 MB" in out and "sm.load_audio(" in out and "shorter" in out
    monkeypatch.setenv(lessons.UPLOAD_LIMIT_ENV, str(lessons.LAB_WEBSOCKET_MAX_MESSAGE_BYTES))
    sm.audio.load_upload(type("Upload", (), {"value": ()})(), default, "the bundled clip")
    assert "105 MB (set by specmask-edu lab)" in capsys.readouterr().out


def test_an_upload_is_loaded_with_its_name(tmp_path):
    path = sm.save_audio(tmp_path / "me.wav", 0.1 * np.sin(np.arange(16000) / 5), 16000)
    upload = type("Upload", (), {"value": ({"name": "me.wav", "content": path.read_bytes()},)})()
    x, label = sm.audio.load_upload(upload, np.zeros(3), "bundled", sr=16000)
    assert label == "me.wav" and len(x) == 16000


@pytest.mark.parametrize("how", ["bytes", "named upload", "path"])
def test_a_phone_m4a_gets_conversion_advice(tmp_path, how):
    m4a = b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00M4A isommp42" + bytes(400)
    path = tmp_path / "memo.m4a"
    path.write_bytes(m4a)
    source = {"bytes": m4a, "named upload": ({"name": "memo.m4a", "content": m4a},), "path": str(path)}[how]
    with pytest.raises(sm.SpecmaskInputError) as err:
        sm.load_audio(source)
    message = str(err.value)
    assert "cannot decode" in message and "ffmpeg -i" in message and "Audacity" in message and "WAV" in message
