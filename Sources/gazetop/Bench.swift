import ArgumentParser
import Evaluation
import Foundation
import GazeCore
import Capture
import Console
import Monitor
import Vision

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed: per-stage timings per frame, throughput and peak memory.",
        discussion: """
            Runs the analyze pipeline single-threaded on FILES (default: the shared ZJU clips and \
            videos/video00.mp4 from ../shared/data) and prints, per picture size, the median and p99 per \
            frame of each stage (decode, detect, landmarks, eyes, pose, core) and of vision+metrics, the \
            analyze throughput with decoding included and the CPU time it takes a frame (every thread), the \
            same for decoding alone (the part no face tracking can save), and the peak memory. With --peers, \
            the reference pipelines of shared/tools run on the same files in the same run, and their numbers \
            are printed beside gazetop's: their processing alone, as they time it (decoding left out), and \
            their whole runs (decoding included, their start-up left out, as the model's loading is for \
            gazetop; start-up is the median of three runs on an empty file after a cold one), with the CPU \
            time a frame of those runs.

            With --ui, it measures the dashboard's drawing: full redraws at 120x40 (render the snapshot into \
            cells, then push every cell through curses to a terminal writing to /dev/null), with snapshots \
            made from FILE (default: a shared ZJU clip) by the real pipeline; it prints the median and p99 \
            of each part and of the whole.

            With --live, it measures the live path instead: a camera (default: a simulated one serving \
            ../shared/data/videos/video00.mp4 scaled to --size, at --fps, looped) streams for --seconds, and \
            it reports frames captured, processed and dropped, capture-to-snapshot latency (median, p99; the \
            snapshot is what the dashboard draws), CPU use of gazetop and of the simulator apart, and memory \
            at the start and the end.
            """
    )

    @Argument(help: ArgumentHelp("Video files or image folders to time.", valueName: "file"))
    var files: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "A Python virtual environment made by shared/tools/setup-peers.sh: also time MediaPipe Face Mesh and "
            + "the original server's method on the same files.", valueName: "venv"))
    var peers: String?

    @Flag(name: .long, help: "Print the results as one JSON object.")
    var json = false

    @Flag(name: .long, help: "Measure the live path (capture, hand-over, latency, drops) instead of files.")
    var live = false

    @Flag(name: .long, help: "Measure the dashboard's full redraw at 120x40 instead of files.")
    var ui = false

    @Flag(name: .long, help: "Measure face matching: one face's descriptor on FILES (photos; default the shared faces-68 photos).")
    var match = false

    @Option(name: .long, help: ArgumentHelp("With --ui: how many redraws to time.", valueName: "n"))
    var redraws = 3000

    @Option(name: .long, help: ArgumentHelp("With --live: a camera, or sim:VIDEO.", valueName: "path"))
    var device: String?

    @Option(name: .long, help: ArgumentHelp("With --live: seconds to stream.", valueName: "seconds"))
    var seconds = 60.0

    @Option(name: .long, help: ArgumentHelp("With --live: frame rate to ask for (and, for sim:, to serve).",
                                            valueName: "fps"))
    var fps = 30.0

    @Option(name: .long, help: ArgumentHelp("With --live: picture size.", valueName: "WxH"))
    var size = "640x480"

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var tuning: TuningOptions
    @OptionGroup(title: "Face matching (with --match)") var matchOptions: MatchOptions

    func validate() throws {
        guard SimulatedCameraConfig.size(size) != nil else { throw ValidationError("--size wants WIDTHxHEIGHT, like 640x480") }
        guard seconds > 0, fps > 0 else { throw ValidationError("--seconds and --fps must be above 0") }
        if live && (!files.isEmpty || peers != nil || json) {
            throw ValidationError("--live measures a camera: it takes no files, --peers or --json")
        }
        if ui && (live || files.count > 1 || peers != nil || json) {
            throw ValidationError("--ui measures drawing: it takes at most one file, and no --live, --peers or --json")
        }
        if match && (live || ui || peers != nil) {
            throw ValidationError("--match measures face descriptors: it takes no --live, --ui or --peers")
        }
        guard redraws > 0 else { throw ValidationError("--redraws must be above 0") }
    }

    func run() throws {
        try failing {
            if live { return try runLive() }
            if ui { return try runUI() }
            if match { return try runMatch() }
            let paths = files.isEmpty ? SharedData.benchmarkFiles : files
            guard !paths.isEmpty else {
                throw CommandFailure(.data, "no files given and no shared data found (../shared/data or $GAZETOP_DATA)")
            }
            let model = try modelOptions.load()
            let bench = PipelineBenchmark(pipeline: FramePipeline(model: model, config: tuning.config(live: false)))
            let tty = isatty(STDERR_FILENO) == 1
            let groups: [PipelineBenchmark.Group]
            do {
                groups = try bench.run(paths, progress: { if tty { StandardError.write("\r\u{1B}[Ktiming \($0)") } })
            } catch {
                throw CommandFailure(.input, "\(error)")
            }
            if tty { StandardError.write("\r\u{1B}[K") }
            let peakMiB = PipelineBenchmark.peakMemoryMiB()
            var peerResults: [(group: String, result: PeerBenchmark.Result)] = []
            if let peers {
                guard let tools = SharedData.toolsFolder else { throw CommandFailure(.data, "shared/tools not found beside the checkout") }
                let python = peers + "/bin/python"
                let runs = [
                    ("mediapipe", PeerBenchmark(python: python, script: tools + "/peers/mediapipe_ear.py")),
                    ("seed", PeerBenchmark(python: python, script: tools + "/peers/seed_ref.py", leadingArguments: [model.path])),
                ]
                for group in groups {
                    for (name, peer) in runs {
                        if tty { StandardError.write("\r\u{1B}[Kpeer \(name) on \(group.size)") }
                        do { peerResults.append((group.size, try peer.run(group.files, name: name))) } catch {
                            throw CommandFailure(.data, "\(error)")
                        }
                    }
                }
                if tty { StandardError.write("\r\u{1B}[K") }
            }
            print(json ? jsonReport(groups, peakMiB, peerResults) : textReport(groups, peakMiB, peerResults))
        }
    }

    private func runLive() throws(CommandFailure) {
        let video = SharedData.dataFolder.map { $0 + "/videos/video00.mp4" }
        guard let device = device ?? video.map({ "sim:" + $0 }) else {
            throw CommandFailure(.data, "no --device given and no shared data found for the simulated camera")
        }
        let s = SimulatedCameraConfig.size(size)!
        let interrupt = InterruptFlag()
        let model = try modelOptions.load()
        do {
            print(try runLiveBenchmark(device: device, seconds: seconds, fps: fps, width: s.width, height: s.height,
                                       model: model, config: tuning.config(live: true), shouldStop: { interrupt.raised }))
        } catch {
            switch error {
            case .input(let message): throw CommandFailure(.input, message)
            case .camera(let failure): throw CommandFailure(failure)
            }
        }
    }

    private func runUI() throws(CommandFailure) {
        guard let clip = files.first ?? SharedData.dataFolder.map({ $0 + "/zju-eyeblink/2_000001M_FNN.mp4" }) else {
            throw CommandFailure(.data, "no file given and no shared data found (../shared/data or $GAZETOP_DATA)")
        }
        let model = try modelOptions.load()
        do {
            print(try runUIBenchmark(clip: clip, model: model, config: tuning.config(live: true), redraws: redraws))
        } catch {
            switch error {
            case .input(let message): throw CommandFailure(.input, message)
            case .terminal(let message): throw CommandFailure(.terminal, message)
            }
        }
    }

    private typealias PeerRow = (group: String, result: PeerBenchmark.Result)

    private func textReport(_ groups: [PipelineBenchmark.Group], _ peakMiB: Double, _ peers: [PeerRow]) -> String {
        var lines: [String] = []
        for g in groups {
            let t = g.timings
            func stage(_ name: String, _ values: [Double]) -> String {
                let p = Percentiles(values)
                return "  \(name.padding(toLength: 15, withPad: " ", startingAt: 0)) median \(ms(p.median))  p99 \(ms(p.p99))  mean \(ms(p.mean))"
            }
            lines.append("\(g.size): \(g.files.count) file(s), \(t.count) frames")
            lines.append(stage("decode", t.map(\.decode)))
            lines.append(stage("detect", t.map(\.detect)))
            lines.append(stage("landmarks", t.map(\.landmarks)))
            lines.append(stage("eyes", t.map(\.eyes)))
            lines.append(stage("pose", t.map(\.pose)))
            lines.append(stage("core", t.map(\.core)))
            lines.append(stage("vision+metrics", t.map(\.total)))
            lines.append("  analyze throughput (decoding ahead on a second thread): \(String(format: "%.1f", g.framesPerSecond)) frames/s, "
                + "\(cpu(g.analyzeCpuMsPerFrame)) (\(String(format: "%.2f", g.analyzeCpuMsPerFrame * g.framesPerSecond / 1000)) cores busy)")
            lines.append("  decoding alone (FFmpeg and the grey picture, no vision): \(String(format: "%.1f", g.decodeFramesPerSecond)) frames/s, "
                + cpu(g.decodeCpuMsPerFrame))
            for p in peers where p.group == g.size {
                let r = p.result
                let pct = Percentiles(r.frameMs)
                lines.append("  peer \(r.name): median \(ms(pct.median))  p99 \(ms(pct.p99)) per frame (processing only), "
                    + "\(String(format: "%.1f", r.processingFps)) frames/s; gazetop analyze is \(ratio(g.framesPerSecond, r.processingFps)) that")
                let wholeRuns = "  peer \(r.name), whole runs (decoding included, start-up of \(String(format: "%.2f", r.startupMs / 1000)) s "
                    + "a run left out, as for gazetop): "
                if r.wholeRunFps > 0 {
                    lines.append(wholeRuns + "\(String(format: "%.1f", r.wholeRunFps)) frames/s; gazetop analyze is "
                        + "\(ratio(g.framesPerSecond, r.wholeRunFps)) that; \(cpu(r.wholeRunCpuMsPerFrame)), gazetop's "
                        + ratio(g.analyzeCpuMsPerFrame, r.wholeRunCpuMsPerFrame) + " that")
                } else {
                    lines.append(wholeRuns + "not measurable, its runs took no longer than its start-up")
                }
            }
        }
        lines.append("built for \(BuildInfo.instructionSet) (CVision and the dlib templates in it, optimised)")
        lines.append("peak memory: \(String(format: "%.0f", peakMiB)) MiB")
        return lines.joined(separator: "\n")
    }

    private func jsonReport(_ groups: [PipelineBenchmark.Group], _ peakMiB: Double, _ peers: [PeerRow]) -> String {
        func stats(_ v: [Double]) -> String {
            let p = Percentiles(v)
            return "{\"median\":\(ms(p.median)),\"p99\":\(ms(p.p99)),\"mean\":\(ms(p.mean))}"
        }
        let items = groups.map { g -> String in
            let t = g.timings
            var s = "{\"size\":\"\(g.size)\",\"files\":\(g.files.count),\"frames\":\(t.count)"
            s += ",\"decode\":\(stats(t.map(\.decode))),\"detect\":\(stats(t.map(\.detect)))"
            s += ",\"landmarks\":\(stats(t.map(\.landmarks))),\"eyes\":\(stats(t.map(\.eyes)))"
            s += ",\"pose\":\(stats(t.map(\.pose))),\"core\":\(stats(t.map(\.core)))"
            s += ",\"visionMetrics\":\(stats(t.map(\.total))),\"analyzeFps\":\(String(format: "%.1f", g.framesPerSecond))"
            s += ",\"analyzeCpuMsPerFrame\":\(ms(g.analyzeCpuMsPerFrame)),\"decodeOnlyFps\":\(String(format: "%.1f", g.decodeFramesPerSecond))"
            s += ",\"decodeOnlyCpuMsPerFrame\":\(ms(g.decodeCpuMsPerFrame))"
            let peerItems = peers.filter { $0.group == g.size }.map {
                "{\"name\":\"\($0.result.name)\",\"frames\":\($0.result.frames),\"ms\":\(stats($0.result.frameMs)),"
                    + "\"processingFps\":\(String(format: "%.1f", $0.result.processingFps)),"
                    + "\"wholeRunFps\":\(String(format: "%.1f", $0.result.wholeRunFps)),"
                    + "\"startupMs\":\(String(format: "%.0f", $0.result.startupMs)),"
                    + "\"wholeRunCpuMsPerFrame\":\(ms($0.result.wholeRunCpuMsPerFrame))}"
            }
            return s + ",\"peers\":[\(peerItems.joined(separator: ","))]}"
        }
        return "{\"groups\":[\(items.joined(separator: ","))],\"instructionSet\":\"\(BuildInfo.instructionSet)\","
            + "\"peakMemoryMiB\":\(String(format: "%.0f", peakMiB))}"
    }

    private func ms(_ v: Double) -> String { String(format: "%.3f", v) }
    private func ratio(_ a: Double, _ b: Double) -> String { b > 0 ? String(format: "%.2fx", a / b) : "n/a" }
    private func cpu(_ msPerFrame: Double) -> String { String(format: "%.2f ms of CPU a frame", msPerFrame) }
}

