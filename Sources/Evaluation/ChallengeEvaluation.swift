import Capture
import Foundation
import GazeCore
import Monitor
import Vision

/// Honest people and shifted tracks through the challenge: how often the honest are turned away (BPCER,
/// ISO/IEC 30107-3: bona fide presentation classification error rate) and how often a gaze that follows
/// the sequence one cell off is accepted (APCER: attack presentation classification error rate), for each
/// way of calibrating and each scoring mode.
public struct HonestEvaluation: Sendable {
    /// How the challenge got its calibration.
    public enum Calibration: String, Sendable, CaseIterable {
        /// No saved calibration: the challenge's own short one (the default on a fresh kiosk).
        case session
        /// A calibration saved by `gazetop calibrate` of the same person (with other frames), recentred.
        case saved
        /// None at all: the generic gains, recentred on the camera look.
        case generic
    }

    public struct Trial: Sendable {
        public var sequence: [Int]
        public var honest: ChallengeOutcome
        public var shifted: ChallengeOutcome
    }

    public struct Variant: Sendable {
        public var calibration: Calibration
        public var trials: [Trial]
        /// `gazetop calibrate` runs that failed before one worked (saved only; after 3 the trial has none).
        public var calibrationFailures: Int

        /// Honest trials not passed under a scoring mode.
        public func bpcer(_ scoring: ChallengeScoring, config: ChallengeConfig) -> Double {
            var c = config
            c.scoring = scoring
            return Double(trials.count { $0.honest.result(scoredWith: c) != .pass }) / Double(max(trials.count, 1))
        }

        /// Shifted trials passed under a scoring mode.
        public func apcer(_ scoring: ChallengeScoring, config: ChallengeConfig) -> Double {
            var c = config
            c.scoring = scoring
            return Double(trials.count { $0.shifted.result(scoredWith: c) == .pass }) / Double(max(trials.count, 1))
        }

        /// Why honest trials failed: each failed check (or early stop) with how many trials it failed.
        public var honestFailures: [(String, Int)] {
            var counts: [String: Int] = [:]
            for t in trials where t.honest.result != .pass {
                if let stop = t.honest.stop { counts[stop.name, default: 0] += 1 }
                for c in t.honest.failedChecks {
                    // A refused calibration says why.
                    if c == .calibration, case .failed(let problem) = t.honest.calibration {
                        counts["calibration (\(problem.name))", default: 0] += 1
                    } else {
                        counts[c.rawValue, default: 0] += 1
                    }
                }
            }
            return counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        }

        /// Stream seconds from the first frame to the verdict of the honest trials (the default scoring).
        public var durations: [Double] {
            trials.compactMap { t in t.honest.startMs.flatMap { s in t.honest.endMs.map { ($0 - s) / 1000 } } }
        }
    }

    public let tracks: HonestTracks

    public init(tracks: HonestTracks) {
        self.tracks = tracks
    }

    /// Runs `count` trials per calibration: each a person, a sequence, and the same track honest and
    /// shifted by one cell. Trial k is the same for every run with the same seed.
    public func run(count: Int, seed: UInt64, calibrations: [Calibration] = Calibration.allCases,
                    progress: (Int, Int) -> Void = { _, _ in }) -> [Variant] {
        let config = tracks.config
        var variants = calibrations.map { Variant(calibration: $0, trials: [], calibrationFailures: 0) }
        for k in 0..<count {
            progress(k, count)
            var draw = SeededRandom(seed: seed &+ UInt64(k) &* 0x9E37_79B9)
            let person = tracks.person(&draw)
            let sequence = ChallengeSequence.random(count: config.challenge.areaCount, grid: tracks.grid, using: &draw)
            let plan = CalibrationPlan.random(grid: tracks.grid, config: config.challenge, using: &draw)
            for (v, calibration) in calibrations.enumerated() {
                var saved: GazeCalibration?
                switch calibration {
                case .session: saved = nil
                case .generic: saved = .generic(config.gaze)
                case .saved:
                    for attempt in 0..<3 {
                        var rng = SeededRandom(seed: draw.next() &+ UInt64(attempt))
                        let done = tracks.run(CalibrationSession(config: config), person: person, rng: &rng)
                        if let c = done.outcome?.calibration { saved = c; break }
                        variants[v].calibrationFailures += 1
                    }
                    if saved == nil { saved = .generic(config.gaze) }
                }
                let trackSeed = draw.next()
                var a = SeededRandom(seed: trackSeed), b = SeededRandom(seed: trackSeed)
                let honest = tracks.run(ChallengeSession(sequence: sequence, calibration: saved, plan: plan, config: config),
                                        person: person, rng: &a)
                let shifted = tracks.run(ChallengeSession(sequence: sequence, calibration: saved, plan: plan, config: config), person: person,
                                         shifted: true, rng: &b)
                variants[v].trials.append(Trial(sequence: sequence, honest: honest.outcome!, shifted: shifted.outcome!))
            }
        }
        return variants
    }
}

