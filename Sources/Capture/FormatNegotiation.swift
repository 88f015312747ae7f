import Glibc

/// What the user asked the camera for.
public struct CaptureRequest: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var fps: Double

    public init(width: Int = 640, height: Int = 480, fps: Double = 30) {
        self.width = width
        self.height = height
        self.fps = fps
    }
}

/// The format chosen among those a camera offers, before the driver has had its say (`VIDIOC_S_FMT` may
/// still adjust it).
public struct CaptureFormat: Equatable, Sendable, CustomStringConvertible {
    public var fourcc: FourCC
    public var width: Int
    public var height: Int
    public var fps: Double
    /// For (M)JPEG: decode at 1/reduction of the camera's size (1, 2, 4 or 8), when that still covers the
    /// requested size. Always 1 for GREY and YUYV.
    public var reduction: Int

    public init(fourcc: FourCC, width: Int, height: Int, fps: Double, reduction: Int = 1) {
        self.fourcc = fourcc
        self.width = width
        self.height = height
        self.fps = fps
        self.reduction = reduction
    }

    public var description: String {
        "\(fourcc) \(width)x\(height) @ \(RateText.fps(fps)) fps" + (reduction > 1 ? " (decoded at 1/\(reduction))" : "")
    }
}

/// Picks the closest format a camera offers to what was asked.
///
/// Closeness weighs three things: how far the picture size is from the requested one (as a ratio of areas,
/// after any JPEG reduction), how far the rate falls short of the requested one (a faster rate is not
/// penalised: the pipeline keeps only the newest frame), and how much work the format costs per frame
/// (GREY and YUYV carry luma as it is, MJPEG needs a decode). Formats libv4l2 emulates are never chosen:
/// they are conversions of a native format we read directly for less.
public enum FormatNegotiation {
    /// Costs, in units of "one halving or doubling of the picture area".
    static let rateShortfallWeight = 2.0
    static let decodeCost = 0.3
    static let yuyvCost = 0.05

    public static func choose(from offered: [OfferedFormat], for request: CaptureRequest) -> CaptureFormat? {
        var best: (cost: Double, format: CaptureFormat)?
        for format in offered where format.fourcc.isReadable && !format.emulated {
            for size in candidateSizes(format, request) {
                let reduction = format.fourcc.isJPEG ? jpegReduction(size, request) : 1
                let area = Double(size.width / reduction * (size.height / reduction))
                let sizeCost = abs(log2(area / Double(request.width * request.height)))
                let fps = closestRate(size.rates, to: request.fps)
                let shortfall = fps.map { max(0, request.fps - $0) / request.fps } ?? 0
                let formatCost = format.fourcc.isJPEG ? decodeCost : (format.fourcc == .yuyv ? yuyvCost : 0)
                let cost = sizeCost + rateShortfallWeight * shortfall + formatCost
                if best == nil || cost < best!.cost {
                    best = (cost, CaptureFormat(fourcc: format.fourcc, width: size.width, height: size.height,
                                                fps: fps ?? request.fps, reduction: reduction))
                }
            }
        }
        return best?.format
    }

    /// The discrete sizes, or for a stepwise range the request clamped into it and snapped to its step.
    static func candidateSizes(_ format: OfferedFormat, _ request: CaptureRequest) -> [OfferedSize] {
        guard let step = format.sizeStep, let low = format.sizes.first, let high = format.sizes.last else {
            return format.sizes
        }
        func snap(_ v: Int, _ lo: Int, _ hi: Int, _ step: Int) -> Int {
            lo + (min(max(v, lo), hi) - lo) / step * step
        }
        let w = snap(request.width, low.width, high.width, step.width)
        let h = snap(request.height, low.height, high.height, step.height)
        return [OfferedSize(width: w, height: h, rates: high.rates.isEmpty ? low.rates : high.rates)]
    }

    /// The largest of 1, 2, 4, 8 that still decodes at least the requested size.
    static func jpegReduction(_ size: OfferedSize, _ request: CaptureRequest) -> Int {
        var reduction = 1
        while reduction < 8, size.width / (reduction * 2) >= request.width, size.height / (reduction * 2) >= request.height {
            reduction *= 2
        }
        return reduction
    }

    /// The offered rate nearest the request, preferring one at or above it.
    static func closestRate(_ rates: [Double], to wanted: Double) -> Double? {
        let atLeast = rates.filter { $0 >= wanted - 0.01 }
        return atLeast.min() ?? rates.max()
    }
}

extension RateText {
    static func fps(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
    }
}
