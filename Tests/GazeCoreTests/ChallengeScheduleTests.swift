import GazeCore
import Testing

/// The schedule a page shows for a challenge: exact offsets from the configuration and the plan.
@Suite struct ChallengeScheduleTests {
    @Test func stepsFollowEachOtherFromZero() {
        var config = GazeConfig()
        config.challenge.areaDurationSeconds = 2.5
        let plan = CalibrationPlan(cells: [3, 4], pointSeconds: [2.25, 1.875])
        let schedule = ChallengeSchedule(sequence: [1, 5, 2], plan: plan, config: config)
        #expect(schedule.steps.map(\.kind) == [.getReady, .calibration, .calibration, .cell, .cell, .cell])
        #expect(schedule.steps.map(\.cell) == [nil, 3, 4, 1, 5, 2])
        #expect(schedule.steps.map(\.startSeconds) == [0, 1, 3.25, 5.125, 7.625, 10.125])
        #expect(schedule.steps.map(\.durationSeconds) == [1, 2.25, 1.875, 2.5, 2.5, 2.5])
        #expect(schedule.totalSeconds == 12.625)
        #expect(schedule.steps[0].instruction == "look at the camera and blink")
        #expect(schedule.steps[1].instruction == "look at the dot in cell 3 (top right)")
        #expect(schedule.steps[3].instruction == "look at cell 1 (top left)")
    }

    /// The session's own timing: what `ChallengeSession` schedules after get ready is what the page shows
    /// after get ready's `readyHoldSeconds`.
    @Test func matchesTheSessionsSchedule() {
        let plan = CalibrationPlan(cells: [1, 6], pointSeconds: [2.1, 2.4])
        let config = GazeConfig()
        let schedule = ChallengeSchedule(sequence: [2, 4, 6], plan: plan, config: config)
        let session = ChallengeSession(sequence: [2, 4, 6], calibration: nil, plan: plan, config: config)
        #expect(abs(schedule.totalSeconds - config.challenge.readyHoldSeconds - session.scheduledSeconds) < 1e-9)
    }

    /// Without a plan (a saved calibration), the cells follow get ready at once.
    @Test func noCalibrationWithoutAPlan() {
        let schedule = ChallengeSchedule(sequence: [6], plan: nil)
        #expect(schedule.steps.map(\.kind) == [.getReady, .cell])
        #expect(schedule.steps[1].startSeconds == GazeConfig().challenge.readyHoldSeconds)
    }
}
