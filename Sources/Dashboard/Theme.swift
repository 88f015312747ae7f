import CNcursesw

/// What a terminal can show in colour.
public enum ColorSupport: Sendable, Equatable {
    /// No colour (`--no-color`, `NO_COLOR`, or a monochrome terminal): attributes only.
    case none
    /// The 8 basic colours.
    case basic
    /// The xterm 256-colour palette.
    case palette256
    /// Direct colour: colour numbers are 24-bit RGB values (terminfo entries such as xterm-direct).
    case direct

    /// Whether picture cells can be drawn in grey levels (otherwise as shade characters).
    public var hasGreys: Bool { self == .palette256 || self == .direct }
}

/// Text attributes, independent of curses' bit values.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1)
    public static let dim = Attributes(rawValue: 2)
    public static let reverse = Attributes(rawValue: 4)
    public static let underline = Attributes(rawValue: 8)

    /// One letter for golden files: the attributes a terminal without colour shows.
    public var letter: Character {
        switch self {
        case []: "."
        case .bold: "b"
        case .dim: "d"
        case .reverse: "r"
        case .underline: "u"
        case [.reverse, .bold]: "R"
        case [.bold, .underline]: "U"
        case [.reverse, .dim]: "D"
        default: "?"
        }
    }
}

/// The one place where roles become colours and attributes (htop's CRT_colors): views name roles only.
/// Each role has a colour for 8-colour terminals, an RGB colour for 256-colour and direct-colour ones,
/// and attributes for terminals without colour, where every state still reads by its words and by
/// bold, reverse and dim.
public enum Theme {
    /// A colour: one of the 8 basic ones (curses' COLOR_* numbers) and its richer RGB version.
    struct Color {
        var basic: Int16
        var rgb: UInt32
    }

    struct Look {
        var foreground: Color?
        var background: Color?
        /// Attributes in colour.
        var attributes: Attributes = []
        /// Attributes without colour.
        var mono: Attributes = []
    }

    private static let black = Color(basic: Int16(COLOR_BLACK), rgb: 0x000000)
    private static let white = Color(basic: Int16(COLOR_WHITE), rgb: 0xFFFFFF)
    private static let grey = Color(basic: Int16(COLOR_WHITE), rgb: 0x8A8A8A)
    private static let green = Color(basic: Int16(COLOR_GREEN), rgb: 0x5FD75F)
    private static let yellow = Color(basic: Int16(COLOR_YELLOW), rgb: 0xFFD75F)
    private static let red = Color(basic: Int16(COLOR_RED), rgb: 0xFF5F5F)
    private static let cyan = Color(basic: Int16(COLOR_CYAN), rgb: 0x5FD7FF)
    private static let deepGreen = Color(basic: Int16(COLOR_GREEN), rgb: 0x5FAF5F)
    private static let amber = Color(basic: Int16(COLOR_YELLOW), rgb: 0xD7AF00)
    private static let deepRed = Color(basic: Int16(COLOR_RED), rgb: 0xAF0000)
    private static let navy = Color(basic: Int16(COLOR_BLUE), rgb: 0x005F87)

    static func look(_ role: Role) -> Look {
        switch role {
        case .plain: Look()
        case .dim: Look(foreground: grey, attributes: [], mono: .dim)
        case .title: Look(foreground: white, background: navy, attributes: .bold, mono: .reverse)
        case .heading: Look(foreground: cyan, attributes: .bold, mono: .bold)
        case .ok: Look(foreground: green)
        case .warn: Look(foreground: yellow, mono: .bold)
        case .alert: Look(foreground: red, attributes: .bold, mono: [.bold, .underline])
        case .okBanner: Look(foreground: black, background: deepGreen, attributes: .bold, mono: .reverse)
        case .warnBanner: Look(foreground: black, background: amber, attributes: .bold, mono: .reverse)
        case .alertBanner: Look(foreground: white, background: deepRed, attributes: .bold, mono: [.reverse, .bold])
        case .idleBanner: Look(foreground: black, background: grey, mono: [.reverse, .dim])
        case .key: Look(foreground: cyan, attributes: .bold, mono: .bold)
        case .accent: Look(foreground: cyan, attributes: .bold, mono: .bold)
        case .landmark: Look(foreground: green, attributes: .bold, mono: .bold)
        case .pupil: Look(foreground: red, attributes: .bold, mono: .bold)
        case .target: Look(foreground: black, background: cyan, attributes: .bold, mono: [.reverse, .bold])
        }
    }

