/// Everything that can go wrong while getting frames. Each case reads as one line for people, and maps to
/// its own exit status in the executable.
public enum CaptureError: Error, Equatable, CustomStringConvertible, Sendable {
    case fileNotFound(path: String)
    case unreadableVideo(path: String, reason: String)
    case unreadableImage(path: String, reason: String)
    case noImagesInFolder(path: String)
    case decodeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path): "no such file or folder: \(path)"
        case .unreadableVideo(let path, let reason):
            reason.hasPrefix("cannot read video") ? reason
                : "cannot read video \(path): \(reason.isEmpty ? "not a video FFmpeg can read" : reason)"
        case .unreadableImage(let path, _): "cannot read image \(path): not an image OpenCV can decode"
        case .noImagesInFolder(let path): "no images (.jpg, .jpeg, .png, .bmp, .pgm, .ppm) or videos in folder \(path)"
        case .decodeFailed(let path, let reason): "decoding \(path) failed: \(reason)"
        }
    }
}
