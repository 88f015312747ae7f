/// The median of numbers: the middle one, or the mean of the two middle ones. 0 for none (callers that
/// must tell "none" apart check first).
public func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let s = values.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
