// The CURVE flags of `vr learner` and `vr worker`: key files in, security settings out.

import ArgumentParser
import Logging
import VRObservability
import VRTransport
import VRZMQ

/// The learner's CURVE settings from `--curve-secret-key` and `--curve-allowed-workers` (both or neither).
/// - Parameters:
///   - secretKeyFile: the learner's secret key file (mode 0600).
///   - allowlistFile: the admitted workers' public keys, one per line.
/// - Returns: the settings, or nil when neither flag is given (plain connections).
/// - Throws: `ValidationError` naming the flag or file that is wrong.
func curveServerSecurity(secretKeyFile: String?, allowlistFile: String?) throws -> CurveServerSecurity? {
    switch (secretKeyFile, allowlistFile) {
    case (nil, nil):
        return nil
    case (let secretKeyFile?, let allowlistFile?):
        do {
            return CurveServerSecurity(
                keyPair: try CurveKeyFiles.readSecret(secretKeyFile),
                allowedClientKeys: try CurveKeyFiles.readAllowlist(allowlistFile))
        } catch {
            throw ValidationError(error.description)
        }
    default:
        throw ValidationError("--curve-secret-key and --curve-allowed-workers go together")
    }
}

/// A worker's CURVE settings from `--curve-secret-key` and `--curve-learner-key` (both or neither).
/// - Parameters:
///   - secretKeyFile: the worker's secret key file (mode 0600).
///   - learnerKeyFile: the learner's public key file.
/// - Returns: the settings, or nil when neither flag is given (plain connections).
/// - Throws: `ValidationError` naming the flag or file that is wrong.
func curveClientSecurity(secretKeyFile: String?, learnerKeyFile: String?) throws -> CurveClientSecurity? {
    switch (secretKeyFile, learnerKeyFile) {
    case (nil, nil):
        return nil
    case (let secretKeyFile?, let learnerKeyFile?):
        do {
            return CurveClientSecurity(
                serverPublicKey: try CurveKeyFiles.readPublic(learnerKeyFile),
                keyPair: try CurveKeyFiles.readSecret(secretKeyFile))
        } catch {
            throw ValidationError(error.description)
        }
    default:
        throw ValidationError("--curve-secret-key and --curve-learner-key go together")
    }
}

/// Logs every connection the learner's transport refuses, with its running count, until the stream ends.
/// - Parameters:
///   - transport: the learner's transport.
///   - logger: where the records go.
///   - telemetry: its refused-connections gauge follows the count.
/// - Returns: the task doing it.
func logRefusals(of transport: ZMQLearnerTransport, logger: Logger, telemetry: LearnerTelemetry) -> Task<Void, Never> {
    Task.detached {
        for await event in transport.events {
            guard case .refused(let address, let reason) = event else { continue }
            let count = transport.refusedConnections
            telemetry.recordRefusedConnections(count)
            logger.warning("refused a connection from \(address): \(reason) (\(count) refused so far)")
        }
    }
}
