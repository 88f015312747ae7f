import Capture
import Evaluation
import Foundation
import GazeCore
import Monitor
import Vision

/// `gazetop evaluate --challenge`: the measured numbers of the liveness challenge (see `Evaluate`'s help).
extension Evaluate {
    func evaluateChallenge() throws(CommandFailure) {
        guard let data = folder ?? SharedData.dataFolder else {
            throw CommandFailure(.data, "no shared data folder given or found (../shared/data or $GAZETOP_DATA)")
        }
        for sub in ["zju-eyeblink", "faces-68", "noface"] where !FileManager.default.fileExists(atPath: data + "/" + sub) {
            throw CommandFailure(.data, "\(data)/\(sub) not found: --challenge needs the shared data folder")
        }
        let model = try modelOptions.load()
        let config = GazeConfig()
        let tty = isatty(STDERR_FILENO) == 1
        func progress(_ text: String) { if tty { StandardError.write("\r\u{1B}[K" + text) } }

        var attacks: [AttackEvaluation.Run] = []
        var rng = SeededRandom(seed: seed)
        let attack = AttackEvaluation(model: model, config: config)
        func chosen(_ name: String) -> Bool { self.attack.isEmpty || self.attack.contains(name) }
        for kind in AttackEvaluation.Kind.allCases where sequences > 0 && chosen(kind.rawValue) {
            let sources = AttackEvaluation.sources(kind, data: data)
            guard !sources.isEmpty else { throw CommandFailure(.data, "no sources for the \(kind.rawValue) attack in \(data)") }
            for saved in kind == .noface ? [false] : [false, true] {
                do {
                    attacks += try attack.run(kind, sources: sources, count: sequences, savedCalibration: saved, rng: &rng) { i, n in
                        progress("attack \(kind.rawValue)\(saved ? ", saved calibration" : ""): \(i + 1)/\(n)")
                    }
                } catch {
                    throw CommandFailure(error)
                }
            }
        }

        var pictureRuns: [PictureAttack.Run] = []
        if sequences > 0 {
            let pictures = PictureAttack(model: model, config: config)
            var materials: [PictureAttack.Source: [PictureAttack.Material]] = [:]
            for kind in PictureAttack.Kind.allCases where chosen(kind.rawValue) {
                if materials[kind.source] == nil {
                    do {
                        materials[kind.source] = try PictureAttack.Material.all(kind.source, data: data, pipeline: FramePipeline(model: model, config: config)) { i, n in
                            progress("attack material \(i + 1)/\(n)")
                        }
                    } catch {
                        throw CommandFailure(.input, "\(error)")
                    }
                }
                guard let m = materials[kind.source], !m.isEmpty else {
                    throw CommandFailure(.data, "no material for the \(kind.rawValue) attack in \(data)")
                }
                for saved in [false, true] {
                    do {
                        pictureRuns += try pictures.run(kind, materials: m, count: sequences, savedCalibration: saved,
                                                        replays: replays ?? sequences, rng: &rng) { i, n in
                            progress("attack \(kind.rawValue)\(saved ? ", saved calibration" : ""): \(i + 1)/\(n)")
                        }
                    } catch {
                        throw CommandFailure(error)
                    }
                }
            }
        }

        var traces: [ClipTrace] = []
        var variants: [HonestEvaluation.Variant] = [], wideVariants: [HonestEvaluation.Variant] = []
        if tracks > 0 {
            let zju = data + "/zju-eyeblink"
            let clips = ((try? FileManager.default.contentsOfDirectory(atPath: zju)) ?? []).filter { $0.hasSuffix(".mp4") }.sorted()
            do {
                traces = try ClipTrace.measure(clips.map { zju + "/" + $0 }, pipeline: FramePipeline(model: model, config: config)) { i, n in
                    progress("measuring ZJU clip \(i + 1)/\(n)")
                }
            } catch {
                throw CommandFailure(.input, "\(error)")
            }
            let honest = HonestEvaluation(tracks: HonestTracks(traces: traces, config: config))
            variants = honest.run(count: tracks, seed: seed) { i, n in if i % 50 == 0 { progress("honest people \(i)/\(n)") } }
            // The same people with the wider, assumed spread of eye gains: how much the figures rest on it.
            var wide = HonestPersonModel()
            wide.wideEyeGainFactor = 0.7...1.4
            wideVariants = HonestEvaluation(tracks: HonestTracks(traces: traces, model: wide, config: config)).run(count: tracks, seed: seed) { i, n in
                if i % 50 == 0 { progress("honest people, wide eye gains \(i)/\(n)") }
            }
        }
        if tty { StandardError.write("\r\u{1B}[K") }
        print(json ? challengeJSON(attacks, variants, traces, config)
              : challengeText(attacks, variants, traces, config) + wideText(wideVariants, config) + pictureText(pictureRuns))
    }

