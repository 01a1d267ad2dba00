import Foundation
import GRDB
import GreenMineShared

/// Finds a record or conflict by its id or any unique prefix of 4 or more characters.
enum IdPrefix {
    /// The shortest prefix accepted.
    static let minimumLength = 4

    /// The lower-cased, checked prefix.
    static func normalized(_ input: String) throws -> String {
        let text = input.trimmingCharacters(in: .whitespaces).lowercased()
        guard text.count >= minimumLength else {
            throw ClientError(code: "id_too_short",
                              zh: "编号“\(input)”太短：请至少输入编号的前\(minimumLength)个字符",
                              en: "the id '\(input)' is too short: give at least its first \(minimumLength) characters")
        }
        guard text.count <= 36, text.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw ClientError(code: "id_format",
                              zh: "“\(input)”不是有效的编号：编号由十六进制数字和“-”组成",
                              en: "'\(input)' is not an id: ids are made of hexadecimal digits and '-'")
        }
        return text
    }

    /// The record whose id starts with `input`, among the kinds given (all kinds when empty).
    static func record(_ db: Database, _ input: String, kinds: [RecordKind] = []) throws -> LocalRecord {
        let prefix = try normalized(input)
        // A range on the primary key: ids are lower-case hex and '-', all below '~'.
        var sql = "SELECT * FROM records WHERE id >= ? AND id < ? AND deleted = 0"
        var arguments: StatementArguments = [prefix, prefix + "~"]
        if !kinds.isEmpty {
            sql += " AND kind IN (\(kinds.map { _ in "?" }.joined(separator: ",")))"
            for kind in kinds { arguments += [kind.rawValue] }
        }
        sql += " ORDER BY id LIMIT 6"
        let matches = try LocalRecord.fetchAll(db, sql: sql, arguments: arguments)
        return try unique(matches, input: input, id: \.id, kinds: kinds)
    }

    /// The conflict whose id starts with `input`.
    static func conflict(_ db: Database, _ input: String) throws -> LocalConflict? {
        let prefix = try normalized(input)
        let matches = try LocalConflict.fetchAll(db, sql: """
            SELECT * FROM conflicts WHERE id >= ? AND id < ? ORDER BY id LIMIT 6
            """, arguments: [prefix, prefix + "~"])
        if matches.isEmpty { return nil }
        return try unique(matches, input: input, id: \.id, kinds: [])
    }

    private static func unique<T>(_ matches: [T], input: String, id: KeyPath<T, UUID>,
                                  kinds: [RecordKind]) throws -> T {
        if matches.count == 1, let only = matches.first { return only }
        if matches.isEmpty {
            let what = kinds.count == 1 ? kinds[0].label : LocalizedText(zh: "记录", en: "record")
            throw ClientError(code: "unknown_id", zh: "本地没有编号以“\(input)”开头的\(what.zh)",
                              en: "no \(what.en) here has an id starting with '\(input)'")
        }
        let shown = matches.map { LocalizedText(zh: $0[keyPath: id].lowercased, en: $0[keyPath: id].lowercased) }
        throw ClientError(code: "ambiguous_id",
                          zh: "编号前缀“\(input)”不唯一，匹配到多条记录；请多输入几个字符",
                          en: "the id prefix '\(input)' is ambiguous; give more characters",
                          details: shown)
    }
}
