import CVision

/// A video's frames (or pictures'), all decoded and encoded in the pixel format and size a simulated camera
/// streams before it streams, so that serving a frame costs only a copy: the simulator's own decoding stays
/// out of the timings of the code it exercises (`SimulatedV4L2Device.prepare`, for benchmarks; a camera
/// otherwise encodes ahead by a bounded amount, `SimulatedFrameStream`). Immutable once built.
public final class SimulatedFrames: Sendable {
    public let fourcc: FourCC
    public let width: Int
    public let height: Int
    /// One encoded frame each: GREY (width*height), YUYV (width*height*2) or a JPEG.
    public let frames: [[UInt8]]
    /// Each frame's stream time in the video, milliseconds from the first.
    public let timesMs: [Double]
    /// One pass of the video, for looping: the last frame's time plus a typical interval.
    public let durationMs: Double
    /// How long decoding and encoding took (before any frame was served).
    public let preparationMs: Double
    /// Whether the stream starts again after the last frame.
    public let loops: Bool

    public var byteCount: Int { frames.reduce(0) { $0 + $1.count } }
    /// Built whole or not at all: a picture that cannot be read was thrown by `init`.
    public var failure: CaptureError? { nil }

    /// Decodes `video` and encodes every frame as `fourcc` at `width` x `height` (see `Encoder`).
    public init(video: String, fourcc: FourCC, width: Int, height: Int, loops: Bool = false) throws(CaptureError) {
        let start = MonotonicClock.nowMs()
        var frames: [[UInt8]] = []
        var times: [Double] = []
        let encoder = try Encoder(video: video, fourcc: fourcc, width: width, height: height)
        while let f = try encoder.next() {
            frames.append(f.bytes)
            times.append(f.timeMs)
        }
        guard !frames.isEmpty else { throw .unreadableVideo(path: video, reason: "") }
        let interval = times.count > 1 ? (times[times.count - 1] - times[0]) / Double(times.count - 1) : 1000.0 / 30
        self.fourcc = fourcc
        self.width = width
        self.height = height
        self.loops = loops
        self.frames = frames
        self.timesMs = times.map { $0 - times[0] }
        self.durationMs = (times[times.count - 1] - times[0]) + interval
        self.preparationMs = MonotonicClock.nowMs() - start
    }

    /// A video's (or pictures') frames one at a time, encoded as a simulated camera streams them.
    ///
    /// `video` may also be an image or a folder of images (`ImageFolderSource`: name order, 30 frames a
    /// second): each picture becomes a frame, scaled to the size, in grey (images are read as luma, so
    /// colour formats carry neutral chroma). A format the simulator cannot produce (it may offer one on
    /// purpose, to be refused) gives empty frames.
    final class Encoder {
        private let video: String
        private let fourcc: FourCC
        private let width: Int, height: Int
        private let pictures: ImageFolderSource?
        private let file: VideoFileSource?
        private var gray: [UInt8]
        private var bgr: [UInt8]

        init(video: String, fourcc: FourCC, width: Int, height: Int) throws(CaptureError) {
            self.video = video
            self.fourcc = fourcc
            self.width = width
            self.height = height
            gray = [UInt8](repeating: 0, count: width * height)
            bgr = [UInt8](repeating: 0, count: width * height * 3)
            if FileSystem.isPictures(video) {
                pictures = try ImageFolderSource(path: video)
                file = nil
            } else {
                pictures = nil
                file = try VideoFileSource(path: video, keepsColor: fourcc != .grey)
            }
        }

