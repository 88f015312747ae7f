import ArgumentParser
import GazeCore
import Store

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

    /// The calibration for `camera`: the one named, none, or the saved one if it was made with this camera.
    func resolve(camera: CameraIdentity?) throws(CommandFailure) -> CalibrationChoice {
        try stateFile { () throws(StateFileError) in
            try CalibrationChoice.resolve(named: calibration, none: noCalibration, camera: camera)
        }
    }
}
