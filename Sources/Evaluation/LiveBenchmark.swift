import Capture
import Dispatch
import GazeCore
import Glibc
import Monitor
import Vision

/// Why `LiveBenchmark.run` could not measure: a device description it cannot use, or the camera's own
/// failure (at setup or mid-way).
public enum LiveBenchmarkFailure: Error, Sendable {
    case input(String)
    case camera(CameraError)
}

/// Measures the live path end to end: capture, hand-over, vision, record, the dashboard's snapshot.
/// Returns the report text (`gazetop bench --live`).
///
/// With a `sim:` device the simulator serves at `fps` (the video sped up or slowed down as needed) and
/// loops. Its decoding and encoding are done before the timed run (every frame pre-encoded in the
/// negotiated format); its remaining work during the run, copying each frame into a driver buffer, is timed
/// on the thread that does it and reported apart from gazetop's own CPU. CPU and memory are sampled from
/// `warmUpSeconds` into the stream to its end; latency and drops cover the whole run.
public func runLiveBenchmark(device: String, seconds: Double, fps: Double, width: Int = 640, height: Int = 480,
                             model: FaceModel, config: GazeConfig = GazeConfig(), warmUpSeconds: Double = 2,
                             shouldStop: @escaping () -> Bool = { false }) throws(LiveBenchmarkFailure) -> String {
    var options = LiveOptions()
    options.request = CaptureRequest(width: width, height: height, fps: fps)
    options.durationSeconds = seconds
    var lines: [String] = []
    let camera: V4L2Camera
    var simulator: SimulatedV4L2Device?
    if SimulatedCameraConfig.isSimulated(device) {
        var sim: SimulatedCameraConfig
        do { sim = try SimulatedCameraConfig(parsing: device) } catch { throw .input("\(error)") }
        sim.fps = sim.fps ?? fps
        sim.loops = true
        let device: SimulatedV4L2Device
        do { device = try SimulatedV4L2Device(config: sim) } catch { throw .input("\(error)") }
        guard let format = FormatNegotiation.choose(from: device.offered, for: options.request) else {
            throw .camera(CameraError.unsupportedFormat(path: sim.video, offered: sim.formats.map(\.description)))
        }
        do { try device.prepare(fourcc: format.fourcc, width: format.width, height: format.height) } catch {
            throw .input("\(error)")
        }
        let c = device.counters
        lines.append("simulator: \(sim.video) at \(fixed(sim.fps!, 1)) fps, looped; pre-encoded as \(format.fourcc) "
                     + "\(format.width)x\(format.height) before the run: \(mb(c.preparedBytes)) in \(fixed(c.preparationMs / 1000, 1)) s")
        simulator = device
        camera = V4L2Camera(path: device.config.video, driver: device)
    } else {
        camera = V4L2Camera(path: device)
    }

    let handOver = ModelHandOver(model)
    // The dashboard's vision side runs as in the monitor, so latency ends where the screen can show the
    // frame: its snapshot published. (Drawing it is the main thread's work: `bench --ui` measures that.)
    let feed = DashboardFeed(config: config, device: device)
    let session = LiveSession.feeding(feed, camera: camera, options: options) {
        FramePipeline(model: handOver.take(), config: config, includeRaw: true)
    }
    let sampler = ResourceSampler(warmUpSeconds: warmUpSeconds, simulator: simulator)
    let report: LiveReport
    do throws(CameraError) {
        report = try session.run(onFrame: { frame in
            feed.take(frame)
            sampler.tick()
        }, onEnd: { feed.end($0) }, shouldStop: shouldStop)
    } catch {
        throw .camera(error)
    }
    if case .failed(let error) = report.ending { throw .camera(error) }
    let end = ResourceSampler.Sample.now(simulator)

    lines.insert("live bench: \(device) -> \(report.format?.description ?? "?"), \(fixed(report.streamingSeconds, 1)) s", at: 0)
    lines.append("frames: \(report.framesCaptured) captured (\(fixed(report.capturedFps, 1)) fps), "
                 + "\(report.framesProcessed) processed, \(report.framesDropped) dropped for lack of processing time, "
                 + "\(report.driverDrops) skipped by the driver")
    lines.append("latency capture->snapshot: median \(fixed(report.latency.medianMs, 2)) ms, p99 \(fixed(report.latency.p99Ms, 2)) ms, "
                 + "max \(fixed(report.latency.maxMs, 2)) ms")
    lines.append("capture+hand-over (capture timestamp to vision start): median \(fixed(report.handOver.medianMs, 2)) ms, "
                 + "p99 \(fixed(report.handOver.p99Ms, 2)) ms; capture thread CPU "
                 + "\(fixed(100 * report.captureThreadCPUSeconds / max(report.streamingSeconds, 1e-3), 2))% of one core")
    lines.append("vision+metrics per frame: median \(fixed(report.processing.medianMs, 2)) ms, p99 \(fixed(report.processing.p99Ms, 2)) ms")
    if let start = sampler.start {
        let wallS = (end.wallMs - start.wallMs) / 1000
        let cpuS = (end.cpuMs - start.cpuMs) / 1000
        let simS = Double(end.simulatorUs - start.simulatorUs) / 1e6
        let ownPct = 100 * (cpuS - simS) / wallS
        lines.append("CPU from \(fixed(warmUpSeconds, 0)) s to the end (\(fixed(wallS, 1)) s): gazetop \(fixed(ownPct, 1))% of one core"
                     + (simulator != nil ? " + simulator \(fixed(100 * simS / wallS, 2))% (buffer copies, timed apart)" : ""))
        lines.append("RSS: \(mb(start.rssBytes)) at \(fixed(warmUpSeconds, 0)) s, \(mb(end.rssBytes)) at the end, "
                     + "max \(mb(sampler.maxRss)) (of which the simulator's pre-encoded frames: \(mb(simulator?.counters.preparedBytes ?? 0)))")
    } else {
        lines.append("CPU and RSS: not sampled (the run was shorter than the \(fixed(warmUpSeconds, 0)) s warm-up)")
    }
    return lines.joined(separator: "\n")
}

