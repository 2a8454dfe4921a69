// Bytes that one decoding step cannot avoid reading: every weight matrix once, and the key/value cache of every
// sequence up to the new position.
//
// Legend: C channels, L layers, V vocabulary, G key/value heads, D head width; float32 throughout. Biases and
// norm parameters are left out, so the count is a lower bound.

import VRModel

/// Memory traffic of decoding.
public enum ByteCount {
    /// Bytes of the matrices one decoding step multiplies by: every block's projections and the output projection.
    /// - Parameter configuration: the architecture.
    /// - Returns: bytes.
    public static func decodeWeights(_ configuration: TransformerConfiguration) -> Double {
        let blocks = Double(configuration.layerCount) * FlopCount.projectionMultiplyAdds(configuration)
        return 4 * (blocks + Double(configuration.vocabularySize * configuration.width))
    }

    /// Bytes one decoding step of `rows` sequences at `position` reads: the weights once and each sequence's
    /// keys and values of positions `0...position`.
    /// - Parameters:
    ///   - configuration: the architecture.
    ///   - rows: sequences decoded together.
    ///   - position: the new token's position.
    /// - Returns: bytes.
    public static func decodeStep(_ configuration: TransformerConfiguration, rows: Int, position: Int) -> Double {
        decodeWeights(configuration) + 4 * Double(rows) * cachePerPosition(configuration) * Double(position + 1)
    }

    /// Bytes of the key and value caches of `rows` sequences over the whole context.
    /// - Parameters:
    ///   - configuration: the architecture.
    ///   - rows: sequences.
    ///   - positions: the positions each cache holds; the context length if nil.
    /// - Returns: bytes.
    public static func fullCache(_ configuration: TransformerConfiguration, rows: Int, positions: Int? = nil) -> Double
    {
        4 * Double(rows) * cachePerPosition(configuration) * Double(positions ?? configuration.contextLength)
    }

    /// Floats of keys and values per position of one sequence (2 L G D).
    static func cachePerPosition(_ configuration: TransformerConfiguration) -> Double {
        Double(2 * configuration.layerCount * configuration.keyValueHeadCount * configuration.headWidth)
    }
}
