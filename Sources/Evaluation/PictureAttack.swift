import Capture
import Foundation
import GazeCore
import Monitor
import Vision

/// A picture held up to the camera on a phone (or a tablet) and moved by hand: real frames of a ZJU clip, a
/// `faces-68` photo or `video00`, rendered as a camera filming a screen (perspective, bezel, a screen's black
/// level, defocus, sensor noise), and worked by an attacker who watches the kiosk: a human reaction delay,
/// minimum-jerk moves, tremor. Some attackers edit the frames first (irises moved, eyes painted shut, the
/// head turned in 2.5D). Each frame goes through the real pipeline and the challenge in turn, so the
/// attacker reacts to what the kiosk shows (offline: no V4L2 layer in between).
public struct PictureAttack {
    public enum Kind: String, Sendable, CaseIterable {
        /// One open-eyed frame, turned and slid toward each lit cell; a blink faked by tilting it away and back.
        case pictureMoved = "picture-moved"
        /// The same, plus the clip's most closed frame shown for about 150 ms every few seconds.
        case pictureBlinkSwap = "picture-blink-swap"
        /// The clip itself playing on the phone (its real blinks and small motion), moved the same way.
        case clipMoved = "clip-moved"
        /// A `faces-68` photo, moved the same way, swapped for about 150 ms every few seconds with a copy
        /// whose eyes are painted shut.
        case photoPaintedShut = "photo-painted-shut"
        /// `video00` on a tablet, cut at each prompt to a stretch where she looks that way (by the generic
        /// gaze estimate of every frame), the tablet tilted for the rows.
        case videoCut = "video-cut"
        /// The clip playing with its irises moved digitally inside the eye openings toward each target, the
        /// phone turned and slid as well.
        case irisWarpMoved = "iris-warp-moved"
        /// The same with the phone held still: only the irises move.
        case irisWarpStill = "iris-warp-still"
        /// The clip with the head turned in 2.5D toward each target (the picture on a depth surface), the
        /// eyes fixed in the head, the phone held still.
        case headTurn = "head-turn-2.5d"

        /// Which shared recordings the attack is made from.
        public var source: Source {
            switch self {
            case .photoPaintedShut: .photos
            case .videoCut: .video00
            default: .zjuClips
            }
        }

        /// What the attacker's hand does with the phone: turns and slides it toward the target, tilts it for
        /// the rows only, or holds it still.
        var handMoves: HandUse {
            switch self {
            case .pictureMoved, .pictureBlinkSwap, .clipMoved, .photoPaintedShut, .irisWarpMoved: .turnAndSlide
            case .videoCut: .tiltOnly
            case .irisWarpStill, .headTurn: .still
            }
        }

        /// Whether the picture is edited toward the target (and what the practice probes).
        var edits: Edit? {
            switch self {
            case .irisWarpMoved, .irisWarpStill: .irises
            case .headTurn: .head
            default: nil
            }
        }
    }

    public enum Source: Sendable, Hashable { case zjuClips, photos, video00 }
    enum HandUse { case turnAndSlide, tiltOnly, still }
    enum Edit { case irises, head }

    public struct Run: Sendable {
        public var kind: Kind
        public var source: String
        public var sequence: [Int]
        public var savedCalibration: Bool
        public var outcome: ChallengeOutcome
        /// The same attack filmed (every frame the camera saw) and replayed through the simulated camera and
        /// the live path, with the same sequence and calibration plan; nil when not replayed.
        public var live: ChallengeOutcome?
    }

    /// The frames an attack shows, from one real recording, with what the real pipeline saw in each.
    public struct Material: Sendable {
        public var name: String
        public var width: Int
        public var height: Int
        public var frames: [[UInt8]]
        public var faces: [FaceObservation?]
        /// Each frame's gaze by the generic estimate (where the recording's person looks).
        public var gazes: [GazeAngles?]
        /// An open-eyed frame (the most open of the clip's middle half, by the landmarks' eye aspect ratio)...
        public var openIndex: Int
        /// ...and its most closed one (for a photo: the copy with the eyes painted shut).
        public var closedIndex: Int

