import Capture
import Testing

@Suite struct FormatNegotiationTests {
    static func format(_ fourcc: FourCC, _ sizes: [(Int, Int, [Double])], emulated: Bool = false) -> OfferedFormat {
        OfferedFormat(fourcc: fourcc, name: "\(fourcc)", emulated: emulated,
                      sizes: sizes.map { OfferedSize(width: $0.0, height: $0.1, rates: $0.2) })
    }

    /// A typical UVC webcam: YUYV is slow at large sizes, MJPG is fast everywhere.
    static let webcam = [
        format(.yuyv, [(640, 480, [30, 15]), (1280, 720, [10, 5]), (320, 240, [30])]),
        format(.mjpeg, [(640, 480, [30]), (1280, 720, [30]), (1920, 1080, [30])]),
    ]

    @Test func prefersUncompressedLumaAtTheRequestedSizeAndRate() {
        let chosen = FormatNegotiation.choose(from: Self.webcam, for: CaptureRequest(width: 640, height: 480, fps: 30))
        #expect(chosen == CaptureFormat(fourcc: .yuyv, width: 640, height: 480, fps: 30))
    }

    @Test func takesMJPEGWhenYUYVCannotKeepTheRate() {
        let chosen = FormatNegotiation.choose(from: Self.webcam, for: CaptureRequest(width: 1280, height: 720, fps: 30))
        #expect(chosen == CaptureFormat(fourcc: .mjpeg, width: 1280, height: 720, fps: 30))
    }

    @Test func decodesMJPEGAtReducedScaleWhenThatStillCoversTheRequest() {
        let offered = [Self.format(.mjpeg, [(1280, 960, [30]), (2560, 1920, [30])])]
        let chosen = FormatNegotiation.choose(from: offered, for: CaptureRequest(width: 640, height: 480, fps: 30))
        #expect(chosen == CaptureFormat(fourcc: .mjpeg, width: 1280, height: 960, fps: 30, reduction: 2))
    }

    @Test func prefersGreyOverYUYVAtTheSameSize() {
        let offered = [Self.format(.yuyv, [(640, 480, [30])]), Self.format(.grey, [(640, 480, [30])])]
        #expect(FormatNegotiation.choose(from: offered, for: CaptureRequest())?.fourcc == .grey)
    }

    @Test func takesTheClosestSizeAndTheSlowestRateAtLeastAsFastAsAsked() {
        let offered = [Self.format(.yuyv, [(320, 240, [60, 30, 15]), (1920, 1080, [5])])]
        #expect(FormatNegotiation.choose(from: offered, for: CaptureRequest(width: 640, height: 480, fps: 25))
            == CaptureFormat(fourcc: .yuyv, width: 320, height: 240, fps: 30))
    }

    @Test func snapsARequestIntoAStepwiseRange() {
        var ranged = Self.format(.grey, [(160, 120, [30]), (1280, 960, [30])])
        ranged.sizeStep = (16, 8)
        #expect(FormatNegotiation.choose(from: [ranged], for: CaptureRequest(width: 650, height: 485, fps: 30))
            == CaptureFormat(fourcc: .grey, width: 640, height: 480, fps: 30))
    }

    @Test func refusesWhenNothingOfferedIsReadable() {
        let offered = [Self.format(.h264, [(640, 480, [30])]), Self.format(.yuyv, [(640, 480, [30])], emulated: true)]
        #expect(FormatNegotiation.choose(from: offered, for: CaptureRequest()) == nil)
    }
}
