import Foundation

/// Where gazetop keeps what outlives a run, after the XDG base directory specification: the calibration
/// in `$XDG_CONFIG_HOME/gazetop` (else `~/.config/gazetop`), the challenge's session ids and failure count
/// and the enrolled people in `$XDG_STATE_HOME/gazetop` (else `~/.local/state/gazetop`). A relative base is ignored, as the
/// specification asks.
public enum StatePaths {
    /// gazetop's folder under the base directory named by `variable`, else under `$HOME/fallback`.
    public static func folder(_ variable: String, fallback: String) -> String {
        let env = ProcessInfo.processInfo.environment
        if let base = env[variable], base.hasPrefix("/") { return base + "/gazetop" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/" + fallback + "/gazetop"
    }

    public static var calibrationFile: String { folder("XDG_CONFIG_HOME", fallback: ".config") + "/calibration.json" }
    public static var ledgerFile: String { folder("XDG_STATE_HOME", fallback: ".local/state") + "/challenge.json" }
    /// The people `gazetop enroll` keeps, beside the ledger.
    public static var enrolmentFile: String { folder("XDG_STATE_HOME", fallback: ".local/state") + "/enrolled.json" }
}