        /// The next frame encoded, with its stream time; nil at the end.
        func next() throws(CaptureError) -> (bytes: [UInt8], timeMs: Double)? {
            if let pictures {
                guard let frame = try pictures.nextFrame() else { return nil }
                if frame.width != width || frame.height != height {
                    try SimulatedFrames.resize(frame.gray, frame.width, frame.height, 1, into: &gray, width, height, video)
                } else {
                    gray = frame.gray
                }
                let colour = fourcc == .grey ? [] : gray.flatMap { [$0, $0, $0] }
                return (try SimulatedFrames.encode(gray: gray, bgr: colour, fourcc, width, height, video), frame.timeMs)
            }
            guard let source = file, let frame = try source.nextFrame() else { return nil }
            if source.width != width || source.height != height {
                try SimulatedFrames.resize(frame.gray, source.width, source.height, 1, into: &gray, width, height, video)
                if fourcc != .grey {
                    try SimulatedFrames.resize(source.lastColorFrame, source.width, source.height, 3, into: &bgr, width, height, video)
                }
            } else {
                gray = frame.gray
                if fourcc != .grey { bgr = source.lastColorFrame }
            }
            return (try SimulatedFrames.encode(gray: gray, bgr: bgr, fourcc, width, height, video), frame.timeMs)
        }
    }

    /// The size and frame rate of what a simulated camera would serve from `path` (a video, an image or
    /// a folder of images), for offering formats before any frame is decoded.
    public static func probe(_ path: String) throws(CaptureError) -> (width: Int, height: Int, fps: Double?) {
        if FileSystem.isPictures(path) {
            let source = try ImageFolderSource(path: path)
            guard let first = try source.nextFrame() else { throw .noImagesInFolder(path: path) }
            return (first.width, first.height, source.nominalFps)
        }
        let video = try VideoFileSource(path: path)
        return (video.width, video.height, video.nominalFps)
    }

    static func resize(_ src: [UInt8], _ sw: Int, _ sh: Int, _ channels: Int, into dst: inout [UInt8],
                               _ dw: Int, _ dh: Int, _ video: String) throws(CaptureError) {
        var error = cvs_error()
        let status = dst.withUnsafeMutableBufferPointer { out in
            cvs_resize(src, Int32(sw), Int32(sh), Int32(channels), out.baseAddress, Int32(dw), Int32(dh), &error)
        }
        guard status == CVS_OK else { throw .decodeFailed(path: video, reason: CVisionText.message(error)) }
    }

    static func encode(gray: [UInt8], bgr: [UInt8], _ fourcc: FourCC, _ width: Int, _ height: Int,
                               _ video: String) throws(CaptureError) -> [UInt8] {
        var error = cvs_error()
        switch fourcc {
        case .grey:
            return gray
        case .yuyv:
            var out = [UInt8](repeating: 0, count: width * height * 2)
            let status = out.withUnsafeMutableBufferPointer {
                cvs_yuyv_from_bgr(bgr, gray, Int32(width), Int32(height), $0.baseAddress, &error)
            }
            guard status == CVS_OK else { throw .decodeFailed(path: video, reason: CVisionText.message(error)) }
            return out
        case .mjpeg, .jpeg:
            let capacity = width * height * 3
            var size = 0
            var out = [UInt8](repeating: 0, count: capacity)
            let status = out.withUnsafeMutableBufferPointer {
                cvs_jpeg_encode_bgr(bgr, Int32(width), Int32(height), 85, $0.baseAddress, capacity, &size, &error)
            }
            guard status == CVS_OK else { throw .decodeFailed(path: video, reason: CVisionText.message(error)) }
            return Array(out[..<size])
        default:
            return []
        }
    }
}

extension SimulatedFrames: SimulatedFrameStore {
    public func frame(_ i: Int) -> SimulatedFrame? {
        guard !ends(before: i) else { return nil }
        let n = frames.count
        return SimulatedFrame(bytes: frames[i % n], offsetUs: (Double(i / n) * durationMs + timesMs[i % n]) * 1000,
                              last: !loops && i == n - 1)
    }

    public func ends(before i: Int) -> Bool { !loops && i >= frames.count }
    /// Every frame is encoded before streaming: nothing to wait for.
    public func waitForFrame(_ i: Int, timeoutMs: Int) -> SimulatedFrame? { frame(i) }
    public func release(before i: Int) {}
    public var heldBytes: Int { byteCount }
}
