import Glibc

/// The capture devices on this machine, and how to write them down for people or scripts.
public enum DeviceList {
    /// One node that was looked at: what it said, or why it could not be asked.
    public enum Entry: Equatable, Sendable {
        case device(DeviceInfo)
        case unreadable(path: String, error: CameraError)
    }

    /// `/dev/video*` nodes in number order (video2 before video10).
    public static func nodePaths(in folder: String = "/dev") -> [String] {
        FileSystem.entries(of: folder)
            .compactMap { name -> (Int, String)? in
                guard name.hasPrefix("video"), let n = Int(name.dropFirst(5)) else { return nil }
                return (n, folder + "/" + name)
            }
            .sorted { $0.0 < $1.0 }
            .map(\.1)
    }

    /// Asks each node who it is; leaves out nodes that do not capture video (a UVC camera's metadata node).
    /// A `sim:` path is asked through a simulated device.
    public static func scan(_ paths: [String], driver: any V4L2Driver = LibV4L2Driver(),
                            simulated: (String) throws(CameraError) -> any V4L2Driver = { spec throws(CameraError) in
                                try SimulatedV4L2Device(spec: spec)
                            }) -> [Entry] {
        var entries: [Entry] = []
        for path in paths {
            do throws(CameraError) {
                let nodeDriver = SimulatedCameraConfig.isSimulated(path) ? try simulated(path) : driver
                let funnel = try V4L2Funnel.open(path, driver: nodeDriver)
                defer { funnel.close() }
                let info = try funnel.describe()
                if info.isCapture { entries.append(.device(info)) }
            } catch {
                if case .notACaptureDevice = error { continue }
                entries.append(.unreadable(path: path, error: error))
            }
        }
        return entries
    }

    /// The first capture device that is not virtual, else the first one at all.
    public static func defaultCamera(_ entries: [Entry]) -> DeviceInfo? {
        let devices = entries.compactMap { if case .device(let d) = $0 { d } else { nil } }
        return devices.first(where: { !$0.isVirtual }) ?? devices.first
    }

    /// Human lines: a heading per device, then one line per format with its sizes and rates.
    public static func text(_ entries: [Entry]) -> String {
        var lines: [String] = []
        for entry in entries {
            switch entry {
            case .unreadable(let path, let error):
                lines.append("\(path)  (cannot open: \(error))")
            case .device(let d):
                lines.append("\(d.path)  \(d.card)  [driver \(d.driver), bus \(d.bus)]" + (d.isVirtual ? "  VIRTUAL" : ""))
                for f in d.formats {
                    let sizes = f.sizes.map { "\($0.width)x\($0.height)" + rates($0.rates) }
                    let range = f.sizeStep.map { " (any size in between, step \($0.width)x\($0.height))" } ?? ""
                    lines.append("  \(f.fourcc.description.padding(to: 4))  \(f.name)" + (f.emulated ? " (emulated)" : "")
                                 + ": " + sizes.joined(separator: ", ") + range)
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func rates(_ rates: [Double]) -> String {
        rates.isEmpty ? "" : " @ " + rates.map { RateText.fps($0) }.joined(separator: "/") + " fps"
    }

    /// A JSON array, one object per device, fields in a fixed order.
    public static func json(_ entries: [Entry]) -> String {
        let items = entries.map { entry -> String in
            switch entry {
            case .unreadable(let path, let error):
                return "{\"path\":\(JSONString.quoted(path)),\"error\":\(JSONString.quoted(error.description))}"
            case .device(let d):
                let formats = d.formats.map { f -> String in
                    let sizes = f.sizes.map { s in
                        "{\"width\":\(s.width),\"height\":\(s.height),\"fps\":[" + s.rates.map { RateText.fps($0) }
                            .joined(separator: ",") + "]}"
                    }
                    return "{\"fourcc\":\(JSONString.quoted(f.fourcc.description)),\"name\":\(JSONString.quoted(f.name)),"
                        + "\"emulated\":\(f.emulated),\"sizes\":[\(sizes.joined(separator: ","))]}"
                }
                return "{\"path\":\(JSONString.quoted(d.path)),\"card\":\(JSONString.quoted(d.card)),\"driver\":\(JSONString.quoted(d.driver)),"
                    + "\"bus\":\(JSONString.quoted(d.bus)),\"virtual\":\(d.isVirtual),\"formats\":[\(formats.joined(separator: ","))]}"
            }
        }
        return "[" + items.joined(separator: ",") + "]"
    }
}
