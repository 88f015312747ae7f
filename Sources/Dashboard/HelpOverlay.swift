import GazeCore

/// The help (`?` or F1): the keys and what each part of the screen means, in a box over the dashboard.
enum HelpOverlay {
    static func lines(_ s: Snapshot, _ g: Glyphs) -> [(key: String, text: String)] {
        let cone = Format.fixed(s.coneDeg, 0) + g.degree
        let usual = "\(Int(s.blinks.typicalPerMinute.lowerBound))-\(Int(s.blinks.typicalPerMinute.upperBound))"
        return [
            ("", "Keys"),
            ("q Esc F10", "quit, then print the session summary"),
            ("space", "pause or resume: freezes the screen and the statistics"),
            ("r", "reset the statistics (blinks, eye contact, timeline)"),
            ("p", "camera preview: what gazetop sees, eyes marked"),
            ("z", "zero gaze: look into the camera for 2 s"),
            ("c", "calibrate: look at the camera, blink, then at six dots"),
            ("g", "liveness challenge: follow the lit cells with your eyes"),
            ("+ / -", "wider / narrower eye-contact cone (now \(cone))"),
            ("? F1", "this help; ? or Esc closes it"),
            ("", "The screen"),
            ("banner", "eye contact, away, eyes closed, no face, 2+ faces"),
            ("last minute", "a cell a second: \(g.contact) contact \(g.away) away \(g.noFace) no face \(g.gap) paused"),
            ("blinks", "count, per minute (at rest \(usual)), last one's length"),
            ("eyes", "openness (EAR) now and lately; \(g.threshold) the blink threshold"),
            ("gaze", "where you look: \(g.camera) the camera, \(g.cone) the eye-contact cone"),
        ]
    }

    static func draw(_ grid: inout CellGrid, _ s: Snapshot, _ g: Glyphs) {
        let content = lines(s, g)
        let keyWidth = 12
        let width = min(grid.width - 2, 2 + keyWidth + content.map { Format.columns($0.text) }.max()! + 2)
        let height = min(grid.height - 2, content.count + 2)
        let x = (grid.width - width) / 2, y = (grid.height - height) / 2
        grid.fill(x: x, y: y, width: width, height: height)
        Panels.frame(&grid, x: x, y: y, width: width, height: height, g)
        grid.put(" help ", x: x + 2, y: y, .heading)
        for (i, line) in content.prefix(height - 2).enumerated() {
            let row = y + 1 + i
            if line.key.isEmpty {
                grid.put(line.text, x: x + 2, y: row, .heading)
            } else {
                grid.put(line.key, x: x + 2, y: row, .key)
                grid.put(line.text, x: x + 2 + keyWidth, y: row, .plain, maxWidth: width - keyWidth - 3)
            }
        }
    }
}
