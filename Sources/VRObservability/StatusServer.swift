// The daemons' HTTP endpoints, served by Hummingbird: Prometheus `/metrics` and `/health`.

import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// Serves `GET /metrics` (Prometheus text format) and `GET /health` (JSON; 200 while serving, 503 while starting
/// or stopping) until the service group shuts down.
public struct StatusServer: Service {
    /// Where to listen.
    public let address: ListenAddress
    private let registry: PrometheusCollectorRegistry
    private let health: HealthState
    private let logger: Logger
    private let onListening: @Sendable (ListenAddress) -> Void

    /// Creates a server; `run()` binds and serves.
    /// - Parameters:
    ///   - address: where to listen (port 0: any free port).
    ///   - registry: the metrics to expose.
    ///   - health: the state `/health` reports.
    ///   - logger: where the server's own messages go.
    ///   - onListening: called with the bound address once the server listens.
    public init(
        address: ListenAddress, registry: PrometheusCollectorRegistry, health: HealthState, logger: Logger,
        onListening: @escaping @Sendable (ListenAddress) -> Void = { _ in }
    ) {
        self.address = address
        self.registry = registry
        self.health = health
        self.logger = logger
        self.onListening = onListening
    }

    /// Serves until graceful shutdown.
    /// - Throws: when the address cannot be bound.
    public func run() async throws {
        let router = Router()
        router.get("metrics") { [registry] _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("health") { [health] _, _ -> Response in
            let report = health.report
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = (try? encoder.encode(report)) ?? Data()
            return Response(
                status: report.status == .ok ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(address.host, port: address.port), serverName: "vr"),
            onServerRunning: { [address, onListening] channel in
                let port = channel.localAddress?.port ?? address.port
                onListening((try? ListenAddress(parsing: "\(address.host):\(port)")) ?? address)
            },
            logger: logger)
        try await application.run()
    }
}