        /// Decodes `path` (a video or a photo) and picks its open and closed frames with the real pipeline.
        /// A photo gets a second frame: itself with the eyes painted shut. With `zoomToFace` (a photo or a
        /// wide video), the picture is cropped around the face first, as an attacker zooms it to fill the
        /// screen: 2.4 face widths across.
        public static func load(_ path: String, pipeline: FramePipeline, zoomToFace: Bool = false,
                                config: GazeConfig = GazeConfig()) throws(CaptureError) -> Material {
            let source = try openFileSource(path: path)
            var frames: [[UInt8]] = []
            var width = 0, height = 0
            let still = ImageFolderSource.isImage(path)
            while let frame = try source.nextFrame() {
                width = frame.width
                height = frame.height
                frames.append(frame.gray)
                if still { break }
            }
            guard !frames.isEmpty else { throw .unreadableVideo(path: path, reason: "no frames") }
            var faces = see(frames, width: width, height: height, still: still, pipeline: pipeline)
            if zoomToFace {
                let boxes = faces.compactMap { $0?.box }
                guard !boxes.isEmpty else { throw .unreadableVideo(path: path, reason: "no face") }
                let side = median(boxes.map(\.width)) * 2.4
                let cx = median(boxes.map { $0.x + $0.width / 2 }), cy = median(boxes.map { $0.y + $0.height / 2 })
                let w = min(width, Int(side) / 2 * 2), h = min(height, Int(side * 0.9) / 2 * 2)
                let x0 = max(0, min(width - w, Int(cx) - w / 2)), y0 = max(0, min(height - h, Int(cy) - h / 2))
                frames = frames.map { f in
                    var out = [UInt8](repeating: 0, count: w * h)
                    for y in 0..<h { for x in 0..<w { out[y * w + x] = f[(y + y0) * width + x + x0] } }
                    return out
                }
                width = w
                height = h
                faces = see(frames, width: width, height: height, still: still, pipeline: pipeline)
            }
            let generic = GazeCalibration.generic(config.gaze)
            let gazes = faces.map { f in f.flatMap(GazeFeatures.init(face:)).map(generic.angles(for:)) }
            let name = path.split(separator: "/").last.map(String.init) ?? path
            if still {
                guard let face = faces[0] else { throw .unreadableVideo(path: path, reason: "no face in the photo") }
                let shut = PictureEdits.paintedShut(PictureEdits.Picture(pixels: frames[0], width: width, height: height), face: face)
                return Material(name: name, width: width, height: height, frames: [frames[0], shut.pixels], faces: [face, face],
                                gazes: [gazes[0], gazes[0]], openIndex: 0, closedIndex: 1)
            }
            func ear(_ f: FaceObservation?) -> Double? {
                f.flatMap { f in f.landmarks.leftEye.aspectRatio.flatMap { l in f.landmarks.rightEye.aspectRatio.map { (l + $0) / 2 } } }
            }
            let ears = faces.map(ear)
            let seen = ears.indices.filter { ears[$0] != nil }
            let middle = seen.filter { $0 >= frames.count / 4 && $0 < frames.count * 3 / 4 }
            let open = (middle.isEmpty ? seen : middle).max { ears[$0]! < ears[$1]! } ?? frames.count / 2
            let closed = seen.min { ears[$0]! < ears[$1]! } ?? open
            return Material(name: name, width: width, height: height, frames: frames, faces: faces, gazes: gazes,
                            openIndex: open, closedIndex: closed)
        }

        /// What the real pipeline sees in each frame (a photo: read a few times, as the tracker settles).
        static func see(_ frames: [[UInt8]], width: Int, height: Int, still: Bool, pipeline: FramePipeline) -> [FaceObservation?] {
            pipeline.reset()
            defer { _ = pipeline.finish() }
            if still {
                var face: FaceObservation?
                for k in 0..<6 {
                    face = pipeline.process(Frame(gray: frames[0], width: width, height: height, timeMs: Double(k) * 33, sequence: k))
                        .observation.face ?? face
                }
                return [face]
            }
            return frames.enumerated().map { k, f in
                pipeline.process(Frame(gray: f, width: width, height: height, timeMs: Double(k) * 1000 / 30, sequence: k)).observation.face
            }
        }

