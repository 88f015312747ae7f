import ArgumentParser
import Capture
import Monitor

/// What a long-running stream does about a camera that goes away or is a virtual one: the monitor's and
/// calibration's (the challenge refuses virtual cameras unless told otherwise, and does not wait).
struct StreamOptions: ParsableArguments {
    @Flag(name: .long, help: "When the camera goes away, wait for it to come back instead of stopping.")
    var reconnect = false

    @Flag(name: .customLong("real-camera"), help: "Refuse a virtual camera (v4l2loopback, OBS, vivid, sim:).")
    var realCamera = false

    func apply(to o: inout LiveOptions) {
        o.reconnect = reconnect
        o.refuseVirtual = realCamera
    }
}

/// Which camera to open and how: shared by every command that streams live.
struct CameraOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A V4L2 device, or sim:VIDEO[?options] for a simulated camera (see below).",
        discussion: "Default: the first capture device that is not a virtual camera, else the first one.",
        valueName: "path"))
    var device: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Picture size to ask the camera for.", valueName: "WxH"))
    var size = "640x480"

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Frame rate to ask the camera for.", valueName: "fps"))
    var fps = 30.0

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Fail when no frame comes for this long.", valueName: "seconds"))
    var timeout = 5.0

    @Flag(name: .long, help: "With sim:, play the video again from the start when it ends.")
    var loop = false

    /// The largest picture asked for: 8K UHD, beyond any webcam (a simulated camera allocates its frames).
    static let maxSize = (width: 7680, height: 4320)
    static let maxFps = 1000.0

    // Numbers are read unconditionally (`parsing: .unconditional`), so `--fps -5` is refused here as a
    // number below 0 rather than taken for an option and called a missing value.
    func validate() throws {
        guard let s = SimulatedCameraConfig.size(size, evenWidth: false) else {
            throw ValidationError("--size wants WIDTHxHEIGHT, like 640x480, not \(size)")
        }
        guard s.width <= Self.maxSize.width && s.height <= Self.maxSize.height else {
            throw ValidationError("--size \(size) is larger than any camera; at most \(Self.maxSize.width)x\(Self.maxSize.height)")
        }
        guard s.width % 2 == 0 else { throw ValidationError("--size wants an even width (YUYV pairs pixels), not \(size)") }
        guard fps > 0 && fps <= Self.maxFps else {
            throw ValidationError("--fps must be above 0 and at most \(Int(Self.maxFps)), not \(fps)")
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be above 0") }
        if let device, SimulatedCameraConfig.isSimulated(device) {
            do { _ = try SimulatedCameraConfig(parsing: device) } catch { throw ValidationError(error.description) }
        } else if loop {
            throw ValidationError("--loop goes with --device sim:VIDEO")
        }
    }

    var liveOptions: LiveOptions {
        var o = LiveOptions()
        let s = SimulatedCameraConfig.size(size)!
        o.request = CaptureRequest(width: s.width, height: s.height, fps: fps)
        o.frameTimeoutSeconds = timeout
        // A simulated camera paced by demand serves every frame; vision must then see every one of them
        // (tests compare its records with analyze's), so capture waits for vision instead of dropping.
        if let device, SimulatedCameraConfig.isSimulated(device),
           let config = try? SimulatedCameraConfig(parsing: device), config.pacing == .demand {
            o.lossless = true
        }
        return o
    }

    /// The path of the camera `camera()` opens, without opening it (for asking it who it is).
    var devicePath: String? {
        if let device { return device }
        return DeviceList.defaultCamera(DeviceList.scan(DeviceList.nodePaths()))?.path
    }

    /// The camera to stream from; for sim:, also the simulated device (for its counters).
    func camera() throws(CommandFailure) -> (V4L2Camera, SimulatedV4L2Device?) {
        if let device, SimulatedCameraConfig.isSimulated(device) {
            var config: SimulatedCameraConfig
            do { config = try SimulatedCameraConfig(parsing: device) } catch { throw CommandFailure(.input, "\(error)") }
            config.loops = config.loops || loop
            let simulator: SimulatedV4L2Device
            do { simulator = try SimulatedV4L2Device(config: config) } catch { throw CommandFailure(.input, "\(error)") }
            return (V4L2Camera(path: device, driver: simulator), simulator)
        }
        if let device { return (V4L2Camera(path: device), nil) }
        guard let found = DeviceList.defaultCamera(DeviceList.scan(DeviceList.nodePaths())) else {
            throw CommandFailure(CameraError.noCamera(path: nil))
        }
        return (V4L2Camera(path: found.path), nil)
    }

    /// Help text for the sim: syntax, shared by the commands that take --device. Paragraphs are single
    /// lines (the help formatter wraps them); table rows stay under 80 columns.
    static let simulatorHelp = """
        Simulated camera: --device sim:VIDEO[?key=value&...] streams a video file through a software \
        V4L2 device at the video's own rate, so the live path can be tried without a camera. VIDEO may \
        also be a folder of images (name order, 30 fps) or one image (a still photo: served again and \
        again). It counts as a virtual camera. Keys:
          formats=YUYV,MJPG,GREY   formats offered, in order (default YUYV,MJPG);
                                   an unreadable one (H264) is refused, exit 10
          sizes=640x480,320x240    sizes offered (default: own, 640x480, 320x240)
          fps=N                    serve N frames per second, not the video's rate
          pace=realtime|demand     demand: next frame once the last was taken (tests)
          fail=busy|permission|missing   fail at open (exit 9, 8, 6)
          unplug-after=N           the device disappears after N frames (exit 11)
          replug-after-ms=MS       ...and comes back MS milliseconds later
          stall-after=N            no frame after the Nth (exit 12 after --timeout)
          loop                     same as --loop
        """

    static let exitCodesHelp = """
        Exit status: 0 quit with q, stopped by Ctrl-C, or the simulated video ended; 3 unreadable video for sim:; \
        4 model missing; 5 output not written; 6 no camera (or another camera failure); 8 permission \
        denied (join the 'video' group); 9 camera busy (another program holds it); 10 no supported \
        format; 11 camera unplugged; 12 no frame within --timeout; 13 the terminal cannot show the \
        dashboard (a locale without UTF-8 and no --ascii).
        """
}
