import Capture
import Dispatch
import GazeCore
import Vision

/// The descriptor of the face a challenge follows, in a processed frame's grey picture: what the
/// challenge's identity checks sample at a few moments (`GazeTask.wantsFaceDescriptor`). Owns nothing but
/// borrows an encoder, used on the vision queue only.
// @unchecked Sendable: built on the command's thread and handed once to the vision queue (as
// `ModelHandOver` hands the landmark model); the encoder and the counters are used there only.
public final class FollowedFaceDescriber: @unchecked Sendable {
    public let encoder: FaceEncoder
    public let config: MatchConfig
    /// Descriptors computed, and the wall-clock milliseconds they took (the challenge's added time).
    public private(set) var count = 0
    public private(set) var totalMs = 0.0

    public init(encoder: FaceEncoder, config: MatchConfig) {
        self.encoder = encoder
        self.config = config
    }

    /// The followed face's descriptor: nil without a face, with a face too small to match, or when the
    /// network gives none.
    public func describe(_ result: FrameResult) -> FaceDescriptor? {
        guard let face = result.observation.face, face.box.width >= config.minFaceWidth else { return nil }
        let started = MonotonicClock.nowMs()
        defer {
            count += 1
            totalMs += MonotonicClock.nowMs() - started
        }
        let frame = result.frame
        return try? encoder.describe(ColourPicture(grey: frame.gray, width: frame.width, height: frame.height), face: face.box).0
    }
}