        /// The materials of an attack's source in `data` (the shared data folder): every fourth ZJU clip
        /// (subjects and conditions spread, decoding kept short), the `faces-68` photos, or `video00`.
        public static func all(_ source: Source, data: String, pipeline: FramePipeline,
                               progress: (Int, Int) -> Void = { _, _ in }) throws(CaptureError) -> [Material] {
            func files(_ sub: String, _ exts: Set<String>) -> [String] {
                let folder = data + "/" + sub
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
                return names.filter { exts.contains(($0 as NSString).pathExtension.lowercased()) }.sorted().map { folder + "/" + $0 }
            }
            let paths: [String]
            switch source {
            case .zjuClips: paths = files("zju-eyeblink", ["mp4"]).enumerated().filter { $0.offset % 4 == 0 }.map(\.element)
            case .photos: paths = files("faces-68", ["jpg", "jpeg", "png"])
            case .video00: paths = files("videos", ["mp4"]).filter { $0.hasSuffix("/video00.mp4") }
            }
            var out: [Material] = []
            for (i, path) in paths.enumerated() {
                progress(i, paths.count)
                // A photo in which the pipeline finds no face is no material (an attacker would pick another).
                do { out.append(try load(path, pipeline: pipeline, zoomToFace: source != .zjuClips)) } catch {
                    if source != .photos { throw error }
                }
            }
            return out
        }
    }

    public let model: FaceModel
    public let config: GazeConfig
    public let camera = CameraModel()

    public init(model: FaceModel, config: GazeConfig = GazeConfig()) {
        self.model = model
        self.config = config
    }

    /// `count` runs of an attack, cycling through the materials, each with a random sequence and movement
    /// from `rng`. With `savedCalibration`, the challenge is given the generic calibration as if saved.
    /// The first `replays` runs are also filmed and replayed through `sim:` (`replay`).
    public func run(_ kind: Kind, materials: [Material], count: Int, savedCalibration: Bool, replays: Int = 0,
                    rng: inout SeededRandom, progress: (Int, Int) -> Void = { _, _ in }) throws(CameraError) -> [Run] {
        var runs: [Run] = []
        for k in 0..<count {
            progress(k, count)
            let material = materials[k % materials.count]
            let grid = ScreenGrid(config: config.screen)
            let sequence = ChallengeSequence.random(count: config.challenge.areaCount, grid: grid, using: &rng)
            let plan = CalibrationPlan.random(grid: grid, config: config.challenge, using: &rng)
            var draw = SeededRandom(seed: rng.next())
            let calibration: GazeCalibration? = savedCalibration ? .generic(config.gaze) : nil
            let session = ChallengeSession(sequence: sequence, calibration: calibration, plan: plan, config: config)
            var film: [[UInt8]] = []
            let live = k < replays
            let outcome = runOne(kind, material: material, session: session, rng: &draw, film: live ? { film.append($0) } : nil)
            var run = Run(kind: kind, source: material.name, sequence: sequence, savedCalibration: savedCalibration, outcome: outcome)
            if live { run.live = try replay(film, sequence: sequence, calibration: calibration, plan: plan) }
            runs.append(run)
        }
        return runs
    }

