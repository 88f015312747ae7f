import Capture
import Foundation
import GazeCore
import Monitor
import Vision

/// Times the pipeline stage by stage on files, single-threaded, the way `analyze` runs it.
public struct PipelineBenchmark {
    /// One frame's times in milliseconds.
    public struct FrameTiming: Sendable {
        public var decode: Double
        public var detect: Double
        public var landmarks: Double
        public var eyes: Double
        public var pose: Double
        public var core: Double
        /// Vision and metrics together (everything but decoding).
        public var total: Double
    }

    /// All frames of the files that share one picture size.
    public struct Group: Sendable {
        public var size: String
        public var files: [String]
        public var timings: [FrameTiming] = []
        /// Wall time of `analyze` on these files (a second pass, as `analyze` runs: decoding ahead on its
        /// own thread while vision works on the current frame).
        public var analyzeWallMs = 0.0
        /// CPU time of this process over that pass, every thread (decoder's included).
        public var analyzeCpuMs = 0.0
        public var analyzeFrames = 0
        /// A third pass that only decodes (FFmpeg and the grey picture, as `analyze` gets them, no vision):
        /// the part of `analyze`'s work no face tracking can save.
        public var decodeWallMs = 0.0
        public var decodeCpuMs = 0.0
        public var decodeFrames = 0

        public var framesPerSecond: Double { rate(analyzeFrames, analyzeWallMs) }
        public var analyzeCpuMsPerFrame: Double { analyzeFrames > 0 ? analyzeCpuMs / Double(analyzeFrames) : 0 }
        public var decodeFramesPerSecond: Double { rate(decodeFrames, decodeWallMs) }
        public var decodeCpuMsPerFrame: Double { decodeFrames > 0 ? decodeCpuMs / Double(decodeFrames) : 0 }

        private func rate(_ frames: Int, _ wallMs: Double) -> Double { wallMs > 0 ? Double(frames) / (wallMs / 1000) : 0 }
    }

    public let pipeline: FramePipeline

    public init(pipeline: FramePipeline) {
        self.pipeline = pipeline
    }

    /// Runs every file once, grouping frames by picture size in the order sizes first appear.
    public func run(_ paths: [String], progress: (String) -> Void = { _ in }) throws(CaptureError) -> [Group] {
        var groups: [Group] = []
        for path in paths {
            progress(path)
            let source = try openFileSource(path: path)
            pipeline.reset()
            var timings: [FrameTiming] = []
            var size = ""
            while true {
                let t0 = MonotonicClock.nowMs()
                guard let frame = try source.nextFrame() else { break }
                let decoded = MonotonicClock.nowMs() - t0
                size = "\(frame.width)x\(frame.height)"
                let t = pipeline.process(frame).timing
                let v = t.stages
                timings.append(FrameTiming(decode: decoded, detect: v.detectMs, landmarks: v.landmarksMs, eyes: v.eyesMs,
                                           pose: v.poseMs, core: t.metricsMs, total: t.totalMs))
            }
            _ = pipeline.finish()
            if let i = groups.firstIndex(where: { $0.size == size }) {
                groups[i].files.append(path)
                groups[i].timings += timings
            } else {
                groups.append(Group(size: size, files: [path], timings: timings))
            }
        }
        let analyzer = FileAnalyzer(pipeline: pipeline)
        for i in groups.indices {
            for path in groups[i].files {
                progress("analyze " + path)
                let source = try openFileSource(path: path)
                let start = MonotonicClock.nowMs(), cpuStart = CPUTime.ownMs()
                let stats = try analyzer.run(source, onRecord: { _ in })
                groups[i].analyzeWallMs += MonotonicClock.nowMs() - start
                groups[i].analyzeCpuMs += CPUTime.ownMs() - cpuStart
                groups[i].analyzeFrames += stats.frames
            }
            for path in groups[i].files {
                progress("decode " + path)
                let source = try openFileSource(path: path)
                let start = MonotonicClock.nowMs(), cpuStart = CPUTime.ownMs()
                while try source.nextFrame() != nil { groups[i].decodeFrames += 1 }
                groups[i].decodeWallMs += MonotonicClock.nowMs() - start
                groups[i].decodeCpuMs += CPUTime.ownMs() - cpuStart
            }
        }
        return groups
    }

    /// Peak resident memory of this process so far, in MiB.
    public static func peakMemoryMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}

/// CPU time used so far, in milliseconds.
public enum CPUTime {
    /// This process's own: user and system, every thread.
    public static func ownMs() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return ms(usage)
    }

    /// User and system time of a `getrusage` or `wait4` report.
    static func ms(_ usage: rusage) -> Double {
        Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000
    }
}

/// Order statistics of a sample.
public struct Percentiles: Sendable {
    private let sorted: [Double]

    public init(_ values: [Double]) {
        sorted = values.sorted()
    }

    /// The value at fraction `p` (0...1), by nearest rank; 0 for an empty sample.
    public func at(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(sorted.count - 1, max(0, rank))]
    }

    public var median: Double { at(0.5) }
    public var p99: Double { at(0.99) }
    public var mean: Double { sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count) }
}
