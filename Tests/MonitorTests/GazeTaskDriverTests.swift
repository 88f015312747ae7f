import GazeCore
import Monitor
import Testing

/// The driver between the vision queue and the screen: the newest view, stops asked from another thread,
/// the task handed back once finished. Driven here from one thread, in the order the queues would.
@Suite struct GazeTaskDriverTests {
    static func frame(_ ms: Double) -> ChallengeFrame {
        ChallengeFrame(timeMs: ms, face: false, faces: 0, features: nil, eyesOpen: false, blinkCount: 0,
                       frameLevel: 120, faceWidthPixels: nil, digest: UInt64(ms), landmarkMotion: nil)
    }

    @Test func viewsFollowTheFramesAndAStopEndsTheTask() {
        var seen: [GazeTaskView] = []
        let driver = GazeTaskDriver(ChallengeSession(sequence: [3, 1, 5], calibration: nil), onView: { seen.append($0) })
        #expect(driver.view.phase == .getReady && !driver.isFinished && driver.finishedTask == nil)
        driver.take(Self.frame(0))
        driver.take(Self.frame(33))
        #expect(seen.count == 2 && driver.view == seen.last)
        #expect(driver.view.problem == .noFace)
        driver.requestStop(.stopped)
        driver.requestStop(.expired) // the first reason wins
        #expect(!driver.isFinished, "a stop takes effect on the vision queue, not where it is asked")
        driver.take(Self.frame(66))
        #expect(driver.isFinished)
        #expect(driver.view.phase == .finished && driver.view.result == .inconclusive)
        #expect(driver.finishedTask?.outcome?.stop == .stopped)
        driver.take(Self.frame(99))
        #expect(seen.count == 3, "nothing after the end")
    }

    /// With no frames coming (the stream ended), `end` finishes the task as ended by the stream.
    @Test func endWithoutFrames() {
        let driver = GazeTaskDriver(CalibrationSession())
        driver.end()
        #expect(driver.isFinished && driver.view.result == .inconclusive)
        #expect(driver.finishedTask?.outcome?.stop == .streamEnded)
    }
}
