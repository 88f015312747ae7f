import Foundation
import Monitor
import GazeCore
import Testing
import Vision
@testable import Evaluation

/// Real presentation attacks through the simulated camera, a few sequences each (`gazetop evaluate
/// --challenge` runs 20 each; its README figures come from there): none may pass.
@Suite(.serialized) struct AttackEvaluationTests {
    @Test(arguments: AttackEvaluation.Kind.allCases)
    func noAttackPasses(_ kind: AttackEvaluation.Kind) throws {
        guard let data = SharedData.dataFolder else {
            print("skipped: ../shared/data not found")
            return
        }
        let sources = AttackEvaluation.sources(kind, data: data)
        try #require(!sources.isEmpty, "no \(kind) sources in \(data)")
        let attack = AttackEvaluation(model: try FaceModel())
        var rng = SeededRandom(seed: 11)
        // Sources taken from different places in their list, with and without a saved calibration.
        // (Frames without a face never get past get ready: one way is enough for them.)
        let runs = try attack.run(kind, sources: Array(sources.reversed()), count: 2, savedCalibration: false, rng: &rng)
            + attack.run(kind, sources: sources, count: kind == .noface ? 0 : 1, savedCalibration: true, rng: &rng)
        for run in runs {
            print("\(kind) \(run.source.split(separator: "/").last ?? "") \(run.sequence) saved=\(run.savedCalibration): "
                  + "\(run.outcome.result) \(run.outcome.failedChecks.map(\.rawValue)) \(run.outcome.stop?.name ?? "")")
            #expect(run.outcome.result != .pass, "\(kind) passed: \(run.source) \(run.sequence)")
        }
        // Each attack is caught for the reason it is an attack, not by accident.
        switch kind {
        case .photo:
            // A still: no motion and every frame the same (unless no face is found in it at all).
            #expect(runs.allSatisfy { r in
                r.outcome.stop != nil || (r.outcome.failedChecks.contains(.naturalMotion) && r.outcome.failedChecks.contains(.repeatedFrames))
            })
        case .noface:
            #expect(runs.allSatisfy { $0.outcome.stop == .notReady(.noFace) || $0.outcome.stop == .notReady(.tooDark) })
        case .video:
            // A real, live-looking face: only the gaze gives it away.
            #expect(runs.allSatisfy { r in r.outcome.failedChecks.contains { [.calibration, .gazeAccuracy, .cellAccuracy].contains($0) } })
        }
    }
}

/// Pictures moved by hand on a phone (rendered from real ZJU frames, offline through the real pipeline), a
/// run of each kind with the challenge's own calibration and one with a saved one (`gazetop evaluate
/// --challenge` runs more), one of them also filmed and replayed live through `sim:`: none may pass, and
/// each is caught by a check that a moved picture cannot meet.
@Suite(.serialized) struct PictureAttackTests {
    @Test(arguments: PictureAttack.Kind.allCases)
    func noMovedPicturePasses(_ kind: PictureAttack.Kind) throws {
        guard let data = SharedData.dataFolder else {
            print("skipped: ../shared/data not found")
            return
        }
        let model = try FaceModel()
        let pipeline = FramePipeline(model: model)
        let material: PictureAttack.Material
        switch kind.source {
        case .zjuClips:
            let clip = data + "/zju-eyeblink/14_000004M_FNN.mp4"
            try #require(FileManager.default.fileExists(atPath: clip), "no \(clip)")
            material = try PictureAttack.Material.load(clip, pipeline: pipeline)
        case .photos:
            let photo = data + "/faces-68/300vw_001_000006.jpg"
            try #require(FileManager.default.fileExists(atPath: photo), "no \(photo)")
            material = try PictureAttack.Material.load(photo, pipeline: pipeline, zoomToFace: true)
        case .video00:
            material = try #require(try PictureAttack.Material.all(.video00, data: data, pipeline: pipeline).first, "no video00")
        }
        let attack = PictureAttack(model: model)
        var rng = SeededRandom(seed: 5)
        // The saved-calibration run is also filmed and replayed through the simulated camera's live path.
        let runs = try attack.run(kind, materials: [material], count: 1, savedCalibration: false, rng: &rng)
            + attack.run(kind, materials: [material], count: 1, savedCalibration: true, replays: 1, rng: &rng)
        for run in runs {
            print("\(kind) \(run.sequence) saved=\(run.savedCalibration): \(run.outcome.result) "
                  + "\(run.outcome.failedChecks.map(\.rawValue)) \(run.outcome.stop?.name ?? "")")
            #expect(run.outcome.result != .pass, "\(kind) passed: \(run.sequence)")
            if let live = run.live {
                print("  through sim: \(live.result) \(live.failedChecks.map(\.rawValue)) \(live.stop?.name ?? "")")
                #expect(live.result != .pass, "\(kind) passed through sim: \(run.sequence)")
            }
            // Caught by what a moved picture cannot do: turn the eyes in the head, carry the lids with them,
            // or move as a 3D head. A recording whose eyes do move (a cut replay, irises moved digitally) may
            // instead be caught by where it looks.
            let structural: Set<ChallengeCheck> = [.eyeInHead, .lidFollowsGaze, .planarMotion, .blinkProfile]
            let gaze: Set<ChallengeCheck> = [.calibration, .gazeAccuracy, .cellAccuracy]
            let catches = [.videoCut, .irisWarpMoved, .irisWarpStill].contains(kind) ? structural.union(gaze) : structural
            #expect(run.outcome.stop != nil || run.outcome.failedChecks.contains { catches.contains($0) })
        }
    }
}
