import Capture
import GazeCore
import Monitor

/// Runs gazetop over recordings with eye-contact labels and scores its eye contact.
public struct EyeContactEvaluation: Sendable {
    public struct ClipResult: Sendable {
        public var clip: EyeContactClip
        public var score: EyeContactScore
    }

    public var clips: [ClipResult]

    public var overall: EyeContactScore { clips.reduce(EyeContactScore()) { $0 + $1.score } }

    /// Scores per condition (`EyeContactClip.condition`), in the order conditions first appear.
    public var byCondition: [(condition: String, score: EyeContactScore)] {
        var order: [String] = []
        var scores: [String: EyeContactScore] = [:]
        for c in clips {
            if scores[c.clip.condition] == nil { order.append(c.clip.condition) }
            scores[c.clip.condition, default: EyeContactScore()] = scores[c.clip.condition, default: EyeContactScore()] + c.score
        }
        return order.map { ($0, scores[$0]!) }
    }

    /// Scores one recording's confirmed records against its labels. A labelled frame without a record
    /// (the file held fewer frames than labelled) counts as not in eye contact.
    public static func score(_ clip: EyeContactClip, records: [FrameRecord]) -> EyeContactScore {
        var byFrame: [Int: FrameRecord] = [:]
        for r in records { byFrame[r.frame] = r }
        var score = EyeContactScore()
        let last = (clip.contact + clip.away).map(\.upperBound).max() ?? -1
        guard last >= 0 else { return score }
        for i in 0...last {
            guard let looking = clip.label(ofFrame: i) else { continue }
            let r = byFrame[i]
            let gaze = r?.raw.flatMap { raw in
                raw.gazeRightDeg.flatMap { x in raw.gazeUpDeg.map { GazeAngles(rightDeg: x, upDeg: $0) } }
            }
            score.add(looking: looking, inContact: r?.eyeContact ?? false, gaze: gaze)
        }
        return score
    }

    /// Analyses every recording with `analyzer` (its pipeline must include raw measures, for the gaze
    /// angles), from a fresh state each.
    public static func run(_ clips: [EyeContactClip], analyzer: FileAnalyzer,
                           progress: (Int, Int) -> Void = { _, _ in }) throws(CaptureError) -> EyeContactEvaluation {
        var results: [ClipResult] = []
        for (i, clip) in clips.enumerated() {
            progress(i, clips.count)
            let source = try openFileSource(path: clip.videoPath)
            var records: [FrameRecord] = []
            _ = try analyzer.run(source, onRecord: { records.append($0) })
            results.append(ClipResult(clip: clip, score: score(clip, records: records)))
        }
        return EyeContactEvaluation(clips: results)
    }
}
