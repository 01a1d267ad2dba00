import Foundation

/// Which role may create which kind of record: checked by the server on every create and by the
/// client before it queues one offline, with the same refusal.
public enum CreationRules {
    /// The kinds each role may create.
    public static let creatable: [Role: Set<RecordKind>] = [
        .enterprise: [.preApplication, .application, .evidence, .appeal, .profile],
        .assessor: [.assessment, .profile],
        .province: [.notice, .profile],
        .ministry: [.notice, .profile],
        .county: [.profile],
        .city: [.profile],
    ]

    /// Whether `role` may create records of `kind`.
    public static func mayCreate(_ kind: RecordKind, role: Role) -> Bool {
        creatable[role]?.contains(kind) == true
    }

    /// The refusal when `role` may not create records of `kind` (`role_not_allowed`), else nil.
    public static func violation(creating kind: RecordKind, role: Role) -> RuleViolation? {
        guard !mayCreate(kind, role: role) else { return nil }
        return RuleViolation(code: "role_not_allowed", zh: "\(role.label.zh)不能创建\(kind.label.zh)",
                             en: "\(role.englishWithArticle) cannot create \(kind.englishWithArticle)")
    }
}
