/// One greyscale picture from a camera or a file: the only thing that travels from capture to vision.
public struct Frame: Sendable {
    /// Row-major 8-bit luma, `width * height` bytes.
    public var gray: [UInt8]
    public var width: Int
    public var height: Int
    /// Stream time in milliseconds: the container's clock for files, the driver's capture timestamp for
    /// cameras (monotonic), so rates and durations come from the source, not from when we got round to it.
    public var timeMs: Double
    /// 0-based position in the stream; gaps mean frames the source itself skipped.
    public var sequence: Int
    /// When the camera captured the frame, in CLOCK_MONOTONIC milliseconds (the driver's buffer timestamp),
    /// so latency can be measured from the moment of capture. Nil for files.
    public var captureMs: Double?

    public init(gray: [UInt8], width: Int, height: Int, timeMs: Double, sequence: Int, captureMs: Double? = nil) {
        precondition(gray.count == width * height, "a frame's pixels must fill width x height")
        self.gray = gray
        self.width = width
        self.height = height
        self.timeMs = timeMs
        self.sequence = sequence
        self.captureMs = captureMs
    }

    /// Mean grey level, sampled every 8th pixel of every 8th row: enough to tell a dark room from a lit one,
    /// at a cost that stays small for large frames.
    public var meanLevel: Double {
        guard width > 0, height > 0 else { return 0 }
        return gray.withUnsafeBufferPointer { p -> Double in
            var sum = 0, n = 0
            var y = 0
            while y < height {
                var i = y * width
                let end = i + width
                while i < end {
                    sum += Int(p[i]); n += 1
                    i += 8
                }
                y += 8
            }
            return Double(sum) / Double(max(n, 1))
        }
    }
}

/// Something that yields frames in order: a video file, a folder of images, a camera.
public protocol FrameSource: AnyObject {
    /// Short words for people: the file or device name.
    var name: String { get }
    /// The source's nominal frame rate, if it has one.
    var nominalFps: Double? { get }
    /// How many frames the source expects to give, if it knows (for progress and ETA).
    var expectedFrameCount: Int? { get }
    /// The next frame, or nil when the source has ended.
    func nextFrame() throws(CaptureError) -> Frame?
    /// Whether the source ended before its stream did (a video file cut short or damaged), once
    /// `nextFrame` has returned nil.
    var endedEarly: Bool { get }
    /// The parts that could not be read and were passed over (a folder's pictures, each with why), once
    /// `nextFrame` has returned nil; their frames have no record.
    var skipped: [String] { get }
}

extension FrameSource {
    public var endedEarly: Bool { false }
    public var skipped: [String] { [] }
}
