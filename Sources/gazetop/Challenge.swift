import ArgumentParser
import Capture
import Console
import Foundation
import GazeCore
import Monitor
import Store
import Vision

struct Challenge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the gaze liveness challenge: follow highlighted cells of a 2x3 grid with the eyes.",
        discussion: """
            Cells are numbered 1-3 on the top row and 4-6 below, left to right. Get ready: one face, lit and \
            close enough, looks at the camera and blinks. Without a saved calibration for this camera, a short \
            one follows (look at the dot in cell 1, then in cell 6, 2 s each). Then each cell of a random \
            sequence (no cell twice in a row, from the system's secure random source) is shown for \
            --area-duration seconds; frames after --reaction count, and a frame is on target when the gaze \
            falls in the cell. Pass: mean accuracy over the cells at least --threshold, every cell at least \
            0.5, and every liveness check passed (face in view, one face, natural motion, a blink, sane frame \
            timing, no repeated frames, not a virtual camera). The person sees pass, fail or try again with \
            what to do; the scores go to --result.

            On a terminal the grid fills the screen: the lit cell with a big countdown at its centre, the \
            camera's mark at the top; q or Esc stops (try again). The result (PASS, FAIL or TRY AGAIN with \
            the one reason) stays for \(Int(DashboardConfig().resultSeconds)) s or until a key; then the same line goes to stderr. With --headless, \
            or when stdin or stdout is not a terminal, the display is one status line on stderr (a line per \
            step when stderr is not a terminal).

            A kiosk can issue a session id first (gazetop challenge --new-session prints one, valid for --ttl \
            seconds) and pass it with --session: each id runs one challenge, before it expires. With \
            --max-failures N (3 unless given), N failed challenges in a row refuse further ones for --lockout seconds. Both \
            are kept in $XDG_STATE_HOME/gazetop/challenge.json (else ~/.local/state/gazetop).

            With --enrolled NAME (gazetop enroll) or --match-photo PHOTO, the challenge also fails unless that \
            person completes it (enrolled_person) and one face does so throughout (same_person): the followed \
            face is described at a few moments (the end of get ready, each calibration point and cell, near \
            the end) and compared.

            Offline, --input VIDEO --sequence 3,1,5 --start SECONDS scores a recording of a challenge with \
            the same rules (get ready starting at SECONDS), headless.

            \(CameraOptions.simulatorHelp)

            Exit status: 0 pass; 1 fail; 2 inconclusive (no face, stopped, expired) or any error, with one \
            line on stderr.
            """
    )

    @OptionGroup var camera: CameraOptions

    @Option(name: .long, help: ArgumentHelp("Cells in a random sequence.", valueName: "count"))
    var areas = ChallengeConfig().areaCount

    @Option(name: .customLong("area-duration"), help: ArgumentHelp("Seconds each cell is shown.", valueName: "seconds"))
    var areaDuration = ChallengeConfig().areaDurationSeconds

    @Option(name: .long, help: ArgumentHelp("Mean accuracy over the cells needed to pass, 0-1.", valueName: "share"))
    var threshold = ChallengeConfig().passThreshold

    @Option(name: .long, help: ArgumentHelp("Seconds after a cell lights up before its frames count.", valueName: "seconds"))
    var reaction = ChallengeConfig().reactionSeconds

    @Option(name: .long, help: ArgumentHelp("A fixed sequence instead of a random one (for testing), like 3,1,5.",
                                            valueName: "cells"))
    var sequence: String?

    @Flag(name: .customLong("no-require-blink"), help: "Pass without a blink.")
    var noRequireBlink = false

    @Flag(name: .customLong("allow-virtual"), help: "Accept a virtual camera (v4l2loopback, OBS, vivid, sim:).")
    var allowVirtual = false

    @Option(name: .long, help: ArgumentHelp("Seconds a session id stays valid (with --new-session: the id issued).",
                                            valueName: "seconds"))
    var ttl = ChallengeConfig().sessionTTLSeconds

    @Option(name: .long, help: ArgumentHelp("Run the session issued by --new-session (once, before it expires).",
                                            valueName: "id"))
    var session: String?

    @Flag(name: .customLong("new-session"), help: "Issue a session id, print it and exit.")
    var newSession = false

    @Option(name: .customLong("max-failures"), help: ArgumentHelp(
        "After this many failed challenges in a row, refuse challenges for --lockout seconds (default 3 on a camera).",
        valueName: "count"))
    var maxFailures: Int?

    /// A kiosk limits retries unless told otherwise: a camera run's default for --max-failures.
    static let defaultMaxFailures = 3

    /// The failures allowed in a row: as given, else the default on a camera (a recording counts none).
    var failureLimit: Int? { maxFailures ?? (input == nil ? Self.defaultMaxFailures : nil) }

    @Option(name: .long, help: ArgumentHelp("Seconds of lockout after --max-failures.", valueName: "seconds"))
    var lockout = 300.0

    @Option(name: .long, help: ArgumentHelp("Write the result as JSON to this file (whole or not at all).",
                                            valueName: "path"))
    var result: String?

    @OptionGroup var calibrationOptions: CalibrationOptions

    @Option(name: .long, help: ArgumentHelp("Score a recording of a challenge instead of a camera.", valueName: "video"))
    var input: String?

    @Option(name: .long, help: ArgumentHelp("With --input: where in the recording get ready starts.", valueName: "seconds"))
    var start = 0.0

    @Option(name: .long, help: ArgumentHelp(
        "Fail unless the person enrolled under this name (gazetop enroll) completes the challenge, one face throughout.",
        valueName: "name"))
    var enrolled: String?

    @Option(name: .customLong("match-photo"), help: ArgumentHelp(
        "Fail unless the face of this photo completes the challenge, one face throughout.", valueName: "photo"))
    var matchPhoto: String?

    @Option(name: .customLong("match-models"), help: ArgumentHelp(
        "With --enrolled or --match-photo: the folder holding the face-matching models (as for match).",
        valueName: "dir"))
    var matchModels: String?

    @OptionGroup var screenOptions: TaskScreenOptions

    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        guard areas >= 1 && areas <= 20 else { throw ValidationError("--areas must be 1 to 20") }
        guard areaDuration > 0 && areaDuration <= 60 else { throw ValidationError("--area-duration must be above 0 and at most 60") }
        guard threshold >= 0 && threshold <= 1 else { throw ValidationError("--threshold must be between 0 and 1") }
        guard reaction >= 0 && reaction < areaDuration else { throw ValidationError("--reaction must be 0 or more and under --area-duration") }
        guard ttl > 0 else { throw ValidationError("--ttl must be above 0") }
        guard lockout > 0 else { throw ValidationError("--lockout must be above 0") }
        if let maxFailures, maxFailures < 1 { throw ValidationError("--max-failures must be at least 1") }
        guard start >= 0 else { throw ValidationError("--start must be 0 or more") }
        if let sequence {
            do { _ = try ChallengeSequence.parse(sequence) } catch { throw ValidationError(error.description) }
        }
        if let session, session.isEmpty || session.count > 64 || !session.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) {
            throw ValidationError("--session wants the id --new-session printed")
        }
        if newSession && (session != nil || input != nil) { throw ValidationError("--new-session takes no --session or --input") }
        if enrolled != nil && matchPhoto != nil { throw ValidationError("--enrolled and --match-photo exclude each other") }
        if newSession && (enrolled != nil || matchPhoto != nil) {
            throw ValidationError("--new-session takes no --enrolled or --match-photo")
        }
        if input != nil {
            guard sequence != nil else { throw ValidationError("--input needs --sequence: the cells the recording shows") }
            if session != nil || maxFailures != nil || camera.device != nil {
                throw ValidationError("--input scores a recording: it takes no --device, --session or --max-failures")
            }
        }
    }

    func run() throws {
        let outcome: ChallengeResult
        do {
            outcome = try runChallenge()
        } catch {
            StandardError.write("gazetop: \(error.description)\n")
            throw ExitCode(2)
        }
        switch outcome {
        case .pass: return
        case .fail: throw ExitCode(1)
        case .inconclusive: throw ExitCode(2)
        }
    }

    private func runChallenge() throws(CommandFailure) -> ChallengeResult {
        let store = LedgerStore(path: StatePaths.ledgerFile)
        let now = Date().timeIntervalSince1970
        if newSession {
            print(try stateFile { () throws(StateFileError) in try store.issueNew(now: now, ttlSeconds: ttl) })
            return .pass
        }
        // A terminal that cannot draw a full screen (TERM=dumb, no UTF-8 without --ascii): said before
        // anything starts (exit 2 here, 13 for the monitor).
        if screenOptions.fullScreen && input == nil { try TerminalCheck.requireScreen(ascii: screenOptions.ascii) }
        let expiresAt = try stateFile { () throws(StateFileError) in try store.admit(session: session, now: now, ttlSeconds: ttl, failureLimit: failureLimit) }

        var config = GazeConfig()
        config.challenge.areaCount = areas
        config.challenge.areaDurationSeconds = areaDuration
        config.challenge.passThreshold = threshold
        config.challenge.reactionSeconds = reaction
        config.challenge.requireBlink = !noRequireBlink
        var rng = SystemRandomNumberGenerator()
        let cells = try sequence.map { (text) throws(CommandFailure) in
            do throws(ChallengeSequence.Problem) { return try ChallengeSequence.parse(text) } catch {
                throw CommandFailure(.input, error.description)
            }
        } ?? ChallengeSequence.random(count: areas, grid: ScreenGrid(config: config.screen), using: &rng)
        // A fixed sequence is for testing: it keeps the fixed calibration plan too; a kiosk draws both.
        let plan = sequence == nil ? CalibrationPlan.random(grid: ScreenGrid(config: config.screen), config: config.challenge, using: &rng) : nil

        let model = try modelOptions.load()
        // Whom the face must be, settled before the session starts: an unknown name or a photo without one
        // clear face must not cost the person a challenge.
        let identity = try identityCheck(config: config)
        let out: OutputFile?
        do { out = try result.map { (path) throws(OutputError) in try OutputFile(path: path) } } catch {
            throw CommandFailure(.output, "\(error)")
        }
        let interrupt = InterruptFlag()
        var context = ChallengeResultContext(sessionId: session ?? LedgerStore.newSessionId(), areaDurationSeconds: areaDuration,
                                             threshold: threshold, processingSeconds: 0,
                                             startedAt: ISO8601DateFormatter().string(from: Date()))
        if identity != nil { context.identity = .init(enrolled: enrolled, photo: matchPhoto) }
        var run = ChallengeRun(sequence: cells, plan: plan, config: config, model: model, context: context,
                               expiresAt: expiresAt, shouldStop: { interrupt.raised })
        run.identity = identity
        let finished: ChallengeRun.Finished
        if let input {
            let choice = try CalibrationOptions(explicitOnly: calibrationOptions).resolve(camera: nil)
            finished = try running { () throws(RunFailure) in try run.score(recording: input, startSeconds: start, calibration: choice) }
        } else {
            let (device, _) = try camera.camera()
            let choice = try calibrationOptions.resolve(camera: CameraIdentity.of(device.path))
            if let note = choice.note { StandardError.write("gazetop: \(note)\n") }
            var options = camera.liveOptions
            options.refuseVirtual = !allowVirtual
            let display: TaskDisplayMode = screenOptions.fullScreen
                ? .fullScreen(ascii: screenOptions.ascii, color: screenOptions.color) : .line
            finished = try running { () throws(RunFailure) in try run.run(camera: device, options: options, calibration: choice, display: display) }
        }

        if let maxFailures = failureLimit {
            try stateFile { () throws(StateFileError) in
                try store.record(finished.outcome.result, now: Date().timeIntervalSince1970, maxFailures: maxFailures, lockoutSeconds: lockout)
            }
        }
        if let out {
            out.write(line: ChallengeResultEncoding.json(finished.outcome, finished.context))
            do { try out.commit() } catch { throw CommandFailure(.output, "\(error)") }
        }
        if let failure = finished.cameraFailure { throw CommandFailure(.camera, failure.description) }
        return finished.outcome.result
    }
}

extension Challenge {
    /// `--enrolled NAME` or `--match-photo PHOTO` as whom the face must be, with what describes it; nil
    /// without either.
    private func identityCheck(config: GazeConfig) throws(CommandFailure) -> (requirement: IdentityRequirement, describer: FollowedFaceDescriber)? {
        guard enrolled != nil || matchPhoto != nil else { return nil }
        let reader: FaceReader
        do {
            reader = try FaceReader(encoder: FaceEncoder(folder: matchModels), config: config.matching)
        } catch {
            throw CommandFailure(.model, "\(error)")
        }
        let requirement = try running { () throws(RunFailure) in
            try Enrolment.requirement(enrolled: enrolled, photo: matchPhoto, store: EnrolmentStore(), reader: reader)
        }
        return (requirement, FollowedFaceDescriber(encoder: reader.encoder, config: config.matching))
    }
}

extension CalibrationOptions {
    /// Only a calibration named on the command line (a recording has no camera to match the saved one to).
    init(explicitOnly other: CalibrationOptions) {
        self.init()
        calibration = other.calibration
        noCalibration = other.calibration == nil
    }
}
