import CV4L2
import Glibc

/// The questions asked of a node before capturing: who it is and what it offers.
extension V4L2Funnel {
    /// Identity and capabilities. The corresponding C call is `VIDIOC_QUERYCAP`.
    func describe() throws(CameraError) -> DeviceInfo {
        var caps = v4l2_capability()
        try call(.queryCapabilities, &caps)
        // device_caps is what this node can do; capabilities covers every node of the physical device.
        let nodeCaps = caps.capabilities & UInt32(V4L2_CAP_DEVICE_CAPS) != 0 ? caps.device_caps : caps.capabilities
        let isCapture = nodeCaps & UInt32(V4L2_CAP_VIDEO_CAPTURE) != 0 && nodeCaps & UInt32(V4L2_CAP_STREAMING) != 0
        return DeviceInfo(path: path, card: cText(caps.card), driver: cText(caps.driver), bus: cText(caps.bus_info),
                          isCapture: isCapture, formats: isCapture ? try formats() : [])
    }

    /// Every capture format with its sizes and rates. The corresponding C call is `VIDIOC_ENUM_FMT`.
    func formats() throws(CameraError) -> [OfferedFormat] {
        var formats: [OfferedFormat] = []
        for index in 0..<64 {
            var desc = v4l2_fmtdesc()
            desc.index = UInt32(index)
            desc.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            if try call(.enumerateFormats, &desc, expecting: [Errno(EINVAL)]) != nil { break }
            let fourcc = FourCC(rawValue: desc.pixelformat)
            let (sizes, step) = try frameSizes(fourcc)
            formats.append(OfferedFormat(fourcc: fourcc, name: cText(desc.description),
                                         emulated: desc.flags & UInt32(V4L2_FMT_FLAG_EMULATED) != 0,
                                         sizes: sizes, sizeStep: step))
        }
        return formats
    }

    /// The corresponding C call is `VIDIOC_ENUM_FRAMESIZES`.
    func frameSizes(_ fourcc: FourCC) throws(CameraError) -> ([OfferedSize], (width: Int, height: Int)?) {
        var sizes: [OfferedSize] = []
        for index in 0..<64 {
            var size = v4l2_frmsizeenum()
            size.index = UInt32(index)
            size.pixel_format = fourcc.rawValue
            if try call(.enumerateFrameSizes, &size, expecting: [Errno(EINVAL)]) != nil { break }
            if size.type == V4L2_FRMSIZE_TYPE_DISCRETE.rawValue {
                let w = Int(size.discrete.width), h = Int(size.discrete.height)
                sizes.append(OfferedSize(width: w, height: h, rates: try frameRates(fourcc, width: w, height: h)))
            } else {
                // Stepwise or continuous: one answer covers the range; keep its ends and the step.
                let s = size.stepwise
                let low = OfferedSize(width: Int(s.min_width), height: Int(s.min_height),
                                      rates: try frameRates(fourcc, width: Int(s.min_width), height: Int(s.min_height)))
                let high = OfferedSize(width: Int(s.max_width), height: Int(s.max_height),
                                       rates: try frameRates(fourcc, width: Int(s.max_width), height: Int(s.max_height)))
                return ([low, high], (max(1, Int(s.step_width)), max(1, Int(s.step_height))))
            }
        }
        return (sizes, nil)
    }

    /// Frame rates at one size, fastest first. The corresponding C call is `VIDIOC_ENUM_FRAMEINTERVALS`.
    func frameRates(_ fourcc: FourCC, width: Int, height: Int) throws(CameraError) -> [Double] {
        var rates: [Double] = []
        for index in 0..<64 {
            var interval = v4l2_frmivalenum()
            interval.index = UInt32(index)
            interval.pixel_format = fourcc.rawValue
            interval.width = UInt32(width)
            interval.height = UInt32(height)
            if try call(.enumerateFrameIntervals, &interval, expecting: [Errno(EINVAL), Errno(ENOTTY)]) != nil { break }
            if interval.type == V4L2_FRMIVAL_TYPE_DISCRETE.rawValue {
                if let fps = fps(interval.discrete) { rates.append(fps) }
            } else {
                // A continuous range: its fastest and slowest rate (min interval is max rate).
                rates += [fps(interval.stepwise.min), fps(interval.stepwise.max)].compactMap { $0 }
                break
            }
        }
        return rates.sorted(by: >)
    }

    private func fps(_ f: v4l2_fract) -> Double? {
        f.numerator > 0 && f.denominator > 0 ? Double(f.denominator) / Double(f.numerator) : nil
    }
}
