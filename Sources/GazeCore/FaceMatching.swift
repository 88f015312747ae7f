/// A face as dlib's face-recognition ResNet sees it: 128 numbers, close together (Euclidean distance) for
/// photos of one person and far apart for different people.
public struct FaceDescriptor: Sendable, Equatable, Codable {
    public static let length = 128
    public let values: [Float]

    public init?(_ values: [Float]) {
        guard values.count == FaceDescriptor.length, values.allSatisfy(\.isFinite) else { return nil }
        self.values = values
    }

    /// Euclidean distance, summed in Double so the order of the terms does not show in the last digits.
    public func distance(to other: FaceDescriptor) -> Double {
        var sum = 0.0
        for (a, b) in zip(values, other.values) {
            let d = Double(a) - Double(b)
            sum += d * d
        }
        return sum.squareRoot()
    }

    /// The mean of several descriptors of one person (the frames of a clip, the photos of an enrolment):
    /// one descriptor that the noise of any single picture moves less.
    public static func mean(_ descriptors: [FaceDescriptor]) -> FaceDescriptor? {
        guard let first = descriptors.first else { return nil }
        var sum = [Double](repeating: 0, count: length)
        for d in descriptors {
            for i in 0..<length { sum[i] += Double(d.values[i]) }
        }
        let n = Double(descriptors.count)
        return descriptors.count == 1 ? first : FaceDescriptor(sum.map { Float($0 / n) })
    }
}

/// The judgement on two descriptors: the same person when their distance is at most the threshold.
public struct FaceMatch: Sendable, Equatable {
    public let distance: Double
    public let threshold: Double

    public init(distance: Double, threshold: Double) {
        self.distance = distance
        self.threshold = threshold
    }

    public init(_ a: FaceDescriptor, _ b: FaceDescriptor, threshold: Double) {
        self.init(distance: a.distance(to: b), threshold: threshold)
    }

    public var isSamePerson: Bool { distance <= threshold }

    /// The distance as a score where higher is more alike, 1 for identical descriptors and 0 from a
    /// distance of 1 on (descriptors of different people are typically 0.7-1 apart): 1 - distance,
    /// clamped. The same person exactly when similarity >= 1 - threshold.
    public var similarity: Double { max(0, min(1, 1 - distance)) }
}
