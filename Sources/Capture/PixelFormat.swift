import CV4L2

/// A V4L2 pixel format code: four ASCII characters packed little-endian, as `v4l2_fourcc` makes them.
public struct FourCC: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// From its four characters ("YUYV"); nil unless exactly four ASCII characters.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 4, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        rawValue = bytes.enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }

    public var description: String {
        let bytes = (0..<4).map { UInt8(truncatingIfNeeded: rawValue >> (8 * $0)) }
        return String(decoding: bytes, as: UTF8.self).trimmingTrailingSpaces
    }

    public static let grey = FourCC(rawValue: cv4l2_PIX_FMT_GREY)
    public static let yuyv = FourCC(rawValue: cv4l2_PIX_FMT_YUYV)
    public static let mjpeg = FourCC(rawValue: cv4l2_PIX_FMT_MJPEG)
    public static let jpeg = FourCC(rawValue: cv4l2_PIX_FMT_JPEG)
    public static let h264 = FourCC(rawValue: cv4l2_PIX_FMT_H264)

    /// Formats gazetop turns into grey pixels itself, best first: GREY and YUYV carry luma as it is,
    /// (M)JPEG needs a decode per frame.
    public static let readable: [FourCC] = [.grey, .yuyv, .mjpeg, .jpeg]

    public var isReadable: Bool { FourCC.readable.contains(self) }
    public var isJPEG: Bool { self == .mjpeg || self == .jpeg }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " || s.last == "\0" { s = s.dropLast() }
        return String(s)
    }
}

/// Text of a fixed-size C char array inside a V4L2 struct (card names, driver names, bus info).
func cText<T>(_ field: T) -> String {
    withUnsafeBytes(of: field) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
}