    /// An attack's film through the simulated camera and the live path of `gazetop challenge`: written as
    /// a folder of grey PGM frames (lossless, 30 a second), served by `sim:` paced by demand, with the
    /// session's own sequence and calibration plan. The folder is removed afterwards.
    public func replay(_ film: [[UInt8]], sequence: [Int], calibration: GazeCalibration?,
                       plan: CalibrationPlan) throws(CameraError) -> ChallengeOutcome {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-attack-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        } catch {
            throw .unreadableSource(path: folder, reason: "cannot make the replay's folder: \(error.localizedDescription)")
        }
        let header = Array("P5\n\(camera.width) \(camera.height)\n255\n".utf8)
        for (i, frame) in film.enumerated() {
            let name = folder + "/" + String(format: "%05d.pgm", i)
            guard FileManager.default.createFile(atPath: name, contents: Data(header + frame)) else {
                throw .unreadableSource(path: name, reason: "cannot write the replay's frame (disk full?)")
            }
        }
        return try AttackEvaluation(model: model, config: config).runOne(source: folder, sequence: sequence, calibration: calibration,
                                                                          plan: plan, loop: false)
    }

    /// The frame of the recording shown at frame `i` (before any edit), for a kind.
    private func shownFrame(_ kind: Kind, material: Material, i: Int, t: Double, blinkUntilMs: Double, cut: inout Cut) -> Int {
        switch kind {
        case .clipMoved, .irisWarpMoved, .irisWarpStill, .headTurn: return i % material.frames.count
        case .videoCut: return cut.frame()
        case .pictureBlinkSwap, .photoPaintedShut: return t < blinkUntilMs ? material.closedIndex : material.openIndex
        case .pictureMoved: return material.openIndex
        }
    }

    /// One whole challenge against one attacker.
    /// `film`, when given, gets every frame the camera saw, and 2 s more after the verdict (so that a replay
    /// whose timing differs by a frame still reaches its verdict).
    public func runOne(_ kind: Kind, material: Material, session: ChallengeSession, rng: inout SeededRandom,
                       film: (([UInt8]) -> Void)? = nil) -> ChallengeOutcome {
        let pipeline = FramePipeline(model: model, config: config)
        let screen = PhoneScreen(material: material, camera: camera, tablet: kind.source == .video00)
        let practice = practise(kind, screen, pipeline: pipeline, rng: &rng)
        var hand = Hand(practice: practice.hand, use: kind.handMoves, distanceCm: screen.distanceCm, rng: &rng)
        var editor = Hand(practice: practice.edit ?? practice.hand, use: .turnAndSlide, rng: &rng)
        editor.tremor.removeAll()
        pipeline.reset()
        var session = session
        var sampler = ChallengeFrameSampler()
        var noise = SeededRandom(seed: rng.next())
        var target: GazeTarget? = nil
        var nextBlinkMs = rng.uniform(800...1500)
        var blinkUntilMs = -1.0
        var cut = Cut(material: material, start: material.openIndex)
        let grid = ScreenGrid(config: config.screen)
        let frameMs = 1000.0 / 30
        var i = 0
        var afterMs = film == nil ? 0 : 2000.0
        while !session.isFinished || afterMs > 0, Double(i) * frameMs < 60_000 {
            let t = Double(i) * frameMs
            if session.isFinished { afterMs -= frameMs }
            if t >= nextBlinkMs {
                // Fake a blink: swap in the closed frame for about 150 ms, or tilt the phone away and back.
                switch kind {
                case .pictureBlinkSwap, .photoPaintedShut: blinkUntilMs = t + rng.uniform(130...170)
                case .pictureMoved: hand.tilt(at: t)
                default: break
                }
                nextBlinkMs = t + rng.uniform(2500...4000)
            }
            cut.advance(to: t)
            let shown = shownFrame(kind, material: material, i: i, t: t, blinkUntilMs: blinkUntilMs, cut: &cut)
            var picture = PictureEdits.Picture(pixels: material.frames[shown], width: material.width, height: material.height)
            if let edit = kind.edits, let face = material.faces[shown] {
                picture = apply(edit, controls: editor.controls(at: t), to: picture, face: face)
            }
            let pixels = screen.render(picture: picture.pixels, pose: hand.pose(at: t), noise: &noise)
            film?(pixels)
            if session.isFinished {
                i += 1
                continue
            }
            let result = pipeline.process(Frame(gray: pixels, width: camera.width, height: camera.height, timeMs: t, sequence: i))
            let view = session.update(sampler.sample(result))
            if view.target != target {
                target = view.target
                if let target {
                    let g = grid.direction(of: target)
                    if kind == .videoCut {
                        // Cut to where she looks that way (across), and tilt the tablet for the rest.
                        cut.cut(toward: g, at: t + Hand.reactionMs(&rng))
                        let shows = cut.gaze ?? practice.hand.centre
                        hand.aim(at: GazeAngles(rightDeg: practice.hand.centre.rightDeg,
                                                upDeg: g.upDeg - shows.upDeg + practice.hand.centre.upDeg), from: t, rng: &rng)
                    } else {
                        hand.aim(at: g, from: t, rng: &rng)
                        editor.aim(at: g, from: t, rng: &rng)
                    }
                }
            }
            i += 1
        }
        _ = pipeline.finish()
        return session.end(.streamEnded)
    }

    /// An edit's controls ("degrees of intended gaze") applied to a frame: the irises moved by the eye
    /// model's offset for that gaze, or the head turned by it.
    func apply(_ edit: Edit, controls u: GazeAngles, to picture: PictureEdits.Picture, face: FaceObservation) -> PictureEdits.Picture {
        switch edit {
        case .irises:
            let eye = config.gaze.eye
            let ahead = eye.pupilOffset(gaze: GazeAngles(rightDeg: 0, upDeg: 0), headYawDeg: 0)
            let there = eye.pupilOffset(gaze: u, headYawDeg: 0)
            return PictureEdits.movingIrises(picture, face: face, shift: Point(x: there.x - ahead.x, y: there.y - ahead.y))
        case .head:
            return PictureEdits.turnedHead(picture, face: face, yawDeg: u.rightDeg, pitchDeg: u.upDeg)
        }
    }

    /// Where a cut replay plays: a stretch of the recording whose person looks closest to a direction
    /// across, started at a cut and played on (back to the stretch's start after 1.5 s).
    struct Cut {
        let material: Material
        var start: Int
        var startMs = 0.0
        var pending: (atMs: Double, frame: Int)?
        var current: Int
        var gaze: GazeAngles?

        init(material: Material, start: Int) {
            self.material = material
            self.start = start
            current = start
            gaze = material.gazes[start]
        }

        mutating func advance(to t: Double) {
            if let p = pending, t >= p.atMs {
                start = p.frame
                startMs = p.atMs
                pending = nil
                gaze = Self.stretchGaze(material, from: start)
            }
            current = start + Int((t - startMs) / (1000.0 / 30)) % 45
        }

        func frame() -> Int { min(current, material.frames.count - 1) }

        /// Cuts at `t` to the stretch whose median gaze across is nearest to `g`'s.
        mutating func cut(toward g: GazeAngles, at t: Double) {
            var best = start, bestError = Double.infinity
            for s in stride(from: 0, to: max(1, material.frames.count - 45), by: 3) {
                guard let m = Self.stretchGaze(material, from: s) else { continue }
                let e = abs(m.rightDeg - g.rightDeg)
                if e < bestError { best = s; bestError = e }
            }
            pending = (t, best)
        }

        static func stretchGaze(_ m: Material, from s: Int) -> GazeAngles? {
            let g = m.gazes[s..<min(m.gazes.count, s + 45)].compactMap { $0 }
            guard g.count >= 30 else { return nil }
            return GazeAngles(rightDeg: median(g.map(\.rightDeg)), upDeg: median(g.map(\.upDeg)))
        }
    }

    /// What the attacker learned at the live dashboard beforehand: how the gaze estimate answers the
    /// phone's turn and slide, and (for an edit) how it answers the edit.
    struct Practices {
        var hand: Practice
        var edit: Practice?
    }

    func practise(_ kind: Kind, _ screen: PhoneScreen, pipeline: FramePipeline, rng: inout SeededRandom) -> Practices {
        let m = screen.material
        let still = PhoneScreen.Pose(yawDeg: 0, pitchDeg: 0, rollDeg: 0, xCm: 0, yCm: 0, distanceCm: screen.distanceCm)
        let hand = practise(screen, pipeline: pipeline, rng: &rng) { u in
            (m.frames[m.openIndex], Hand.physical(u, distanceCm: screen.distanceCm))
        }
        guard let edit = kind.edits else { return Practices(hand: hand) }
        let face = m.faces[m.openIndex]
        let edited = practise(screen, pipeline: pipeline, rng: &rng) { u in
            let p = PictureEdits.Picture(pixels: m.frames[m.openIndex], width: m.width, height: m.height)
            return (face.map { apply(edit, controls: u, to: p, face: $0).pixels } ?? p.pixels, still)
        }
        return Practices(hand: hand, edit: edited)
    }

    /// Probes a few controls and fits the 2x2 map from the controls to the generic gaze.
    func practise(_ screen: PhoneScreen, pipeline: FramePipeline, rng: inout SeededRandom,
                  show: (GazeAngles) -> ([UInt8], PhoneScreen.Pose)) -> Practice {
        var noise = SeededRandom(seed: rng.next())
        let generic = GazeCalibration.generic(config.gaze)
        func gaze(_ u: GazeAngles) -> GazeAngles? {
            pipeline.reset()
            let (picture, pose) = show(u)
            var sum = GazeAngles(rightDeg: 0, upDeg: 0), n = 0.0
            for k in 0..<8 {
                let frame = Frame(gray: screen.render(picture: picture, pose: pose, noise: &noise),
                                  width: camera.width, height: camera.height, timeMs: Double(k) * 33.3, sequence: k)
                if let face = pipeline.process(frame).observation.face, let f = GazeFeatures(face: face), k >= 3 {
                    let a = generic.angles(for: f)
                    sum = GazeAngles(rightDeg: sum.rightDeg + a.rightDeg, upDeg: sum.upDeg + a.upDeg)
                    n += 1
                }
            }
            return n > 0 ? GazeAngles(rightDeg: sum.rightDeg / n, upDeg: sum.upDeg / n) : nil
        }
        let step = 12.0
        guard let centre = gaze(GazeAngles(rightDeg: 0, upDeg: 0)),
              let right = gaze(GazeAngles(rightDeg: step, upDeg: 0)),
              let up = gaze(GazeAngles(rightDeg: 0, upDeg: step)) else { return Practice(centre: GazeAngles(rightDeg: 0, upDeg: 0)) }
        return Practice(centre: centre,
                        a: (right.rightDeg - centre.rightDeg) / step, b: (up.rightDeg - centre.rightDeg) / step,
                        c: (right.upDeg - centre.upDeg) / step, d: (up.upDeg - centre.upDeg) / step)
    }

    /// The learned map: generic gaze = centre + [a b; c d] * controls.
    struct Practice {
        var centre: GazeAngles
        var a = 1.0, b = 0.0, c = 0.0, d = 1.0

        /// The controls that make the estimate read `g` (the identity when the map cannot be inverted).
        func controls(for g: GazeAngles) -> GazeAngles {
            let det = a * d - b * c
            guard abs(det) > 0.05 else { return g }
            let x = g.rightDeg - centre.rightDeg, y = g.upDeg - centre.upDeg
            let ux = (d * x - b * y) / det, uy = (-c * x + a * y) / det
            // A hand turns a phone only so far (and an edit looks wrong beyond it).
            return GazeAngles(rightDeg: max(-40, min(40, ux)), upDeg: max(-40, min(40, uy)))
        }
    }

    /// The attacker's hand: controls in "degrees of intended gaze", moved by minimum-jerk reaches after a
    /// reaction delay, with physiological tremor (8-12 Hz) and a slow drift on top.
    struct Hand {
        struct Reach { var startMs: Double; var durationMs: Double; var from: GazeAngles; var to: GazeAngles }
        let practice: Practice
        let use: HandUse
        var distanceCm = 16.0
        var reaches: [Reach] = []
        var tilts: [Double] = []
        var tremor: [(hz: Double, phase: Double, amplitude: Double)] = []

        init(practice: Practice, use: HandUse, distanceCm: Double = 16, rng: inout SeededRandom) {
            self.practice = practice
            self.use = use
            self.distanceCm = distanceCm
            for (hz, amplitude) in [(0.3, 0.6), (0.7, 0.4), (9.0, 0.15), (11.0, 0.1)] {
                tremor.append((hz * rng.uniform(0.8...1.2), rng.uniform(0...(2 * Double.pi)), amplitude))
                tremor.append((hz * rng.uniform(0.8...1.2), rng.uniform(0...(2 * Double.pi)), amplitude))
            }
        }

        func controls(at t: Double) -> GazeAngles {
            guard let r = reaches.last(where: { $0.startMs <= t }) else { return reaches.first?.from ?? practice.controls(for: GazeAngles(rightDeg: 0, upDeg: 0)) }
            let x = max(0, min(1, (t - r.startMs) / r.durationMs))
            let s = x * x * x * (10 - 15 * x + 6 * x * x)
            return GazeAngles(rightDeg: r.from.rightDeg + s * (r.to.rightDeg - r.from.rightDeg),
                              upDeg: r.from.upDeg + s * (r.to.upDeg - r.from.upDeg))
        }

        mutating func aim(at g: GazeAngles, from t: Double, rng: inout SeededRandom) {
            let reaction = Self.reactionMs(&rng)
            guard use != .still else { return }
            let from = controls(at: t + reaction)
            var to = practice.controls(for: g)
            if use == .tiltOnly { to.rightDeg = from.rightDeg }
            reaches.removeAll { $0.startMs > t }
            reaches.append(Reach(startMs: t + reaction, durationMs: rng.uniform(400...650), from: from, to: to))
        }

        /// A human reaction to a new prompt: log-normal around 330 ms, 200-700 ms.
        static func reactionMs(_ rng: inout SeededRandom) -> Double {
            min(700, max(200, 330 * Foundation.exp(0.25 * rng.normal())))
        }

        /// Tilts the phone away and back (a blink faked by foreshortening the eyes), over about 300 ms.
        mutating func tilt(at t: Double) { tilts.append(t) }

        func pose(at t: Double) -> PhoneScreen.Pose {
            var u = controls(at: t)
            var k = 0
            for w in tremor {
                let v = w.amplitude * Foundation.sin(2 * Double.pi * w.hz * t / 1000 + w.phase)
                if k % 2 == 0 { u.rightDeg += v } else { u.upDeg += v }
                k += 1
            }
            var pose = Self.physical(u, distanceCm: distanceCm)
            for start in tilts where t >= start && t < start + 300 {
                pose.pitchDeg += 30 * Foundation.sin(Double.pi * (t - start) / 300)
            }
            return pose
        }

        /// Controls to the phone's pose: turned toward the intended direction and slid the same way.
        static func physical(_ u: GazeAngles, distanceCm: Double) -> PhoneScreen.Pose {
            PhoneScreen.Pose(yawDeg: 0.6 * u.rightDeg, pitchDeg: 0.6 * u.upDeg, rollDeg: 0,
                             xCm: -0.12 * u.rightDeg * distanceCm / 16, yCm: -0.12 * u.upDeg * distanceCm / 16, distanceCm: distanceCm)
        }
    }
}

