import CVision

/// What the vision code was compiled for, as `gazetop bench` reports it beside its timings.
public enum BuildInfo {
    /// The instruction set of CVision and the dlib templates compiled into it: on x86-64 one of the psABI's
    /// levels ("x86-64-v2" is Package.swift's baseline), elsewhere the architecture. The corresponding C
    /// call is `cvs_instruction_set`.
    public static var instructionSet: String { String(cString: cvs_instruction_set()) }
}
