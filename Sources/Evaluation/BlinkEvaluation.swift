import Capture
import GazeCore
import Monitor

/// Runs gazetop over annotated clips and scores its blinks.
public struct BlinkEvaluation: Sendable {
    public struct ClipResult: Sendable {
        public var clip: AnnotatedClip
        public var score: BlinkScore
        /// Per-frame blink flags as gazetop wrote them (for cross-checking with another scorer).
        public var flags: [Bool]
    }

    public var clips: [ClipResult]

    public var overall: BlinkScore { clips.reduce(BlinkScore()) { $0 + $1.score } }

    /// Scores per condition, in the order conditions first appear.
    public var byCondition: [(condition: String, score: BlinkScore)] {
        var order: [String] = []
        var scores: [String: BlinkScore] = [:]
        for c in clips {
            if scores[c.clip.condition] == nil { order.append(c.clip.condition) }
            scores[c.clip.condition, default: BlinkScore()] = scores[c.clip.condition, default: BlinkScore()] + c.score
        }
        return order.map { ($0, scores[$0]!) }
    }

    /// Analyses every clip with `analyzer` (state is reset per clip).
    public static func run(_ clips: [AnnotatedClip], analyzer: FileAnalyzer,
                           progress: (Int, Int) -> Void = { _, _ in }) throws(CaptureError) -> BlinkEvaluation {
        var results: [ClipResult] = []
        for (i, clip) in clips.enumerated() {
            progress(i, clips.count)
            let source = try openFileSource(path: clip.videoPath)
            var flags: [Bool] = []
            _ = try analyzer.run(source, onRecord: { record in
                while flags.count < record.frame { flags.append(false) }
                flags.append(record.blink)
            })
            results.append(ClipResult(clip: clip, score: BlinkScore(truth: clip.blinks, detected: BlinkScore.runs(flags)),
                                      flags: flags))
        }
        return BlinkEvaluation(clips: results)
    }
}
