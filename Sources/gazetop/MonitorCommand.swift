import ArgumentParser
import Capture
import GazeCore
import Glibc
import Monitor
import Vision

struct Monitor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Watch the camera live (the default command).",
        discussion: """
            Opens the camera, negotiates the closest format it offers to --size and --fps (GREY or YUYV \
            preferred: their luma needs no decoding; MJPEG is decoded, at reduced scale when that is \
            enough), and processes the newest frame whenever vision is free; frames it had no time for are \
            dropped and counted, never queued. For now every processed frame is written as a JSON Lines \
            record (the same records as `analyze`) to stdout or --output; a terminal dashboard will become \
            the default later, and --json will keep this mode for scripts. Ctrl-C stops streaming, \
            releases the camera and writes the output.

            \(CameraOptions.simulatorHelp)

            \(CameraOptions.exitCodesHelp)
            """
    )

    @OptionGroup var camera: CameraOptions
    @OptionGroup var stream: StreamOptions

    @Flag(name: .long, help: "Write per-frame records as JSON Lines (the only mode for now).")
    var json = false

    @Option(name: [.short, .long], help: ArgumentHelp(
        "Write records to this file (written whole or not at all) instead of stdout.", valueName: "path"))
    var output: String?

    @Flag(name: .long, help: "When streaming stops, print frames captured, processed and dropped, and latency, to stderr.")
    var summary = false

    @OptionGroup var calibrationOptions: CalibrationOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var tuning: TuningOptions

    func run() throws {
        try failing {
            let (device, _) = try camera.camera()
            let model = ModelHandOver(try modelOptions.load())
            let config = tuning.config
            let choice = try calibrationOptions.resolve(camera: CameraIdentity.of(device.path))
            if let note = choice.note { StandardError.write("gazetop: \(note)\n") }
            let calibration = choice.calibration
            let out: OutputFile
            do { out = try OutputFile(path: output) } catch { throw CommandFailure(.output, "\(error)") }
            var options = camera.liveOptions
            stream.apply(to: &options)
            let session = LiveSession(camera: device, options: options) {
                FramePipeline(model: model.take(), config: config, calibration: calibration)
            }
            let interrupt = InterruptFlag()
            let report: LiveReport
            do throws(CameraError) {
                report = try session.run(onRecord: { out.write(line: RecordEncoding.json($0)) },
                                         onEvent: { StandardError.write("gazetop: \($0)\n") },
                                         shouldStop: { interrupt.raised })
            } catch {
                throw CommandFailure(error)
            }
            // What was recorded up to a failure is whole as of then: keep it, then report the failure.
            do { try out.commit() } catch { throw CommandFailure(.output, "\(error)") }
            if summary { StandardError.write(LiveSummary.line(report, device: device.path) + "\n") }
            if case .failed(let error) = report.ending { throw CommandFailure(error) }
        }
    }
}

/// The landmark model on its way to the vision queue.
// @unchecked Sendable: the model is loaded on the main thread and handed over once, to the closure that
// builds the pipeline on the vision queue; nothing touches it on the main thread after that.
final class ModelHandOver: @unchecked Sendable {
    private let model: FaceModel
    init(_ model: FaceModel) { self.model = model }
    func take() -> FaceModel { model }
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
