/// A key press as the dashboard reads it.
public enum Key: Equatable, Sendable {
    case character(Character)
    case escape
    /// F1...F12.
    case function(Int)
    /// The terminal changed size.
    case resize
    case other
}

/// What the user asked for. The loop handles the ones that are the UI's own (help, preview, pause);
/// `DashboardLoop.Hooks` carries out the rest, so features built elsewhere (calibration, the liveness
/// challenge) plug in there.
public enum UIAction: Equatable, Sendable {
    case quit
    case togglePause
    case resetStatistics
    case togglePreview
    case calibrate
    /// The quick personal zero: look at the camera for about 2 s.
    case zero
    case challenge
    case toggleHelp
    /// Narrower eye-contact cone (`-`) or wider (`+`).
    case stricter
    case looser
    case redraw

    /// The action of a key; nil for keys that do nothing. Esc closes the help when it is open, and quits
    /// otherwise.
    public init?(_ key: Key, helpShown: Bool = false) {
        switch key {
        case .character("q"), .character("Q"), .function(10): self = .quit
        case .escape: self = helpShown ? .toggleHelp : .quit
        case .character(" "): self = .togglePause
        case .character("r"), .character("R"): self = .resetStatistics
        case .character("p"), .character("P"): self = .togglePreview
        case .character("c"), .character("C"): self = .calibrate
        case .character("g"), .character("G"): self = .challenge
        case .character("z"), .character("Z"): self = .zero
        case .character("?"), .character("h"), .function(1): self = .toggleHelp
        // + widens the cone (the figure on the screen goes up), - narrows it, as the footer's "+/- cone" reads.
        case .character("+"), .character("="): self = .looser
        case .character("-"), .character("_"): self = .stricter
        case .resize, .character("\u{0C}"): self = .redraw // Ctrl-L redraws, as in most full-screen programs
        default: return nil
        }
    }
}
