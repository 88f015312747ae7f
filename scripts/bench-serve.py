#!/usr/bin/env python3
"""`make bench-serve`: gazetop serve beside the seed server (../shared/tools/peers/seed_server.py
--workers 2), both under ../shared/tools/ws_load.py with real ZJU frames, in one run.

usage: bench-serve.py GAZETOP PEERS_PYTHON [--runs 3] [--seconds 20] [--soak 60] [--json OUT]

For each run, each server in turn (the other stopped, so they never share the cores):
  - 40 clients at 10 fps (the target: every frame answered, none skipped, round trip p99 <= 50 ms);
  - saturation: 40 clients at 30 fps, answers per second;
and once, gazetop alone: --soak seconds at saturation with its resident memory sampled every second, and
--submits times POST /submit-liveness of a 14 s 640x480 WebM (VP8, 30 fps, as a browser's MediaRecorder
makes; written here by the peers' OpenCV from the first 14 s of videos/video00.mp4, cropped to 4:3), each
on a session of its own: the time from the upload's first byte to the verdict (the target: under 2 s).
Prints each run's figures, then the medians and the ratio of answers per second. Every request goes to
loopback, and every loop here is bounded in count and time.
"""
import argparse, json, os, shutil, signal, socket, statistics, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
TOOLS = os.path.join(SHARED, "tools")
CLIP = os.path.join(SHARED, "data", "zju-eyeblink", "2_000001M_FNN.mp4")
SUBMIT_SOURCE = os.path.join(SHARED, "data", "videos", "video00.mp4")
MODEL = os.path.join(ROOT, "models", "shape_predictor_68_face_landmarks.dat")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_health(port, timeout=120):
    """Polls /health until it answers (bounded: `timeout` seconds at most)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if s.recv(12).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server on port {port} did not answer /health in {timeout} s")


class Server:
    def __init__(self, name, argv, port):
        self.name, self.port = name, port
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        wait_health(port)

    def stop(self):
        # The seed server runs uvicorn workers as children: signal the whole process group.
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def gazetop(binary):
    port = free_port()
    return Server("gazetop", [binary, "serve", "--port", str(port)], port)


def seed(python):
    port = free_port()
    return Server("seed", [python, os.path.join(TOOLS, "peers", "seed_server.py"), MODEL, "--port", str(port),
                           "--workers", "2"], port)


def load(python, port, clients, fps, seconds):
    out = subprocess.run([python, os.path.join(TOOLS, "ws_load.py"), f"ws://127.0.0.1:{port}/ws", CLIP,
                          "--clients", str(clients), "--fps", str(fps), "--seconds", str(seconds), "--json"],
                         capture_output=True, text=True, timeout=seconds + 300)
    if out.returncode != 0:
        raise SystemExit(f"ws_load failed: {out.stderr.strip()[-500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def soak(binary, python, seconds):
    server = gazetop(binary)
    samples = []
    done = threading.Event()

    def sample():
        while not done.wait(1.0):
            samples.append(round(rss_mb(server.proc.pid), 1))

    t = threading.Thread(target=sample)
    t.start()
    try:
        result = load(python, server.port, 40, 30, seconds)
    finally:
        done.set()
        t.join()
        server.stop()
    return result, samples


WEBM_MAKER = r"""
import sys, cv2
source, out, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
video = cv2.VideoCapture(source)
writer = cv2.VideoWriter(out, cv2.VideoWriter_fourcc(*"VP80"), 30, (640, 480))
if not video.isOpened() or not writer.isOpened():
    sys.exit("cannot read " + source + " or write " + out)
for _ in range(int(seconds * 30)):
    ok, frame = video.read()
    if not ok:
        sys.exit(source + " ended early")
    h, w = frame.shape[:2]
    side = h * 4 // 3
    frame = frame[:, (w - side) // 2:(w - side) // 2 + side]
    writer.write(cv2.resize(frame, (640, 480), interpolation=cv2.INTER_AREA))
writer.release()
"""


def make_webm(python, path, seconds=14):
    """A 14 s 640x480 VP8 WebM like a browser's recording (the peers' OpenCV writes it; bounded in time)."""
    out = subprocess.run([python, "-c", WEBM_MAKER, SUBMIT_SOURCE, path, str(seconds)],
                         capture_output=True, text=True, timeout=600)
    if out.returncode != 0 or not os.path.exists(path):
        raise SystemExit(f"could not write the WebM: {out.stderr.strip()[-500:]}")


def http(port, method, path, headers, body, timeout=120):
    """One request on a connection of its own; (status, body, seconds from the first byte sent to the last read)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {len(body)}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
        started = time.monotonic()
        s.sendall(head.encode() + body)
        answer = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
        elapsed = time.monotonic() - started
    status = int(answer.split(b" ", 2)[1])
    return status, answer.split(b"\r\n\r\n", 1)[1], elapsed


