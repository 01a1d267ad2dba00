import Foundation
import GreenMineServer
import GreenMineShared

/// The mutations the benchmark pushes: pre-application drafts with their fields.
enum Workload {
    /// `mutations` in push batches of `size` (the last one shorter), in order.
    static func batches(_ mutations: [Mutation], of size: Int) -> [[Mutation]] {
        stride(from: 0, to: mutations.count, by: size).map { Array(mutations[$0..<min($0 + size, mutations.count)]) }
    }

    static func creates(count: Int, startingAt seq: Int = 1) -> [Mutation] {
        let now = Date()
        return (0..<count).map { index in
            Mutation(seq: seq + index, recordId: UUID(), kind: .preApplication, op: .create,
                     set: ["basic.region": .string("130102"), "basic.licenceNumber": .string(DemoData.licence(1)),
                           "basic.mineName": .string("基准测试矿山 \(seq + index)"),
                           "prerequisites.licencesValid": .bool(true), "prerequisites.noPenalty": .bool(true),
                           "remarks.text": .string("benchmark record \(seq + index)")],
                     deviceTime: now)
        }
    }

    /// Fills the store through the sync service directly (no HTTP), in batches of 1,000.
    static func fill(_ server: BenchServer, records: Int) async throws {
        let login = try await server.services.auth.login(username: "demo-ent1",
                                                         password: try server.password("demo-ent1"), address: "bench")
        let user = try await server.services.auth.authenticate(token: login.token)
        let client = UUID()
        var seq = 1
        while seq <= records {
            let batch = creates(count: min(1000, records - seq + 1), startingAt: seq)
            _ = try await server.services.sync.push(PushRequest(clientId: client, mutations: batch), user: user)
            seq += batch.count
        }
    }

    /// Fills a separate server process over HTTP, in batches of 1,000 pushed as demo-ent1 (`token`);
    /// the client id it pushed as.
    @discardableResult
    static func fill(_ http: BenchHTTP, token: String, records: Int) async throws -> UUID {
        let client = UUID()
        var seq = 1
        while seq <= records {
            let batch = creates(count: min(1000, records - seq + 1), startingAt: seq)
            let (status, _) = try await http.send("POST", "/v1/sync/push", token: token,
                                                  body: try WireCoding.encode(PushRequest(clientId: client, mutations: batch)))
            guard status == 200 else { throw BenchError("filling the server: push answered \(status)") }
            seq += batch.count
        }
        return client
    }
}