extension Bench {
    /// `bench --match`: one face's descriptor, timed on photos.
    func runMatch() throws(CommandFailure) {
        let photos = files.isEmpty
            ? (SharedData.dataFolder.map { data in
                ((try? FileManager.default.contentsOfDirectory(atPath: data + "/faces-68")) ?? [])
                    .filter { $0.hasSuffix(".jpg") || $0.hasSuffix(".png") }.sorted().map { data + "/faces-68/" + $0 }
            } ?? [])
            : files
        guard !photos.isEmpty else { throw CommandFailure(.data, "no photos given and no shared data found") }
        let result: MatchBenchmark.Result
        do { result = try MatchBenchmark.run(photos: photos, reader: try matchOptions.reader()) } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(.input, "\(error)")
        }
        let f = { (v: Double) in String(format: "%.1f", v) }
        if json {
            print("{\"faces\":\(result.faces),\"runs\":\(result.runs),\"descriptorMedianMs\":\(f(result.medianMs)),"
                + "\"descriptorP99Ms\":\(f(result.p99Ms)),\"descriptorCpuMs\":\(f(result.cpuMsPerDescriptor))}")
        } else {
            print("face descriptor (5 landmarks, chip, network), \(result.faces) faces x \(result.runs / max(1, result.faces)) runs: "
                + "median \(f(result.medianMs)) ms, p99 \(f(result.p99Ms)) ms, CPU \(f(result.cpuMsPerDescriptor)) ms a descriptor")
        }
    }
}