def submit_times(binary, python, count):
    """Seconds to the verdict of `count` submissions of the 14 s WebM, each on a new session."""
    work = tempfile.mkdtemp(prefix="gazetop-bench-serve-")
    server = None
    try:
        webm = os.path.join(work, "challenge.webm")
        make_webm(python, webm)
        video = open(webm, "rb").read()
        server = gazetop(binary)
        times, results = [], []
        for _ in range(count):
            status, body, _ = http(server.port, "POST", "/initiate-liveness", [("Content-Type", "application/json")], b"{}")
            if status != 200:
                raise SystemExit(f"initiate-liveness answered {status}: {body[:300]}")
            session = json.loads(body)["session_id"]
            boundary = "gazetopbench" + session
            form = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"session_id\"\r\n\r\n{session}\r\n"
                    f"--{boundary}\r\nContent-Disposition: form-data; name=\"video\"; filename=\"challenge.webm\"\r\n"
                    f"Content-Type: video/webm\r\n\r\n").encode() + video + f"\r\n--{boundary}--\r\n".encode()
            status, body, seconds = http(server.port, "POST", "/submit-liveness",
                                         [("Content-Type", f"multipart/form-data; boundary={boundary}")], form)
            if status != 200:
                raise SystemExit(f"submit-liveness answered {status}: {body[:300]}")
            times.append(round(seconds, 3))
            results.append(json.loads(body)["result"])
        return times, results, len(video)
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gazetop"); ap.add_argument("python")
    ap.add_argument("--runs", type=int, default=3); ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--soak", type=float, default=60); ap.add_argument("--submits", type=int, default=5)
    ap.add_argument("--json")
    a = ap.parse_args()
    runs = {"gazetop": [], "seed": []}
    for run in range(a.runs):
        for name, start in (("gazetop", lambda: gazetop(a.gazetop)), ("seed", lambda: seed(a.python))):
            server = start()
            try:
                target = load(a.python, server.port, 40, 10, a.seconds)
                saturation = load(a.python, server.port, 40, 30, a.seconds)
            finally:
                server.stop()
            runs[name].append({"target": target, "saturation": saturation})
            print(f"run {run + 1} {name:8} 40x10fps: answered {target['answered']} skipped {target['skipped']} "
                  f"errors {target['errors']} median {target['rttMedianMs']} ms p99 {target['rttP99Ms']} ms | "
                  f"saturation {saturation['answersPerSecond']}/s p99 {saturation['rttP99Ms']} ms", flush=True)

    def med(name, phase, key):
        return statistics.median(r[phase][key] for r in runs[name])

    summary = {name: {f"{phase}.{key}": med(name, phase, key)
                      for phase in ("target", "saturation")
                      for key in ("answered", "skipped", "errors", "answersPerSecond", "rttMedianMs", "rttP99Ms", "rttMaxMs")}
               for name in runs}
    summary["saturationRatio"] = round(summary["gazetop"]["saturation.answersPerSecond"]
                                       / summary["seed"]["saturation.answersPerSecond"], 2)
    soak_result, samples = soak(a.gazetop, a.python, a.soak)
    summary["soak"] = {"answersPerSecond": soak_result["answersPerSecond"], "rssMbFirst": samples[:3],
                       "rssMbLast": samples[-3:], "rssMbMax": max(samples) if samples else None}
    if a.submits > 0:
        times, results, size = submit_times(a.gazetop, a.python, a.submits)
        print(f"submit-liveness, 14 s 640x480 WebM ({size / 1e6:.1f} MB): {times} s ({results})", flush=True)
        summary["submit"] = {"seconds": times, "medianSeconds": statistics.median(times), "bytes": size}
    print(json.dumps(summary, indent=1))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"runs": runs, "summary": summary}, f, indent=1)


if __name__ == "__main__":
    main()
