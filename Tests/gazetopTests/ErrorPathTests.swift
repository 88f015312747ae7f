import Foundation
import Testing

/// The built `gazetop` executable on inputs that cannot work: each run must fail with a non-zero status
/// (the one `CommandFailure` documents for its kind), say why in exactly one line on stderr starting with
/// "gazetop: ", print nothing on stdout, and leave no output file, partial or temporary, behind.
@Suite struct ErrorPathTests {
    /// `gazetop` is built into the same folder as the test bundle (`.build/<config>/`).
    static let executable: String = {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("gazetop").path
    }()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// - Parameter stdoutTo: a file standard output goes to instead of a pipe (its `Run.stdout` is empty).
    /// Each run has a runtime folder of its own ($XDG_RUNTIME_DIR, where a simulated camera's lock is), so
    /// tests that stream the same clip side by side do not find it busy; `environment` may name a shared one.
    static func run(_ arguments: [String], timeoutSeconds: Double = 120, environment extra: [String: String] = [:],
                    stdoutTo: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GAZETOP_MODEL"] = nil
        let runtime = try scratch()
        defer { try? FileManager.default.removeItem(at: runtime) }
        environment["XDG_RUNTIME_DIR"] = runtime.path
        environment.merge(extra) { $1 }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        if let stdoutTo {
            guard let file = FileHandle(forWritingAtPath: stdoutTo) else { throw CocoaError(.fileWriteNoPermission) }
            process.standardOutput = file
            try? out.fileHandleForWriting.close()
        } else {
            process.standardOutput = out
        }
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes to the end before waiting, so a chatty child cannot fill a pipe and stall.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        DispatchQueue.global().async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        if group.wait(timeout: .now() + timeoutSeconds) == .timedOut {
            process.terminate()
            Issue.record("gazetop \(arguments.joined(separator: " ")) did not finish in \(Int(timeoutSeconds)) s")
        }
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A scratch folder; removed by the caller.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A small grey picture as a binary PGM, which OpenCV reads without any codec library.
    static func pgm(width: Int = 64, height: Int = 48) -> Data {
        var data = Data("P5\n\(width) \(height)\n255\n".utf8)
        data.append(contentsOf: (0..<(width * height)).map { UInt8(truncatingIfNeeded: $0 * 7) })
        return data
    }

    /// 1 KB that is no model: deterministic bytes, not zeros (which a reader might take for empty sizes).
    static let junk = Data((0..<1024).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) })

    enum Case: String, CaseIterable, CustomTestStringConvertible {
        case missingFile, textFileNamedMp4, emptyFolder, missingModel, corruptModel, unwritableOutput, onlyJunkImages
        case missingModelInEnvironment, outputOnAFullDisk, standardOutputOnAFullDisk

        var testDescription: String { rawValue }

        /// The exit status `CommandFailure.Kind` gives this kind of trouble.
        var status: Int32 {
            switch self {
            case .missingFile, .textFileNamedMp4, .emptyFolder, .onlyJunkImages: 3
            case .missingModel, .corruptModel, .missingModelInEnvironment: 4
            case .unwritableOutput, .outputOnAFullDisk, .standardOutputOnAFullDisk: 5
            }
        }

        /// The environment gazetop runs with, beyond the test's own (without `GAZETOP_MODEL`).
        func environment(in folder: URL) -> [String: String] {
            self == .missingModelInEnvironment ? ["GAZETOP_MODEL": folder.appendingPathComponent("missing.dat").path] : [:]
        }

        /// Where standard output goes, when not to the test's pipe: /dev/full fails every write with ENOSPC.
        var stdoutTo: String? { self == .standardOutputOnAFullDisk ? "/dev/full" : nil }

        /// Sets the case up in `folder` and returns gazetop's arguments, writing records to `output`.
        func arguments(in folder: URL, output: String) throws -> [String] {
            let image = folder.appendingPathComponent("face.pgm")
            func writeImage() throws -> String {
                try ErrorPathTests.pgm().write(to: image)
                return image.path
            }
            switch self {
            case .missingFile:
                return ["analyze", folder.appendingPathComponent("no-such-clip.mp4").path, "-o", output]
            case .textFileNamedMp4:
                let clip = folder.appendingPathComponent("notes.mp4")
                try Data("this is text, not a video\n".utf8).write(to: clip)
                return ["analyze", clip.path, "-o", output]
            case .emptyFolder:
                let empty = folder.appendingPathComponent("empty")
                try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: false)
                return ["analyze", empty.path, "-o", output]
            case .missingModel:
                return ["analyze", try writeImage(), "--model", "/nonexistent", "-o", output]
            case .corruptModel:
                let model = folder.appendingPathComponent("junk.dat")
                try ErrorPathTests.junk.write(to: model)
                return ["analyze", try writeImage(), "--model", model.path, "-o", output]
            case .unwritableOutput:
                return ["analyze", try writeImage(), "-o", folder.appendingPathComponent("no/such/folder/out.jsonl").path]
            case .onlyJunkImages:
                // A folder's pictures that cannot be read are passed over, but with none readable there is
                // nothing to analyse.
                let frames = folder.appendingPathComponent("frames")
                try FileManager.default.createDirectory(at: frames, withIntermediateDirectories: false)
                try Data("not a picture".utf8).write(to: frames.appendingPathComponent("a.jpg"))
                try Data("nor this".utf8).write(to: frames.appendingPathComponent("b.png"))
                return ["analyze", frames.path, "-o", output]
            case .missingModelInEnvironment:
                // A model the user named is the one used or none: not another found further down the list.
                return ["analyze", try writeImage(), "-o", output]
            case .outputOnAFullDisk:
                return ["analyze", try writeImage(), "-o", "/dev/full"]
            case .standardOutputOnAFullDisk:
                return ["analyze", try writeImage()]
            }
        }
    }

    @Test func executableIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.executable),
                "no gazetop at \(Self.executable): build it with `swift build -c release`")
    }

    @Test(arguments: Case.allCases)
    func failsWithOneLine(_ c: Case) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable), "no gazetop at \(Self.executable)")
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.jsonl").path
        let arguments = try c.arguments(in: folder, output: output)
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))

        let run = try Self.run(arguments, environment: c.environment(in: folder), stdoutTo: c.stdoutTo)

        #expect(run.status != 0, "\(c): exit status 0")
        #expect(run.status == c.status, "\(c): exit status \(run.status), expected \(c.status); stderr: \(run.stderr)")
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "\(c): stderr is not one line: \(run.stderr.debugDescription)")
        #expect(run.stderr.hasPrefix("gazetop: "), "\(c): stderr \(run.stderr.debugDescription)")
        #expect(run.stdout.isEmpty, "\(c): stdout \(run.stdout.debugDescription)")
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(after == before, "\(c): left behind \(after.subtracting(before).sorted())")
        print("\(c): status \(run.status), \(run.stderr.trimmingCharacters(in: .newlines))")
    }

    /// Ctrl-C (SIGINT) or SIGTERM during `analyze -o FILE`: the status shells expect of a run a signal
    /// stopped (128 + the signal), one line, and no file, partial or temporary.
    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func aSignalStopsARunWithItsOwnStatusAndNoFile(signal: Int32, status: Int32) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable), "no gazetop at \(Self.executable)")
        let clip = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/videos/video00.mp4").path
        guard FileManager.default.isReadableFile(atPath: clip) else {
            print("skipped: \(clip) missing (../shared/data)")
            return
        }
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["analyze", clip, "-o", folder.appendingPathComponent("out.jsonl").path]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The temporary output appears once the run is under way (after the signals are caught), well
        // before its 433 frames are done.
        var started = false
        let deadline = Date().addingTimeInterval(120) // a generous bound: model loading on a loaded machine
        while !started && Date() < deadline {
            started = (try FileManager.default.contentsOfDirectory(atPath: folder.path)).contains { $0.hasPrefix("out.jsonl.tmp") }
            if !started { usleep(10_000) }
        }
        #expect(started, "the run never began writing")
        kill(process.processIdentifier, signal)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == status,
                "status \(process.terminationStatus) (\(process.terminationReason == .exit ? "exit" : "signal")); \(stderr)")
        #expect(stderr == "gazetop: interrupted; nothing written\n", "stderr \(stderr.debugDescription)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "a file was left behind")
    }

    /// One junk picture among a folder's (defect 11): the folder is analysed, the picture passed over and
    /// named, and exit 14 says the records are not the whole folder (it aborted the folder, exit 3).
    @Test func aJunkPictureInAFolderIsSkippedAndNamed() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable), "no gazetop at \(Self.executable)")
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let frames = folder.appendingPathComponent("frames")
        try FileManager.default.createDirectory(at: frames, withIntermediateDirectories: false)
        for name in ["a.pgm", "c.pgm", "d.pgm"] { try Self.pgm().write(to: frames.appendingPathComponent(name)) }
        let junk = frames.appendingPathComponent("b.jpg")
        try Data("not a picture".utf8).write(to: junk)
        let output = folder.appendingPathComponent("out.jsonl").path
        let run = try Self.run(["analyze", frames.path, "-o", output])
        #expect(run.status == 14, "status \(run.status); \(run.stderr)")
        #expect(run.stderr == "gazetop: \(frames.path): 1 of 4 pictures skipped (cannot read image \(junk.path): not an image OpenCV can decode)\n",
                "\(run.stderr.debugDescription)")
        let records = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(records.count == 3, "a record for each readable picture: \(records.count)")
        // The skipped picture's time stays empty: the pictures after it keep their place at 30 fps.
        #expect(records.last?.contains("\"t\":100") == true, "\(records.last ?? "")")
    }

    /// A folder of videos (defect 11: "no images in folder") is its videos, in name order, as if each were
    /// named: the same records, each naming its source.
    @Test func aFolderOfVideosIsItsVideos() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable), "no gazetop at \(Self.executable)")
        guard SharedClip.available else {
            print("skipped: \(SharedClip.skipMessage)")
            return
        }
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let videos = folder.appendingPathComponent("videos")
        try FileManager.default.createDirectory(at: videos, withIntermediateDirectories: false)
        // Links to the shared clip (no copy of the data); a text file beside them is not a video.
        for name in ["b.mp4", "a.mp4"] {
            try FileManager.default.createSymbolicLink(atPath: videos.appendingPathComponent(name).path, withDestinationPath: SharedClip.path)
        }
        try Data("notes".utf8).write(to: videos.appendingPathComponent("notes.txt"))
        let fromFolder = folder.appendingPathComponent("folder.jsonl").path, fromFiles = folder.appendingPathComponent("files.jsonl").path
        let run = try Self.run(["analyze", videos.path, "-o", fromFolder])
        #expect(run.status == 0, "status \(run.status); \(run.stderr)")
        let named = try Self.run(["analyze", videos.path + "/a.mp4", videos.path + "/b.mp4", "-o", fromFiles])
        #expect(named.status == 0, "status \(named.status); \(named.stderr)")
        // Each record's "ms" is the time vision took, different every run: the rest must be the same.
        func judged(_ path: String) throws -> String {
            try String(contentsOfFile: path, encoding: .utf8).replacing(/,"ms":[0-9.]+/, with: "")
        }
        let a = try judged(fromFolder), b = try judged(fromFiles)
        #expect(a == b, "the folder's records differ from its videos named one by one")
        #expect(a.split(separator: "\n").first?.contains("a.mp4") == true && a.split(separator: "\n").last?.contains("b.mp4") == true)
    }

    /// A video cut short (half its bytes, as an interrupted download leaves it) is not passed off as whole:
    /// the records of the frames it has are written, and one line and exit 14 say it ended early. One cut
    /// before its index (an MP4 whose moov box comes last) cannot be read at all, and is named as such.
    @Test func aVideoCutShortSaysSo() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable), "no gazetop at \(Self.executable)")
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data")
        let whole = data.appendingPathComponent("videos/video00.mp4"), indexLast = data.appendingPathComponent("zju-eyeblink/2_000001M_FNN.mp4")
        guard FileManager.default.isReadableFile(atPath: whole.path), FileManager.default.isReadableFile(atPath: indexLast.path) else {
            print("skipped: ../shared/data missing")
            return
        }
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        func half(_ url: URL) throws -> String {
            let bytes = try Data(contentsOf: url)
            let cut = folder.appendingPathComponent("half-" + url.lastPathComponent)
            try bytes.prefix(bytes.count / 2).write(to: cut)
            return cut.path
        }
        let output = folder.appendingPathComponent("out.jsonl").path
        let cut = try half(whole)
        let run = try Self.run(["analyze", cut, "-o", output])
        #expect(run.status == 14, "status \(run.status); \(run.stderr)")
        #expect(run.stderr.hasPrefix("gazetop: \(cut) ended early, after ") && run.stderr.hasSuffix(" frames (the file is cut short or damaged)\n")
                && run.stderr.split(separator: "\n").count == 1, "\(run.stderr.debugDescription)")
        let records = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(records.count > 100 && records.count < 433, "\(records.count) records of video00's 433 frames")
        #expect(run.stderr.contains("after \(records.count) of 433 frames"), "\(run.stderr)")

        let unindexed = try half(indexLast)
        let refused = try Self.run(["analyze", unindexed, "-o", output])
        #expect(refused.status == 3, "status \(refused.status); \(refused.stderr)")
        #expect(refused.stderr == "gazetop: cannot read video \(unindexed): an MP4/MOV file whose index (its moov box) is missing: cut short, or still being written\n",
                "\(refused.stderr.debugDescription)")
    }
}
