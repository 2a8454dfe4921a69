// Floating-point operations of the matrix products in one training step or one decoding step.
//
// Legend: N rows (B * T), T time, C channels, L layers, V vocabulary. Counted as 2 per multiply-add,
// for the products the code executes (attention scores are computed for the full T x T block).

import VRModel

/// Counts the matrix-product FLOPs that the kernels execute.
public enum FlopCount {
    /// Forward + backward of a `[batch, T]` training step: three times the forward products.
    /// ```
    /// forward = L * (24 N C^2 + 4 N T C) + 2 N C V
    /// ```
    /// - Parameters:
    ///   - configuration: the model.
    ///   - batch: sequences.
    ///   - time: tokens per sequence.
    /// - Returns: FLOPs.
    public static func trainingStep(_ configuration: TransformerConfiguration, batch: Int, time: Int) -> Double {
        let (n, c, t) = (Double(batch * time), Double(configuration.width), Double(time))
        let perLayer = 24 * n * c * c + 4 * n * t * c
        let forward = Double(configuration.layerCount) * perLayer + 2 * n * c * Double(configuration.vocabularySize)
        return 3 * forward
    }

    /// One decoding step of `rows` sequences whose new token sits at `position`.
    /// ```
    /// L * (24 C^2 + 4 (position + 1) C) + 2 C V   per row
    /// ```
    /// - Parameters:
    ///   - configuration: the model.
    ///   - rows: sequences advanced.
    ///   - position: the position of the new token.
    /// - Returns: FLOPs.
    public static func decodeStep(_ configuration: TransformerConfiguration, rows: Int, position: Int) -> Double {
        let c = Double(configuration.width)
        let perLayer = 24 * c * c + 4 * Double(position + 1) * c
        return Double(rows)
            * (Double(configuration.layerCount) * perLayer + 2 * c * Double(configuration.vocabularySize))
    }
}
