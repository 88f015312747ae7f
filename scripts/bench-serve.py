#!/usr/bin/env python3
"""`make bench-serve`: gazetop serve beside the seed server (../shared/tools/peers/seed_server.py
--workers 2), both under ../shared/tools/ws_load.py with real ZJU frames, in one run.

usage: bench-serve.py GAZETOP PEERS_PYTHON [--runs 3] [--seconds 20] [--soak 60] [--json OUT]

For each run, each server in turn (the other stopped, so they never share the cores):
  - 40 clients at 10 fps (the target: every frame answered, none skipped, round trip p99 <= 50 ms);
  - saturation: 40 clients at 30 fps, answers per second;
and once, gazetop alone: --soak seconds at saturation with its resident memory sampled every second.
Prints each run's figures, then the medians and the ratio of answers per second. Every request goes to
loopback, and every loop here is bounded in count and time.
"""
import argparse, json, os, signal, socket, statistics, subprocess, sys, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
TOOLS = os.path.join(SHARED, "tools")
CLIP = os.path.join(SHARED, "data", "zju-eyeblink", "2_000001M_FNN.mp4")
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gazetop"); ap.add_argument("python")
    ap.add_argument("--runs", type=int, default=3); ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--soak", type=float, default=60); ap.add_argument("--json")
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
    print(json.dumps(summary, indent=1))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"runs": runs, "summary": summary}, f, indent=1)


if __name__ == "__main__":
    main()
