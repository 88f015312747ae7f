import Capture
import Foundation
import Vision

/// The shared test data beside the project (`../shared/data`, see its README), found from this file's path.
enum TestData {
    static let root: String = {
        // <root>/Tests/MonitorTests/TestSupport.swift -> <root>/../shared/data
        let here = URL(fileURLWithPath: #filePath)
        let project = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return project.deletingLastPathComponent().appendingPathComponent("shared/data").standardizedFileURL.path
    }()

    static func path(_ sub: String) -> String { root + "/" + sub }

    /// A ZJU eyeblink clip: 320x240, 30 fps, about 5 s, one frontal face.
    static let zjuClip = path("zju-eyeblink/2_000001M_FNN.mp4")
    static let available = FileManager.default.isReadableFile(atPath: zjuClip)
    static let skipMessage = "needs ../shared/data (the ZJU eyeblink clips); not found beside the repository"
}

/// The landmark model, loaded once per test process and lent to one test at a time: dlib's detector and
/// the model's scratch buffer are not safe to use from two threads, and Swift Testing runs suites in
/// parallel. A live session's vision queue uses it while the test that lent it waits for `run`.
enum SharedModel {
    // nonisolated(unsafe): written once by the lazy static initialiser, then only read under `lock`.
    private nonisolated(unsafe) static let loaded = Result { try FaceModel() }
    private static let lock = NSLock()

    /// Whether the model file is installed (tests that need it are disabled with a message otherwise).
    static var isInstalled: Bool { FileManager.default.isReadableFile(atPath: FaceModel.systemPath) }
    static let missingMessage = "needs the landmark model (libdlib-data)"

    /// Runs `body` with the model, alone.
    static func use<T>(_ body: (FaceModel) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(loaded.get())
    }
}

/// A simulated camera serving the ZJU clip, with `options` (`formats=GREY&pace=demand`...).
func simulated(_ options: String = "") throws -> (SimulatedV4L2Device, V4L2Camera) {
    let spec = "sim:" + TestData.zjuClip + (options.isEmpty ? "" : "?" + options)
    let device = try SimulatedV4L2Device(spec: spec)
    return (device, V4L2Camera(path: spec, driver: device))
}
