import GazeCore

/// How to draw: which characters, and what the terminal can show in colour.
public struct RenderOptions: Sendable, Equatable {
    public var glyphs: Glyphs
    public var colors: ColorSupport

    public init(glyphs: Glyphs = .unicode, colors: ColorSupport = .palette256) {
        self.glyphs = glyphs
        self.colors = colors
    }

    /// Below this the dashboard says how big the terminal must be instead of drawing.
    public static let minimumWidth = 72
    public static let minimumHeight = 22
}

/// The dashboard's drawing: a pure function from a snapshot to a grid of cells (btop's draw half; the
/// collecting is `SnapshotCollector`). No I/O, no state: the same snapshot always gives the same cells.
///
///     row 0        header: device, format, capture and vision fps, latency, drops; session clock
///     row 1        warnings (too dark, too bright, face too small), or the picture's facts
///     banner       the state in one word on a coloured band (3 rows, 5 from 36 rows up)
///     2 rows       eye contact: last 30 s, session, longest look-away; the last minute's timeline
///     body         left: blinks, each eye's openness (EAR) with its threshold and history
///                  right: the gaze box and head pose, or the camera preview (`p`)
///     row h-2      status: a key's answer, PAUSED, stream ended
///     row h-1      the keys
public enum DashboardView {
    public static func render(_ s: Snapshot, width: Int, height: Int, options: RenderOptions = RenderOptions()) -> CellGrid {
        var grid = CellGrid(width: width, height: height)
        guard width >= RenderOptions.minimumWidth && height >= RenderOptions.minimumHeight else {
            tooSmall(&grid)
            return grid
        }
        let g = options.glyphs
        header(&grid, s, g)
        infoLine(&grid, s, g)
        let bannerHeight = height >= 36 ? 5 : 3
        banner(&grid, s, y: 2, height: bannerHeight)
        let contactY = 2 + bannerHeight + 1
        contactLines(&grid, s, y: contactY, g)
        let bodyY = contactY + 3
        let bodyHeight = height - 2 - bodyY
        let leftWidth = width * 11 / 20
        Panels.left(&grid, s, x: 0, y: bodyY, width: leftWidth, height: bodyHeight, options)
        Panels.right(&grid, s, x: leftWidth + 2, y: bodyY, width: width - leftWidth - 2, height: bodyHeight, options)
        statusLine(&grid, s, y: height - 2, g)
        footer(&grid, y: height - 1, g)
        if s.showHelp { HelpOverlay.draw(&grid, s, g) }
        return grid
    }

    // MARK: Too small

