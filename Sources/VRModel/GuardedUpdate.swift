// The optimizer step every trainer takes once a model's gradients are in: clip, check, AdamW.

/// What one guarded update did.
public struct GuardedUpdate: Sendable, Equatable {
    /// The gradient norm before clipping.
    public let gradientNorm: Double
    /// Whether the parameters were updated: only when the loss and the gradient norm are finite.
    public let applied: Bool

    /// Whether a step may update the parameters: both its loss and its gradient norm are finite.
    /// - Parameters:
    ///   - loss: the step's loss.
    ///   - gradientNorm: the gradient norm before clipping.
    /// - Returns: true when the update should be applied.
    public static func isHealthy(loss: Double, gradientNorm: Double) -> Bool {
        loss.isFinite && gradientNorm.isFinite
    }
}

extension AdamW {
    /// Clips `model`'s gradients to `maxGradientNorm` and takes an AdamW step at `learningRate`, unless the loss
    /// or the gradient norm is not finite; the parameters and the optimizer state are then left as they are.
    /// - Parameters:
    ///   - model: the model whose gradients were just computed (backward has run).
    ///   - loss: the loss those gradients belong to.
    ///   - learningRate: the scheduled rate of this step.
    ///   - maxGradientNorm: the clipping norm.
    /// - Returns: the norm before clipping and whether the step was applied.
    public func update(
        _ model: Transformer, loss: Double, learningRate: Float, maxGradientNorm: Float
    ) -> GuardedUpdate {
        let norm = GradientClipping.clip(model.gradients, maxNorm: maxGradientNorm)
        let applied = GuardedUpdate.isHealthy(loss: loss, gradientNorm: norm)
        if applied { step(parameters: model.parameters, gradients: model.gradients, learningRate: learningRate) }
        return GuardedUpdate(gradientNorm: norm, applied: applied)
    }
}
