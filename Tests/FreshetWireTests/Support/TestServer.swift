import FreshetEngine
import Foundation
import Logging
@testable import FreshetWire

/// Runs a WireServer on an ephemeral loopback port for the duration of `body`.
func withTestServer<T>(provider: (any WireSessionProvider)? = nil,
                       authentication: WireConfiguration.Authentication = .trust,
                       maxMessageSize: Int = 1 << 30,
                       rowBatchSize: Int = 512,
                       _ body: (WireServer) async throws -> T) async throws -> T {
    let engineProvider: any WireSessionProvider
    if let provider {
        engineProvider = provider
    } else {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-wire-\(UUID().uuidString)").path
        engineProvider = try Engine(configuration: EngineConfiguration(dataDirectory: dir))
    }
    let server = WireServer(provider: engineProvider,
                            configuration: WireConfiguration(host: "127.0.0.1", port: 0, authentication: authentication,
                                                             maxMessageSize: maxMessageSize, rowBatchSize: rowBatchSize),
                            logger: Logger(label: "test"))
    try await server.start()
    let runner = Task { try await server.run() }
    do {
        let result = try await body(server)
        await server.shutdown()
        _ = try? await runner.value
        return result
    } catch {
        await server.shutdown()
        _ = try? await runner.value
        throw error
    }
}
