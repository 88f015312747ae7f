import ArgumentParser
import Dispatch
import GazeCore
import Glibc
import Monitor
import Synchronization

extension RecordFormat: ExpressibleByArgument {}

/// Ctrl-C (and SIGTERM) as a flag a loop polls, so work stops between frames and outputs are cleaned up
/// by the code that owns them rather than by the process dying mid-write.
// @unchecked Sendable: `sources` is set in `init` and only kept alive after; the flag is an Atomic.
final class InterruptFlag: @unchecked Sendable {
    /// The first signal that came, 0 before any.
    private let received = Atomic<Int32>(0)
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32] = [SIGINT, SIGTERM]) {
        var sources: [any DispatchSourceSignal] = []
        for sig in signals {
            Glibc.signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            sources.append(source)
        }
        self.sources = sources
        for (source, sig) in zip(sources, signals) {
            source.setEventHandler { [weak self] in
                _ = self?.received.compareExchange(expected: 0, desired: sig, ordering: .relaxed)
            }
            source.resume()
        }
    }

    var raised: Bool { received.load(ordering: .relaxed) != 0 }
    /// Which signal stopped the run, if one did.
    var stoppedBy: Int32? {
        let sig = received.load(ordering: .relaxed)
        return sig == 0 ? nil : sig
    }
}

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
