import Foundation
import GreenMineShared
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The server's HTTP API driven directly with URLSession, for the roles the client does not play
/// (the province's review) and for setting up records the client cannot yet make on its own.
struct ServerAPI: Sendable {
    let baseURL: URL

    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func send(_ method: String, _ path: String, token: String? = nil, headers: [String: String] = [:],
              body: Data? = nil) async throws -> Reply {
        guard let url = URL(string: path, relativeTo: baseURL) else { throw HarnessError("bad path \(path)") }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 30)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if body != nil, headers["Content-Type"] == nil {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw HarnessError("not an HTTP response") }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ reply: Reply, expecting status: Int = 200,
                                      what: String) throws -> T {
        guard reply.status == status else { throw HarnessError("\(what): HTTP \(reply.status) \(reply.text)") }
        do {
            return try WireCoding.decode(T.self, from: reply.body)
        } catch {
            throw HarnessError("\(what): cannot decode \(T.self): \(error)\n\(reply.text)")
        }
    }

    func login(_ username: String, _ password: String) async throws -> String {
        let body = try WireCoding.encode(LoginRequest(username: username, password: password))
        let reply = try await send("POST", "/v1/auth/login", body: body)
        return try decode(LoginResponse.self, reply, what: "login \(username)").token
    }

    func push(_ token: String, _ request: PushRequest) async throws -> PushResponse {
        let reply = try await send("POST", "/v1/sync/push", token: token, body: try WireCoding.encode(request))
        return try decode(PushResponse.self, reply, what: "push")
    }

    /// Every page of changes this user may see: the latest copy of each record.
    func pullAll(_ token: String) async throws -> [UUID: GreenMineShared.Record] {
        var records: [UUID: GreenMineShared.Record] = [:]
        var cursor: String?
        for _ in 0..<1000 {
            var path = "/v1/sync/pull?limit=500"
            if let cursor { path += "&after=\(cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor)" }
            let page = try decode(PullResponse.self, try await send("GET", path, token: token), what: "pull")
            for record in page.records { records[record.id] = record }
            for id in page.gone { records[id] = nil }
            cursor = page.cursor
            if !page.more { break }
        }
        return records
    }

    func record(_ token: String, _ id: UUID) async throws -> GreenMineShared.Record {
        guard let record = try await pullAll(token)[id] else { throw HarnessError("record \(id) is not visible") }
        return record
    }

    /// The record's history, oldest first.
    func history(_ token: String, _ id: UUID) async throws -> [HistoryEvent] {
        let reply = try await send("GET", "/v1/records/\(id.wireString)/history", token: token)
        return try decode(HistoryResponse.self, reply, what: "history of \(id)").events
    }

    /// Uploads a file with tus (creation, then one PATCH) and returns the SHA-256 the server computed.
    func upload(_ token: String, _ data: Data, filename: String, filetype: String) async throws -> String {
        func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        let created = try await send("POST", "/v1/uploads", token: token, headers: [
            "Tus-Resumable": "1.0.0", "Upload-Length": String(data.count),
            "Upload-Metadata": "filename \(b64(filename)),filetype \(b64(filetype))",
        ])
        guard created.status == 201, let location = created.headers["location"] else {
            throw HarnessError("upload creation: HTTP \(created.status) \(created.text)")
        }
        let patched = try await send("PATCH", location, token: token, headers: [
            "Tus-Resumable": "1.0.0", "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream",
        ], body: data)
        guard patched.status == 204, let sha256 = patched.headers["greenmine-blob-sha256"] else {
            throw HarnessError("upload: HTTP \(patched.status) \(patched.headers) \(patched.text)")
        }
        return sha256
    }
}

/// A device that talks to the API directly: its client id and gapless seqs, like a real outbox.
struct APIDevice: Sendable {
    let clientId = UUID()
    private(set) var nextSeq = 1

    mutating func mutation(_ recordId: UUID, _ kind: RecordKind, _ op: MutationOp, base: Int? = nil,
                           set: [String: JSONValue]? = nil, transition: Transition? = nil, comment: String? = nil,
                           attachment: MutationAttachment? = nil) -> Mutation {
        defer { nextSeq += 1 }
        return Mutation(seq: nextSeq, recordId: recordId, kind: kind, op: op, baseVersion: base, set: set,
                        transition: transition, comment: comment, attachment: attachment, deviceTime: Date())
    }

    func request(_ mutations: [Mutation]) -> PushRequest {
        PushRequest(clientId: clientId, mutations: mutations)
    }
}
