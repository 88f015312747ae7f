import Capture
import GazeCore
import Glibc

/// A session report as people and programs read it: the summary printed when the dashboard closes, and
/// `--report FILE` as JSON (with a per-second timeline) or, for a name ending in `.md`, Markdown.
public enum ReportEncoding {
    /// Facts about the session that the records do not hold.
    public struct Context: Sendable {
        public var device: String
        /// When the session started, as UTC ISO 8601 ("2025-01-31T09:15:00Z").
        public var startedAt: String
        public var typicalBlinksPerMinute: ClosedRange<Double>

        public init(device: String, startedAt: String = ReportEncoding.utcNow(),
                    typicalBlinksPerMinute: ClosedRange<Double> = DashboardConfig().typicalBlinksPerMinute) {
            self.device = device
            self.startedAt = startedAt
            self.typicalBlinksPerMinute = typicalBlinksPerMinute
        }
    }

    public enum Format: Sendable, Equatable {
        case json, markdown

        /// Markdown for a file name ending in `.md`, JSON otherwise.
        public init(path: String) { self = path.lowercased().hasSuffix(".md") ? .markdown : .json }
    }

    public static func encode(_ r: SessionReport, _ c: Context, as format: Format) -> String {
        switch format {
        case .json: json(r, c)
        case .markdown: markdown(r, c)
        }
    }

    /// The summary printed to stdout after the terminal is restored.
    public static func text(_ r: SessionReport, _ c: Context) -> String {
        let s = r.stats
        var lines = ["gazetop session on \(c.device): \(duration(s.durationMs))"]
        func row(_ name: String, _ value: String) { lines.append("  " + name + String(repeating: " ", count: max(1, 19 - name.count)) + value) }
        row("eye contact", percent(s.eyeContactShare) + " of the time")
        row("longest look-away", seconds(s.longestLookAwayMs))
        row("blinks", "\(s.blinkCount)" + blinkRate(s, c))
        row("face visible", percent(s.faceShare) + " of the time")
        return lines.joined(separator: "\n")
    }

    /// One JSON object; numbers rounded, shares as percentages 0-100. `timeline[i]` is second i.
    public static func json(_ r: SessionReport, _ c: Context) -> String {
        let s = r.stats
        var out = "{\n"
        out += "  \"device\": \(JSONString.quoted(c.device)),\n"
        out += "  \"startedAt\": \(JSONString.quoted(c.startedAt)),\n"
        out += "  \"durationSeconds\": \(RecordEncoding.num(s.durationMs / 1000, 2)),\n"
        out += "  \"frames\": \(s.frames),\n"
        out += "  \"eyeContactPct\": \(RecordEncoding.num(s.frames > 0 ? s.eyeContactShare : nil, 3)),\n"
        out += "  \"longestLookAwaySeconds\": \(RecordEncoding.num(s.longestLookAwayMs / 1000, 2)),\n"
        out += "  \"blinks\": \(s.blinkCount),\n"
        out += "  \"blinksPerMinute\": \(RecordEncoding.num(s.blinksPerMinute, 1)),\n"
        out += "  \"faceVisiblePct\": \(RecordEncoding.num(s.frames > 0 ? s.faceShare * 100 : nil, 1)),\n"
        let seconds = r.timeline.map { t in
            "    {\"second\": \(t.second), \"frames\": \(t.frames), \"faceVisiblePct\": \(RecordEncoding.num(t.faceShare.map { $0 * 100 }, 1)), "
                + "\"eyeContactPct\": \(RecordEncoding.num(t.eyeContactShare, 3)), \"blinks\": \(t.blinks)}"
        }
        out += "  \"timeline\": [" + (seconds.isEmpty ? "]\n" : "\n" + seconds.joined(separator: ",\n") + "\n  ]\n")
        return out + "}"
    }

    /// A page for people: the summary, then the timeline in rows of 1, 10 or 60 seconds by session length.
    public static func markdown(_ r: SessionReport, _ c: Context) -> String {
        let s = r.stats
        var lines = [
            "# gazetop session report", "",
            "- Device: `\(c.device)`",
            "- Started: \(c.startedAt)",
            "- Duration: \(duration(s.durationMs))",
            "- Eye contact: \(percent(s.eyeContactShare)) of the time",
            "- Longest look-away: \(seconds(s.longestLookAwayMs))",
            "- Blinks: \(s.blinkCount)" + blinkRate(s, c),
            "- Face visible: \(percent(s.faceShare)) of the time",
        ]
        let step = r.timeline.count <= 120 ? 1 : r.timeline.count <= 1200 ? 10 : 60
        lines += ["", "## Timeline (rows of \(step) s)", "", "| from | face visible | eye contact | blinks |", "|---:|---:|---:|---:|"]
        var i = 0
        while i < r.timeline.count {
            let rows = r.timeline[i..<min(i + step, r.timeline.count)]
            let frames = rows.reduce(0) { $0 + $1.frames }
            let face = rows.reduce(0) { $0 + $1.faceFrames }, contact = rows.reduce(0) { $0 + $1.contactFrames }
            func share(_ n: Int) -> String { frames > 0 ? percent(Double(n) / Double(frames)) : "-" }
            lines.append("| \(clock(Double(rows.first!.second))) | \(share(face)) | \(share(contact)) | \(rows.reduce(0) { $0 + $1.blinks }) |")
            i += step
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The current time as UTC ISO 8601.
    public static func utcNow() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let n = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: Words and numbers

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }
    static func seconds(_ ms: Double) -> String { fixed(ms / 1000, 1) + " s" }

    /// `v` with exactly `places` decimals ("12.0"), as people read figures side by side.
    static func fixed(_ v: Double, _ places: Int) -> String {
        var text = RecordEncoding.num(v, places)
        guard places > 0 else { return text }
        if !text.contains(".") { text += "." }
        let decimals = text.split(separator: ".", omittingEmptySubsequences: false).last?.count ?? 0
        return text + String(repeating: "0", count: max(0, places - decimals))
    }

    /// "12 s" under a minute, else "m:ss".
    static func duration(_ ms: Double) -> String { ms < 60_000 ? seconds(ms) : clock(ms / 1000) }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.down))
        let h = total / 3600, m = total / 60 % 60, s = total % 60
        let mm = m < 10 && h > 0 ? "0\(m)" : "\(m)", ss = s < 10 ? "0\(s)" : "\(s)"
        return h > 0 ? "\(h):\(mm):\(ss)" : "\(mm):\(ss)"
    }

    static func blinkRate(_ s: SessionStats, _ c: Context) -> String {
        let typical = "\(Int(c.typicalBlinksPerMinute.lowerBound))-\(Int(c.typicalBlinksPerMinute.upperBound))"
        guard let rate = s.blinksPerMinute else {
            return " (no rate: that needs \(Int(SessionStats.blinkRateMinimumFaceMs / 1000)) s with a face)"
        }
        return " (\(fixed(rate, 1)) per minute; a resting adult blinks \(typical))"
    }
}
