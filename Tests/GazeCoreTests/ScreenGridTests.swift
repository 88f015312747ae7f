import Foundation
import Testing
@testable import GazeCore

/// The 2x3 grid in degrees of gaze, with the camera above the screen's centre.
@Suite struct ScreenGridTests {
    let grid = ScreenGrid()

    @Test func cellsAreNumberedLeftToRightTopRowFirst() {
        #expect(grid.cells == 1...6)
        #expect((1...6).map { grid.column(of: $0) } == [0, 1, 2, 0, 1, 2])
        #expect((1...6).map { grid.row(of: $0) } == [0, 0, 0, 1, 1, 1])
        #expect((1...6).map { grid.name(of: $0) } == ["top left", "top middle", "top right",
                                                      "bottom left", "bottom middle", "bottom right"])
    }

    @Test func cellsTileTheScreenBelowTheCamera() {
        for cell in 1...6 {
            let b = grid.bounds(of: cell)
            #expect(b.topDeg < 0, "cell \(cell) reaches above the camera")
            #expect(b.leftDeg < b.rightDeg && b.bottomDeg < b.topDeg)
            // Each cell spans about 10-16 degrees (the screen model) and holds its own centre.
            #expect(b.widthDeg > 10 && b.widthDeg < 17.5, "cell \(cell) width \(b.widthDeg)")
            #expect(b.heightDeg > 10 && b.heightDeg < 16, "cell \(cell) height \(b.heightDeg)")
            #expect(grid.cell(at: grid.centre(of: cell)) == cell)
        }
        // Neighbours share their edges: no gap and no overlap.
        #expect(grid.bounds(of: 1).rightDeg == grid.bounds(of: 2).leftDeg)
        #expect(grid.bounds(of: 2).rightDeg == grid.bounds(of: 3).leftDeg)
        #expect(grid.bounds(of: 1).bottomDeg == grid.bounds(of: 4).topDeg)
        // Left and right mirror each other.
        #expect(abs(grid.centre(of: 1).rightDeg + grid.centre(of: 3).rightDeg) < 1e-12)
        #expect(grid.centre(of: 2).rightDeg == 0)
    }

    @Test("Gaze off the grid is in no cell", arguments: [
        GazeAngles(rightDeg: 0, upDeg: 0),     // the camera
        GazeAngles(rightDeg: 0, upDeg: 5),     // above the screen
        GazeAngles(rightDeg: 40, upDeg: -10),  // right of it
        GazeAngles(rightDeg: -40, upDeg: -10), // left of it
        GazeAngles(rightDeg: 0, upDeg: -40),   // below it
    ])
    func offGrid(_ g: GazeAngles) {
        #expect(grid.cell(at: g) == nil)
    }

    @Test func geometryFollowsTheScreenModel() {
        // A cell's centre is atan(offset / distance): the middle column's centre straight below the
        // camera, the top row's half a row height below the screen's top.
        var c = ScreenConfig()
        c.widthCm = 60; c.heightCm = 30; c.viewingDistanceCm = 60; c.cameraAboveCentreCm = 15
        let g = ScreenGrid(config: c)
        let deg = 180 / Double.pi
        #expect(abs(g.centre(of: 3).rightDeg - atan(20.0 / 60) * deg) < 1e-9)
        #expect(abs(g.centre(of: 2).upDeg - atan(-7.5 / 60) * deg) < 1e-9)
        #expect(abs(g.bounds(of: 6).bottomDeg - atan(-30.0 / 60) * deg) < 1e-9)
        #expect(g.direction(of: .camera) == GazeAngles(rightDeg: 0, upDeg: 0))
    }
}
