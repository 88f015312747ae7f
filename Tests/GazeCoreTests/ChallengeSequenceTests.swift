import Testing
@testable import GazeCore

@Suite struct ChallengeSequenceTests {
    @Test func randomSequencesNeverRepeatACellInARow() {
        var rng = SeededGenerator(seed: 7)
        var seen = Set<Int>()
        var firsts = [Int: Int]()
        for _ in 0..<2000 {
            let s = ChallengeSequence.random(count: 5, using: &rng)
            #expect(s.count == 5)
            #expect(s.allSatisfy { (1...6).contains($0) })
            #expect(zip(s, s.dropFirst()).allSatisfy { $0 != $1 }, "\(s)")
            seen.formUnion(s)
            firsts[s[0], default: 0] += 1
        }
        #expect(seen == Set(1...6))
        // Each cell starts a sequence about a sixth of the time (2000/6 = 333; 4 standard deviations is 67).
        #expect(firsts.values.allSatisfy { abs($0 - 333) < 67 }, "\(firsts)")
    }

    @Test func theGeneratorDecides() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let x = (0..<20).map { _ in ChallengeSequence.random(count: 3, using: &a) }
        #expect(x == (0..<20).map { _ in ChallengeSequence.random(count: 3, using: &b) })
        #expect(x != (0..<20).map { _ in ChallengeSequence.random(count: 3, using: &c) })
        var system = SystemRandomNumberGenerator()
        #expect(ChallengeSequence.random(count: 0, using: &system).isEmpty)
    }

    @Test("Sequences given by hand", arguments: [
        ("3,1,5", [3, 1, 5]),
        ("6", [6]),
        (" 1, 2 ,3", [1, 2, 3]),
        ("1,2,1,2", [1, 2, 1, 2]),
    ])
    func parses(text: String, cells: [Int]) throws {
        #expect(try ChallengeSequence.parse(text) == cells)
    }

    @Test("Bad sequences are refused in one line", arguments: [
        ("", "\"\" is not one"),
        ("3,,5", "\"\" is not one"),
        ("0,1", "\"0\" is not one"),
        ("7", "\"7\" is not one"),
        ("a,b", "\"a\" is not one"),
        ("1.5", "\"1.5\" is not one"),
        ("2,2,3", "shows cell 2 twice in a row"),
    ])
    func refuses(text: String, says: String) {
        do {
            let cells = try ChallengeSequence.parse(text)
            Issue.record("\(text) parsed as \(cells)")
        } catch {
            #expect(error.description.contains(says), "\(error.description)")
            #expect(error.description.hasPrefix("--sequence"))
            #expect(!error.description.contains("\n"))
        }
    }
}
