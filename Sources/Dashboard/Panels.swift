import GazeCore
import Glibc

/// The body of the dashboard: blinks and eyes on the left; gaze and head pose, or the camera preview, on
/// the right.
enum Panels {
    /// EAR bars and history lines run from 0 to this (open eyes are about 0.25-0.35).
    static let earScale = 0.45

    // MARK: Left: blinks and eyes

    static func left(_ grid: inout CellGrid, _ s: Snapshot, x: Int, y: Int, width: Int, height: Int, _ o: RenderOptions) {
        let g = o.glyphs
        let b = s.blinks
        var cx = grid.put("BLINKS ", x: x, y: y, .heading)
        cx = grid.put("\(b.count)", x: cx, y: y, .accent)
        let typical = "\(Int(b.typicalPerMinute.lowerBound))-\(Int(b.typicalPerMinute.upperBound))"
        if let rate = b.perMinute {
            cx = grid.put("   \(Format.fixed(rate, 1))/min ", x: cx, y: y, .plain)
            // The usual range in full where it fits, else in fewer words (never cut mid-figure).
            let words: [(String, Role)] = switch b.rate {
            case .farBelow: [("far below usual (\(typical))", .warn), ("far below usual", .warn), ("low", .warn)]
            case .farAbove: [("far above usual (\(typical))", .warn), ("far above usual", .warn), ("high", .warn)]
            case .usual, .unknown: [("(usual at rest \(typical))", .dim), ("(usual \(typical))", .dim), ("", .dim)]
            }
            DashboardView.putFirstFitting(&grid, words.map { [$0] }, x: cx, y: y, width: x + width - cx)
        } else {
            let seconds = Int(SessionStats.blinkRateMinimumFaceMs / 1000)
            grid.put("   rate after \(seconds) s with a face", x: cx, y: y, .dim, maxWidth: x + width - cx)
        }
        cx = grid.put("  last blink ", x: x, y: y + 1, .dim)
        cx = grid.put(b.lastDurationMs.map { "\(Int($0.rounded())) ms" } ?? "-", x: cx, y: y + 1, .plain)
        if b.blinkingNow && !s.paused { grid.put("   \(g.bullet) blinking", x: cx, y: y + 1, .ok) }

        let gazeRows = s.showPreview ? 3 : 0
        let remaining = height - 4 - gazeRows
        // The session's totals when there is room for them beside charts of 3 rows.
        let sessionRows = remaining >= 2 * 3 + 2 ? 2 : 0
        // The charts take the rows there are (a tall terminal shows the history finer), up to `maxChartRows`.
        let chartHeight = max(1, min(maxChartRows, (remaining - sessionRows) / 2))
        let eyesY = y + 3
        let value = s.eyes.closingEar.map { Format.fixed($0, 2) }
        let variants: [[(String, Role)]] = [(" openness (EAR) ", " blink threshold"), (" EAR ", " threshold")].map { what, mark in
            [("EYES ", .heading), (what, .dim), (String(g.threshold), .warn), (mark + (value.map { " " + $0 } ?? ": learning"), .dim)]
        }
        DashboardView.putFirstFitting(&grid, variants, x: x, y: eyesY, width: width)
        eye(&grid, "left ", s.eyes.left, s.eyes.closingEar, x: x, y: eyesY + 1, width: width, height: chartHeight, g)
        eye(&grid, "right", s.eyes.right, s.eyes.closingEar, x: x, y: eyesY + 1 + chartHeight, width: width, height: chartHeight, g)

        var nextY = eyesY + 2 + 2 * chartHeight
        if s.showPreview {
            gazeText(&grid, s, x: x, y: nextY, width: width, g)
            nextY += 3
        }
        if sessionRows > 0 { session(&grid, s, x: x, y: nextY, width: width) }
    }

    /// The tallest an eye's history chart grows (in a tall terminal).
    static let maxChartRows = 24

