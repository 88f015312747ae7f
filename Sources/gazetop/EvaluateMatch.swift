import Capture
import Evaluation
import Foundation
import GazeCore
import Monitor
import Vision

/// `gazetop evaluate --match`: face matching's measured rates (see `Evaluate`'s help).
extension Evaluate {
    func evaluateMatch() throws(CommandFailure) {
        let data = SharedData.dataFolder
        guard let clips = folder ?? data.map({ $0 + "/zju-eyeblink" }) else {
            throw CommandFailure(.data, "no folder given and no shared data folder found (../shared/data or $GAZETOP_DATA)")
        }
        let photoFolders = differentPeople.isEmpty
            ? (data.map { [$0 + "/faces-68", $0 + "/faces"] } ?? []).filter { FileManager.default.fileExists(atPath: $0) }
            : differentPeople
        let reader = try matchOptions.reader()
        let threshold = matchOptions.threshold
        let tty = isatty(STDERR_FILENO) == 1
        let result: MatchEvaluation.Result
        let cross: MatchEvaluation.CrossCheck
        do {
            result = try MatchEvaluation.run(folder: clips, reader: reader) { i, n in
                if tty { StandardError.write("\r\u{1B}[Kinput \(i + 1)/\(n)") }
            }
            if tty { StandardError.write("\r\u{1B}[Kphotos of different people") }
            cross = try MatchEvaluation.crossCheck(folders: photoFolders, reader: reader, threshold: threshold)
            if tty { StandardError.write("\r\u{1B}[K") }
        } catch {
            throw CommandFailure(.input, "\(error)")
        }
        guard result.genuinePairs > 0, result.impostorPairs > 0 else {
            throw CommandFailure(.data, "\(clips): needs two or more people with two or more inputs each "
                + "(<clip>_<person>_<condition> names, or one folder per person)")
        }
        print(json ? matchJSON(result, cross, threshold: threshold) : matchText(result, cross, threshold: threshold,
                                                                               folder: clips, photoFolders: photoFolders))
    }

    private func matchText(_ r: MatchEvaluation.Result, _ c: MatchEvaluation.CrossCheck, threshold: Double,
                           folder: String, photoFolders: [String]) -> String {
        let s = r.scores
        let people = Set(r.inputs.map(\.person)).count
        let failed = r.inputs.filter { $0.sample == nil }
        let at = s.point(at: threshold)
        let best = s.bestTrueMatchRate(falseMatchRateAtMost: 0.001)
        let eer = s.equalErrorRate()
        var lines = [
            "\(folder): \(r.inputs.count) inputs of \(people) people; \(r.genuinePairs) same-person pairs, "
                + "\(r.impostorPairs) different-person pairs",
            "at the threshold \(f3(threshold)): true match rate \(f4(at.trueMatchRate)) "
                + "(\(count(at.trueMatchRate, r.genuinePairs))/\(r.genuinePairs)), false match rate "
                + "\(f4(at.falseMatchRate)) (\(count(at.falseMatchRate, r.impostorPairs))/\(r.impostorPairs))",
            "best true match rate at a false match rate <= 0.001: \(f4(best.trueMatchRate)) (threshold \(f3(best.threshold)))",
            "equal error rate \(f4(eer.rate)) (threshold \(f3(eer.threshold)))",
            "same person: distance \(range(s.genuine)); different people: \(range(s.impostor))",
            "ROC (threshold: true match rate, false match rate):",
        ]
        lines += s.roc().map { "  \(f3($0.threshold)): \(f4($0.trueMatchRate)) \(f4($0.falseMatchRate))" }
        for input in failed { lines.append("no descriptor: \(input.problem ?? input.path)") }
        lines.append("different people (\(photoFolders.joined(separator: ", "))): \(c.photos) photos, \(c.faces.count) faces, "
            + "\(c.pairs) pairs, \(c.matches.count) matched at \(f3(threshold))"
            + (c.closest.map { "; closest \(f3($0.distance)) (\(name($0.a)) and \(name($0.b)))" } ?? ""))
        for m in c.matches { lines.append("  false match \(f3(m.distance)): \(name(m.a)) and \(name(m.b))") }
        if verbose {
            for input in r.inputs {
                lines.append("  \(input.person) \(input.path): \(input.sample.map { "\($0.faces.count) faces used" } ?? "none")")
            }
        }
        return lines.joined(separator: "\n")
    }

    private func matchJSON(_ r: MatchEvaluation.Result, _ c: MatchEvaluation.CrossCheck, threshold: Double) -> String {
        let s = r.scores
        let at = s.point(at: threshold)
        let best = s.bestTrueMatchRate(falseMatchRateAtMost: 0.001)
        let eer = s.equalErrorRate()
        func point(_ p: MatchScores.Point) -> String {
            "{\"threshold\":\(f4(p.threshold)),\"trueMatchRate\":\(f4(p.trueMatchRate)),\"falseMatchRate\":\(f4(p.falseMatchRate))}"
        }
        let failed = r.inputs.filter { $0.sample == nil }.map { JSONString.quoted($0.problem ?? $0.path) }
        return "{\"inputs\":\(r.inputs.count),\"people\":\(Set(r.inputs.map(\.person)).count),"
            + "\"genuinePairs\":\(r.genuinePairs),\"impostorPairs\":\(r.impostorPairs),"
            + "\"atThreshold\":\(point(at)),\"bestAtFalseMatchRate0001\":\(point(best)),"
            + "\"equalErrorRate\":\(f4(eer.rate)),\"equalErrorThreshold\":\(f4(eer.threshold)),"
            + "\"roc\":[\(s.roc().map(point).joined(separator: ","))],\"noDescriptor\":[\(failed.joined(separator: ","))],"
            + "\"differentPeople\":{\"photos\":\(c.photos),\"faces\":\(c.faces.count),\"pairs\":\(c.pairs),"
            + "\"matches\":\(c.matches.count),\"closestDistance\":\(c.closest.map { f4($0.distance) } ?? "null")}}"
    }

    private func name(_ face: MatchEvaluation.CrossCheck.Face) -> String {
        "\((face.photo as NSString).lastPathComponent)#\(face.index + 1)"
    }

    private func count(_ rate: Double, _ n: Int) -> Int { Int((rate * Double(n)).rounded()) }

    private func range(_ values: [Double]) -> String {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.first, let hi = finite.last else { return "none" }
        return "\(f3(lo))-\(f3(hi))"
    }

    private func f3(_ v: Double) -> String { String(format: "%.3f", v) }
    private func f4(_ v: Double) -> String { String(format: "%.4f", v) }
}
