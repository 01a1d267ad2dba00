import Foundation
import GreenMineShared
import Hummingbird

/// Calendar days as the console shows and reads them: `YYYY-MM-DD` in the offices' time (UTC+8).
enum ConsoleQueueDates {
    static let dayLength: TimeInterval = 86_400
    static let zone = TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt

    /// The start of the day `YYYY-MM-DD`; nil for anything else.
    static func start(of text: String) -> Date? {
        let parts = text.split(separator: "-")
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]),
              let day = Int(parts[2]), (1...12).contains(month), (1...31).contains(day), (1900...9999).contains(year)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day else { return nil }
        return date
    }

    /// The day of a time, `YYYY-MM-DD`.
    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}

extension ConsoleQueuePage {
    /// The queue query of a request: filters, the updated-date range (`from`, `to`, whole days, both
    /// included), the order (`sort`) and the cursor (`after`): one reading for the queue page and its
    /// CSV export.
    static func query(_ parameters: Parameters, role: Role, limit: Int = 50) -> QueueQuery {
        func text(_ name: String, _ limit: Int) -> String? {
            parameters.get(name).flatMap { $0.isEmpty ? nil : String($0.prefix(limit)) }
        }
        return QueueQuery(
            awaited: ConsoleWorkQueue.awaited(for: role),
            kind: parameters.get("kind").flatMap(RecordKind.init(rawValue:)),
            state: parameters.get("state").flatMap(RecordState.init(rawValue:)),
            region: text("region", 12),
            search: text("q", 100),
            updatedFrom: text("from", 10).flatMap(ConsoleQueueDates.start(of:)),
            updatedBefore: text("to", 10).flatMap(ConsoleQueueDates.start(of:))?
                .addingTimeInterval(ConsoleQueueDates.dayLength),
            sort: parameters.get("sort").flatMap(QueueSort.init(rawValue:)) ?? .newest,
            after: text("after", 400).flatMap(QueueCursor.init(text:)),
            limit: limit)
    }

    /// The updated-date range and the order of the filter form.
    static func dateAndSortControls(_ layout: ConsoleLayout, query: QueueQuery) -> HTML {
        let t = layout.t
        let from = query.updatedFrom.map(ConsoleQueueDates.day) ?? ""
        let to = query.updatedBefore.map { ConsoleQueueDates.day($0.addingTimeInterval(-ConsoleQueueDates.dayLength)) } ?? ""
        let sorts: [(QueueSort, LocalizedText)] = [
            (.newest, ConsoleText.sortNewest), (.oldest, ConsoleText.sortOldest), (.name, ConsoleText.sortName),
        ]
        let options: [HTML] = sorts.map { sort, label in
            sort == query.sort
                ? "<option value=\"\(sort.rawValue)\" selected>\(t(label))</option>"
                : "<option value=\"\(sort.rawValue)\">\(t(label))</option>"
        }
        return """
            <div><label for="from">\(t(ConsoleText.updatedFrom))</label><input type="date" id="from" name="from" value="\(from)"></div>
            <div><label for="to">\(t(ConsoleText.updatedTo))</label><input type="date" id="to" name="to" value="\(to)"></div>
            <div><label for="sort">\(t(ConsoleText.sortBy))</label><select id="sort" name="sort">\(options)</select></div>
            """
    }
}