    /// The totals the session report will give.
    static func session(_ grid: inout CellGrid, _ s: Snapshot, x: Int, y: Int, width: Int) {
        var cx = grid.put("SESSION ", x: x, y: y, .heading)
        cx = grid.put(" " + Format.clock(s.sessionMs), x: cx, y: y, .plain)
        cx = grid.put("   face visible ", x: cx, y: y, .dim)
        grid.put(s.faceShare.map(Format.percent) ?? "-", x: cx, y: y, .plain, maxWidth: x + width - cx)
    }

    /// One eye: name, EAR now and its bar with the threshold on it (bottom row), and the history chart.
    static func eye(_ grid: inout CellGrid, _ name: String, _ history: [Double?], _ closing: Double?,
                    x: Int, y: Int, width: Int, height: Int, _ g: Glyphs) {
        let row = y + height - 1
        var cx = grid.put("  " + name + " ", x: x, y: row, .plain)
        let now = history.last ?? nil
        cx = grid.put(now.map { Format.fixed($0, 3) } ?? "  -  ", x: cx, y: row, .plain)
        cx += 1
        let barWidth = 14
        bar(&grid, value: now, threshold: closing, x: cx, y: row, width: barWidth, g)
        let chartX = cx + barWidth + 2
        chart(&grid, history, closing, x: chartX, y: y, width: x + width - chartX, height: height, g)
    }

    static func bar(_ grid: inout CellGrid, value: Double?, threshold: Double?, x: Int, y: Int, width: Int, _ g: Glyphs) {
        let filled = value.map { Int(($0 / earScale * Double(width)).rounded()) } ?? 0
        let low = value != nil && threshold != nil && value! < threshold!
        for i in 0..<width {
            grid[x + i, y] = i < filled ? Cell(g.barFull, .role(low ? .warn : .ok)) : Cell(g.barEmpty, .role(.dim))
        }
        if let threshold {
            let at = min(width - 1, max(0, Int((threshold / earScale * Double(width)).rounded())))
            grid[x + at, y] = Cell(g.threshold, .role(.warn))
        }
    }

    /// A history chart `height` rows tall, newest at the right. The whole history is squeezed into the
    /// width: each column shows the lowest EAR of its samples, so a blink shows as a dip however narrow
    /// the chart. Columns under the threshold take the warning role (a closing eye); frames without a face
    /// are left blank.
    static func chart(_ grid: inout CellGrid, _ values: [Double?], _ threshold: Double?, x: Int, y: Int, width: Int,
                      height: Int, _ g: Glyphs) {
        guard width > 0, !values.isEmpty else { return }
        let perColumn = (values.count + width - 1) / width
        let columns = (values.count + perColumn - 1) / perColumn
        // From the chart's left edge, beside its eye's figures (in a wide terminal a short history drawn
        // from the right edge sat far from them); the newest column is the rightmost drawn.
        let start = x
        for c in 0..<columns {
            // Columns are counted from the newest end, so the newest sample always has a column of its own.
            let upper = values.count - (columns - 1 - c) * perColumn
            let samples = values[max(0, upper - perColumn)..<upper].compactMap { $0 }
            guard let v = samples.min() else { continue }
            let eighths = Int((min(v, earScale) / earScale * Double(height * 8)).rounded())
            let role: Role = threshold.map { v < $0 } == true ? .warn : .ok
            for k in 0..<height {
                let e = min(8, max(0, eighths - k * 8))
                if e > 0 { grid[start + c, y + height - 1 - k] = Cell(g.heights[e - 1], .role(role)) }
            }
        }
    }

