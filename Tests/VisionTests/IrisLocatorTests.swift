import CVision
import Testing

/// CVision's iris locator (`cvs_measure_eye`'s pupil) on drawn eyes: a bright opening between corners
/// 40 px apart, a dark iris disc of 0.23 eye widths radius.
struct IrisLocatorTests {
    /// A 120x80 grey picture: skin 150, the eye opening (an ellipse between the corners at x 40 and 80,
    /// y 40) sclera 220, the iris disc 60 at `irisX`, and optionally a dark rim (a spectacle frame's edge,
    /// 40) across the opening's inner end.
    static func measure(irisX: Double, rim: Bool, irisLevel: UInt8 = 60) -> Double? {
        let width = 120, height = 80
        var pixels = [UInt8](repeating: 150, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let dx = (Double(x) - 60) / 20, dy = (Double(y) - 40) / 7
                guard dx * dx + dy * dy <= 1 else { continue }
                let ix = Double(x) - irisX, iy = Double(y) - 40
                var level: UInt8 = ix * ix + iy * iy <= 9.2 * 9.2 ? irisLevel : 220
                let rx = Double(x) - 44
                if rim && rx * rx + iy * iy <= 5 * 5 { level = 20 }
                pixels[y * width + x] = level
            }
        }
        let eye: [Float] = [40, 40, 53, 33, 67, 33, 80, 40, 67, 47, 53, 47]
        var out = cvs_eye_measure()
        var error = cvs_error()
        let status = pixels.withUnsafeBufferPointer { p in
            eye.withUnsafeBufferPointer { e in
                cvs_measure_eye(cvs_image(pixels: p.baseAddress, width: Int32(width), height: Int32(height), stride: Int32(width)),
                                e.baseAddress, &out, &error)
            }
        }
        return status == CVS_OK ? Double(out.pupil_x) : nil
    }

    @Test(arguments: [60.0, 64.0, 55.0, 68.0])
    func theIrisIsFound(at x: Double) throws {
        let found = try #require(Self.measure(irisX: x, rim: false))
        #expect(abs(found - x) <= 1, "found \(found)")
    }

    /// The darkest place is the rim at the corner, 0.4 eye widths from the middle, darker than a faint
    /// iris (as on a small, blurred face behind glasses): further than an eye turns (0.25), so the iris is
    /// found instead.
    @Test func aDarkRimAtTheCornerIsNotTheIris() throws {
        let found = try #require(Self.measure(irisX: 64, rim: true, irisLevel: 130))
        #expect(abs(found - 64) <= 1.5, "found \(found)")
    }
}
