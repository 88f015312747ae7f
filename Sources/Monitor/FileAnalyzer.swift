import Capture
import GazeCore
import Vision

/// Runs files through the pipeline as fast as the machine allows, one record per frame.
public final class FileAnalyzer {
    public let pipeline: FramePipeline

    public init(pipeline: FramePipeline) {
        self.pipeline = pipeline
    }

    /// Progress of one file, for a status line.
    public struct Progress: Sendable {
        public var framesDone: Int
        public var framesExpected: Int?
        public var framesPerSecond: Double
    }

    /// Processes every frame of `source` from a fresh state and hands over each frame's final record.
    /// Stops early, with what it has, when `shouldStop` says so (Ctrl-C).
    public func run(_ source: FrameSource, onRecord: (FrameRecord) -> Void,
                    onProgress: ((Progress) -> Void)? = nil,
                    shouldStop: () -> Bool = { false }) throws(CaptureError) -> SessionStats {
        pipeline.reset()
        var stats = SessionStats()
        let start = MonotonicClock.nowMs()
        var lastReport = start
        func emit(_ records: [FrameRecord]) {
            for record in records {
                stats.add(record)
                onRecord(record)
            }
        }
        let frames = DecodeAhead(source)
        defer { frames.stop() }
        while !shouldStop(), let frame = try frames.next() {
            emit(pipeline.process(frame).confirmed)
            let now = MonotonicClock.nowMs()
            if let onProgress, now - lastReport >= 250 {
                lastReport = now
                onProgress(Progress(framesDone: stats.frames, framesExpected: source.expectedFrameCount,
                                    framesPerSecond: Double(stats.frames) / max(1e-3, (now - start) / 1000)))
            }
        }
        emit(pipeline.finish())
        return stats
    }
}
