// The endpoints file a learner or build-data writes for `vr worker --endpoints-file`.

import Foundation
import VRZMQ

/// Writes the transport's bound endpoints as `{"publish": ..., "request": ...}` to `path`, atomically.
/// - Parameters:
///   - path: the file, or nil to write none.
///   - transport: the bound learner transport.
/// - Throws: when the file cannot be written.
func writeEndpointsFile(_ path: String?, of transport: ZMQLearnerTransport) throws {
    guard let path else { return }
    let endpoints = ["request": transport.requestEndpoint, "publish": transport.publishEndpoint]
    try Data(jsonLine(endpoints).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
}
