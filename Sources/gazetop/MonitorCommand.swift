import ArgumentParser
import Capture
import Console
import GazeCore
import Glibc
import Monitor
import Store
import Vision

struct Monitor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Watch the camera live (the default command).",
        discussion: """
            Opens the camera, negotiates the closest format it offers to --size and --fps (GREY or YUYV \
            preferred: their luma needs no decoding; MJPEG is decoded, at reduced scale when that is \
            enough), and processes the newest frame whenever vision is free; frames it had no time for are \
            dropped and counted, never queued.

            When standard input and output are a terminal, it shows a full-screen dashboard: the eye-contact \
            state, eye contact over the last 30 s and the session, a one-minute timeline, blinks, each eye's \
            openness, gaze and head pose, and on request the camera picture. Keys: q, Esc or F10 quit; space \
            pauses (the screen and the statistics); r resets the statistics; p shows the camera picture; \
            + and - widen and narrow the eye-contact cone (looser or stricter eye contact); z zeroes the gaze on you (look into the camera for 2 s; \
            saved as the camera's calibration); c calibrates fully; g runs the liveness challenge; ? or F1 shows \
            help. On quitting it prints a session \
            summary (duration, eye contact, longest look-away, blinks per minute, face visible) to stdout. \
            When a simulated video ends, the last screen stays until you quit (--exit-at-end leaves at once).

            With --json or --output, or when stdin or stdout is not a terminal, it writes every processed \
            frame as a JSON Lines record instead (the same records as `analyze`), to stdout or --output. \
            Ctrl-C stops streaming, releases the camera and writes the outputs.

            \(CameraOptions.simulatorHelp)

            \(CameraOptions.exitCodesHelp)
            """
    )

    @OptionGroup var camera: CameraOptions
    @OptionGroup var stream: StreamOptions

    @Flag(name: .long, help: "Write per-frame records as JSON Lines instead of showing the dashboard.")
    var json = false

    @Option(name: [.short, .long], help: ArgumentHelp(
        "Write JSON Lines records to this file (written whole or not at all) instead of showing the dashboard.",
        valueName: "path"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp(
        "At the end, write a session report to this file: JSON with a per-second timeline, or Markdown for a "
            + "name ending in .md (written whole or not at all).", valueName: "path"))
    var report: String?

    @Flag(name: .long, help: "Draw the dashboard with ASCII characters only (for terminals without UTF-8).")
    var ascii = false

    @Flag(name: .customLong("no-color"), help: "Draw the dashboard without colour (also when NO_COLOR is set).")
    var noColor = false

    @Flag(name: .customLong("exit-at-end"), help: "Leave the dashboard when a simulated video ends.")
    var exitAtEnd = false

    @Flag(name: .long, help: "When streaming stops, print frames captured, processed and dropped, and latency, to stderr.")
    var summary = false

    @OptionGroup var calibrationOptions: CalibrationOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var tuning: TuningOptions

    /// JSON Lines when asked for, or when there is no terminal to draw on.
    var recordsMode: Bool { json || output != nil || isatty(STDIN_FILENO) != 1 || isatty(STDOUT_FILENO) != 1 }

    func run() throws {
        try failing {
            if recordsMode { try runRecords() } else { try runDashboard() }
        }
    }

    /// The camera's options with the stream's (reconnect, real camera only).
    private var liveOptions: LiveOptions {
        var options = camera.liveOptions
        stream.apply(to: &options)
        return options
    }

    /// JSON Lines to stdout or --output.
    private func runRecords() throws(CommandFailure) {
        let (device, _) = try camera.camera()
        let model = ModelHandOver(try modelOptions.load())
        let config = tuning.config(live: true)
        let calibration = try calibrationOptions.chosen(for: device)
        let out: OutputFile
        do { out = try OutputFile(path: output) } catch { throw CommandFailure(.output, "\(error)") }
        let reportFile = try ReportFile(path: report)
        let session = LiveSession(camera: device, options: liveOptions) {
            FramePipeline(model: model.take(), config: config, calibration: calibration)
        }
        let recorder = RecorderBox()
        let interrupt = InterruptFlag()
        // A session waiting for an unplugged camera (--reconnect) sleeps until its next try: woken at once.
        interrupt.whenRaised { session.stop() }
        let result: LiveReport
        do throws(CameraError) {
            result = try session.run(onRecord: { r in
                                         out.write(line: RecordEncoding.json(r))
                                         recorder.recorder.add(r)
                                     },
                                     onEvent: { StandardError.write("gazetop: \($0)\n") },
                                     shouldStop: { interrupt.raised || out.hasFailed })
        } catch {
            throw CommandFailure(error)
        }
        // What was recorded up to a failure is whole as of then: keep it, then report the failure.
        do { try out.commit() } catch { throw CommandFailure(.output, "\(error)") }
        try reportFile?.write(recorder.recorder.report, ReportEncoding.Context(device: device.path))
        if summary { StandardError.write(LiveSummary.line(result, device: device.path) + "\n") }
        if case .failed(let error) = result.ending { throw CommandFailure(error) }
    }

    /// The full-screen dashboard, then the session summary on stdout.
    private func runDashboard() throws(CommandFailure) {
        try TerminalCheck.requireScreen(ascii: ascii)
        let (device, _) = try camera.camera()
        let model = ModelHandOver(try modelOptions.load())
        let reportFile = try ReportFile(path: report)
        let config = tuning.config(live: true)
        let calibration = try calibrationOptions.chosen(for: device)
        let live = LiveDashboard(device: device, options: liveOptions, config: config, calibration: calibration,
                                 model: model)
        let startedAt = ReportEncoding.utcNow()
        let color = !noColor && !TerminalCheck.noColorRequested
        let outcome = try running { () throws(RunFailure) in try live.run(ascii: ascii, color: color, exitAtEnd: exitAtEnd) }
        // The terminal is back to normal here: the summary and any error go to the plain screen.
        let context = ReportEncoding.Context(device: device.path, startedAt: startedAt,
                                             typicalBlinksPerMinute: config.dashboard.typicalBlinksPerMinute)
        print(ReportEncoding.text(outcome.report, context))
        try reportFile?.write(outcome.report, context)
        if let path = report { print("report written to \(path)") }
        if summary { StandardError.write(LiveSummary.line(outcome.live, device: device.path) + "\n") }
        if case .failed(let error) = outcome.live.ending { throw CommandFailure(error) }
    }
}

