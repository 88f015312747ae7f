import Foundation
import Testing

/// `make install DESTDIR=... PREFIX=...` puts the binary, its man page, the bash, zsh and fish completions
/// and face matching's models where a packager and the shells expect them, and `make uninstall` takes them
/// away again. It runs after the build `make test` made, so it must build nothing (a nested SwiftPM would
/// wait for the lock this test run holds).
@Suite struct InstallTests {
    static let checkout: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() } // Tests/gazetopTests/InstallTests.swift
        return url
    }()

    /// The configuration this test run was built in: the name of the executable's folder.
    static let config = URL(fileURLWithPath: ErrorPathTests.executable).deletingLastPathComponent().lastPathComponent

    struct Run { var status: Int32; var output: String }

    static func run(_ tool: String, _ arguments: [String], in folder: URL = checkout) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        for key in ["MAKEFLAGS", "MFLAGS", "MAKELEVEL", "GAZETOP_MATCH_MODELS", "GAZETOP_MODEL"] { environment[key] = nil }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: output)
    }

    @Test func installPutsEveryFileUnderDestdirAndPrefixAndUninstallRemovesThem() throws {
        let stage = try ErrorPathTests.scratch()
        defer { try? FileManager.default.removeItem(at: stage) }
        let make = ["DESTDIR=\(stage.path)", "PREFIX=/opt/gz", "CONFIG=\(Self.config)"]

        let plan = try Self.run("make", ["-n", "install"] + make)
        try #require(plan.status == 0, "make -n install: \(plan.output)")
        try #require(!plan.output.contains("swift "), "the build is older than the sources: run make build first\n\(plan.output)")

        let install = try Self.run("make", ["install"] + make)
        try #require(install.status == 0, "make install: \(install.output)")
        let root = stage.path + "/opt/gz"
        let files = ["bin/gazetop", "share/man/man1/gazetop.1", "share/bash-completion/completions/gazetop",
                     "share/zsh/site-functions/_gazetop", "share/fish/vendor_completions.d/gazetop.fish",
                     "share/gazetop/dlib_face_recognition_resnet_model_v1.dat",
                     "share/gazetop/shape_predictor_5_face_landmarks.dat"]
        for file in files {
            #expect(FileManager.default.fileExists(atPath: root + "/" + file), "\(file) not installed")
        }
        #expect(FileManager.default.isExecutableFile(atPath: root + "/bin/gazetop"))
        #expect(!FileManager.default.fileExists(atPath: "/opt/gz"), "DESTDIR is honoured: nothing in the real /opt/gz")

        // The installed binary is the built one, and runs from anywhere.
        let version = try Self.run(root + "/bin/gazetop", ["--version"], in: stage)
        let built = try Self.run(ErrorPathTests.executable, ["--version"], in: stage)
        #expect(version.status == 0 && version.output == built.output)

        // The man page: mdoc with every command, no empty line (mdoc warns on those).
        let man = try String(contentsOfFile: root + "/share/man/man1/gazetop.1", encoding: .utf8)
        #expect(man.contains(".Dt GAZETOP 1"))
        for command in ["monitor", "analyze", "devices", "calibrate", "challenge", "match", "evaluate", "bench"] {
            #expect(man.contains(command), "the man page has no \(command)")
        }
        #expect(!man.split(separator: "\n", omittingEmptySubsequences: false).dropLast().contains(""))

        // Completions: each shell's own form, knowing the commands and their options.
        let bash = root + "/share/bash-completion/completions/gazetop"
        #expect(try Self.run("bash", ["-n", bash]).status == 0, "bash cannot parse the completion script")
        let zsh = try String(contentsOfFile: root + "/share/zsh/site-functions/_gazetop", encoding: .utf8)
        #expect(zsh.hasPrefix("#compdef gazetop"))
        let fish = try String(contentsOfFile: root + "/share/fish/vendor_completions.d/gazetop.fish", encoding: .utf8)
        #expect(fish.contains("complete -c 'gazetop'") || fish.contains("complete -c gazetop"))
        for script in [try String(contentsOfFile: bash, encoding: .utf8), zsh, fish] {
            #expect(script.contains("analyze") && script.contains("detection-lag"))
        }

        let uninstall = try Self.run("make", ["uninstall"] + make)
        #expect(uninstall.status == 0, "make uninstall: \(uninstall.output)")
        for file in files {
            #expect(!FileManager.default.fileExists(atPath: root + "/" + file), "\(file) left behind")
        }
        #expect(!FileManager.default.fileExists(atPath: root + "/share/gazetop"))
    }

    /// An installed gazetop finds face matching's models in `<prefix>/share/gazetop`, with no checkout near.
    @Test(.enabled(if: SharedClip.available, Comment(rawValue: SharedClip.skipMessage)))
    func anInstalledGazetopFindsTheMatchModels() throws {
        let stage = try ErrorPathTests.scratch()
        defer { try? FileManager.default.removeItem(at: stage) }
        let install = try Self.run("make", ["install", "DESTDIR=\(stage.path)", "PREFIX=/usr", "CONFIG=\(Self.config)"])
        try #require(install.status == 0, "make install: \(install.output)")
        let photo = Self.checkout.appendingPathComponent("../shared/data/faces-68/300vw_001_000006.jpg").standardized.path
        let match = try Self.run(stage.path + "/usr/bin/gazetop", ["match", photo, photo], in: stage)
        #expect(match.status == 0, "exit \(match.status): \(match.output)")
    }
}
