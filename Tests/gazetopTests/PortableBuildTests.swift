import Foundation
import Testing

/// The instruction set the build targets: Package.swift's baseline, never the build machine's own.
enum BuildBaseline {
    #if arch(x86_64)
    static let expected = "x86-64-v2"
    #elseif arch(arm64)
    static let expected = "aarch64"
    #else
    static let expected = "unknown"
    #endif
}

/// The built binary runs on a processor older than the one it was built on. qemu's user-mode emulator
/// plays a Nehalem (2008: SSE4.2 and POPCNT, no AVX), the oldest of the x86-64-v2 level; with
/// `-march=native` the same run died at once with SIGILL (exit 132) on this AVX-512 machine. The whole
/// path runs: the landmark model loaded, a photo decoded, a face detected (dlib's HOG) and fitted.
@Suite struct PortableBuildTests {
    static let emulator = "/usr/bin/qemu-x86_64" // Debian's qemu-user, which `make deps` installs

    #if arch(x86_64)
    @Test func theBinaryRunsOnAnX8664V2Processor() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.emulator),
                     "no \(Self.emulator): `make deps` installs Debian's qemu-user")
        let folder = try ErrorPathTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = folder.appendingPathComponent("face.jpg")
        let shared = URL(fileURLWithPath: SharedClip.path).deletingLastPathComponent().deletingLastPathComponent()
        let source = shared.appendingPathComponent("faces-68/300vw_001_000006.jpg")
        try #require(FileManager.default.isReadableFile(atPath: source.path), "needs ../shared/data/faces-68")
        try FileManager.default.copyItem(at: source, to: photo)
        let output = folder.appendingPathComponent("out.jsonl")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.emulator)
        process.arguments = ["-cpu", "Nehalem", ErrorPathTests.executable, "analyze", photo.path, "-o", output.path]
        var environment = ProcessInfo.processInfo.environment
        environment["GAZETOP_MODEL"] = nil
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "exit \(process.terminationStatus): \(stderr.suffix(400))")
        let records = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        #expect(records.contains("\"face\":true"), "no face found under emulation: \(records.prefix(300))")
    }
    #endif
}
