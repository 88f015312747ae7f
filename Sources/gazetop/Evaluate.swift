import ArgumentParser
import Capture
import Evaluation
import Foundation
import GazeCore
import Monitor

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score blink detection or eye contact against annotated clips, or measure the liveness challenge.",
        discussion: """
            DIR holds videos with Eyeblink8 annotations (.tag) beside them; where a blinks.csv with mapped \
            frame ranges (clip_dir, video, est_nominal_first, est_nominal_last) sits in DIR, its ranges are \
            used instead of the .tag frame numbers. A detected blink is a run of frames flagged as blinking; \
            it matches a true blink when the ranges overlap, with 3 frames of slack on either side, one to \
            one. Prints precision, recall and F1 overall and per condition (the last part of a clip's name).

            With --eye-contact FILE, scores eye contact against labelled recordings: FILE lists per recording \
            0-based inclusive frame ranges where the person looks into the camera ("contact") or clearly \
            elsewhere ("away"), as in ../shared/data/eye-contact/labels.json; recordings are found relative to \
            DIR when given, else beside FILE or in the folder above it. Prints, overall, per condition and per \
            recording, the share of contact frames in eye contact, the share of away frames not, and the \
            median and interquartile range of the gaze angles on contact frames (the bias).

            With --challenge, DIR is the shared data folder (default ../shared/data) and it measures the \
            liveness challenge at its defaults. Attacks: a still photo of faces-68, the noface frames and a \
            real ZJU clip of a person looking at the camera, each through the simulated camera (sim:, paced \
            by demand: stream time is the video's own) for --sequences whole challenges with random \
            sequences, once with the challenge's own short calibration and once with a saved one; APCER is \
            the share passed. Then pictures held up on a phone or tablet by an attacker who watches the \
            kiosk (eight kinds, see --attack: moved, blink-swapped, painted shut, cut, irises moved, head \
            turned in 2.5D), rendered from the shared recordings as a camera films them, offline through the \
            real pipeline and, for --replays of them, filmed and replayed through sim: and the live path. \
            Honest people: the 40 ZJU clips go through the real pipeline, and --tracks \
            simulated people follow a challenge with those clips' frames (their measured gaze noise, \
            blinks, motion) plus the eye and head turn to each target after a saccadic reaction; BPCER is \
            the share not passed, and the same tracks shifted by one cell give APCER. Both per way of \
            calibrating (the session's own, a saved one from gazetop calibrate of the same person, none) and \
            per scoring (position, direction of the moves, both). Random draws come from --seed.
            """
    )

    @Argument(help: ArgumentHelp("Folder of annotated clips (with --challenge: the shared data folder).", valueName: "dir"))
    var folder: String?

    @Flag(name: .long, help: "Measure the liveness challenge (attacks and honest tracks) instead of blinks.")
    var challenge = false

    @Option(name: .customLong("eye-contact"), help: ArgumentHelp(
        "Score eye contact against the labels in FILE instead of blinks (DIR, if given, holds the recordings).",
        valueName: "file"))
    var eyeContactLabels: String?

    @Option(name: .long, help: ArgumentHelp("With --challenge: runs per attack and way of calibrating (0: none).",
                                            valueName: "count"))
    var sequences = 20

    @Option(name: .long, help: ArgumentHelp("With --challenge: honest people simulated (0: none).", valueName: "count"))
    var tracks = 1000

    @Option(name: .long, help: ArgumentHelp(
        "With --challenge: run only this attack (repeatable; default all): photo, noface, video, or a moved picture's "
            + "kind (picture-moved, picture-blink-swap, clip-moved, photo-painted-shut, video-cut, iris-warp-moved, "
            + "iris-warp-still, head-turn-2.5d).", valueName: "name"))
    var attack: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "With --challenge: how many runs of each moved picture and way of calibrating are also filmed and replayed "
            + "through the simulated camera's live path (default: all of them; 0: offline only).", valueName: "count"))
    var replays: Int?

    @Option(name: .long, help: ArgumentHelp("With --challenge: seed of the random draws.", valueName: "n"))
    var seed: UInt64 = 1

    @Flag(name: .long, help: "Measure face matching instead of blinks (DIR: clips of people, default the shared ZJU clips).")
    var match = false

    @Option(name: .customLong("different-people"), help: ArgumentHelp(
        "With --match: a folder of photos whose faces are all different people (repeatable; default the shared "
            + "faces-68 and faces folders).", valueName: "dir"))
    var differentPeople: [String] = []

    @Flag(name: .long, help: "Print the scores as one JSON object.")
    var json = false

    @Flag(name: .shortAndLong, help: "Also print each clip's score.")
    var verbose = false

    @Option(name: .long, help: ArgumentHelp(
        "Write each clip's per-frame blink flags to DIR/<clip>.jsonl, for another scorer.", valueName: "dir"))
    var predictions: String?

    @Option(name: .customLong("iris-weight"), help: ArgumentHelp(
        "Weight of the eye patch's iris height beside the landmarks' EAR in the openness signal (0: EAR alone).",
        valueName: "weight"))
    var irisWeight: Double = BlinkConfig().irisWeight

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var tuning: TuningOptions
    @OptionGroup(title: "Face matching (with --match)") var matchOptions: MatchOptions

    func validate() throws {
        let attacks = Set(AttackEvaluation.Kind.allCases.map(\.rawValue) + PictureAttack.Kind.allCases.map(\.rawValue))
        if let replays, replays < 0 { throw ValidationError("--replays must be 0 or more") }
        for name in attack where !attacks.contains(name) {
            throw ValidationError("unknown attack '\(name)' (one of \(attacks.sorted().joined(separator: ", ")))")
        }
        guard irisWeight >= 0 else { throw ValidationError("--iris-weight must be 0 or more") }
        guard [challenge, match, eyeContactLabels != nil].filter({ $0 }).count <= 1 else {
            throw ValidationError("give one of --challenge, --match and --eye-contact: they are separate measurements")
        }
        guard challenge || match || eyeContactLabels != nil || folder != nil else { throw ValidationError("give the folder of annotated clips") }
        guard sequences >= 0, tracks >= 0 else { throw ValidationError("--sequences and --tracks must be 0 or more") }
    }

    func run() throws {
        try failing {
            if challenge { return try evaluateChallenge() }
            if match { return try evaluateMatch() }
            if let eyeContactLabels { return try evaluateEyeContact(labels: eyeContactLabels) }
            guard let folder else { return }
            let clips: [AnnotatedClip]
            do { clips = try BlinkAnnotations.load(folder: folder) } catch { throw CommandFailure(.data, "\(error)") }
            var config = tuning.config(live: false)
            config.blink.irisWeight = irisWeight
            let analyzer = FileAnalyzer(pipeline: FramePipeline(model: try modelOptions.load(), config: config))
            let showProgress = isatty(STDERR_FILENO) == 1
            let result: BlinkEvaluation
            do {
                result = try BlinkEvaluation.run(clips, analyzer: analyzer, progress: { i, n in
                    if showProgress { StandardError.write("\r\u{1B}[Kclip \(i + 1)/\(n)") }
                })
            } catch {
                throw CommandFailure(.input, "\(error)")
            }
            if showProgress { StandardError.write("\r\u{1B}[K") }
            if let predictions { try write(result, to: predictions) }
            print(json ? jsonText(result) : text(result))
        }
    }

    private func text(_ r: BlinkEvaluation) -> String {
        let truth = r.clips.reduce(0) { $0 + $1.clip.blinks.count }
        var lines = ["\(r.clips.count) clips, \(truth) annotated blinks"]
        func line(_ name: String, _ s: BlinkScore) -> String {
            let padded = name.padding(toLength: 14, withPad: " ", startingAt: 0)
            return "\(padded) precision \(f3(s.precision))  recall \(f3(s.recall))  F1 \(f3(s.f1))"
                + "  (tp \(s.truePositives), fp \(s.falsePositives), fn \(s.falseNegatives))"
        }
        lines.append(line("overall", r.overall))
        for (condition, score) in r.byCondition { lines.append(line(condition, score)) }
        if verbose { for c in r.clips { lines.append(line(c.clip.name, c.score)) } }
        return lines.joined(separator: "\n")
    }

    private func jsonText(_ r: BlinkEvaluation) -> String {
        func obj(_ s: BlinkScore) -> String {
            "{\"tp\":\(s.truePositives),\"fp\":\(s.falsePositives),\"fn\":\(s.falseNegatives),"
                + "\"precision\":\(f3(s.precision)),\"recall\":\(f3(s.recall)),\"f1\":\(f3(s.f1))}"
        }
        var out = "{\"clips\":\(r.clips.count),\"overall\":\(obj(r.overall)),\"conditions\":{"
        out += r.byCondition.map { "\(JSONString.quoted($0.condition)):\(obj($0.score))" }.joined(separator: ",")
        out += "}"
        if verbose {
            out += ",\"perClip\":{" + r.clips.map { "\(JSONString.quoted($0.clip.name)):\(obj($0.score))" }
                .joined(separator: ",") + "}"
        }
        return out + "}"
    }

    private func f3(_ v: Double) -> String { String(format: "%.3f", v) }

    private func write(_ r: BlinkEvaluation, to folder: String) throws(CommandFailure) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure(.output, "cannot create \(folder): \(error.localizedDescription)")
        }
        for c in r.clips {
            let file: OutputFile
            do { file = try OutputFile(path: folder + "/" + c.clip.name + ".jsonl") } catch { throw CommandFailure(.output, "\(error)") }
            for (frame, blink) in c.flags.enumerated() { file.write(line: "{\"frame\":\(frame),\"blink\":\(blink)}") }
            do { try file.commit() } catch { throw CommandFailure(.output, "\(error)") }
        }
    }
}
