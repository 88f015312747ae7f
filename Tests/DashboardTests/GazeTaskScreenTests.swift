import Dashboard
import GazeCore
import Testing

/// Golden frames of the challenge and calibration screen at 80x24 and 120x40, in the same format as the
/// dashboard's (see `DashboardViewTests`); regenerate after a deliberate change and review the diff:
///
///     GAZETOP_UPDATE_GOLDEN=1 swift test -c release --filter GazeTaskScreenTests
@Suite struct GazeTaskScreenTests {
    static let grid = ScreenGrid()

    enum State: String, CaseIterable, CustomTestStringConvertible {
        case getReadyNoFace, blinks, calibratingDot, cell1, cell2, cell3, cell4, cell5, cell6, pass, fail,
             inconclusive, calibrated, ascii, noColor

        var testDescription: String { rawValue }

        var view: GazeTaskView {
            let features = GazeFeatures(pupilOffset: Point(x: -0.0524, y: 0.0806), headPose: HeadPose(yaw: 3.14, pitch: -2.0, roll: 0))
            switch self {
            case .getReadyNoFace:
                return GazeTaskView(phase: .getReady, target: .camera, secondsLeft: 9.4,
                                    instruction: "look at the camera and blink", problem: .noFace)
            case .blinks:
                return GazeTaskView(phase: .blinks(seen: 1, wanted: 3), target: .camera, secondsLeft: 4.2,
                                    instruction: "look at the camera and blink a few times", features: features,
                                    gaze: GazeAngles(rightDeg: 1.2, upDeg: -0.4))
            case .calibratingDot:
                return GazeTaskView(phase: .calibrating(point: 2, of: 6), target: .cell(2), secondsLeft: 1.6,
                                    instruction: GazeTaskView.lookAt(.cell(2), grid: grid, dot: true), features: features,
                                    gaze: GazeAngles(rightDeg: 0.8, upDeg: -9.5))
            case .cell1, .cell2, .cell3, .cell4, .cell5, .cell6, .ascii, .noColor:
                let cell = self == .ascii || self == .noColor ? 5 : Int(String(rawValue.last!))!
                return GazeTaskView(phase: .sequence(index: cell % 3 + 1, of: 3), target: .cell(cell),
                                    secondsLeft: 3.0 - Double(cell) * 0.45,
                                    instruction: GazeTaskView.lookAt(.cell(cell), grid: grid))
            case .pass:
                return Self.finished(.pass, nil)
            case .fail:
                return Self.finished(.fail, ChallengeCheck.facePresent)
            case .inconclusive:
                return Self.finished(.inconclusive, nil, stop: .stopped)
            case .calibrated:
                return GazeTaskView(phase: .finished, instruction: "CALIBRATED - error 2.1 degrees", result: .pass)
            }
        }

        static func finished(_ result: ChallengeResult, _ failed: ChallengeCheck?, stop: ChallengeStop? = nil) -> GazeTaskView {
            let checks = failed.map { [CheckResult(check: $0, passed: false, value: 0.2, limit: 0.8)] } ?? []
            let outcome = ChallengeOutcome(result: result, sequence: [3, 1, 5], cells: [], overallAccuracy: 0.9,
                                           directionAccuracy: nil, checks: checks, stop: stop, calibration: nil,
                                           blinks: 1, measuredFrames: 200)
            return GazeTaskView(phase: .finished, instruction: outcome.headline, result: result)
        }

        var options: RenderOptions {
            switch self {
            case .ascii: RenderOptions(glyphs: .ascii, colors: .palette256)
            case .noColor: RenderOptions(glyphs: .unicode, colors: .none)
            default: RenderOptions()
            }
        }
    }

    static var cases: [(State, Int, Int)] { State.allCases.flatMap { s in DashboardViewTests.sizes.map { (s, $0.0, $0.1) } } }

    @Test(arguments: cases)
    func golden(state: State, width: Int, height: Int) throws {
        let grid = GazeTaskScreen.render(state.view, width: width, height: height, options: state.options)
        #expect(grid.width == width && grid.height == height)
        try DashboardViewTests.check(DashboardViewTests.dump(grid, state.options), against: "task-\(state.rawValue)-\(width)x\(height)")
    }

    // MARK: Properties beyond the goldens

