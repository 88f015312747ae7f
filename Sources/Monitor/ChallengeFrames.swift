import Capture
import GazeCore
import Vision

/// Turns each processed frame into a `ChallengeFrame`: the record's judgement plus what the liveness checks
/// need of the picture (a digest of its pixels, the landmarks and their motion since the previous frame).
public struct ChallengeFrameSampler: Sendable {
    private var previousLandmarks: Landmarks?

    public init() {}

    /// The frame of `result` as the liveness checks see it, judged by its live record.
    public mutating func sample(_ result: FrameResult) -> ChallengeFrame {
        let frame = result.frame, observation = result.observation, record = result.live
        let face = observation.face
        var motion: Double?
        if let before = previousLandmarks, let now = face?.landmarks {
            motion = ChallengeFrame.landmarkMotion(from: before, to: now)
        }
        previousLandmarks = face?.landmarks
        return ChallengeFrame(timeMs: frame.timeMs, face: face != nil, faces: observation.faceCount,
                              features: face.flatMap(GazeFeatures.init(face:)), eyesOpen: record.eyes == .open,
                              blinkCount: record.blinkCount, frameLevel: observation.frameLevel,
                              faceWidthPixels: face?.box.width, digest: Self.digest(frame.gray),
                              landmarkMotion: motion, landmarks: face?.landmarks)
    }

    /// FNV-1a over every pixel, eight at a time: equal digests mean identical frames (a camera's sensor
    /// noise makes real frames differ), at about 0.1 ms for 640x480.
    public static func digest(_ pixels: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        pixels.withUnsafeBytes { raw in
            let words = raw.count / 8
            for i in 0..<words {
                h = (h ^ raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* 0x0000_0100_0000_01b3
            }
            for i in (words * 8)..<raw.count { h = (h ^ UInt64(raw[i])) &* 0x0000_0100_0000_01b3 }
        }
        return h
    }
}

/// The per-frame work of a live challenge or calibration: the usual pipeline, and each frame's
/// `ChallengeFrame` handed on at once (the live record, not the confirmed one, so the task runs on the
/// camera's time; the blink count in a live record is final, a blink being counted when it ends).
public final class ChallengeProcessor: FrameProcessing {
    public let pipeline: FramePipeline
    private var sampler = ChallengeFrameSampler()
    private let describer: FollowedFaceDescriber?
    private let onFrame: (ChallengeFrame, () -> FaceDescriptor?) -> Void

    /// - Parameter onFrame: each frame, with what gives its followed face's descriptor (`describer`'s, nil
    ///   without one) should the task want it.
    public init(pipeline: FramePipeline, describer: FollowedFaceDescriber? = nil,
                onFrame: @escaping (ChallengeFrame, () -> FaceDescriptor?) -> Void) {
        self.pipeline = pipeline
        self.describer = describer
        self.onFrame = onFrame
    }

    public func process(_ frame: Frame) -> FrameResult {
        let result = pipeline.process(frame)
        onFrame(sampler.sample(result)) { [describer] in describer?.describe(result) }
        return result
    }

    public func finish() -> [FrameRecord] { pipeline.finish() }
}
