import CVision
import GazeCore

/// Where a search near a followed face looks (`cvs_detect_faces_near`): faces whose centre lies in
/// `centres` and whose width is between `minWidth` and `maxWidth`, at the scale the face was found at, so
/// the box it gives is the one a full scan at that scale gives the face.
struct NearSearch: Sendable {
    /// Where the landmarks put the face now: of the faces found, the one overlapping it most is the face.
    var tracked: Box
    var centres: Box
    var minWidth: Double
    var maxWidth: Double
    var scale: Float

    /// The followed face among `found`, if any.
    func followed(among found: [Box]) -> Box? {
        found.max { $0.overlap(with: tracked) < $1.overlap(with: tracked) }
    }
}

extension TrackingConfig {
    /// The scale of the reduced copy detection scans: the longer side at most `detectionMaxSidePixels`.
    func detectionScale(width: Int, height: Int) -> Float {
        let longest = max(width, height)
        return longest > detectionMaxSidePixels ? Float(detectionMaxSidePixels) / Float(longest) : 1
    }
}

extension Box {
    init(_ rect: cvs_rect) {
        self.init(x: Double(rect.x), y: Double(rect.y), width: Double(rect.width), height: Double(rect.height))
    }

    var cRect: cvs_rect {
        cvs_rect(x: Float(x), y: Float(y), width: Float(width), height: Float(height), score: 0)
    }
}
