import CVision
import Glibc

/// Frames of a video file, decoded with FFmpeg's libraries (CVision), at the file's own timestamps.
public final class VideoFileSource: FrameSource {
    public let name: String
    public let nominalFps: Double?
    public let expectedFrameCount: Int?
    public let width: Int
    public let height: Int
    /// Whether to keep each frame's colour pixels too (`lastColorFrame`), for a preview or a simulated
    /// camera that serves colour formats.
    private let keepsColor: Bool
    private let handle: OpaquePointer
    private var sequence = 0
    /// Packed BGR of the last frame read, when `keepsColor`.
    public private(set) var lastColorFrame: [UInt8] = []
    public private(set) var endedEarly = false

    public init(path: String, keepsColor: Bool = false, decoderThreads: Int = 0) throws(CaptureError) {
        guard access(path, F_OK) == 0 else { throw .fileNotFound(path: path) }
        var error = cvs_error()
        guard let handle = cvs_video_open(path, Int32(decoderThreads), &error) else {
            throw .unreadableVideo(path: path, reason: CVisionText.message(error))
        }
        let info = cvs_video_get_info(handle)
        self.handle = handle
        self.name = path
        self.width = Int(info.width)
        self.height = Int(info.height)
        self.nominalFps = info.fps > 0 ? info.fps : nil
        self.expectedFrameCount = info.frame_count > 0 ? Int(info.frame_count) : nil
        self.keepsColor = keepsColor
    }

    deinit { cvs_video_destroy(handle) }

    /// Names that say "video", for finding the videos of a folder (a file named otherwise is still read
    /// as a video when named on its own).
    public static let videoExtensions: Set<String> = ["mp4", "m4v", "mov", "mkv", "webm", "avi", "mpg", "mpeg", "wmv", "flv", "ts", "3gp"]

    public static func isVideo(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: ".") else { return false }
        return videoExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// Whether frames are now made grey in one pass from the decoded YUV, which gives the same bytes as
    /// the two conversions it replaces (checked on the first frame; see CVision's video.cpp).
    public var makesGreyInOnePass: Bool { cvs_video_get_info(handle).one_pass_grey != 0 }

    public func nextFrame() throws(CaptureError) -> Frame? {
        if keepsColor && lastColorFrame.count != width * height * 3 {
            lastColorFrame = [UInt8](repeating: 0, count: width * height * 3)
        }
        var timeMs = 0.0
        var error = cvs_error()
        var status = CVS_OK
        // Not zero-filled first: the decoder writes every pixel of a frame it returns (a 1280x720 frame is
        // 0.9 MB a frame), and nothing reads the buffer when it does not.
        let gray = [UInt8](unsafeUninitializedCapacity: width * height) { g, initialized in
            if keepsColor {
                status = lastColorFrame.withUnsafeMutableBufferPointer { c in
                    cvs_video_read(handle, g.baseAddress, c.baseAddress, g.count, &timeMs, &error)
                }
            } else {
                status = cvs_video_read(handle, g.baseAddress, nil, g.count, &timeMs, &error)
            }
            initialized = status == CVS_OK ? g.count : 0
        }
        switch status {
        case CVS_OK:
            defer { sequence += 1 }
            return Frame(gray: gray, width: width, height: height, timeMs: timeMs, sequence: sequence)
        case CVS_END:
            endedEarly = cvs_video_get_info(handle).ended_early != 0
            return nil
        default:
            throw .decodeFailed(path: name, reason: CVisionText.message(error))
        }
    }
}