    private func challengeText(_ attacks: [AttackEvaluation.Run], _ variants: [HonestEvaluation.Variant],
                               _ traces: [ClipTrace], _ config: GazeConfig) -> String {
        let c = config.challenge
        var lines = ["liveness challenge at its defaults: \(c.areaCount) cells of \(f1(c.areaDurationSeconds)) s, threshold "
            + "\(f2(c.passThreshold)), every cell at least \(f2(c.minCellAccuracy)), reaction \(f1(c.reactionSeconds)) s, "
            + "hit margin \(f1(c.hitMarginDeg)) deg, scoring \(c.scoring.rawValue); seed \(seed)"]
        if !attacks.isEmpty {
            lines.append("")
            lines.append("attacks through sim: (pace=demand), \(sequences) random sequences each; APCER = share passed")
            for kind in AttackEvaluation.Kind.allCases {
                for saved in [false, true] {
                    let runs = attacks.filter { $0.kind == kind && $0.savedCalibration == saved }
                    guard !runs.isEmpty else { continue }
                    let passed = runs.count { $0.outcome.result == .pass }
                    let name = "\(kind.rawValue), \(saved ? "saved calibration" : "own calibration")"
                    lines.append("  \(pad(name, 30)) passed \(passed)/\(runs.count)  APCER \(f3(Double(passed) / Double(runs.count)))"
                        + "  results " + counts(runs.map { $0.outcome.result.rawValue })
                        + "; failed checks " + counts(runs.flatMap { r in r.outcome.failedChecks.map(\.rawValue) + (r.outcome.stop.map { [$0.name] } ?? []) }))
                }
            }
            let worst = AttackEvaluation.Kind.allCases.map { kind -> Double in
                let runs = attacks.filter { $0.kind == kind }
                return runs.isEmpty ? 0 : Double(runs.count { $0.outcome.result == .pass }) / Double(runs.count)
            }.max() ?? 0
            lines.append("  APCER, worst attack: \(f3(worst))")
        }
        if !variants.isEmpty {
            lines.append("")
            lines.append("honest people: \(tracks) simulated, each with real frames of the \(traces.count) ZJU clips "
                + "(\(traces.reduce(0) { $0 + $1.frames.count }) frames through the pipeline); BPCER = honest not passed, "
                + "APCER = the same tracks shifted by one cell passed")
            lines.append("  calibration  scoring     BPCER   APCER(shifted)")
            for v in variants {
                for scoring in ChallengeScoring.allCases {
                    lines.append("  \(pad(v.calibration.rawValue, 12)) \(pad(scoring.rawValue, 10))  \(f3(v.bpcer(scoring, config: c)))   "
                        + f3(v.apcer(scoring, config: c)))
                }
            }
            for v in variants {
                let failures = v.honestFailures.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
                lines.append("  \(v.calibration.rawValue): honest failures: \(failures.isEmpty ? "none" : failures)")
            }
            if let session = variants.first(where: { $0.calibration == .session }) {
                let d = session.durations.sorted()
                if !d.isEmpty {
                    lines.append("  whole challenge with its own calibration (first frame to verdict, stream time): median "
                        + "\(f1(d[d.count / 2])) s, max \(f1(d[d.count - 1])) s")
                }
                // The short calibration's residual over its frames, fitted or refused as too noisy.
                let rms = session.trials.compactMap { t -> Double? in
                    switch t.honest.calibration {
                    case .session(let r): r
                    case .failed(.tooNoisy(let r)): r
                    default: nil
                    }
                }.sorted()
                if !rms.isEmpty {
                    lines.append("  honest short calibration residual (rms over its frames): median \(f1(rms[rms.count / 2])) deg, "
                        + "95th percentile \(f1(rms[rms.count * 95 / 100])), max \(f1(rms[rms.count - 1])) (limit "
                        + "\(f1(config.calibration.maxResidualDeg)))")
                }
            }
            if let saved = variants.first(where: { $0.calibration == .saved }) {
                lines.append("  gazetop calibrate on the same people: \(saved.calibrationFailures) runs failed (another try "
                    + "followed) for \(saved.trials.count) people")
            }
            let liveness = traces.map { TraceLiveness($0, config: config.liveness) }
            if let minMotion = liveness.map(\.medianMotion).min(), let maxRepeat = liveness.map(\.repeatedShare).max() {
                lines.append("  real clips: median landmark motion at least \(f4(minMotion)) (limit \(f4(config.liveness.minMedianLandmarkMotion))), "
                    + "repeated frames up to \(f3(maxRepeat)) (the ZJU files repeat dropped frames; limit "
                    + "\(f3(config.liveness.maxRepeatedFrameShare)), honest tracks give each frame its own digest)")
            }
            let bp = config.liveness.blinkProfile
            for (label, fps, tallies) in [("30", 30.0, liveness.map(\.blinks)), ("15", 15.0, liveness.map(\.blinksAt15))] {
                let profiles = tallies.flatMap(\.profiles)
                let real = tallies.reduce(0) { $0 + $1.realBlinks(framesPerSecond: fps) }
                var partway: [Int: Int] = [:]
                for p in profiles where p.depth >= bp.minDepth { partway[p.partway, default: 0] += 1 }
                let clipsWithReal = tallies.count { $0.realBlinks(framesPerSecond: fps) >= 1 }
                let clipsWithBlink = tallies.count { $0.judged >= 1 }
                lines.append("  real clips at \(label) fps, blink_profile: \(real) of \(profiles.count) counted blinks real "
                    + "(depth at least \(f2(bp.minDepth)), \(tallies.first.map { $0.partwayNeeded(framesPerSecond: fps) } ?? 0)+ frames part-way); "
                    + "\(clipsWithReal) of \(clipsWithBlink) clips with a counted blink have a real one; part-way frames of deep blinks: "
                    + partway.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " "))
            }
            for v in variants {
                let shares = v.trials.compactMap { $0.honest.checks.first { $0.check == .eyeInHead }?.value }.sorted()
                if !shares.isEmpty {
                    lines.append("  \(v.calibration.rawValue): honest eye_in_head smallest share per trial: min \(f2(shares[0])), "
                        + "1st percentile \(f2(shares[shares.count / 100])), median \(f2(shares[shares.count / 2])) "
                        + "(limit \(f2(config.liveness.eyeWork.minEyeShare)))")
                }
                let lids = v.trials.compactMap { $0.honest.checks.first { $0.check == .lidFollowsGaze } }
                let lidShares = lids.map(\.value).sorted()
                if !lidShares.isEmpty {
                    lines.append("  \(v.calibration.rawValue): honest lid_follows_gaze lid share per trial: min \(f2(lidShares[0])), "
                        + "1st percentile \(f2(lidShares[lidShares.count / 100])), median \(f2(lidShares[lidShares.count / 2])), "
                        + "\(lids.count { !$0.passed }) of \(lids.count) failed (limit \(f2(config.liveness.eyelid.minLidShare)))")
                }
            }
            let planar = config.liveness.planar
            let changes = liveness.map(\.planar.largestShapeChange).sorted()
            if let most = changes.last {
                let judged = liveness.filter { $0.planar.movedPairs >= planar.minMovedPairs }
                lines.append("  real clips, planar_motion: largest shape change of a pair \(f4(changes[changes.count / 2])) median, "
                    + "\(f4(most)) max (limit \(f4(planar.minShapeChange))); \(judged.count) of \(liveness.count) clips moved enough to "
                    + "judge, unexplained share " + (judged.isEmpty ? "-" : judged.map { f2($0.planar.unexplainedShare) }.joined(separator: " "))
                    + " (limit \(f2(planar.minUnexplainedShare)))")
            }
        }
        return lines.joined(separator: "\n")
    }

    private func challengeJSON(_ attacks: [AttackEvaluation.Run], _ variants: [HonestEvaluation.Variant],
                               _ traces: [ClipTrace], _ config: GazeConfig) -> String {
        let c = config.challenge
        let attackItems = attacks.map { r in
            "{\"attack\":\"\(r.kind.rawValue)\",\"source\":\(JSONString.quoted(r.source)),\"saved_calibration\":\(r.savedCalibration)"
                + ",\"sequence\":[\(r.sequence.map(String.init).joined(separator: ","))],\"result\":\"\(r.outcome.result.rawValue)\""
                + ",\"failed_checks\":[\(r.outcome.failedChecks.map { "\"\($0.rawValue)\"" }.joined(separator: ","))]"
                + ",\"stopped\":\(r.outcome.stop.map { JSONString.quoted($0.name) } ?? "null")}"
        }
        let variantItems = variants.map { v in
            let rates = ChallengeScoring.allCases.map { s in
                "\"\(s.rawValue)\":{\"bpcer\":\(f4(v.bpcer(s, config: c))),\"apcer_shifted\":\(f4(v.apcer(s, config: c)))}"
            }.joined(separator: ",")
            let d = v.durations.sorted()
            return "{\"calibration\":\"\(v.calibration.rawValue)\",\"people\":\(v.trials.count),\(rates)"
                + ",\"calibration_failures\":\(v.calibrationFailures)"
                + ",\"duration_median\":\(d.isEmpty ? "null" : f2(d[d.count / 2])),\"duration_max\":\(d.last.map(f2) ?? "null")}"
        }
        return "{\"seed\":\(seed),\"attacks\":[\(attackItems.joined(separator: ","))],\"honest\":[\(variantItems.joined(separator: ","))]}"
    }

    /// BPCER under the wider eye-gain assumption (uniform 0.7-1.4, per axis).
    private func wideText(_ variants: [HonestEvaluation.Variant], _ config: GazeConfig) -> String {
        guard !variants.isEmpty else { return "" }
        let rates = variants.map { "\($0.calibration.rawValue) \(f3($0.bpcer(.position, config: config.challenge)))" }
        return "\n  with eye gains spread wider (uniform 0.7-1.4 times the model's, per axis; an assumption): BPCER "
            + rates.joined(separator: ", ")
    }

    /// The moved-picture attacks (offline: the real pipeline, no V4L2 layer), each kind and calibration.
    private func pictureText(_ runs: [PictureAttack.Run]) -> String {
        guard !runs.isEmpty else { return "" }
        var lines = ["", "moved and edited pictures on a phone or tablet (offline, rendered from the shared recordings), \(sequences) random sequences each"]
        for kind in PictureAttack.Kind.allCases {
            for saved in [false, true] {
                let r = runs.filter { $0.kind == kind && $0.savedCalibration == saved }
                guard !r.isEmpty else { continue }
                let passed = r.count { $0.outcome.result == .pass }
                let replays = r.compactMap(\.live)
                let live = replays.isEmpty ? "" : "; through sim: passed \(replays.count { $0.result == .pass })/\(replays.count)"
                    + " (same verdict as offline \(r.count { $0.live?.result == $0.outcome.result })/\(replays.count))"
                lines.append("  \(pad("\(kind.rawValue), \(saved ? "saved" : "own") calibration", 40)) passed \(passed)/\(r.count)  APCER "
                    + f3(Double(passed) / Double(r.count)) + live + "; failed checks "
                    + counts(r.flatMap { x in x.outcome.failedChecks.map(\.rawValue) + (x.outcome.stop.map { [$0.name] } ?? []) })
                    + "; blinks " + r.map { x in "\(x.outcome.blinks)/" + (x.outcome.checks.first { $0.check == .blinkProfile }.map { String(Int($0.value)) } ?? "-") }
                        .joined(separator: " ") + " (counted/part-way)")
                if verbose {
                    for x in r {
                        lines.append("    " + runText(x.source, x.sequence, x.outcome))
                        if let live = x.live { lines.append("      through sim: " + runText(x.source, x.sequence, live)) }
                    }
                }
            }
        }
        return "\n" + lines.joined(separator: "\n")
    }

    /// One run in a line (`--verbose`): what it showed, how it calibrated, each cell's hits and mean gaze,
    /// and every failed check with its value and limit.
    private func runText(_ source: String, _ sequence: [Int], _ o: ChallengeOutcome) -> String {
        let calibration: String
        switch o.calibration {
        case .saved: calibration = "saved"
        case .session(let rms): calibration = "own (rms \(f1(rms)) deg)"
        case .failed(let problem): calibration = "failed: \(problem)"
        case nil: calibration = "none"
        }
        let cells = o.cells.map { c in
            "\(c.cell): \(c.framesOnTarget)/\(c.frames)" + (c.meanGaze.map { " at \(f1($0.rightDeg)),\(f1($0.upDeg))" } ?? "")
        }.joined(separator: "; ")
        let failed = o.checks.filter { !$0.passed }.map { "\($0.check.rawValue) \(f3($0.value)) (limit \(f3($0.limit)))" }
        // The eyes' checks' values whether they passed or not: how near an attack came.
        let eyes = o.checks.filter { [.eyeInHead, .lidFollowsGaze].contains($0.check) }.map { "\($0.check.rawValue) \(f2($0.value))" }
        return "\(source) \(sequence.map(String.init).joined(separator: ",")): \(o.result.rawValue)\(o.stop.map { " (\($0.name))" } ?? ""), "
            + "calibration \(calibration); cells \(cells.isEmpty ? "-" : cells); eyes \(eyes.isEmpty ? "-" : eyes.joined(separator: ", "))"
            + "; failed \(failed.isEmpty ? "none" : failed.joined(separator: ", "))"
    }

    private func counts(_ items: [String]) -> String {
        var n: [String: Int] = [:]
        for i in items { n[i, default: 0] += 1 }
        return n.isEmpty ? "none" : n.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    private func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
    private func f1(_ v: Double) -> String { String(format: "%.1f", v) }
    private func f2(_ v: Double) -> String { String(format: "%.2f", v) }
    private func f3(_ v: Double) -> String { String(format: "%.3f", v) }
    private func f4(_ v: Double) -> String { String(format: "%.4f", v) }
}