    /// The attributes a role shows with.
    public static func attributes(_ role: Role, _ support: ColorSupport) -> Attributes {
        support == .none ? look(role).mono : look(role).attributes
    }

    // MARK: Curses

    /// Colour pairs: one per role from 1, then a block of grey pairs (top level x bottom level).
    static let greyPairBase: Int32 = 64

    /// A colour as the terminal numbers it: a basic colour, a palette index, or an RGB value; -1 is
    /// the terminal's default.
    static func number(_ color: Color?, _ support: ColorSupport) -> Int32 {
        guard let color else { return -1 }
        switch support {
        case .none: return -1
        case .basic: return Int32(color.basic)
        case .palette256: return paletteIndex(color.rgb)
        case .direct: return Int32(bitPattern: color.rgb)
        }
    }

    /// The nearest entry of the xterm 256-colour palette (6x6x6 cube or grey ramp).
    static func paletteIndex(_ rgb: UInt32) -> Int32 {
        let r = Int(rgb >> 16 & 0xFF), g = Int(rgb >> 8 & 0xFF), b = Int(rgb & 0xFF)
        let steps = [0, 95, 135, 175, 215, 255]
        func cube(_ v: Int) -> Int { steps.indices.min { abs(steps[$0] - v) < abs(steps[$1] - v) }! }
        let (ci, cj, ck) = (cube(r), cube(g), cube(b))
        let cubeError = abs(steps[ci] - r) + abs(steps[cj] - g) + abs(steps[ck] - b)
        let mean = (r + g + b) / 3
        let greyIndex = max(0, min(23, (mean - 8 + 5) / 10))
        let greyValue = 8 + 10 * greyIndex
        let greyError = abs(greyValue - r) + abs(greyValue - g) + abs(greyValue - b)
        return greyError < cubeError ? Int32(232 + greyIndex) : Int32(16 + 36 * ci + 6 * cj + ck)
    }

    /// A grey level (0...Style.greyLevels-1) as a colour number.
    static func greyNumber(_ level: UInt8, _ support: ColorSupport) -> Int32 {
        let v = UInt32(Int(level) * 255 / (Style.greyLevels - 1))
        return number(Color(basic: Int16(COLOR_WHITE), rgb: v << 16 | v << 8 | v), support)
    }

    /// Sets up the colour pairs for `support`; returns whether grey picture cells are available (enough
    /// pairs). Call after `start_color`.
    static func installPairs(_ support: ColorSupport) -> Bool {
        guard support != .none else { return false }
        for role in Role.allCases {
            let l = look(role)
            init_extended_pair(Int32(role.rawValue + 1), number(l.foreground, support), number(l.background, support))
        }
        let levels = Int32(Style.greyLevels)
        guard support.hasGreys, cnc_color_pairs() > greyPairBase + levels * levels else { return false }
        for top in 0..<levels {
            for bottom in 0..<levels {
                init_extended_pair(greyPairBase + top * levels + bottom,
                                   greyNumber(UInt8(top), support), greyNumber(UInt8(bottom), support))
            }
        }
        return true
    }

    /// The curses attributes and pair of a style.
    static func curses(_ style: Style, _ support: ColorSupport) -> (attributes: attr_t, pair: Int32) {
        switch style {
        case .role(let role):
            let pair = support == .none ? 0 : Int32(role.rawValue + 1)
            return (cursesAttributes(attributes(role, support)), pair)
        case .grey(let top, let bottom):
            return (cnc_a_normal(), greyPairBase + Int32(top) * Int32(Style.greyLevels) + Int32(bottom))
        }
    }

    static func cursesAttributes(_ a: Attributes) -> attr_t {
        var bits = cnc_a_normal()
        if a.contains(.bold) { bits |= cnc_a_bold() }
        if a.contains(.dim) { bits |= cnc_a_dim() }
        if a.contains(.reverse) { bits |= cnc_a_reverse() }
        if a.contains(.underline) { bits |= cnc_a_underline() }
        return bits
    }
}
