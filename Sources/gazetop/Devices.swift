import ArgumentParser
import Capture
import Monitor

struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List capture devices with their formats, frame sizes and frame rates.",
        discussion: """
            Looks at every /dev/video* node (or the nodes given) and lists those that capture video, with \
            card name, driver, bus and what they offer. Metadata-only nodes are left out. Virtual cameras \
            (v4l2loopback, OBS, vivid, sim:) are marked VIRTUAL ("virtual": true in JSON); monitor \
            --real-camera refuses them. A node that cannot be opened is listed with the reason.

            With no capture device: one line and exit 6; with --json, an empty array [] and exit 0.
            """
    )

    @Argument(help: ArgumentHelp("Nodes to look at instead of every /dev/video* (sim:VIDEO works too).",
                                 valueName: "path"))
    var paths: [String] = []

    @Flag(name: .long, help: "Print a JSON array for scripts.")
    var json = false

    func run() throws {
        try failing {
            let entries = DeviceList.scan(paths.isEmpty ? DeviceList.nodePaths() : paths)
            if json {
                print(DeviceList.json(entries))
                return
            }
            guard !entries.isEmpty else { throw CommandFailure(CameraError.noCamera(path: nil)) }
            print(DeviceList.text(entries))
        }
    }
}
