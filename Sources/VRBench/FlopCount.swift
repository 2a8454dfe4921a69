// Floating-point operations of the matrix products in one training step or one decoding step.
//
// Legend: N rows (B * T), T time, C channels, L layers, V vocabulary, W qkv width, HD attention width, F MLP
// width (4C for the GPT family, whose MLP has one expansion; the Llama family's has gate and up). Counted as 2 per
// multiply-add, for the products the code executes (attention scores are computed for the full T x T block).

import VRModel

/// Matrix-product FLOPs of the model's passes.
public enum FlopCount {
    /// The multiply-adds of one layer's projections per token: qkv, attention output, MLP in and out.
    static func projectionMultiplyAdds(_ configuration: TransformerConfiguration) -> Double {
        let (c, w, o) = (configuration.width, configuration.queryKeyValueWidth, configuration.attentionWidth)
        let mlp = configuration.family == .gpt ? 8 * c * c : 3 * c * configuration.hiddenWidth
        return Double(c * w + o * c + mlp)
    }

    /// FLOPs of one training step (forward + backward = 3x forward).
    /// - Parameters:
    ///   - configuration: the architecture.
    ///   - batch: sequences per step.
    ///   - time: tokens per sequence.
    /// - Returns: FLOPs.
    public static func trainingStep(_ configuration: TransformerConfiguration, batch: Int, time: Int) -> Double {
        let (n, t) = (Double(batch * time), Double(time))
        let perLayer = 2 * n * projectionMultiplyAdds(configuration) + 4 * n * t * Double(configuration.attentionWidth)
        let output = 2 * n * Double(configuration.width) * Double(configuration.vocabularySize)
        return 3 * (Double(configuration.layerCount) * perLayer + output)
    }

    /// FLOPs of one decoding step of `rows` sequences whose new token sits at `position`.
    /// - Parameters:
    ///   - configuration: the architecture.
    ///   - rows: sequences decoded together.
    ///   - position: the new token's position.
    /// - Returns: FLOPs.
    public static func decodeStep(_ configuration: TransformerConfiguration, rows: Int, position: Int) -> Double {
        let perLayer =
            2 * projectionMultiplyAdds(configuration) + 4 * Double(position + 1) * Double(configuration.attentionWidth)
        let output = 2 * Double(configuration.width) * Double(configuration.vocabularySize)
        return Double(rows) * (Double(configuration.layerCount) * perLayer + output)
    }
}
