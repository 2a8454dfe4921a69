// The status-server flag of `vr learner` and `vr worker`.

import ArgumentParser
import VRObservability

/// The address of `--metrics-address`, checked.
/// - Parameter text: the flag's value, or nil when it is not given.
/// - Returns: the address, or nil for no status server.
/// - Throws: `ValidationError` saying what is wrong with the address.
func metricsListenAddress(_ text: String?) throws(ValidationError) -> ListenAddress? {
    guard let text else { return nil }
    do { return try ListenAddress(parsing: text) } catch { throw ValidationError(error.description) }
}
