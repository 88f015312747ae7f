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
        /// Wall time of one run on an empty file: starting Python, loading its models, opening nothing.
        public var startupMs = 0.0
        /// How many runs `wallMs` covers (one a file).
        public var runs = 0

        /// Frames per second of processing alone (decoding and start-up left out, in the peer's favour).
        public var processingFps: Double {
            let total = frameMs.reduce(0, +)
            return total > 0 ? Double(frameMs.count) / (total / 1000) : 0
        }

        /// Frames per second of its whole runs, decoding included and start-up left out: measured as
        /// gazetop's `analyze` throughput is (which leaves out loading the model).
        public var wholeRunFps: Double {
            let working = wallMs - startupMs * Double(runs)
            return working > 0 ? Double(frames) / (working / 1000) : 0
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
        // Its start-up alone: a run on an empty file decodes no frame (the peers stop at the first failed read).
        let empty = scratch.appendingPathComponent("empty.mp4").path
        FileManager.default.createFile(atPath: empty, contents: Data())
        result.startupMs = try runOnce(empty, out: scratch.appendingPathComponent("empty.jsonl").path, name: name).ms
        for (i, path) in paths.enumerated() {
            let out = scratch.appendingPathComponent("\(i).jsonl").path
            let run = try runOnce(path, out: out, name: name)
            result.wallMs += run.ms
            result.runs += 1
            let text = run.text
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

    /// One run of the peer on `path`: its wall time and what it wrote.
    private func runOnce(_ path: String, out: String, name: String) throws(Failure) -> (ms: Double, text: String) {
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
        let ms = Date().timeIntervalSince(start) * 1000
        guard process.terminationStatus == 0, let text = try? String(contentsOfFile: out, encoding: .utf8) else {
            throw Failure(description: "\(name) failed on \(path) (exit \(process.terminationStatus)); "
                + "set it up with shared/tools/setup-peers.sh")
        }
        return (ms, text)
    }
}
