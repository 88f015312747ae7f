import Foundation

/// Runs a reference pipeline (shared/tools/peers) on the same files, to measure gazetop beside it.
public struct PeerBenchmark {
    public struct Result: Sendable {
        public var name: String
        public var frames = 0
        /// The peer's own per-frame processing times (its `ms` field: no decoding).
        public var frameMs: [Double] = []
        /// Wall time of its runs, start-up and decoding included.
        public var wallMs = 0.0

        /// Frames per second of processing alone (decoding and start-up left out, in the peer's favour).
        public var processingFps: Double {
            let total = frameMs.reduce(0, +)
            return total > 0 ? Double(frameMs.count) / (total / 1000) : 0
        }
    }

    /// Why a peer could not be run.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let python: String
    public let script: String
    /// Arguments before the video (the seed method wants the model first).
    public let leadingArguments: [String]

    public init(python: String, script: String, leadingArguments: [String] = []) {
        self.python = python
        self.script = script
        self.leadingArguments = leadingArguments
    }

    public func run(_ paths: [String], name: String) throws(Failure) -> Result {
        var result = Result(name: name)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-peer-\(getpid())")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        for (i, path) in paths.enumerated() {
            let out = scratch.appendingPathComponent("\(i).jsonl").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [script] + leadingArguments + [path, out]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let start = Date()
            do { try process.run() } catch {
                throw Failure(description: "cannot run \(python) \(script): \(error.localizedDescription)")
            }
            process.waitUntilExit()
            result.wallMs += Date().timeIntervalSince(start) * 1000
            guard process.terminationStatus == 0, let text = try? String(contentsOfFile: out, encoding: .utf8) else {
                throw Failure(description: "\(name) failed on \(path) (exit \(process.terminationStatus)); "
                    + "set it up with shared/tools/setup-peers.sh")
            }
            for line in text.split(separator: "\n") {
                guard let data = line.data(using: .utf8),
                      let row = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let ms = row["ms"] as? Double else { continue }
                result.frameMs.append(ms)
            }
        }
        result.frames = result.frameMs.count
        return result
    }
}
