import Foundation
import Testing

/// `gazetop bench` on a real clip: every figure the README quotes is printed, in text and in JSON, and
/// `--peers` runs the peers on the same files and sets them beside gazetop. What is checked is the shape
/// of the report and figures that cannot be wrong on any machine (counts, positive rates, decoding alone
/// costing less CPU than decoding with vision), never a speed.
@Suite(.enabled(if: SharedClip.available, Comment(rawValue: SharedClip.skipMessage)))
struct BenchCommandTests {
    func bench(_ arguments: [String]) throws -> ErrorPathTests.Run {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable), "no gazetop built")
        let r = try ErrorPathTests.run(["bench"] + arguments)
        #expect(r.status == 0, "exit \(r.status): \(r.stderr)")
        return r
    }

    @Test func theJSONReportHasEveryStageThroughputCPUAndMemory() throws {
        let r = try bench([SharedClip.path, "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let groups = try #require(report["groups"] as? [[String: Any]])
        let g = try #require(groups.first)
        #expect(groups.count == 1 && g["size"] as? String == "320x240" && g["files"] as? Int == 1)
        let frames = try #require(g["frames"] as? Int)
        #expect(frames > 100)
        for stage in ["decode", "detect", "landmarks", "eyes", "pose", "core", "visionMetrics"] {
            let s = try #require(g[stage] as? [String: Double], "no \(stage)")
            #expect(s.keys.sorted() == ["mean", "median", "p99"] && s.values.allSatisfy { $0 >= 0 }, "\(stage): \(s)")
        }
        let analyzeCpu = try #require(g["analyzeCpuMsPerFrame"] as? Double)
        let decodeCpu = try #require(g["decodeOnlyCpuMsPerFrame"] as? Double)
        #expect((g["analyzeFps"] as? Double ?? 0) > 0 && (g["decodeOnlyFps"] as? Double ?? 0) > 0)
        #expect(decodeCpu > 0 && decodeCpu < analyzeCpu, "decoding alone \(decodeCpu) ms, analyze \(analyzeCpu) ms")
        #expect(g["peers"] as? [Any] != nil && (g["peers"] as? [Any])?.isEmpty == true)
        #expect((report["peakMemoryMiB"] as? Double ?? 0) > 0)
        #expect(report["instructionSet"] as? String == BuildBaseline.expected)
    }

    @Test func theTextReportPutsPeersBesideGazetop() throws {
        // A stand-in for the peers' virtual environment: its "python" spins a while on a real file (longer
        // than a run on the empty one, so whole runs are measurable) and writes a frame of 5 ms.
        let venv = try ErrorPathTests.scratch()
        defer { try? FileManager.default.removeItem(at: venv) }
        let bin = venv.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let python = bin.appendingPathComponent("python").path
        let standIn = """
            #!/bin/sh
            for last in "$@"; do video="$out"; out="$last"; done
            if [ -s "$video" ]; then i=0; while [ $i -lt 100000 ]; do i=$((i + 1)); done; fi
            echo '{"frame": 0, "ms": 5.0}' > "$out"
            """
        try standIn.write(toFile: python, atomically: true, encoding: .utf8)
        chmod(python, 0o755)
        let r = try bench([SharedClip.path, "--peers", venv.path])
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("320x240: 1 file(s), ") == true)
        for label in ["decode", "detect", "landmarks", "eyes", "pose", "core", "vision+metrics"] {
            #expect(lines.contains { $0.hasPrefix("  \(label) ") && $0.contains("median") && $0.contains("p99") }, "\(label)")
        }
        #expect(lines.contains { $0.hasPrefix("  analyze throughput") && $0.contains("frames/s") && $0.contains("ms of CPU a frame") })
        #expect(lines.contains { $0.hasPrefix("  decoding alone") && $0.contains("ms of CPU a frame") })
        for peer in ["mediapipe", "seed"] {
            let processing = lines.first { $0.hasPrefix("  peer \(peer): ") }
            #expect(processing?.contains("200.0 frames/s; gazetop analyze is ") == true, "\(processing ?? "no \(peer) row")")
            let whole = lines.first { $0.hasPrefix("  peer \(peer), whole runs") }
            #expect(whole?.contains("ms of CPU a frame, gazetop's ") == true, "\(whole ?? "no \(peer) whole-run row")")
        }
        #expect(lines.contains("built for \(BuildBaseline.expected) (CVision and the dlib templates in it, optimised)"))
        #expect(lines.last?.hasPrefix("peak memory: ") == true)
    }
}
