import Vision

/// The landmark model on its way to the vision queue: loaded on the calling thread (so a missing model is
/// an error before anything starts), taken by the closure that builds the pipeline there.
// @unchecked Sendable: the model is handed over once, to the closure that builds the pipeline on the
// vision queue; nothing touches it on the loading thread after that.
public final class ModelHandOver: @unchecked Sendable {
    private let model: FaceModel
    public init(_ model: FaceModel) { self.model = model }
    public func take() -> FaceModel { model }
}
