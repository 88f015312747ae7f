import Capture
import Foundation
import GazeCore
import Glibc

/// Where gazetop keeps what outlives a run, after the XDG base directory specification: the calibration
/// in `$XDG_CONFIG_HOME/gazetop` (else `~/.config/gazetop`), the challenge's session ids and failure count
/// in `$XDG_STATE_HOME/gazetop` (else `~/.local/state/gazetop`).
enum StatePaths {
    static func folder(_ variable: String, fallback: String) -> String {
        let env = ProcessInfo.processInfo.environment
        if let base = env[variable], base.hasPrefix("/") { return base + "/gazetop" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/" + fallback + "/gazetop"
    }

    static var calibrationFile: String { folder("XDG_CONFIG_HOME", fallback: ".config") + "/calibration.json" }
    static var ledgerFile: String { folder("XDG_STATE_HOME", fallback: ".local/state") + "/challenge.json" }
}

/// Writes a file whole or not at all: a temporary file beside it, renamed over it. Creates the folder of
/// gazetop's own files (`createFolder`), not of a path the user named.
enum AtomicFile {
    static func write(_ data: Data, to path: String, createFolder: Bool = true) throws(CommandFailure) {
        let url = URL(fileURLWithPath: path)
        do {
            if createFolder {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            }
            try data.write(to: url, options: .atomic)
        } catch {
            throw CommandFailure(.output, "cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Fails now, not after a run's work, if `write` could not put a file at `path`: a temporary file is
    /// made beside it and removed (the folder made first with `createFolder`).
    static func requireWritable(_ path: String, createFolder: Bool) throws(CommandFailure) {
        let url = URL(fileURLWithPath: path)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw CommandFailure(.output, "cannot write \(path): it is a folder")
        }
        if createFolder {
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw CommandFailure(.output, "cannot write \(path): \(error.localizedDescription)")
            }
        }
        let probe = url.deletingLastPathComponent().appendingPathComponent(".gazetop-probe-\(getpid())").path
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw CommandFailure(.output, "cannot write \(path): \(String(cString: strerror(errno)))") }
        close(fd)
        unlink(probe)
    }
}

/// Which camera a calibration belongs to: what the device says of itself (the node's path changes between
/// boots and ports; card, driver and bus do not).
struct CameraIdentity: Codable, Equatable {
    var device: String
    var card: String
    var driver: String
    var bus: String

    init(_ info: DeviceInfo) {
        device = info.path
        card = info.card
        driver = info.driver
        bus = info.bus
    }

    /// The same camera, wherever it is plugged.
    func matches(_ other: CameraIdentity) -> Bool {
        card == other.card && driver == other.driver && bus == other.bus
    }

    /// Asks the device at `path` (or `sim:...`) who it is, without streaming.
    static func of(_ path: String) -> CameraIdentity? {
        guard case .device(let info)? = DeviceList.scan([path]).first else { return nil }
        return CameraIdentity(info)
    }
}

/// The saved calibration file (`gazetop calibrate`): the fitted mapping, the camera it was made with, and
/// what the fit measured.
struct CalibrationFile: Codable {
    var version = 1
    var created: String
    var camera: CameraIdentity?
    /// The fit's coefficients (see `GazeCalibration`): rightDeg and upDeg as affine functions of
    /// [1, pupil x, pupil y, head yaw, head pitch].
    var right: [Double]
    var up: [Double]
    var rmsErrorDeg: Double
    var frames: Int

    var calibration: GazeCalibration { GazeCalibration(right: right, up: up) }

    init(_ fit: CalibrationFit.Result, camera: CameraIdentity?, created: Date = Date()) {
        self.created = ISO8601DateFormatter().string(from: created)
        self.camera = camera
        right = fit.calibration.right
        up = fit.calibration.up
        rmsErrorDeg = fit.rmsErrorDeg
        frames = fit.frames
    }

    static func load(_ path: String) throws(CommandFailure) -> CalibrationFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure(.input, "cannot read calibration \(path): no such file or not readable")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            let file = try decoder.decode(CalibrationFile.self, from: data)
            guard file.right.count == GazeCalibration.termCount, file.up.count == GazeCalibration.termCount,
                  (file.right + file.up).allSatisfy(\.isFinite) else {
                throw CommandFailure(.input, "calibration \(path) is malformed: 5 finite coefficients per angle expected")
            }
            return file
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(.input, "calibration \(path) is malformed: not a gazetop calibration file")
        }
    }

    func save(_ path: String, createFolder: Bool = true) throws(CommandFailure) {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else { throw CommandFailure(.output, "cannot encode the calibration") }
        try AtomicFile.write(data + Data("\n".utf8), to: path, createFolder: createFolder)
    }
}

/// The challenge's ledger (`ChallengeLedger`: session ids, failures in a row, lockout) in its state file,
/// read and written under an exclusive lock so two challenges on one kiosk take turns.
struct LedgerStore {
    let path: String

    /// Loads the ledger (empty when there is none yet), lets `change` update it, and saves it whole.
    func update<T>(_ change: (inout ChallengeLedger) throws(CommandFailure) -> T) throws(CommandFailure) -> T {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure(.output, "cannot create \(folder): \(error.localizedDescription)")
        }
        let lock = open(path + ".lock", O_CREAT | O_RDWR, 0o600)
        guard lock >= 0 else { throw CommandFailure(.output, "cannot lock \(path).lock: \(String(cString: strerror(errno)))") }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 && errno == EINTR {}
        var ledger = ChallengeLedger()
        if let data = FileManager.default.contents(atPath: path) {
            guard let stored = try? JSONDecoder().decode(ChallengeLedger.self, from: data) else {
                throw CommandFailure(.input, "challenge state \(path) is malformed; remove it to start afresh")
            }
            ledger = stored
        }
        let result = try change(&ledger)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(ledger) else { throw CommandFailure(.output, "cannot encode the challenge state") }
        try AtomicFile.write(data, to: path)
        return result
    }
}
