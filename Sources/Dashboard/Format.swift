/// Numbers as the dashboard writes them (no Foundation here).
enum Format {
    /// `v` rounded to `places` decimals: "3.20", "-0.5", "12".
    static func fixed(_ v: Double, _ places: Int) -> String {
        guard v.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((abs(v) * scale).rounded())
        let negative = v < 0 && scaled != 0
        let whole = scaled / Int64(scale), fraction = scaled % Int64(scale)
        var text = (negative ? "-" : "") + String(whole)
        if places > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: places - digits.count) + digits
        }
        return text
    }

    /// A signed number with its sign always shown: "+3.2", "-0.5", "0.0".
    static func signed(_ v: Double, _ places: Int) -> String {
        let text = fixed(v, places)
        return text.hasPrefix("-") || Double(text) == 0 ? text : "+" + text
    }

    /// A share 0...1 as a whole percentage: "72%".
    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }

    /// Stream time as "m:ss" (or "h:mm:ss").
    static func clock(_ ms: Double) -> String {
        let total = max(0, Int((ms / 1000).rounded(.down)))
        let h = total / 3600, m = total / 60 % 60, s = total % 60
        let ss = s < 10 ? "0\(s)" : "\(s)"
        if h > 0 { return "\(h):" + (m < 10 ? "0\(m)" : "\(m)") + ":" + ss }
        return "\(m):" + ss
    }

    /// `text` cut to `width` columns, ending in `ellipsis` when it was cut.
    static func clip(_ text: String, _ width: Int, ellipsis: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > width else { return text }
        guard width > ellipsis.unicodeScalars.count else { return String(String.UnicodeScalarView(scalars.prefix(max(0, width)))) }
        return String(String.UnicodeScalarView(scalars.prefix(width - ellipsis.unicodeScalars.count))) + ellipsis
    }

    /// `text` cut from the left to `width` columns (a path's end matters most).
    static func clipLeft(_ text: String, _ width: Int, ellipsis: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > width else { return text }
        let keep = max(0, width - ellipsis.unicodeScalars.count)
        return ellipsis + String(String.UnicodeScalarView(scalars.suffix(keep)))
    }

    static func columns(_ text: String) -> Int { text.unicodeScalars.count }
}
