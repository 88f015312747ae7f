import Capture
import Foundation
import GazeCore

/// Which camera a calibration belongs to: what the device says of itself (the node's path changes between
/// boots and ports; card, driver and bus do not).
public struct CameraIdentity: Codable, Equatable, Sendable {
    public var device: String
    public var card: String
    public var driver: String
    public var bus: String

    public init(_ info: DeviceInfo) {
        device = info.path
        card = info.card
        driver = info.driver
        bus = info.bus
    }

    /// The same camera, wherever it is plugged.
    public func matches(_ other: CameraIdentity) -> Bool {
        card == other.card && driver == other.driver && bus == other.bus
    }

    /// Asks the device at `path` (or `sim:...`) who it is, without streaming.
    public static func of(_ path: String) -> CameraIdentity? {
        guard case .device(let info)? = DeviceList.scan([path]).first else { return nil }
        return CameraIdentity(info)
    }
}

/// The saved calibration file (`gazetop calibrate`, the monitor's `c` and `z`): the fitted mapping, the
/// camera it was made with, and what the fit measured.
public struct CalibrationFile: Codable, Sendable {
    public var version = 1
    public var created: String
    public var camera: CameraIdentity?
    /// The fit's coefficients (see `GazeCalibration`): rightDeg and upDeg as affine functions of
    /// [1, pupil x, pupil y, head yaw, head pitch].
    public var right: [Double]
    public var up: [Double]
    public var rmsErrorDeg: Double
    public var frames: Int

    public var calibration: GazeCalibration { GazeCalibration(right: right, up: up) }

    public init(_ fit: CalibrationFit.Result, camera: CameraIdentity?, created: Date = Date()) {
        self.created = ISO8601DateFormatter().string(from: created)
        self.camera = camera
        right = fit.calibration.right
        up = fit.calibration.up
        rmsErrorDeg = fit.rmsErrorDeg
        frames = fit.frames
    }

    public static func load(_ path: String) throws(StateFileError) -> CalibrationFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StateFileError(.unreadable, "cannot read calibration \(path): no such file or not readable")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let file: CalibrationFile
        do { file = try decoder.decode(CalibrationFile.self, from: data) } catch {
            throw StateFileError(.malformed, "calibration \(path) is malformed: not a gazetop calibration file")
        }
        guard file.right.count == GazeCalibration.termCount, file.up.count == GazeCalibration.termCount,
              (file.right + file.up).allSatisfy(\.isFinite) else {
            throw StateFileError(.malformed, "calibration \(path) is malformed: 5 finite coefficients per angle expected")
        }
        return file
    }

    public func save(_ path: String, createFolder: Bool = true) throws(StateFileError) {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else { throw StateFileError(.unwritable, "cannot encode the calibration") }
        try AtomicFile.write(data + Data("\n".utf8), to: path, createFolder: createFolder)
    }
}

/// Which calibration a run maps gaze with: the file named, none, or the saved one when it was made with
/// the camera in use.
public struct CalibrationChoice: Sendable {
    public var calibration: GazeCalibration?
    /// The file it came from.
    public var file: String?
    /// A line for people when the saved calibration was passed over.
    public var note: String?

    public init(calibration: GazeCalibration? = nil, file: String? = nil, note: String? = nil) {
        self.calibration = calibration
        self.file = file
        self.note = note
    }

    /// - Parameters:
    ///   - named: a file the user named, used whatever camera it was made with (an error if unreadable).
    ///   - none: use no calibration at all.
    ///   - camera: the camera in use; the saved file is used only if made with it (or with an unknown one).
    ///   - saved: where the saved calibration lives.
    public static func resolve(named: String?, none: Bool, camera: CameraIdentity?,
                               saved: String = StatePaths.calibrationFile) throws(StateFileError) -> CalibrationChoice {
        if none { return CalibrationChoice() }
        if let named {
            let file = try CalibrationFile.load(named)
            return CalibrationChoice(calibration: file.calibration, file: named)
        }
        guard FileManager.default.fileExists(atPath: saved) else { return CalibrationChoice() }
        let file: CalibrationFile
        do { file = try CalibrationFile.load(saved) } catch {
            return CalibrationChoice(note: "ignoring the saved calibration: \(error.description)")
        }
        if let made = file.camera, let camera, !made.matches(camera) {
            return CalibrationChoice(note: "the saved calibration belongs to another camera (\(made.card)); not using it")
        }
        return CalibrationChoice(calibration: file.calibration, file: saved)
    }
}