/// The camera filming the phone: 640x480, focal length 640 px (53 degrees across).
public struct CameraModel: Sendable {
    public var width = 640
    public var height = 480
    public var focalPixels = 640.0
}

/// A phone's screen showing a picture, filmed by `CameraModel`: the picture 12 cm wide, a bezel around it,
/// a lit room behind; the screen's black level lifts the picture's darks, the lens defocuses a little, the
/// sensor adds noise to every frame.
struct PhoneScreen {
    struct Pose {
        /// Turn about the vertical axis (the screen's right edge away from the camera when positive)...
        var yawDeg: Double
        /// ...about the horizontal axis (top edge away)...
        var pitchDeg: Double
        var rollDeg: Double
        /// ...and where its centre is: right of and below the camera's axis, and how far.
        var xCm: Double
        var yCm: Double
        var distanceCm: Double
    }

    let material: PictureAttack.Material
    let camera: CameraModel
    /// A phone 12 cm wide held 16 cm away, or a tablet 20 cm wide held 26 cm away.
    let widthCm: Double
    let distanceCm: Double
    let bezelCm = 0.8
    let blackLevel = 22.0
    let whiteLevel = 230.0
    let background: [UInt8]

    init(material: PictureAttack.Material, camera: CameraModel, tablet: Bool = false) {
        self.material = material
        self.camera = camera
        widthCm = tablet ? 20 : 12
        distanceCm = tablet ? 26 : 16
        // A still room: a soft gradient with some large shapes.
        var bg = [UInt8](repeating: 0, count: camera.width * camera.height)
        for y in 0..<camera.height {
            for x in 0..<camera.width {
                let v = 95 + 40 * Double(y) / Double(camera.height) + 20 * Foundation.sin(Double(x) / 37) * Foundation.cos(Double(y) / 53)
                bg[y * camera.width + x] = UInt8(max(0, min(255, v)))
            }
        }
        background = bg
    }