    /// The lit cell is the view's target, and only it: filled, around the countdown at its centre.
    @Test(arguments: 1...6)
    func onlyTheTargetCellIsLit(cell: Int) {
        let view = GazeTaskView(phase: .sequence(index: 1, of: 3), target: .cell(cell), secondsLeft: 2.5,
                                instruction: GazeTaskView.lookAt(.cell(cell), grid: Self.grid))
        for (w, h) in DashboardViewTests.sizes {
            let grid = GazeTaskScreen.render(view, width: w, height: h)
            let lit = Self.litCells(grid)
            #expect(lit == [cell], "\(w)x\(h): lit \(lit)")
            // The box's centre carries the countdown (a big 3: its middle row is filled).
            let b = GazeTaskScreen.box(of: cell, width: w, height: h)
            #expect(grid[b.x + b.width / 2, b.y + b.height / 2].char == RenderOptions().glyphs.barFull)
        }
    }

    /// Which cells are filled with the target role, judged at each box's inner corner.
    static func litCells(_ grid: CellGrid) -> [Int] {
        Self.grid.cells.filter { cell in
            let b = GazeTaskScreen.box(of: cell, width: grid.width, height: grid.height)
            return grid[b.x + 1, b.y + 2].style == .role(.target)
        }
    }

    /// The countdown shows whole seconds rounded up: 2.1 s left reads 3.
    @Test func countdownRoundsUp() {
        let view = GazeTaskView(phase: .sequence(index: 1, of: 1), target: .cell(1), secondsLeft: 2.1, instruction: "x")
        let grid = GazeTaskScreen.render(view, width: 120, height: 40)
        let b = GazeTaskScreen.box(of: 1, width: 120, height: 40)
        let cx = b.x + b.width / 2, cy = b.y + b.height / 2
        let drawn = (0..<5).map { dy in
            String((0..<3).map { dx in grid[cx - 1 + dx, cy - 2 + dy].char == "█" ? "#" : "." as Character })
        }
        #expect(drawn == ["###", "..#", "###", "..#", "###"])
    }

    /// Calibrating: no cell is filled; a dot marks the target cell's centre.
    @Test func calibrationDotAtTheCentre() {
        let view = State.calibratingDot.view
        let grid = GazeTaskScreen.render(view, width: 80, height: 24)
        #expect(Self.litCells(grid).isEmpty)
        let b = GazeTaskScreen.box(of: 2, width: 80, height: 24)
        #expect(grid[b.x + b.width / 2, b.y + b.height / 2].char == "●")
        #expect(grid.text.contains(view.rawValues!))
    }

    /// The result names no score, only the word and the one reason.
    @Test func theResultShowsNoScores() {
        for state in [State.pass, .fail, .inconclusive] {
            let text = GazeTaskScreen.render(state.view, width: 80, height: 24).text
            #expect(!text.contains("%") && !text.contains("0.9") && !text.contains("accuracy"), "\(state)")
        }
        let fail = GazeTaskScreen.render(State.fail.view, width: 80, height: 24).text
        #expect(fail.contains("F A I L") && fail.contains("keep your face in view"))
        #expect(GazeTaskScreen.render(State.inconclusive.view, width: 80, height: 24).text.contains("T R Y   A G A I N"))
    }

    @Test func asciiDrawsOnlyASCII() {
        for state in State.allCases {
            for (w, h) in DashboardViewTests.sizes {
                let grid = GazeTaskScreen.render(state.view, width: w, height: h, options: RenderOptions(glyphs: .ascii, colors: .none))
                #expect(grid.cells.allSatisfy { $0.char.isASCII }, "\(state) \(w)x\(h)")
            }
        }
    }

    @Test func tooSmallSaysHowBigItMustBe() {
        let text = GazeTaskScreen.render(State.cell1.view, width: 39, height: 20).text
        #expect(text.contains("at least \(GazeTaskScreen.minimumWidth)x\(GazeTaskScreen.minimumHeight)"))
    }

    /// Any size, from 1x1 up, draws a grid of exactly that size without trapping.
    @Test func everySizeDraws() {
        for state in State.allCases {
            for w in stride(from: 1, through: 160, by: 13) {
                for h in stride(from: 1, through: 50, by: 7) {
                    let grid = GazeTaskScreen.render(state.view, width: w, height: h)
                    #expect(grid.width == w && grid.height == h)
                }
            }
        }
    }
}
