import Foundation
import Vision

/// Where the project's shared test data and reference tools live: `$GAZETOP_DATA` (the data folder), or
/// `../shared` beside the checkout. They are never copied into the project.
public enum SharedData {
    /// The data folder (holding zju-eyeblink/, faces-68/, noface/, videos/), if present.
    public static var dataFolder: String? {
        if let env = ProcessInfo.processInfo.environment["GAZETOP_DATA"], !env.isEmpty { return exists(env) }
        return sharedFolder.flatMap { exists($0 + "/data") }
    }

    /// The reference tools folder (peers/, score_blinks.py), if present.
    public static var toolsFolder: String? { sharedFolder.flatMap { exists($0 + "/tools") } }

    /// The files `bench` measures when given none: the ZJU clips (320x240) and the one-face 1280x720 video.
    public static var benchmarkFiles: [String] {
        guard let data = dataFolder else { return [] }
        let zju = data + "/zju-eyeblink"
        let clips = ((try? FileManager.default.contentsOfDirectory(atPath: zju)) ?? [])
            .filter { $0.hasSuffix(".mp4") }.sorted().map { zju + "/" + $0 }
        let video = data + "/videos/video00.mp4"
        return clips + (FileManager.default.fileExists(atPath: video) ? [video] : [])
    }

    private static var sharedFolder: String? {
        var roots = [FileManager.default.currentDirectoryPath]
        if let root = FaceModel.packageRoot() { roots.insert(root, at: 0) }
        for root in roots {
            let candidate = URL(fileURLWithPath: root).appendingPathComponent("../shared").standardized.path
            if exists(candidate) != nil { return candidate }
        }
        return nil
    }

    private static func exists(_ path: String) -> String? {
        FileManager.default.fileExists(atPath: path) ? path : nil
    }
}
