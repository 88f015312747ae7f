import GazeCore
import Testing

@Suite struct BoxTests {
    /// (box, fraction, picture) -> the region searched around a face.
    @Test(arguments: [(Box, Double, Box)](arrayLiteral:
        (Box(x: 100, y: 100, width: 40, height: 60), 0.5, Box(x: 70, y: 70, width: 100, height: 120)),
        // clipped at the picture's edges
        (Box(x: 5, y: 10, width: 40, height: 40), 0.5, Box(x: 0, y: 0, width: 65, height: 70)),
        (Box(x: 290, y: 200, width: 40, height: 40), 1.0, Box(x: 250, y: 160, width: 70, height: 80)),
        // fractional edges round outwards
        (Box(x: 10.4, y: 10.6, width: 20, height: 20), 0, Box(x: 10, y: 10, width: 21, height: 21)),
        // entirely outside the picture: nothing to search
        (Box(x: 400, y: 10, width: 20, height: 20), 0.5, Box(x: 390, y: 0, width: 0, height: 40))
    ))
    func expandedGrowsByTheLargerSideAndStaysInThePicture(box: Box, fraction: Double, expected: Box) {
        #expect(box.expanded(by: fraction, within: 320, 240) == expected)
    }
}
