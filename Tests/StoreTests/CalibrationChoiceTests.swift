import Foundation
import GazeCore
import Store
import Testing

/// Which calibration a run uses: named, none, or the saved one for this camera.
@Suite struct CalibrationChoiceTests {
    static let fit = CalibrationFileTests.fit
    static let camera = CalibrationFileTests.camera

    @Test func theSavedCalibrationIsUsedOnlyWithItsCamera() throws {
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let saved = folder.appendingPathComponent("calibration.json").path
        let nothing = try CalibrationChoice.resolve(named: nil, none: false, camera: Self.camera, saved: saved)
        #expect(nothing.calibration == nil && nothing.file == nil && nothing.note == nil, "no file yet: nothing to say")

        try CalibrationFile(Self.fit, camera: Self.camera).save(saved)
        let same = try CalibrationChoice.resolve(named: nil, none: false, camera: Self.camera, saved: saved)
        #expect(same.calibration == Self.fit.calibration && same.file == saved && same.note == nil)
        let unknown = try CalibrationChoice.resolve(named: nil, none: false, camera: nil, saved: saved)
        #expect(unknown.calibration == Self.fit.calibration, "a camera that cannot say who it is takes the saved one")

        var other = Self.camera
        other.card = "Other Cam"
        let passedOver = try CalibrationChoice.resolve(named: nil, none: false, camera: other, saved: saved)
        #expect(passedOver.calibration == nil)
        #expect(passedOver.note == "the saved calibration belongs to another camera (HD Webcam); not using it")

        let none = try CalibrationChoice.resolve(named: nil, none: true, camera: Self.camera, saved: saved)
        #expect(none.calibration == nil && none.file == nil)
    }

    @Test func aNamedFileIsUsedWhateverItsCameraAndMustBeReadable() throws {
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let named = folder.appendingPathComponent("mine.json").path
        try CalibrationFile(Self.fit, camera: Self.camera).save(named)
        var other = Self.camera
        other.driver = "vivid"
        let chosen = try CalibrationChoice.resolve(named: named, none: false, camera: other, saved: folder.path + "/none.json")
        #expect(chosen.calibration == Self.fit.calibration && chosen.file == named)
        #expect(throws: StateFileError.self) {
            try CalibrationChoice.resolve(named: named + ".missing", none: false, camera: other, saved: named)
        }
    }

    @Test func aBrokenSavedFileIsPassedOverWithANote() throws {
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let saved = folder.appendingPathComponent("calibration.json").path
        try "{}".write(toFile: saved, atomically: true, encoding: .utf8)
        let choice = try CalibrationChoice.resolve(named: nil, none: false, camera: Self.camera, saved: saved)
        #expect(choice.calibration == nil)
        #expect(choice.note?.hasPrefix("ignoring the saved calibration: calibration \(saved) is malformed") == true, "\(choice.note ?? "")")
    }
}
