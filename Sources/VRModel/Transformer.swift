// A decoder-only transformer whose parameters and gradients are two flat buffers with named views.

import VRCore
import VRTensor

/// A decoder-only language model of the GPT or the Llama family (see `TransformerConfiguration`) running on
/// OpenBLAS and the packed C kernels.
///
/// All parameters live in `parameters`, laid out by `layout`; `gradients` has the same layout. The three
/// operations everything else is built from are `train` (forward + backward with a weight per target
/// token), `score` (per-token log-probabilities) and `sample` (batched generation with a KV cache).
///
/// A model is not thread-safe: one caller uses it at a time (its kernels use every core already).
public final class Transformer {
    /// The architecture.
    public let configuration: TransformerConfiguration
    /// Where each named tensor lives in `parameters` and `gradients`.
    public let layout: ParameterLayout
    /// All parameters, `layout.parameterCount` values.
    public let parameters: FloatBuffer
    /// Gradients accumulated by `train`/`backward`; same layout as `parameters`.
    public let gradients: FloatBuffer
    /// The rotary embedding's tables (the Llama family), nil for the GPT family.
    let rotaryEmbedding: RotaryEmbedding?

    var workspace: ActivationWorkspace?
    /// The batch of the last `forward` call, kept for `backward`.
    var pendingBatch: TokenBatch?

    /// Creates a model with GPT-2's initialisation: normal weights (std 0.02, for the GPT family residual
    /// projections scaled by 1/sqrt(2L) and the position embedding 0.01), zero biases, unit norm scales.
    /// - Parameters:
    ///   - configuration: the architecture.
    ///   - seed: the seed of the initial values.
    /// - Throws: `ModelError.invalidConfiguration` when the configuration is invalid.
    public convenience init(configuration: TransformerConfiguration, seed: UInt64) throws(ModelError) {
        try configuration.validate()
        let layout = ParameterLayout(configuration)
        let parameters = FloatBuffer(count: layout.parameterCount)
        let generator = SeededGenerator(seed: seed)
        let residualScale = 1 / Float(2 * configuration.layerCount).squareRoot()
        for (index, view) in layout.views.enumerated() {
            let values = UnsafeMutableBufferPointer(start: parameters.pointer + view.offset, count: view.count)
            var viewGenerator = generator.split(UInt64(index))
            let isNormScale =
                view.name.hasSuffix("ln_1.weight") || view.name.hasSuffix("ln_2.weight") || view.name == "ln_f.weight"
                || view.name.hasSuffix("norm.weight")
            if isNormScale {
                values.update(repeating: 1)
            } else if view.name == "wpe" {
                viewGenerator.fillNormal(values, standardDeviation: 0.01)
            } else if view.shape.count == 2 {
                let isResidualProjection = configuration.family == .gpt && view.name.hasSuffix("proj.weight")
                viewGenerator.fillNormal(values, standardDeviation: 0.02 * (isResidualProjection ? residualScale : 1))
            }
        }
        try self.init(configuration: configuration, parameters: parameters)
    }

    /// Wraps existing parameter values (from a checkpoint or another model).
    /// - Parameters:
    ///   - configuration: the architecture.
    ///   - parameters: `ParameterLayout(configuration).parameterCount` values, used in place (not copied).
    /// - Throws: `ModelError.invalidConfiguration` when the configuration is invalid or the buffer has the
    ///   wrong size.
    public init(configuration: TransformerConfiguration, parameters: FloatBuffer) throws(ModelError) {
        try configuration.validate()
        let layout = ParameterLayout(configuration)
        guard parameters.count == layout.parameterCount else {
            throw .invalidConfiguration(
                "the parameter buffer has \(parameters.count) values, the configuration needs \(layout.parameterCount)")
        }
        self.configuration = configuration
        self.layout = layout
        self.parameters = parameters
        self.gradients = FloatBuffer(count: layout.parameterCount)
        rotaryEmbedding =
            configuration.family.hasLearnedPositions
            ? nil
            : RotaryEmbedding(
                headWidth: configuration.headWidth, base: Float(configuration.ropeTheta),
                positionCount: configuration.contextLength)
    }

    /// A workspace that fits `batch`, reusing the current one when it is large enough.
    func workspace(for batch: TokenBatch) -> ActivationWorkspace {
        let probabilityCount = batch.sequenceCount * configuration.headCount * batch.time * batch.time
        if let workspace, workspace.fits(rowCount: batch.rowCount, probabilityCount: probabilityCount) {
            return workspace
        }
        let fresh = ActivationWorkspace(
            configuration: configuration, rowCapacity: batch.rowCount, probabilityCapacity: probabilityCount)
        workspace = fresh
        return fresh
    }

    /// Frees the activation memory kept between calls (it is allocated again when needed).
    public func releaseWorkspace() {
        workspace = nil
        pendingBatch = nil
    }
}
