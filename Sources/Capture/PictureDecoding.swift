import CVision

/// A picture that arrives as bytes over the network (a WebSocket frame, an upload), turned into a frame's
/// greyscale pixels. Only JPEG and PNG are taken: the header is read first, so a format nobody sends, or a
/// small file that claims a huge picture (a "decompression bomb"), is refused before any decoding.
public enum PictureDecoding {
    /// Why bytes gave no picture; one line for the sender.
    public struct Problem: Error, CustomStringConvertible, Sendable, Equatable {
        public var description: String
    }

    public enum Format: String, Sendable { case jpeg, png }

    /// What a picture's header says, without decoding it.
    public struct Header: Sendable, Equatable {
        public var format: Format
        public var width: Int
        public var height: Int

        public init(format: Format, width: Int, height: Int) {
            self.format = format
            self.width = width
            self.height = height
        }
    }

    /// The format and size a JPEG or PNG header gives; nil when the bytes are neither, or cut off before the
    /// size. (JPEG: the first start-of-frame segment; PNG: the IHDR chunk, which must come first.)
    public static func header(_ bytes: [UInt8]) -> Header? {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        if bytes.count >= 24, Array(bytes[0..<8]) == png, Array(bytes[12..<16]) == Array("IHDR".utf8) {
            return Header(format: .png, width: bigEndian(bytes, at: 16, count: 4), height: bigEndian(bytes, at: 20, count: 4))
        }
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var i = 2
        while i + 1 < bytes.count {
            guard bytes[i] == 0xFF else { return nil } // segments follow each other; anything else is damage
            let marker = bytes[i + 1]
            if marker == 0xFF { i += 1; continue } // fill byte
            // Markers without a length: restart markers, TEM; start of image again is damage.
            if (0xD0...0xD7).contains(marker) || marker == 0x01 { i += 2; continue }
            guard marker != 0xD8, marker != 0xD9, marker != 0xDA, i + 3 < bytes.count else { return nil }
            let length = bigEndian(bytes, at: i + 2, count: 2)
            // Start of frame: every SOFn except DHT (C4), JPG (C8) and DAC (CC), which share the range.
            if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC {
                guard i + 8 < bytes.count else { return nil }
                return Header(format: .jpeg, width: bigEndian(bytes, at: i + 7, count: 2),
                              height: bigEndian(bytes, at: i + 5, count: 2))
            }
            guard length >= 2 else { return nil }
            i += 2 + length
        }
        return nil
    }

    /// Decodes JPEG or PNG bytes to greyscale, scaled down so that neither side exceeds `maxSide`.
    /// Refuses other formats, pictures whose header claims more than `maxPixels`, and bytes that do not
    /// decode.
    public static func decodeGray(_ bytes: [UInt8], maxSide: Int, maxPixels: Int) throws(Problem)
        -> (gray: [UInt8], width: Int, height: Int)
    {
        let header = try checked(bytes, maxPixels: maxPixels)
        let capacity = min(header.width * header.height, maxSide * maxSide)
        var width: Int32 = 0, height: Int32 = 0
        var error = cvs_error()
        var status = CVS_OK
        let gray = [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
            status = bytes.withUnsafeBufferPointer {
                cvs_image_decode_gray($0.baseAddress, $0.count, Int32(maxSide), out.baseAddress, capacity,
                                      &width, &height, &error)
            }
            count = status == CVS_OK ? Int(width) * Int(height) : 0
        }
        guard status == CVS_OK else { throw undecodable(header) }
        return (gray, Int(width), Int(height))
    }

    /// The same in colour (face matching's network takes colour): packed B, G, R, 3 bytes a pixel, and the
    /// grey made from them, both scaled down so that neither side exceeds `maxSide`; the same refusals.
    public static func decodeColour(_ bytes: [UInt8], maxSide: Int, maxPixels: Int) throws(Problem)
        -> (bgr: [UInt8], gray: [UInt8], width: Int, height: Int)
    {
        let header = try checked(bytes, maxPixels: maxPixels)
        let capacity = min(header.width * header.height, maxSide * maxSide)
        var width: Int32 = 0, height: Int32 = 0
        var error = cvs_error()
        var status = CVS_OK
        var gray = [UInt8](repeating: 0, count: capacity)
        var bgr = [UInt8](repeating: 0, count: capacity * 3)
        bytes.withUnsafeBufferPointer { data in
            bgr.withUnsafeMutableBufferPointer { colour in
                gray.withUnsafeMutableBufferPointer { grey in
                    status = cvs_image_decode_bgr(data.baseAddress, data.count, Int32(maxSide), colour.baseAddress,
                                                  grey.baseAddress, capacity, &width, &height, &error)
                }
            }
        }
        guard status == CVS_OK else { throw undecodable(header) }
        let pixels = Int(width) * Int(height)
        gray.removeSubrange(pixels...)
        bgr.removeSubrange((pixels * 3)...)
        return (bgr, gray, Int(width), Int(height))
    }

