import GazeCore
import Testing

struct FaceMatchingTests {
    static func descriptor(_ head: [Float]) -> FaceDescriptor {
        FaceDescriptor(head + [Float](repeating: 0, count: FaceDescriptor.length - head.count))!
    }

    @Test func descriptorsAre128FiniteNumbers() {
        #expect(FaceDescriptor([Float](repeating: 0, count: 127)) == nil)
        #expect(FaceDescriptor([Float](repeating: 0, count: 129)) == nil)
        #expect(FaceDescriptor([Float.nan] + [Float](repeating: 0, count: 127)) == nil)
        #expect(FaceDescriptor([Float](repeating: 0.5, count: 128)) != nil)
    }

    @Test func distanceIsEuclidean() {
        let a = Self.descriptor([0, 0]), b = Self.descriptor([0.3, 0.4])
        #expect(abs(a.distance(to: b) - 0.5) < 1e-7)
        #expect(b.distance(to: a) == a.distance(to: b))
        #expect(a.distance(to: a) == 0)
    }

    @Test func meanIsPerNumber() {
        let mean = FaceDescriptor.mean([Self.descriptor([0, 1]), Self.descriptor([1, 0]), Self.descriptor([2, 2])])!
        #expect(mean.values[0] == 1)
        #expect(mean.values[1] == 1)
        #expect(FaceDescriptor.mean([]) == nil)
    }

    @Test func theThresholdItselfIsTheSamePerson() {
        #expect(FaceMatch(distance: 0.34, threshold: 0.34).isSamePerson)
        #expect(!FaceMatch(distance: 0.3401, threshold: 0.34).isSamePerson)
        #expect(FaceMatch(distance: 0, threshold: 0.34).isSamePerson)
    }

    @Test func similarityIsOneMinusDistanceClamped() {
        #expect(abs(FaceMatch(distance: 0.25, threshold: 0.34).similarity - 0.75) < 1e-12)
        #expect(FaceMatch(distance: 1.3, threshold: 0.34).similarity == 0)
        #expect(FaceMatch(distance: 0, threshold: 0.34).similarity == 1)
    }

    @Test func theDefaultThresholdIsTheReadmes() {
        #expect(MatchConfig().threshold == 0.34)
    }
}
