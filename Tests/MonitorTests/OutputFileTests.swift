import Foundation
import Glibc
import Monitor
import Testing

@Suite struct OutputFileTests {
    func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-output-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aFileAppearsWholeOnlyOnCommit() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/out.txt"
        let out = try OutputFile(path: path)
        out.write(line: "one")
        #expect(!FileManager.default.fileExists(atPath: path), "nothing at the target before the commit")
        try out.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "one\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out.txt"], "no temporary file left")
    }

    @Test func droppedWithoutCommitLeavesNothing() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let out = try OutputFile(path: folder + "/out.txt")
            out.write(line: "half")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    /// A target that is not a regular file (here a FIFO; /dev/null is the everyday case) is written in
    /// place: renaming a temporary file over it would replace the device with a plain file.
    @Test func aSpecialFileIsWrittenInPlaceNotReplaced() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fifo = folder + "/pipe"
        try #require(mkfifo(fifo, 0o600) == 0)
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        try #require(reader >= 0)
        defer { close(reader) }
        let out = try OutputFile(path: fifo)
        out.write(line: "through the pipe")
        try out.commit()
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = read(reader, &buffer, buffer.count)
        #expect(n > 0 && String(decoding: buffer[..<n], as: UTF8.self) == "through the pipe\n")
        var info = stat()
        #expect(stat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO, "still a FIFO")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["pipe"])
    }

    /// /dev/full fails every write with ENOSPC, as a full disk does: never a success.
    @Test func aFullDiskIsAnErrorAtCommit() throws {
        let out = try OutputFile(path: "/dev/full")
        out.write(line: "one short line, still in the buffer")
        #expect(!out.hasFailed)
        #expect(throws: OutputError.self) { try out.commit() }
    }

    @Test func aFullDiskIsSeenAsSoonAsTheBufferIsFlushed() throws {
        let out = try OutputFile(path: "/dev/full")
        for _ in 0..<1000 { out.write(line: String(repeating: "x", count: 99)) } // 100 kB, many buffers
        #expect(out.hasFailed, "a long run can stop at once")
        do {
            try out.commit()
            Issue.record("the commit succeeded")
        } catch {
            #expect(error.description == "cannot write /dev/full: No space left on device")
        }
    }
}
