import Testing
@testable import Evaluation

@Suite struct BlinkAnnotationsTests {
    @Test func tagLinesSharingAnIdFormOneBlink() throws {
        let text = """
            #eye-blink annotation file version 1.1
            #start
            1:-1:X:X:X:X:X:68:81
            2:1:X:X:X:X:X:68:81
            3:1:C:X:C:X:X:68:81
            4:1:X:X:X:X:X:68:81
            5:-1:X:X:X:X:X:68:81
            9:2:X:X:X:X:X:68:81
            10:2:X:X:X:X:X:68:81
            #end
            """
        #expect(try BlinkAnnotations.tagRanges(text: text, name: "t") == [2...4, 9...10])
    }

    @Test func textWithoutStartIsRefused() {
        #expect(throws: AnnotationError.self) { try BlinkAnnotations.tagRanges(text: "1:-1:X\n", name: "t") }
    }

    @Test func malformedLineIsRefused() {
        #expect(throws: AnnotationError.self) {
            try BlinkAnnotations.tagRanges(text: "#start\nframe one:1:X\n", name: "t")
        }
    }

    @Test func missingFolderIsRefused() {
        #expect(throws: AnnotationError.self) { try BlinkAnnotations.load(folder: "/no/such/folder") }
    }

    @Test func sharedClipsUseTheMappedRanges() throws {
        guard let data = SharedData.dataFolder else {
            print("skipped: ../shared/data not found")
            return
        }
        let clips = try BlinkAnnotations.load(folder: data + "/zju-eyeblink")
        #expect(clips.count == 40)
        #expect(clips.reduce(0) { $0 + $1.blinks.count } == 149)
        let first = try #require(clips.first { $0.name == "1_000001M_FBN" })
        // blinks.csv's est_nominal_first/last for this clip, not the .tag's frame numbers (33-47, ...).
        #expect(first.blinks == [35...50, 83...99, 128...141])
        #expect(first.condition == "FBN")
    }
}
