/// Who a challenge's face must be: nil `enrolled` checks only that it stays one face throughout.
public struct IdentityRequirement: Sendable, Equatable {
    /// The enrolled person (or the photo's face) as the challenge's grey frames show a face: a descriptor of
    /// the greyscale picture. Nil: only `same_person` is checked.
    public var enrolled: FaceDescriptor?

    public init(enrolled: FaceDescriptor?) {
        self.enrolled = enrolled
    }
}

/// One descriptor of the followed face, taken at a moment of the challenge (see `ChallengeSession`).
public struct IdentitySample: Sendable, Equatable {
    public var moment: Int
    public var timeMs: Double
    public var descriptor: FaceDescriptor

    public init(moment: Int, timeMs: Double, descriptor: FaceDescriptor) {
        self.moment = moment
        self.timeMs = timeMs
        self.descriptor = descriptor
    }
}

/// The followed face's descriptors at a few moments of a challenge, and the two checks on them:
/// `same_person` (every sample within `MatchConfig.samePersonMaxDistance` of every other: no swap between
/// cells) and `enrolled_person` (the samples' mean within `MatchConfig.threshold` of the enrolled person).
public struct IdentityTally: Sendable, Equatable {
    public let config: MatchConfig
    public let requirement: IdentityRequirement
    public private(set) var samples: [IdentitySample] = []

    public init(requirement: IdentityRequirement, config: MatchConfig = MatchConfig()) {
        self.requirement = requirement
        self.config = config
    }

    /// Whether `moment` has a sample yet.
    public func hasSample(at moment: Int) -> Bool { samples.contains { $0.moment == moment } }

    /// Adds a sample (a second one for a moment is ignored).
    public mutating func add(_ sample: IdentitySample) {
        guard !hasSample(at: sample.moment) else { return }
        samples.append(sample)
    }

    /// The largest distance between two samples (0 with fewer than two).
    public var largestSpread: Double {
        var worst = 0.0
        for i in samples.indices {
            for j in samples.indices where j > i {
                worst = max(worst, samples[i].descriptor.distance(to: samples[j].descriptor))
            }
        }
        return worst
    }

    /// The distance from the samples' mean to the enrolled person (nil without either).
    public var enrolledDistance: Double? {
        guard let enrolled = requirement.enrolled, let mean = FaceDescriptor.mean(samples.map(\.descriptor)) else { return nil }
        return mean.distance(to: enrolled)
    }

    /// The distance reported when no sample was taken: as far apart as two descriptors of dlib's model get.
    public static let unmeasuredDistance = 2.0

    /// `same_person` (judged on at least `minIdentitySamples` samples, else failed), and `enrolled_person`
    /// when someone is required (failed without a sample).
    public var results: [CheckResult] {
        let enough = samples.count >= config.minIdentitySamples
        let spread = enough ? largestSpread : Self.unmeasuredDistance
        var out = [CheckResult(check: .samePerson, passed: enough && spread <= config.samePersonMaxDistance, value: spread,
                               limit: config.samePersonMaxDistance)]
        if requirement.enrolled != nil {
            let distance = enrolledDistance ?? Self.unmeasuredDistance
            out.append(CheckResult(check: .enrolledPerson, passed: enrolledDistance != nil && distance <= config.threshold,
                                   value: distance, limit: config.threshold))
        }
        return out
    }
}
