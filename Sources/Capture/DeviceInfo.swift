/// One frame size a camera offers in some format, with the frame rates it offers at that size.
public struct OfferedSize: Equatable, Sendable {
    public var width: Int
    public var height: Int
    /// Frame rates in frames per second, fastest first. For a camera that gives a continuous range, its two
    /// ends.
    public var rates: [Double]

    public init(width: Int, height: Int, rates: [Double]) {
        self.width = width
        self.height = height
        self.rates = rates
    }
}

/// One pixel format a camera offers, with its frame sizes.
public struct OfferedFormat: Equatable, Sendable {
    public var fourcc: FourCC
    /// The driver's words for it ("YUYV 4:2:2", "Motion-JPEG").
    public var name: String
    /// True for formats libv4l2 makes up by converting another one in software.
    public var emulated: Bool
    /// Discrete sizes. A camera with a stepwise range lists its smallest and largest sizes and
    /// `sizeStep`.
    public var sizes: [OfferedSize]
    public var sizeStep: (width: Int, height: Int)?

    public init(fourcc: FourCC, name: String, emulated: Bool = false, sizes: [OfferedSize],
                sizeStep: (width: Int, height: Int)? = nil) {
        self.fourcc = fourcc
        self.name = name
        self.emulated = emulated
        self.sizes = sizes
        self.sizeStep = sizeStep
    }

    public static func == (a: OfferedFormat, b: OfferedFormat) -> Bool {
        a.fourcc == b.fourcc && a.name == b.name && a.emulated == b.emulated && a.sizes == b.sizes
            && a.sizeStep?.width == b.sizeStep?.width && a.sizeStep?.height == b.sizeStep?.height
    }
}

/// What a V4L2 node says about itself: identity from `VIDIOC_QUERYCAP`, formats from `VIDIOC_ENUM_FMT`,
/// `VIDIOC_ENUM_FRAMESIZES` and `VIDIOC_ENUM_FRAMEINTERVALS`.
public struct DeviceInfo: Equatable, Sendable {
    public var path: String
    public var card: String
    public var driver: String
    public var bus: String
    /// Captures video (not only metadata, not an output).
    public var isCapture: Bool
    public var formats: [OfferedFormat]

    public init(path: String, card: String, driver: String, bus: String, isCapture: Bool, formats: [OfferedFormat]) {
        self.path = path
        self.card = card
        self.driver = driver
        self.bus = bus
        self.isCapture = isCapture
        self.formats = formats
    }

    /// Drivers that make a camera out of software rather than a sensor. A kiosk refuses them: anything can
    /// be played into a loopback device.
    static let virtualDrivers = ["v4l2 loopback", "v4l2loopback", "vivid", "akvcam", "gazetop-sim"]

    /// A software camera (v4l2loopback, OBS Virtual Camera, vivid, akvcam, gazetop's own simulator), told by its driver
    /// name and bus: real cameras sit on usb-, pci- or a SoC's platform bus under their own driver.
    public var isVirtual: Bool {
        let driver = driver.lowercased(), bus = bus.lowercased()
        return DeviceInfo.virtualDrivers.contains(where: { driver.contains($0) })
            || bus.hasPrefix("platform:v4l2loopback") || bus.contains("vivid") || bus.contains("virtual")
            || bus.hasPrefix("sim:")
    }
}