    /// Gaze and head pose in words, for when the preview takes the gaze box's place.
    static func gazeText(_ grid: inout CellGrid, _ s: Snapshot, x: Int, y: Int, width: Int, _ g: Glyphs) {
        var cx = grid.put("GAZE ", x: x, y: y, .heading)
        if let v = s.live?.gazeVector, v.count == 2 {
            cx = grid.put(" right \(Format.signed(v[0] * s.fullScaleDeg, 0))\(g.degree)", x: cx, y: y, .plain)
            grid.put("  up \(Format.signed(v[1] * s.fullScaleDeg, 0))\(g.degree)", x: cx, y: y, .plain)
        } else {
            grid.put(" -", x: cx, y: y, .dim)
        }
        cx = grid.put("HEAD ", x: x, y: y + 1, .heading)
        if let p = s.live?.headPose {
            let text = " yaw \(Format.signed(p.yaw, 0))\(g.degree)  pitch \(Format.signed(p.pitch, 0))\(g.degree)"
                + "  roll \(Format.signed(p.roll, 0))\(g.degree)   confidence \(Format.fixed(s.live?.conf ?? 0, 2))"
            grid.put(text, x: cx, y: y + 1, .plain, maxWidth: x + width - cx)
        } else {
            grid.put(" -", x: cx, y: y + 1, .dim)
        }
    }

    // MARK: Right: gaze box and head pose, or the preview

    static func right(_ grid: inout CellGrid, _ s: Snapshot, x: Int, y: Int, width: Int, height: Int, _ o: RenderOptions) {
        if s.showPreview {
            preview(&grid, s, x: x, y: y, width: width, height: height, o)
        } else {
            gazeBox(&grid, s, x: x, y: y, width: width, height: height, o.glyphs)
        }
    }

    /// The tallest the gaze box grows (in a tall terminal; its width follows, twice its height).
    static let maxBoxRows = 25

    static func gazeBox(_ grid: inout CellGrid, _ s: Snapshot, x: Int, y: Int, width: Int, height: Int, _ g: Glyphs) {
        DashboardView.putFirstFitting(&grid, [" eye-contact cone", " cone"].map { cone in
            [("GAZE ", .heading), (" ", .plain), (String(g.camera), .plain), (" camera ", .dim), (String(g.cone), .dim), (cone, .dim)]
        }, x: x, y: y, width: width)

        let textWidth = 15
        var boxHeight = min(height - 1, maxBoxRows)
        if boxHeight % 2 == 0 { boxHeight -= 1 }
        var boxWidth = min(width - textWidth - 1, boxHeight * 2 + 1)
        if boxWidth % 2 == 0 { boxWidth -= 1 }
        guard boxHeight >= 5 && boxWidth >= 9 else { return }
        let top = y + 1
        frame(&grid, x: x, y: top, width: boxWidth, height: boxHeight, g)
        let innerW = boxWidth - 2, innerH = boxHeight - 2
        let midX = x + 1 + innerW / 2, midY = top + 1 + innerH / 2
        /// A gaze (each axis -1...1, up > 0) as a cell inside the box.
        func cell(_ gx: Double, _ gy: Double) -> (Int, Int) {
            let px = midX + Int((max(-1, min(1, gx)) * Double(innerW / 2)).rounded())
            let py = midY - Int((max(-1, min(1, gy)) * Double(innerH / 2)).rounded())
            return (px, py)
        }
        let radius = s.coneDeg / s.fullScaleDeg
        let steps = 48
        for i in 0..<steps {
            let a = Double(i) / Double(steps) * 2 * Double.pi
            let (px, py) = cell(radius * cos(a), radius * sin(a))
            if (px, py) != (midX, midY) { grid[px, py] = Cell(g.cone, .role(.dim)) }
        }
        grid[midX, midY] = Cell(g.camera, .role(.plain))
        if let v = s.live?.gazeVector, v.count == 2 {
            let (px, py) = cell(v[0], v[1])
            grid[px, py] = Cell(g.gaze, .role(s.live?.eyeContact == true ? .ok : .accent))
        }

        let tx = x + boxWidth + 2
        grid.put("HEAD", x: tx, y: top, .heading)
        let pose = s.live?.headPose
        func angle(_ name: String, _ v: Double?, _ row: Int) {
            let cx = grid.put(name, x: tx, y: row, .dim)
            grid.put(v.map { Format.signed($0, 1) + g.degree } ?? "-", x: cx, y: row, .plain)
        }
        angle("yaw   ", pose?.yaw, top + 1)
        angle("pitch ", pose?.pitch, top + 2)
        angle("roll  ", pose?.roll, top + 3)
        grid.put("CONFIDENCE", x: tx, y: top + 5, .heading)
        let conf = s.live?.conf ?? 0
        let cx2 = grid.put(Format.fixed(conf, 2) + " ", x: tx, y: top + 6, s.live == nil ? .dim : .plain)
        let filled = Int((conf * 8).rounded())
        for i in 0..<8 {
            grid[cx2 + i, top + 6] = i < filled ? Cell(g.barFull, .role(conf < 0.3 ? .warn : .ok)) : Cell(g.barEmpty, .role(.dim))
        }
    }

