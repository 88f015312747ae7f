import Foundation
import Vision

/// The landmark model, loaded once per test process (about 1.5 s) and lent to one test at a time: dlib's
/// detector and the model's scratch buffer are not safe to use from two threads, and Swift Testing runs
/// tests in parallel.
enum SharedModel {
    // nonisolated(unsafe): written once by the lazy static initialiser, then only read under `lock`.
    private nonisolated(unsafe) static let loaded = Result { try FaceModel() }
    private static let lock = NSLock()

    /// Whether the model file is installed (tests that need it are disabled with a message otherwise).
    static var isInstalled: Bool { FileManager.default.isReadableFile(atPath: FaceModel.systemPath) }

    /// Runs `body` with the model, alone.
    static func use<T>(_ body: (FaceModel) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(loaded.get())
    }
}

/// The shared test data beside the project (`../shared/data`, see its README).
enum TestData {
    static let root: String = {
        // <root>/Tests/VisionTests/SharedModel.swift -> <root>/../shared/data
        let here = URL(fileURLWithPath: #filePath)
        let project = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return project.deletingLastPathComponent().appendingPathComponent("shared/data").standardizedFileURL.path
    }()

    static func path(_ sub: String) -> String { root + "/" + sub }

    static func exists(_ sub: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path(sub), isDirectory: &isFolder) && isFolder.boolValue
    }

    /// The files of a data folder whose names end with one of `extensions`, sorted; empty when absent.
    static func files(in sub: String, extensions: Set<String>) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path(sub))) ?? []
        return names.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
    }
}
