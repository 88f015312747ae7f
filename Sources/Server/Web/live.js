// The live view: the camera's frames to /ws as the original browser client sent them (a 320x240 JPEG from
// a canvas, {"type": "frame", "data": "data:image/jpeg;base64,..."}), one frame in flight: the next is
// taken when the answer to the last arrives, so a slow server or network lowers the rate instead of
// building a queue. Each answer's fields are shown as they come.
import { openCamera, playing, stopStream } from "./camera.js";
import { socketURL, TOKEN_ADVICE } from "./token.js";

const FRAME_WIDTH = 320;
const FRAME_HEIGHT = 240;
const JPEG_QUALITY = 0.8;
/** The fastest the page sends, frames a second: as fast as answers come, up to a webcam's usual rate. */
const MAX_FPS = 15;

const $ = (id) => document.getElementById(id);

export class LiveView {
  constructor() {
    this.stream = null;
    this.socket = null;
    this.timer = null;
    this.canvas = document.createElement("canvas");
    this.canvas.width = FRAME_WIDTH;
    this.canvas.height = FRAME_HEIGHT;
    $("live-start").addEventListener("click", () => this.start());
    $("live-stop").addEventListener("click", () => this.stop("The camera is off."));
  }

  /** Leaving the view turns the camera off. */
  leave() {
    if (this.stream) this.stop("The camera is off.");
  }

  async start() {
    this.clearError();
    $("live-start").disabled = true;
    this.status("Opening the camera...");
    try {
      this.stream = await openCamera();
      await playing($("live-video"), this.stream);
    } catch (error) {
      this.stop("The camera is off.");
      this.showError(error.message);
      return;
    }
    $("live-stop").disabled = false;
    // The pressed button is disabled now: keep a keyboard user's focus on the one that undoes it.
    if (document.activeElement === $("live-start") || document.activeElement === document.body) $("live-stop").focus();
    this.resetMetrics();
    this.connect();
  }

  connect() {
    this.status("Connecting to the server...");
    const socket = new WebSocket(socketURL("/ws"));
    this.socket = socket;
    this.inFlight = false;
    socket.addEventListener("open", () => {
      this.status("Connected: frames are being sent.");
      this.sendNext();
    });
    socket.addEventListener("message", (event) => this.answer(event.data));
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return; // stopped on purpose
      const why = event.reason ? ": " + event.reason : "";
      this.showError(event.code === 1006
        ? "The server could not be reached or the connection was cut. Is gazetop serve still running?"
        : event.code === 1008 ? TOKEN_ADVICE
        : "The server closed the connection (" + event.code + why + ").");
      this.stop("The camera is off.");
    });
  }

  /** Takes a frame from the camera and sends it, no sooner than MAX_FPS allows. */
  sendNext() {
    const video = $("live-video");
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN || this.inFlight) return;
    const wait = this.lastSent ? this.lastSent + 1000 / MAX_FPS - performance.now() : 0;
    if (wait > 0 || video.readyState < 2) {
      this.timer = setTimeout(() => this.sendNext(), Math.max(wait, 10));
      return;
    }
    this.canvas.getContext("2d").drawImage(video, 0, 0, FRAME_WIDTH, FRAME_HEIGHT);
    const data = this.canvas.toDataURL("image/jpeg", JPEG_QUALITY);
    this.inFlight = true;
    this.lastSent = performance.now();
    socket.send(JSON.stringify({ type: "frame", data }));
  }

  answer(text) {
    const roundTripMs = performance.now() - this.lastSent;
    this.inFlight = false;
    let reply;
    try {
      reply = JSON.parse(text);
    } catch {
      this.showError("The server sent something that is not JSON.");
      this.sendNext();
      return;
    }
    if (reply.error) {
      // The server names what was wrong with that frame and keeps the connection open.
      this.showError("The server could not use a frame: " + reply.error);
    } else {
      this.clearError();
      this.showRecord(reply, roundTripMs);
    }
    this.sendNext();
  }

  showRecord(r, roundTripMs) {
    const contact = $("m-contact");
    if (!r.face) {
      contact.dataset.state = "noface";
      contact.textContent = "no face in view";
    } else if (r.eyeContact) {
      contact.dataset.state = "yes";
      contact.textContent = "yes, looking at the camera";
    } else {
      contact.dataset.state = "no";
      contact.textContent = "no, looking away";
    }
    $("m-blinks").textContent = String(r.blinkCount);
    $("m-pct").textContent = Math.round(r.eyeContactPct * 100) + "%";
    $("m-ear").textContent = r.earLeft == null || r.earRight == null
      ? "-" : r.earLeft.toFixed(2) + " / " + r.earRight.toFixed(2);
    $("m-eyes").textContent = { open: "open", blink: "blinking", closed: "closed", none: "-" }[r.eyes] ?? r.eyes;
    const metrics = $("live-metrics");
    const frames = Number(metrics.dataset.frames) + 1;
    metrics.dataset.frames = String(frames);
    $("m-frames").textContent = frames + (r.dropped ? " (" + r.dropped + " replaced by newer)" : "");
    $("m-rtt").textContent = Math.round(roundTripMs) + " ms";
  }

  resetMetrics() {
    $("live-metrics").dataset.frames = "0";
    $("m-contact").dataset.state = "off";
    $("m-contact").textContent = "waiting for the first answer";
    for (const id of ["m-pct", "m-ear", "m-eyes", "m-rtt"]) $(id).textContent = "-";
    $("m-blinks").textContent = "0";
    $("m-frames").textContent = "0";
  }

  stop(message) {
    clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, "the page stopped");
    stopStream(this.stream);
    this.stream = null;
    $("live-video").srcObject = null;
    const contact = $("m-contact");
    contact.dataset.state = "off";
    contact.textContent = "camera off";
    const hadFocus = document.activeElement === $("live-stop");
    $("live-start").disabled = false;
    $("live-stop").disabled = true;
    if (hadFocus) $("live-start").focus();
    this.status(message);
  }

  status(text) { $("live-status").textContent = text; }
  showError(text) { $("live-error").textContent = text; $("live-error").hidden = false; }
  clearError() { $("live-error").hidden = true; $("live-error").textContent = ""; }
}
