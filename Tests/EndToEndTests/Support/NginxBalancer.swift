import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Debian's real `nginx` on a loopback port, balancing round robin over server instances, as a
/// deployment of several instances would run it: request and answer bodies streamed (never buffered
/// to disk), no body size limit, and a connection refused by a dead instance retried on the next.
final class NginxBalancer: Sendable {
    static let executable = "/usr/sbin/nginx"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    let port: Int
    private let process: ChildProcess

    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Starts nginx in `folder` (its configuration, logs and temporary files) in front of `upstreams`.
    init(folder: URL, upstreams: [Int]) async throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        port = try Self.freePort()
        let servers = upstreams.map { "        server 127.0.0.1:\($0) max_fails=1 fail_timeout=5s;" }
            .joined(separator: "\n")
        let path = folder.path
        // As root, the workers would run as nobody and could not use this folder.
        let user = getuid() == 0 ? "user root;\n" : ""
        let configuration = """
            \(user)worker_processes 1;
            daemon off;
            pid \(path)/nginx.pid;
            error_log \(path)/error.log warn;
            events { worker_connections 512; }
            http {
                access_log \(path)/access.log;
                client_body_temp_path \(path)/client_body;
                proxy_temp_path \(path)/proxy;
                fastcgi_temp_path \(path)/fastcgi;
                uwsgi_temp_path \(path)/uwsgi;
                scgi_temp_path \(path)/scgi;
                upstream greenmine {
            \(servers)
                }
                server {
                    listen 127.0.0.1:\(port);
                    client_max_body_size 0;
                    location / {
                        proxy_pass http://greenmine;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_request_buffering off;
                        proxy_buffering off;
                        proxy_read_timeout 300s;
                        proxy_send_timeout 300s;
                        proxy_next_upstream error timeout;
                    }
                }
            }
            """
        let file = folder.appendingPathComponent("nginx.conf")
        try configuration.write(to: file, atomically: true, encoding: .utf8)
        process = try ChildProcess(executable: URL(fileURLWithPath: Self.executable),
                                   arguments: ["-p", path, "-c", file.path], environment: [:], stdin: nil,
                                   outputStem: folder.appendingPathComponent("nginx"))
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if Self.accepts(port) { return }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.signal(SIGKILL)
        let log = (try? String(contentsOf: folder.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
        throw HarnessError("nginx did not start: \(process.stderrText())\n\(log)")
    }

    /// Stops nginx.
    func stop() async {
        process.signal(SIGTERM)
        if !(await process.wait(timeout: 10)) { process.signal(SIGKILL) }
    }

    /// A loopback port nobody listens on now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw HarnessError("bind: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// True when something accepts connections on the loopback port.
    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// A scratch database on the PostgreSQL server `GREENMINE_TEST_POSTGRES` names, through Debian's
/// `psql` (this target links no PostgreSQL driver): made, queried and dropped.
struct ScratchPostgres: Sendable {
    static let serverURL = ProcessInfo.processInfo.environment["GREENMINE_TEST_POSTGRES"]
    static let psql = "/usr/bin/psql"
    static var available: Bool { serverURL != nil && FileManager.default.isExecutableFile(atPath: psql) }

    let url: String
    private let name: String

    init() async throws {
        guard let server = Self.serverURL, var parts = URLComponents(string: server) else {
            throw HarnessError("GREENMINE_TEST_POSTGRES is not set")
        }
        name = "greenmine_e2e_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        _ = try await Self.run(server, "CREATE DATABASE \(name)")
        parts.path = "/" + name
        guard let url = parts.string else { throw HarnessError("bad URL \(server)") }
        self.url = url
    }

    /// The rows of a query, each a list of its columns as text.
    func rows(_ sql: String) async throws -> [[String]] {
        try await Self.run(url, sql).split(separator: "\n", omittingEmptySubsequences: true).map {
            $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// The first column of the first row.
    func value(_ sql: String) async throws -> String? {
        try await rows(sql).first?.first
    }

    func drop() async {
        guard let server = Self.serverURL else { return }
        _ = try? await Self.run(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    private static func run(_ url: String, _ sql: String) async throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("psql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let child = try ChildProcess(executable: URL(fileURLWithPath: psql),
                                     arguments: [url, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                                     environment: ProcessInfo.processInfo.environment, stdin: nil,
                                     outputStem: folder.appendingPathComponent("psql"))
        let outcome = await child.finish(timeout: 60)
        guard outcome.exitedCleanly else { throw HarnessError("psql \(sql): \(outcome)") }
        return outcome.stdout
    }
}
