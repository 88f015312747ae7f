import Foundation
import Testing
@testable import gazetop

/// Usage errors as the README promises them: one line on stderr naming what is wrong (not ArgumentParser's
/// three, with the usage), exit status 64, nothing on stdout.
@Suite struct UsageErrorTests {
    @Test(arguments: [
        (["--fps", "-5"], "--fps must be above 0 and at most 1000, not -5.0"),
        (["--eye-contact-cone", "90"], "--eye-contact-cone must be above 0 and below 90 degrees, not 90.0"),
        (["--size", "99999x99999"], "--size 99999x99999 is larger than any camera; at most 7680x4320"),
        (["--size", "641x480"], "--size wants an even width (YUYV pairs pixels), not 641x480"),
        (["--size", "big"], "--size wants WIDTHxHEIGHT, like 640x480, not big"),
        (["analyze", "clip.mp4", "--detection-lag", "1000"], "--detection-lag must be 0 to 30 frames, not 1000"),
        (["analyse", "clip.mp4"], "unknown command 'analyse'; did you mean 'analyze'?"),
        (["frobnicate"], "unknown command 'frobnicate'; the commands are monitor, analyze,"),
        (["--bogus"], "Unknown option '--bogus'"),
        (["analyze"], "Missing expected argument '<file-or-folder> ...'"),
    ])
    func aUsageErrorIsOneLine(arguments: [String], says: String) throws {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable))
        let run = try ErrorPathTests.run(arguments)
        #expect(run.status == 64, "status \(run.status); \(run.stderr)")
        #expect(run.stderr.hasPrefix("gazetop: ") && run.stderr.hasSuffix("\n") && run.stderr.split(separator: "\n").count == 1,
                "stderr \(run.stderr.debugDescription)")
        #expect(run.stderr.contains(says), "stderr \(run.stderr.debugDescription)")
        #expect(run.stdout.isEmpty, "stdout \(run.stdout.debugDescription)")
    }

    @Test func theNearestCommandIsTheOneMeant() {
        #expect(CommandNames.editDistance("analyse", "analyze") == 1)
        #expect(CommandNames.editDistance("", "abc") == 3)
        #expect(CommandNames.editDistance("kitten", "sitting") == 3)
    }
}

/// `gazetop --version`: the version alone on stdout, exit 0.
@Suite struct VersionTests {
    @Test func versionIsPrinted() throws {
        try #require(FileManager.default.isExecutableFile(atPath: ErrorPathTests.executable))
        let run = try ErrorPathTests.run(["--version"])
        #expect(run.status == 0 && run.stdout == Gazetop.version + "\n" && run.stderr.isEmpty, "\(run)")
    }
}
