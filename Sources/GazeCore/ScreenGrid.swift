#if canImport(Glibc)
import Glibc // atan() only: libm
#endif

/// Where the person looks: the camera, or one cell of the challenge grid.
public enum GazeTarget: Hashable, Sendable {
    case camera
    case cell(Int)
}

/// The challenge grid on the screen, in degrees of gaze as `GazeAngles` measures them: the camera is at
/// (0, 0), rightDeg grows to the person's right, upDeg upwards, so the whole screen lies below the camera.
/// Cells are numbered from 1, left to right, top row first.
public struct ScreenGrid: Sendable, Equatable {
    public let config: ScreenConfig

    public init(config: ScreenConfig = ScreenConfig()) {
        self.config = config
    }

    public var cellCount: Int { config.columns * config.rows }
    public var cells: ClosedRange<Int> { 1...cellCount }

    /// 0-based column and row of a cell (1-based number).
    public func column(of cell: Int) -> Int { (cell - 1) % config.columns }
    public func row(of cell: Int) -> Int { (cell - 1) / config.columns }

    /// A cell's edges in degrees.
    public struct Bounds: Equatable, Sendable {
        public var leftDeg: Double
        public var rightDeg: Double
        public var bottomDeg: Double
        public var topDeg: Double

        public func contains(_ g: GazeAngles) -> Bool {
            g.rightDeg >= leftDeg && g.rightDeg < rightDeg && g.upDeg >= bottomDeg && g.upDeg < topDeg
        }

        /// The bounds grown by `deg` on every side.
        public func widened(by deg: Double) -> Bounds {
            Bounds(leftDeg: leftDeg - deg, rightDeg: rightDeg + deg, bottomDeg: bottomDeg - deg, topDeg: topDeg + deg)
        }

        public var widthDeg: Double { rightDeg - leftDeg }
        public var heightDeg: Double { topDeg - bottomDeg }
    }

    public func bounds(of cell: Int) -> Bounds {
        let w = config.widthCm / Double(config.columns), h = config.heightCm / Double(config.rows)
        let left = -config.widthCm / 2 + Double(column(of: cell)) * w
        let top = config.heightCm / 2 - Double(row(of: cell)) * h
        return Bounds(leftDeg: horizontalDeg(left), rightDeg: horizontalDeg(left + w),
                      bottomDeg: verticalDeg(top - h), topDeg: verticalDeg(top))
    }

    /// The gaze direction of a cell's centre (on the screen, not the middle of its angles).
    public func centre(of cell: Int) -> GazeAngles {
        let w = config.widthCm / Double(config.columns), h = config.heightCm / Double(config.rows)
        let x = -config.widthCm / 2 + (Double(column(of: cell)) + 0.5) * w
        let y = config.heightCm / 2 - (Double(row(of: cell)) + 0.5) * h
        return GazeAngles(rightDeg: horizontalDeg(x), upDeg: verticalDeg(y))
    }

    /// The direction of a target: the camera is (0, 0).
    public func direction(of target: GazeTarget) -> GazeAngles {
        switch target {
        case .camera: GazeAngles(rightDeg: 0, upDeg: 0)
        case .cell(let n): centre(of: n)
        }
    }

    /// The cell a gaze falls in, nil off the grid.
    public func cell(at gaze: GazeAngles) -> Int? {
        cells.first { bounds(of: $0).contains(gaze) }
    }

    /// Words for a cell, for the person: "top left", "bottom middle". Grids other than 3x2 use numbers.
    public func name(of cell: Int) -> String {
        guard config.columns == 3, config.rows == 2 else { return "row \(row(of: cell) + 1), column \(column(of: cell) + 1)" }
        return ["top", "bottom"][row(of: cell)] + " " + ["left", "middle", "right"][column(of: cell)]
    }

    /// Screen centimetres (from the screen's centre, right and up) as degrees from the camera direction.
    private func horizontalDeg(_ xCm: Double) -> Double { atan(xCm / config.viewingDistanceCm) * 180 / .pi }
    private func verticalDeg(_ yCm: Double) -> Double {
        atan((yCm - config.cameraAboveCentreCm) / config.viewingDistanceCm) * 180 / .pi
    }
}
