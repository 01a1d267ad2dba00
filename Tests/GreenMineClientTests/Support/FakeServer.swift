import Foundation
import GreenMineShared
import GreenMineZlib
@testable import GreenMineClient

/// An in-memory server that speaks the HTTP contract of DESIGN.md §4 closely enough for client
/// tests: accounts, tokens, versioned records with the merge rule, per-client seqs, pull pages.
final class FakeServer: APITransport, @unchecked Sendable {
    /// What the next matching request does instead of being answered.
    enum Failure {
        case unreachable
        case status(Int)
    }

    struct Account {
        var user: UserInfo
        var password: String
    }

    /// One version of a record: who made it and which fields it changed.
    struct Version {
        var clientId: UUID?
        var paths: Set<String>
    }

    private let lock = NSLock()
    var accounts: [String: Account] = [:]
    var tokens: [String: String] = [:]
    var issued = 0
    var records: [UUID: Record] = [:]
    var versions: [UUID: [Int: Version]] = [:]
    var creators: [UUID: UUID] = [:]
    var changeSeq = 0
    var changes: [(seq: Int, id: UUID)] = []
    var goneFor: [(seq: Int, id: UUID)] = []
    var lastSeq: [UUID: Int] = [:]
    var results: [UUID: [Int: MutationResult]] = [:]
    var licences: [String: LicenceInfo] = [:]
    /// What `GET /v1/agencies` answers (to every account).
    var agencies = [Agency(code: "AG0001", name: "河北绿源第三方评估中心", provinces: ["130000"])]
    var failures: [(path: String, failure: Failure)] = []
    var rejectSeqs: [Int: APIErrorDetail] = [:]
    var requests: [APIRequest] = []
    /// Push requests that came gzip-compressed.
    var compressedPushes = 0
    var events: [UUID: [HistoryEvent]] = [:]
    var passwordAnswersWithSession = true
    /// Logins are refused as too many attempts, with this Retry-After.
    var throttleLogins: Int?
    /// Every request fails as if the network were down.
    var offline = false
    /// The next push is applied, then its answer is lost on the way back.
    var loseNextPushAnswer = false
    /// The next push is refused with `seq_gap` and this last seq, before anything is applied.
    var spuriousGap: Int?
    var now = Date(timeIntervalSince1970: 1_796_113_800)

    static let orgId: String = {
        let first17 = "91130102MA0A1B2C3"
        return first17 + String(CreditCode.checkCharacter(forFirst17: first17) ?? "0")
    }()

