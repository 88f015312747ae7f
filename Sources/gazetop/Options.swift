import ArgumentParser
import GazeCore
import Vision

/// Options every command that runs the vision pipeline shares.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The dlib 68-point landmark model.",
        discussion: "Default: $GAZETOP_MODEL, then models/shape_predictor_68_face_landmarks.dat, then "
            + "/usr/share/dlib/shape_predictor_68_face_landmarks.dat.",
        valueName: "path"))
    var model: String?

    func load() throws(CommandFailure) -> FaceModel {
        do {
            return try FaceModel(path: model)
        } catch {
            throw CommandFailure(.model, "\(error)")
        }
    }
}

/// Tuning options shared by the commands that judge blinks and eye contact.
struct TuningOptions: ParsableArguments {
    @Option(name: .customLong("eye-contact-window"), parsing: .unconditional, help: ArgumentHelp(
        "Seconds covered by the rolling eyeContactPct.", valueName: "seconds"))
    var eyeContactWindowSeconds: Double = GazeConfig().eyeContact.windowMs / 1000

    @Option(name: .customLong("eye-contact-cone"), parsing: .unconditional, help: ArgumentHelp(
        "Degrees around the camera direction that count as eye contact.", valueName: "degrees"))
    var eyeContactConeDeg: Double = GazeConfig().eyeContact.enterConeDeg

    @Option(name: .customLong("redetect-every"), parsing: .unconditional, help: ArgumentHelp(
        "Re-detect the followed face at least every N frames (1: every frame), near where it is; the first "
            + "re-detection after \(GazeConfig().tracking.fullScanEveryFrames) frames scans the whole picture.",
        valueName: "frames"))
    var redetectEveryFrames: Int = GazeConfig().tracking.redetectEveryFrames

    @Option(name: .customLong("detection-lag"), parsing: .unconditional, help: ArgumentHelp(
        "Run face detection on a background queue and use each answer N frames later; 0 runs it in line, "
            + "the frame waiting for the scan (default: \(GazeConfig().tracking.liveDetectionLagFrames) live, "
            + "\(GazeConfig().tracking.detectionLagFrames) for files).", valueName: "frames"))
    var detectionLagFrames: Int?

    /// The most frames a detection's answer may come late: a second at 30 fps. Later than that, the face
    /// it found has moved on, and a lag past a clip's length finds no face at all.
    static let maxDetectionLagFrames = 30

    func validate() throws {
        if let lag = detectionLagFrames, !(0...Self.maxDetectionLagFrames).contains(lag) {
            throw ValidationError("--detection-lag must be 0 to \(Self.maxDetectionLagFrames) frames, not \(lag)")
        }
        guard eyeContactWindowSeconds > 0 else { throw ValidationError("--eye-contact-window must be above 0") }
        guard eyeContactConeDeg > 0 && eyeContactConeDeg < 90 else {
            throw ValidationError("--eye-contact-cone must be above 0 and below 90 degrees, not \(eyeContactConeDeg)")
        }
        guard redetectEveryFrames >= 1 else { throw ValidationError("--redetect-every must be at least 1") }
    }

    /// The configuration these options give, for a live camera or for files (they differ in where face
    /// detection runs: see `TrackingConfig.liveDetectionLagFrames`).
    func config(live: Bool) -> GazeConfig {
        var c = GazeConfig()
        c.eyeContact.windowMs = eyeContactWindowSeconds * 1000
        let widen = c.eyeContact.leaveConeDeg / c.eyeContact.enterConeDeg
        c.eyeContact.enterConeDeg = eyeContactConeDeg
        c.eyeContact.leaveConeDeg = eyeContactConeDeg * widen
        c.tracking.redetectEveryFrames = redetectEveryFrames
        c.tracking.detectionLagFrames = detectionLagFrames
            ?? (live ? c.tracking.liveDetectionLagFrames : c.tracking.detectionLagFrames)
        return c
    }
}
