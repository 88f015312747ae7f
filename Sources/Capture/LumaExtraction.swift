import CVision

/// Turns one driver buffer into the grey picture vision works on. GREY and YUYV already carry luma, so
/// they are only copied (YUYV's every other byte); (M)JPEG is decoded, at reduced scale when that still
/// covers what was asked.
enum LumaExtraction {
    struct Failure: Error { var reason: String }

    static func gray(from bytes: UnsafeRawBufferPointer, format: CaptureFormat, bytesPerLine: Int)
        throws(Failure) -> (pixels: [UInt8], width: Int, height: Int) {
        let width = format.width, height = format.height
        switch format.fourcc {
        case .grey, .yuyv:
            let bytesPerPixel = format.fourcc == .grey ? 1 : 2
            let stride = max(bytesPerLine, width * bytesPerPixel)
            guard bytes.count >= stride * (height - 1) + width * bytesPerPixel else {
                throw Failure(reason: "\(bytes.count) bytes is short of a \(width)x\(height) \(format.fourcc) frame")
            }
            let pixels = [UInt8](unsafeUninitializedCapacity: width * height) { out, count in
                let source = bytes.bindMemory(to: UInt8.self).baseAddress!
                for row in 0..<height {
                    let from = source + row * stride, to = out.baseAddress! + row * width
                    if bytesPerPixel == 1 {
                        to.update(from: from, count: width)
                    } else {
                        for x in 0..<width { to[x] = from[2 * x] }
                    }
                }
                count = width * height
            }
            return (pixels, width, height)
        default:
            let capacity = (width / format.reduction + 1) * (height / format.reduction + 1)
            var outWidth: Int32 = 0, outHeight: Int32 = 0
            var error = cvs_error()
            var status = CVS_OK
            let pixels = [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
                status = cvs_jpeg_decode_gray(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count,
                                              Int32(format.reduction), out.baseAddress, capacity, &outWidth,
                                              &outHeight, &error)
                count = status == CVS_OK ? Int(outWidth) * Int(outHeight) : 0
            }
            guard status == CVS_OK else { throw Failure(reason: CVisionText.message(error)) }
            return (pixels, Int(outWidth), Int(outHeight))
        }
    }
}
