import Foundation
import Testing

/// Cameras that cannot be used, said in one line with their own status: a node that is no V4L2 device
/// (without libv4l2's own lines), a simulated camera another program streams (busy, as a real one is),
/// a simulated folder with a picture that cannot be read (named).
@Suite struct CameraRefusalTests {
    static func expectOneLine(_ run: ErrorPathTests.Run, status: Int32, _ text: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == status, "status \(run.status); \(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.hasPrefix("gazetop: ") && run.stderr.split(separator: "\n").count == 1
                && run.stderr.hasSuffix("\n"), "stderr \(run.stderr.debugDescription)", sourceLocation: sourceLocation)
        #expect(run.stderr.contains(text), "stderr \(run.stderr.debugDescription)", sourceLocation: sourceLocation)
    }

    /// /dev/null opens but answers no V4L2 request: libv4l2 used to print two lines of its own first.
    @Test func aNodeThatIsNoCameraIsOneLine() throws {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable))
        let run = try ErrorPathTests.run(["--device", "/dev/null", "--json"])
        Self.expectOneLine(run, status: 6, "/dev/null is not a video capture device")
        #expect(run.stdout.isEmpty)
    }

    /// Two monitors on one simulated camera: the second is told it is busy (exit 9), as a real camera
    /// answers, while the first goes on; once the first has stopped, the camera is free again.
    @Test(.enabled(if: SharedClip.available, Comment(rawValue: SharedClip.skipMessage)))
    func aSecondProgramFindsASimulatedCameraBusy() throws {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable))
        let runtime = try ErrorPathTests.scratch()
        defer { try? FileManager.default.removeItem(at: runtime) }
        let shared = ["XDG_RUNTIME_DIR": runtime.path]
        let device = ["--device", "sim:\(SharedClip.path)?loop", "--size", "320x240", "--json"]

        let first = Process()
        first.executableURL = URL(fileURLWithPath: ErrorPathTests.executable)
        first.arguments = device
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_RUNTIME_DIR"] = runtime.path
        first.environment = environment
        let out = Pipe()
        first.standardOutput = out
        first.standardError = FileHandle.nullDevice
        first.standardInput = FileHandle.nullDevice
        try first.run()
        defer { if first.isRunning { first.terminate() } }
        // Its first record means it is streaming (it holds the camera's buffers).
        let firstLine = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = out.fileHandleForReading.availableData
            firstLine.signal()
        }
        #expect(firstLine.wait(timeout: .now() + 120) == .success, "the first monitor never streamed")

        let second = try ErrorPathTests.run(device, environment: shared)
        Self.expectOneLine(second, status: 9, "is busy: another program is using the camera")
        #expect(first.isRunning, "the first monitor went on")

        kill(first.processIdentifier, SIGINT)
        let drain = DispatchQueue.global()
        drain.async { _ = out.fileHandleForReading.readDataToEndOfFile() }
        first.waitUntilExit()
        #expect(first.terminationStatus == 0, "the first monitor stopped by Ctrl-C: status \(first.terminationStatus)")
        let after = try ErrorPathTests.run(["--device", "sim:\(SharedClip.path)?pace=demand", "--size", "320x240", "--json"],
                                           environment: shared)
        #expect(after.status == 0, "free again once the first stopped: status \(after.status); \(after.stderr)")
    }

    /// A folder served by sim: whose picture cannot be read: the camera fails naming the picture (exit 3),
    /// at the first frame or mid-way (the frames before it are served), not "VIDIOC_STREAMON ... Input/output
    /// error" or a stream that seems to end.
    @Test(arguments: ["a.jpg", "c.jpg"])
    func aSimulatedFolderNamesItsUnreadablePicture(bad: String) throws {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable))
        let folder = try ErrorPathTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["a.jpg", "b.pgm", "c.jpg", "d.pgm"] {
            let file = folder.appendingPathComponent(name)
            if name == bad {
                try Data("not a picture".utf8).write(to: file)
            } else {
                try ErrorPathTests.pgm().write(to: file.deletingPathExtension().appendingPathExtension("pgm"))
            }
        }
        let run = try ErrorPathTests.run(["--device", "sim:\(folder.path)?pace=demand", "--size", "64x48", "--json"])
        Self.expectOneLine(run, status: 3, "cannot read image \(folder.appendingPathComponent(bad).path)")
        let records = run.stdout.split(separator: "\n")
        // Served before the bad picture: a and b (the last may still be in vision when the camera fails).
        let before = bad == "a.jpg" ? 0...0 : 1...2
        #expect(before.contains(records.count), "the frames before the bad picture: \(records.count)")
    }
}
