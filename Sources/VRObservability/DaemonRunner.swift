// A daemon's main work and its status server under one service group, stopped gracefully by SIGTERM or SIGINT.

import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Runs `body` beside an optional status server until `body` returns or a stop signal arrives.
///
/// SIGTERM and SIGINT start a graceful shutdown: `body`'s task is cancelled (the learner then finishes its step
/// and writes its final checkpoint; a worker says goodbye so its work is handed out again), the status server
/// stops, and the result of `body` is returned.
/// - Parameters:
///   - statusServer: the HTTP endpoints, or nil for none.
///   - health: set to `.stopping` when shutdown begins.
///   - logger: the service group's logger.
///   - body: the daemon's work.
/// - Returns: what `body` returned.
/// - Throws: what `body` threw, or the status server's error (such as an address in use).
public func runDaemon<Value: Sendable>(
    statusServer: StatusServer?, health: HealthState, logger: Logger,
    _ body: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    let main = MainService(health: health, body: body)
    var services = [
        ServiceGroupConfiguration.ServiceConfiguration(
            service: main, successTerminationBehavior: .gracefullyShutdownGroup,
            failureTerminationBehavior: .gracefullyShutdownGroup)
    ]
    if let statusServer {
        services.append(.init(service: statusServer, failureTerminationBehavior: .gracefullyShutdownGroup))
    }
    let group = ServiceGroup(
        configuration: ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    do { try await group.run() } catch {
        // The main work's own error is the more telling one; otherwise the server's.
        if case .failure(let mainError)? = main.result { throw mainError }
        throw error
    }
    guard let result = main.result else { throw CancellationError() }
    return try result.get()
}

/// The daemon's work as a service: cancelled on graceful shutdown, its result kept.
private final class MainService<Value: Sendable>: Service, Sendable {
    private let health: HealthState
    private let body: @Sendable () async throws -> Value
    private let outcome = Mutex<Result<Value, any Error>?>(nil)

    init(health: HealthState, body: @escaping @Sendable () async throws -> Value) {
        self.health = health
        self.body = body
    }

    var result: Result<Value, any Error>? { outcome.withLock { $0 } }

    func run() async throws {
        let value: Result<Value, any Error>
        do {
            value = .success(
                try await withGracefulShutdownHandler {
                    try await cancelWhenGracefulShutdown { try await self.body() }
                } onGracefulShutdown: { [health] in
                    health.update { $0.status = .stopping }
                })
        } catch {
            value = .failure(error)
        }
        outcome.withLock { $0 = value }
        if case .failure(let error) = value { throw error }
    }
}
