import Capture
import Dashboard
import GazeCore
import Glibc
import Monitor
import Vision

/// Why `runUIBenchmark` could not measure: a clip it cannot read, or a benchmark terminal curses cannot
/// start.
public enum UIBenchmarkFailure: Error, Sendable {
    case input(String)
    case terminal(String)
}

/// `gazetop bench --ui`: the cost of one full redraw of the dashboard at 120x40, measured as the UI
/// thread pays it: `DashboardView.render` (snapshot to cells) and pushing every cell through curses to a
/// terminal (xterm-256color, output to /dev/null) with a full repaint, not only the changes.
///
/// The snapshots are real: a clip goes through the pipeline and the dashboard's feed, as in a live
/// session, and one snapshot is kept per frame, the camera preview on for every other one.
public func runUIBenchmark(clip: String, model: FaceModel, config: GazeConfig, redraws: Int) throws(UIBenchmarkFailure) -> String {
    let source: VideoFileSource
    do { source = try VideoFileSource(path: clip) } catch { throw .input("\(error)") }
    let pipeline = FramePipeline(model: model, config: config, includeRaw: true)
    let feed = DashboardFeed(config: config, device: "sim:" + clip)
    feed.attach(pipeline)
    var snapshots: [Snapshot] = []
    while true {
        let frame: Frame?
        do { frame = try source.nextFrame() } catch { throw .input("\(error)") }
        guard let frame else { break }
        if frame.sequence % 2 == 0 { feed.request(.preview(frame.sequence % 4 == 0)) }
        let result = pipeline.process(frame)
        feed.take(LiveFrame(result: result, latencyMs: result.timing.totalMs))
        var s = feed.latest()
        s.showPreview = s.preview != nil
        snapshots.append(s)
    }
    guard !snapshots.isEmpty else { throw .input("\(clip): no frames") }

    let width = 120, height = 40, term = "xterm-256color"
    let screen: CursesScreen
    do { screen = try CursesScreen(benchmarkTerm: term, width: width, height: height, outputPath: "/dev/null") } catch {
        throw .terminal(error.description)
    }
    defer { screen.close() }
    var renderMs: [Double] = [], pushMs: [Double] = [], totalMs: [Double] = []
    var withPreviewMs: [Double] = [], withoutPreviewMs: [Double] = []
    for i in 0..<redraws {
        let snapshot = snapshots[i % snapshots.count]
        let start = MonotonicClock.nowMs()
        let grid = DashboardView.render(snapshot, width: width, height: height, options: screen.options)
        let rendered = MonotonicClock.nowMs()
        screen.show(grid, repaintAll: true)
        let end = MonotonicClock.nowMs()
        renderMs.append(rendered - start)
        pushMs.append(end - rendered)
        totalMs.append(end - start)
        if snapshot.showPreview { withPreviewMs.append(end - start) } else { withoutPreviewMs.append(end - start) }
    }
    func line(_ name: String, _ v: [Double]) -> String {
        let p = Percentiles(v)
        return "  \(name): median \(RecordEncoding.num(p.median, 3)) ms, p90 \(RecordEncoding.num(p.at(0.9), 3)) ms, "
            + "p99 \(RecordEncoding.num(p.p99, 3)) ms"
    }
    return [
        "ui bench: \(redraws) full redraws at \(width)x\(height) (\(term), colours \(screen.options.colors), output to /dev/null) "
            + "of \(snapshots.count) snapshots from \(clip), the camera preview on in half of them",
        line("render (snapshot to cells)", renderMs),
        line("curses (cells to the terminal, every cell repainted)", pushMs),
        line("full redraw", totalMs),
        line("full redraw, camera preview off", withoutPreviewMs),
        line("full redraw, camera preview on", withPreviewMs),
    ].joined(separator: "\n")
}
