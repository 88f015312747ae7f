/// Everything that can end live capture. Each case reads as one line for people and maps to its own exit
/// status in the executable, so a script can tell "plug a camera in" from "close the other program".
public enum CameraError: Error, Equatable, CustomStringConvertible, Sendable {
    /// No capture device at all (nothing under /dev/video*), or the named node does not exist.
    case noCamera(path: String?)
    /// The node exists but this user may not open it.
    case permissionDenied(path: String)
    /// Another program holds the camera.
    case busy(path: String)
    /// The node is not a video capture device (a metadata node, an output, a radio).
    case notACaptureDevice(path: String)
    /// The user refused virtual cameras and this is one.
    case virtualCamera(path: String, driver: String)
    /// The camera offers no pixel format gazetop can read.
    case unsupportedFormat(path: String, offered: [String])
    /// The camera went away mid-run (unplugged, or its driver unbound).
    case unplugged(path: String)
    /// No frame arrived within the timeout.
    case timeout(path: String, seconds: Double)
    /// Any other failure of a call, named, with the kernel's reason.
    case failed(path: String, call: String, errno: Errno)
    /// A frame arrived that could not be turned into pixels (a corrupt MJPEG frame, say).
    case badFrame(path: String, reason: String)
    /// What a simulated camera serves cannot be read (a picture of its folder, its video): `reason` names it.
    case unreadableSource(path: String, reason: String)

    public var description: String {
        switch self {
        case .noCamera(nil):
            "no camera found (no /dev/video* capture device); plug one in, or try --device sim:VIDEO"
        case .noCamera(let path?):
            "no camera at \(path)"
        case .permissionDenied(let path):
            "permission denied opening \(path): join the 'video' group (sudo usermod -aG video $USER, then log in again)"
        case .busy(let path):
            "\(path) is busy: another program is using the camera; close it and retry"
        case .notACaptureDevice(let path):
            "\(path) is not a video capture device"
        case .virtualCamera(let path, let driver):
            "\(path) is a virtual camera (\(driver)); refusing it because --real-camera was given"
        case .unsupportedFormat(let path, let offered):
            "\(path) offers no format gazetop reads (GREY, YUYV or MJPG); it offers "
                + (offered.isEmpty ? "none" : offered.joined(separator: ", "))
        case .unplugged(let path):
            "\(path) went away (camera unplugged?); stopped"
        case .timeout(let path, let seconds):
            "no frame from \(path) within \(RateText.seconds(seconds)) s: the camera stalled"
        case .failed(let path, let call, let errno):
            "\(call) on \(path) failed: \(errno)"
        case .badFrame(let path, let reason):
            "bad frame from \(path): \(reason)"
        case .unreadableSource(_, let reason):
            reason // it names the picture or video
        }
    }
}

/// Short number formatting for messages, without Foundation.
enum RateText {
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String((value * 10).rounded() / 10)
    }
}