/// The image files of a folder (or one image file), in name order, as frames at a fixed rate.
public final class ImageFolderSource: FrameSource {
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "bmp", "pgm", "ppm"]

    public let name: String
    public let nominalFps: Double?
    public var expectedFrameCount: Int? { paths.count }
    public let paths: [String]
    /// Whether a picture that cannot be read is passed over (and listed in `skipped`) rather than thrown.
    private let skipsUnreadable: Bool
    private var index = 0
    private var framesGiven = 0
    public private(set) var skipped: [String] = []

    /// - Parameters:
    ///   - fps: the rate the images are taken to have been shot at (stream time = index / fps; a picture
    ///     passed over leaves its time empty).
    ///   - skipsUnreadable: in a folder, pass over a picture that cannot be read (one junk file among
    ///     hundreds should not cost the rest); when none can be read, the first one's failure is thrown.
    public init(path: String, fps: Double = 30, skipsUnreadable: Bool = false) throws(CaptureError) {
        var isFolder = false
        guard FileSystem.exists(path, isFolder: &isFolder) else { throw .fileNotFound(path: path) }
        if isFolder {
            let images = FileSystem.entries(of: path)
                .filter { ImageFolderSource.isImage($0) }
                .sorted()
                .map { path.hasSuffix("/") ? path + $0 : path + "/" + $0 }
            guard !images.isEmpty else { throw .noImagesInFolder(path: path) }
            paths = images
        } else {
            paths = [path]
        }
        name = path
        nominalFps = fps
        self.skipsUnreadable = skipsUnreadable && isFolder
    }

    public static func isImage(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: ".") else { return false }
        return imageExtensions.contains(path[path.index(after: dot)...].lowercased())
    }

    public func nextFrame() throws(CaptureError) -> Frame? {
        var firstFailure: CaptureError?
        while index < paths.count {
            do throws(CaptureError) {
                let frame = try read(paths[index])
                framesGiven += 1
                return frame
            } catch {
                guard skipsUnreadable else { throw error }
                skipped.append(error.description)
                firstFailure = firstFailure ?? error
                index += 1
            }
        }
        if framesGiven == 0, let firstFailure { throw firstFailure }
        return nil
    }

    private func read(_ path: String) throws(CaptureError) -> Frame {
        var error = cvs_error()
        guard let picture = cvs_picture_load_gray(path, &error) else {
            throw .unreadableImage(path: path, reason: CVisionText.message(error))
        }
        defer { cvs_picture_destroy(picture) }
        let view = cvs_picture_view(picture)
        let width = Int(view.width), height = Int(view.height), stride = Int(view.stride)
        var gray = [UInt8](repeating: 0, count: width * height)
        gray.withUnsafeMutableBufferPointer { out in
            for row in 0..<height {
                (out.baseAddress! + row * width).update(from: view.pixels + row * stride, count: width)
            }
        }
        defer { index += 1 }
        return Frame(gray: gray, width: width, height: height, timeMs: Double(index) * 1000 / (nominalFps ?? 30),
                     sequence: index)
    }
}

/// Opens what the user named: a folder of images, an image file, or a video file.
/// - Parameter skipsUnreadable: pass over a folder's pictures that cannot be read (`FrameSource.skipped`).
public func openFileSource(path: String, keepsColor: Bool = false, skipsUnreadable: Bool = false) throws(CaptureError)
    -> FrameSource {
    var isFolder = false
    guard FileSystem.exists(path, isFolder: &isFolder) else { throw .fileNotFound(path: path) }
    if isFolder || ImageFolderSource.isImage(path) { return try ImageFolderSource(path: path, skipsUnreadable: skipsUnreadable) }
    return try VideoFileSource(path: path, keepsColor: keepsColor)
}

/// The inputs a path the user named stands for: a folder of images is one input (its pictures are the
/// frames); a folder without images but with videos is each of its videos, in name order (a folder of
/// recordings); anything else is itself.
public func fileInputs(_ path: String) -> [String] {
    var isFolder = false
    guard FileSystem.exists(path, isFolder: &isFolder), isFolder else { return [path] }
    let names = FileSystem.entries(of: path).sorted()
    guard !names.contains(where: ImageFolderSource.isImage) else { return [path] }
    let videos = names.filter(VideoFileSource.isVideo).map { path.hasSuffix("/") ? path + $0 : path + "/" + $0 }
    return videos.isEmpty ? [path] : videos
}

/// The message of a CVision error as Swift text (shared by every target that calls CVision).
public enum CVisionText {
    public static func message(_ error: cvs_error) -> String {
        withUnsafeBytes(of: error.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }
}

/// The few file-system questions capture asks, answered by the C library (no Foundation in this target).
enum FileSystem {
    static func exists(_ path: String, isFolder: inout Bool) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        isFolder = (info.st_mode & S_IFMT) == S_IFDIR
        return true
    }

    /// A folder (of images) or an image file, as opposed to a video.
    static func isPictures(_ path: String) -> Bool {
        var isFolder = false
        return exists(path, isFolder: &isFolder) && (isFolder || ImageFolderSource.isImage(path))
    }

    /// A single image file (a still picture).
    static func isStill(_ path: String) -> Bool {
        var isFolder = false
        return exists(path, isFolder: &isFolder) && !isFolder && ImageFolderSource.isImage(path)
    }

    static func entries(of folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
