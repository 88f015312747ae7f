/// How a simulated camera behaves, as written after `sim:` on the command line:
/// `sim:VIDEO[?key=value&key=value...]`. VIDEO may also be a folder of images (served in name order at
/// 30 frames a second, or `fps`) or a single image (a still photo held up to the camera: served again and
/// again at that rate, `loop` or not).
///
/// Keys: `formats=YUYV,MJPG,GREY` (what it offers, in order; any four-character code, so an unreadable one
/// such as H264 can be offered on purpose), `sizes=640x480,320x240`, `fps=N` (serve at N frames per second
/// instead of the video's own rate), `pace=realtime|demand` (demand: the next frame is made when the previous
/// one has been dequeued and a buffer is queued, so nothing is ever dropped for time; for tests), `fail=busy|permission|missing`
/// (fail at open with EBUSY, EACCES or ENOENT), `unplug-after=N` (the device disappears after N frames,
/// ENODEV), `replug-after-ms=MS` (and comes back that long after), `stall-after=N` (stops producing frames
/// after N), `loop` (start the video again at its end).
public struct SimulatedCameraConfig: Equatable, Sendable {
    public enum Pacing: String, Sendable { case realtime, demand }
    public enum OpenFailure: String, Sendable { case busy, permission, missing }

    public var video: String
    public var formats: [FourCC] = [.yuyv, .mjpeg]
    /// Sizes offered; empty means the video's own size, 640x480 and 320x240.
    public var sizes: [(width: Int, height: Int)] = []
    public var fps: Double?
    public var pacing: Pacing = .realtime
    public var openFailure: OpenFailure?
    public var unplugAfterFrames: Int?
    public var replugAfterMs: Int?
    public var stallAfterFrames: Int?
    public var loops = false

    public init(video: String) { self.video = video }

    public static func == (a: Self, b: Self) -> Bool {
        a.video == b.video && a.formats == b.formats && a.sizes.map { [$0.width, $0.height] } == b.sizes.map { [$0.width, $0.height] }
            && a.fps == b.fps && a.pacing == b.pacing && a.openFailure == b.openFailure
            && a.unplugAfterFrames == b.unplugAfterFrames && a.replugAfterMs == b.replugAfterMs
            && a.stallAfterFrames == b.stallAfterFrames && a.loops == b.loops
    }

    public static let scheme = "sim:"

    /// True for a `--device` value that names a simulated camera.
    public static func isSimulated(_ device: String) -> Bool { device.hasPrefix(scheme) }

    /// Why a `sim:` value could not be read; one line for people.
    public struct ParseError: Error, CustomStringConvertible, Equatable, Sendable {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Reads `sim:VIDEO?key=value&...`. The video path is everything up to the first `?`.
    public init(parsing spec: String) throws(ParseError) {
        guard spec.hasPrefix(Self.scheme) else { throw ParseError(description: "not a simulated camera: \(spec)") }
        let rest = spec.dropFirst(Self.scheme.count)
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard let path = parts.first, !path.isEmpty else {
            throw ParseError(description: "sim: needs a video file, as in sim:clip.mp4")
        }
        self.init(video: String(path))
        guard parts.count == 2 else { return }
        for item in parts[1].split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
            try apply(key: pair[0], value: pair.count == 2 ? pair[1] : nil)
        }
    }

    private mutating func apply(key: String, value: String?) throws(ParseError) {
        func need() throws(ParseError) -> String {
            guard let value, !value.isEmpty else { throw ParseError(description: "sim: \(key) needs a value, as in \(key)=...") }
            return value
        }
        func count() throws(ParseError) -> Int {
            let text = try need()
            guard let n = Int(text), n >= 0 else { throw ParseError(description: "sim: \(key) wants a whole number, not \(text)") }
            return n
        }
        switch key {
        case "formats":
            formats = []
            for name in try need().split(separator: ",") {
                guard let code = FourCC(name.uppercased().padding(to: 4)) else {
                    throw ParseError(description: "sim: \(name) is not a four-character pixel format")
                }
                formats.append(code)
            }
        case "sizes":
            sizes = []
            for text in try need().split(separator: ",") {
                guard let size = Self.size(String(text)) else {
                    throw ParseError(description: "sim: size \(text) is not WIDTHxHEIGHT with an even width")
                }
                sizes.append(size)
            }
        case "fps":
            let text = try need()
            guard let v = Double(text), v > 0, v <= 1000 else { throw ParseError(description: "sim: fps wants a rate above 0, not \(text)") }
            fps = v
        case "pace":
            let text = try need()
            guard let p = Pacing(rawValue: text) else { throw ParseError(description: "sim: pace is realtime or demand, not \(text)") }
            pacing = p
        case "fail":
            let text = try need()
            guard let f = OpenFailure(rawValue: text) else {
                throw ParseError(description: "sim: fail is busy, permission or missing, not \(text)")
            }
            openFailure = f
        case "unplug-after": unplugAfterFrames = try count()
        case "replug-after-ms": replugAfterMs = try count()
        case "stall-after": stallAfterFrames = try count()
        case "loop": loops = value.map { $0 != "0" && $0 != "false" } ?? true
        default:
            throw ParseError(description: "sim: unknown option \(key) (formats, sizes, fps, pace, fail, unplug-after, "
                + "replug-after-ms, stall-after, loop)")
        }
    }

    /// "640x480" as a size; nil unless both sides are positive and (with `evenWidth`) the width is even
    /// (YUYV pairs pixels).
    public static func size(_ text: String, evenWidth: Bool = true) -> (width: Int, height: Int)? {
        let sides = text.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard sides.count == 2, let w = sides[0], let h = sides[1], w > 0, h > 0, !evenWidth || w % 2 == 0 else { return nil }
        return (w, h)
    }
}

extension String {
    func padding(to length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