    static func frame(_ grid: inout CellGrid, x: Int, y: Int, width: Int, height: Int, _ g: Glyphs) {
        for i in 1..<(width - 1) {
            grid[x + i, y] = Cell(g.horizontal, .role(.dim))
            grid[x + i, y + height - 1] = Cell(g.horizontal, .role(.dim))
        }
        for j in 1..<(height - 1) {
            grid[x, y + j] = Cell(g.vertical, .role(.dim))
            grid[x + width - 1, y + j] = Cell(g.vertical, .role(.dim))
        }
        grid[x, y] = Cell(g.topLeft, .role(.dim))
        grid[x + width - 1, y] = Cell(g.topRight, .role(.dim))
        grid[x, y + height - 1] = Cell(g.bottomLeft, .role(.dim))
        grid[x + width - 1, y + height - 1] = Cell(g.bottomRight, .role(.dim))
    }

    static func preview(_ grid: inout CellGrid, _ s: Snapshot, x: Int, y: Int, width: Int, height: Int, _ o: RenderOptions) {
        let g = o.glyphs
        var cx = grid.put("CAMERA ", x: x, y: y, .heading)
        cx = grid.put(" ", x: cx, y: y)
        cx = grid.put(String(g.landmark), x: cx, y: y, .landmark)
        cx = grid.put(" eye landmarks ", x: cx, y: y, .dim)
        cx = grid.put(String(g.pupil), x: cx, y: y, .pupil)
        grid.put(" pupils", x: cx, y: y, .dim, maxWidth: x + width - cx)
        guard let p = s.preview, p.width > 0, p.height > 0, height > 2 else {
            grid.put("waiting for a frame" + g.ellipsis, x: x, y: y + 2, .dim)
            return
        }
        // Two picture rows per cell (a cell is about twice as tall as wide), scaled to fit.
        let rows = height - 1
        let scale = min(Double(width) / Double(p.width), Double(2 * rows) / Double(p.height))
        let cellsW = max(1, Int(Double(p.width) * scale)), cellsH = max(1, Int(Double(p.height) * scale / 2))
        let left = x + (width - cellsW) / 2, top = y + 1
        func pixel(_ px: Int, _ py: Int) -> Int {
            let sx = min(p.width - 1, Int(Double(px) / scale)), sy = min(p.height - 1, Int(Double(py) / scale))
            return Int(p.pixels[sy * p.width + sx])
        }
        let levels = Style.greyLevels
        for cy in 0..<cellsH {
            for cxi in 0..<cellsW {
                let upper = pixel(cxi, 2 * cy), lower = pixel(cxi, 2 * cy + 1)
                if o.colors.hasGreys {
                    grid[left + cxi, top + cy] = Cell(g.upperHalf, .grey(top: UInt8(upper * levels / 256),
                                                                         bottom: UInt8(lower * levels / 256)))
                } else {
                    let shade = g.shades[(upper + lower) / 2 * g.shades.count / 256]
                    grid[left + cxi, top + cy] = Cell(shade, .role(.plain))
                }
            }
        }
        for kind in [PreviewMark.Kind.landmark, .pupil] {
            for m in p.marks where m.kind == kind {
                let mx = left + min(cellsW - 1, Int(Double(m.x) * scale))
                let my = top + min(cellsH - 1, Int(Double(m.y) * scale / 2))
                grid[mx, my] = kind == .pupil ? Cell(g.pupil, .role(.pupil)) : Cell(g.landmark, .role(.landmark))
            }
        }
    }
}
