import Capture
import Foundation
import GazeCore
import Testing
import Vision

/// What `match` reads from an input, and its one-line refusals.
@Suite(.enabled(if: MatchModels.isInstalled, "face-matching models absent from models/: run make face-models"),
       .enabled(if: TestData.exists("faces"), "../shared/data/faces is absent"))
struct FaceReaderTests {
    @Test func aPortraitGivesOneFace() throws {
        let sample = try MatchModels.use { try $0.read(TestData.path("faces/Tom_Cruise_avp_2014_4.jpg")) }
        #expect(sample.kind == .photo)
        #expect(sample.faces.count == 1)
    }

    @Test func twoFacesAreRefused() throws {
        let path = TestData.path("faces/2008_001009.jpg")
        #expect(throws: FaceInputError.severalFaces(path: path, count: 2)) {
            try MatchModels.use { try $0.read(path) }
        }
    }

    @Test func noFaceIsRefused() throws {
        let frames = TestData.files(in: "noface", extensions: ["png", "jpg"])
        try #require(!frames.isEmpty, "../shared/data/noface has no frames")
        let path = TestData.path("noface/" + frames[0])
        #expect(throws: FaceInputError.noFace(path: path)) { try MatchModels.use { try $0.read(path) } }
    }

    @Test func aVideoGivesItsBestFrames() throws {
        let path = TestData.path("zju-eyeblink/18_000005M_FNN.mp4")
        let sample = try MatchModels.use { try $0.read(path) }
        #expect(sample.kind == .video)
        #expect(sample.faces.count == MatchConfig().bestFrames)
        #expect(Set(sample.faces.compactMap(\.frame)).count == MatchConfig().bestFrames)
    }

    @Test func aMissingModelNamesTheFetchCommand() {
        do {
            _ = try FaceEncoder(folder: "/nonexistent")
            Issue.record("loaded models from nowhere")
        } catch {
            #expect(error.description.contains("make face-models"))
            #expect(error.description.contains("/nonexistent"))
        }
    }

    @Test func aCorruptModelIsAOneLineError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-corrupt-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(atPath: MatchModels.folder + "/" + FaceEncoder.alignmentFile,
                                         toPath: folder.path + "/" + FaceEncoder.alignmentFile)
        // The network's first megabyte only: a download cut short.
        let network = try Data(contentsOf: URL(fileURLWithPath: MatchModels.folder + "/" + FaceEncoder.networkFile))
        try network.prefix(1 << 20).write(to: folder.appendingPathComponent(FaceEncoder.networkFile))
        do {
            _ = try FaceEncoder(folder: folder.path)
            Issue.record("a truncated network loaded")
        } catch {
            #expect(error.description.contains("corrupt"))
            #expect(!error.description.contains("\n"))
        }
    }
}
