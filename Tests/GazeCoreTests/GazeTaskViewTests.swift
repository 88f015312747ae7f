import Testing
@testable import GazeCore

/// The one-line form of a view, as the headless display prints it.
@Suite struct GazeTaskViewTests {
    @Test("Status lines", arguments: [
        (GazeTaskView(phase: .getReady, target: .camera, secondsLeft: 14.96, instruction: "look at the camera and blink",
                      problem: .tooDark),
         "get ready: look at the camera and blink - more light on your face, please 15.0 s"),
        (GazeTaskView(phase: .sequence(index: 2, of: 3), target: .cell(3), secondsLeft: 2.06, instruction: "look at cell 3 (top right)"),
         "2/3: look at cell 3 (top right) 2.1 s"),
        (GazeTaskView(phase: .calibrating(point: 1, of: 2), target: .cell(1), secondsLeft: 0.04, instruction: "look at cell 1 (top left)"),
         "calibrating 1/2: look at cell 1 (top left) 0.0 s"),
        (GazeTaskView(phase: .blinks(seen: 1, wanted: 3), target: .camera, secondsLeft: 5,
                      instruction: "look at the camera and blink a few times"),
         "look at the camera and blink a few times (1/3) 5.0 s"),
        (GazeTaskView(phase: .finished, instruction: "PASS", result: .pass), "PASS"),
    ])
    func statusLine(view: GazeTaskView, line: String) {
        #expect(view.statusLine == line)
    }

    @Test func targetsInWords() {
        #expect(GazeTaskView.describe(.camera, grid: ScreenGrid()) == "the camera")
        #expect(GazeTaskView.describe(.cell(4), grid: ScreenGrid()) == "cell 4 (bottom left)")
    }
}

extension GazeTaskViewTests {
    @Test func rawValuesForTheCalibrationScreen() {
        var view = GazeTaskView(phase: .calibrating(point: 3, of: 6), target: .cell(3), instruction: "look at the dot in cell 3 (top right)")
        #expect(view.rawValues == nil)
        view.features = GazeFeatures(pupilOffset: Point(x: -0.0524, y: 0.0806), headPose: HeadPose(yaw: 3.14, pitch: -2.0, roll: 0))
        #expect(view.rawValues == "pupil -0.052 +0.081, head yaw +3.1 pitch -2.0")
        view.gaze = GazeAngles(rightDeg: 12.06, upDeg: -0.04)
        #expect(view.rawValues == "pupil -0.052 +0.081, head yaw +3.1 pitch -2.0, gaze +12.1 +0.0 deg")
    }
}
