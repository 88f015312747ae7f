import ArgumentParser
import GazeCore
import Glibc

/// Which gaze calibration to use: shared by the commands that estimate gaze live.
struct CalibrationOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Use this calibration file (from gazetop calibrate), whatever camera it was made with.",
        discussion: "Default: $XDG_CONFIG_HOME/gazetop/calibration.json (else ~/.config/gazetop/calibration.json) "
            + "when it belongs to the camera in use.",
        valueName: "file"))
    var calibration: String?

    @Flag(name: .customLong("no-calibration"), help: "Use no saved calibration.")
    var noCalibration = false

    func validate() throws {
        if calibration != nil && noCalibration { throw ValidationError("--calibration and --no-calibration exclude each other") }
    }

    struct Choice {
        var calibration: GazeCalibration?
        var file: String?
        /// A line for people when the saved calibration was passed over.
        var note: String?
    }

    /// The calibration for `camera`: the one named, none, or the saved one if it was made with this camera.
    func resolve(camera: CameraIdentity?) throws(CommandFailure) -> Choice {
        if noCalibration { return Choice() }
        if let calibration {
            let file = try CalibrationFile.load(calibration)
            return Choice(calibration: file.calibration, file: calibration)
        }
        let path = StatePaths.calibrationFile
        guard access(path, F_OK) == 0 else { return Choice() }
        let file: CalibrationFile
        do { file = try CalibrationFile.load(path) } catch {
            return Choice(note: "ignoring the saved calibration: \(error.description)")
        }
        if let saved = file.camera, let camera, !saved.matches(camera) {
            return Choice(note: "the saved calibration belongs to another camera (\(saved.card)); not using it")
        }
        return Choice(calibration: file.calibration, file: path)
    }
}
