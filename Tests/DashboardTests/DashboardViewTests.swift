@testable import Dashboard
import Foundation
import GazeCore
import Testing

/// Golden frames of the dashboard: what a person sees, pinned cell by cell at 80x24 and 120x40.
///
/// Each golden in `Tests/DashboardTests/Golden/<state>-<W>x<H>.txt` holds the characters, then each cell's
/// role as one letter (`Role.letter`: O eye-contact band, W warning band, A alert band, k key, ...), or for
/// the no-colour state the attributes a terminal without colour shows (`Attributes.letter`: r reverse,
/// b bold, ...). After a deliberate change of the drawing, regenerate and review the diff:
///
///     GAZETOP_UPDATE_GOLDEN=1 swift test -c release --filter DashboardViewTests
@Suite struct DashboardViewTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let updating = ProcessInfo.processInfo.environment["GAZETOP_UPDATE_GOLDEN"] == "1"

    enum State: String, CaseIterable, CustomTestStringConvertible {
        case eyeContact, lookingAway, lookingDown, eyesClosed, noFace, twoFaces, paused, ended, cameraAway, help,
             preview, faceTooSmall, tooDark, ascii, noColor

        var testDescription: String { rawValue }

        var snapshot: Snapshot {
            switch self {
            case .eyeContact, .ascii, .noColor: return SnapshotFixtures.snapshot(endingWith: .contact)
            case .lookingAway: return SnapshotFixtures.snapshot(endingWith: .awayLeft)
            case .lookingDown: return SnapshotFixtures.snapshot(endingWith: .awayDown)
            case .eyesClosed: return SnapshotFixtures.snapshot(endingWith: .eyesClosed)
            case .noFace: return SnapshotFixtures.snapshot(endingWith: .noFace)
            case .twoFaces: return SnapshotFixtures.snapshot(endingWith: .twoFaces)
            case .paused:
                var s = SnapshotFixtures.snapshot(endingWith: .contact)
                s.paused = true
                return s
            case .ended:
                var s = SnapshotFixtures.snapshot(endingWith: .contact)
                s.stream = .ended
                return s
            case .cameraAway:
                // The last frame showed eye contact; then the camera went (`--reconnect` waits for it).
                var s = SnapshotFixtures.snapshot(endingWith: .contact)
                s.stream = .waiting
                return s
            case .help:
                var s = SnapshotFixtures.snapshot(endingWith: .contact)
                s.showHelp = true
                return s
            case .preview:
                var s = SnapshotFixtures.snapshot(endingWith: .contact)
                s.showPreview = true
                s.preview = SnapshotFixtures.preview
                return s
            case .faceTooSmall: return SnapshotFixtures.snapshot(endingWith: .contact, faceWidth: 60)
            case .tooDark: return SnapshotFixtures.snapshot(endingWith: .contact, level: 20)
            }
        }

        var options: RenderOptions {
            switch self {
            case .ascii: RenderOptions(glyphs: .ascii, colors: .palette256)
            case .noColor: RenderOptions(glyphs: .unicode, colors: .none)
            default: RenderOptions(glyphs: .unicode, colors: .palette256)
            }
        }
    }

    static let sizes = [(80, 24), (120, 40)]

    static var cases: [(State, Int, Int)] { State.allCases.flatMap { s in sizes.map { (s, $0.0, $0.1) } } }

    /// The characters, then one letter per cell for its look.
    static func dump(_ grid: CellGrid, _ options: RenderOptions) -> String {
        var lines = (0..<grid.height).map { trimmed(grid.text(row: $0), " ") }
        lines.append(options.colors == .none ? "-- attributes without colour --" : "-- roles --")
        for y in 0..<grid.height {
            let letters = (0..<grid.width).map { x -> Character in
                switch grid[x, y].style {
                case .role(let role): options.colors == .none ? Theme.attributes(role, .none).letter : role.letter
                case .grey: "g"
                }
            }
            lines.append(trimmed(String(letters), "."))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func trimmed(_ s: String, _ c: Character) -> String {
        var s = s
        while s.last == c { s.removeLast() }
        return s
    }

    static func check(_ text: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = golden.appendingPathComponent(name + ".txt")
        if updating {
            try FileManager.default.createDirectory(at: golden, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            let hint = "create it with GAZETOP_UPDATE_GOLDEN=1 swift test -c release --filter DashboardViewTests"
            Issue.record(Comment(rawValue: "no golden \(file.lastPathComponent); \(hint)"), sourceLocation: sourceLocation)
            return
        }
        if text != expected {
            let got = text.components(separatedBy: "\n"), want = expected.components(separatedBy: "\n")
            let line = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
            Issue.record("""
                \(name) differs from its golden from line \(line + 1):
                  golden: \(line < want.count ? want[line] : "<end>")
                  now:    \(line < got.count ? got[line] : "<end>")
                If the change is meant, regenerate: GAZETOP_UPDATE_GOLDEN=1 swift test -c release --filter DashboardViewTests
                """, sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: cases)
    func golden(state: State, width: Int, height: Int) throws {
        let grid = DashboardView.render(state.snapshot, width: width, height: height, options: state.options)
        #expect(grid.width == width && grid.height == height)
        try Self.check(Self.dump(grid, state.options), against: "\(state.rawValue)-\(width)x\(height)")
    }

    // MARK: The edges of the sizes (defect 10 of issue 13)

    /// The smallest screen drawn and a very large one, pinned too.
    @Test(arguments: [(State.eyeContact, 72, 22), (.help, 72, 22), (.ascii, 72, 22), (.eyeContact, 250, 70), (.help, 250, 70)])
    func goldenAtTheEdges(state: State, width: Int, height: Int) throws {
        let grid = DashboardView.render(state.snapshot, width: width, height: height, options: state.options)
        try Self.check(Self.dump(grid, state.options), against: "\(state.rawValue)-\(width)x\(height)")
    }

    /// At the smallest size every figure and every key is there whole: the cone, the blink threshold, the
    /// usual blink rate, the gaze box's legend, each key of the footer, each help line (they used to be cut).
    @Test(arguments: [Glyphs.unicode, .ascii])
    func everythingFitsAt72x22(glyphs: Glyphs) {
        var s = SnapshotFixtures.snapshot(endingWith: .contact)
        let options = RenderOptions(glyphs: glyphs, colors: .palette256)
        let text = DashboardView.render(s, width: 72, height: 22, options: options).text
        for figure in ["cone 10" + glyphs.degree, "threshold 0.24", "(usual 10-20)", "camera", String(glyphs.cone) + " cone"] {
            #expect(text.contains(figure), "\(figure) missing at 72x22:\n\(text)")
        }
        let footer = DashboardView.render(s, width: 72, height: 22, options: options).text(row: 21)
        for key in DashboardView.keys {
            #expect(footer.contains(key.key + " " + key.short), "key \(key.key) missing from \(footer)")
        }
        #expect(footer.contains("g live"))
        s.showHelp = true
        let help = DashboardView.render(s, width: 72, height: 22, options: options).text
        for line in HelpOverlay.lines(s, glyphs) {
            #expect(help.contains(line.text), "help line cut at 72x22: \(line.text)")
        }
    }

    /// At 250x70 the EAR charts sit beside their eye's bar, not 40 columns off, and the body uses its rows.
    @Test func aLargeTerminalIsUsed() {
        let grid = DashboardView.render(SnapshotFixtures.snapshot(endingWith: .contact), width: 250, height: 70)
        let rows = (0..<70).map { grid.text(row: $0) }
        let leftRow = try? #require(rows.firstIndex { $0.hasPrefix("  left  ") })
        guard let leftRow else { return }
        let line = Array(rows[leftRow].unicodeScalars)
        // "  left  0.325 " then the 14-cell bar (columns 14-27); the chart starts 2 columns after it.
        let chartStart = line.indices.first { $0 >= 28 && line[$0] != " " }
        #expect(chartStart.map { $0 <= 32 } == true, "the left eye's chart starts at column \(chartStart ?? -1): \(rows[leftRow])")
        let empty = rows[11..<68].filter { $0.allSatisfy { $0 == " " } }.count
        #expect(empty <= 12, "\(empty) empty rows in the body at 250x70")
    }

    /// A second without frames (a pause) shows as its own mark in the timeline, and the legend names it.
    @Test func pauseGapsAreInTheLegend() {
        var s = SnapshotFixtures.snapshot(endingWith: .contact)
        s.contact.timeline.insert(TimelineSecond(), at: s.contact.timeline.count - 3)
        let grid = DashboardView.render(s, width: 120, height: 40)
        let row = (0..<40).map { grid.text(row: $0) }.first { $0.hasPrefix("last minute") } ?? ""
        #expect(row.contains("\(Glyphs.unicode.gap) paused"), "\(row)")
        let slots = row.split(separator: "now")[0]
        #expect(slots.contains(Character(Glyphs.unicode.gap)), "the paused second is marked: \(row)")
    }

    /// ASCII mode ends a cut text with "...", never with a lone "~" that reads as part of it.
    @Test func asciiCutsWithDots() {
        var s = SnapshotFixtures.snapshot(endingWith: .contact)
        s.source.device = "sim:/a/rather/long/folder/holding/the/clips/2_000001M_FNN_with_a_long_name.mp4"
        let grid = DashboardView.render(s, width: 72, height: 22, options: RenderOptions(glyphs: .ascii, colors: .none))
        #expect(!grid.text.contains("~"), "\(grid.text(row: 0))")
        #expect(grid.text(row: 0).contains("..."), "\(grid.text(row: 0))")
    }

    @Test(arguments: [(40, 12), (71, 24), (80, 21)])
    func tooSmallSaysHowBigItMustBe(width: Int, height: Int) throws {
        let grid = DashboardView.render(SnapshotFixtures.snapshot(endingWith: .contact), width: width, height: height)
        let text = grid.text
        #expect(text.contains("at least \(RenderOptions.minimumWidth)x\(RenderOptions.minimumHeight)"), "\(text)")
        #expect(text.contains("\(width)x\(height)"))
        if width == 40 { try Self.check(Self.dump(grid, RenderOptions()), against: "tooSmall-40x12") }
    }

    // MARK: Properties beyond the goldens

    /// Each state says what it is in words, so it reads without colour.
    @Test(arguments: [
        (SnapshotFixtures.Act.contact, "E Y E   C O N T A C T"), (.awayLeft, "L O O K I N G   A W A Y"),
        (.eyesClosed, "E Y E S   C L O S E D"), (.noFace, "N O   F A C E"), (.twoFaces, "2   F A C E S"),
    ])
    func theBannerNamesTheState(act: SnapshotFixtures.Act, words: String) {
        let grid = DashboardView.render(SnapshotFixtures.snapshot(endingWith: act), width: 80, height: 24,
                                        options: RenderOptions(colors: .none))
        #expect(grid.text.contains(words))
    }

    @Test func lookingAwaySaysWhichWay() {
        #expect(DashboardView.render(SnapshotFixtures.snapshot(endingWith: .awayLeft), width: 80, height: 24).text
            .contains("looking to your left"))
        #expect(DashboardView.render(SnapshotFixtures.snapshot(endingWith: .awayDown), width: 80, height: 24).text
            .contains("looking down"))
    }

    /// Without colour the band is still set apart: reverse video across the whole width.
    @Test func withoutColourTheBannerIsReversed() {
        let grid = DashboardView.render(SnapshotFixtures.snapshot(endingWith: .contact), width: 80, height: 24,
                                        options: RenderOptions(colors: .none))
        for x in 0..<80 {
            guard case .role(let role) = grid[x, 3].style else { Issue.record("cell \(x) is not a role"); return }
            #expect(Theme.attributes(role, .none).contains(.reverse))
        }
    }

    @Test func asciiDrawsOnlyASCII() {
        for state in [SnapshotFixtures.Act.contact, .noFace, .twoFaces] {
            var s = SnapshotFixtures.snapshot(endingWith: state)
            s.showPreview = true
            s.preview = SnapshotFixtures.preview
            for (w, h) in Self.sizes {
                let grid = DashboardView.render(s, width: w, height: h, options: RenderOptions(glyphs: .ascii, colors: .none))
                let wide = grid.cells.filter { !$0.char.isASCII }
                #expect(wide.isEmpty, "\(state) at \(w)x\(h): \(wide.prefix(5).map { String($0.char) })")
                s.showHelp = true
                let help = DashboardView.render(s, width: w, height: h, options: RenderOptions(glyphs: .ascii, colors: .none))
                #expect(help.cells.allSatisfy { $0.char.isASCII })
            }
        }
    }

    /// Grey picture cells only where the terminal has grey colours; shade characters elsewhere.
    @Test func previewUsesGreysOnlyWhereOffered() {
        var s = SnapshotFixtures.snapshot(endingWith: .contact)
        s.showPreview = true
        s.preview = SnapshotFixtures.preview
        func greys(_ colors: ColorSupport) -> Int {
            DashboardView.render(s, width: 120, height: 40, options: RenderOptions(colors: colors)).cells.filter {
                if case .grey = $0.style { true } else { false }
            }.count
        }
        #expect(greys(.palette256) > 100)
        #expect(greys(.direct) == greys(.palette256))
        #expect(greys(.basic) == 0 && greys(.none) == 0)
    }

    /// Any size, from 1x1 up, draws a grid of exactly that size without trapping.
    @Test func everySizeDraws() {
        var s = SnapshotFixtures.snapshot(endingWith: .twoFaces)
        s.showPreview = true
        s.preview = SnapshotFixtures.preview
        s.message = String(repeating: "a long message ", count: 20)
        for w in stride(from: 1, through: 200, by: 7) {
            for h in stride(from: 1, through: 60, by: 3) {
                s.showHelp = (w + h) % 2 == 0
                let grid = DashboardView.render(s, width: w, height: h)
                #expect(grid.width == w && grid.height == h)
            }
        }
    }

    /// The header keeps its facts and shortens the device name when the width runs out.
    @Test func aLongDeviceNameGivesWay() {
        var s = SnapshotFixtures.snapshot(endingWith: .contact)
        s.source.device = "sim:" + String(repeating: "/very/long/folder", count: 8) + "/clip.mp4?pace=demand"
        let header = DashboardView.render(s, width: 100, height: 30).text(row: 0)
        #expect(header.contains("clip.mp4"))
        #expect(header.contains("dropped 2"))
    }
}