/// Real presentation attacks through the simulated camera (`sim:`, paced by demand so stream time is the
/// video's own while the run goes as fast as vision does): a still photo, frames without a face, a real
/// person who only looks at the camera. Each run is a whole challenge with a random sequence, through the
/// same live path and state machine as `gazetop challenge`.
public struct AttackEvaluation {
    public enum Kind: String, Sendable, CaseIterable {
        /// A still photo of `faces-68`, served again and again.
        case photo
        /// The `noface` frames, looped.
        case noface
        /// A real ZJU clip of a person looking at the camera, looped.
        case video
    }

    public struct Run: Sendable {
        public var kind: Kind
        public var source: String
        public var sequence: [Int]
        public var savedCalibration: Bool
        public var outcome: ChallengeOutcome
    }

    public let model: FaceModel
    public let config: GazeConfig

    public init(model: FaceModel, config: GazeConfig = GazeConfig()) {
        self.model = model
        self.config = config
    }

    /// The attack's sources in `data` (the shared data folder), sorted; empty when absent.
    public static func sources(_ kind: Kind, data: String) -> [String] {
        func files(_ sub: String, _ exts: Set<String>) -> [String] {
            let folder = data + "/" + sub
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return names.filter { exts.contains(($0 as NSString).pathExtension.lowercased()) }.sorted().map { folder + "/" + $0 }
        }
        switch kind {
        case .photo: return files("faces-68", ["jpg", "jpeg", "png"])
        case .noface: return FileManager.default.fileExists(atPath: data + "/noface") ? [data + "/noface"] : []
        case .video: return files("zju-eyeblink", ["mp4"])
        }
    }

    /// `count` runs of an attack, cycling through its sources, each with a random sequence from `rng`. With
    /// `savedCalibration`, the challenge is given the generic calibration as if saved (recentred on the
    /// attack's own camera look), so its sequence is scored rather than stopped at the short calibration.
    /// (Frames without a face never get past get ready: for `noface` one way is enough.)
    public func run(_ kind: Kind, sources: [String], count: Int, savedCalibration: Bool, rng: inout SeededRandom,
                    progress: (Int, Int) -> Void = { _, _ in }) throws(CameraError) -> [Run] {
        var runs: [Run] = []
        for k in 0..<count {
            progress(k, count)
            let source = sources[k % sources.count]
            let sequence = ChallengeSequence.random(count: config.challenge.areaCount, grid: ScreenGrid(config: config.screen), using: &rng)
            let outcome = try runOne(source: source, sequence: sequence, calibration: savedCalibration ? .generic(config.gaze) : nil)
            runs.append(Run(kind: kind, source: source, sequence: sequence, savedCalibration: savedCalibration, outcome: outcome))
        }
        return runs
    }

    /// One challenge on `sim:<source>?pace=demand` (looped), at the source's own size, scaled down to fit
    /// 1280x720 with its shape kept (a photo fills the camera's view, as one held up to it would).
    /// With `plan`, the session's calibration plan is that one (a replay of a session recorded offline),
    /// else drawn at random; with `loop` false, the source plays once.
    public func runOne(source: String, sequence: [Int], calibration: GazeCalibration?, plan: CalibrationPlan? = nil,
                       loop: Bool = true) throws(CameraError) -> ChallengeOutcome {
        let own: (width: Int, height: Int, fps: Double?)
        do { own = try SimulatedFrames.probe(source) } catch { throw .noCamera(path: source) }
        let scale = min(1, 1280 / Double(own.width), 720 / Double(own.height))
        let width = Int((Double(own.width) * scale / 2).rounded()) * 2, height = Int((Double(own.height) * scale).rounded())
        let spec = "sim:\(source)?pace=demand\(loop ? "&loop" : "")&sizes=\(width)x\(height)"
        let device: SimulatedV4L2Device
        do { device = try SimulatedV4L2Device(config: try SimulatedCameraConfig(parsing: spec)) } catch {
            throw .noCamera(path: spec)
        }
        var options = LiveOptions()
        options.request = CaptureRequest(width: width, height: height, fps: 30)
        options.lossless = true
        let camera = V4L2Camera(path: spec, driver: device)
        var rng = SystemRandomNumberGenerator()
        let plan = plan ?? CalibrationPlan.random(grid: ScreenGrid(config: config.screen), config: config.challenge, using: &rng)
        let run = try GazeTaskRunner.live(ChallengeSession(sequence: sequence, calibration: calibration, plan: plan, config: config),
                                          camera: camera, options: options, model: model, config: config, onView: { _ in })
        if case .failed(let error) = run.report.ending { throw error }
        return run.task.outcome!
    }
}
