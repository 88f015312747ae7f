import Capture
import Foundation
import GazeCore
import Store
import Testing

/// The calibration file and the camera it belongs to.
@Suite struct CalibrationFileTests {
    static let fit = CalibrationFit.Result(calibration: GazeCalibration(right: [1.5, -40, 2, -1, 0.1], up: [-3, 4, -110, 0.2, 0.9]),
                                           rmsErrorDeg: 2.25, frames: 240)
    static let camera = CameraIdentity(DeviceInfo(path: "/dev/video0", card: "HD Webcam", driver: "uvcvideo",
                                                  bus: "usb-0000:00:14.0-1", isCapture: true, formats: []))

    @Test func aCalibrationSurvivesTheFile() throws {
        let folder = try Scratch.folder()
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
        ("{\"right\": [1, 2, 3]}", "not a gazetop calibration file"),
        ("{\"version\": 1, \"created\": \"x\", \"right\": [1,2,3], \"up\": [1,2,3,4,5], \"rms_error_deg\": 1, \"frames\": 3}", "5 finite coefficients"),
        ("not json", "not a gazetop calibration file"),
    ])
    func badFile(text: String, says: String) throws {
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("c.json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try CalibrationFile.load(path)
            Issue.record("loaded \(text)")
        } catch {
            #expect(error.kind == .malformed)
            #expect(error.description.contains(says) && !error.description.contains("\n"), "\(error.description)")
        }
        do {
            _ = try CalibrationFile.load(path + ".missing")
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.kind == .unreadable)
        }
    }

    @Test func aFileThatCannotBeWrittenIsSaidBeforeAndWhenWriting() throws {
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A folder where the file should be: neither the probe nor the rename can put a file there.
        let path = folder.appendingPathComponent("taken").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        #expect(throws: StateFileError(.unwritable, "cannot write \(path): it is a folder")) {
            try AtomicFile.requireWritable(path, createFolder: false)
        }
        #expect(throws: StateFileError.self) { try CalibrationFile(Self.fit, camera: nil).save(path) }
        // A folder the user named is not made for them.
        let missing = folder.appendingPathComponent("no/such/c.json").path
        #expect(throws: StateFileError.self) { try AtomicFile.requireWritable(missing, createFolder: false) }
        try AtomicFile.requireWritable(missing, createFolder: true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("no/such").path).isEmpty,
                "the probe is removed")
    }

    @Test func aCameraIsKnownByWhatItSaysNotWhereItIsPlugged() {
        var moved = Self.camera
        moved.device = "/dev/video2"
        #expect(moved.matches(Self.camera))
        var other = Self.camera
        other.bus = "usb-0000:00:14.0-2"
        #expect(!other.matches(Self.camera))
    }
}
