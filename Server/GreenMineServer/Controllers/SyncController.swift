import Foundation
import GreenMineShared
import Hummingbird

/// `/v1/sync/push` and `/v1/sync/pull`.
struct SyncController {
    let sync: SyncService
    /// The largest push body accepted.
    static let pushLimit = 8 * 1024 * 1024

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/sync/push") { request, context in
            let user = try context.requireUser()
            let body = try await JSONBody.decodeFast(PushRequest.self, from: request, limit: Self.pushLimit)
            var writer = FastJSON(capacity: 64 * 1024)
            writer.pushResponse(try await sync.push(body, user: user))
            return JSONBody.raw(Data(writer.bytes))
        }
        router.get("/v1/sync/pull") { request, context in
            let user = try context.requireUser()
            let query = request.uri.queryParameters
            let limit: Int?
            if let text = query["limit"] {
                guard let value = Int(String(text)) else {
                    throw ServiceError(.badRequest, code: "bad_limit", en: "limit must be a number", zh: "limit 须为数字")
                }
                limit = value
            } else {
                limit = nil
            }
            var clientId: UUID?
            if let text = query["clientId"] {
                guard let value = UUID(text: text) else {
                    throw ServiceError(.badRequest, code: "bad_client_id", en: "clientId must be a UUID",
                                       zh: "clientId 须为 UUID")
                }
                clientId = value
            }
            let page = try await sync.pull(user: user, after: query["after"].map(String.init), limit: limit,
                                           clientId: clientId)
            return JSONBody.raw(Self.encode(page, lastSeq: page.lastSeq))
        }
    }

    /// The pull response, spliced from stored record JSON without decoding it again.
    static func encode(_ page: PullPage, lastSeq: Int) -> Data {
        var out = Data()
        out.reserveCapacity(page.records.reduce(128) { $0 + $1.utf8.count + 1 } + page.gone.count * 40)
        out.append(contentsOf: #"{"cursor":""#.utf8)
        out.append(contentsOf: String(page.cursor).utf8)
        out.append(contentsOf: #"","gone":["#.utf8)
        out.append(contentsOf: page.gone.map { "\"\($0.wireString)\"" }.joined(separator: ",").utf8)
        out.append(contentsOf: #"],"lastSeq":"#.utf8)
        out.append(contentsOf: String(lastSeq).utf8)
        out.append(contentsOf: (page.more ? #","more":true,"records":["# : #","more":false,"records":["#).utf8)
        for (index, body) in page.records.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: body.utf8)
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }
}
