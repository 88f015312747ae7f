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

    @Test func imageExtensionsAreRecognised() {
        #expect(ImageFolderSource.isImage("a/b/frame_001.JPG"))
        #expect(ImageFolderSource.isImage("x.png"))
        #expect(!ImageFolderSource.isImage("clip.mp4"))
        #expect(!ImageFolderSource.isImage("README"))
    }
}
