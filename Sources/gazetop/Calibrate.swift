import ArgumentParser
import Capture
import Console
import Foundation
import GazeCore
import Monitor
import Store
import Vision

struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Calibrate gaze: look at the camera, blink, then at a dot in each of the six cells.",
        discussion: """
            Guides the person: look at the camera (one face, lit and close enough), blink a few times, then \
            look at the dot in each cell of the 2x3 grid in turn, 2 s each. It shows the raw values as it \
            goes, fits the mapping from gaze features (the pupils' offset in the eyes and the head's yaw and \
            pitch) to where on the screen the person looked, checks the fit, and saves it with the camera \
            it was made with to $XDG_CONFIG_HOME/gazetop/calibration.json (else \
            ~/.config/gazetop/calibration.json), or --output. The monitor and the challenge use it for that \
            camera. It takes about 16 s.

            On a terminal the grid fills the screen, with the dot to look at and the raw values at the \
            bottom; q or Esc stops. The result stays for \(Int(DashboardConfig().resultSeconds)) s or until a key; then the same line goes to \
            stderr. With --headless, or when stdin or stdout is not a terminal, the display is one status \
            line on stderr.

            Offline, --input VIDEO --start SECONDS --output FILE fits a recording of a calibration (get ready \
            starting at SECONDS).

            \(CameraOptions.simulatorHelp)

            Exit status: 0 calibrated and saved; 1 not calibrated (the fit failed its checks, or it was \
            stopped: try again); 3 unreadable --input; 4 model missing; 5 file not written; 6 and up camera \
            failures as for monitor.
            """
    )

    @OptionGroup var camera: CameraOptions

    @Option(name: [.short, .long], help: ArgumentHelp("Save the calibration here instead of the default file.",
                                                      valueName: "path"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Fit a recording of a calibration instead of a camera.", valueName: "video"))
    var input: String?

    @Option(name: .long, help: ArgumentHelp("With --input: where in the recording get ready starts.", valueName: "seconds"))
    var start = 0.0

    @OptionGroup var screenOptions: TaskScreenOptions

    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        guard start >= 0 else { throw ValidationError("--start must be 0 or more") }
        if input != nil {
            guard output != nil else { throw ValidationError("--input needs --output (the saved calibration belongs to a camera)") }
            guard camera.device == nil else { throw ValidationError("--input fits a recording: it takes no --device") }
        }
    }

    func run() throws {
        var calibrated = false
        try failing { calibrated = try calibrate() }
        if !calibrated { throw ExitCode(1) }
    }

    private func calibrate() throws(CommandFailure) -> Bool {
        let fullScreen = screenOptions.fullScreen && input == nil
        // A terminal that cannot draw a full screen (TERM=dumb, no UTF-8 without --ascii): said before
        // anything starts (exit 13, as the monitor).
        if fullScreen { try TerminalCheck.requireScreen(ascii: screenOptions.ascii) }
        // Where the fit goes is checked before the session: a bad path must not cost the person 20 s.
        let path = output ?? StatePaths.calibrationFile
        try stateFile { () throws(StateFileError) in try AtomicFile.requireWritable(path, createFolder: output == nil) }
        let model = try modelOptions.load()
        let interrupt = InterruptFlag()
        let calibration = CalibrationRun(config: GazeConfig(), model: model, shouldStop: { interrupt.raised })
        let outcome: CalibrationOutcome
        var identity: CameraIdentity?
        if let input {
            outcome = try running { () throws(RunFailure) in try calibration.fit(recording: input, startSeconds: start) }
        } else {
            let (device, _) = try camera.camera()
            identity = CameraIdentity.of(device.path)
            let display: TaskDisplayMode = fullScreen ? .fullScreen(ascii: screenOptions.ascii, color: screenOptions.color) : .line
            outcome = try running { () throws(RunFailure) in try calibration.run(camera: device, options: camera.liveOptions, display: display) }
        }
        guard case .success(let fit)? = outcome.fit else { return false }
        try stateFile { () throws(StateFileError) in try CalibrationFile(fit, camera: identity).save(path, createFolder: output == nil) }
        StandardError.write("gazetop: calibration saved to \(path) (error \(RecordEncoding.num(fit.rmsErrorDeg, 1)) degrees over \(fit.frames) frames)\n")
        return true
    }
}