    /// The camera's frame of the picture at `pose`.
    func render(picture: [UInt8], pose: Pose, noise: inout SeededRandom) -> [UInt8] {
        let pw = Double(material.width), ph = Double(material.height)
        let cmPerPixel = widthCm / pw
        // Picture pixel (a, b) -> plane point ((a - pw/2) s, (b - ph/2) s, 0) -> camera: R p + t -> image.
        let yaw = pose.yawDeg * .pi / 180, pitch = pose.pitchDeg * .pi / 180, roll = pose.rollDeg * .pi / 180
        let (cy, sy, cp, sp, cr, sr) = (cos(yaw), sin(yaw), cos(pitch), sin(pitch), cos(roll), sin(roll))
        // R = Ry(yaw) Rx(pitch) Rz(roll); only its first two columns matter for a plane.
        let r11 = cy * cr + sy * sp * sr, r12 = -cy * sr + sy * sp * cr
        let r21 = cp * sr, r22 = cp * cr
        let r31 = -sy * cr + cy * sp * sr, r32 = sy * sr + cy * sp * cr
        let f = camera.focalPixels, cx = Double(camera.width) / 2, ccy = Double(camera.height) / 2
        // H maps plane cm (u, v, 1) to image pixels: K [r1 r2 t].
        let h: [Double] = [f * r11 + cx * r31, f * r12 + cx * r32, f * pose.xCm + cx * pose.distanceCm,
                           f * r21 + ccy * r31, f * r22 + ccy * r32, f * pose.yCm + ccy * pose.distanceCm,
                           r31, r32, pose.distanceCm]
        guard let inv = Self.inverse(h) else { return background }
        var out = [UInt8](repeating: 0, count: camera.width * camera.height)
        let halfW = widthCm / 2, halfH = ph * cmPerPixel / 2
        let scale = (whiteLevel - blackLevel) / 255
        picture.withUnsafeBufferPointer { src in
            for y in 0..<camera.height {
                let fy = Double(y)
                for x in 0..<camera.width {
                    let fx = Double(x)
                    let w = inv[6] * fx + inv[7] * fy + inv[8]
                    let u = (inv[0] * fx + inv[1] * fy + inv[2]) / w, v = (inv[3] * fx + inv[4] * fy + inv[5]) / w
                    let value: Double
                    if abs(u) < halfW && abs(v) < halfH {
                        let a = (u + halfW) / cmPerPixel - 0.5, b = (v + halfH) / cmPerPixel - 0.5
                        let ia = max(0, min(material.width - 2, Int(a))), ib = max(0, min(material.height - 2, Int(b)))
                        let da = max(0, min(1, a - Double(ia))), db = max(0, min(1, b - Double(ib)))
                        let i0 = ib * material.width + ia
                        let top = Double(src[i0]) * (1 - da) + Double(src[i0 + 1]) * da
                        let bottom = Double(src[i0 + material.width]) * (1 - da) + Double(src[i0 + material.width + 1]) * da
                        value = blackLevel + scale * (top * (1 - db) + bottom * db)
                    } else if abs(u) < halfW + bezelCm && abs(v) < halfH + bezelCm && w > 0 {
                        value = 14
                    } else {
                        value = Double(background[y * camera.width + x])
                    }
                    out[y * camera.width + x] = UInt8(max(0, min(255, value)))
                }
            }
        }
        return Self.defocusAndNoise(out, width: camera.width, height: camera.height, noise: &noise)
    }