    /// What a screen says instead of drawing when the terminal is under `minimumWidth` x `minimumHeight`.
    static func tooSmall(_ grid: inout CellGrid, minimumWidth: Int = RenderOptions.minimumWidth,
                         minimumHeight: Int = RenderOptions.minimumHeight) {
        let lines = [
            "gazetop needs at least \(minimumWidth)x\(minimumHeight) characters;",
            "this terminal is \(grid.width)x\(grid.height).",
            "Make it larger, or press q to quit.",
        ]
        let top = max(0, (grid.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let x = max(0, (grid.width - Format.columns(line)) / 2)
            grid.put(line, x: x, y: top + i, i == 0 ? .warn : .plain)
        }
    }

    // MARK: Header and information line

    static func header(_ grid: inout CellGrid, _ s: Snapshot, _ g: Glyphs) {
        grid.fill(x: 0, y: 0, width: grid.width, height: 1, " ", .title)
        let right: String
        switch s.stream {
        case _ where s.paused: right = "PAUSED " + Format.clock(s.sessionMs)
        case .ended: right = "ENDED " + Format.clock(s.sessionMs)
        case .waiting: right = "WAITING " + Format.clock(s.sessionMs)
        case .starting: right = "starting"
        case .live: right = "session " + Format.clock(s.sessionMs)
        }
        let src = s.source
        // Facts by priority; each is shown if it fits, in reading order.
        var facts: [(order: Int, text: String)] = [
            (1, "capture \(Format.fixed(src.captureFps, 1))/s"),
            (2, "vision \(Format.fixed(src.visionFps, 1))/s"),
            (4, "dropped \(src.dropped)" + (src.driverDrops > 0 ? " +\(src.driverDrops) by driver" : "")),
        ]
        // A simulated camera paced by demand stamps frames on the video's schedule, not the clock's, so
        // its "latency" can be negative: only a real one is shown.
        if let latency = src.latencyMs, latency >= 0 { facts.append((3, "latency \(Format.fixed(latency, 1)) ms")) }
        let budget = grid.width - Format.columns(right) - 2
        let device = shortDevice(src.device)
        let minDevice = min(Format.columns(device), 12)
        func width(_ parts: [String]) -> Int { parts.reduce(0) { $0 + Format.columns($1) + Format.columns(g.separator) } }
        var shown: [(order: Int, text: String)] = []
        for fact in facts where 1 + minDevice + width(shown.map(\.text) + [fact.text]) <= budget { shown.append(fact) }
        let factsText = shown.sorted { $0.order < $1.order }.map { g.separator + $0.text }.joined()
        let title = " gazetop" + g.separator
        let withTitle = Format.columns(title) + minDevice + Format.columns(factsText) <= budget
        let lead = withTitle ? title : " "
        // The device name gets what is left (its end says the most).
        let room = budget - Format.columns(lead) - Format.columns(factsText)
        grid.put(lead + Format.clipLeft(device, room, ellipsis: g.ellipsis) + factsText, x: 0, y: 0, .title, maxWidth: budget)
        grid.put(right, x: grid.width - Format.columns(right) - 1, y: 0, .title)
    }

    /// A device path as short as it can be while still saying what it is: the file name of a sim: video.
    static func shortDevice(_ device: String) -> String {
        guard device.hasPrefix("sim:") else { return device }
        let path = device.dropFirst(4).split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        return "sim:" + (path.split(separator: "/").last.map(String.init) ?? path)
    }

    static func infoLine(_ grid: inout CellGrid, _ s: Snapshot, _ g: Glyphs) {
        if !s.warnings.isEmpty {
            let text = g.warning + s.warnings.map(\.advice).joined(separator: "; ")
            grid.put(Format.clip(text, grid.width, ellipsis: g.ellipsis), x: 0, y: 1, .warn)
            return
        }
        var facts: [String] = []
        if !s.source.format.isEmpty { facts.append(s.source.format) }
        if let level = s.source.frameLevel { facts.append("light \(Int(level.rounded()))/255") }
        if let width = s.live?.raw?.faceWidth, s.live?.face == true { facts.append("face \(Int(width.rounded())) px wide") }
        if let r = s.live, r.face { facts.append("confidence \(Format.fixed(r.conf, 2))") }
        // Whole facts only, in order, as many as fit: a number cut short ("confidence 1~") misleads.
        var line = ""
        for fact in facts {
            let next = line.isEmpty ? fact : line + "   " + fact
            if Format.columns(next) > grid.width { break }
            line = next
        }
        grid.put(line, x: 0, y: 1, .dim)
    }

    // MARK: Banner

    /// The state's word, its band's role, and a line saying more.
    static func bannerText(_ s: Snapshot) -> (word: String, role: Role, detail: String) {
        // While the camera is away nothing is known of the person: the last state would be a guess.
        if s.stream == .waiting { return ("NO CAMERA", .alertBanner, "the camera went away; waiting for it to come back") }
        if s.paused {
            let was = bannerText(Snapshot.unpaused(s)).word.lowercased()
            return ("PAUSED", .idleBanner, "statistics stopped (showing: \(was)); space resumes")
        }
        switch s.gaze {
        case .starting: return ("STARTING", .idleBanner, "waiting for the first frame")
        case .contact: return ("EYE CONTACT", .okBanner, "looking at the camera")
        case .away(let d): return ("LOOKING AWAY", .warnBanner, "looking " + d.words)
        case .eyesClosed: return ("EYES CLOSED", .warnBanner, "shut for longer than a blink")
        case .noFace: return ("NO FACE", .alertBanner, "no face in view: sit facing the camera")
        case .manyFaces(let n, let f):
            let following: String = switch f {
            case .contact: "eye contact"
            case .away(let d): "looking " + d.words
            case .eyesClosed: "eyes closed"
            }
            return ("\(n) FACES", .alertBanner, "more than one face; following the largest: \(following)")
        }
    }

    /// A band of the state's colour: a blank row, the word spaced out, then the detail (with a blank row
    /// between and after them when the band is 5 rows high).
    static func banner(_ grid: inout CellGrid, _ s: Snapshot, y: Int, height: Int) {
        let (word, role, detail) = bannerText(s)
        grid.fill(x: 0, y: y, width: grid.width, height: height, " ", role)
        let spaced = word.map { String($0) }.joined(separator: " ")
        let big = Format.columns(spaced) + 4 <= grid.width ? spaced : word
        grid.put(big, x: max(0, (grid.width - Format.columns(big)) / 2), y: y + 1, role)
        let detailRow = height > 3 ? y + 3 : y + 2
        let shown = Format.clip(detail, grid.width, ellipsis: "")
        grid.put(shown, x: max(0, (grid.width - Format.columns(shown)) / 2), y: detailRow, role)
    }

    // MARK: Eye contact

    static func contactLines(_ grid: inout CellGrid, _ s: Snapshot, y: Int, _ g: Glyphs) {
        let c = s.contact
        let window = c.windowShare.map(Format.percent) ?? "-", session = c.sessionShare.map(Format.percent) ?? "-"
        let away = Format.fixed(c.longestLookAwayMs / 1000, 1) + " s", cone = Format.fixed(s.coneDeg, 0) + g.degree
        // Every figure is kept; narrower terminals get tighter spacing and a shorter word, not a cut.
        let variants = [("   ", "longest look-away "), ("  ", "longest look-away "), ("  ", "look-away ")].map { gap, awayLabel in
            [("EYE CONTACT", Role.heading), ("  last \(Int(c.windowSeconds.rounded())) s ", .dim), (window, .accent),
             (gap + "session ", .dim), (session, .accent), (gap + awayLabel, .dim), (away, .plain),
             (gap + "cone ", .dim), (cone, .plain)]
        }
        putFirstFitting(&grid, variants, x: 0, y: y, width: grid.width)

        let label = c.timelineSeconds == 60 ? "last minute " : "last \(c.timelineSeconds) s "
        let labelX = grid.put(label, x: 0, y: y + 1, .dim)
        let room = grid.width - labelX - 5
        let slots = min(room, c.timeline.count)
        let seconds = max(0, min(room, c.timelineSeconds))
        // Newest at the right edge, by the word "now"; the left part stays blank until a minute has passed.
        let start = labelX + seconds - slots
        for (i, slot) in c.timeline.suffix(slots).enumerated() {
            let (char, role): (Unicode.Scalar, Role) = switch slot.dominant {
            case .empty: (g.gap, .dim)
            case .contact: (g.contact, .ok)
            case .away: (g.away, .warn)
            case .noFace: (g.noFace, .alert)
            }
            grid[start + i, y + 1] = Cell(char, .role(role))
        }
        let nowX = grid.put(" now", x: labelX + seconds, y: y + 1, .dim)
        // The legend, every kind a slot can be (a second without frames: paused, or the camera away).
        let legend: [(String, Role)] = [("   ", .plain), (String(g.contact), .ok), (" contact  ", .dim), (String(g.away), .warn),
                                        (" away  ", .dim), (String(g.noFace), .alert), (" no face  ", .dim),
                                        (String(g.gap), .dim), (" paused", .dim)]
        if legend.reduce(0, { $0 + Format.columns($1.0) }) <= grid.width - nowX {
            putFirstFitting(&grid, [legend], x: nowX, y: y + 1, width: grid.width - nowX)
        }
    }

    /// Draws the first of `variants` (runs of text, each in its role) that fits in `width` columns, else the
    /// last one, cut at `width`; returns the column after it.
    @discardableResult
    static func putFirstFitting(_ grid: inout CellGrid, _ variants: [[(String, Role)]], x: Int, y: Int, width: Int) -> Int {
        let chosen = variants.first { $0.reduce(0) { $0 + Format.columns($1.0) } <= width } ?? variants.last ?? []
        var cx = x
        for (text, role) in chosen { cx = grid.put(text, x: cx, y: y, role, maxWidth: x + width - cx) }
        return cx
    }

    // MARK: Status and footer

    static func statusLine(_ grid: inout CellGrid, _ s: Snapshot, y: Int, _ g: Glyphs) {
        let text: String, role: Role
        if let message = s.message {
            (text, role) = (message, .accent)
        } else if s.stream == .ended {
            (text, role) = ("The stream ended; the screen stays until you quit (q).", .warn)
        } else if s.paused {
            (text, role) = ("PAUSED: the screen and the statistics are frozen; space resumes.", .warn)
        } else if s.stream == .waiting {
            (text, role) = ("Waiting for the camera to come back" + g.ellipsis, .warn)
        } else {
            (text, role) = ("", .plain)
        }
        grid.put(Format.clip(text, grid.width, ellipsis: g.ellipsis), x: 0, y: y, role)
    }

    /// Every key, with a shorter word for narrow terminals. `+` widens the eye-contact cone (the figure on
    /// the screen goes up), `-` narrows it.
    static let keys: [(key: String, action: String, short: String)] = [
        ("q", "quit", "quit"), ("?", "help", "help"), ("space", "pause", "pause"), ("r", "reset", "reset"),
        ("p", "preview", "view"), ("+/-", "cone", "cone"), ("z", "zero", "zero"), ("c", "calibrate", "calib"),
        ("g", "liveness", "live"),
    ]

    /// The keys, all of them: two spaces apart, or one, with the full words if they fit, else the short ones.
    static func footer(_ grid: inout CellGrid, y: Int, _ g: Glyphs) {
        let variants = [(false, "  "), (false, " "), (true, "  "), (true, " ")].map { short, gap in
            keys.enumerated().flatMap { i, k in
                [(k.key, Role.key), (" " + (short ? k.short : k.action) + (i < keys.count - 1 ? gap : ""), Role.dim)]
            }
        }
        putFirstFitting(&grid, variants, x: 0, y: y, width: grid.width)
    }
}

extension Snapshot {
    /// The same snapshot as if not paused (what the banner showed before the pause).
    static func unpaused(_ s: Snapshot) -> Snapshot {
        var copy = s
        copy.paused = false
        return copy
    }
}
