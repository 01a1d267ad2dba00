import AsyncHTTPClient
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// `APITransport` over AsyncHTTPClient (SwiftNIO). It replaced URLSession: on Linux, corelibs
/// Foundation's URLSession woke about a thousand times a second while it waited for an answer
/// (0.7 s of CPU per second of waiting, measured with `/usr/bin/time`), so a laptop on a slow link
/// spent a core waiting, and six logins at once on a two-core machine starved the server they waited
/// for (docs/DECISIONS.md, "The client's HTTP transport").
public struct HTTPClientTransport: APITransport {
    /// The server's base URL, e.g. `http://127.0.0.1:8080`.
    public var baseURL: URL

    public init(baseURL: URL) {
        self.baseURL = baseURL
    }

    /// The largest answer read into memory (pull pages and blob ranges are far smaller).
    static let largestAnswer = 256 << 20

    public func send(_ request: APIRequest) async throws -> APIResponse {
        guard var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) else {
            throw TransportError(reason: "invalid server URL \(baseURL.absoluteString)")
        }
        let basePath = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        components.path = basePath + request.path
        components.queryItems = request.query.isEmpty ? nil : request.query
        guard let url = components.url else {
            throw TransportError(reason: "invalid request path \(request.path)")
        }
        var outgoing = HTTPClientRequest(url: url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers {
            outgoing.headers.replaceOrAdd(name: name, value: value)
        }
        if !outgoing.headers.contains(name: "accept-encoding") {
            outgoing.headers.add(name: "accept-encoding", value: "gzip, deflate")
        }
        let progress = IdleWatch(limit: request.timeout)
        if let file = request.bodyFile {
            // Streamed from disk in slices as the connection takes them: memory stays flat whatever
            // the chunk size, and the length is known, so it goes as Content-Length.
            outgoing.body = .stream(try FileSlices(file, progress: progress), length: .known(file.length))
        } else if let body = request.body {
            outgoing.body = .bytes(ByteBuffer(bytes: body))
        }
        if outgoing.body != nil {
            // A request with a body ends its connection, as it did with URLSession: a cut costs that
            // request only, and the field-link tests count connections per body. (AHC may still send it
            // on an idle kept connection, which it then closes.)
            outgoing.headers.replaceOrAdd(name: "connection", value: "close")
        }
        let client = HTTPClients.shared.client(connectLimit: request.timeout)
        let prepared = outgoing
        do {
            return try await progress.run {
                // The whole exchange may take as long as a slow link needs (a week, as before); the
                // limit is on idleness, kept by `IdleWatch`.
                let response = try await client.execute(prepared, timeout: .hours(24 * 7))
                progress.touch()
                var body = ByteBuffer()
                for try await part in response.body {
                    progress.touch()
                    guard body.readableBytes + part.readableBytes <= Self.largestAnswer else {
                        throw TransportError(reason: "the answer is larger than \(Self.largestAnswer) bytes")
                    }
                    body.writeImmutableBuffer(part)
                }
                var headers: [String: String] = [:]
                for (name, value) in response.headers {
                    let key = name.lowercased()
                    headers[key] = headers[key].map { "\($0), \(value)" } ?? value
                }
                return APIResponse(status: Int(response.status.code), headers: headers,
                                   body: Data(body.readableBytesView))
            }
        } catch let error as TransportError {
            throw error
        } catch is CancellationError where Task.isCancelled {
            // The caller was cancelled (the command is ending): not a fault of the network.
            throw CancellationError()
        } catch {
            throw TransportError(reason: Self.describe(error))
        }
    }

    /// What the network layer said, in words a log line can carry.
    static func describe(_ error: any Error) -> String {
        if let client = error as? HTTPClientError {
            switch client {
            case .readTimeout, .writeTimeout: return "The request timed out."
            case .connectTimeout: return "Could not connect to the server (timed out)."
            case .remoteConnectionClosed: return "The server closed the connection."
            default: return String(describing: client)
            }
        }
        if let io = error as? IOError {
            // The system's words for the errno ("Connection refused"), not NIO's wrapping of them.
            return String(cString: strerror(io.errnoCode))
        }
        return String(describing: error)
    }
}

/// One `HTTPClient` per connect limit, sharing NIO's event loops; each keeps its connections for the
/// next requests without a body (a new TCP connection costs a round trip: 0.6 s on a 300 ms radio
/// link). They live as long as the process, so they are never shut down.
final class HTTPClients: Sendable {
    static let shared = HTTPClients()

    private let clients = NIOLockedValueBox<[Int: HTTPClient]>([:])

