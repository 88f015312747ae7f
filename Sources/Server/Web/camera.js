// The camera, shared by both views: opened on a button press (so the browser asks when the person expects
// it), and every way it can be refused said in a sentence.

/** Opens the camera; throws an Error whose message a person can act on. */
export async function openCamera() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    // Browsers give pages the camera only in a secure context: https, or this machine's own address.
    throw new Error("This browser gives this page no camera: open it over https, or as http://localhost "
      + "or http://127.0.0.1 on the machine running gazetop serve.");
  }
  try {
    return await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } },
      audio: false,
    });
  } catch (error) {
    throw new Error(cameraProblem(error));
  }
}

/** getUserMedia's refusals, as what to do about them. */
export function cameraProblem(error) {
  switch (error && error.name) {
    case "NotAllowedError":
    case "SecurityError":
      return "The camera was refused. Allow this page to use the camera (the camera icon in the address bar), then try again.";
    case "NotFoundError":
    case "OverconstrainedError":
      return "No camera was found. Connect one, then try again.";
    case "NotReadableError":
    case "AbortError":
      return "The camera could not be started: another program may be using it. Close that program, then try again.";
    default:
      return "The camera could not be opened: " + (error && error.message ? error.message : String(error));
  }
}

/** Stops every track of a stream (the camera's light goes off). */
export function stopStream(stream) {
  if (stream) for (const track of stream.getTracks()) track.stop();
}

/** Shows a stream in a video element; resolves once it plays. */
export async function playing(video, stream) {
  video.srcObject = stream;
  await video.play();
}
