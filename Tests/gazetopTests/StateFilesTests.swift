import Capture
import Foundation
import GazeCore
import Testing
@testable import gazetop

/// The calibration file and the challenge's state file.
@Suite struct StateFilesTests {
    static let fit = CalibrationFit.Result(calibration: GazeCalibration(right: [1.5, -40, 2, -1, 0.1], up: [-3, 4, -110, 0.2, 0.9]),
                                           rmsErrorDeg: 2.25, frames: 240)
    static let camera = CameraIdentity(DeviceInfo(path: "/dev/video0", card: "HD Webcam", driver: "uvcvideo",
                                                  bus: "usb-0000:00:14.0-1", isCapture: true, formats: []))

    @Test func aCalibrationSurvivesTheFile() throws {
        let folder = try ErrorPathTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("deeper/calibration.json").path
        try CalibrationFile(Self.fit, camera: Self.camera).save(path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\"rms_error_deg\" : 2.25") && text.contains("\"card\" : \"HD Webcam\""), "\(text)")
        let loaded = try CalibrationFile.load(path)
        #expect(loaded.calibration == Self.fit.calibration)
        #expect(loaded.camera == Self.camera)
        #expect(loaded.frames == 240)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("deeper").path)
        #expect(leftovers == ["calibration.json"], "no temporary file left")
    }

    @Test("A bad calibration file is one clear line", arguments: [
        ("{\"right\": [1, 2, 3]}", "malformed"),
        ("{\"version\": 1, \"created\": \"x\", \"right\": [1,2,3], \"up\": [1,2,3,4,5], \"rms_error_deg\": 1, \"frames\": 3}", "5 finite coefficients"),
        ("not json", "malformed"),
    ])
    func badFile(text: String, says: String) throws {
        let folder = try ErrorPathTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("c.json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try CalibrationFile.load(path)
            Issue.record("loaded \(text)")
        } catch {
            #expect(error.description.contains(says) && !error.description.contains("\n"), "\(error.description)")
        }
        #expect(throws: CommandFailure.self) { try CalibrationFile.load(path + ".missing") }
    }

    @Test func aCameraIsKnownByWhatItSaysNotWhereItIsPlugged() {
        var moved = Self.camera
        moved.device = "/dev/video2"
        #expect(moved.matches(Self.camera))
        var other = Self.camera
        other.bus = "usb-0000:00:14.0-2"
        #expect(!other.matches(Self.camera))
    }

    @Test func theLedgerPersistsBetweenRuns() throws {
        let folder = try ErrorPathTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = LedgerStore(path: folder.appendingPathComponent("state/challenge.json").path)
        try store.update { $0.issue("s1", now: 100, ttlSeconds: 60) }
        let expires = try store.update { (ledger) throws(CommandFailure) -> Double in
            do throws(ChallengeLedger.Refusal) { return try ledger.redeem("s1", now: 110) } catch {
                throw CommandFailure(.input, error.description)
            }
        }
        #expect(expires == 160)
        #expect(throws: ChallengeLedger.Refusal.used("s1")) {
            var ledger = try store.update { $0 }
            _ = try ledger.redeem("s1", now: 120)
        }
    }
}