    /// A [1 2 1]/4 blur each way (a lens focused a little off the close phone), then sensor noise of
    /// about 2 grey levels.
    static func defocusAndNoise(_ p: [UInt8], width: Int, height: Int, noise: inout SeededRandom) -> [UInt8] {
        var tmp = [Double](repeating: 0, count: p.count)
        for y in 0..<height {
            for x in 0..<width {
                let l = Double(p[y * width + max(0, x - 1)]), c = Double(p[y * width + x]), r = Double(p[y * width + min(width - 1, x + 1)])
                tmp[y * width + x] = (l + 2 * c + r) / 4
            }
        }
        var out = [UInt8](repeating: 0, count: p.count)
        for y in 0..<height {
            for x in 0..<width {
                let u = tmp[max(0, y - 1) * width + x], c = tmp[y * width + x], d = tmp[min(height - 1, y + 1) * width + x]
                // Sum of four uniforms: near-normal, sd about 2.
                let r = noise.next()
                let n = Double(Int(r & 0xFF) + Int((r >> 8) & 0xFF) + Int((r >> 16) & 0xFF) + Int((r >> 24) & 0xFF) - 510) / 74
                out[y * width + x] = UInt8(max(0, min(255, (u + 2 * c + d) / 4 + n)))
            }
        }
        return out
    }

    /// The inverse of a 3x3 matrix in row order; nil when singular.
    static func inverse(_ m: [Double]) -> [Double]? {
        let (a, b, c, d, e, f, g, h, i) = (m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8])
        let det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
        guard abs(det) > 1e-12 else { return nil }
        return [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det,
                (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det,
                (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det]
    }
}
