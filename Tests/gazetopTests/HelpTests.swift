import ArgumentParser
import Foundation
import Testing
@testable import gazetop

/// Golden `--help` text of `gazetop` and of every subcommand it has, at 100 columns: what a person reads.
///
/// The goldens live in `Tests/gazetopTests/Golden/<command>.txt` (`gazetop.txt`, `gazetop-analyze.txt`,
/// ...). The list of commands comes from `Gazetop.configuration`, so a new subcommand fails here until its
/// golden exists. After a deliberate change of the help text, regenerate them all and review the diff:
///
///     GAZETOP_UPDATE_GOLDEN=1 swift test -c release --filter HelpTests
@Suite struct HelpTests {
    static let columns = 100
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let updating = ProcessInfo.processInfo.environment["GAZETOP_UPDATE_GOLDEN"] == "1"

    /// Every command reachable from `gazetop`, with its golden's name: `gazetop`, `gazetop-analyze`, ...
    static func commands(_ command: ParsableCommand.Type = Gazetop.self, prefix: String = "") -> [(name: String, type: ParsableCommand.Type)] {
        let name = prefix.isEmpty ? command._commandName : prefix + "-" + command._commandName
        return [(name, command)] + command.configuration.subcommands.flatMap { commands($0, prefix: name) }
    }

    static var commandNames: [String] { commands().map(\.name) }

    static func helpText(_ name: String) throws -> String {
        let type = try #require(commands().first { $0.name == name }?.type)
        return Gazetop.helpMessage(for: type, columns: columns) + "\n"
    }

    @Test(arguments: commandNames)
    func help(command: String) throws {
        let text = try Self.helpText(command)
        let file = Self.golden.appendingPathComponent(command + ".txt")
        if Self.updating {
            try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            let spoken = command.replacingOccurrences(of: "-", with: " ")
            Issue.record(Comment(rawValue: "no golden \(file.path) for `\(spoken) --help`; "
                + "create it with GAZETOP_UPDATE_GOLDEN=1 swift test -c release --filter HelpTests"))
            return
        }
        if text != expected {
            let got = text.components(separatedBy: "\n"), want = expected.components(separatedBy: "\n")
            let line = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
            Issue.record("""
                `\(command) --help` differs from \(file.lastPathComponent) from line \(line + 1):
                  golden: \(line < want.count ? want[line] : "<end>")
                  now:    \(line < got.count ? got[line] : "<end>")
                If the change is meant, regenerate: GAZETOP_UPDATE_GOLDEN=1 swift test -c release --filter HelpTests
                """)
        }
    }

    /// A golden whose command is gone would otherwise linger unnoticed.
    @Test func noStaleGoldens() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.golden.path).filter { $0.hasSuffix(".txt") }
        let stale = Set(files.map { String($0.dropLast(4)) }).subtracting(Self.commandNames)
        #expect(stale.isEmpty, "goldens without a command: \(stale.sorted())")
    }

    /// The help fits the width it was asked for, so the goldens are what a 100-column terminal shows.
    /// The USAGE synopsis is exempt: ArgumentParser writes it on one line whatever the width.
    @Test(arguments: commandNames)
    func helpFitsTheWidth(command: String) throws {
        let long = try Self.helpText(command).components(separatedBy: "\n")
            .filter { $0.count > Self.columns && !$0.hasPrefix("USAGE: ") }
        #expect(long.isEmpty, "\(command): lines over \(Self.columns) columns: \(long)")
    }
}
