// The liveness challenge: POST /initiate-liveness, then the 2x3 grid on the whole screen following the
// schedule the answer gives (get ready, the short calibration's dots, each lit cell with its countdown)
// while MediaRecorder records the camera (WebM), then POST /submit-liveness with the recording, then the
// verdict with the one thing to do. The schedule's times count from the recording's start, so the page
// starts its clock when the recorder says it has started.
import { openCamera, stopStream } from "./camera.js";
import { authorization, TOKEN_ADVICE } from "./token.js";

/** Recorded past the last cell's end: the verdict needs a frame after it. */
const TAIL_SECONDS = 1.0;
/** How often the stage is redrawn, in milliseconds. */
const TICK_MS = 40;

const $ = (id) => document.getElementById(id);

/** A problem to show the person; `message` is the sentence. */
class Stopped extends Error {}

export class ChallengeView {
  constructor() {
    this.run = null;
    $("challenge-start").addEventListener("click", () => this.start());
    $("challenge-again").addEventListener("click", () => this.start());
    $("stage-stop").addEventListener("click", () => this.cancel("Stopped: nothing was sent. Start again when you are ready."));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.run) {
        event.preventDefault();
        this.cancel("Stopped: nothing was sent. Start again when you are ready.");
      }
    });
    // Esc in full screen is the browser's: it leaves full screen without telling the page of the key.
    document.addEventListener("fullscreenchange", () => {
      if (!document.fullscreenElement && this.run && this.run.fullscreen && this.run.recording) {
        this.cancel("Stopped (full screen was left): nothing was sent. Start again when you are ready.");
      }
    });
  }

  leave() {
    if (this.run) this.cancel("Stopped: the page moved to another view.");
  }

  async start() {
    if (this.run) return;
    const run = { cancelled: false, fullscreen: false, recording: false, stream: null, recorder: null, timer: null };
    this.run = run;
    this.clearError();
    $("result").hidden = true;
    $("challenge-start").disabled = true;
    this.status("");
    const areaDuration = Number($("area-duration").value);
    this.showStage("Getting ready...", "");
    // Full screen needs the key press or click that started this: ask now, before anything is awaited.
    const stage = $("stage");
    if (stage.requestFullscreen) {
      stage.requestFullscreen().then(() => { run.fullscreen = true; }, () => { /* the window is enough */ });
    }
    try {
      $("stage-hint-text").textContent = "Opening the camera.";
      run.stream = await openCamera();
      this.ensure(run);
      for (const track of run.stream.getVideoTracks()) {
        track.addEventListener("ended", () => this.cancel("The camera stopped during the challenge. Check it, then try again.", true));
      }
      $("stage-hint-text").textContent = "Asking the server for a challenge.";
      const session = await this.post("/initiate-liveness", {
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ area_duration: areaDuration }),
      });
      this.ensure(run);
      const video = await this.record(run, session);
      this.ensure(run);
      this.hideStage();
      this.status("Scoring the recording...");
      const form = new FormData();
      form.append("session_id", session.session_id);
      form.append("video", video, "challenge.webm");
      const verdict = await this.post("/submit-liveness", { body: form });
      this.ensure(run);
      this.status("");
      this.showResult(verdict);
    } catch (error) {
      if (run.cancelled) return; // cancel() said why already
      this.finish(run);
      this.status("");
      this.showError(error.message);
      $("challenge-title").focus();
      return;
    }
    this.finish(run);
  }

  /** Records the camera while the stage follows the session's schedule; resolves with the WebM. */
  record(run, session) {
    const type = ["video/webm;codecs=vp8", "video/webm;codecs=vp9", "video/webm"].find((t) => MediaRecorder.isTypeSupported(t));
    if (!window.MediaRecorder || !type) {
      throw new Stopped("This browser cannot record the camera as WebM (MediaRecorder); try a current Chrome, Chromium, Edge or Firefox.");
    }
    const recorder = new MediaRecorder(run.stream, { mimeType: type, videoBitsPerSecond: 1_500_000 });
    run.recorder = recorder;
    const chunks = [];
    const steps = session.schedule;
    const endSeconds = session.total_duration + TAIL_SECONDS;
    return new Promise((resolve, reject) => {
      recorder.addEventListener("dataavailable", (event) => { if (event.data.size > 0) chunks.push(event.data); });
      recorder.addEventListener("error", (event) => {
        reject(new Stopped("Recording failed: " + (event.error ? event.error.message : "the browser's recorder stopped") + ". Try again."));
      });
      recorder.addEventListener("stop", () => {
        run.recording = false;
        if (run.cancelled) reject(new Stopped("stopped"));
        else resolve(new Blob(chunks, { type: type.split(";")[0] }));
      });
      recorder.addEventListener("start", () => {
        run.recording = true;
        const started = performance.now();
        $("stage-rec").hidden = false;
        $("stage-hint-text").textContent = "Recording.";
        const tick = () => {
          const seconds = (performance.now() - started) / 1000;
          if (seconds >= endSeconds) {
            clearInterval(run.timer);
            $("stage-instruction").textContent = "Done. Keep still a moment...";
            if (recorder.state !== "inactive") recorder.stop();
            return;
          }
          this.drawStep(steps, seconds);
        };
        tick();
        run.timer = setInterval(tick, TICK_MS);
      }, { once: true });
      // Chunks every second: a recording cut short still has its first seconds.
      recorder.start(1000);
    });
  }

  /** The stage at `seconds` into the schedule. */
  drawStep(steps, seconds) {
    const index = steps.findIndex((s) => seconds >= s.start && seconds < s.start + s.duration);
    const step = index >= 0 ? steps[index] : null;
    const stage = $("stage");
    stage.classList.toggle("ready", !step || step.step === "get_ready");
    for (const cell of document.querySelectorAll("#stage-grid .cell")) {
      const number = Number(cell.dataset.cell);
      const here = step && step.cell === number;
      cell.classList.toggle("lit", Boolean(here && step.step === "cell"));
      cell.classList.toggle("dotted", Boolean(here && step.step === "calibration"));
      cell.querySelector(".countdown").textContent = here ? String(Math.max(1, Math.ceil(step.start + step.duration - seconds))) : "";
    }
    if (!step) {
      $("stage-instruction").textContent = "Hold still...";
      return;
    }
    const text = step.instruction.charAt(0).toUpperCase() + step.instruction.slice(1);
    if ($("stage-instruction").textContent !== text) $("stage-instruction").textContent = text;
    const cells = steps.filter((s) => s.step === "cell");
    const progress = step.step === "cell" ? "Cell " + (cells.indexOf(step) + 1) + " of " + cells.length
      : step.step === "calibration" ? "Calibrating" : "Get ready";
    $("stage-progress").textContent = progress + " (step " + (index + 1) + " of " + steps.length + ")";
  }

  /** POSTs and returns the JSON answer; the server's own error sentence when it refuses. */
  async post(path, init) {
    let response;
    try {
      response = await fetch(path, { method: "POST", ...init, headers: { ...authorization(), ...(init.headers ?? {}) } });
    } catch {
      throw new Stopped("The server could not be reached. Is gazetop serve still running?");
    }
    let body = null;
    try { body = await response.json(); } catch { /* said below */ }
    if (response.status === 401) throw new Stopped(TOKEN_ADVICE);
    if (!response.ok || !body || body.success === false) {
      const said = body && body.error ? body.error : "HTTP " + response.status;
      throw new Stopped("The server refused (" + response.status + "): " + said);
    }
    return body;
  }

  showResult(v) {
    const result = $("result");
    result.dataset.result = v.result;
    $("result-title").textContent = { pass: "Passed", fail: "Failed", inconclusive: "Not decided" }[v.result] ?? v.result;
    $("result-advice").textContent = v.result === "pass"
      ? "A live person followed the cells. Nothing more to do."
      : (v.reason ? v.reason.charAt(0).toUpperCase() + v.reason.slice(1) + "." : "Please try again.").replace(/\.\.$/, ".");
    const reached = v.sequence_results.some((cell) => cell.frames > 0);
    // A verdict can come before the cells (a calibration that could not be fitted): say so, not "0%".
    const parts = [reached ? "Gaze on the highlighted cells: " + Math.round(v.overall_accuracy * 100) + "% of the frames."
      : "It ended after the calibration dots, before the highlighted cells."];
    if (v.failed_checks && v.failed_checks.length) {
      parts.push("Checks failed: " + v.failed_checks.map((c) => c.replace(/_/g, " ")).join(", ") + ".");
    }
    if (v.stopped) parts.push("It ended early: " + v.stopped.replace(/_/g, " ") + ".");
    parts.push("Scored in " + v.processing_time.toFixed(1) + " s.");
    $("result-summary").textContent = parts.join(" ");
    const rows = $("result-cells").tBodies[0];
    rows.replaceChildren(...v.sequence_results.map((cell) => {
      const row = document.createElement("tr");
      const scored = cell.frames > 0 && cell.accuracy != null;
      for (const text of [String(cell.area), scored ? Math.round(cell.accuracy * 100) + "%" : "not reached",
                          scored ? cell.frames_on_target + " of " + cell.frames : "-"]) {
        const td = document.createElement("td");
        td.textContent = text;
        row.append(td);
      }
      return row;
    }));
    result.hidden = false;
    $("result-title").focus();
  }

  /** Stops a run before its end: nothing is sent. `failed`: said as an error rather than a status. */
  cancel(message, failed = false) {
    const run = this.run;
    if (!run) return;
    run.cancelled = true;
    this.finish(run);
    if (failed) this.showError(message); else this.status(message);
    $("challenge-start").focus();
  }

  /** Camera off, timer stopped, stage gone, the start button back. */
  finish(run) {
    clearInterval(run.timer);
    if (run.recorder && run.recorder.state !== "inactive") run.recorder.stop();
    stopStream(run.stream);
    this.hideStage();
    if (this.run === run) this.run = null;
    $("challenge-start").disabled = false;
  }

  ensure(run) {
    if (run.cancelled) throw new Stopped("stopped");
  }

  showStage(instruction, progress) {
    $("stage-instruction").textContent = instruction;
    $("stage-progress").textContent = progress;
    $("stage-rec").hidden = true;
    $("stage").classList.add("ready");
    for (const cell of document.querySelectorAll("#stage-grid .cell")) {
      cell.classList.remove("lit", "dotted");
      cell.querySelector(".countdown").textContent = "";
    }
    $("stage").hidden = false;
    // The page under the stage takes no focus or clicks while it is shown (Tab stays on the stage).
    for (const behind of document.querySelectorAll("body > header, body > main")) behind.inert = true;
    $("stage-stop").focus();
  }

  hideStage() {
    $("stage").hidden = true;
    for (const behind of document.querySelectorAll("body > header, body > main")) behind.inert = false;
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  }

  status(text) { $("challenge-status").textContent = text; }
  showError(text) { $("challenge-error").textContent = text; $("challenge-error").hidden = false; }
  clearError() { $("challenge-error").hidden = true; $("challenge-error").textContent = ""; }
}
