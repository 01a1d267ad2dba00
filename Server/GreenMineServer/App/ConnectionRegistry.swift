import NIOConcurrencyHelpers
import NIOCore

/// The server's open connections, by remote address, and which of them are idle (no request in
/// progress, a request head not yet complete counts as none). It admits a new connection or refuses
/// it, and makes room by closing the oldest idle connection — of the same address when that address is
/// at its cap, of any address when the server is at its total — so that a crowd of idle or slowloris
/// connections can neither lock out an address's real requests nor exhaust the descriptors (`/healthz`
/// still gets in).
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        let address: String
        /// When it last became idle; nil while a request is in progress.
        var idleSince: NIODeadline?
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        var perAddress: [String: Int] = [:]
    }

    /// The outcome of `admit`.
    enum Admission: Equatable {
        case admitted
        /// Over a cap with no idle connection to close in its place.
        case refused
    }

    let maxConnections: Int
    let maxPerAddress: Int
    private let state = NIOLockedValueBox(State())

    init(maxConnections: Int, maxPerAddress: Int) {
        self.maxConnections = maxConnections
        self.maxPerAddress = max(1, maxPerAddress)
    }

    /// Registers a new connection as idle, closing older idle connections to make room when needed.
    func admit(_ channel: any Channel, address: String, now: NIODeadline) -> Admission {
        let (admission, victims) = state.withLockedValue { state -> (Admission, [any Channel]) in
            var victims: [any Channel] = []
            if state.perAddress[address, default: 0] >= maxPerAddress {
                guard let victim = Self.oldestIdle(in: state, address: address) else { return (.refused, []) }
                Self.remove(victim, from: &state).map { victims.append($0) }
            }
            if state.entries.count >= maxConnections {
                guard let victim = Self.oldestIdle(in: state, address: nil) else { return (.refused, victims) }
                Self.remove(victim, from: &state).map { victims.append($0) }
            }
            state.entries[ObjectIdentifier(channel)] = Entry(channel: channel, address: address, idleSince: now)
            state.perAddress[address, default: 0] += 1
            return (.admitted, victims)
        }
        for victim in victims { victim.close(promise: nil) }
        return admission
    }

    /// Marks a connection idle since `since`, or busy (nil).
    func setIdle(_ channel: any Channel, since: NIODeadline?) {
        state.withLockedValue { state in
            state.entries[ObjectIdentifier(channel)]?.idleSince = since
        }
    }

    /// Forgets a closed connection (nothing happens when it was closed to make room).
    func remove(_ channel: any Channel) {
        state.withLockedValue { state in
            _ = Self.remove(ObjectIdentifier(channel), from: &state)
        }
    }

    /// How many connections are registered, in all and from `address`.
    func count(address: String? = nil) -> Int {
        state.withLockedValue { state in
            address.map { state.perAddress[$0, default: 0] } ?? state.entries.count
        }
    }

    private static func oldestIdle(in state: State, address: String?) -> ObjectIdentifier? {
        var best: (ObjectIdentifier, NIODeadline)?
        for (id, entry) in state.entries {
            guard let since = entry.idleSince, address == nil || entry.address == address else { continue }
            if best.map({ since < $0.1 }) ?? true { best = (id, since) }
        }
        return best?.0
    }

    @discardableResult
    private static func remove(_ id: ObjectIdentifier, from state: inout State) -> (any Channel)? {
        guard let entry = state.entries.removeValue(forKey: id) else { return nil }
        let left = state.perAddress[entry.address, default: 1] - 1
        state.perAddress[entry.address] = left > 0 ? left : nil
        return entry.channel
    }
}
