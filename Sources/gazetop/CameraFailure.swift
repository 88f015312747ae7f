import Capture

extension CommandFailure {
    /// A camera error as its one line and its own exit status.
    init(_ error: CameraError) {
        let kind: Kind = switch error {
        case .permissionDenied: .cameraPermission
        case .busy: .cameraBusy
        case .unsupportedFormat: .cameraFormat
        case .unplugged: .cameraUnplugged
        case .timeout: .cameraTimeout
        case .unreadableSource: .input
        case .noCamera, .notACaptureDevice, .virtualCamera, .failed, .badFrame: .camera
        }
        self.init(kind, error.description)
    }
}
