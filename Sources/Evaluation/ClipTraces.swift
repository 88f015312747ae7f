import Capture
import GazeCore
import Monitor

/// One real clip as a challenge would see it, frame by frame (`ChallengeFrame`s from the real pipeline).
public struct ClipTrace: Sendable {
    public var name: String
    public var frames: [ChallengeFrame]

    /// The per-term median of the clip's open-eye gaze features: the person's neutral look (in the ZJU
    /// clips, at the camera). Nil without any.
    public var neutral: GazeFeatures? {
        GazeFeatures.median(frames.filter(\.eyesOpen).compactMap(\.features))
    }

    /// Runs each clip through the pipeline from a fresh state.
    public static func measure(_ paths: [String], pipeline: FramePipeline,
                               progress: (Int, Int) -> Void = { _, _ in }) throws(CaptureError) -> [ClipTrace] {
        var traces: [ClipTrace] = []
        for (i, path) in paths.enumerated() {
            progress(i, paths.count)
            let source = try openFileSource(path: path)
            pipeline.reset()
            var sampler = ChallengeFrameSampler()
            var frames: [ChallengeFrame] = []
            while let frame = try source.nextFrame() {
                frames.append(sampler.sample(pipeline.process(frame)))
            }
            _ = pipeline.finish()
            let name = path.split(separator: "/").last.map { String($0.split(separator: ".").first ?? $0) } ?? path
            traces.append(ClipTrace(name: name, frames: frames))
        }
        return traces
    }
}

/// Facts of real clips that the liveness limits are set against (reported by `evaluate --challenge`).
public struct TraceLiveness: Sendable {
    public var name: String
    public var medianMotion: Double
    public var repeatedShare: Double
    public var faceShare: Double
    public var severalFacesMs: Double
    public var framesPerSecond: Double
    /// The clip's landmarks as the planar-motion check sees them (a real head: it moves a little).
    public var planar: PlanarMotionTally
    /// The clip's counted blinks as the blink-profile check sees them, at 30 fps and at 15 (every other frame).
    public var blinks: BlinkProfileTally
    public var blinksAt15: BlinkProfileTally

    public init(_ trace: ClipTrace, config: LivenessConfig = LivenessConfig()) {
        var checks = LivenessChecks(config: config)
        for f in trace.frames { checks.add(f) }
        name = trace.name
        medianMotion = checks.medianMotion
        repeatedShare = checks.repeatedShare
        faceShare = checks.faceShare
        severalFacesMs = checks.severalFacesMs
        framesPerSecond = checks.framesPerSecond
        planar = checks.planar
        blinks = checks.blinkProfile
        var half = LivenessChecks(config: config)
        for (i, f) in trace.frames.enumerated() where i % 2 == 0 { half.add(f) }
        blinksAt15 = half.blinkProfile
    }
}