    func client(connectLimit: TimeInterval) -> HTTPClient {
        let seconds = max(1, min(30, Int(connectLimit.rounded(.up))))
        return clients.withLockedValue { clients in
            if let client = clients[seconds] { return client }
            // No read or write timeout here: AsyncHTTPClient's write timeout pauses while the peer
            // reads nothing (the socket is not writable), so a stalled upload would wait forever.
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(connect: .seconds(Int64(seconds))),
                decompression: .enabled(limit: .size(HTTPClientTransport.largestAnswer)))
            configuration.httpVersion = .http1Only
            // A refused connection fails at once, as it did under URLSession: the sync's own retry policy
            // decides when to try again (AHC would otherwise retry until the connect limit, up to 30 s).
            configuration.connectionPool.retryConnectionEstablishment = false
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            clients[seconds] = client
            return client
        }
    }
}

/// A file's byte range as an async sequence of buffers, read 256 KiB at a time as the connection
/// asks for the next one.
struct FileSlices: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let body: FileBody
    let progress: IdleWatch
    static let slice = 256 * 1024

    init(_ body: FileBody, progress: IdleWatch) throws {
        guard FileManager.default.isReadableFile(atPath: body.path) else {
            throw TransportError(reason: "cannot read \(body.path)")
        }
        self.body = body
        self.progress = progress
    }

    func makeAsyncIterator() -> Iterator {
        Iterator(body: body, progress: progress)
    }

    /// Reads the next slice; ends at the range's end or the file's (the server's checksum then
    /// refuses a short chunk, and the length check a short body).
    struct Iterator: AsyncIteratorProtocol {
        let body: FileBody
        let progress: IdleWatch
        var handle: FileHandle?
        var remaining: Int64

        init(body: FileBody, progress: IdleWatch) {
            self.body = body
            self.progress = progress
            self.remaining = body.length
        }

        /// Asked for when the connection has taken the slice before: that is progress.
        mutating func next() async throws -> ByteBuffer? {
            progress.touch()
            guard remaining > 0 else {
                try? handle?.close()
                handle = nil
                return nil
            }
            if handle == nil {
                guard let opened = FileHandle(forReadingAtPath: body.path) else {
                    throw TransportError(reason: "cannot read \(body.path)")
                }
                try opened.seek(toOffset: UInt64(body.offset))
                handle = opened
            }
            guard let data = try handle?.read(upToCount: Int(Swift.min(Int64(FileSlices.slice), remaining))),
                  !data.isEmpty else {
                remaining = 0
                try? handle?.close()
                handle = nil
                return nil
            }
            remaining -= Int64(data.count)
            return ByteBuffer(bytes: data)
        }
    }
}

/// Abandons an exchange once nothing has moved for `limit` seconds: no slice of the body taken by
/// the connection, no part of the answer arrived. A slow link that keeps moving is left alone
/// (docs/DECISIONS.md, "Field links"); a stalled one ends after the limit.
final class IdleWatch: Sendable {
    let limit: TimeInterval
    private let last: NIOLockedValueBox<NIODeadline>

    init(limit: TimeInterval) {
        self.limit = limit
        self.last = NIOLockedValueBox(.now())
    }

    /// Something moved.
    func touch() {
        last.withLockedValue { $0 = .now() }
    }

    /// Runs `exchange`, cancelling it (and throwing a timeout) once idle for the limit. The watch
    /// looks four times per limit, at most once a second: it sleeps in between.
    func run<T: Sendable>(_ exchange: @escaping @Sendable () async throws -> T) async throws -> T {
        let limit = TimeAmount.nanoseconds(Int64(max(0.001, self.limit) * 1_000_000_000))
        let lookNanoseconds = min(limit.nanoseconds / 4, 1_000_000_000)
        let look = Duration.nanoseconds(lookNanoseconds)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await exchange() }
            group.addTask {
                var looked = NIODeadline.now()
                while true {
                    try await Task.sleep(for: look)
                    let now = NIODeadline.now()
                    // A look that comes late by more than a look means this process was starved of CPU
                    // (its own tasks, the body's reads among them, waited too): that says nothing about
                    // the link, so the idle time starts again.
                    if now - looked > TimeAmount.nanoseconds(2 * lookNanoseconds) {
                        self.touch()
                    } else if now - self.last.withLockedValue({ $0 }) >= limit {
                        throw TransportError(reason: "The request timed out (nothing moved for \(Int(self.limit.rounded())) s).")
                    }
                    looked = now
                }
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let value = next { return value }
            }
            throw CancellationError()
        }
    }
}
