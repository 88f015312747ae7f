import GazeCore
import Testing

@Suite struct BoxTests {
    /// (box, fraction) -> where a search near a followed face lets the face's centre be.
    @Test(arguments: [(Box, Double, Box)](arrayLiteral:
        (Box(x: 100, y: 100, width: 40, height: 60), 0.5, Box(x: 80, y: 70, width: 80, height: 120)),
        (Box(x: 100, y: 100, width: 40, height: 60), 0, Box(x: 100, y: 100, width: 40, height: 60)),
        (Box(x: 10, y: 20, width: 100, height: 50), 0.3, Box(x: -20, y: 5, width: 160, height: 80))
    ))
    func grownKeepsTheCentreAndGrowsEachSideByItsOwnSize(box: Box, fraction: Double, expected: Box) {
        let grown = box.grown(by: fraction)
        #expect(abs(grown.x - expected.x) < 1e-9 && abs(grown.y - expected.y) < 1e-9)
        #expect(abs(grown.width - expected.width) < 1e-9 && abs(grown.height - expected.height) < 1e-9)
        #expect(abs(grown.center.x - box.center.x) < 1e-9 && abs(grown.center.y - box.center.y) < 1e-9)
    }
}
