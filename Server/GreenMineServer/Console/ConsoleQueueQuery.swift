import Foundation
import GreenMineShared
import Hummingbird

extension ConsoleWorkQueue {
    /// The work queue's query from a request's parameters (`kind`, `state`, `region`, `q`, `before`): one
    /// reading for the queue page and its CSV export.
    static func query(_ request: Request, role: Role, limit: Int = 50) -> QueueQuery {
        let parameters = request.uri.queryParameters
        return QueueQuery(
            awaited: awaited(for: role),
            kind: parameters.get("kind").flatMap(RecordKind.init(rawValue:)),
            state: parameters.get("state").flatMap(RecordState.init(rawValue:)),
            region: parameters.get("region").flatMap { $0.isEmpty ? nil : String($0.prefix(12)) },
            search: parameters.get("q").flatMap { $0.isEmpty ? nil : String($0.prefix(100)) },
            before: parameters.get("before").flatMap { Int64($0) },
            limit: limit)
    }
}
