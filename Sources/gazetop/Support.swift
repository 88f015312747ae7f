import ArgumentParser
import GazeCore
import Glibc
import Monitor

extension RecordFormat: ExpressibleByArgument {}

/// A one-line progress display on stderr (only when stderr is a terminal).
enum ProgressLine {
    static func show(_ p: FileAnalyzer.Progress, name: String) {
        var text = "\(shortName(name)): \(p.framesDone)"
        if let total = p.framesExpected, total > 0 {
            let eta = Double(max(0, total - p.framesDone)) / max(p.framesPerSecond, 1e-3)
            text += "/\(total) frames, \(Int(p.framesPerSecond.rounded())) fps, ETA \(Int(eta.rounded())) s"
        } else {
            text += " frames, \(Int(p.framesPerSecond.rounded())) fps"
        }
        StandardError.write("\r\u{1B}[K" + text)
    }

    static func clear() { StandardError.write("\r\u{1B}[K") }

    private static func shortName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

/// The human summary of one analysed input.
enum SummaryText {
    static func lines(for s: SessionStats, name: String) -> String {
        let seconds = s.durationMs / 1000
        var out = "\(name): \(s.frames) frames, \(fixed(seconds, 1)) s; face in view \(percent(s.faceShare))"
        out += "; blinks \(s.blinkCount)"
        if let rate = s.blinksPerMinute { out += " (\(fixed(rate, 1))/min)" }
        out += "; eye contact \(percent(s.eyeContactShare)); longest look-away \(fixed(s.longestLookAwayMs / 1000, 1)) s"
        return out
    }

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }
    static func fixed(_ v: Double, _ places: Int) -> String { RecordEncoding.num(v, places) }
}
