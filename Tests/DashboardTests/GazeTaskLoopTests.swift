import Dashboard
import GazeCore
import Testing

/// The challenge's UI loop on a screen in memory: scripted keys, a hand-driven clock, a task the test
/// moves along between keys.
@Suite struct GazeTaskLoopTests {
    final class World {
        var view = GazeTaskView(phase: .sequence(index: 1, of: 3), target: .cell(3), secondsLeft: 2.5, instruction: "look at cell 3")
        var done = false
        var seconds = 0.0
        var stops = 0

        func finish(_ result: ChallengeResult, _ headline: String) {
            view = GazeTaskView(phase: .finished, instruction: headline, result: result)
            done = true
        }
    }

    func loop(_ screen: MemoryScreen, _ world: World) -> GazeTaskLoop {
        GazeTaskLoop(screen: screen, latest: { world.view }, done: { world.done }, clock: { world.seconds })
    }

    /// The result stays until a key; the loop draws the final view.
    @Test func theResultStaysUntilAKey() {
        let world = World()
        let screen = MemoryScreen(width: 80, height: 24, keys: [nil, nil, nil, nil, .character("x")])
        screen.beforeKey = { n in
            if n == 1 { world.finish(.fail, "FAIL - keep your face in view") }
            world.seconds += 0.5
        }
        #expect(loop(screen, world).run(stop: { world.stops += 1 }, shouldStop: { false }) == .finished)
        #expect(screen.shown!.text.contains("F A I L"))
        #expect(world.stops == 0)
        #expect(world.seconds < DashboardConfig().resultSeconds, "a key closed it before the time ran out")
    }

    /// Without a key, the result goes after `resultSeconds` (a kiosk goes on by itself).
    @Test func theResultGoesByItself() {
        let world = World()
        world.finish(.pass, "PASS")
        let screen = MemoryScreen(width: 80, height: 24)
        screen.beforeKey = { _ in world.seconds += 0.25 }
        #expect(loop(screen, world).run(stop: {}, shouldStop: { false }) == .finished)
        #expect(world.seconds >= DashboardConfig().resultSeconds && world.seconds < DashboardConfig().resultSeconds + 0.5)
        #expect(screen.shown!.text.contains("P A S S"))
    }

    /// q asks the task to stop, once; the loop goes on until the task is done, and then leaves at once.
    @Test(arguments: [Key.character("q"), .escape])
    func qStopsTheTask(key: Key) {
        let world = World()
        let screen = MemoryScreen(width: 80, height: 24, keys: [nil, key, key, nil, nil])
        screen.beforeKey = { n in if n == 3 { world.finish(.inconclusive, "TRY AGAIN - please try again") } }
        let l = loop(screen, world)
        #expect(l.run(stop: { world.stops += 1 }, shouldStop: { false }) == .finished)
        #expect(world.stops == 1 && l.stopAsked)
        #expect(world.seconds == 0, "no wait for the result after a stop")
    }

    @Test func interruptedLeavesAtOnce() {
        let world = World()
        let screen = MemoryScreen(width: 80, height: 24)
        var polls = 0
        #expect(loop(screen, world).run(stop: {}, shouldStop: { polls += 1; return polls > 3 }) == .interrupted)
        #expect(screen.shown!.text.contains("1/3"))
    }
}
