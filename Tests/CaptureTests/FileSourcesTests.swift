import Glibc
import Testing
@testable import Capture

@Suite struct FileSourcesTests {
    @Test func missingPathIsNamed() {
        #expect(throws: CaptureError.fileNotFound(path: "/no/such/clip.mp4")) {
            _ = try openFileSource(path: "/no/such/clip.mp4")
        }
    }

    @Test func folderWithoutImagesIsRefused() throws {
        let folder = TestFolder.make()
        #expect(throws: CaptureError.noImagesInFolder(path: folder)) {
            _ = try openFileSource(path: folder)
        }
    }

    @Test func fileThatIsNoVideoIsRefused() throws {
        let folder = TestFolder.make()
        let path = folder + "/notes.mp4"
        TestFolder.write(path, "this is text, not a video\n")
        #expect(throws: CaptureError.self) { _ = try openFileSource(path: path) }
        do {
            _ = try openFileSource(path: path)
        } catch {
            #expect(error == .unreadableVideo(path: path, reason: "") || "\(error)".contains("cannot read video"))
        }
    }

    /// The one-pass grey conversion must give the bytes of the two conversions it replaces (libswscale to
    /// BGR, then OpenCV's grey), which a source keeping colour still makes, on every frame.
    @Test(arguments: ["zju-eyeblink/2_000001M_FNN.mp4", "videos/video00.mp4"])
    func greyInOnePassIsTheGreyOfTheColourPicture(clip: String) throws {
        let path = TestData.root + "/" + clip
        guard access(path, R_OK) == 0 else {
            print("skipped: \(clip) not found in ../shared/data")
            return
        }
        let fast = try VideoFileSource(path: path)
        let long = try VideoFileSource(path: path, keepsColor: true)
        var frames = 0
        while let a = try fast.nextFrame() {
            let b = try #require(try long.nextFrame())
            #expect(a.gray == b.gray, "frame \(frames)")
            frames += 1
        }
        #expect(try long.nextFrame() == nil)
        #expect(frames > 100)
        #expect(fast.makesGreyInOnePass, "the one-pass conversion was not taken on this machine")
        #expect(!long.makesGreyInOnePass)
    }

    @Test func imageExtensionsAreRecognised() {
        #expect(ImageFolderSource.isImage("a/b/frame_001.JPG"))
        #expect(ImageFolderSource.isImage("x.png"))
        #expect(!ImageFolderSource.isImage("clip.mp4"))
        #expect(!ImageFolderSource.isImage("README"))
    }
}
