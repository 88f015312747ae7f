/// A point in image pixels (x to the right, y down) or in any plane the caller names.
public struct Point: Hashable, Sendable, Codable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    public static func - (a: Point, b: Point) -> Point { Point(x: a.x - b.x, y: a.y - b.y) }
    public static func + (a: Point, b: Point) -> Point { Point(x: a.x + b.x, y: a.y + b.y) }
    public static func * (a: Point, k: Double) -> Point { Point(x: a.x * k, y: a.y * k) }

    public func distance(to other: Point) -> Double {
        let dx = x - other.x, dy = y - other.y
        return (dx * dx + dy * dy).squareRoot()
    }

    public static func midpoint(_ a: Point, _ b: Point) -> Point { Point(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2) }
}

/// An axis-aligned box in image pixels.
public struct Box: Hashable, Sendable, Codable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var area: Double { width * height }
    public var center: Point { Point(x: x + width / 2, y: y + height / 2) }

    /// The smallest box holding every point.
    public init(bounding points: some Sequence<Point>) {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for p in points {
            minX = min(minX, p.x); maxX = max(maxX, p.x)
            minY = min(minY, p.y); maxY = max(maxY, p.y)
        }
        self.init(x: minX, y: minY, width: maxX - minX, height: maxY - minY)
    }

    /// This box grown on every side by `fraction` of its width (left, right) and height (top, bottom),
    /// about the same centre.
    public func grown(by fraction: Double) -> Box {
        Box(x: x - fraction * width, y: y - fraction * height, width: width * (1 + 2 * fraction),
            height: height * (1 + 2 * fraction))
    }

    /// Intersection over union, 0 when the boxes do not touch.
    public func overlap(with other: Box) -> Double {
        let left = max(x, other.x), right = min(x + width, other.x + other.width)
        let top = max(y, other.y), bottom = min(y + height, other.y + other.height)
        guard right > left, bottom > top else { return 0 }
        let shared = (right - left) * (bottom - top)
        return shared / (area + other.area - shared)
    }
}

/// The 68 facial landmarks in the iBUG order that dlib's model uses.
public struct Landmarks: Hashable, Sendable {
    public static let count = 68
    /// 0-based ranges of the two eyes. "Left" is the person's own left eye, which is on the image's right
    /// in an unmirrored camera picture (the convention of the original server and of imutils).
    public static let leftEyeRange = 42..<48
    public static let rightEyeRange = 36..<42

    public var points: [Point]

    public init(points: [Point]) {
        precondition(points.count == Landmarks.count, "68 landmarks expected, got \(points.count)")
        self.points = points
    }

    public var leftEye: EyePoints { EyePoints(Array(points[Landmarks.leftEyeRange])) }
    public var rightEye: EyePoints { EyePoints(Array(points[Landmarks.rightEyeRange])) }

    /// Distance between the outer eye corners (points 36 and 45): the face's own unit of length.
    public var interocularDistance: Double { points[36].distance(to: points[45]) }
}

/// Six eye landmarks: corners at 0 and 3 (left to right in the image), upper lid 1-2, lower lid 4-5.
public struct EyePoints: Hashable, Sendable {
    public var points: [Point]

    public init(_ points: [Point]) {
        precondition(points.count == 6, "6 eye landmarks expected")
        self.points = points
    }

    public var width: Double { points[0].distance(to: points[3]) }
    public var center: Point { Point.midpoint(points[0], points[3]) }

    /// The unit vector across the corner line pointing down on the face (the line from corner 0 to corner
    /// 3 turned a quarter clockwise on screen); nil for a degenerate eye.
    public var down: Point? {
        let w = width
        guard w > 1e-6 else { return nil }
        return Point(x: -(points[3].y - points[0].y) / w, y: (points[3].x - points[0].x) / w)
    }

    /// `p` in the eye's own frame, the one every measure of where something sits in the eye uses: x along
    /// the corner line from the corners' midpoint in half widths (-1 at corner 0, 1 at corner 3), y across it
    /// in eye widths, below (+) or above (-) the line. Nil for a degenerate eye.
    public func offset(of p: Point) -> Point? {
        let w = width
        guard w > 1e-6 else { return nil }
        let ux = (points[3].x - points[0].x) / w, uy = (points[3].y - points[0].y) / w
        let d = p - center
        return Point(x: 2 * (d.x * ux + d.y * uy) / w, y: (-d.x * uy + d.y * ux) / w)
    }

    /// Eye Aspect Ratio (Soukupova & Cech 2016): the mean of the two lid-to-lid heights over the
    /// corner-to-corner width; about 0.25-0.35 open, under 0.15 closed. Nil for a degenerate eye.
    public var aspectRatio: Double? {
        let w = width
        guard w > 1e-6 else { return nil }
        let a = points[1].distance(to: points[5]), b = points[2].distance(to: points[4])
        return (a + b) / (2 * w)
    }
}
