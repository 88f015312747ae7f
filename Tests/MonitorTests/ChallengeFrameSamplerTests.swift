import Capture
import GazeCore
import Monitor
import Testing
import Vision

/// What the liveness checks get from each real frame.
@Suite(.serialized) struct ChallengeFrameSamplerTests {
    @Test func digestsTellIdenticalFramesApart() {
        let a = [UInt8](repeating: 7, count: 640 * 480)
        var b = a
        #expect(ChallengeFrameSampler.digest(a) == ChallengeFrameSampler.digest(b))
        b[320 * 240 + 5] = 8 // one pixel, in the middle
        #expect(ChallengeFrameSampler.digest(a) != ChallengeFrameSampler.digest(b))
        var c = a
        c[c.count - 1] = 8 // the last pixel, past the last whole 8-byte word of an odd length too
        #expect(ChallengeFrameSampler.digest(a) != ChallengeFrameSampler.digest(c))
        #expect(ChallengeFrameSampler.digest([1, 2, 3]) != ChallengeFrameSampler.digest([1, 2, 4]))
    }

    @Test(.enabled(if: TestData.available, Comment(rawValue: TestData.skipMessage)),
          .enabled(if: SharedModel.isInstalled, Comment(rawValue: SharedModel.missingMessage)))
    func aRealClipGivesFeaturesAndMotion() throws {
        let frames = try SharedModel.use { model in
            let pipeline = FramePipeline(model: model)
            let source = try VideoFileSource(path: TestData.zjuClip)
            var sampler = ChallengeFrameSampler()
            var frames: [ChallengeFrame] = []
            while frames.count < 60, let frame = try source.nextFrame() {
                frames.append(sampler.sample(pipeline.process(frame)))
            }
            return frames
        }
        #expect(frames.allSatisfy { $0.face && $0.faces == 1 && $0.faceWidthPixels != nil })
        #expect(frames.filter(\.eyesOpen).allSatisfy { $0.features != nil })
        #expect(frames[0].landmarkMotion == nil, "no frame before the first")
        let motions = frames.dropFirst().compactMap(\.landmarkMotion)
        #expect(motions.count == 59)
        // A live face moves a little: most frames above the natural-motion limit, none absurdly.
        #expect(motions.filter { $0 > LivenessConfig().minMedianLandmarkMotion }.count > 30)
        #expect(motions.allSatisfy { $0 < 0.2 })
        #expect(zip(frames, frames.dropFirst()).allSatisfy { $1.timeMs > $0.timeMs })
    }
}
