// Bytes that one decoding step cannot avoid reading: every weight matrix once, and the key/value cache of every
// sequence up to the new position.
//
// Legend: C channels, L layers, V vocabulary; float32 throughout. Biases and LayerNorm parameters are left out,
// so the count is a lower bound.

import VRModel

/// Counts the memory a decoding step must read, for the memory bound on sampling throughput.
public enum ByteCount {
    /// The weights of a decoding step: per layer qkv `3C^2`, projection `C^2`, MLP `8C^2`; the output
    /// embedding `V C`.
    /// ```
    /// 4 (12 L C^2 + V C)
    /// ```
    /// - Parameter configuration: the model.
    /// - Returns: bytes.
    public static func decodeWeights(_ configuration: TransformerConfiguration) -> Double {
        let c = Double(configuration.width)
        return 4 * (12 * Double(configuration.layerCount) * c * c + Double(configuration.vocabularySize) * c)
    }

    /// One decoding step of `rows` sequences whose new token sits at `position`: the weights once, and each
    /// sequence's keys and values of positions `0...position` in every layer.
    /// ```
    /// 4 (12 L C^2 + V C) + 4 rows L 2 (position + 1) C
    /// ```
    /// - Parameters:
    ///   - configuration: the model.
    ///   - rows: sequences advanced.
    ///   - position: the position of the new token.
    /// - Returns: bytes.
    public static func decodeStep(_ configuration: TransformerConfiguration, rows: Int, position: Int) -> Double {
        let cache = 2 * Double(position + 1) * Double(configuration.width) * Double(configuration.layerCount)
        return decodeWeights(configuration) + 4 * Double(rows) * cache
    }

    /// The key/value caches of `rows` sequences at full context.
    /// - Parameters:
    ///   - configuration: the model.
    ///   - rows: sequences.
    /// - Returns: bytes.
    public static func fullCache(_ configuration: TransformerConfiguration, rows: Int) -> Double {
        let perRow = 2 * Double(configuration.contextLength * configuration.width * configuration.layerCount)
        return 4 * Double(rows) * perRow
    }
}