private func fixed(_ v: Double, _ places: Int) -> String { RecordEncoding.num(v, places) }
private func mb(_ bytes: Int) -> String { fixed(Double(bytes) / 1_048_576, 1) + " MB" }

/// Samples CPU time and resident memory from the vision queue as records come out.
// @unchecked Sendable: `tick` runs only on the vision queue; the caller reads `start` and `maxRss` after
// `LiveSession.run` has drained that queue.
final class ResourceSampler: @unchecked Sendable {
    struct Sample {
        var wallMs: Double
        var cpuMs: Double
        var simulatorUs: Int64
        var rssBytes: Int

        static func now(_ simulator: SimulatedV4L2Device?) -> Sample {
            Sample(wallMs: MonotonicClock.nowMs(), cpuMs: CPUTime.ownMs(), simulatorUs: simulator?.counters.workUs ?? 0,
                   rssBytes: residentBytes())
        }

        /// Resident set size, from the second field of /proc/self/statm (in pages).
        static func residentBytes() -> Int {
            guard let file = fopen("/proc/self/statm", "r") else { return 0 }
            defer { fclose(file) }
            var line = [CChar](repeating: 0, count: 256)
            guard fgets(&line, Int32(line.count), file) != nil else { return 0 }
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let fields = text.split(separator: " ").compactMap { Int($0) }
            return fields.count >= 2 ? fields[1] * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
        }
    }

    let warmUpSeconds: Double
    let simulator: SimulatedV4L2Device?
    private(set) var start: Sample?
    private(set) var maxRss = 0
    private var firstMs: Double?
    private var lastRssMs = 0.0

    init(warmUpSeconds: Double, simulator: SimulatedV4L2Device?) {
        self.warmUpSeconds = warmUpSeconds
        self.simulator = simulator
    }

    func tick() {
        let now = MonotonicClock.nowMs()
        let first = firstMs ?? now
        firstMs = first
        if start == nil, now - first >= warmUpSeconds * 1000 { start = .now(simulator) }
        if now - lastRssMs >= 1000 {
            lastRssMs = now
            maxRss = max(maxRss, Sample.residentBytes())
        }
    }
}
