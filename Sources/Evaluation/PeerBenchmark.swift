import Capture
import Foundation
import Vision

/// Runs a reference pipeline (shared/tools/peers) on the same files, to measure gazetop beside it.
public struct PeerBenchmark {
    public struct Result: Sendable {
        public var name: String
        public var frames = 0
        /// The peer's own per-frame processing times (its `ms` field: no decoding).
        public var frameMs: [Double] = []
        /// Wall time of its runs, start-up and decoding included.
        public var wallMs = 0.0
        /// Wall time of a run on an empty file (starting Python, loading its models, opening nothing): the
        /// median of `startupRuns` warm runs.
        public var startupMs = 0.0
        /// CPU time of its runs (its threads and the children it waited for), and of a run on an empty file
        /// (the median, as `startupMs`).
        public var cpuMs = 0.0
        public var startupCpuMs = 0.0
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

        /// CPU milliseconds a frame over its whole runs, start-up's CPU left out: what a frame costs the
        /// machine, whatever the number of threads it spreads over.
        public var wholeRunCpuMsPerFrame: Double {
            frames > 0 ? max(0, cpuMs - startupCpuMs * Double(runs)) / Double(frames) : 0
        }
    }

    /// Why a peer could not be run.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs on an empty file whose median is the start-up, after one cold run.
    static let startupRuns = 3

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
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-peer-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Its start-up alone: a run on an empty file decodes no frame (the peers stop at the first failed read).
        let empty = scratch.appendingPathComponent("empty.mp4").path
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        // The first run starts cold (Python's imports not yet in the page cache) and is left out; the
        // median of the next ones is a start-up as the runs on files see it.
        var startups: [(ms: Double, cpuMs: Double)] = []
        for _ in 0..<(1 + Self.startupRuns) {
            let run = try runOnce(empty, out: scratch.appendingPathComponent("empty.jsonl").path, name: name)
            startups.append((run.ms, run.cpuMs))
        }
        startups.removeFirst()
        result.startupMs = Percentiles(startups.map(\.ms)).median
        result.startupCpuMs = Percentiles(startups.map(\.cpuMs)).median
        for (i, path) in paths.enumerated() {
            let out = scratch.appendingPathComponent("\(i).jsonl").path
            let run = try runOnce(path, out: out, name: name)
            result.wallMs += run.ms
            result.cpuMs += run.cpuMs
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

    /// One run of the peer on `path`: its wall time, its CPU time and what it wrote.
    private func runOnce(_ path: String, out: String, name: String) throws(Failure) -> (ms: Double, cpuMs: Double, text: String) {
        let run: ChildRun
        do { run = try ChildRun([python, script] + leadingArguments + [path, out]) } catch {
            throw Failure(description: "cannot run \(python) \(script): \(error)")
        }
        guard run.exitStatus == 0, let text = try? String(contentsOfFile: out, encoding: .utf8) else {
            throw Failure(description: "\(name) failed on \(path) (exit \(run.exitStatus)); "
                + "set it up with shared/tools/setup-peers.sh")
        }
        return (run.wallMs, run.cpuMs, text)
    }
}

/// A child process run to its end with its output thrown away, timed by wall clock and by the CPU it
/// and its threads used. The CPU time is the child's own, as `wait4` reports it, so runs of other
/// children at the same time (tests in parallel) do not count.
struct ChildRun {
    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    /// Its exit status, or 128 + the signal that ended it.
    var exitStatus: Int32
    var wallMs: Double
    var cpuMs: Double

    init(_ arguments: [String]) throws(SpawnError) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let start = MonotonicClock.nowMs()
        var pid = pid_t()
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw SpawnError(description: String(cString: strerror(spawned))) }
        var status: Int32 = 0
        var usage = rusage()
        var waited = wait4(pid, &status, 0, &usage)
        while waited < 0 && errno == EINTR { waited = wait4(pid, &status, 0, &usage) }
        guard waited == pid else { throw SpawnError(description: "lost its child: \(String(cString: strerror(errno)))") }
        wallMs = MonotonicClock.nowMs() - start
        cpuMs = CPUTime.ms(usage)
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Glibc's Swift overlay does not bring.
        exitStatus = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
