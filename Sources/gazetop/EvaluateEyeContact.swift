import Capture
import Evaluation
import Foundation
import GazeCore
import Monitor

/// `gazetop evaluate --eye-contact LABELS.json`: eye contact scored against labelled recordings.
extension Evaluate {
    func evaluateEyeContact(labels: String) throws(CommandFailure) {
        let clips: [EyeContactClip]
        do { clips = try EyeContactLabels.load(path: labels, dataFolder: folder) } catch { throw CommandFailure(.data, "\(error)") }
        let pipeline = FramePipeline(model: try modelOptions.load(), config: tuning.config(live: false), includeRaw: true)
        let tty = isatty(STDERR_FILENO) == 1
        let result: EyeContactEvaluation
        do {
            result = try EyeContactEvaluation.run(clips, analyzer: FileAnalyzer(pipeline: pipeline)) { i, n in
                if tty { StandardError.write("\r\u{1B}[Krecording \(i + 1)/\(n)") }
            }
        } catch {
            throw CommandFailure(.input, "\(error)")
        }
        if tty { StandardError.write("\r\u{1B}[K") }
        print(json ? eyeContactJSON(result) : eyeContactText(result))
    }

    private func eyeContactText(_ r: EyeContactEvaluation) -> String {
        func share(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "  -  " }
        func gaze(_ s: Spread?) -> String {
            s.map { String(format: "%+5.1f (IQR %4.1f)", $0.median, $0.width) } ?? "       -        "
        }
        func line(_ name: String, _ s: EyeContactScore) -> String {
            name.padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(format: "%6d  %@  %6d  %@  %@  %@", s.contactFrames, share(s.contactShare), s.awayFrames,
                         share(s.awayShare), gaze(s.rightDeg), gaze(s.upDeg))
        }
        var lines = ["\(r.clips.count) recordings; contact: labelled frames in eye contact, away: labelled frames not;"
                     + " gaze on contact frames, degrees right and up of the camera, median (interquartile range)",
                     "                 contact share    away share   gaze right          gaze up"]
        lines.append(line("overall", r.overall))
        for (condition, score) in r.byCondition { lines.append(line(condition, score)) }
        for c in r.clips { lines.append(line(c.clip.name, c.score)) }
        return lines.joined(separator: "\n")
    }

    private func eyeContactJSON(_ r: EyeContactEvaluation) -> String {
        func num(_ v: Double?, _ places: Int) -> String { v.map { String(format: "%.\(places)f", $0) } ?? "null" }
        func spread(_ s: Spread?) -> String {
            guard let s else { return "null" }
            return "{\"median\":\(num(s.median, 2)),\"q1\":\(num(s.lowerQuartile, 2)),\"q3\":\(num(s.upperQuartile, 2))}"
        }
        func obj(_ s: EyeContactScore) -> String {
            "{\"contactFrames\":\(s.contactFrames),\"contactInEyeContact\":\(s.contactHits),"
                + "\"contactShare\":\(num(s.contactShare, 4)),\"awayFrames\":\(s.awayFrames),"
                + "\"awayNotInEyeContact\":\(s.awayHits),\"awayShare\":\(num(s.awayShare, 4)),"
                + "\"gazeRightDeg\":\(spread(s.rightDeg)),\"gazeUpDeg\":\(spread(s.upDeg))}"
        }
        var out = "{\"recordings\":\(r.clips.count),\"overall\":\(obj(r.overall)),\"conditions\":{"
        out += r.byCondition.map { "\(JSONString.quoted($0.condition)):\(obj($0.score))" }.joined(separator: ",")
        out += "},\"perRecording\":{"
        out += r.clips.map { "\(JSONString.quoted($0.clip.file)):\(obj($0.score))" }.joined(separator: ",")
        return out + "}}"
    }
}