    init() {
        accounts["alice"] = Account(
            user: UserInfo(id: "u-alice", username: "alice", role: .enterprise, orgId: Self.orgId,
                           orgName: "石家庄绿源矿业有限公司"),
            password: "secret-1")
        accounts["bob"] = Account(
            user: UserInfo(id: "u-bob", username: "bob", role: .enterprise, orgId: Self.orgId,
                           orgName: "石家庄绿源矿业有限公司"),
            password: "secret-2")
        accounts["reset"] = Account(
            user: UserInfo(id: "u-reset", username: "reset", role: .enterprise, orgId: Self.orgId,
                           mustChangePassword: true),
            password: "initial")
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Makes the next `count` requests whose path starts with `path` fail.
    func fail(_ count: Int, path: String, with failure: Failure) {
        locked { for _ in 0..<count { failures.append((path, failure)) } }
    }

    var requestLog: [APIRequest] { locked { requests } }

    // MARK: - Direct changes, as other actors would make them

    /// Puts a record on the server as someone else made it (a reviewer, another device).
    func store(_ record: Record) {
        locked {
            var copy = record
            copy.version = (records[record.id]?.version ?? 0) + 1
            copy.updatedAt = now
            let old = records[record.id]
            var keys = Set(copy.fields.keys)
            if let old { keys.formUnion(old.fields.keys) }
            let paths = keys.filter { old?.fields[$0] != copy.fields[$0] }
            records[record.id] = copy
            versions[record.id, default: [:]][copy.version] = Version(clientId: nil, paths: Set(paths))
            logChange(record.id)
        }
    }

    /// Changes a record as another actor: fields and/or state.
    func change(_ id: UUID, fields: [String: JSONValue] = [:], state: RecordState? = nil) {
        locked {
            guard var record = records[id] else { return }
            record.apply(fieldSet: fields)
            if let state { record.state = state }
            record.version += 1
            record.updatedAt = now
            records[id] = record
            versions[id, default: [:]][record.version] = Version(clientId: nil, paths: Set(fields.keys))
            logChange(id)
        }
    }

    /// Hides a record from the enterprise (it shows up in `gone`).
    func hide(_ id: UUID) {
        locked {
            changeSeq += 1
            goneFor.append((changeSeq, id))
            records[id] = nil
        }
    }

    func record(_ id: UUID) -> Record? { locked { records[id] } }

    private func logChange(_ id: UUID) {
        changeSeq += 1
        changes.append((changeSeq, id))
    }

    // MARK: - HTTP

    func send(_ request: APIRequest) async throws -> APIResponse {
        try locked {
            requests.append(request)
            if offline { throw TransportError(reason: "network is unreachable") }
            if request.path == "/v1/sync/push", let last = spuriousGap {
                spuriousGap = nil
                let detail = APIErrorDetail(code: "seq_gap", message: "gap", lastSeq: last)
                return APIResponse(status: 409, body: try WireCoding.encode(APIErrorBody(error: detail)))
            }
            if let index = failures.firstIndex(where: { request.path.hasPrefix($0.path) }) {
                let failure = failures.remove(at: index).failure
                switch failure {
                case .unreachable: throw TransportError(reason: "connection refused")
                case .status(let status):
                    return try error(status, "unavailable", "the server is busy")
                }
            }
            let response = try route(request)
            if request.path == "/v1/sync/push", loseNextPushAnswer {
                loseNextPushAnswer = false
                throw TransportError(reason: "connection reset by peer")
            }
            return response
        }
    }

    private func route(_ request: APIRequest) throws -> APIResponse {
        switch (request.method, request.path) {
        case ("GET", "/healthz"):
            return try ok(HealthResponse(status: "ok", version: "test"))
        case ("POST", "/v1/auth/login"):
            if let seconds = throttleLogins {
                var response = try error(429, "too_many_attempts", "too many failed logins")
                response.headers["retry-after"] = String(seconds)
                return response
            }
            let body = try WireCoding.decode(LoginRequest.self, from: request.body ?? Data())
            guard let account = accounts[body.username], account.password == body.password else {
                return try error(401, "invalid_credentials", "wrong user name or password")
            }
            return try ok(session(for: account))
        default:
            break
        }
        guard let header = request.headers["Authorization"], header.hasPrefix("Bearer "),
              let username = tokens[String(header.dropFirst(7))], let account = accounts[username] else {
            return try error(401, "unauthorized", "log in again")
        }
        let token = String(header.dropFirst(7))
        if account.user.mustChangePassword, request.path != "/v1/auth/password", request.path != "/v1/auth/logout" {
            return try error(403, "password_change_required", "change the password first")
        }
        switch (request.method, request.path) {
        case ("POST", "/v1/auth/logout"):
            tokens[token] = nil
            return APIResponse(status: 204)
        case ("GET", "/v1/me"):
            return try ok(account.user)
        case ("POST", "/v1/auth/password"):
            let body = try WireCoding.decode(PasswordChangeRequest.self, from: request.body ?? Data())
            guard body.currentPassword == account.password else {
                return try error(401, "invalid_credentials", "the current password is wrong")
            }
            guard body.newPassword.count >= 8 else { return try error(400, "weak_password", "too short") }
            var changed = account
            changed.password = body.newPassword
            changed.user.mustChangePassword = false
            accounts[username] = changed
            tokens[token] = nil
            return passwordAnswersWithSession ? try ok(session(for: changed)) : APIResponse(status: 204)
        case ("POST", "/v1/sync/push"):
            var body = request.body ?? Data()
            if request.headers["Content-Encoding"] == "gzip" {
                body = try Gzip.decompress(body, limit: 8 << 20)
                compressedPushes += 1
            }
            return try push(try WireCoding.decode(PushRequest.self, from: body), user: account.user)
        case ("GET", "/v1/sync/pull"):
            return try pull(request, user: account.user)
        default:
            break
        }
        if request.method == "GET", request.path == "/v1/agencies" {
            return try ok(AgenciesResponse(agencies: agencies))
        }
        if request.method == "GET", request.path == "/v1/licenses" {
            let own = licences.values.filter { $0.creditCode == account.user.orgId }.sorted { $0.number < $1.number }
            return try ok(LicencesResponse(licences: own))
        }
        if request.method == "GET", request.path.hasPrefix("/v1/licenses/") {
            let number = String(request.path.dropFirst("/v1/licenses/".count))
            guard let info = licences[number] else { return try error(404, "licence_unknown", "unknown licence") }
            return try ok(info)
        }
        if request.method == "GET", request.path.hasPrefix("/v1/records/"), request.path.hasSuffix("/history") {
            let idText = request.path.dropFirst("/v1/records/".count).dropLast("/history".count)
            guard let id = UUID(uuidString: String(idText)) else { return try error(404, "not_found", "no record") }
            return try ok(HistoryResponse(events: events[id] ?? []))
        }
        return try error(404, "not_found", "no route")
    }

    private func session(for account: Account) -> LoginResponse {
        issued += 1
        let token = "token-\(account.user.username)-\(issued)"
        tokens[token] = account.user.username
        return LoginResponse(token: token, expiresAt: now.addingTimeInterval(86_400), user: account.user)
    }

    // MARK: - Push

    private func push(_ request: PushRequest, user: UserInfo) throws -> APIResponse {
        var last = lastSeq[request.clientId] ?? 0
        let fresh = request.mutations.filter { $0.seq > last }.map(\.seq)
        if let first = fresh.first, first != last + 1 || fresh != Array(first..<(first + fresh.count)) {
            let detail = APIErrorDetail(code: "seq_gap", message: "expected seq \(last + 1)", lastSeq: last)
            return APIResponse(status: 409, body: try WireCoding.encode(APIErrorBody(error: detail)))
        }
        var out: [MutationResult] = []
        for mutation in request.mutations {
            if mutation.seq <= last {
                if let stored = results[request.clientId]?[mutation.seq] { out.append(stored) }
                continue
            }
            let result = apply(mutation, client: request.clientId, user: user)
            results[request.clientId, default: [:]][mutation.seq] = result
            last = mutation.seq
            lastSeq[request.clientId] = last
            out.append(result)
        }
        return try ok(PushResponse(results: out, lastSeq: last))
    }

    private func reject(_ mutation: Mutation, _ code: String, _ message: String) -> MutationResult {
        MutationResult(seq: mutation.seq, status: .rejected,
                       error: APIErrorDetail(code: code, message: message, messageZh: "拒绝：\(message)"))
    }

    private func apply(_ mutation: Mutation, client: UUID, user: UserInfo) -> MutationResult {
        if let forced = rejectSeqs[mutation.seq] {
            return MutationResult(seq: mutation.seq, status: .rejected, error: forced)
        }
        let id = mutation.recordId
        if mutation.op == .create {
            guard records[id] == nil else { return reject(mutation, "exists", "the record exists") }
            if let violation = CreationRules.violation(creating: mutation.kind, role: user.role) {
                return MutationResult(seq: mutation.seq, status: .rejected, error: APIErrorDetail(violation))
            }
            var record = MutationReplay.apply(mutation, to: Record(id: id, kind: mutation.kind, orgId: user.orgId))
            if record.kind == .notice, let violation = NoticeScope.scope(&record, by: user.actor, regions: .standard) {
                return MutationResult(seq: mutation.seq, status: .rejected, error: APIErrorDetail(violation))
            }
            record.version = 1
            record.updatedAt = now
            record.updatedBy = user.id
            if record.kind == .profile { record.fields[WorkflowFields.owner] = .string(user.id) }
            records[id] = record
            creators[id] = client
            versions[id, default: [:]][1] = Version(clientId: client, paths: Set(record.fields.keys))
            logChange(id)
            note(mutation, user: user, record: record, from: nil)
            return MutationResult(seq: mutation.seq, status: .applied, record: record)
        }
        guard var record = records[id] else { return reject(mutation, "not_found", "no such record") }
        let base = mutation.baseVersion ?? (creators[id] == client ? 1 : 0)
        let foreign = (base + 1...max(base + 1, record.version)).compactMap { versions[id]?[$0] }
            .filter { $0.clientId != client }
        var changedPaths: Set<String> = []
        var conflicts: [FieldConflict] = []
        let from = record.state
        switch mutation.op {
        case .patch:
            guard [.draft, .returned].contains(record.state) || record.kind == .profile else {
                return reject(mutation, "not_editable", "only unsubmitted records can be changed")
            }
            // The server's merge rule (`MutationEffect.patch`), which stamps the new version itself.
            let parentRegion = record.kind == .application ? nil : record.parentId.flatMap { records[$0]?.region }
            let outcome = MutationEffect.patch(record, set: mutation.set ?? [:],
                                               foreign: .init(versions: foreign.map(\.paths)),
                                               parentRegion: parentRegion, regions: .standard, at: now, by: user.id)
            conflicts = outcome.conflicts
            guard !outcome.changed.isEmpty else {
                return MutationResult(seq: mutation.seq, status: outcome.status, record: record,
                                      conflicts: conflicts.isEmpty ? nil : conflicts)
            }
            record = outcome.record
            changedPaths = Set(outcome.changed)
        case .transition:
            guard foreign.isEmpty else { return reject(mutation, "stale", "someone changed the record first") }
            guard let transition = mutation.transition, let rule = WorkflowTable.rule(transition, kind: record.kind),
                  rule.from.contains(record.state) else {
                return reject(mutation, "invalid_state", "not in that state")
            }
            record = MutationReplay.apply(mutation, to: record)
        case .delete:
            guard record.state == .draft else { return reject(mutation, "not_deletable", "only drafts") }
            record.deleted = true
        case .create, .attach, .detach:
            return reject(mutation, "unsupported", "not in this fake")
        }
        if mutation.op != .patch { record = MutationEffect.stamped(record, at: now, by: user.id) }
        records[id] = record
        versions[id, default: [:]][record.version] = Version(clientId: client, paths: changedPaths)
        logChange(id)
        note(mutation, user: user, record: record, from: from)
        let status: MutationStatus = !conflicts.isEmpty ? .conflict : (foreign.isEmpty ? .applied : .merged)
        return MutationResult(seq: mutation.seq, status: status, record: record,
                              conflicts: conflicts.isEmpty ? nil : conflicts.sorted { $0.path < $1.path })
    }

    private func note(_ mutation: Mutation, user: UserInfo, record: Record, from: RecordState?) {
        let action = mutation.op == .transition ? (mutation.transition?.rawValue ?? "transition") : mutation.op.rawValue
        events[record.id, default: []].append(HistoryEvent(
            seq: changeSeq, recordId: record.id, action: action, actorId: user.id, actorName: user.username,
            role: user.role, orgId: user.orgId, serverTime: now, deviceTime: mutation.deviceTime, fromState: from,
            toState: record.state, version: record.version, comment: mutation.comment))
    }

    // MARK: - Pull

    private func pull(_ request: APIRequest, user: UserInfo) throws -> APIResponse {
        let query = Dictionary(request.query.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let after = Int(query["after"] ?? "0") ?? 0
        let limit = Int(query["limit"] ?? "100") ?? 100
        let client = query["clientId"].flatMap(UUID.init(uuidString:))
        var latest: [UUID: Int] = [:]
        for change in changes where change.seq > after { latest[change.id] = change.seq }
        for gone in goneFor where gone.seq > after { latest[gone.id] = gone.seq }
        let ordered = latest.sorted { $0.value < $1.value }
        let page = ordered.prefix(limit)
        var visible: [Record] = []
        var gone: [UUID] = []
        for (id, _) in page {
            if let record = records[id] {
                if record.orgId == user.orgId || record.kind == .notice { visible.append(record) }
            } else {
                gone.append(id)
            }
        }
        let cursor = page.last.map { String($0.value) } ?? String(max(after, 0))
        return try ok(PullResponse(records: visible, gone: gone, cursor: cursor, more: ordered.count > page.count,
                                   lastSeq: client.flatMap { lastSeq[$0] } ?? 0))
    }

    // MARK: - Answers

    private func ok<T: Encodable>(_ value: T) throws -> APIResponse {
        APIResponse(status: 200, headers: ["content-type": "application/json"], body: try WireCoding.encode(value))
    }

    private func error(_ status: Int, _ code: String, _ message: String) throws -> APIResponse {
        APIResponse(status: status, body: try WireCoding.encode(APIErrorBody(error: APIErrorDetail(
            code: code, message: message, messageZh: "服务器：\(message)"))))
    }
}
