import Capture
import Glibc
import Testing

@Suite struct DeviceListTests {
    @Test func findsVideoNodesInNumberOrderAndNothingElse() throws {
        var template = Array("/tmp/gazetop-devlist-XXXXXX".utf8CString)
        guard let folder = mkdtemp(&template).map({ String(cString: $0) }) else { Issue.record("mkdtemp failed"); return }
        defer { _ = try? FileManagerless.removeTree(folder) }
        for name in ["video10", "video2", "video0", "vbi0", "videoX", "media0"] {
            close(open(folder + "/" + name, O_CREAT | O_WRONLY, 0o600))
        }
        #expect(DeviceList.nodePaths(in: folder) == ["video0", "video2", "video10"].map { folder + "/" + $0 })
    }

    static let webcam = DeviceInfo(
        path: "/dev/video0", card: "HD Webcam C270", driver: "uvcvideo", bus: "usb-0000:00:14.0-1", isCapture: true,
        formats: [OfferedFormat(fourcc: .yuyv, name: "YUYV 4:2:2",
                                sizes: [OfferedSize(width: 640, height: 480, rates: [30, 15])])])
    static let loopback = DeviceInfo(path: "/dev/video4", card: "OBS Virtual Camera", driver: "v4l2 loopback",
                                     bus: "platform:v4l2loopback-000", isCapture: true, formats: [])

    @Test func marksVirtualCamerasByDriverAndBus() {
        #expect(!Self.webcam.isVirtual)
        #expect(Self.loopback.isVirtual)
        #expect(DeviceList.defaultCamera([.device(Self.loopback), .device(Self.webcam)]) == Self.webcam)
        #expect(DeviceList.defaultCamera([.device(Self.loopback)]) == Self.loopback)
        #expect(DeviceList.defaultCamera([]) == nil)
    }

    @Test func writesDevicesForPeople() {
        let entries: [DeviceList.Entry] = [.device(Self.webcam), .device(Self.loopback),
                                           .unreadable(path: "/dev/video6", error: .permissionDenied(path: "/dev/video6"))]
        #expect(DeviceList.text(entries) == """
            /dev/video0  HD Webcam C270  [driver uvcvideo, bus usb-0000:00:14.0-1]
              YUYV  YUYV 4:2:2: 640x480 @ 30/15 fps
            /dev/video4  OBS Virtual Camera  [driver v4l2 loopback, bus platform:v4l2loopback-000]  VIRTUAL
            /dev/video6  (cannot open: permission denied opening /dev/video6: join the 'video' group (sudo usermod -aG video $USER, then log in again))
            """)
    }

    @Test func writesDevicesForScripts() {
        #expect(DeviceList.json([]) == "[]")
        #expect(DeviceList.json([.device(Self.webcam)]) == """
            [{"path":"/dev/video0","card":"HD Webcam C270","driver":"uvcvideo","bus":"usb-0000:00:14.0-1",\
            "virtual":false,"formats":[{"fourcc":"YUYV","name":"YUYV 4:2:2","emulated":false,\
            "sizes":[{"width":640,"height":480,"fps":[30,15]}]}]}]
            """)
    }
}

/// Removes a flat test folder without Foundation.
enum FileManagerless {
    static func removeTree(_ folder: String) throws {
        guard let dir = opendir(folder) else { return }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name != "." && name != ".." { unlink(folder + "/" + name) }
        }
        closedir(dir)
        rmdir(folder)
    }
}
