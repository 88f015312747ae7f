/// The characters the dashboard draws with: Unicode block and box-drawing characters, or plain ASCII for
/// terminals without UTF-8 (`--ascii`). Every one is a single column wide.
public struct Glyphs: Sendable, Equatable {
    public var horizontal: Unicode.Scalar
    public var vertical: Unicode.Scalar
    public var topLeft: Unicode.Scalar
    public var topRight: Unicode.Scalar
    public var bottomLeft: Unicode.Scalar
    public var bottomRight: Unicode.Scalar
    public var separator: String
    /// Bars: filled, empty, and the threshold mark on them.
    public var barFull: Unicode.Scalar
    public var barEmpty: Unicode.Scalar
    public var threshold: Unicode.Scalar
    /// A history line's eight heights, lowest first.
    public var heights: [Unicode.Scalar]
    /// Timeline slots: eye contact, looking away, no face.
    public var contact: Unicode.Scalar
    public var away: Unicode.Scalar
    public var noFace: Unicode.Scalar
    /// A second without frames (paused, or the camera away).
    public var gap: Unicode.Scalar
    /// The gaze box: the camera, the cone's edge, the gaze.
    public var camera: Unicode.Scalar
    public var cone: Unicode.Scalar
    public var gaze: Unicode.Scalar
    /// Picture cells by brightness, darkest first, when grey colours are not available.
    public var shades: [Unicode.Scalar]
    /// The upper half block, for two picture pixels per cell in grey colours.
    public var upperHalf: Unicode.Scalar
    public var landmark: Unicode.Scalar
    public var pupil: Unicode.Scalar
    public var warning: String
    public var degree: String
    public var ellipsis: String
    public var bullet: Unicode.Scalar
    /// The challenge screen: the camera above the screen (pointed at), and a calibration dot.
    public var pointUp: Unicode.Scalar
    public var dot: Unicode.Scalar

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        separator: " │ ", barFull: "█", barEmpty: "░", threshold: "┃",
        heights: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        contact: "█", away: "▒", noFace: "·", gap: "╌",
        camera: "┼", cone: "·", gaze: "●",
        shades: [" ", "░", "▒", "▓", "█"], upperHalf: "▀", landmark: "•", pupil: "◆",
        warning: "▲ ", degree: "°", ellipsis: "…", bullet: "●",
        pointUp: "▲", dot: "●")

    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        separator: " | ", barFull: "#", barEmpty: ".", threshold: "|",
        heights: ["_", ".", ",", "-", "~", "=", "*", "#"],
        contact: "#", away: "=", noFace: ".", gap: "-",
        camera: "+", cone: ".", gaze: "@",
        shades: [" ", ".", ":", "+", "#"], upperHalf: "#", landmark: "o", pupil: "@",
        // "..." rather than one character: a lone "~" reads as part of the text it ends ("~01M_FNN.mp4").
        warning: "! ", degree: "d", ellipsis: "...", bullet: "*",
        pointUp: "^", dot: "O")
}
