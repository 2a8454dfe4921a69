// Lays a proposal's log-probs of a finished trace over pi's reading of it, when the two close it differently.
//
// Legend: a trace z of C content tokens; q closes it with a marker of m tokens (posterior template A:
// `<|end_of_explanation|>`), pi reads it closed with its own marker of n tokens (`<|end_of_thought|>`).

/// q's per-token log-probs of a trace, aligned with pi's tokens of the same trace ([E5]).
///
/// ```
/// out = logQ[0..<C] ++ [s / n] * n,   s = sum of logQ[C..<C+m]     (unchanged when m == n)
/// ```
/// The content tokens pair up one to one. The marker's total log-probability is kept and spread evenly over pi's
/// marker tokens, so the sum (the exact ratio) is q's, and the per-token ratio counts pi's tokens.
/// - Parameters:
///   - logQ: q's log-probs, `C + m` values, the marker last.
///   - markerCount: m, the tokens of q's marker (at most `logQ.count`).
///   - piMarkerCount: n, the tokens of pi's marker.
/// - Returns: `C + n` values.
public func alignMarker(logQ: [Float], markerCount: Int, piMarkerCount: Int) -> [Float] {
    guard markerCount != piMarkerCount else { return logQ }
    let markerLogQ = logQ.suffix(markerCount).reduce(0, +)
    return logQ.dropLast(markerCount)
        + Array(repeating: piMarkerCount > 0 ? markerLogQ / Float(piMarkerCount) : 0, count: piMarkerCount)
}
