// Sequences of token ids packed into a padded [B, T] batch with next-token targets.

import VRTensor

/// A batch of token sequences laid out as `[B, T]` rows, right-padded to the longest sequence.
///
/// Row `n = b * T + t` reads `tokens[n]` at position `t` and is trained to predict `targets[n]`, the next
/// token of the same sequence, or -1 where there is none (the last token and the padding).
struct TokenBatch {
    /// Number of sequences (B).
    let sequenceCount: Int
    /// Padded length (T): the longest sequence.
    let time: Int
    /// `[B, T]` input ids (padding repeats id 0, which causal attention never lets earlier rows see).
    let tokens: TokenBuffer
    /// `[B, T]` positions `t`.
    let positions: TokenBuffer
    /// `[B, T]` next-token ids or -1.
    let targets: TokenBuffer
    /// The unpadded length of each sequence.
    let lengths: [Int]

    /// Packs and validates `sequences` for a model with the given limits.
    /// - Throws: `ModelError.invalidInput` for an empty batch, an empty or over-long sequence, or an id
    ///   outside the vocabulary, naming the sequence and position.
    init(_ sequences: [[Int32]], configuration: TransformerConfiguration) throws(ModelError) {
        guard !sequences.isEmpty else { throw .invalidInput("the batch holds no sequences") }
        let time = sequences.map(\.count).max() ?? 0
        for (index, sequence) in sequences.enumerated() {
            guard !sequence.isEmpty else { throw .invalidInput("sequence \(index) is empty") }
            guard sequence.count <= configuration.contextLength else {
                throw .invalidInput(
                    "sequence \(index) has \(sequence.count) tokens, more than the context length "
                        + "\(configuration.contextLength)")
            }
            if let position = sequence.firstIndex(where: { $0 < 0 || Int($0) >= configuration.vocabularySize }) {
                throw .invalidInput(
                    "sequence \(index) has token id \(sequence[position]) at position \(position), outside "
                        + "0..<\(configuration.vocabularySize)")
            }
        }
        var tokens = [Int32](repeating: 0, count: sequences.count * time)
        var targets = [Int32](repeating: -1, count: sequences.count * time)
        for (index, sequence) in sequences.enumerated() {
            let row = index * time
            for position in sequence.indices {
                tokens[row + position] = sequence[position]
                if position + 1 < sequence.count { targets[row + position] = sequence[position + 1] }
            }
        }
        self.sequenceCount = sequences.count
        self.time = time
        self.tokens = TokenBuffer(tokens)
        self.targets = TokenBuffer(targets)
        self.positions = TokenBuffer((0..<(sequences.count * time)).map { Int32($0 % time) })
        self.lengths = sequences.map(\.count)
    }

    /// Number of rows (B * T).
    var rowCount: Int { sequenceCount * time }

    /// Spreads per-sequence target weights (`weights[b][t]` for predicting token `t + 1`) over the rows.
    /// - Throws: `ModelError.invalidInput` when a weight list has the wrong length or a non-finite value.
    func rowWeights(_ weights: [[Float]]) throws(ModelError) -> [Float] {
        guard weights.count == sequenceCount else {
            throw .invalidInput("\(weights.count) weight lists for \(sequenceCount) sequences")
        }
        var rows = [Float](repeating: 0, count: rowCount)
        for (index, sequenceWeights) in weights.enumerated() {
            guard sequenceWeights.count == lengths[index] - 1 else {
                throw .invalidInput(
                    "sequence \(index) has \(lengths[index]) tokens and so \(lengths[index] - 1) targets, "
                        + "but \(sequenceWeights.count) weights")
            }
            if let position = sequenceWeights.firstIndex(where: { !$0.isFinite }) {
                throw .invalidInput("weight \(position) of sequence \(index) is \(sequenceWeights[position])")
            }
            for position in sequenceWeights.indices { rows[index * time + position] = sequenceWeights[position] }
        }
        return rows
    }

    /// Gathers each sequence's per-row values for its `length - 1` targets.
    func perSequence(_ rowValues: UnsafePointer<Float>) -> [[Float]] {
        lengths.enumerated().map { index, length in
            Array(UnsafeBufferPointer(start: rowValues + index * time, count: length - 1))
        }
    }
}
