import Capture
import GazeCore

/// The dashboard's camera preview: a small grey copy of a frame, with the eye landmarks and pupils marked
/// where vision found them. Made on the vision queue, and only while the preview is shown.
enum PreviewImage {
    /// Scales `frame` down (averaging boxes of pixels) to fit `maxWidth` x `maxHeight`, keeping its shape.
    static func make(_ frame: Frame, face: FaceObservation?, maxWidth: Int, maxHeight: Int) -> Preview {
        let scale = max(Double(frame.width) / Double(maxWidth), Double(frame.height) / Double(maxHeight), 1)
        let width = max(1, Int(Double(frame.width) / scale))
        let height = max(1, Int(Double(frame.height) / scale))
        var pixels = [UInt8](repeating: 0, count: width * height)
        frame.gray.withUnsafeBufferPointer { src in
            for y in 0..<height {
                let y0 = y * frame.height / height, y1 = max(y0 + 1, (y + 1) * frame.height / height)
                for x in 0..<width {
                    let x0 = x * frame.width / width, x1 = max(x0 + 1, (x + 1) * frame.width / width)
                    var sum = 0
                    for yy in y0..<y1 {
                        let row = yy * frame.width
                        for xx in x0..<x1 { sum += Int(src[row + xx]) }
                    }
                    pixels[y * width + x] = UInt8(sum / ((y1 - y0) * (x1 - x0)))
                }
            }
        }
        var marks: [PreviewMark] = []
        if let face {
            func mark(_ p: Point, _ kind: PreviewMark.Kind) {
                let x = Int(p.x / scale), y = Int(p.y / scale)
                if x >= 0 && x < width && y >= 0 && y < height { marks.append(PreviewMark(x: x, y: y, kind: kind)) }
            }
            for p in face.leftEye.points.points + face.rightEye.points.points { mark(p, .landmark) }
            mark(face.leftEye.pupil, .pupil)
            mark(face.rightEye.pupil, .pupil)
        }
        return Preview(width: width, height: height, pixels: pixels, marks: marks)
    }
}
