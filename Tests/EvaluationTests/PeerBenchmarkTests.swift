import Foundation
import Testing
@testable import Evaluation

/// `PeerBenchmark` against a stand-in peer: a shell script in place of Python that writes a known `ms` per
/// frame, burns CPU on real files only, and logs each call, so what the benchmark derives from a peer's
/// runs can be checked exactly (the real peers need MediaPipe, which `make bench-peers` installs).
@Suite struct PeerBenchmarkTests {
    /// Called as `python SCRIPT VIDEO OUT`: appends VIDEO to LOG; for a non-empty VIDEO, spins a while and
    /// writes four frames of 2 and 4 ms alternately, as the peers' `ms` field.
    static let standIn = """
        #!/bin/sh
        video="$2"; out="$3"
        echo "$video" >> "$(dirname "$0")/calls.log"
        : > "$out"
        [ -s "$video" ] || exit 0
        i=0; while [ $i -lt 100000 ]; do i=$((i + 1)); done
        for ms in 2.0 4.0 2.0 4.0; do echo "{\\"frame\\": 0, \\"ms\\": $ms}" >> "$out"; done
        """

    struct Folder {
        let url: URL
        var python: String { url.appendingPathComponent("python").path }
        var calls: [String] {
            ((try? String(contentsOf: url.appendingPathComponent("calls.log"), encoding: .utf8)) ?? "")
                .split(separator: "\n").map(String.init)
        }
        func file(_ name: String, bytes: Int) throws -> String {
            let path = url.appendingPathComponent(name).path
            try Data(repeating: 1, count: bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    func folder() throws -> Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-peer-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let python = url.appendingPathComponent("python").path
        try Self.standIn.write(toFile: python, atomically: true, encoding: .utf8)
        chmod(python, 0o755)
        return Folder(url: url)
    }

    @Test func framesAndProcessingRateComeFromThePeersOwnTimes() throws {
        let f = try folder()
        defer { try? FileManager.default.removeItem(at: f.url) }
        let clips = [try f.file("a.mp4", bytes: 10), try f.file("b.mp4", bytes: 10)]
        let r = try PeerBenchmark(python: f.python, script: "peer.py").run(clips, name: "stand-in")
        #expect(r.name == "stand-in")
        #expect(r.frames == 8 && r.frameMs == [2, 4, 2, 4, 2, 4, 2, 4])
        #expect(abs(r.processingFps - 1000.0 / 3) < 1e-9) // 8 frames in 24 ms
        #expect(r.runs == 2)
    }

    @Test func startUpIsTheMedianOfWarmRunsOnAnEmptyFileAndIsLeftOutOfWholeRuns() throws {
        let f = try folder()
        defer { try? FileManager.default.removeItem(at: f.url) }
        let clip = try f.file("a.mp4", bytes: 10)
        let r = try PeerBenchmark(python: f.python, script: "peer.py").run([clip], name: "stand-in")
        // One cold run and three counted ones on the empty file, then the clip.
        let calls = f.calls
        #expect(calls.count == 1 + PeerBenchmark.startupRuns + 1)
        #expect(calls.dropLast().allSatisfy { $0.hasSuffix("empty.mp4") } && calls.last == clip)
        #expect(r.startupMs > 0 && r.wallMs > r.startupMs)
        #expect(abs(r.wholeRunFps - 4 / ((r.wallMs - r.startupMs) / 1000)) < 1e-6)
        // The clip's run spins; the empty ones do not: CPU a frame is what is left after start-up's.
        #expect(r.cpuMs > r.startupCpuMs)
        #expect(abs(r.wholeRunCpuMsPerFrame - (r.cpuMs - r.startupCpuMs) / 4) < 1e-9)
        #expect(r.wholeRunCpuMsPerFrame > 0)
    }

    @Test func aFailingPeerSaysHowToSetItUp() throws {
        let f = try folder()
        defer { try? FileManager.default.removeItem(at: f.url) }
        try "#!/bin/sh\nexit 3\n".write(toFile: f.python, atomically: true, encoding: .utf8)
        chmod(f.python, 0o755)
        let clip = try f.file("a.mp4", bytes: 10)
        do {
            _ = try PeerBenchmark(python: f.python, script: "peer.py").run([clip], name: "stand-in")
            Issue.record("a peer that exits 3 was taken for a run")
        } catch {
            #expect(error.description.contains("exit 3") && error.description.contains("setup-peers.sh"))
        }
    }
}
