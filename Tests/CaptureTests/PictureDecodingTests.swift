import Capture
import Foundation
import Testing

/// Pictures as they arrive over the network: the header read before decoding, the limits, the scaling.
@Suite struct PictureDecodingTests {
    static func bytes(_ sub: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: TestData.root + "/" + sub)))
    }

    static var hasPictures: Bool { access(TestData.root + "/videos/image00.jpg", R_OK) == 0 }

    /// Real files' headers give the sizes `file(1)` reports for them: a progressive JPEG (its SOF2 comes
    /// after several segments), a baseline one, a palette PNG.
    @Test(.enabled(if: hasPictures, "needs ../shared/data"))
    func headersOfRealFiles() throws {
        #expect(PictureDecoding.header(try Self.bytes("videos/image00.jpg")) == .init(format: .jpeg, width: 1280, height: 1919))
        #expect(PictureDecoding.header(try Self.bytes("videos/image02.jpg")) == .init(format: .jpeg, width: 1280, height: 853))
        #expect(PictureDecoding.header(try Self.bytes("faces-68/300w_indoor_020.png")) == .init(format: .png, width: 726, height: 768))
        #expect(PictureDecoding.header(try Self.bytes("noface/frame_000101.jpg")) == .init(format: .jpeg, width: 320, height: 240))
    }

    /// Neither JPEG nor PNG, or cut before the size: no header.
    @Test(arguments: [
        [UInt8](),
        Array("GIF89a....".utf8),
        [0xFF, 0xD8],
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10],            // a JFIF segment cut short
        [0xFF, 0xD8, 0x00, 0x00, 0x00, 0x00],            // no marker where one must be
        [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00], // a start of frame cut before its size
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44], // PNG cut in IHDR
    ])
    func noHeader(bytes: [UInt8]) {
        #expect(PictureDecoding.header(bytes) == nil)
    }

    /// A picture larger than the side limit is scaled down, its aspect kept; a small one is left as it is.
    @Test(.enabled(if: hasPictures, "needs ../shared/data"))
    func largePicturesAreScaledDown() throws {
        let large = try PictureDecoding.decodeGray(try Self.bytes("videos/image02.jpg"), maxSide: 1024, maxPixels: 40_000_000)
        #expect(large.width == 1024 && large.height == 682)
        #expect(large.gray.count == 1024 * 682)
        let png = try PictureDecoding.decodeGray(try Self.bytes("faces-68/300w_indoor_020.png"), maxSide: 1024, maxPixels: 40_000_000)
        #expect(png.width == 726 && png.height == 768)
        // Not a flat picture: the decoding gave the photo.
        #expect(Set(png.gray).count > 100)
    }

    /// A header that claims more pixels than allowed is refused before decoding; so are other formats and
    /// damaged pictures, each with its reason.
    @Test(.enabled(if: hasPictures, "needs ../shared/data"))
    func refusals() throws {
        let jpeg = try Self.bytes("videos/image00.jpg")
        #expect(throws: PictureDecoding.Problem.self) { try PictureDecoding.decodeGray(jpeg, maxSide: 1024, maxPixels: 2_000_000) }
        do {
            _ = try PictureDecoding.decodeGray(Array(jpeg.prefix(jpeg.count / 2)), maxSide: 1024, maxPixels: 40_000_000)
            Issue.record("a JPEG cut in half decoded")
        } catch {
            #expect(error.description == "the JPEG picture is cut short (no end marker)")
        }
        // Everything up to the image data, then the end: a JPEG with no picture in it.
        let scan = try #require(zip(jpeg.indices, jpeg.dropFirst()).first { jpeg[$0.0] == 0xFF && $0.1 == 0xDA }?.0)
        do {
            _ = try PictureDecoding.decodeGray(Array(jpeg[..<scan]) + [0xFF, 0xD9], maxSide: 1024, maxPixels: 40_000_000)
            Issue.record("a JPEG without image data decoded")
        } catch {
            #expect(error.description.contains("does not decode"))
        }
        let png = try Self.bytes("faces-68/300w_indoor_020.png")
        do {
            _ = try PictureDecoding.decodeGray(Array(png.prefix(png.count - 40)), maxSide: 1024, maxPixels: 40_000_000)
            Issue.record("a PNG cut short decoded")
        } catch {
            #expect(error.description == "the PNG picture is cut short (no end marker)")
        }
        do {
            _ = try PictureDecoding.decodeGray(Array("GIF89a".utf8) + [UInt8](repeating: 0, count: 100), maxSide: 1024, maxPixels: 40_000_000)
            Issue.record("a GIF was taken")
        } catch {
            #expect(error.description == "not a JPEG or PNG picture")
        }
    }

    /// A JPEG made by `PictureEncoding` reads back at its size.
    @Test func encodedJPEGReadsBack() throws {
        let width = 64, height = 48
        var bgr = [UInt8](repeating: 0, count: width * height * 3)
        for i in bgr.indices { bgr[i] = UInt8(i % 251) }
        let jpeg = try PictureEncoding.jpeg(bgr: bgr, width: width, height: height, quality: 90)
        #expect(PictureDecoding.header(jpeg) == .init(format: .jpeg, width: width, height: height))
        let back = try PictureDecoding.decodeGray(jpeg, maxSide: 1024, maxPixels: 1_000_000)
        #expect(back.width == width && back.height == height)
    }
}