    /// The header of bytes that may be decoded: JPEG or PNG, a size, no more than `maxPixels`, whole.
    static func checked(_ bytes: [UInt8], maxPixels: Int) throws(Problem) -> Header {
        guard let header = header(bytes) else { throw Problem(description: "not a JPEG or PNG picture") }
        guard header.width > 0, header.height > 0 else { throw Problem(description: "the \(header.format.rawValue.uppercased()) header gives no size") }
        guard header.width <= maxPixels / header.height else {
            throw Problem(description: "picture of \(header.width)x\(header.height) is larger than the \(maxPixels / 1_000_000) megapixels taken")
        }
        // OpenCV decodes a JPEG cut short as far as it goes (grey below) and says nothing: a frame cut in
        // transit must not pass for a picture of half a face.
        guard isComplete(bytes, header.format) else {
            throw Problem(description: "the \(header.format.rawValue.uppercased()) picture is cut short (no end marker)")
        }
        return header
    }

    private static func undecodable(_ header: Header) -> Problem {
        Problem(description: "the \(header.format.rawValue.uppercased()) picture does not decode (damaged or cut short)")
    }

    /// Whether the picture's end marker is there: JPEG's end of image (FF D9), PNG's IEND chunk, each
    /// allowing a few bytes of padding after it.
    static func isComplete(_ bytes: [UInt8], _ format: Format) -> Bool {
        let tail = bytes.suffix(32)
        switch format {
        case .jpeg: return zip(tail, tail.dropFirst()).contains { $0 == 0xFF && $1 == 0xD9 }
        case .png: return tail.firstRange(of: Array("IEND".utf8)) != nil
        }
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int, count: Int) -> Int {
        var value = 0
        for k in 0..<count { value = value << 8 | Int(bytes[offset + k]) }
        return value
    }
}

/// Pictures made for sending: the frames a test or a load client sends to `gazetop serve`.
public enum PictureEncoding {
    /// Packed BGR (`width * height * 3` bytes) as a baseline JPEG of `quality` (1-100).
    public static func jpeg(bgr: [UInt8], width: Int, height: Int, quality: Int) throws(PictureDecoding.Problem) -> [UInt8] {
        precondition(bgr.count == width * height * 3, "BGR pixels must fill width x height")
        let capacity = width * height * 3 + 4096 // a JPEG of noise can be larger than its pixels
        var size = 0
        var error = cvs_error()
        var out = [UInt8](repeating: 0, count: capacity)
        let status = out.withUnsafeMutableBufferPointer {
            cvs_jpeg_encode_bgr(bgr, Int32(width), Int32(height), Int32(quality), $0.baseAddress, capacity, &size, &error)
        }
        guard status == CVS_OK else { throw PictureDecoding.Problem(description: CVisionText.message(error)) }
        return Array(out[..<size])
    }
}

/// A video file written frame by frame (OpenCV's writer over FFmpeg): the recordings tests upload, e.g. a
/// VP8 WebM as a browser's MediaRecorder makes. The file is finished by `finish()` or when this goes.
public final class VideoEncoding {
    private var handle: OpaquePointer?
    public let width: Int
    public let height: Int

    /// Opens `path` (its extension picks the container) for `fourcc` ("VP80", "mp4v") at `fps`.
    public init(path: String, fourcc: String, fps: Double, width: Int, height: Int) throws(PictureDecoding.Problem) {
        var error = cvs_error()
        guard let handle = cvs_video_writer_create(path, fourcc, fps, Int32(width), Int32(height), &error) else {
            throw PictureDecoding.Problem(description: CVisionText.message(error))
        }
        self.handle = handle
        self.width = width
        self.height = height
    }

    deinit { finish() }

    /// Appends a frame of packed BGR (`width * height * 3` bytes).
    public func write(bgr: [UInt8]) throws(PictureDecoding.Problem) {
        precondition(bgr.count == width * height * 3, "BGR pixels must fill width x height")
        guard let handle else { return }
        var error = cvs_error()
        guard cvs_video_writer_write_bgr(handle, bgr, &error) == CVS_OK else {
            throw PictureDecoding.Problem(description: CVisionText.message(error))
        }
    }

    /// Finishes the file; later writes are ignored.
    public func finish() {
        if let handle { cvs_video_writer_destroy(handle) }
        handle = nil
    }
}
