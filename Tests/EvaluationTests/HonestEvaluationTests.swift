import Foundation
import GazeCore
import Monitor
import Testing
import Vision
@testable import Evaluation

/// Honest people (real ZJU frames, simulated eye movements) and the same tracks one cell off, through the
/// whole challenge at its defaults. `gazetop evaluate --challenge --tracks 200` (seed 1) measured the
/// BPCERs below, no more than 1 in 200 shifted tracks passed, and a challenge of at most 15.5 s; the limits
/// sit a little above.
@Suite(.serialized) struct HonestEvaluationTests {
    @Test func honestPeoplePassAndShiftedTracksDoNot() throws {
        guard let data = SharedData.dataFolder else {
            print("skipped: ../shared/data not found")
            return
        }
        let zju = data + "/zju-eyeblink"
        let clips = try FileManager.default.contentsOfDirectory(atPath: zju).filter { $0.hasSuffix(".mp4") }.sorted()
        let traces = try ClipTrace.measure(clips.map { zju + "/" + $0 }, pipeline: FramePipeline(model: try FaceModel()))
        #expect(traces.count == 40)
        let config = GazeConfig()
        let variants = HonestEvaluation(tracks: HonestTracks(traces: traces, config: config)).run(count: 200, seed: 1)
        for v in variants {
            print("\(v.calibration): BPCER \(v.bpcer(.position, config: config.challenge)) APCER(shifted) "
                  + "\(v.apcer(.position, config: config.challenge)) failures \(v.honestFailures)")
        }
        let session = try #require(variants.first { $0.calibration == .session })
        let saved = try #require(variants.first { $0.calibration == .saved })
        let generic = try #require(variants.first { $0.calibration == .generic })
        // Measured 0.005, 0.015 and 0.015 with 200 people (seed 1): the head up to 44% of a shift, the iris
        // where the eye's geometry puts it (`HonestTracks.look`), eye gains spread as anatomy spreads them,
        // each calibration target's median look, the residual without the worst tenth of the frames.
        #expect(session.bpcer(.position, config: config.challenge) <= 0.02)
        #expect(saved.bpcer(.position, config: config.challenge) <= 0.025)
        #expect(generic.bpcer(.position, config: config.challenge) <= 0.025)
        #expect(session.apcer(.position, config: config.challenge) <= 0.01)
        #expect(saved.apcer(.position, config: config.challenge) <= 0.01)
        // Direction alone cannot tell a track from the same track one cell off: why position is the default.
        #expect(session.apcer(.direction, config: config.challenge) > 0.5)
        // The whole challenge, its own calibration included, in under 20 s.
        #expect(try #require(session.durations.max()) < 20)
    }

    @Test func theSameSeedDrawsTheSameTrials() throws {
        // Two clips' worth of made-up traces are enough to check determinism without the pipeline.
        func trace(_ name: String, offset: Double) -> ClipTrace {
            ClipTrace(name: name, frames: (0..<150).map { i in
                ChallengeFrame(timeMs: Double(i) * 33.3, face: true, faces: 1,
                               features: GazeFeatures(pupilOffset: Point(x: offset + Double(i % 5) * 0.01, y: -0.1),
                                                      headPose: HeadPose(yaw: Double(i % 3), pitch: 1, roll: 0)),
                               eyesOpen: i % 40 > 3, blinkCount: i / 40, frameLevel: 120, faceWidthPixels: 150,
                               digest: UInt64(i), landmarkMotion: 0.01)
            })
        }
        let tracks = HonestTracks(traces: [trace("a", offset: 0), trace("b", offset: 0.05)])
        let a = HonestEvaluation(tracks: tracks).run(count: 5, seed: 9, calibrations: [.session])
        let b = HonestEvaluation(tracks: tracks).run(count: 5, seed: 9, calibrations: [.session])
        #expect(a[0].trials.map(\.honest) == b[0].trials.map(\.honest))
        #expect(a[0].trials.map(\.sequence) == b[0].trials.map(\.sequence))
        #expect(a[0].trials.allSatisfy { zip($0.sequence, $0.sequence.dropFirst()).allSatisfy { $0 != $1 } })
    }
}