/// Confirmed records' statistics, gathered on the vision queue for the JSON Lines mode's report.
// @unchecked Sendable: `recorder` is written only on the vision queue, and read after `LiveSession.run`
// has drained that queue.
final class RecorderBox: @unchecked Sendable {
    var recorder = SessionRecorder()
}

/// `--report`: opened before the session (so a path that cannot be written fails at once), written whole
/// at the end.
struct ReportFile {
    let path: String
    let file: OutputFile

    init?(path: String?) throws(CommandFailure) {
        guard let path else { return nil }
        self.path = path
        do { file = try OutputFile(path: path) } catch { throw CommandFailure(.output, "\(error)") }
    }

    func write(_ report: SessionReport, _ context: ReportEncoding.Context) throws(CommandFailure) {
        file.write(line: ReportEncoding.encode(report, context, as: ReportEncoding.Format(path: path)))
        do { try file.commit() } catch { throw CommandFailure(.output, "\(error)") }
    }
}


/// One line on what a live session did.
enum LiveSummary {
    static func line(_ r: LiveReport, device: String) -> String {
        var text = "\(device): \(r.format?.description ?? "no format"); \(r.framesCaptured) frames captured"
        text += " in \(RecordEncoding.num(r.streamingSeconds, 1)) s, \(r.framesProcessed) processed, "
        text += "\(r.framesDropped) dropped while vision was busy, \(r.driverDrops) skipped by the driver"
        if r.corruptFrames > 0 { text += ", \(r.corruptFrames) corrupt" }
        if r.reconnects > 0 { text += ", \(r.reconnects) reconnects" }
        text += "; latency median \(RecordEncoding.num(r.latency.medianMs, 1)) ms, p99 \(RecordEncoding.num(r.latency.p99Ms, 1)) ms"
        text += "; blinks \(r.stats.blinkCount)"
        return text
    }
}

extension CalibrationOptions {
    /// The calibration for the camera `device` opens; a saved one passed over is said on stderr.
    func chosen(for device: V4L2Camera) throws(CommandFailure) -> GazeCalibration? {
        let choice = try resolve(camera: CameraIdentity.of(device.path))
        if let note = choice.note { StandardError.write("gazetop: \(note)\n") }
        return choice.calibration
    }
}
